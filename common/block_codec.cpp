#include "common/block_codec.h"

#include <streamvbyte.h>
#include <streamvbytedelta.h>

#include <cstring>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <tmmintrin.h>
#define DATELINE_SVB_SSSE3 1
#endif

namespace dateline {

namespace {

// Exact number of bytes a Stream VByte block of n values occupies, read from
// its control bytes; SIZE_MAX when the control bytes themselves are missing.
// Data bytes described by one control byte (four 2-bit lengths, each 1..4).
struct ControlLengths {
  uint8_t len[256];
  constexpr ControlLengths() : len() {
    for (int c = 0; c < 256; ++c)
      len[c] = static_cast<uint8_t>((c & 3) + ((c >> 2) & 3) + ((c >> 4) & 3) + ((c >> 6) & 3) + 4);
  }
};
constexpr ControlLengths kControlLengths;

size_t svb_block_bytes(const unsigned char* in, size_t avail, uint32_t n) {
  const size_t ctrl = (static_cast<size_t>(n) + 3) / 4;
  if (ctrl > avail) return SIZE_MAX;
  size_t data = 0;
  const size_t full = n / 4;
  for (size_t i = 0; i < full; ++i) data += kControlLengths.len[in[i]];
  for (uint32_t i = static_cast<uint32_t>(full) * 4; i < n; ++i) data += ((in[i / 4] >> (2 * (i % 4))) & 3) + 1;
  return ctrl + data;
}

// ---------------------------------------------------------------------------
// SSSE3 Stream VByte decoder (Lemire, Kurz and Rupp, "Stream VByte: faster
// byte-oriented integer compression", 2018), chosen at run time. Debian's
// libstreamvbyte is built for baseline x86-64 and decodes one byte at a time;
// this decodes four values per pshufb. The format is the library's: control
// bytes (2 bits per value, length - 1, first value in the low bits), then
// the little-endian data bytes. Reads up to 16 bytes past the last group's
// data: callers go through checked_decode, which guarantees them.

#if DATELINE_SVB_SSSE3
struct ShuffleTable {
  alignas(16) uint8_t mask[256][16];
  constexpr ShuffleTable() : mask() {
    for (int c = 0; c < 256; ++c) {
      int src = 0;
      for (int k = 0; k < 4; ++k) {
        const int len = ((c >> (2 * k)) & 3) + 1;
        for (int j = 0; j < 4; ++j) mask[c][4 * k + j] = static_cast<uint8_t>(j < len ? src + j : 0x80);
        src += len;
      }
    }
  }
};
constexpr ShuffleTable kShuffle;

// Decodes the n / 4 full groups; returns the data pointer after them.
__attribute__((target("ssse3"))) const unsigned char* svb_groups_ssse3(const unsigned char* ctrl,
                                                                       const unsigned char* data, uint32_t groups,
                                                                       uint32_t* out) {
  for (uint32_t g = 0; g < groups; ++g) {
    const uint8_t c = ctrl[g];
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data));
    const __m128i v = _mm_shuffle_epi8(raw, _mm_load_si128(reinterpret_cast<const __m128i*>(kShuffle.mask[c])));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * g), v);
    data += kControlLengths.len[c];
  }
  return data;
}

// Same, then turns the four deltas of each group into running sums from prev.
__attribute__((target("ssse3"))) const unsigned char* svb_delta_groups_ssse3(const unsigned char* ctrl,
                                                                             const unsigned char* data,
                                                                             uint32_t groups, uint32_t prev,
                                                                             uint32_t* out) {
  __m128i base = _mm_set1_epi32(static_cast<int>(prev));
  for (uint32_t g = 0; g < groups; ++g) {
    const uint8_t c = ctrl[g];
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data));
    __m128i v = _mm_shuffle_epi8(raw, _mm_load_si128(reinterpret_cast<const __m128i*>(kShuffle.mask[c])));
    v = _mm_add_epi32(v, _mm_slli_si128(v, 4));
    v = _mm_add_epi32(v, _mm_slli_si128(v, 8));
    v = _mm_add_epi32(v, base);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * g), v);
    base = _mm_shuffle_epi32(v, 0xFF);
    data += kControlLengths.len[c];
  }
  return data;
}

bool cpu_has_ssse3() {
  static const bool has = __builtin_cpu_supports("ssse3");
  return has;
}
#endif

