// Highway compiles the kernel below once per SIMD target (foreach_target.h
// re-includes this file) and picks one at run time.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "common/range_bits.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <cstring>

#include "common/range_bits.h"

HWY_BEFORE_NAMESPACE();
namespace dateline {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// A vector's comparison as mask bits (StoreMaskBits: lane i in bit i),
// shifted into place in a word of 64.
void RangeBits(const int32_t* HWY_RESTRICT values, uint32_t words, int32_t lo, int32_t hi, uint64_t* HWY_RESTRICT out) {
  const hn::ScalableTag<int32_t> d;
  const size_t n = hn::Lanes(d);
  const auto vlo = hn::Set(d, lo);
  const auto vhi = hn::Set(d, hi);
  for (uint32_t w = 0; w < words; ++w) {
    uint64_t word = 0;
    for (size_t i = 0; i < 64; i += n) {
      const auto x = hn::LoadU(d, values + 64 * size_t{w} + i);
      const auto in = hn::Not(hn::Or(hn::Lt(x, vlo), hn::Gt(x, vhi)));
      uint8_t bytes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      hn::StoreMaskBits(d, in, bytes);
      uint64_t bits;
      std::memcpy(&bits, bytes, sizeof bits);
      if (n < 64) bits &= (uint64_t{1} << n) - 1;
      word |= bits << i;
    }
    out[w] = word;
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace dateline
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace dateline {

HWY_EXPORT(RangeBits);

void range_bits(const int32_t* values, uint32_t words, int32_t lo, int32_t hi, uint64_t* out) {
  HWY_DYNAMIC_DISPATCH(RangeBits)(values, words, lo, hi, out);
}

void reference_range_bits(const int32_t* values, uint32_t words, int32_t lo, int32_t hi, uint64_t* out) {
  for (uint32_t w = 0; w < words; ++w) {
    uint64_t word = 0;
    for (uint32_t i = 0; i < 64; ++i) {
      const int32_t v = values[64 * w + i];
      word |= uint64_t{v >= lo && v <= hi} << i;
    }
    out[w] = word;
  }
}

}  // namespace dateline
#endif  // HWY_ONCE
