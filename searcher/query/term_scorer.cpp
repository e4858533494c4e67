#include "searcher/query/term_scorer.h"

#include <algorithm>
#include <cmath>

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
  if (idf_ <= 0) return 0;
  if (block_bounds_.empty()) block_bounds_.assign(cursor_.block_count(), std::nan(""));
  double& bound = block_bounds_[b];
  if (std::isnan(bound)) {
    Impact impacts[format::kMaxImpacts];
    bound = impacts_bound(bm25_, impacts, cursor_.block_impacts(b, impacts), idf_);
  }
  return bound;
}

uint32_t TermScorer::advance_shallow(uint32_t target) {
  if (cursor_.doc() == PostingCursor::kEnd) return kEnd - 1;
  shallow_block_ = cursor_.block_at(target, std::max(shallow_block_, cursor_.block_index()));
  if (shallow_block_ >= cursor_.block_count()) return kEnd - 1;
  return cursor_.block_last_doc(shallow_block_);
}

double TermScorer::max_score_up_to(uint32_t upto) {
  if (idf_ <= 0 || cursor_.doc() == PostingCursor::kEnd) return 0;
  double best = 0;
  // A range over more than a group of blocks gets the whole term's bound:
  // reading every block's impacts on the way would read every group of
  // skip entries that the group index lets advance() jump over (a rare
  // word's window over "of"), for a bound hardly tighter.
  const size_t last = std::min(cursor_.block_count(), shallow_block_ + format::kSkipGroup);
  for (size_t b = shallow_block_; b < last; ++b) {
    best = std::max(best, block_bound(b));
    if (cursor_.block_last_doc(b) >= upto) return best;
  }
  return last < cursor_.block_count() ? max_score_ : best;
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
