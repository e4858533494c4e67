#include "common/block_codec.h"

#include <streamvbyte.h>
#include <streamvbytedelta.h>

#include <cstring>
#include <vector>

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
    return streamvbyte_delta_decode(p, out, n, prev);
  });
}

size_t decode_value_block(const char* in, size_t avail, uint32_t n, uint32_t* out) {
  return checked_decode(in, avail, n, [&](const unsigned char* p) {
    return streamvbyte_decode(p, out, n);
  });
}

}  // namespace dateline