// One value of the tail group (after the full groups).
uint32_t svb_read_value(const unsigned char*& data, unsigned code) {
  uint32_t v = 0;
  std::memcpy(&v, data, code + 1);  // little-endian hosts only, like the library
  data += code + 1;
  return v;
}

// Decodes n values (deltas from prev when delta) with the SIMD groups and a
// scalar tail; returns the bytes consumed. `done` is false (and nothing is
// decoded) when the CPU lacks SSSE3.
size_t svb_decode_fast(const unsigned char* in, uint32_t n, uint32_t* out, bool delta, uint32_t prev,
                       bool& done) {
  done = false;
#if DATELINE_SVB_SSSE3
  if (!cpu_has_ssse3()) return 0;
  const unsigned char* ctrl = in;
  const unsigned char* data = in + (static_cast<size_t>(n) + 3) / 4;
  const uint32_t groups = n / 4;
  data = delta ? svb_delta_groups_ssse3(ctrl, data, groups, prev, out) : svb_groups_ssse3(ctrl, data, groups, out);
  uint32_t last = delta && groups > 0 ? out[4 * groups - 1] : prev;
  for (uint32_t i = 4 * groups; i < n; ++i) {
    const uint32_t v = svb_read_value(data, (ctrl[i / 4] >> (2 * (i % 4))) & 3);
    out[i] = delta ? (last += v) : v;
  }
  done = true;
  return static_cast<size_t>(data - in);
#else
  (void)in, (void)n, (void)out, (void)delta, (void)prev;
  return 0;
#endif
}

template <typename Decode>
size_t checked_decode(const char* in, size_t avail, uint32_t n, Decode&& decode) {
  const auto* u = reinterpret_cast<const unsigned char*>(in);
  const size_t need = svb_block_bytes(u, avail, n);
  if (need == SIZE_MAX || need > avail) return SIZE_MAX;
  // The SIMD decoder may read up to 16 bytes past the block; decode from a
  // padded copy when that would leave the caller's buffer.
  if (avail - need >= 16) return decode(u) == need ? need : SIZE_MAX;
  std::vector<unsigned char> copy(need + 16, 0);
  std::memcpy(copy.data(), u, need);
  return decode(copy.data()) == need ? need : SIZE_MAX;
}

}  // namespace

size_t encode_doc_block(const uint32_t* docs, uint32_t n, uint32_t prev, std::string& out) {
  const size_t old = out.size();
  out.resize(old + streamvbyte_max_compressedbytes(n));
  size_t len = streamvbyte_delta_encode(docs, n, reinterpret_cast<uint8_t*>(&out[old]), prev);
  out.resize(old + len);
  return len;
}

size_t encode_value_block(const uint32_t* values, uint32_t n, std::string& out) {
  const size_t old = out.size();
  out.resize(old + streamvbyte_max_compressedbytes(n));
  size_t len = streamvbyte_encode(values, n, reinterpret_cast<uint8_t*>(&out[old]));
  out.resize(old + len);
  return len;
}

size_t decode_doc_block(const char* in, size_t avail, uint32_t n, uint32_t prev, uint32_t* out) {
  return checked_decode(in, avail, n, [&](const unsigned char* p) {
    bool done;
    const size_t used = svb_decode_fast(p, n, out, true, prev, done);
    return done ? used : streamvbyte_delta_decode(p, out, n, prev);
  });
}

size_t decode_value_block(const char* in, size_t avail, uint32_t n, uint32_t* out) {
  return checked_decode(in, avail, n, [&](const unsigned char* p) {
    bool done;
    const size_t used = svb_decode_fast(p, n, out, false, 0, done);
    return done ? used : streamvbyte_decode(p, out, n);
  });
}

size_t reference_decode_doc_block(const char* in, size_t avail, uint32_t n, uint32_t prev, uint32_t* out) {
  return checked_decode(in, avail, n, [&](const unsigned char* p) { return streamvbyte_delta_decode(p, out, n, prev); });
}

size_t reference_decode_value_block(const char* in, size_t avail, uint32_t n, uint32_t* out) {
  return checked_decode(in, avail, n, [&](const unsigned char* p) { return streamvbyte_decode(p, out, n); });
}

bool block_codec_uses_simd() {
#if DATELINE_SVB_SSSE3
  return cpu_has_ssse3();
#else
  return false;
#endif
}

}  // namespace dateline
