#include "searcher/query/date_range.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "common/range_bits.h"

namespace dateline {

uint64_t date_range_cost(const std::vector<SegmentReader::DateBlock>& blocks, DayNumber lo, DayNumber hi) {
  uint64_t cost = 0;
  for (const auto& b : blocks)
    if (b.min <= hi && b.max >= lo) cost += SegmentReader::kDateBlockDocs;
  return cost;
}

uint64_t date_range_matches(const SegmentReader& seg, DayNumber lo, DayNumber hi) {
  const int64_t n = seg.count_dated(lo, hi);
  return n >= 0 ? static_cast<uint64_t>(n) : date_range_cost(seg.date_blocks(), lo, hi);
}

bool date_range_bits(const SegmentReader& seg, DayNumber lo, DayNumber hi, uint32_t base, uint32_t end, uint32_t words,
                     uint64_t* bits) {
  constexpr uint32_t kBlock = SegmentReader::kDateBlockDocs;
  static_assert(kBlock % 64 == 0);
  const int32_t* dates = seg.dates();
  const auto& blocks = seg.date_blocks();
  std::memset(bits, 0, words * sizeof(uint64_t));
  bool any = false;
  for (uint32_t b = base; b < end; b += kBlock) {
    const auto& blk = blocks[b / kBlock];
    if (blk.min > hi || blk.max < lo) continue;
    const uint32_t stop = std::min(end, b + kBlock);
    // Whole words with the SIMD kernel (kNoDate is below any lo), then
    // the segment's last few documents one by one.
    const uint32_t whole = (stop - b) / 64;
    uint64_t* out = bits + (b - base) / 64;
    range_bits(dates + b, whole, std::max(lo, kNoDate + 1), hi, out);
    for (uint32_t w = 0; w < whole; ++w) any |= out[w] != 0;
    if (const uint32_t d = b + whole * 64; d < stop) {
      uint64_t w = 0;
      for (uint32_t i = 0; i < stop - d; ++i) {
        const DayNumber v = dates[d + i];
        w |= uint64_t{v != kNoDate && v >= lo && v <= hi} << i;
      }
      out[whole] = w;
      any |= w != 0;
    }
  }
  return any;
}

namespace {

// A range of at most this share of the segment's documents (1/kSparseShare)
// gets its bitset built: setting its bits and copying a window's words
// costs less than reading the window's dates.
constexpr uint64_t kSparseShare = 4;

}  // namespace

DateRangeBits::DateRangeBits(const SegmentReader& seg, DayNumber lo, DayNumber hi)
    : seg_(seg), lo_(lo), hi_(hi), matches_(date_range_matches(seg, lo, hi)),
      fill_cost_(date_range_cost(seg.date_blocks(), lo, hi)) {
  if (matches_ * kSparseShare > seg.docs()) return;
  const auto docs = seg.docs_dated(lo, hi);
  if (!docs) return;
  all_.assign((uint64_t{seg.docs()} + 63) / 64, 0);
  for (const uint32_t d : *docs) all_[d / 64] |= uint64_t{1} << (d % 64);
  fill_cost_ = all_.size();
}

bool DateRangeBits::fill(uint32_t base, uint32_t end, uint32_t words, uint64_t* bits) const {
  if (all_.empty()) return date_range_bits(seg_, lo_, hi_, base, end, words, bits);
  std::memset(bits, 0, words * sizeof(uint64_t));
  const size_t first = base / 64, last = (uint64_t{end} + 63) / 64;  // words [first, last) of all_
  uint64_t any = 0;
  for (size_t w = first; w < last; ++w) any |= bits[w - first] = all_[w];
  if (end % 64) bits[last - 1 - first] &= (uint64_t{1} << (end % 64)) - 1;
  return any != 0;
}

DateRangeScorer::DateRangeScorer(const SegmentReader& seg, DayNumber lo, DayNumber hi)
    : range_(seg, lo, hi), docs_(seg.docs()) {
  seek(0);
}

uint32_t DateRangeScorer::seek(uint32_t d) {
  while (d < docs_) {
    const uint32_t window = d / kWindowDocs, base = window * kWindowDocs;
    if (window != window_) {
      window_ = window;
      if (!range_.fill(base, std::min(docs_, base + kWindowDocs), kWindowWords, bits_)) {
        d = base + kWindowDocs;
        continue;
      }
    }
    uint32_t w = (d - base) / 64;
    uint64_t word = bits_[w] & (~uint64_t{0} << (d % 64));
    for (;;) {
      if (word) return doc_ = base + w * 64 + static_cast<uint32_t>(std::countr_zero(word));
      if (++w == kWindowWords) break;
      word = bits_[w];
    }
    d = base + kWindowDocs;
  }
  return doc_ = kEnd;
}

}  // namespace dateline
