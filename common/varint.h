// LEB128 variable-length integers and fixed-width little-endian helpers,
// used by every on-disk structure (see docs/format.md).
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dateline {

inline void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

inline void put_u32(std::string& out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);  // the format is little-endian; so is every supported target
  out.append(b, 4);
}

inline void put_u64(std::string& out, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out.append(b, 8);
}

inline void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

// Thrown when a structure on disk is truncated or inconsistent.
class CorruptIndex : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Zigzag coding of a difference of two offsets, as unsigned: 0, -1, 1, -2,
// ... become 0, 1, 2, 3, ... (the difference is taken modulo 2^64).
inline uint64_t zigzag(uint64_t diff) {
  const auto d = static_cast<int64_t>(diff);
  return (static_cast<uint64_t>(d) << 1) ^ static_cast<uint64_t>(d >> 63);
}
inline uint64_t unzigzag(uint64_t v) { return (v >> 1) ^ (~(v & 1) + 1); }

// Bounds-checked reader over a byte range. Every read past the end throws
// CorruptIndex, so a damaged file can never make the reader run off its buffer.
class ByteReader {
 public:
  ByteReader(const char* p, const char* end) : p_(p), end_(end) {}
  explicit ByteReader(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  uint64_t varint() {
    if (p_ < end_ && !(static_cast<unsigned char>(*p_) & 0x80)) return static_cast<unsigned char>(*p_++);  // one byte: most
    return varint_long();
  }
  uint64_t varint_long() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) throw CorruptIndex("truncated varint");
      const auto b = static_cast<unsigned char>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    throw CorruptIndex("overlong varint");
  }
  uint32_t varint32() {
    uint64_t v = varint();
    if (v > UINT32_MAX) throw CorruptIndex("varint out of range");
    return static_cast<uint32_t>(v);
  }
  uint32_t u32() {
    need(4);
    uint32_t v;
    std::memcpy(&v, p_, 4);
    p_ += 4;
    return v;
  }
  uint64_t u64() {
    need(8);
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    return v;
  }
  std::string_view bytes(size_t n) {
    need(n);
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  std::string_view string() { return bytes(varint()); }
  const char* pos() const { return p_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool at_end() const { return p_ >= end_; }

 private:
  void need(uint64_t n) const {
    if (n > static_cast<uint64_t>(end_ - p_)) throw CorruptIndex("truncated data");
  }
  const char* p_;
  const char* end_;
};

}  // namespace dateline
