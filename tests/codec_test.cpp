// Low-level codecs: varints and ByteReader, the postings block codec, dates
// and JSON string escaping.
#include <doctest/doctest.h>

#include <cctype>
#include <climits>
#include <limits>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/bit_packing.h"
#include "common/block_codec.h"
#include "common/bit_count.h"
#include "common/range_bits.h"
#include "common/date.h"
#include "common/json.h"
#include "common/varint.h"

using namespace dateline;

namespace {

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    i += n;
  }
  return true;
}

// Checks that `s` is one syntactically valid JSON string literal: quoted,
// no raw control characters, only valid escapes, valid UTF-8.
bool valid_json_string(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
  if (!valid_utf8(s)) return false;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20) return false;
    if (c == '"') return false;
    if (c == '\\') {
      if (i + 2 >= s.size()) return false;
      const char e = s[++i];
      if (e == 'u') {
        if (i + 4 >= s.size()) return false;
        for (int k = 0; k < 4; ++k)
          if (!std::isxdigit(static_cast<unsigned char>(s[++i]))) return false;
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
    }
  }
  return true;
}

std::string J(std::string_view s) {
  std::string out;
  json_append_string(out, s);
  return out;
}

std::string varint_bytes(uint64_t v) {
  std::string s;
  put_varint(s, v);
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------
// varints

TEST_CASE("varint encoding lengths and bytes") {
  CHECK(varint_bytes(0) == std::string(1, '\0'));
  CHECK(varint_bytes(1) == "\x01");
  CHECK(varint_bytes(127) == "\x7F");
  CHECK(varint_bytes(128) == "\x80\x01");
  CHECK(varint_bytes(300) == "\xAC\x02");
  CHECK(varint_bytes(16383).size() == 2);
  CHECK(varint_bytes(16384).size() == 3);
  CHECK(varint_bytes(UINT32_MAX).size() == 5);
  CHECK(varint_bytes(UINT64_MAX).size() == 10);
}

TEST_CASE("varint round trip through ByteReader") {
  std::vector<uint64_t> values{0,          1,           127,        128,        255,
                               256,        16383,       16384,      (1ull << 21) - 1,
                               1ull << 21, UINT32_MAX,  1ull << 32, (1ull << 35) + 7,
                               (1ull << 56) - 1,        1ull << 63, UINT64_MAX - 1, UINT64_MAX};
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) values.push_back(rng() >> (rng() % 64));
  std::string buf;
  for (uint64_t v : values) put_varint(buf, v);
  ByteReader r(buf);
  for (uint64_t v : values) {
    INFO("value " << v);
    CHECK(r.varint() == v);
  }
  CHECK(r.at_end());
  CHECK(r.remaining() == 0);
  CHECK_THROWS_AS(r.varint(), CorruptIndex);
}

TEST_CASE("fixed-width and string helpers round trip") {
  std::string buf;
  put_u32(buf, 0xDEADBEEF);
  put_u64(buf, 0x0123456789ABCDEFull);
  put_string(buf, "hello");
  put_string(buf, "");
  put_string(buf, std::string(300, 'x'));
  put_varint(buf, UINT32_MAX);
  put_varint(buf, 1ull << 32);
  CHECK(buf.substr(0, 4) == "\xEF\xBE\xAD\xDE");  // little-endian
  ByteReader r(buf);
  CHECK(r.u32() == 0xDEADBEEF);
  CHECK(r.u64() == 0x0123456789ABCDEFull);
  CHECK(r.string() == "hello");
  CHECK(r.string() == "");
  CHECK(r.string() == std::string(300, 'x'));
  CHECK(r.varint32() == UINT32_MAX);
  CHECK_THROWS_AS(r.varint32(), CorruptIndex);  // 2^32 does not fit
  CHECK(r.at_end());
}

