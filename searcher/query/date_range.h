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

// The documents base .. end - 1 (base a multiple of 64, end - base at most
// 64 * words) dated within [lo, hi], as bits of `bits` (bit i of word w:
// document base + 64 w + i); the words up to `words` are cleared first.
// Blocks of the column that cannot match are not read; whole words go
// through the SIMD kernel (common/range_bits.h). Returns whether any is set.
bool date_range_bits(const SegmentReader& seg, DayNumber lo, DayNumber hi, uint32_t base, uint32_t end, uint32_t words,
                     uint64_t* bits);

class DateRangeScorer final : public Scorer {
 public:
  DateRangeScorer(const SegmentReader& seg, DayNumber lo, DayNumber hi);

  uint32_t next() override { return doc_ == kEnd ? kEnd : seek(doc_ + 1); }
  uint32_t advance(uint32_t target) override { return doc_ != kEnd && doc_ >= target ? doc_ : seek(target); }
  uint64_t cost() const override { return cost_; }
  double score() override { return 0; }
  double max_score() const override { return 0; }

 private:
  // The column is read a window of kWindowDocs at a time into bits, which
  // next() and advance() then walk a word at a time.
  static constexpr uint32_t kWindowDocs = 4096, kWindowWords = kWindowDocs / 64;
  uint32_t seek(uint32_t target);

  const SegmentReader& seg_;
  uint32_t docs_;
  DayNumber lo_, hi_;
  uint64_t cost_;
  uint32_t window_ = UINT32_MAX;  // the window in bits_ (its first document / kWindowDocs)
  uint64_t bits_[kWindowWords];
};

}  // namespace dateline
