#include "searcher/query/term_scorer.h"

#include <algorithm>

#include "indexer/format.h"

namespace dateline {

double impacts_bound(const Bm25Scorer& bm25, const Impact* impacts, uint32_t n, double idf) {
  // The score grows with the frequency and shrinks with the length.
  double best = 0;
  for (uint32_t i = 0; i < n; ++i) best = std::max(best, bm25.score(idf, impacts[i].freq, impacts[i].length));
  return best;
}

TermScorer::TermScorer(PostingCursor cursor, double idf, const Bm25Scorer& bm25, const uint32_t* lengths)
    : cursor_(std::move(cursor)), idf_(idf), bm25_(bm25), lengths_(lengths) {
  doc_ = cursor_.doc();
  if (idf_ > 0) {
    Impact impacts[format::kMaxImpacts];
    max_score_ = impacts_bound(bm25_, impacts, cursor_.term_impacts(impacts), idf_);
  }
}

double TermScorer::block_bound(size_t b) {
  Impact impacts[format::kMaxImpacts];
  return impacts_bound(bm25_, impacts, cursor_.block_impacts(b, impacts), idf_);
}

uint32_t TermScorer::next() {
  if (min_score_ > 0 && cursor_.at_block_end() && cursor_.doc() != PostingCursor::kEnd) {
    // Leaving a block: skip the blocks that cannot reach the minimum.
    size_t b = cursor_.block_index() + 1;
    while (b < cursor_.block_count() && below_competitive(block_bound(b), min_score_)) ++b;
    cursor_.seek_block(b);
  } else {
    cursor_.next();
  }
  return doc_ = cursor_.doc();
}

}  // namespace dateline