TEST_CASE("ByteReader throws CorruptIndex on truncation") {
  // A varint whose last byte is missing.
  const std::string cut = varint_bytes(1ull << 40).substr(0, 3);
  {
    ByteReader r(cut);
    CHECK_THROWS_AS(r.varint(), CorruptIndex);
  }
  {
    ByteReader r(std::string_view("\x80", 1));
    CHECK_THROWS_AS(r.varint(), CorruptIndex);
  }
  {
    ByteReader r(std::string_view{});
    CHECK_THROWS_AS(r.varint(), CorruptIndex);
    CHECK_THROWS_AS(r.u32(), CorruptIndex);
    CHECK_THROWS_AS(r.u64(), CorruptIndex);
    CHECK_THROWS_AS(r.bytes(1), CorruptIndex);
    CHECK(r.bytes(0).empty());
  }
  {
    ByteReader r(std::string_view("abc", 3));
    CHECK_THROWS_AS(r.u32(), CorruptIndex);
    CHECK(r.remaining() == 3);  // a failed read consumes nothing
  }
  {
    ByteReader r(std::string_view("1234567", 7));
    CHECK_THROWS_AS(r.u64(), CorruptIndex);
  }
  {
    // A string whose length says more bytes than there are.
    std::string s;
    put_varint(s, 10);
    s += "short";
    ByteReader r(s);
    CHECK_THROWS_AS(r.string(), CorruptIndex);
  }
  {
    // A huge length must not overflow the bounds check.
    std::string s;
    put_varint(s, UINT64_MAX);
    s += "x";
    ByteReader r(s);
    CHECK_THROWS_AS(r.string(), CorruptIndex);
  }
  {
    // ByteReader over a sub-range does not read past its end.
    const std::string s = "\x01\x02\x80\x01";
    ByteReader r(s.data(), s.data() + 3);
    CHECK(r.varint() == 1);
    CHECK(r.varint() == 2);
    CHECK_THROWS_AS(r.varint(), CorruptIndex);
  }
}

TEST_CASE("ByteReader throws CorruptIndex on an overlong varint") {
  // Ten continuation bytes never terminate within 64 bits.
  std::string s(10, '\x80');
  s += '\x01';
  ByteReader r(s);
  CHECK_THROWS_AS(r.varint(), CorruptIndex);
  std::string t(20, '\xFF');
  ByteReader r2(t);
  CHECK_THROWS_AS(r2.varint(), CorruptIndex);
}

// ---------------------------------------------------------------------------
// block codec

namespace {

// 128 values of at most `bits` bits, with `wide` of them (at random places)
// up to 32 bits: the exceptions of a PFOR block.
std::vector<uint32_t> block_values(std::mt19937& rng, uint32_t bits, uint32_t wide) {
  std::vector<uint32_t> v(kCodecBlock);
  const uint64_t limit = uint64_t{1} << bits;
  for (auto& x : v) x = bits == 0 ? 0 : static_cast<uint32_t>(rng() % limit);
  for (uint32_t k = 0; k < wide; ++k) v[rng() % kCodecBlock] = rng() | (1u << (31 - rng() % 8));
  return v;
}

}  // namespace

