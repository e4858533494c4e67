// Documents every clause matches (AND). The cheapest clause leads and the
// others follow by advance() (leapfrog over the approximations); positional
// and other two-phase clauses are checked, cheapest first, only for the
// documents all approximations agree on. The score is the clauses' sum, in
// query order.
#pragma once

#include <vector>

#include "searcher/query/scorer.h"

namespace dateline {

class Intersection final : public Scorer {
 public:
  // Two or more clauses, in query order.
  explicit Intersection(std::vector<ScorerPtr> clauses);

  uint32_t next() override { return leapfrog(lead_->next()); }
  uint32_t advance(uint32_t target) override { return leapfrog(lead_->advance(target)); }
  bool matches() override;
  double match_cost() const override { return match_cost_; }
  uint64_t cost() const override { return lead_->cost(); }
  double score() override;
  double max_score() const override { return max_score_; }

  // The clauses, in query order.
  const std::vector<ScorerPtr>& clauses() const { return clauses_; }

 private:
  uint32_t leapfrog(uint32_t target);

  std::vector<ScorerPtr> clauses_;  // query order (the order of the score sum)
  Scorer* lead_ = nullptr;          // the cheapest
  std::vector<Scorer*> followers_;  // the others, by cost
  std::vector<Scorer*> two_phase_;  // inexact clauses, by match cost
  double match_cost_ = 0;
  double max_score_ = 0;
};

}  // namespace dateline
