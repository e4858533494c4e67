#include "common/analyzer.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "common/fields.h"

namespace dateline {

namespace {

enum class CharClass { Other, Letter, Digit, Mark };

CharClass classify(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return CharClass::Letter;
    if (cp >= '0' && cp <= '9') return CharClass::Digit;
    return CharClass::Other;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return CharClass::Letter;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return CharClass::Digit;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return CharClass::Mark;
    default:
      return CharClass::Other;
  }
}

// One decoded code point: value, class and byte length (invalid bytes decode
// as a single Other byte).
struct CodePoint {
  utf8proc_int32_t cp;
  CharClass cls;
  uint32_t len;
};

// The classes of the ASCII characters, looked up instead of tested.
struct AsciiClasses {
  CharClass of[128];
  constexpr AsciiClasses() : of() {
    for (int c = 0; c < 128; ++c)
      of[c] = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? CharClass::Letter
              : (c >= '0' && c <= '9')                 ? CharClass::Digit
                                                       : CharClass::Other;
  }
};
constexpr AsciiClasses kAscii;

CodePoint decode(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, kAscii.of[c], 1};
  utf8proc_int32_t cp;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                            static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0) return {-1, CharClass::Other, 1};
  return {cp, classify(cp), static_cast<uint32_t>(n)};
}

// The apostrophes that join words and fold to ASCII '.
bool is_apostrophe(utf8proc_int32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0xFF07;
}

// Lower-case letters that NFKD leaves alone, spelled out in ASCII the way
// Lucene's ASCIIFoldingFilter does.
const char* ascii_spelling(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x00E6: return "ae";  // æ
    case 0x00F0: return "d";   // ð
    case 0x00F8: return "o";   // ø
    case 0x00FE: return "th";  // þ
    case 0x0111: return "d";   // đ
    case 0x0127: return "h";   // ħ
    case 0x0131: return "i";   // ı
    case 0x0142: return "l";   // ł
    case 0x014B: return "n";   // ŋ
    case 0x0153: return "oe";  // œ
    case 0x0167: return "t";   // ŧ
    case 0x0192: return "f";   // ƒ
    default: return nullptr;
  }
}

// Case-folds a token (NFC, or NFKD without marks and with the letters above
// spelled out when `accents` is true); every apostrophe becomes ASCII '.
// Writes the folded form into `out` (replacing what it held), so that a
// caller can fold into a string it already has: no copies of the token.
void fold_token_into(std::string_view raw, bool accents, std::string& out) {
  bool ascii = true;
  for (char ch : raw)
    if (static_cast<unsigned char>(ch) >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) {
    out.assign(raw.data(), raw.size());
    for (char& ch : out)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
    return;
  }
  out.clear();
  const int options = UTF8PROC_STABLE | UTF8PROC_CASEFOLD |
                      UTF8PROC_COMPOSE | (accents ? UTF8PROC_COMPAT | UTF8PROC_STRIPMARK : 0);
  utf8proc_uint8_t* mapped = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(raw.data()),
                        static_cast<utf8proc_ssize_t>(raw.size()), &mapped, static_cast<utf8proc_option_t>(options));
  if (n < 0) {
    out.assign(raw.data(), raw.size());
    return;
  }
  out.reserve(static_cast<size_t>(n));
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t cp;
    const auto len = utf8proc_iterate(mapped + i, n - i, &cp);
    if (len <= 0) break;  // not reachable: utf8proc_map returns valid UTF-8
    if (is_apostrophe(cp)) {
      out.push_back('\'');
    } else if (const char* ascii_form = accents ? ascii_spelling(cp) : nullptr) {
      out += ascii_form;
    } else {
      out.append(reinterpret_cast<const char*>(mapped + i), static_cast<size_t>(len));
    }
    i += len;
  }
  std::free(mapped);
}

std::string fold_token(std::string_view raw, bool accents) {
  std::string out;
  fold_token_into(raw, accents, out);
  return out;
}

