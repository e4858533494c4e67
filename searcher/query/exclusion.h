// Documents the required clause matches and the excluded one does not
// (AND NOT). The score is the required clause's; a competitive minimum is
// passed on to it (the whole score is its).
#pragma once

#include "searcher/query/scorer.h"

namespace dateline {

class Exclusion final : public Scorer {
 public:
  Exclusion(ScorerPtr required, ScorerPtr excluded);

  uint32_t next() override { return skip_excluded(required_->next()); }
  uint32_t advance(uint32_t target) override { return skip_excluded(required_->advance(target)); }
  bool matches() override;
  double match_cost() const override { return required_->match_cost() + excluded_->match_cost(); }
  uint64_t cost() const override { return required_->cost(); }
  double score() override { return required_->score(); }
  double max_score() const override { return required_->max_score(); }
  void set_min_competitive_score(double min) override {
    min_score_ = min;
    required_->set_min_competitive_score(min);
  }
  uint32_t advance_shallow(uint32_t target) override { return required_->advance_shallow(target); }
  uint32_t advance_shallow_wide(uint32_t target) override { return required_->advance_shallow_wide(target); }
  double max_score_wide() override { return required_->max_score_wide(); }
  double max_score_up_to(uint32_t upto) override { return required_->max_score_up_to(upto); }
  bool exact_bounds() const override { return required_->exact_bounds(); }
  // A required clause that scores a block at a time (a term) does so here
  // too, its excluded documents dropped from each block: the exclusion
  // costs a cursor step per document that could enter the results (those
  // scoring at most the collector's minimum are dropped first), not a
  // scorer's per match.
  bool scores_blocks() const override { return required_->scores_blocks() && excluded_->exact(); }
  uint32_t next_block(uint32_t* docs, double* scores) override;

 private:
  // Whether the excluded clause's approximation is on `d` (moving it there).
  bool excluded_at(uint32_t d) {
    return (excluded_->doc() < d ? excluded_->advance(d) : excluded_->doc()) == d;
  }
  // An exact excluded clause is left out while iterating; an inexact one
  // in matches().
  uint32_t skip_excluded(uint32_t d);

  ScorerPtr required_, excluded_;
  double min_score_ = 0;  // the collector's minimum: only scores above it can enter
};

}  // namespace dateline
