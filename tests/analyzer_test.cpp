// The analyzer: Unicode tokenisation, case folding and Snowball stemming.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/analyzer.h"
#include "common/fields.h"
#include "test_util.h"

using dateline::Analyzer;
using dateline::Token;

namespace {

Analyzer& english() {
  static Analyzer a("english");
  return a;
}
Analyzer& plain() {
  static Analyzer a("none");
  return a;
}
// Accents kept (--fold-accents no): tokens are NFC.
Analyzer& nfc() {
  static Analyzer a("english", false);
  return a;
}

std::vector<Token> tokens(std::string_view text, bool stem = false, Analyzer& a = english()) {
  std::vector<Token> out;
  a.analyze(text, stem, out);
  return out;
}

// The terms of `text`, unstemmed unless asked.
std::vector<std::string> T(std::string_view text, bool stem = false, Analyzer& a = english()) {
  std::vector<std::string> out;
  for (auto& t : tokens(text, stem, a)) out.push_back(t.term);
  return out;
}
std::vector<std::string> S(std::string_view text) { return T(text, true); }

using V = std::vector<std::string>;

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

}  // namespace

TEST_CASE("ASCII words are split on spaces and punctuation and lower-cased") {
  CHECK(T("Hello, World!") == V{"hello", "world"});
  CHECK(T("  The QUICK brown\tfox\njumps.  ") == V{"the", "quick", "brown", "fox", "jumps"});
  CHECK(T("") == V{});
  CHECK(T(" \t\n.,;:!?()[]{}\"") == V{});
  CHECK(T("a") == V{"a"});
  CHECK(T("x1 2y abc123def") == V{"x1", "2y", "abc123def"});
  CHECK(T("foo_bar foo/bar foo@bar #tag") == V{"foo", "bar", "foo", "bar", "foo", "bar", "tag"});
}

TEST_CASE("case folding covers non-ASCII letters") {
  CHECK(T("ÉLYSÉE", false, nfc()) == V{"élysée"});
  CHECK(T("Ångström ÆØÅ", false, nfc()) == V{"ångström", "æøå"});
  // Full case folding: ß and ẞ become "ss", so they meet "STRASSE".
  CHECK(T("Straße") == V{"strasse"});
  CHECK(T("STRAẞE") == V{"strasse"});
  CHECK(T("STRASSE") == V{"strasse"});
  // Greek, with final sigma folded to sigma.
  CHECK(T("ΣΟΦΊΑ", false, nfc()) == V{"σοφία"});
  CHECK(T("ΟΔΥΣΣΕΥΣ Οδυσσευς") == V{"οδυσσευσ", "οδυσσευσ"});
  CHECK(T("Москва") == V{"москва"});
  // Turkish dotted capital I folds to i + combining dot (full folding).
  CHECK(T("İ", false, nfc()) == V{"i\xCC\x87"});
}

TEST_CASE("accents are folded by default: NFKC without marks, ASCII spellings of the other letters") {
  CHECK(english().folds_accents());
  CHECK(!nfc().folds_accents());
  CHECK(T("ÉLYSÉE") == V{"elysee"});
  CHECK(T("Gdańsk GDANSK gdansk") == V{"gdansk", "gdansk", "gdansk"});
  CHECK(T("São Paulo") == V{"sao", "paulo"});
  CHECK(T("Ångström ÆØÅ") == V{"angstrom", "aeoa"});
  CHECK(T("Tromsø Kjærgaard Łukasiewicz Þór Đorđe") == V{"tromso", "kjaergaard", "lukasiewicz", "thor", "dorde"});
  CHECK(T("Œuvre straße") == V{"oeuvre", "strasse"});
  CHECK(T("ΣΟΦΊΑ") == V{"σοφια"});  // other scripts lose their accents too
  CHECK(T("İstanbul") == V{"istanbul"});
  // Compatibility forms: ligatures, full-width letters and digits.
  CHECK(T("ﬁnance") == V{"finance"});
  CHECK(T("ＮＡＴＯ ２０２４") == V{"nato", "2024"});
  // Decomposed input folds the same as composed input.
  CHECK(T("Gdan\xCC\x81sk") == V{"gdansk"});
  // Scripts whose letters compose (Hangul) stay composed.
  CHECK(T("서울") == V{"서울"});
  // Stemming comes after folding.
  CHECK(S("Cafés") == S("cafes"));
}