TEST_CASE("bit packing: every width unpacks as the scalar reference, from any alignment") {
  std::mt19937 rng(5);
  INFO("SIMD target " << bit_packing_target());
  for (uint32_t bits = 0; bits <= 32; ++bits) {
    CAPTURE(bits);
    const std::vector<uint32_t> v = block_values(rng, bits, 0);
    CHECK(max_bits(v.data(), kCodecBlock) <= bits);
    uint32_t words[4 * 32];
    pack_block(v.data(), bits, words);
    for (size_t offset = 0; offset < 4; ++offset) {  // misaligned copies
      std::string bytes(offset, 'x');
      bytes.append(reinterpret_cast<const char*>(words), packed_bytes(bits));
      std::vector<uint32_t> simd(kCodecBlock, 7), scalar(kCodecBlock, 9);
      unpack_block(bytes.data() + offset, bits, simd.data());
      reference_unpack_block(bytes.data() + offset, bits, scalar.data());
      CHECK(simd == v);
      CHECK(scalar == v);
    }
  }
  // Random bytes at every width: the two unpackers agree on what they read.
  for (int rep = 0; rep < 200; ++rep) {
    const uint32_t bits = rng() % 33;
    std::string bytes(packed_bytes(bits), '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    std::vector<uint32_t> a(kCodecBlock), b(kCodecBlock);
    unpack_block(bytes.data(), bits, a.data());
    reference_unpack_block(bytes.data(), bits, b.data());
    CHECK(a == b);
  }
}

TEST_CASE("gap prefix sums: SIMD and scalar agree, from any base") {
  std::mt19937 rng(13);
  for (int rep = 0; rep < 500; ++rep) {
    std::vector<uint32_t> gaps(kCodecBlock);
    const uint32_t spread = 1u << (rng() % 20);
    for (auto& g : gaps) g = rng() % spread;
    const uint32_t base = rep % 3 == 0 ? 0 : rng() % (1u << 24);
    std::vector<uint32_t> a = gaps, b = gaps;
    prefix_sum_gaps(a.data(), base);
    reference_prefix_sum_gaps(b.data(), base);
    REQUIRE(a == b);
    uint64_t doc = base;
    for (uint32_t i = 0; i < kCodecBlock; ++i) {
      doc += gaps[i] + (i > 0);
      CHECK(b[i] == static_cast<uint32_t>(doc));
    }
  }
}

TEST_CASE("PFOR blocks: every width, with and without exceptions, round trip; SIMD and scalar decoders agree") {
  std::mt19937 rng(11);
  for (uint32_t bits = 0; bits <= 32; ++bits)
    for (uint32_t wide : {0u, 1u, 5u, 40u, 127u}) {
      CAPTURE(bits);
      CAPTURE(wide);
      const std::vector<uint32_t> v = block_values(rng, bits, wide);
      std::string buf = "XY";
      encode_pfor_block(v.data(), buf);
      CHECK(buf.substr(0, 2) == "XY");
      std::vector<uint32_t> out(kCodecBlock + 1, 0xABABABAB), ref(kCodecBlock);
      const size_t used = decode_pfor_block(buf.data() + 2, buf.size() - 2, out.data());
      CHECK(used == buf.size() - 2);
      CHECK(out.back() == 0xABABABABu);  // nothing written past 128
      out.pop_back();
      CHECK(out == v);
      CHECK(reference_decode_pfor_block(buf.data() + 2, buf.size() - 2, ref.data()) == used);
      CHECK(ref == v);
      // Never larger than the values packed at their widest.
      CHECK(used <= 2 + packed_bytes(max_bits(v.data(), kCodecBlock)));
    }
}

TEST_CASE("value runs: full blocks packed, a rest of 16 or more packed as a bit stream, else varints") {
  std::mt19937 rng(3);
  for (size_t n : {0, 1, 2, 15, 16, 17, 100, 127, 128, 129, 143, 144, 255, 256, 300, 1000}) {
    std::vector<uint32_t> v(n);
    for (auto& x : v) x = rng() % 8 == 0 ? rng() : rng() % 20;
    std::string buf;
    encode_values(v.data(), n, buf);
    std::vector<uint32_t> out(n + 128);
    CHECK(decode_values(buf.data(), buf.size(), n, out.data()) == buf.size());
    out.resize(n);
    CHECK(out == v);
  }
}

TEST_CASE("doc blocks: sparse and dense (bitset), round trip from any base") {
  std::mt19937 rng(7);
  for (int rep = 0; rep < 40; ++rep)
    for (uint32_t max_gap : {1u, 2u, 3u, 64u, 65536u, 1u << 24}) {
      const uint32_t base = rng() % 1000000;
      std::vector<uint32_t> docs(kCodecBlock);
      uint64_t d = base;
      for (uint32_t i = 0; i < kCodecBlock; ++i) {
        d += (i == 0 ? 0 : 1) + rng() % max_gap;
        docs[i] = static_cast<uint32_t>(d);
      }
      CAPTURE(max_gap);
      std::string buf = "Z";
      const size_t len = encode_doc_block(docs.data(), base, buf);
      CHECK(buf.size() == 1 + len);
      std::vector<uint32_t> out(kCodecBlock + 1, 0xABABABAB);
      CHECK(decode_doc_block(buf.data() + 1, len, base, docs.back(), out.data()) == len);
      CHECK(out.back() == 0xABABABABu);
      out.pop_back();
      CHECK(out == docs);
      // The wrong last doc, or one byte less, is an error, never a wrong block.
      CHECK(decode_doc_block(buf.data() + 1, len, base, docs.back() + 1, out.data()) == SIZE_MAX);
      CHECK(decode_doc_block(buf.data() + 1, len - 1, base, docs.back(), out.data()) == SIZE_MAX);
    }
}

TEST_CASE("tail blocks: every length below 128, with frequencies, round trip from any base") {
  std::mt19937 rng(17);
  for (uint32_t n = 1; n < kCodecBlock; ++n)
    for (uint32_t max_gap : {1u, 100u, 1u << 20}) {
      const uint32_t base = rng() % 1000000;
      std::vector<uint32_t> docs(n), freqs(n);
      uint64_t d = base;
      for (uint32_t i = 0; i < n; ++i) {
        d += (i == 0 ? 0 : 1) + rng() % max_gap;
        docs[i] = static_cast<uint32_t>(d);
        freqs[i] = rng() % 3 == 0 ? 1 + rng() % 1000 : 1;
      }
      CAPTURE(n);
      std::string buf = "Q";
      const size_t len = encode_tail_block(docs.data(), freqs.data(), n, base, buf);
      CHECK(buf.size() == 1 + len);
      std::vector<uint32_t> got_docs(n), got_freqs(n);
      CHECK(decode_tail_block(buf.data() + 1, len, n, base, got_docs.data(), got_freqs.data()) == len);
      CHECK(got_docs == docs);
      CHECK(got_freqs == freqs);
      // One byte less is an error, never a shorter block.
      CHECK(decode_tail_block(buf.data() + 1, len - 1, n, base, got_docs.data(), got_freqs.data()) == SIZE_MAX);
    }
  // A frequency of 1 costs no byte: one byte per small gap.
  std::vector<uint32_t> docs{3, 5, 9}, ones{1, 1, 1};
  std::string buf;
  CHECK(encode_tail_block(docs.data(), ones.data(), 3, 0, buf) == 3);
}

TEST_CASE("doc blocks: a dense block is stored as a bitset when that saves a quarter") {
  // Half of the ids of a range, at random: gaps of 0, 1, 2, ... with a long
  // tail, so that PFOR needs exceptions where the bitset needs 256 bits.
  std::mt19937 rng(21);
  std::vector<uint32_t> docs;
  for (uint32_t d = 1000; docs.size() < 128; ++d)
    if (rng() % 2) docs.push_back(d);
  std::string pfor, buf;
  std::vector<uint32_t> gaps(128);
  for (uint32_t i = 0; i < 128; ++i) gaps[i] = docs[i] - (i == 0 ? 1000 : docs[i - 1] + 1);
  encode_pfor_block(gaps.data(), pfor);
  const size_t len = encode_doc_block(docs.data(), 1000, buf);
  const size_t bitset = 1 + (docs.back() - 1000 + 8) / 8;
  CHECK(4 * bitset <= 3 * pfor.size());
  CHECK(static_cast<uint8_t>(buf[0]) == 0xFF);
  CHECK(len == bitset);
  std::vector<uint32_t> out(128);
  CHECK(decode_doc_block(buf.data(), buf.size(), 1000, docs.back(), out.data()) == len);
  CHECK(out == docs);
  // Every doc of a range: 16 bytes of bitset, or a PFOR block of zero gaps (2 bytes).
  std::vector<uint32_t> all(128);
  for (uint32_t i = 0; i < 128; ++i) all[i] = 50 + i;
  buf.clear();
  CHECK(encode_doc_block(all.data(), 50, buf) == 2);
}

TEST_CASE("doc blocks: a bitset block ORed into a window sets exactly the bits of its decoded ids") {
  std::mt19937 rng(29);
  int bitsets = 0;
  for (int rep = 0; rep < 300; ++rep) {
    const uint32_t bit0 = rng() % 5000, base = bit0 + rng() % 300;
    std::vector<uint32_t> docs;
    const unsigned keep = 2 + rng() % 3;  // densities from one half to two thirds, a bitset mostly
    for (uint32_t d = base; docs.size() < kCodecBlock; ++d)
      if (rng() % keep != 0 || d == base) docs.push_back(d);
    std::string buf;
    const size_t len = encode_doc_block(docs.data(), base, buf);
    std::vector<uint64_t> got(16, 0), want(16, 0);
    if (!is_doc_bitset(buf.data(), len)) {
      CHECK(or_doc_bitset(buf.data(), len, base, docs.back(), bit0, got.data()) == 0);
      continue;
    }
    ++bitsets;
    // Bits already set stay set.
    got[3] = want[3] = 0x8000000000000001ull;
    CHECK(or_doc_bitset(buf.data(), len, base, docs.back(), bit0, got.data()) == len);
    for (uint32_t d : docs) want[(d - bit0) / 64] |= uint64_t{1} << ((d - bit0) % 64);
    CHECK(got == want);
    // The wrong last doc, one byte less, or a bit cleared: an error, no bit set.
    std::vector<uint64_t> none(16, 0);
    CHECK(or_doc_bitset(buf.data(), len, base, docs.back() + 1, bit0, none.data()) == SIZE_MAX);
    CHECK(or_doc_bitset(buf.data(), len - 1, base, docs.back(), bit0, none.data()) == SIZE_MAX);
    std::string cleared = buf;
    cleared[1] = static_cast<char>(cleared[1] & ~1);  // the first id, at base
    CHECK(or_doc_bitset(cleared.data(), len, base, docs.back(), bit0, none.data()) == SIZE_MAX);
    CHECK(none == std::vector<uint64_t>(16, 0));
  }
  CHECK(bitsets > 100);
}

TEST_CASE("blocks near the top of the id range, and gaps that would wrap, are rejected or exact") {
  std::vector<uint32_t> docs{1u << 31, (1u << 31) + 1, UINT32_MAX - 1}, freqs{1, 7, 1};
  std::string buf;
  const size_t len = encode_tail_block(docs.data(), freqs.data(), 3, 5, buf);
  std::vector<uint32_t> out(3), f(3);
  CHECK(decode_tail_block(buf.data(), buf.size(), 3, 5, out.data(), f.data()) == len);
  CHECK(out == docs);
  CHECK(f == freqs);
  // Gaps summing past 2^32 do not wrap into a valid-looking block.
  std::string wrap;
  put_varint(wrap, uint64_t{UINT32_MAX} << 1 | 1);
  put_varint(wrap, 10u << 1 | 1);
  CHECK(decode_tail_block(wrap.data(), wrap.size(), 2, 0, out.data(), f.data()) == SIZE_MAX);
  std::vector<uint32_t> big(kCodecBlock, 1u << 25);  // PFOR gaps summing past 2^32
  std::string packed;
  encode_pfor_block(big.data(), packed);
  std::vector<uint32_t> dec(kCodecBlock);
  CHECK(decode_doc_block(packed.data(), packed.size(), 0,
                         static_cast<uint32_t>((uint64_t{1} << 25) * kCodecBlock + 127), dec.data()) == SIZE_MAX);
}

TEST_CASE("decoding truncated or random bytes returns SIZE_MAX or some values, never over-reads") {
  std::mt19937 rng(9);
  std::vector<uint32_t> v = block_values(rng, 9, 6);
  std::string good;
  encode_pfor_block(v.data(), good);
  uint32_t out[256];
  for (size_t cut = 0; cut < good.size(); ++cut) {
    const std::string part = good.substr(0, cut);  // its own allocation: ASan sees any over-read
    CHECK(decode_pfor_block(part.data(), part.size(), out) == SIZE_MAX);
  }
  for (int rep = 0; rep < 2000; ++rep) {
    std::string junk(rng() % 700, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    const size_t a = decode_pfor_block(junk.data(), junk.size(), out);
    CHECK((a == SIZE_MAX || a <= junk.size()));
    const size_t b = decode_doc_block(junk.data(), junk.size(), rng() % 100, rng(), out);
    CHECK((b == SIZE_MAX || b <= junk.size()));
    uint32_t f[128];
    const size_t t = decode_tail_block(junk.data(), junk.size(), 1 + rng() % 127, rng() % 100, out, f);
    CHECK((t == SIZE_MAX || t <= junk.size()));
    const size_t c = decode_values(junk.data(), junk.size(), rng() % 256, out);
    CHECK((c == SIZE_MAX || c <= junk.size()));
  }
}

TEST_CASE("days_from_civil known values") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(1970, 1, 2) == 1);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2000, 1, 1) == 10957);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(1900, 1, 1) == -25567);
  CHECK(days_from_civil(2024, 2, 29) + 1 == days_from_civil(2024, 3, 1));
  CHECK(days_from_civil(2023, 2, 28) + 1 == days_from_civil(2023, 3, 1));
  CHECK(days_from_civil(1, 1, 1) == -719162);
}

