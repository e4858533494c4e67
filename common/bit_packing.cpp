// Highway compiles the kernel below once per SIMD target (foreach_target.h
// re-includes this file) and picks one at run time.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "common/bit_packing.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <cstring>

#include "common/bit_packing.h"

HWY_BEFORE_NAMESPACE();
namespace dateline {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// 32 rows of four lanes; row r of lane j is value 4r + j. Row r starts at
// bit r * B of each lane: in word r * B / 32, possibly running into the next.
#if HWY_TARGET != HWY_SCALAR
template <int B>
HWY_INLINE void UnpackWidth(const uint32_t* HWY_RESTRICT in, uint32_t* HWY_RESTRICT out) {
  // (LoadU reads any alignment.)
  const hn::FixedTag<uint32_t, 4> d;
  const auto mask = hn::Set(d, B == 32 ? 0xFFFFFFFFu : ((1u << (B % 32)) - 1));
  auto word = hn::LoadU(d, in);
  int shift = 0;
  int w = 0;
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 32
#endif
  for (int r = 0; r < 32; ++r) {
    auto v = hn::ShiftRightSame(word, shift);
    if (shift + B >= 32) {
      ++w;
      if (w < B) word = hn::LoadU(d, in + 4 * w);
      if (shift + B > 32) v = hn::Or(v, hn::ShiftLeftSame(word, 32 - shift));
      shift = shift + B - 32;
    } else {
      shift += B;
    }
    if (B < 32) v = hn::And(v, mask);
    hn::StoreU(v, d, out + 4 * r);
  }
}
#endif

#if HWY_TARGET == HWY_SCALAR
// One lane only: the scalar definition.
void UnpackBlock(const char* HWY_RESTRICT bytes, uint32_t bits, uint32_t* HWY_RESTRICT out) {
  dateline::reference_unpack_block(bytes, bits, out);
}
#else
void UnpackBlock(const char* HWY_RESTRICT bytes, uint32_t bits, uint32_t* HWY_RESTRICT out) {
  const uint32_t* in = reinterpret_cast<const uint32_t*>(bytes);
  switch (bits) {
#define DATELINE_UNPACK_CASE(B) \
  case B:                       \
    return UnpackWidth<B>(in, out);
    DATELINE_UNPACK_CASE(1) DATELINE_UNPACK_CASE(2) DATELINE_UNPACK_CASE(3) DATELINE_UNPACK_CASE(4)
    DATELINE_UNPACK_CASE(5) DATELINE_UNPACK_CASE(6) DATELINE_UNPACK_CASE(7) DATELINE_UNPACK_CASE(8)
    DATELINE_UNPACK_CASE(9) DATELINE_UNPACK_CASE(10) DATELINE_UNPACK_CASE(11) DATELINE_UNPACK_CASE(12)
    DATELINE_UNPACK_CASE(13) DATELINE_UNPACK_CASE(14) DATELINE_UNPACK_CASE(15) DATELINE_UNPACK_CASE(16)
    DATELINE_UNPACK_CASE(17) DATELINE_UNPACK_CASE(18) DATELINE_UNPACK_CASE(19) DATELINE_UNPACK_CASE(20)
    DATELINE_UNPACK_CASE(21) DATELINE_UNPACK_CASE(22) DATELINE_UNPACK_CASE(23) DATELINE_UNPACK_CASE(24)
    DATELINE_UNPACK_CASE(25) DATELINE_UNPACK_CASE(26) DATELINE_UNPACK_CASE(27) DATELINE_UNPACK_CASE(28)
    DATELINE_UNPACK_CASE(29) DATELINE_UNPACK_CASE(30) DATELINE_UNPACK_CASE(31) DATELINE_UNPACK_CASE(32)
#undef DATELINE_UNPACK_CASE
    default: {
      const hn::FixedTag<uint32_t, 4> d;
      for (int r = 0; r < 32; ++r) hn::StoreU(hn::Zero(d), d, out + 4 * r);
    }
  }
}
#endif

#if HWY_TARGET == HWY_SCALAR
void PrefixSumGaps(uint32_t* HWY_RESTRICT v, uint32_t base) { dateline::reference_prefix_sum_gaps(v, base); }
#else
// Row r holds values 4r..4r+3: a prefix sum inside the row (two shifted
// adds), plus the carry of the rows before, plus the index (the "- 1" of
// every gap after the first).
void PrefixSumGaps(uint32_t* HWY_RESTRICT v, uint32_t base) {
  const hn::FixedTag<uint32_t, 4> d;
  auto carry = hn::Set(d, base);
  auto index = hn::Iota(d, 0);
  const auto four = hn::Set(d, 4);
  for (int r = 0; r < 32; ++r) {
    auto x = hn::LoadU(d, v + 4 * r);
    x = hn::Add(x, hn::ShiftLeftLanes<1>(d, x));
    x = hn::Add(x, hn::ShiftLeftLanes<2>(d, x));
    x = hn::Add(x, carry);
    hn::StoreU(hn::Add(x, index), d, v + 4 * r);
    carry = hn::Broadcast<3>(x);
    index = hn::Add(index, four);
  }
}
#endif

const char* TargetName() { return hwy::TargetName(HWY_TARGET); }

}  // namespace HWY_NAMESPACE
}  // namespace dateline
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace dateline {

HWY_EXPORT(UnpackBlock);
HWY_EXPORT(PrefixSumGaps);
HWY_EXPORT(TargetName);

uint32_t max_bits(const uint32_t* values, uint32_t n) {
  uint32_t all = 0;
  for (uint32_t i = 0; i < n; ++i) all |= values[i];
  return all == 0 ? 0 : 32 - static_cast<uint32_t>(__builtin_clz(all));
}

void pack_block(const uint32_t* values, uint32_t bits, uint32_t* out) {
  for (uint32_t i = 0; i < 4 * bits; ++i) out[i] = 0;
  if (bits == 0) return;
  const uint64_t mask = bits == 32 ? 0xFFFFFFFFull : ((1ull << bits) - 1);
  for (uint32_t lane = 0; lane < 4; ++lane)
    for (uint32_t r = 0; r < 32; ++r) {
      const uint64_t v = values[4 * r + lane] & mask;
      const uint32_t bit = r * bits, w = bit / 32, s = bit % 32;
      out[4 * w + lane] |= static_cast<uint32_t>(v << s);
      if (s + bits > 32) out[4 * (w + 1) + lane] |= static_cast<uint32_t>(v >> (32 - s));
    }
}

void reference_unpack_block(const char* bytes, uint32_t bits, uint32_t* out) {
  auto in = [bytes](uint32_t i) {
    uint32_t v;
    std::memcpy(&v, bytes + 4 * i, 4);
    return v;
  };
  const uint64_t mask = bits == 32 ? 0xFFFFFFFFull : ((1ull << bits) - 1);
  for (uint32_t lane = 0; lane < 4; ++lane)
    for (uint32_t r = 0; r < 32; ++r) {
      if (bits == 0) {
        out[4 * r + lane] = 0;
        continue;
      }
      const uint32_t bit = r * bits, w = bit / 32, s = bit % 32;
      uint64_t v = in(4 * w + lane) >> s;
      if (s + bits > 32) v |= static_cast<uint64_t>(in(4 * (w + 1) + lane)) << (32 - s);
      out[4 * r + lane] = static_cast<uint32_t>(v & mask);
    }
}

void unpack_block(const char* in, uint32_t bits, uint32_t* out) {
  HWY_DYNAMIC_DISPATCH(UnpackBlock)(in, bits, out);
}

void prefix_sum_gaps(uint32_t* values, uint32_t base) { HWY_DYNAMIC_DISPATCH(PrefixSumGaps)(values, base); }

void reference_prefix_sum_gaps(uint32_t* values, uint32_t base) {
  uint32_t doc = base + values[0];
  values[0] = doc;
  for (uint32_t i = 1; i < 128; ++i) values[i] = doc += values[i] + 1;
}

const char* bit_packing_target() { return HWY_DYNAMIC_DISPATCH(TargetName)(); }

}  // namespace dateline
#endif  // HWY_ONCE
