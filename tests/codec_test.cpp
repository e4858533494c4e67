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

#include "common/block_codec.h"
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

TEST_CASE("doc block round trip for every block size") {
  std::mt19937 rng(7);
  for (uint32_t n = 1; n <= 128; ++n) {
    for (int rep = 0; rep < 8; ++rep) {
      // Gaps from tiny to very large, including up to 2^31.
      const uint32_t max_gap = rep == 0 ? 1 : rep == 1 ? 255 : rep == 2 ? 65536 : rep == 3 ? (1u << 24) : 1000;
      uint32_t prev = (rep == 4) ? 0 : rng() % 1000000;
      std::vector<uint32_t> docs(n);
      uint32_t d = prev;
      for (uint32_t i = 0; i < n; ++i) {
        const uint32_t gap = rep == 5 && i == n / 2 ? (1u << 31) : 1 + rng() % max_gap;
        if (d > UINT32_MAX - 2 - gap) break;
        d += gap;
        docs[i] = d;
      }
      // Keep the list ascending even if the large gap was skipped.
      for (uint32_t i = 1; i < n; ++i)
        if (docs[i] <= docs[i - 1]) docs[i] = docs[i - 1] + 1;
      if (docs[0] <= prev) continue;
      std::string buf = "XYZ";  // appended after existing bytes
      const size_t len = encode_doc_block(docs.data(), n, prev, buf);
      CHECK(buf.size() == 3 + len);
      CHECK(buf.substr(0, 3) == "XYZ");
      std::vector<uint32_t> out(n + 1, 0xABABABAB);
      const size_t used = decode_doc_block(buf.data() + 3, len, n, prev, out.data());
      INFO("n=" << n << " rep=" << rep);
      CHECK(used == len);
      CHECK(out.back() == 0xABABABABu);  // nothing written past n
      out.pop_back();
      CHECK(out == docs);
    }
  }
}

TEST_CASE("doc block with gaps up to 2^31 and prev near the top") {
  std::vector<uint32_t> docs{1u << 31, (1u << 31) + 1, UINT32_MAX - 1};
  for (uint32_t prev : {0u, 5u}) {
    std::string buf;
    const size_t len = encode_doc_block(docs.data(), 3, prev, buf);
    std::vector<uint32_t> out(3);
    CHECK(decode_doc_block(buf.data(), buf.size(), 3, prev, out.data()) == len);
    CHECK(out == docs);
  }
  std::vector<uint32_t> one{UINT32_MAX};
  std::string buf;
  const size_t len = encode_doc_block(one.data(), 1, UINT32_MAX - 1, buf);
  uint32_t got = 0;
  CHECK(decode_doc_block(buf.data(), buf.size(), 1, UINT32_MAX - 1, &got) == len);
  CHECK(got == UINT32_MAX);
}

TEST_CASE("the run-time chosen decoder matches libstreamvbyte on arbitrary bytes") {
  // Any byte string is a valid Stream VByte block; both decoders must read
  // the same number of bytes and produce the same values (doc ids wrap
  // around modulo 2^32 alike).
  MESSAGE("SIMD decoder in use: " << (block_codec_uses_simd() ? "yes" : "no"));
  std::mt19937 rng(2024);
  for (int rep = 0; rep < 3000; ++rep) {
    const uint32_t n = rep % 129;
    std::string buf(n / 4 + 1 + 4 * n + 16, '\0');
    const int style = rep % 3;  // all bytes random, short values, or long values
    for (auto& c : buf) c = static_cast<char>(style == 0 ? rng() : style == 1 ? rng() % 4 : rng() | 0xF0);
    const uint32_t prev = rep % 7 == 0 ? UINT32_MAX - 3 : rng() % 1000;
    std::vector<uint32_t> fast(n + 1, 7), ref(n + 1, 7);
    INFO("rep " << rep << " n " << n);
    CHECK(decode_doc_block(buf.data(), buf.size(), n, prev, fast.data()) ==
          reference_decode_doc_block(buf.data(), buf.size(), n, prev, ref.data()));
    CHECK(fast == ref);
    CHECK(decode_value_block(buf.data(), buf.size(), n, fast.data()) ==
          reference_decode_value_block(buf.data(), buf.size(), n, ref.data()));
    CHECK(fast == ref);
  }
}