TEST_CASE("civil_from_days round trip over 1900..2100") {
  DayNumber expected = days_from_civil(1900, 1, 1);
  int checked = 0;
  for (int y = 1900; y <= 2100; ++y)
    for (unsigned m = 1; m <= 12; ++m)
      for (unsigned d = 1; d <= days_in_month(y, m); ++d) {
        const DayNumber n = days_from_civil(y, m, d);
        if (n != expected) {
          FAIL_CHECK("days_from_civil(" << y << "," << m << "," << d << ") = " << n << ", expected "
                                        << expected);
        }
        int yy;
        unsigned mm, dd;
        civil_from_days(n, yy, mm, dd);
        if (yy != y || mm != m || dd != d) FAIL_CHECK("civil_from_days(" << n << ") wrong");
        ++expected;
        ++checked;
      }
  CHECK(checked == 73414);  // 201 * 365 + 49 leap days (1900 and 2100 are not leap years)
}

TEST_CASE("leap years") {
  CHECK(days_in_month(2024, 2) == 29);
  CHECK(days_in_month(2023, 2) == 28);
  CHECK(days_in_month(2000, 2) == 29);
  CHECK(days_in_month(1900, 2) == 28);
  CHECK(days_in_month(2100, 2) == 28);
  CHECK(days_in_month(2400, 2) == 29);
  CHECK(days_in_month(2023, 1) == 31);
  CHECK(days_in_month(2023, 4) == 30);
  CHECK(days_in_month(2023, 12) == 31);
  CHECK(valid_civil(2024, 2, 29));
  CHECK(!valid_civil(2023, 2, 29));
  CHECK(!valid_civil(1900, 2, 29));
  CHECK(valid_civil(2000, 2, 29));
  CHECK(!valid_civil(2024, 4, 31));
  CHECK(!valid_civil(2024, 0, 1));
  CHECK(!valid_civil(2024, 13, 1));
  CHECK(!valid_civil(2024, 1, 0));
  CHECK(!valid_civil(0, 1, 1));
  CHECK(valid_civil(1, 1, 1));
  CHECK(valid_civil(9999, 12, 31));
  CHECK(!valid_civil(10000, 1, 1));
}