TEST_CASE("fold() case-folds without stemming") {
  const Analyzer& a = english();
  CHECK(a.fold("Negotiations") == "negotiations");
  CHECK(a.fold("RATES") == "rates");
  CHECK(a.fold("Straße") == "strasse");
  CHECK(a.fold("ÉLYSÉE") == "elysee");
  CHECK(a.fold("Rutte’s") == "rutte's");
  CHECK(a.fold("cafe\xCC\x81") == "cafe");
  CHECK(a.fold("Tromsø") == "tromso");
  // Without accent folding: composes to NFC like analyze() does.
  CHECK(nfc().fold("ÉLYSÉE") == "élysée");
  CHECK(nfc().fold("cafe\xCC\x81") == "caf\xC3\xA9");
}

TEST_CASE("apostrophes join letters and are normalised to ASCII") {
  CHECK(T("rutte's") == V{"rutte's"});
  CHECK(T("O'Neill") == V{"o'neill"});
  CHECK(T("Rutte’s") == V{"rutte's"});  // U+2019
  CHECK(T("O’Neill’s") == V{"o'neill's"});
  // Not between two letters: the apostrophe separates or is dropped.
  CHECK(T("'quoted'") == V{"quoted"});
  CHECK(T("‘quoted’") == V{"quoted"});
  CHECK(T("students' union") == V{"students", "union"});
  CHECK(T("rock 'n' roll") == V{"rock", "n", "roll"});
  CHECK(T("it''s") == V{"it", "s"});
  CHECK(T("1990's") == V{"1990", "s"});  // digit before the apostrophe
  CHECK(T("a'1") == V{"a", "1"});
  // Typographic apostrophes: U+2018 (often typed for ’), U+02BC, full-width.
  CHECK(T("it‘s") == V{"it's"});
  CHECK(T("it\xCA\xBCs") == V{"it's"});
  CHECK(T("it\xEF\xBC\x87s") == V{"it's"});
  CHECK(T("‘quoted‘") == V{"quoted"});
  // Other quote-like characters are not apostrophes.
  CHECK(T("it`s") == V{"it", "s"});
  CHECK(T("it´s") == V{"it", "s"});
}

TEST_CASE("numbers keep '.' and ',' between digits") {
  CHECK(T("3.5") == V{"3.5"});
  CHECK(T("1,000") == V{"1,000"});
  CHECK(T("1,000,000.25") == V{"1,000,000.25"});
  CHECK(T("grew 3.5% to $1,000.") == V{"grew", "3.5", "to", "1,000"});
  // Trailing or leading separators are not part of the number.
  CHECK(T("3. 5") == V{"3", "5"});
  CHECK(T("3.") == V{"3"});
  CHECK(T(".5") == V{"5"});
  CHECK(T("3..5") == V{"3", "5"});
  CHECK(T("3,,5") == V{"3", "5"});
  CHECK(T("in 2024,prices") == V{"in", "2024", "prices"});
  CHECK(T("version 2.x") == V{"version", "2", "x"});
}

TEST_CASE("dotted acronyms join single letters and sentence ends split") {
  CHECK(T("U.S") == V{"u.s"});
  CHECK(T("the U.S. economy") == V{"the", "u.s", "economy"});
  CHECK(T("U.S.A.") == V{"u.s.a"});
  CHECK(T("e.g. this") == V{"e.g", "this"});
  CHECK(T("end.The") == V{"end", "the"});
  CHECK(T("talks.Rutte said") == V{"talks", "rutte", "said"});
  CHECK(T("ab.c") == V{"ab", "c"});
  // A dot with a space after it is a sentence end.
  CHECK(T("U. S.") == V{"u", "s"});
}

TEST_CASE("dotted acronyms: a single letter before a word does not join") {
  // The documented rule is "across '.' between single letters", so a
  // one-letter sentence end followed by a word must split like "end.The".
  CHECK(T("Plan B.The talks") == V{"plan", "b", "the", "talks"});
  CHECK(T("a.bc") == V{"a", "bc"});
}

