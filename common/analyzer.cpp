#include "common/analyzer.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <cstdlib>
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

CodePoint decode(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, classify(c), 1};
  utf8proc_int32_t cp;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                            static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0) return {-1, CharClass::Other, 1};
  return {cp, classify(cp), static_cast<uint32_t>(n)};
}

bool is_apostrophe(utf8proc_int32_t cp) { return cp == '\'' || cp == 0x2019; }

// Case-folds a token; apostrophes are normalised to ASCII '.
std::string fold_token(std::string_view raw) {
  bool ascii = true;
  for (char ch : raw)
    if (static_cast<unsigned char>(ch) >= 0x80) {
      ascii = false;
      break;
    }
  std::string out;
  if (ascii) {
    out.resize(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      char ch = raw[i];
      out[i] = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32) : ch;
    }
    return out;
  }
  utf8proc_uint8_t* mapped = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(raw.data()),
                        static_cast<utf8proc_ssize_t>(raw.size()), &mapped,
                        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                       UTF8PROC_CASEFOLD));
  if (n < 0) return std::string(raw);
  // Copy, turning U+2019 RIGHT SINGLE QUOTATION MARK into '.
  const std::string_view m(reinterpret_cast<char*>(mapped), static_cast<size_t>(n));
  out.reserve(m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    if (m.compare(i, 3, "\xE2\x80\x99") == 0) {
      out.push_back('\'');
      i += 2;
    } else {
      out.push_back(m[i]);
    }
  }
  std::free(mapped);
  return out;
}

// Calls emit(start, end) for each word of `text` (byte offsets).
template <typename Emit>
void split_words(std::string_view text, Emit&& emit) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    CodePoint c = decode(text, i);
    if (c.cls != CharClass::Letter && c.cls != CharClass::Digit) {
      i += c.len;
      continue;
    }
    const size_t start = i;
    CharClass prev = c.cls;
    size_t part_letters = c.cls == CharClass::Letter ? 1 : 0;  // letters since last joiner
    size_t part_chars = 1;
    i += c.len;
    while (i < n) {
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
    emit(start, i);
  }
}

}  // namespace

struct Analyzer::Impl {
  sb_stemmer* stemmer = nullptr;
  std::unordered_map<std::string, std::string> cache;
  ~Impl() {
    if (stemmer) sb_stemmer_delete(stemmer);
  }
};

Analyzer::Analyzer(std::string stemmer) : stemmer_name_(std::move(stemmer)), impl_(new Impl) {
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

std::string Analyzer::fold(std::string_view word) const { return fold_token(word); }

std::string Analyzer::stem(std::string_view folded) {
  if (!impl_->stemmer) return std::string(folded);
  auto it = impl_->cache.find(std::string(folded));
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
  split_words(text, [&](size_t start, size_t end) {
    std::string term = fold_token(text.substr(start, end - start));
    if (term.empty() || term.size() > kMaxTokenBytes) return;
    // Numbers and dotted acronyms ("3.5", "u.s") are kept as written.
    if (do_stem && impl_->stemmer && term.find_first_of("0123456789.,") == std::string::npos)
      term = stem(term);
    if (term.empty()) return;
    out.push_back(Token{std::move(term), static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
  });
}

}  // namespace dateline
