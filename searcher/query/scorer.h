// The cursor every query operator is: a two-phase doc-id iterator with a
// score and score bounds (tantivy's DocSet + Scorer, Lucene's
// TwoPhaseIterator and impacts, PISA's cursors).
//
// Iteration is over an *approximation* of the match set, in ascending doc
// order: next() and advance() move to its next document; matches() then
// says whether the current one really matches. An operator whose
// approximation is exact (terms, their unions and intersections) answers
// matches() with true without work; a phrase's approximation is the
// conjunction of its words, and matches() reads positions, so a conjunction
// that holds a phrase checks positions only for the documents every other
// clause agrees on.
//
// A new scorer is positioned on its first document (kEnd if none).
//
// Scores: score() is the document's score under this operator, valid once
// matches() returned true for the current document. Every operator sums
// its clauses' scores in the order the query gives them, whatever order it
// iterates them in, so a pruned path and exhaustive scoring give
// bit-identical scores. max_score() bounds score() over every document.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace dateline {

class Scorer {
 public:
  static constexpr uint32_t kEnd = UINT32_MAX;

  virtual ~Scorer() = default;

  // The current document of the approximation; kEnd once exhausted.
  uint32_t doc() const { return doc_; }
  // Moves to the approximation's next document and returns it.
  virtual uint32_t next() = 0;
  // Moves to the approximation's first document >= target and returns it;
  // a no-op when doc() >= target already.
  virtual uint32_t advance(uint32_t target) = 0;
  // Whether the current document really matches (the second phase).
  virtual bool matches() { return true; }
  // True when matches() is always true (the approximation is exact).
  bool exact() const { return exact_; }
  // A relative cost of one matches() call (0 for exact scorers), so that a
  // conjunction checks its cheapest clauses first.
  virtual double match_cost() const { return 0; }
  // How many documents the approximation may visit (at most).
  virtual uint64_t cost() const = 0;

  // The current document's score: its score if it matches, so it may be
  // asked before matches() (a pruning collector rejects by score before
  // reading positions).
  virtual double score() = 0;
  // An upper bound of score() over all documents.
  virtual double max_score() const = 0;
  // Block-max bounds (Lucene's advanceShallow and getMaxScore(upTo)):
  // advance_shallow(target) moves the scorer's bound window, not doc(), to
  // the one holding `target` (target >= doc()) and returns the window's last
  // document; max_score_up_to(upto) then bounds score() over the documents
  // from that target to `upto`. Defaults: one window for every document,
  // bounded by max_score().
  virtual uint32_t advance_shallow(uint32_t target) {
    (void)target;
    return kEnd - 1;
  }
  virtual double max_score_up_to(uint32_t upto) {
    (void)upto;
    return max_score();
  }
  // A wider window than advance_shallow()'s, whose bound is one cheap
  // number (a term's group of blocks, from its group index), for skipping
  // long runs that cannot compete a group at a time: returns its last
  // document; max_score_wide() then bounds score() over all of it.
  // Defaults: the whole scorer, max_score().
  virtual uint32_t advance_shallow_wide(uint32_t target) {
    (void)target;
    return kEnd - 1;
  }
  virtual double max_score_wide() { return max_score(); }
  // Told by the collector once only documents scoring more than `min` can
  // enter the results (one scoring `min` ties the worst kept hit and loses:
  // documents come in (segment, doc) order and ties go to the earlier): the
  // scorer may then skip documents it can prove score at most `min`. Only
  // the root of a scorer tree is told (a clause's score is only part of a
  // document's), and `min` never decreases.
  virtual void set_min_competitive_score(double min) { (void)min; }
  // True when the bounds above are exact in floating point: never below a
  // score they bound, as computed (a term's, from its impacts by the same
  // formula; a conjunction of such clauses, summed in the same order as its
  // scores, rounding being monotonic). Such a bound equal to the minimum
  // proves that nothing under it can enter (cannot_enter below); others get
  // a slack for rounding.
  virtual bool exact_bounds() const { return false; }

  // Block-at-a-time scoring, for a scorer that can do it cheaper than one
  // document at a time (a term: its postings blocks, scored in one loop).
  // When scores_blocks() is true, next_block() gives the matches from the
  // current document to the end of a block (at most kMaxBlock) with their
  // scores, as score() would give them, and moves past them, skipping what
  // cannot reach the competitive minimum; it returns 0 at the end.
  static constexpr uint32_t kMaxBlock = 128;
  virtual bool scores_blocks() const { return false; }
  virtual uint32_t next_block(uint32_t* docs, double* scores) {
    (void)docs;
    (void)scores;
    return 0;
  }

 protected:
  explicit Scorer(bool exact = true) : exact_(exact) {}
  uint32_t doc_ = kEnd;

 private:
  bool exact_;
};

using ScorerPtr = std::unique_ptr<Scorer>;

// Relative slack on score bounds, so floating-point rounding can never let a
// bound skip a document that would have entered the results.
inline constexpr double kBoundSlack = 1e-9;

// True when a bound proves that no document under it reaches `min`.
inline bool below_competitive(double bound, double min) { return bound * (1 + kBoundSlack) < min; }

// True when a bound proves that no document under it can enter the results
// of a collector that published `min` (set_min_competitive_score): an exact
// bound (Scorer::exact_bounds) at most `min`, any other below it with slack.
inline bool cannot_enter(double bound, double min, bool exact) {
  return exact ? bound <= min : below_competitive(bound, min);
}

// True when every clause is exact (so is their conjunction or union).
inline bool all_exact(const std::vector<ScorerPtr>& clauses) {
  for (const auto& c : clauses)
    if (!c->exact()) return false;
  return true;
}

}  // namespace dateline
