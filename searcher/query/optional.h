// The required clause's documents; the optional clauses only add to the
// score of those they match too (AND_MAYBE, '+a b'). The score is the
// required clause's, then the matching optional ones', in query order.
#pragma once

#include <vector>

#include "searcher/query/scorer.h"

namespace dateline {

class Optional final : public Scorer {
 public:
  Optional(ScorerPtr required, std::vector<ScorerPtr> optional);

  uint32_t next() override { return doc_ = required_->next(); }
  uint32_t advance(uint32_t target) override { return doc_ = required_->advance(target); }
  bool matches() override { return required_->matches(); }
  double match_cost() const override { return required_->match_cost(); }
  uint64_t cost() const override { return required_->cost(); }
  double score() override;
  double max_score() const override { return max_score_; }

 private:
  ScorerPtr required_;
  std::vector<ScorerPtr> optional_;
  double max_score_ = 0;
};

}  // namespace dateline
