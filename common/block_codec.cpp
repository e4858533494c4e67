#include "common/block_codec.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "common/bit_packing.h"
#include "common/varint.h"

namespace dateline {

namespace {

constexpr uint8_t kBitsetTag = 0xFF;

uint32_t bit_length(uint32_t v) { return v == 0 ? 0 : 32 - static_cast<uint32_t>(__builtin_clz(v)); }

// Bytes `n` values take packed at `bits` bits: the BP128 layout for 128,
// else a little-endian bit stream.
size_t packed_size(uint32_t n, uint32_t bits) {
  return n == kCodecBlock ? packed_bytes(bits) : (static_cast<size_t>(n) * bits + 7) / 8;
}

// The width that makes `n` values smallest: their packed bytes, plus an
// index byte and the varint high part of every value wider than it.
uint32_t best_width(const uint32_t* values, uint32_t n) {
  uint32_t count[33] = {};
  for (uint32_t i = 0; i < n; ++i) ++count[bit_length(values[i])];
  uint32_t widest = 32;
  while (widest > 0 && count[widest] == 0) --widest;
  uint32_t best = widest;
  size_t best_cost = packed_size(n, widest);
  for (uint32_t b = 0; b < widest; ++b) {
    size_t cost = packed_size(n, b), exceptions = 0;
    for (uint32_t len = b + 1; len <= widest; ++len) {
      exceptions += count[len];
      cost += count[len] * (1 + (len - b + 6) / 7);
    }
    if (exceptions < n && cost < best_cost) best = b, best_cost = cost;
  }
  return best;
}

// Fewer than 128 values as a bit stream, low bits first.
void pack_stream(const uint32_t* values, uint32_t n, uint32_t bits, char* out) {
  uint64_t acc = 0;
  uint32_t filled = 0;
  size_t o = 0;
  for (uint32_t i = 0; i < n; ++i) {
    acc |= static_cast<uint64_t>(values[i]) << filled;
    filled += bits;
    while (filled >= 8) {
      out[o++] = static_cast<char>(acc & 0xFF);
      acc >>= 8;
      filled -= 8;
    }
  }
  if (filled > 0) out[o] = static_cast<char>(acc & 0xFF);
}

void unpack_stream(const char* in, uint32_t n, uint32_t bits, uint32_t* out) {
  const uint64_t mask = bits == 32 ? 0xFFFFFFFFull : ((1ull << bits) - 1);
  const size_t bytes = packed_size(n, bits);
  uint64_t acc = 0;
  uint32_t have = 0;
  size_t o = 0;
  for (uint32_t i = 0; i < n; ++i) {
    while (have < bits && o < bytes) {
      acc |= static_cast<uint64_t>(static_cast<uint8_t>(in[o++])) << have;
      have += 8;
    }
    out[i] = static_cast<uint32_t>(acc & mask);
    acc >>= bits;
    have -= std::min(have, bits);
  }
}

// Reads a varint from [p, end); false when it runs past end or past 32 bits.
bool read_varint32(const char*& p, const char* end, uint32_t& v) {
  v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (p == end) return false;
    const auto byte = static_cast<uint8_t>(*p++);
    if (shift == 28 && byte > 0x0F) return false;
    v |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

using Unpacker = void (*)(const char*, uint32_t, uint32_t*);

// `n` (1..128) values: u8 bits, u8 n_exceptions, the packed low bits, the
// exceptions' indexes and high parts. 128 values unpack with `unpack`.
size_t decode_pfor_with(const char* in, size_t avail, uint32_t n, uint32_t* out, Unpacker unpack) {
  if (avail < 2) return SIZE_MAX;
  const auto bits = static_cast<uint8_t>(in[0]);
  const auto n_exc = static_cast<uint8_t>(in[1]);
  if (bits > 32 || n_exc >= n || (bits == 32 && n_exc > 0)) return SIZE_MAX;
  const size_t packed = packed_size(n, bits);
  if (avail < 2 + packed + n_exc) return SIZE_MAX;
  if (n == kCodecBlock) unpack(in + 2, bits, out);
  else unpack_stream(in + 2, n, bits, out);
  const char* idx = in + 2 + packed;
  const char* p = idx + n_exc;
  const char* end = in + avail;
  for (uint32_t e = 0; e < n_exc; ++e) {
    const auto i = static_cast<uint8_t>(idx[e]);
    uint32_t high;
    if (i >= n || !read_varint32(p, end, high) || high == 0 || bit_length(high) > 32u - bits) return SIZE_MAX;
    out[i] |= high << bits;
  }
  return static_cast<size_t>(p - in);
}

void encode_pfor(const uint32_t* values, uint32_t n, std::string& out) {
  const uint32_t bits = best_width(values, n);
  uint8_t index[kCodecBlock];
  uint32_t low[kCodecBlock];
  uint32_t n_exc = 0;
  const uint64_t limit = uint64_t{1} << bits;
  for (uint32_t i = 0; i < n; ++i) {
    low[i] = bits == 32 ? values[i] : static_cast<uint32_t>(values[i] & (limit - 1));
    if (bits < 32 && values[i] >= limit) index[n_exc++] = static_cast<uint8_t>(i);
  }
  out.push_back(static_cast<char>(bits));
  out.push_back(static_cast<char>(n_exc));
  const size_t at = out.size();
  out.resize(at + packed_size(n, bits), '\0');
  if (n == kCodecBlock) {
    uint32_t words[4 * 32];
    pack_block(low, bits, words);
    std::memcpy(out.data() + at, words, packed_bytes(bits));  // little-endian words
  } else {
    pack_stream(low, n, bits, out.data() + at);
  }
  for (uint32_t e = 0; e < n_exc; ++e) out.push_back(static_cast<char>(index[e]));
  for (uint32_t e = 0; e < n_exc; ++e) put_varint(out, values[index[e]] >> bits);
}

// For each byte value: how many bits it has set, and where.
struct ByteBits {
  uint8_t count[256];
  uint8_t at[256][8];
  constexpr ByteBits() : count(), at() {
    for (int b = 0; b < 256; ++b)
      for (int j = 0; j < 8; ++j)
        if (b & (1 << j)) at[b][count[b]++] = static_cast<uint8_t>(j);
  }
};
constexpr ByteBits kByteBits;

// Fills out[0..n) with the ids of a bitset from `base`; SIZE_MAX unless it
// holds exactly n of them, the last one `last`. A byte at a time through a
// table (no branch per id), into a buffer with room for a byte's worth past n.
size_t decode_bitset(const char* in, size_t avail, uint32_t n, uint32_t base, uint32_t last, uint32_t* out) {
  if (last < base || last - base + 1 < n) return SIZE_MAX;
  const size_t bytes = (static_cast<size_t>(last - base) + 8) / 8;
  if (avail < bytes) return SIZE_MAX;
  uint32_t ids[kCodecBlock + 8];
  uint32_t k = 0;
  for (size_t i = 0; i < bytes; ++i) {
    const auto byte = static_cast<uint8_t>(in[i]);
    const uint32_t at = base + static_cast<uint32_t>(8 * i);
    for (int j = 0; j < 8; ++j) ids[k + j] = at + kByteBits.at[byte][j];
    k += kByteBits.count[byte];
    if (k > n) return SIZE_MAX;
  }
  if (k != n || ids[n - 1] != last) return SIZE_MAX;
  std::memcpy(out, ids, n * sizeof(uint32_t));
  return bytes;
}

}  // namespace

void encode_pfor_block(const uint32_t* values, std::string& out) { encode_pfor(values, kCodecBlock, out); }

size_t decode_pfor_block(const char* in, size_t avail, uint32_t* out) {
  return decode_pfor_with(in, avail, kCodecBlock, out, unpack_block);
}

size_t skip_pfor_block(const char* in, size_t avail) {
  if (avail < 2) return SIZE_MAX;
  const auto bits = static_cast<uint8_t>(in[0]);
  const auto n_exc = static_cast<uint8_t>(in[1]);
  if (bits > 32 || n_exc >= kCodecBlock || (bits == 32 && n_exc > 0)) return SIZE_MAX;
  const size_t fixed = 2 + packed_size(kCodecBlock, bits) + n_exc;
  if (avail < fixed) return SIZE_MAX;
  const char* p = in + fixed;
  const char* end = in + avail;
  for (uint32_t e = 0; e < n_exc; ++e) {
    uint32_t high;
    if (!read_varint32(p, end, high)) return SIZE_MAX;
  }
  return static_cast<size_t>(p - in);
}

size_t reference_decode_pfor_block(const char* in, size_t avail, uint32_t* out) {
  return decode_pfor_with(in, avail, kCodecBlock, out, reference_unpack_block);
}

void encode_values(const uint32_t* values, size_t n, std::string& out) {
  size_t i = 0;
  for (; i + kCodecBlock <= n; i += kCodecBlock) encode_pfor_block(values + i, out);
  const auto rest = static_cast<uint32_t>(n - i);
  if (rest >= kShortPforValues) encode_pfor(values + i, rest, out);
  else
    for (; i < n; ++i) put_varint(out, values[i]);
}

size_t decode_values(const char* in, size_t avail, size_t n, uint32_t* out) {
  const char* p = in;
  const char* end = in + avail;
  size_t i = 0;
  for (; i + kCodecBlock <= n; i += kCodecBlock) {
    const size_t used = decode_pfor_block(p, static_cast<size_t>(end - p), out + i);
    if (used == SIZE_MAX) return SIZE_MAX;
    p += used;
  }
  const auto rest = static_cast<uint32_t>(n - i);
  if (rest >= kShortPforValues) {
    const size_t used = decode_pfor_with(p, static_cast<size_t>(end - p), rest, out + i, unpack_block);
    if (used == SIZE_MAX) return SIZE_MAX;
    return static_cast<size_t>(p + used - in);
  }
  for (; i < n; ++i)
    if (!read_varint32(p, end, out[i])) return SIZE_MAX;
  return static_cast<size_t>(p - in);
}

size_t encode_doc_block(const uint32_t* docs, uint32_t base, std::string& out) {
  const size_t start = out.size();
  uint32_t gaps[kCodecBlock];
  for (uint32_t i = 0; i < kCodecBlock; ++i) gaps[i] = docs[i] - (i == 0 ? base : docs[i - 1] + 1);
  encode_pfor_block(gaps, out);
  const size_t bitset = 1 + (static_cast<size_t>(docs[kCodecBlock - 1] - base) + 8) / 8;
  // A bitset decodes slower than a packed block: only when it saves a
  // quarter of it.
  if (4 * bitset <= 3 * (out.size() - start)) {
    out.resize(start);
    out.push_back(static_cast<char>(kBitsetTag));
    const size_t at = out.size();
    out.resize(at + bitset - 1, '\0');
    for (uint32_t i = 0; i < kCodecBlock; ++i) {
      const uint32_t bit = docs[i] - base;
      out[at + bit / 8] = static_cast<char>(static_cast<uint8_t>(out[at + bit / 8]) | (1u << (bit % 8)));
    }
  }
  return out.size() - start;
}

size_t decode_doc_block(const char* in, size_t avail, uint32_t base, uint32_t last, uint32_t* out) {
  if (avail == 0) return SIZE_MAX;
  if (static_cast<uint8_t>(in[0]) == kBitsetTag) {
    const size_t bytes = decode_bitset(in + 1, avail - 1, kCodecBlock, base, last, out);
    return bytes == SIZE_MAX ? SIZE_MAX : bytes + 1;
  }
  const size_t used = decode_pfor_block(in, avail, out);
  if (used == SIZE_MAX) return SIZE_MAX;
  // A damaged gap must not wrap the sum around: with every gap below 2^24
  // and base below 2^31 it cannot (128 gaps sum below 2^31); else the sum
  // is taken in 64 bits first.
  uint32_t any = base;
  for (uint32_t i = 0; i < kCodecBlock; ++i) any |= out[i] & 0xFF000000u;
  if (any >> 31 || (any & 0x7F000000u)) {
    uint64_t total = 0;
    for (uint32_t i = 0; i < kCodecBlock; ++i) total += out[i];
    if (static_cast<uint64_t>(base) + total + (kCodecBlock - 1) != last) return SIZE_MAX;
  }
  prefix_sum_gaps(out, base);
  return out[kCodecBlock - 1] == last ? used : SIZE_MAX;
}

bool is_doc_bitset(const char* in, size_t avail) { return avail > 0 && static_cast<uint8_t>(in[0]) == kBitsetTag; }

size_t or_doc_bitset(const char* in, size_t avail, uint32_t base, uint32_t last, uint32_t bit0, uint64_t* bits) {
  if (!is_doc_bitset(in, avail)) return 0;
  if (last < base || last - base + 1 < kCodecBlock || base < bit0) return SIZE_MAX;
  const size_t bytes = (static_cast<size_t>(last - base) + 8) / 8;
  if (avail - 1 < bytes) return SIZE_MAX;
  const auto* p = reinterpret_cast<const uint8_t*>(in + 1);
  // Eight bytes at a time (bit i of byte k is id base + 8k + i).
  auto chunk_at = [&](size_t i) {
    uint64_t chunk = 0;
    std::memcpy(&chunk, p + i, std::min<size_t>(8, bytes - i));
    return chunk;
  };
  // As decode_bitset checks: 128 ids, the last at `last` (no bit beyond).
  uint32_t count = 0;
  for (size_t i = 0; i < bytes; i += 8) count += static_cast<uint32_t>(std::popcount(chunk_at(i)));
  if (count != kCodecBlock || (p[bytes - 1] >> ((last - base) % 8)) != 1) return SIZE_MAX;
  // Shifted into place across two words.
  const uint64_t start = base - bit0;
  for (size_t i = 0; i < bytes; i += 8) {
    const uint64_t chunk = chunk_at(i);
    if (chunk == 0) continue;
    const uint64_t at = start + 8 * i;
    const uint32_t shift = at % 64;
    bits[at / 64] |= chunk << shift;
    if (shift != 0 && (chunk >> (64 - shift)) != 0) bits[at / 64 + 1] |= chunk >> (64 - shift);
  }
  return bytes + 1;
}

size_t encode_tail_block(const uint32_t* docs, const uint32_t* freqs, uint32_t n, uint32_t base, std::string& out) {
  const size_t start = out.size();
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t gap = docs[i] - (i == 0 ? base : docs[i - 1] + 1);
    put_varint(out, gap << 1 | (freqs[i] == 1));
    if (freqs[i] != 1) put_varint(out, freqs[i] - 2);
  }
  return out.size() - start;
}

size_t decode_tail_block(const char* in, size_t avail, uint32_t n, uint32_t base, uint32_t* docs, uint32_t* freqs) {
  if (n == 0 || n >= kCodecBlock) return SIZE_MAX;
  ByteReader r(in, in + avail);
  uint64_t doc = base;
  try {
    for (uint32_t i = 0; i < n; ++i) {
      const uint64_t v = r.varint();
      doc += (v >> 1) + (i > 0);
      if (doc > UINT32_MAX) return SIZE_MAX;
      docs[i] = static_cast<uint32_t>(doc);
      if (v & 1) {
        freqs[i] = 1;
      } else {
        const uint32_t f = r.varint32();
        if (f > UINT32_MAX - 2) return SIZE_MAX;
        freqs[i] = f + 2;
      }
    }
  } catch (const CorruptIndex&) {
    return SIZE_MAX;
  }
  return static_cast<size_t>(r.pos() - in);
}

const char* block_codec_target() { return bit_packing_target(); }

}  // namespace dateline
