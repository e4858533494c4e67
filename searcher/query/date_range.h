// Articles dated within [lo, hi] (date:), from the date column: blocks of
// the column whose least and greatest dates miss the range are skipped
// without reading their documents. No score (a filter).
#pragma once

#include <vector>

#include "indexer/segment_reader.h"
#include "searcher/query/scorer.h"

namespace dateline {

// The documents of the date-column blocks whose dates may fall in [lo, hi]:
// what reading the range from the column costs.
uint64_t date_range_cost(const std::vector<SegmentReader::DateBlock>& blocks, DayNumber lo, DayNumber hi);

// How many documents are dated within [lo, hi]: the live ones, counted
// from the segment's days (SegmentReader::count_dated), or when it cannot
// count them, date_range_cost(). What iterating the range visits.
uint64_t date_range_matches(const SegmentReader& seg, DayNumber lo, DayNumber hi);

// The documents base .. end - 1 (base a multiple of 64, end - base at most
// 64 * words) dated within [lo, hi], as bits of `bits` (bit i of word w:
// document base + 64 w + i); the words up to `words` are cleared first.
// Blocks of the column that cannot match are not read; whole words go
// through the SIMD kernel (common/range_bits.h). Returns whether any is set.
bool date_range_bits(const SegmentReader& seg, DayNumber lo, DayNumber hi, uint32_t base, uint32_t end, uint32_t words,
                     uint64_t* bits);

// The documents of a segment dated within [lo, hi], a window of bits at a
// time. When the range holds few of the segment's documents (dates spread
// over the segment, as in an archive indexed out of date order) they are
// set in a bitset of the whole segment from its documents sorted by date
// (SegmentReader::docs_dated), so that a window is a copy; otherwise each
// window is read from the date column (date_range_bits).
class DateRangeBits {
 public:
  DateRangeBits(const SegmentReader& seg, DayNumber lo, DayNumber hi);
  // date_range_bits()'s contract.
  bool fill(uint32_t base, uint32_t end, uint32_t words, uint64_t* bits) const;
  // How many documents are in the range (date_range_matches()).
  uint64_t matches() const { return matches_; }
  // The documents (or bitset words) that filling every window reads.
  uint64_t fill_cost() const { return fill_cost_; }

 private:
  const SegmentReader& seg_;
  DayNumber lo_, hi_;
  std::vector<uint64_t> all_;  // the bitset, when the range is sparse
  uint64_t matches_, fill_cost_;
};

class DateRangeScorer final : public Scorer {
 public:
  DateRangeScorer(const SegmentReader& seg, DayNumber lo, DayNumber hi);

  uint32_t next() override { return doc_ == kEnd ? kEnd : seek(doc_ + 1); }
  uint32_t advance(uint32_t target) override { return doc_ != kEnd && doc_ >= target ? doc_ : seek(target); }
  uint64_t cost() const override { return range_.matches(); }
  double score() override { return 0; }
  double max_score() const override { return 0; }

 private:
  // The column is read a window of kWindowDocs at a time into bits, which
  // next() and advance() then walk a word at a time.
  static constexpr uint32_t kWindowDocs = 4096, kWindowWords = kWindowDocs / 64;
  uint32_t seek(uint32_t target);

  DateRangeBits range_;
  uint32_t docs_;
  uint32_t window_ = UINT32_MAX;  // the window in bits_ (its first document / kWindowDocs)
  uint64_t bits_[kWindowWords];
};

}  // namespace dateline