TEST_CASE("parse_iso_date") {
  CHECK(parse_iso_date("1970-01-01") == 0);
  CHECK(parse_iso_date("2024-02-29") == days_from_civil(2024, 2, 29));
  CHECK(parse_iso_date("2000-02-29") == days_from_civil(2000, 2, 29));
  CHECK(parse_iso_date("1900-12-31") == days_from_civil(1900, 12, 31));
  CHECK(parse_iso_date("0001-01-01") == days_from_civil(1, 1, 1));
  CHECK(parse_iso_date("9999-12-31") == days_from_civil(9999, 12, 31));
  CHECK(!parse_iso_date("2024-02-30"));
  CHECK(!parse_iso_date("2023-02-29"));
  CHECK(!parse_iso_date("1900-02-29"));
  CHECK(!parse_iso_date("2024-13-01"));
  CHECK(!parse_iso_date("2024-00-10"));
  CHECK(!parse_iso_date("2024-01-00"));
  CHECK(!parse_iso_date("2024-04-31"));
  CHECK(!parse_iso_date("0000-01-01"));
  CHECK(!parse_iso_date("24-01-01"));
  CHECK(!parse_iso_date("2024-1-01"));
  CHECK(!parse_iso_date("2024-01-1"));
  CHECK(!parse_iso_date("2024/01/01"));
  CHECK(!parse_iso_date("20240101"));
  CHECK(!parse_iso_date("2024-01-01 "));
  CHECK(!parse_iso_date(" 2024-01-01"));
  CHECK(!parse_iso_date("2024-01-01T00:00"));
  CHECK(!parse_iso_date("2024-0a-01"));
  CHECK(!parse_iso_date("+024-01-01"));
  CHECK(!parse_iso_date("-024-01-01"));
  CHECK(!parse_iso_date("2024-+1-01"));
  CHECK(!parse_iso_date(""));
}