TEST_CASE("value block round trip") {
  std::mt19937 rng(99);
  for (uint32_t n = 1; n <= 128; ++n) {
    std::vector<uint32_t> vals(n);
    for (uint32_t i = 0; i < n; ++i) {
      switch (rng() % 5) {
        case 0: vals[i] = rng() % 4; break;
        case 1: vals[i] = rng() % 300; break;
        case 2: vals[i] = rng() % 70000; break;
        case 3: vals[i] = rng() % (1u << 24); break;
        default: vals[i] = rng(); break;
      }
    }
    vals[0] = n % 2 ? UINT32_MAX : 0;
    std::string buf;
    const size_t len = encode_value_block(vals.data(), n, buf);
    CHECK(len == buf.size());
    std::vector<uint32_t> out(n);
    CHECK(decode_value_block(buf.data(), buf.size(), n, out.data()) == len);
    CHECK(out == vals);
  }
}

TEST_CASE("several blocks back to back decode in sequence") {
  std::vector<uint32_t> a{3, 9, 200, 70000}, b{70001, 90000}, fa{1, 2, 3, 400}, fb{7, 1};
  std::string buf;
  const size_t la = encode_doc_block(a.data(), 4, 0, buf);
  const size_t lfa = encode_value_block(fa.data(), 4, buf);
  const size_t lb = encode_doc_block(b.data(), 2, a.back(), buf);
  const size_t lfb = encode_value_block(fb.data(), 2, buf);
  CHECK(la + lfa + lb + lfb == buf.size());
  std::vector<uint32_t> da(4), dfa(4), db(2), dfb(2);
  const char* p = buf.data();
  size_t left = buf.size();
  size_t n = decode_doc_block(p, left, 4, 0, da.data());
  REQUIRE(n == la);
  p += n, left -= n;
  n = decode_value_block(p, left, 4, dfa.data());
  REQUIRE(n == lfa);
  p += n, left -= n;
  n = decode_doc_block(p, left, 2, a.back(), db.data());
  REQUIRE(n == lb);
  p += n, left -= n;
  n = decode_value_block(p, left, 2, dfb.data());
  REQUIRE(n == lfb);
  CHECK(da == a);
  CHECK(dfa == fa);
  CHECK(db == b);
  CHECK(dfb == fb);
}

TEST_CASE("decoding truncated blocks returns SIZE_MAX without over-reading") {
  std::mt19937 rng(3);
  for (uint32_t n : {1u, 2u, 3u, 4u, 5u, 17u, 64u, 127u, 128u}) {
    std::vector<uint32_t> docs(n), vals(n);
    uint32_t d = 10;
    for (uint32_t i = 0; i < n; ++i) {
      d += 1 + rng() % (i % 3 == 0 ? 100000 : 100);
      docs[i] = d;
      vals[i] = rng() % (i % 2 ? 1000 : 5);
    }
    std::string db, vb;
    const size_t ld = encode_doc_block(docs.data(), n, 10, db);
    const size_t lv = encode_value_block(vals.data(), n, vb);
    for (size_t avail = 0; avail < ld; ++avail) {
      // Copy to an exactly-sized heap buffer so ASan catches any over-read.
      std::vector<char> exact(db.begin(), db.begin() + static_cast<long>(avail));
      std::vector<uint32_t> out(n);
      INFO("n=" << n << " avail=" << avail);
      CHECK(decode_doc_block(exact.data(), avail, n, 10, out.data()) == SIZE_MAX);
    }
    for (size_t avail = 0; avail < lv; ++avail) {
      std::vector<char> exact(vb.begin(), vb.begin() + static_cast<long>(avail));
      std::vector<uint32_t> out(n);
      CHECK(decode_value_block(exact.data(), avail, n, out.data()) == SIZE_MAX);
    }
    // Exactly sized buffers decode (the decoder pads internally).
    std::vector<char> exact_d(db.begin(), db.end()), exact_v(vb.begin(), vb.end());
    std::vector<uint32_t> out(n);
    CHECK(decode_doc_block(exact_d.data(), exact_d.size(), n, 10, out.data()) == ld);
    CHECK(out == docs);
    CHECK(decode_value_block(exact_v.data(), exact_v.size(), n, out.data()) == lv);
    CHECK(out == vals);
  }
}

TEST_CASE("decoding random garbage never over-reads") {
  std::mt19937 rng(11);
  for (int iter = 0; iter < 3000; ++iter) {
    const size_t len = rng() % 600;
    std::vector<char> junk(len);
    for (auto& c : junk) c = static_cast<char>(rng());
    const uint32_t n = 1 + rng() % 128;
    std::vector<uint32_t> out(n);
    const size_t a = decode_doc_block(junk.data(), len, n, rng() % 100, out.data());
    CHECK((a == SIZE_MAX || a <= len));
    const size_t b = decode_value_block(junk.data(), len, n, out.data());
    CHECK((b == SIZE_MAX || b <= len));
  }
}

// ---------------------------------------------------------------------------
// dates

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
