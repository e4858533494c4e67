#include "searcher/query/date_range.h"

#include <algorithm>

namespace dateline {

DateRangeScorer::DateRangeScorer(const SegmentReader& seg, DayNumber lo, DayNumber hi)
    : dates_(seg.dates()), blocks_(seg.date_blocks()), docs_(seg.docs()), lo_(lo), hi_(hi) {
  // The cost: the documents of the blocks that may match.
  for (const auto& b : blocks_)
    if (b.min <= hi_ && b.max >= lo_) cost_ += SegmentReader::kDateBlockDocs;
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
