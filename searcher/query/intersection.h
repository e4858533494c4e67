// Documents every clause matches (AND). The cheapest clause leads and the
// others follow by advance() (leapfrog over the approximations); positional
// and other two-phase clauses are checked, cheapest first, only for the
// documents all approximations agree on. The score is the clauses' sum, in
// query order.
//
// At the root, once told a competitive minimum, it is a block-max
// conjunction (Lucene's BlockMaxConjunctionScorer): the clauses' score
// windows (advance_shallow) cut the documents into ranges whose summed
// bounds are known without decoding them, and ranges that cannot reach the
// minimum are skipped whole (after a few in a row, a group of blocks at a
// time by the terms' group bounds); the lead's own score plus the others'
// bounds rejects most of its documents before a scoring follower moves;
// with one scoring clause (the rest filters) that clause is told the
// minimum itself; a document whose score falls short is rejected before its
// positions are read.
//
// A conjunction of terms only (a phrase's approximation, `a AND b`) runs
// its leapfrog on the posting cursors themselves, without a virtual call
// per document.
#pragma once

#include <vector>

#include "indexer/posting_cursor.h"
#include "searcher/query/scorer.h"

namespace dateline {

class Intersection final : public Scorer {
 public:
  // Two or more clauses, in query order.
  explicit Intersection(std::vector<ScorerPtr> clauses);

  uint32_t next() override;
  uint32_t advance(uint32_t target) override;
  bool matches() override;
  double match_cost() const override { return match_cost_; }
  uint64_t cost() const override { return lead_->cost(); }
  double score() override;
  double max_score() const override { return max_score_; }
  uint32_t advance_shallow(uint32_t target) override;
  double max_score_up_to(uint32_t upto) override;
  void set_min_competitive_score(double min) override;
  bool exact_bounds() const override { return exact_bounds_; }

  // The clauses, in query order.
  const std::vector<ScorerPtr>& clauses() const { return clauses_; }

 private:
  template <class Cursor>
  uint32_t leapfrog_over(Cursor* lead, const std::vector<Cursor*>& followers, uint32_t target);
  uint32_t leapfrog(uint32_t target);
  // Counts whether the first scoring follower agreed with the lead.
  void note_agreement(bool agreed);
  // The lead's score at its document (a term's, from its cursor).
  double lead_score(Scorer* lead);
  double lead_score(PostingCursor* lead);
  uint32_t leapfrog_terms(uint32_t target);
  // With a competitive minimum: the first target >= `target` in a window
  // whose bound can reach it (kEnd if none).
  uint32_t competitive_target(uint32_t target);

  std::vector<ScorerPtr> clauses_;  // query order (the order of the score sum)
  Scorer* lead_ = nullptr;          // the cheapest
  std::vector<Scorer*> followers_;  // the others: those that do not score first, each part by cost
  size_t filters_ = 0;              // followers_ that do not score
  // The lead's score is checked after the first scoring follower when that
  // one agreed with fewer than a quarter of the last sample of documents.
  static constexpr uint32_t kAgreementSample = 128;
  bool check_late_ = false;
  uint32_t visits_ = 0, agreements_ = 0;
  std::vector<Scorer*> two_phase_;  // inexact clauses, by match cost
  // Terms only: the clauses as TermScorers and their cursors, lead first.
  std::vector<class TermScorer*> terms_;
  std::vector<PostingCursor*> cursors_;
  std::vector<PostingCursor*> cursor_followers_;  // cursors_ but the lead
  class TermScorer* lead_term_ = nullptr;          // terms_[0]
  bool lead_scores_ = false;                       // lead_ is a scoring clause
  double match_cost_ = 0;
  double max_score_ = 0;
  double min_score_ = 0;
  std::vector<Scorer*> scoring_;  // clauses that can score (their bounds matter)
  uint32_t up_to_ = 0;             // the current bound window ends here...
  double window_max_ = 0;          // ...and its documents score at most this,
  double others_max_ = 0;          // the clauses but the lead at most this
  bool window_valid_ = false;
  // Windows in a row that could not compete; from kFailedWindowsBeforeWide
  // on, a wide window is tried first (competitive_target).
  static constexpr uint32_t kFailedWindowsBeforeWide = 4;
  uint32_t failed_windows_ = 0;
  bool exact_bounds_ = false;  // every scoring clause's are
};

}  // namespace dateline