TEST_CASE("hyphens and other punctuation split words") {
  CHECK(T("cease-fire") == V{"cease", "fire"});
  CHECK(T("cease‐fire") == V{"cease", "fire"});  // U+2010 HYPHEN
  CHECK(T("cease—fire") == V{"cease", "fire"});  // U+2014 EM DASH
  CHECK(T("well-known, long-term") == V{"well", "known", "long", "term"});
  CHECK(T("e-mail") == V{"e", "mail"});
  CHECK(T("a/b\\c|d") == V{"a", "b", "c", "d"});
  CHECK(T("non breaking\xC2\xA0space") == V{"non", "breaking", "space"});  // U+00A0
}

TEST_CASE("byte offsets point at the source text") {
  const std::string text = "  Élysée, PARIS-based 3.5 rutte’s 東京 end";
  auto toks = tokens(text);
  REQUIRE(toks.size() == 7);
  const V expected_src{"Élysée", "PARIS", "based", "3.5", "rutte’s", "東京", "end"};
  size_t from = 0;
  for (size_t i = 0; i < toks.size(); ++i) {
    const size_t at = text.find(expected_src[i], from);
    REQUIRE(at != std::string::npos);
    CHECK(toks[i].start == at);
    CHECK(toks[i].end == at + expected_src[i].size());
    CHECK(text.substr(toks[i].start, toks[i].end - toks[i].start) == expected_src[i]);
    from = at + expected_src[i].size();
  }
  CHECK(toks[0].term == "elysee");
  CHECK(toks[4].term == "rutte's");
  // Explicit numbers for the multi-byte word: É is 2 bytes, é is 2 bytes.
  CHECK(toks[0].start == 2);
  CHECK(toks[0].end == 10);
  CHECK(toks[6].end == text.size());
}

TEST_CASE("offsets are strictly increasing and inside the text for random input") {
  std::mt19937 rng(1234);
  const std::vector<std::string> pieces{"a",  "Z",  "é",  "ß", "σ", "東", "1",      ".",  ",",  "'",
                                        "’",  "-",  " ",  "\n", "\xFF", "\xC3", "\xE2\x80", "\xCC\x81",
                                        "\xF0\x9F\x98\x80", "İ"};
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1), len(0, 40);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string text;
    for (size_t n = len(rng); n > 0; --n) text += pieces[pick(rng)];
    auto toks = tokens(text, iter % 2 == 0);
    uint32_t last_end = 0;
    for (const auto& t : toks) {
      INFO("text: " << text);
      CHECK(t.start >= last_end);
      CHECK(t.start < t.end);
      CHECK(t.end <= text.size());
      CHECK(!t.term.empty());
      CHECK(t.term.size() <= dateline::kMaxTokenBytes);
      CHECK(valid_utf8(t.term));
      last_end = t.end;
    }
  }
}

TEST_CASE("invalid UTF-8 bytes separate words and never crash") {
  CHECK(T("abc\xFF" "def") == V{"abc", "def"});
  CHECK(T("abc\x80" "def") == V{"abc", "def"});
  CHECK(T("abc\xC3") == V{"abc"});            // truncated 2-byte sequence at the end
  CHECK(T("abc\xC3" "def") == V{"abc", "def"});  // lead byte followed by ASCII
  CHECK(T("abc\xE2\x80" "def") == V{"abc", "def"});
  CHECK(T("abc\xC0\x80" "def") == V{"abc", "def"});         // overlong NUL
  CHECK(T("abc\xED\xA0\x80" "def") == V{"abc", "def"});     // UTF-16 surrogate
  CHECK(T("abc\xF4\x90\x80\x80" "def") == V{"abc", "def"});  // > U+10FFFF
  CHECK(T("\xFF\xFE\xFD") == V{});
  auto toks = tokens("ab\xFF" "cd");
  REQUIRE(toks.size() == 2);
  CHECK(toks[0].start == 0);
  CHECK(toks[0].end == 2);
  CHECK(toks[1].start == 3);
  CHECK(toks[1].end == 5);
  // Embedded NUL bytes are separators too.
  CHECK(T(std::string_view("ab\0cd", 5)) == V{"ab", "cd"});
}

