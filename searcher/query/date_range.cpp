#include "searcher/query/date_range.h"

#include <algorithm>

namespace dateline {

uint64_t date_range_cost(const std::vector<SegmentReader::DateBlock>& blocks, DayNumber lo, DayNumber hi) {
  uint64_t cost = 0;
  for (const auto& b : blocks)
    if (b.min <= hi && b.max >= lo) cost += SegmentReader::kDateBlockDocs;
  return cost;
}

DateRangeScorer::DateRangeScorer(const SegmentReader& seg, DayNumber lo, DayNumber hi)
    : dates_(seg.dates()), blocks_(seg.date_blocks()), docs_(seg.docs()), lo_(lo), hi_(hi),
      cost_(date_range_cost(blocks_, lo, hi)) {
  seek(0);
}

uint32_t DateRangeScorer::seek(uint32_t d) {
  constexpr uint32_t kBlock = SegmentReader::kDateBlockDocs;
  while (d < docs_) {
    const auto& b = blocks_[d / kBlock];
    if (b.min > hi_ || b.max < lo_) {
      d = (d / kBlock + 1) * kBlock;
      continue;
    }
    const uint32_t end = std::min(docs_, (d / kBlock + 1) * kBlock);
    for (; d < end; ++d) {
      const DayNumber v = dates_[d];
      if (v != kNoDate && v >= lo_ && v <= hi_) return doc_ = d;
    }
  }
  return doc_ = kEnd;
}

}  // namespace dateline