// The end of the word that starts at `start` with code point `c` (a letter
// or digit), one code point at a time.
size_t word_end(std::string_view text, size_t start, CodePoint c) {
  const size_t n = text.size();
  size_t i = start;
  CharClass prev = c.cls;
  size_t part_letters = c.cls == CharClass::Letter ? 1 : 0;  // letters since last joiner
  size_t part_chars = 1;
  i += c.len;
  while (i < n) {
    // ASCII letters and digits continue the word, and ASCII bytes other
    // than the joiners end it, without decoding.
    if (const auto b = static_cast<unsigned char>(text[i]); b < 0x80) {
      const CharClass cls = kAscii.of[b];
      if (cls != CharClass::Other) {
        prev = cls;
        ++part_chars;
        if (cls == CharClass::Letter) ++part_letters;
        ++i;
        continue;
      }
      if (b != '\'' && b != '.' && b != ',') break;
    }
    CodePoint d = decode(text, i);
    if (d.cls == CharClass::Letter || d.cls == CharClass::Digit || d.cls == CharClass::Mark) {
      if (d.cls != CharClass::Mark) {
        prev = d.cls;
        ++part_chars;
        if (d.cls == CharClass::Letter) ++part_letters;
      }
      i += d.len;
      continue;
    }
    // A joiner continues the word only with the right neighbours.
    if (i + d.len >= n) break;
    CodePoint next = decode(text, i + d.len);
    bool join = false;
    if (is_apostrophe(d.cp)) {
      join = prev == CharClass::Letter && next.cls == CharClass::Letter;
    } else if (d.cp == '.' || d.cp == ',') {
      join = prev == CharClass::Digit && next.cls == CharClass::Digit;
      if (!join && d.cp == '.' && prev == CharClass::Letter && part_chars == 1 &&
          part_letters == 1 && next.cls == CharClass::Letter) {
        // Only single letters on both sides: "u.s", not "b.the".
        const size_t after = i + d.len + next.len;
        const CharClass a = after < n ? decode(text, after).cls : CharClass::Other;
        join = a != CharClass::Letter && a != CharClass::Digit && a != CharClass::Mark;
      }
    }
    if (!join) break;
    i += d.len;
    part_letters = part_chars = 0;
  }
  return i;
}

// The first byte at or after i that is not an ASCII letter or digit (or
// text.size()), eight bytes at a time.
size_t ascii_alnum_end(std::string_view text, size_t i) {
  const size_t n = text.size();
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t k01 = 0x0101010101010101ull, k80 = 0x8080808080808080ull, k7f = 0x7f7f7f7f7f7f7f7full;
    // High bit of each byte of v (bytes under 0x80): lo <= byte <= hi.
    auto in_range = [&](uint64_t v, uint64_t lo, uint64_t hi) {
      return (v + k01 * (0x80 - lo)) & ~(v + k01 * (0x7f - hi)) & k80;
    };
    for (; i + 8 <= n; i += 8) {
      uint64_t x;
      std::memcpy(&x, text.data() + i, 8);
      const uint64_t low = x & k7f;
      const uint64_t alnum = (in_range(low, '0', '9') | in_range(low | k01 * 0x20, 'a', 'z')) & ~x & k80;
      if (const uint64_t other = ~alnum & k80) return i + static_cast<size_t>(std::countr_zero(other)) / 8;
    }
  }
  while (i < n && static_cast<unsigned char>(text[i]) < 0x80 &&
         kAscii.of[static_cast<unsigned char>(text[i])] != CharClass::Other)
    ++i;
  return i;
}

// Calls emit(start, end, ascii) for each word of `text` (byte offsets;
// `ascii`: the word is known to be ASCII) until it returns false. With `fast`, an ASCII word that ends at an ASCII byte
// other than a joiner (', . and ,) is found eight bytes at a time; every
// other word, and every word without `fast`, one code point at a time.
template <bool fast = true, typename Emit>
void split_words(std::string_view text, Emit&& emit) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    if (const auto b = static_cast<unsigned char>(text[i]); b < 0x80) {
      if (kAscii.of[b] == CharClass::Other) {  // ASCII separators, without decoding
        ++i;
        continue;
      }
      if constexpr (fast) {
        const size_t e = ascii_alnum_end(text, i + 1);
        const auto after = e < n ? static_cast<unsigned char>(text[e]) : 0;
        if (e == n || (after < 0x80 && after != '\'' && after != '.' && after != ',')) {
          if (!emit(i, e, true)) return;
          i = e;
          continue;
        }
      }
    }
    const CodePoint c = decode(text, i);
    if (c.cls != CharClass::Letter && c.cls != CharClass::Digit) {
      i += c.len;
      continue;
    }
    const size_t start = i;
    i = word_end(text, start, c);
    if (!emit(start, i, false)) return;
  }
}

}  // namespace

