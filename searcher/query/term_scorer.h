// One term's postings as a scorer: BM25 of the term's frequency, or no score
// (a term that only filters, e.g. under NOT). At the root of a tree, told a
// competitive minimum, it skips whole posting blocks whose impacts bound
// every document below it, without decoding them (block-max), and whole
// groups of 16 blocks by the group's impacts, without reading their skip
// entries.
#pragma once

#include <vector>

#include "indexer/posting_cursor.h"
#include "searcher/bm25.h"
#include "searcher/query/scorer.h"

namespace dateline {

class TermScorer final : public Scorer {
 public:
  // `lengths`: the segment's text-length column. idf <= 0 makes a
  // non-scoring term (score 0, frequencies never decoded).
  TermScorer(PostingCursor cursor, double idf, const Bm25Scorer& bm25, const uint32_t* lengths);

  uint32_t next() override;
  uint32_t advance(uint32_t target) override {
    cursor_.advance(target);
    return doc_ = cursor_.doc();
  }
  uint64_t cost() const override { return cursor_.df(); }
  double score() override { return score_at(doc_); }
  double max_score() const override { return max_score_; }
  uint32_t advance_shallow(uint32_t target) override;
  // The group of blocks holding target, bounded by its group impacts.
  uint32_t advance_shallow_wide(uint32_t target) override;
  double max_score_wide() override;
  double max_score_up_to(uint32_t upto) override;
  void set_min_competitive_score(double min) override { min_score_ = min; }
  bool scores_blocks() const override { return idf_ > 0; }
  bool exact_bounds() const override { return true; }
  uint32_t next_block(uint32_t* docs, double* scores) override { return next_block_upto(docs, scores, kEnd); }
  // next_block() for the block's matches up to `upto` only: the cursor then
  // stands on the block's next one (or the next block's first).
  uint32_t next_block_upto(uint32_t* docs, double* scores, uint32_t upto);

  // The postings, for positional checks (a phrase reads positions here),
  // and for operators that move them directly (a conjunction of terms);
  // they then call sync() to make doc() follow.
  PostingCursor& cursor() { return cursor_; }
  void sync() { doc_ = cursor_.doc(); }
  // score() of the cursor's document (before sync()).
  double cursor_score() const { return score_at(cursor_.doc()); }

 private:
  // The score of `doc`, the cursor's document.
  double score_at(uint32_t doc) const { return idf_ > 0 ? bm25_.score(idf_, cursor_.freq(), lengths_[doc]) : 0.0; }
  // Block b's score bound from its impacts, group g's from its (computed once).
  double block_bound(size_t b);
  double group_bound(size_t g);
  // Entry i of `cache` (count entries, NaN until computed): the bound of the
  // impacts that impacts_of gives for i.
  using ImpactsOf = uint32_t (PostingCursor::*)(size_t, Impact*);
  double cached_bound(std::vector<double>& cache, size_t count, size_t i, ImpactsOf impacts_of);
  // The first block from b on that may hold a document scoring above
  // min_score_ (block_count() if none).
  size_t next_competitive_block(size_t b);

  PostingCursor cursor_;
  std::vector<double> block_bounds_;  // NaN until computed
  std::vector<double> group_bounds_;  // the same
  size_t shallow_block_ = 0;          // the block advance_shallow() last found
  size_t wide_group_ = 0;             // the group advance_shallow_wide() last found
  double idf_;
  const Bm25Scorer& bm25_;
  const uint32_t* lengths_;
  double max_score_ = 0;
  double min_score_ = 0;
};

// The best BM25 score of any (frequency, length) pair that the impacts bound.
double impacts_bound(const Bm25Scorer& bm25, const Impact* impacts, uint32_t n, double idf);

}  // namespace dateline
