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

double TermScorer::cached_bound(std::vector<double>& cache, size_t count, size_t i, ImpactsOf impacts_of) {
  if (idf_ <= 0) return 0;
  if (cache.empty()) cache.assign(count, std::nan(""));
  double& bound = cache[i];
  if (std::isnan(bound)) {
    Impact impacts[format::kMaxImpacts];
    bound = impacts_bound(bm25_, impacts, (cursor_.*impacts_of)(i, impacts), idf_);
  }
  return bound;
}

double TermScorer::block_bound(size_t b) {
  return cached_bound(block_bounds_, cursor_.block_count(), b, &PostingCursor::block_impacts);
}

double TermScorer::group_bound(size_t g) {
  return cached_bound(group_bounds_, cursor_.group_count(), g, &PostingCursor::group_impacts);
}

size_t TermScorer::next_competitive_block(size_t b) {
  const size_t n = cursor_.block_count();
  while (b < n) {
    const size_t g = b / format::kSkipGroup;
    if (cursor_.group_count() > 1 && cannot_enter(group_bound(g), min_score_, true)) {
      b = (g + 1) * format::kSkipGroup;  // the whole group, its skip entries unread
      continue;
    }
    if (!cannot_enter(block_bound(b), min_score_, true)) break;
    ++b;
  }
  return std::min(b, n);
}

uint32_t TermScorer::advance_shallow(uint32_t target) {
  if (cursor_.doc() == PostingCursor::kEnd) return kEnd - 1;
  shallow_block_ = cursor_.block_at(target, std::max(shallow_block_, cursor_.block_index()));
  if (shallow_block_ >= cursor_.block_count()) return kEnd - 1;
  return cursor_.block_last_doc(shallow_block_);
}

uint32_t TermScorer::advance_shallow_wide(uint32_t target) {
  const uint32_t end = advance_shallow(target);
  if (end == kEnd - 1) return end;
  wide_group_ = shallow_block_ / format::kSkipGroup;
  return wide_group_ + 1 < cursor_.group_count() ? cursor_.group_last_doc_before(wide_group_ + 1)
                                                 : cursor_.block_last_doc(cursor_.block_count() - 1);
}

double TermScorer::max_score_wide() {
  if (idf_ <= 0 || cursor_.doc() == PostingCursor::kEnd) return 0;
  return cursor_.group_count() > 1 ? group_bound(wide_group_) : max_score_;
}

double TermScorer::max_score_up_to(uint32_t upto) {
  if (idf_ <= 0 || cursor_.doc() == PostingCursor::kEnd) return 0;
  double best = 0;
  // Block by block to the end of the first block's group; then group by
  // group from the group index (reading every block's impacts on the way
  // would read every group of skip entries that the group index lets
  // advance() jump over: a rare word's window over "of"); a range over more
  // than kMaxGroups groups gets the whole term's bound.
  constexpr size_t kMaxGroups = 8;
  const size_t n = cursor_.block_count();
  size_t b = shallow_block_;
  for (const size_t end = std::min(n, (b / format::kSkipGroup + 1) * format::kSkipGroup); b < end; ++b) {
    best = std::max(best, block_bound(b));
    if (cursor_.block_last_doc(b) >= upto) return best;
  }
  if (b >= n) return best;
  const size_t groups = cursor_.group_count();
  for (size_t g = b / format::kSkipGroup; g < groups && g < b / format::kSkipGroup + kMaxGroups; ++g) {
    best = std::max(best, group_bound(g));
    if (g + 1 == groups || cursor_.group_last_doc_before(g + 1) >= upto) return best;
  }
  return max_score_;
}

uint32_t TermScorer::next_block_upto(uint32_t* docs, double* scores, uint32_t upto) {
  if (cursor_.doc() == PostingCursor::kEnd) return 0;
  const uint32_t from = cursor_.block_position(), length = cursor_.block_length();
  const uint32_t* block_docs = cursor_.block_docs() + from;
  const bool whole = cursor_.block_docs()[length - 1] <= upto;
  const uint32_t n = whole ? length - from
                           : static_cast<uint32_t>(std::upper_bound(block_docs, block_docs + (length - from), upto) -
                                                   block_docs);
  const uint32_t* freqs = cursor_.block_freqs() + from;
  const Bm25Scorer bm25 = bm25_;  // a local: the stores below cannot change it
  const double idf = idf_;
  for (uint32_t i = 0; i < n; ++i) {
    docs[i] = block_docs[i];
    scores[i] = bm25.score(idf, freqs[i], lengths_[block_docs[i]]);
  }
  if (whole) {
    const size_t next = cursor_.block_index() + 1;
    cursor_.seek_block(min_score_ > 0 ? next_competitive_block(next) : next);
  } else {
    cursor_.advance(block_docs[n]);  // in the block
  }
  doc_ = cursor_.doc();
  return n;
}

uint32_t TermScorer::next() {
  if (min_score_ > 0 && cursor_.at_block_end() && cursor_.doc() != PostingCursor::kEnd) {
    // Leaving a block: skip the blocks that cannot reach the minimum.
    cursor_.seek_block(next_competitive_block(cursor_.block_index() + 1));
  } else {
    cursor_.next();
  }
  return doc_ = cursor_.doc();
}

}  // namespace dateline