// Heterogeneous lookup: stem() looks words up without building a string.
struct WordHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct Analyzer::Impl {
  sb_stemmer* stemmer = nullptr;
  std::unordered_map<std::string, std::string, WordHash, std::equal_to<>> cache;
  ~Impl() {
    if (stemmer) sb_stemmer_delete(stemmer);
  }
};

Analyzer::Analyzer(std::string stemmer, bool fold_accents)
    : stemmer_name_(std::move(stemmer)), fold_accents_(fold_accents), impl_(new Impl) {
  if (stemmer_name_ == "none") return;
  impl_->stemmer = sb_stemmer_new(stemmer_name_.c_str(), "UTF_8");
  if (!impl_->stemmer) {
    std::string known;
    for (auto& s : available_stemmers()) known += (known.empty() ? "" : ", ") + s;
    throw std::invalid_argument("unknown stemmer '" + stemmer_name_ + "' (known: " + known + ")");
  }
}

Analyzer::~Analyzer() = default;

std::vector<std::string> Analyzer::available_stemmers() {
  std::vector<std::string> out{"none"};
  for (const char** p = sb_stemmer_list(); *p; ++p) out.emplace_back(*p);
  return out;
}

bool Analyzer::stems() const { return impl_->stemmer != nullptr; }

std::string Analyzer::fold(std::string_view word) const { return fold_token(word, fold_accents_); }

namespace {

// Numbers and dotted acronyms ("3.5", "1,000", "u.s") are kept as written.
// A table instead of find_first_of, which searches the set once per byte.
struct UnstemmedBytes {
  bool of[256];
  constexpr UnstemmedBytes() : of() {
    for (int c = '0'; c <= '9'; ++c) of[c] = true;
    of[static_cast<unsigned char>('.')] = of[static_cast<unsigned char>(',')] = true;
  }
};
constexpr UnstemmedBytes kUnstemmed;

bool keeps_as_written(std::string_view folded) {
  for (const char c : folded)
    if (kUnstemmed.of[static_cast<unsigned char>(c)]) return true;
  return false;
}

}  // namespace

std::string Analyzer::stem(std::string_view folded) {
  if (!impl_->stemmer || keeps_as_written(folded)) return std::string(folded);
  auto it = impl_->cache.find(folded);
  if (it != impl_->cache.end()) return it->second;
  const sb_symbol* s = sb_stemmer_stem(impl_->stemmer, reinterpret_cast<const sb_symbol*>(folded.data()),
                                       static_cast<int>(folded.size()));
  std::string stemmed = s ? std::string(reinterpret_cast<const char*>(s),
                                        static_cast<size_t>(sb_stemmer_length(impl_->stemmer)))
                          : std::string(folded);
  if (impl_->cache.size() > (1u << 20)) impl_->cache.clear();
  impl_->cache.emplace(std::string(folded), stemmed);
  return stemmed;
}

void Analyzer::analyze(std::string_view text, bool do_stem, std::vector<Token>& out) {
  // Each token is folded (and stemmed) in place in its Token: no copies.
  const bool stem_it = do_stem && stems();
  split_words(text, [&](size_t start, size_t end, bool) {
    Token& t = out.emplace_back();
    fold_token_into(text.substr(start, end - start), fold_accents_, t.term);
    if (t.term.empty() || t.term.size() > kMaxTokenBytes || (stem_it && (t.term = stem(t.term)).empty())) {
      out.pop_back();
      return true;
    }
    t.start = static_cast<uint32_t>(start);
    t.end = static_cast<uint32_t>(end);
    return true;
  });
}

void Analyzer::word_spans_by_code_point(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  split_words<false>(text, [&](size_t start, size_t end, bool) {
    out.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(end));
    return true;
  });
}

void Analyzer::word_spans(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  split_words(text, [&](size_t start, size_t end, bool) {
    out.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(end));
    return true;
  });
}

void Analyzer::token_spans(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& out,
                           size_t limit) const {
  std::string folded;
  size_t n = 0;
  if (limit == 0) return;
  split_words(text, [&](size_t start, size_t end, bool ascii) {
    const std::string_view raw = text.substr(start, end - start);
    // An ASCII word folds to as many bytes (never none): only other words
    // need folding to apply analyze()'s rules.
    size_t folded_size = raw.size();
    if (!ascii && !std::all_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
      fold_token_into(raw, fold_accents_, folded);
      folded_size = folded.size();
    }
    if (folded_size == 0 || folded_size > kMaxTokenBytes) return true;
    out.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(end));
    return ++n < limit;
  });
}

}  // namespace dateline
