// Bit packing of 128 unsigned 32-bit values at a fixed width, in the
// vertical layout of SIMD-BP128 (Lemire and Boytsov, "Decoding billions of
// integers per second through vectorization", 2015): value i lives in lane
// i % 4 of 128-bit words, each lane a little-endian bit stream of the values
// i % 4, i % 4 + 4, ... at `bits` bits each. 128 values at width b take b
// words of 16 bytes, whatever the vector width of the machine, so the bytes
// on disk do not depend on the CPU.
//
// unpack_block() runs the best SIMD target the CPU has (Highway's run-time
// dispatch: SSE4, AVX2, NEON, ...; release builds stay baseline); its
// results are those of reference_unpack_block(), the scalar definition.
#pragma once

#include <cstdint>

namespace dateline {

constexpr uint32_t kPackedValues = 128;

// Bytes that 128 values at `bits` bits occupy: 16 * bits.
constexpr uint32_t packed_bytes(uint32_t bits) { return 16 * bits; }

// The width the largest of `values` needs (0 when all are 0).
uint32_t max_bits(const uint32_t* values, uint32_t n);

// Packs the low `bits` bits (0..32) of values[0..127] into out[0..4*bits).
void pack_block(const uint32_t* values, uint32_t bits, uint32_t* out);

// Unpacks 128 values of width `bits` (0..32) from the packed_bytes(bits)
// bytes at `in` (any alignment; the little-endian words pack_block wrote)
// into out[0..127].
void unpack_block(const char* in, uint32_t bits, uint32_t* out);

// The scalar definition of unpack_block.
void reference_unpack_block(const char* in, uint32_t bits, uint32_t* out);

// Turns 128 doc-id gaps (docs/format.md: g0 = doc0 - base, gi = doci -
// doci-1 - 1) into the doc ids, in place, in 32-bit arithmetic (the caller
// checks the sum did not wrap).
void prefix_sum_gaps(uint32_t* values, uint32_t base);
void reference_prefix_sum_gaps(uint32_t* values, uint32_t base);

// The SIMD target unpack_block dispatches to on this CPU ("AVX2", "SSE4", ...).
const char* bit_packing_target();

}  // namespace dateline