TEST_CASE("tokens longer than 64 bytes after folding are dropped") {
  const std::string w64(64, 'a'), w65(65, 'b');
  CHECK(T(w64) == V{w64});
  CHECK(T(w65) == V{});
  auto toks = tokens("short " + w65 + " after");
  REQUIRE(toks.size() == 2);
  CHECK(toks[0].term == "short");
  CHECK(toks[1].term == "after");
  CHECK(toks[1].start == 6 + 65 + 1);
  // Multi-byte: 32 × "é" is 64 bytes (kept), 33 × is 66 (dropped).
  std::string e32, e33;
  for (int i = 0; i < 32; ++i) e32 += "é";
  e33 = e32 + "é";
  CHECK(T(e32, false, nfc()).size() == 1);
  CHECK(T(e33, false, nfc()).empty());
  CHECK(T(e33) == V{std::string(33, 'e')});  // folded, 33 bytes
  // The limit applies after folding: 32 × "ẞ" (3 bytes each, 96 bytes) folds
  // to 64 bytes of "ss" and is kept.
  std::string cap_sharp_s;
  for (int i = 0; i < 32; ++i) cap_sharp_s += "ẞ";
  CHECK(T(cap_sharp_s) == V{std::string(64, 's')});
  // A 65-byte number is dropped too.
  CHECK(T(std::string(65, '7')) == V{});
}

TEST_CASE("combining marks stay inside words and compose to NFC") {
  // "café" with a combining acute: one token, composed (accents kept).
  auto toks = tokens("cafe\xCC\x81 au lait", false, nfc());
  REQUIRE(toks.size() == 3);
  CHECK(toks[0].term == "caf\xC3\xA9");
  CHECK(toks[0].start == 0);
  CHECK(toks[0].end == 6);  // the mark's two bytes are inside the token
  CHECK(T("cafe\xCC\x81") == T("café"));
  // A mark in the middle of a word does not split it.
  CHECK(T("nai\xCC\x88ve", false, nfc()) == V{"na\xC3\xAFve"});
  CHECK(T("nai\xCC\x88ve") == V{"naive"});
  // Devanagari vowel signs are marks (Mc/Mn).
  CHECK(T("हिन्दी").size() == 1);
  // A mark with no letter before it does not start a word.
  CHECK(T("\xCC\x81" "abc") == V{"abc"});
}

TEST_CASE("CJK and other scripts are letters") {
  CHECK(T("東京") == V{"東京"});
  CHECK(T("東京 大阪") == V{"東京", "大阪"});
  CHECK(T("東京、大阪。") == V{"東京", "大阪"});  // ideographic comma and full stop
  CHECK(T("ソニー") == V{"ソニー"});  // katakana with prolonged sound mark (Lm)
  CHECK(T("서울") == V{"서울"});
  CHECK(T("Tokyo東京") == V{"tokyo東京"});
  CHECK(T("٣٤٥") == V{"٣٤٥"});  // Arabic-Indic digits are digits
}

TEST_CASE("English stemming") {
  CHECK(S("rates") == V{"rate"});
  CHECK(S("negotiations") == V{"negoti"});
  CHECK(S("Negotiating") == V{"negoti"});
  CHECK(S("running ran runs") == V{"run", "ran", "run"});
  // Possessives lose their 's (both apostrophes).
  CHECK(S("rutte's") == S("rutte"));
  CHECK(S("Rutte’s") == S("rutte"));
  CHECK(S("rutte's")[0].find('\'') == std::string::npos);
  // Numbers and dotted acronyms are never stemmed.
  CHECK(S("1990s") == V{"1990s"});
  CHECK(S("3.5") == V{"3.5"});
  CHECK(S("1,000") == V{"1,000"});
  CHECK(S("U.S.") == V{"u.s"});
  CHECK(S("e.g.") == V{"e.g"});
  CHECK(S("mp3s") == V{"mp3s"});
  // stem(): direct access to the stemmer.
  CHECK(english().stem("rates") == "rate");
  CHECK(english().stem("negotiations") == "negoti");
  // Unstemmed analysis leaves the word alone.
  CHECK(T("negotiations", false) == V{"negotiations"});
  // Stemming is stable across repeated calls (the cache).
  for (int i = 0; i < 3; ++i) CHECK(S("Rates rates RATES") == V{"rate", "rate", "rate"});
}