TEST_CASE("format_iso_date") {
  CHECK(format_iso_date(0) == "1970-01-01");
  CHECK(format_iso_date(-1) == "1969-12-31");
  CHECK(format_iso_date(days_from_civil(2024, 2, 29)) == "2024-02-29");
  CHECK(format_iso_date(days_from_civil(1, 1, 1)) == "0001-01-01");
  CHECK(format_iso_date(days_from_civil(9999, 12, 31)) == "9999-12-31");
  CHECK(format_iso_date(kNoDate) == "");
  // parse(format(d)) == d over a long range.
  for (DayNumber d = days_from_civil(1890, 1, 1); d <= days_from_civil(2110, 12, 31); d += 13) {
    auto back = parse_iso_date(format_iso_date(d));
    REQUIRE(back);
    CHECK(*back == d);
  }
}

// ---------------------------------------------------------------------------
// JSON

TEST_CASE("json strings escape quotes, backslashes and control characters") {
  CHECK(J("") == "\"\"");
  CHECK(J("plain") == "\"plain\"");
  CHECK(J("say \"hi\"") == "\"say \\\"hi\\\"\"");
  CHECK(J("a\\b") == "\"a\\\\b\"");
  CHECK(J("a\nb\rc\td") == "\"a\\nb\\rc\\td\"");
  CHECK(J(std::string_view("\0", 1)) == "\"\\u0000\"");
  CHECK(J("\x01\x1f") == "\"\\u0001\\u001f\"");
  CHECK(J("\b\f") == "\"\\u0008\\u000c\"");
  CHECK(J("/") == "\"/\"");
  for (int c = 0; c < 0x20; ++c) {
    const std::string out = J(std::string(1, static_cast<char>(c)));
    INFO("control " << c);
    CHECK(valid_json_string(out));
    CHECK(out.find(static_cast<char>(c)) == std::string::npos);
  }
}

