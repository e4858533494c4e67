// Articles dated within [lo, hi] (date:), from the date column: blocks of
// the column whose least and greatest dates miss the range are skipped
// without reading their documents. No score (a filter).
#pragma once

#include "indexer/segment_reader.h"
#include "searcher/query/scorer.h"

namespace dateline {

// The documents of the date-column blocks whose dates may fall in [lo, hi]:
// what reading the range from the column costs.
uint64_t date_range_cost(const std::vector<SegmentReader::DateBlock>& blocks, DayNumber lo, DayNumber hi);

class DateRangeScorer final : public Scorer {
 public:
  DateRangeScorer(const SegmentReader& seg, DayNumber lo, DayNumber hi);

  uint32_t next() override { return doc_ == kEnd ? kEnd : seek(doc_ + 1); }
  uint32_t advance(uint32_t target) override { return doc_ != kEnd && doc_ >= target ? doc_ : seek(target); }
  uint64_t cost() const override { return cost_; }
  double score() override { return 0; }
  double max_score() const override { return 0; }

 private:
  uint32_t seek(uint32_t target);

  const int32_t* dates_;
  const std::vector<SegmentReader::DateBlock>& blocks_;
  uint32_t docs_;
  DayNumber lo_, hi_;
  uint64_t cost_;
};

}  // namespace dateline