TEST_CASE("Analyzer(\"none\") does not stem") {
  CHECK(plain().stemmer_name() == "none");
  CHECK(T("negotiations rates Rutte's", true, plain()) == V{"negotiations", "rates", "rutte's"});
  CHECK(plain().stem("rates") == "rates");
}

TEST_CASE("Analyzer(\"german\") stems German") {
  Analyzer de("german");
  CHECK(de.stemmer_name() == "german");
  std::vector<Token> out;
  de.analyze("Häuser Häusern", true, out);
  REQUIRE(out.size() == 2);
  CHECK(out[0].term == out[1].term);
  CHECK(out[0].term != "häuser");
  // German stemming differs from English on the same word.
  CHECK(de.stem("katzen") != english().stem("katzen"));
  CHECK(de.stem("katzen") == "katz");
}

TEST_CASE("unknown stemmers are rejected with the list of known ones") {
  bool thrown = false;
  try {
    Analyzer a("klingon");
  } catch (const std::invalid_argument& e) {
    thrown = true;
    const std::string msg = e.what();
    CHECK(msg.find("klingon") != std::string::npos);
    CHECK(msg.find("none") != std::string::npos);
    CHECK(msg.find("english") != std::string::npos);
    CHECK(msg.find("german") != std::string::npos);
  }
  CHECK(thrown);
  CHECK_THROWS_AS(Analyzer(""), std::invalid_argument);
  CHECK_THROWS_AS(Analyzer("English "), std::invalid_argument);
}

TEST_CASE("available_stemmers") {
  auto names = Analyzer::available_stemmers();
  CHECK(!names.empty());
  CHECK(names[0] == "none");
  CHECK(std::count(names.begin(), names.end(), "none") == 1);
  CHECK(std::count(names.begin(), names.end(), "english") == 1);
  CHECK(std::count(names.begin(), names.end(), "german") == 1);
  // Every listed name can be constructed.
  for (const auto& n : names) {
    INFO("stemmer: " << n);
    CHECK_NOTHROW(Analyzer a(n));
  }
}

TEST_CASE("analyze appends to the output vector") {
  std::vector<Token> out;
  english().analyze("one two", false, out);
  english().analyze("three", false, out);
  REQUIRE(out.size() == 3);
  CHECK(out[2].term == "three");
  CHECK(out[2].start == 0);  // offsets are relative to each call's text
}

TEST_CASE("the ASCII fast path of the tokenizer splits words as reading one code point at a time does") {
  auto same = [](const std::string& text) {
    std::vector<std::pair<uint32_t, uint32_t>> fast, reference;
    Analyzer::word_spans(text, fast);
    Analyzer::word_spans_by_code_point(text, reference);
    CHECK(fast == reference);
    return !fast.empty();
  };
  // Random texts over the characters whose neighbours matter: joiners,
  // non-ASCII letters, marks, digits, invalid bytes, at every alignment.
  const std::vector<std::string> pieces{"a", "b", "Z", "u", "s", "7", "0", "'", ".", ",", " ", "-", "\n",
                                        "\xC3\xA9", "\xCC\x81", "\xE2\x80\x99", "\xFF", "\xE4\xB8\xAD", "x1", "ab",
                                        "U.S", "3.5", "1,000", "rock'n'roll", "abcdefghij", "0123456789"};
  std::mt19937 rng(5);
  size_t with_words = 0;
  for (int t = 0; t < 20000; ++t) {
    std::string text;
    const size_t len = rng() % 24;
    for (size_t k = 0; k < len; ++k) text += pieces[rng() % pieces.size()];
    CAPTURE(text);
    with_words += same(text);
  }
  CHECK(with_words > 15000);
  // Whole files: the samples, and Reuters-21578's first file when present.
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dateline::testing::source_dir() / "corpus/samples"))
    if (e.is_regular_file()) files.push_back(e.path().string());
  if (dateline::testing::have_shared()) files.push_back((dateline::testing::shared_dir() / "corpora/reuters21578/reut2-000.sgm").string());
  else MESSAGE("tokenizer check without Reuters-21578: ../shared is not present");
  for (const std::string& f : files) {
    CAPTURE(f);
    std::ifstream in(f, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(same(text));
  }
}
