// A column of 32-bit values compared with a range, 64 values to a word of
// bits: the date filter of bitset counting (searcher/query/window_count.h).
// range_bits() runs the best SIMD target the CPU has (Highway's run-time
// dispatch, as common/bit_packing.h); reference_range_bits() is the scalar
// definition it is tested against.
#pragma once

#include <cstdint>

namespace dateline {

// For each of the `words` words of out: bit i of out[w] is set when
// lo <= values[64 * w + i] <= hi (reads 64 * words values; lo > INT32_MIN).
void range_bits(const int32_t* values, uint32_t words, int32_t lo, int32_t hi, uint64_t* out);
void reference_range_bits(const int32_t* values, uint32_t words, int32_t lo, int32_t hi, uint64_t* out);

}  // namespace dateline