TEST_CASE("json strings keep valid multi-byte UTF-8") {
  CHECK(J("café") == "\"café\"");
  CHECK(J("東京") == "\"東京\"");
  CHECK(J("\xF0\x9F\x98\x80") == "\"\xF0\x9F\x98\x80\"");  // U+1F600
  CHECK(J("\xC2\x80") == "\"\xC2\x80\"");                  // U+0080
  CHECK(J("\xEF\xBF\xBF") == "\"\xEF\xBF\xBF\"");          // U+FFFF
  CHECK(J("\xF4\x8F\xBF\xBF") == "\"\xF4\x8F\xBF\xBF\"");  // U+10FFFF
  CHECK(J("Rutte’s") == "\"Rutte’s\"");
}

TEST_CASE("json strings replace invalid UTF-8 with U+FFFD") {
  const std::string R = "\xEF\xBF\xBD";
  CHECK(J("a\xFF" "b") == "\"a" + R + "b\"");
  CHECK(J("a\x80" "b") == "\"a" + R + "b\"");
  CHECK(J("\xC3") == "\"" + R + "\"");            // truncated at the end
  CHECK(J("\xC3" "A") == "\"" + R + "A\"");        // lead byte then ASCII
  CHECK(J("\xC0\xAF") == "\"" + R + R + "\"");     // overlong '/'
  CHECK(J("\xC1\xBF").find(R) != std::string::npos);
  CHECK(valid_json_string(J("\xE2\x82")));
  CHECK(valid_json_string(J("\xF0\x9F\x98")));
}

TEST_CASE("json strings reject surrogates, overlong and out-of-range sequences") {
  // Each of these is invalid UTF-8; the output must still be valid UTF-8
  // (U+FFFD in place of the bad bytes) or strict JSON parsers reject it.
  const std::vector<std::string> bad{
      "\xED\xA0\x80",      // U+D800 high surrogate
      "\xED\xBF\xBF",      // U+DFFF low surrogate
      "\xE0\x80\x80",      // overlong NUL, 3 bytes
      "\xE0\x9F\xBF",      // overlong U+07FF
      "\xF0\x80\x80\x80",  // overlong NUL, 4 bytes
      "\xF0\x8F\xBF\xBF",  // overlong U+FFFF
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // lead byte beyond U+10FFFF
      "\xF7\xBF\xBF\xBF",
  };
  for (const auto& b : bad) {
    const std::string out = J("x" + b + "y");
    std::string hex;
    for (unsigned char c : b) hex += "0123456789ABCDEF"[c >> 4], hex += "0123456789ABCDEF"[c & 15], hex += ' ';
    INFO("input bytes: " << hex);
    CHECK(valid_json_string(out));
    CHECK(out.find("\xEF\xBF\xBD") != std::string::npos);
  }
}

