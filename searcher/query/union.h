// Documents any clause matches (OR). The score is the sum, in query order,
// of the clauses that match the document.
//
// At the root, once told a competitive minimum, it runs block-max MaxScore
// (Turtle and Flood 1995; Lucene's MaxScoreBulkScorer): documents are taken
// in windows that end where an essential clause's score window
// (advance_shallow) ends;
// in each, the clauses are sorted by their bound over the window; the
// weakest ones, whose bounds together cannot reach the minimum, stop
// proposing documents and are only probed, strongest first, for documents
// the others propose; a window where no clause set can reach it is skipped
// whole, and a candidate is dropped as soon as its partial score and the
// bounds left cannot reach the minimum. next() then returns only documents
// that may reach it, with the same scores as without pruning. With one
// essential clause left, a term, its block's documents in the window are
// scored in one loop and only those that can still reach the minimum are
// probed (Lucene's bulk scoring of the essential clauses).
#pragma once

#include <vector>

#include "searcher/query/scorer.h"

namespace dateline {

class Union final : public Scorer {
 public:
  // Two or more clauses, in query order.
  explicit Union(std::vector<ScorerPtr> clauses);

  uint32_t next() override;
  uint32_t advance(uint32_t target) override;
  bool matches() override;
  double match_cost() const override { return match_cost_; }
  uint64_t cost() const override { return cost_; }
  double score() override;
  double max_score() const override { return max_score_; }
  uint32_t advance_shallow(uint32_t target) override;
  double max_score_up_to(uint32_t upto) override;
  void set_min_competitive_score(double min) override;

 private:
  // Positions every clause below `target` on its first document >= target.
  uint32_t advance_all(uint32_t target);
  // MaxScore: the first document >= target that may reach min_score_; on
  // the clauses as TermScorers when they all are (no virtual call per
  // document), else as Scorers.
  uint32_t next_competitive(uint32_t target);
  template <class Clause>
  uint32_t next_competitive_over(const std::vector<Clause*>& clauses, uint32_t target);
  // Probes the non-essential clauses, strongest first, for candidate d
  // whose essential clauses scored `partial` (any: one of them matched),
  // while it can still reach the minimum; true when it may.
  template <class Clause>
  bool probe_non_essential(const std::vector<Clause*>& clauses, uint32_t d, double partial, bool any);
  // With one essential clause, a term: its current block's documents in
  // the window scored at once (TermScorer::next_block_upto) into bulk_*,
  // then taken from there; false when that does not apply.
  bool fill_bulk(uint32_t target);
  // The next buffered candidate >= target that may reach the minimum.
  uint32_t drain_bulk(uint32_t target);
  // Fills at_[]/scores_[] for doc_ (the clauses that match it, their scores).
  void score_clauses();
  // Bounds, order and essential clauses for the window from `target`.
  void set_window(uint32_t target);

  std::vector<ScorerPtr> clauses_;  // query order
  std::vector<Scorer*> scorers_;    // the same, as pointers
  std::vector<class TermScorer*> terms_;  // the same when all are terms, else empty
  std::vector<size_t> by_bound_;    // clause indexes by their bound in the window, ascending
  std::vector<double> bound_;       // per clause: its bound in the window
  std::vector<uint32_t> shallow_end_;  // per clause: where its score window from the window's start ends
  std::vector<double> below_;       // below_[i]: summed bounds of by_bound_[0..i)
  uint32_t window_end_ = 0;         // the current window's last document
  bool window_valid_ = false;
  size_t non_essential_ = 0;        // by_bound_[0..non_essential_) only probed
  double min_score_ = 0;
  // For the current document: which clauses match it, and their scores.
  uint32_t scored_doc_ = kEnd;
  std::vector<uint32_t> at_;  // not char: its stores would alias every member
  std::vector<double> scores_;
  // The one essential term's block, scored (fill_bulk): entries
  // bulk_at_..bulk_n_ are still to be looked at; bulk_clause_ is its index.
  uint32_t bulk_docs_[kMaxBlock];
  double bulk_scores_[kMaxBlock];
  uint32_t bulk_at_ = 0, bulk_n_ = 0;
  size_t bulk_clause_ = 0;
  double match_cost_ = 0;
  uint64_t cost_ = 0;
  double max_score_ = 0;
};

}  // namespace dateline
