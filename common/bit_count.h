// Counting the set bits of a run of 64-bit words: the last step of bitset
// counting (searcher/query/window_count.h). A portable build has no popcnt
// instruction (std::popcount becomes a call into libgcc), so count_bits()
// runs the best target the CPU has (Highway's run-time dispatch, as
// common/range_bits.h) and reference_count_bits() is the plain definition it
// is tested against.
#pragma once

#include <cstdint>

namespace dateline {

// The number of bits set in bits[0..words) and, when `excluded` is not
// null, clear in excluded[0..words) (the deleted documents of a segment).
uint64_t count_bits(const uint64_t* bits, const uint64_t* excluded, uint32_t words);
uint64_t reference_count_bits(const uint64_t* bits, const uint64_t* excluded, uint32_t words);

}  // namespace dateline