TEST_CASE("json strings are valid for random bytes") {
  std::mt19937 rng(5);
  int failures = 0;
  for (int iter = 0; iter < 5000; ++iter) {
    std::string s(rng() % 24, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    // Restrict to bytes a structurally valid encoder cannot get wrong:
    // ASCII, continuation bytes and the lead bytes C2..DF / E1..EC / EE..EF.
    for (auto& c : s) {
      auto u = static_cast<unsigned char>(c);
      if (u == 0xC0 || u == 0xC1 || u == 0xE0 || u == 0xED || u >= 0xF0) c = 'z';
    }
    if (!valid_json_string(J(s))) ++failures;
  }
  CHECK(failures == 0);
}

TEST_CASE("JsonObject builds one-line objects") {
  JsonObject o;
  o.field("id", "a\"b").field("n", 42LL).field("x", 1.5).field("list", std::vector<std::string>{"p", "q\n"});
  o.null_field("none").raw_field("raw", "[1,2]");
  CHECK(o.str() == "{\"id\":\"a\\\"b\",\"n\":42,\"x\":1.5,\"list\":[\"p\",\"q\\n\"],\"none\":null,\"raw\":[1,2]}");
  CHECK(JsonObject().str() == "{}");
  JsonObject inf;
  inf.field("v", std::numeric_limits<double>::infinity());
  CHECK(inf.str() == "{\"v\":null}");
}

TEST_CASE("count_bits (popcnt by run-time dispatch) equals the bit-by-bit count") {
  std::mt19937_64 rng(37);
  for (int round = 0; round < 200; ++round) {
    const uint32_t words = static_cast<uint32_t>(rng() % 40);
    std::vector<uint64_t> bits(words + 1), excluded(words + 1);
    for (uint32_t w = 0; w <= words; ++w) {
      // Sparse, dense, empty and full words.
      const unsigned shape = rng() % 4;
      bits[w] = shape == 0 ? 0 : shape == 1 ? ~0ull : shape == 2 ? rng() & rng() : rng();
      excluded[w] = rng() % 3 == 0 ? rng() & rng() & rng() : 0;
    }
    const size_t at = rng() % 2;  // unaligned starts too
    CHECK(dateline::count_bits(bits.data() + at, nullptr, words - (at && words)) ==
          dateline::reference_count_bits(bits.data() + at, nullptr, words - (at && words)));
    CHECK(dateline::count_bits(bits.data(), excluded.data(), words) ==
          dateline::reference_count_bits(bits.data(), excluded.data(), words));
  }
  const uint64_t all[2] = {~0ull, ~0ull}, some[2] = {0x0f, 1ull << 63};
  CHECK(dateline::count_bits(all, nullptr, 2) == 128);
  CHECK(dateline::count_bits(all, some, 2) == 123);
}

TEST_CASE("range_bits (SIMD, run-time dispatch) equals the scalar reference") {
  std::mt19937 rng(31);
  std::vector<int32_t> values(64 * 9 + 3);
  for (int round = 0; round < 200; ++round) {
    for (auto& v : values) {
      const unsigned r = rng() % 10;
      v = r == 0 ? INT32_MIN : r == 1 ? INT32_MAX : static_cast<int32_t>(rng() % 2000) - 1000;
    }
    const int32_t lo = round % 7 == 0 ? INT32_MIN + 1 : static_cast<int32_t>(rng() % 2000) - 1000;
    const int32_t hi = round % 5 == 0 ? INT32_MAX : lo + static_cast<int32_t>(rng() % 800);
    const size_t at = rng() % 3;  // unaligned starts too
    std::vector<uint64_t> got(9), want(9);
    dateline::range_bits(values.data() + at, 9, lo, hi, got.data());
    dateline::reference_range_bits(values.data() + at, 9, lo, hi, want.data());
    CHECK(got == want);
  }
}
