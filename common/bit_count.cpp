// Highway compiles the kernel below once per SIMD target (foreach_target.h
// re-includes this file) and picks one at run time: on x86 every target from
// SSE4 up has the popcnt instruction, which __builtin_popcountll then uses.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "common/bit_count.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "common/bit_count.h"

HWY_BEFORE_NAMESPACE();
namespace dateline {
namespace HWY_NAMESPACE {

uint64_t CountBits(const uint64_t* HWY_RESTRICT bits, const uint64_t* HWY_RESTRICT excluded, uint32_t words) {
  uint64_t n = 0;
  if (excluded)
    for (uint32_t w = 0; w < words; ++w) n += hwy::PopCount(bits[w] & ~excluded[w]);
  else
    for (uint32_t w = 0; w < words; ++w) n += hwy::PopCount(bits[w]);
  return n;
}

}  // namespace HWY_NAMESPACE
}  // namespace dateline
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace dateline {

HWY_EXPORT(CountBits);

uint64_t count_bits(const uint64_t* bits, const uint64_t* excluded, uint32_t words) {
  return HWY_DYNAMIC_DISPATCH(CountBits)(bits, excluded, words);
}

uint64_t reference_count_bits(const uint64_t* bits, const uint64_t* excluded, uint32_t words) {
  uint64_t n = 0;
  for (uint32_t w = 0; w < words; ++w)
    for (uint32_t i = 0; i < 64; ++i) n += (bits[w] >> i & 1) && !(excluded && (excluded[w] >> i & 1));
  return n;
}

}  // namespace dateline
#endif  // HWY_ONCE
