// The extractor's tokenizer: words, quotes, punctuation and sentence starts.
#include <algorithm>
#include <array>

#include <utf8proc.h>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

enum CharClass : uint8_t { kOther, kSpace, kLetterUpper, kLetterLower, kLetterOther, kMark, kDigit };

constexpr std::array<uint8_t, 128> make_ascii_classes() {
  std::array<uint8_t, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if (c >= 'A' && c <= 'Z') t[c] = kLetterUpper;
    else if (c >= 'a' && c <= 'z') t[c] = kLetterLower;
    else if (c >= '0' && c <= '9') t[c] = kDigit;
    else if (c == ' ' || (c >= '\t' && c <= '\r')) t[c] = kSpace;
    else t[c] = kOther;
  }
  return t;
}
constexpr std::array<uint8_t, 128> kAsciiClasses = make_ascii_classes();

inline CharClass classify(uint32_t cp) {
  if (cp < 0x80) return static_cast<CharClass>(kAsciiClasses[cp]);
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT: return kLetterUpper;
    case UTF8PROC_CATEGORY_LL: return kLetterLower;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return kLetterOther;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return kMark;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return kDigit;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: return kSpace;
    default: return kOther;
  }
}

bool is_letter(CharClass c) { return c == kLetterUpper || c == kLetterLower || c == kLetterOther; }
bool is_alnum(CharClass c) { return is_letter(c) || c == kDigit || c == kMark; }

// Decodes the code point at i (invalid bytes decode as U+FFFD, length 1).
inline size_t next_cp(std::string_view s, size_t i, uint32_t& cp) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  size_t len = decode_utf8(s, i, cp);
  if (len == 0) {
    cp = 0xFFFD;
    return 1;
  }
  return len;
}

inline CharClass class_at(std::string_view s, size_t i) {
  if (i >= s.size()) return kSpace;
  uint32_t cp;
  next_cp(s, i, cp);
  return classify(cp);
}

// Words that keep their own following '.': "Mr.", "Corp.", "Calif.".
bool takes_dot(std::string_view lower) {
  static constexpr std::array<std::string_view, 64> kWords = {
      "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col", "capt", "maj", "sgt",
      "adm", "cmdr", "prof", "rev", "hon", "inc", "corp", "co", "ltd", "no", "vs", "etc", "mt", "ft", "messrs",
      "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "calif", "conn", "ind",
      "ill", "mass", "mich", "minn", "wis", "fla", "ga", "tex", "ariz", "colo", "penn", "pa", "va", "wash", "md",
      "bros"};
  for (auto w : kWords)
    if (w == lower) return true;
  return false;
}

// U.S. state abbreviations that keep their '.' only when capitalised ("Portland,
// Ore.", not "iron ore.").
bool state_takes_dot(std::string_view lower) {
  static constexpr std::array<std::string_view, 14> kWords = {"ore", "kan", "ala", "okla", "tenn", "neb", "nev",
                                                              "ark", "wyo", "ky", "del", "mo", "miss", "wisc"};
  for (auto w : kWords)
    if (w == lower) return true;
  return false;
}

// Abbreviations after which a '.' never ends a sentence (titles, initials).
bool title_abbrev(std::string_view lower) {
  return lower.size() == 1 || lower == "mr" || lower == "mrs" || lower == "ms" || lower == "dr" ||
         lower == "st" || lower == "gen" || lower == "sen" || lower == "rep" || lower == "gov" || lower == "lt" ||
         lower == "col" || lower == "capt" || lower == "maj" || lower == "sgt" || lower == "adm" ||
         lower == "cmdr" || lower == "prof" || lower == "rev" || lower == "hon" || lower == "messrs" ||
         lower == "no" || lower == "mt" || lower == "ft";
}

}  // namespace

bool is_shouting(std::string_view text) {
  size_t upper = 0, lower = 0;
  for (char c : text) {
    upper += is_ascii_upper(c);
    lower += is_ascii_lower(c);
  }
  return upper >= 8 && lower * 5 < upper;
}

void tokenize(std::string_view text, std::vector<Tok>& out) {
  out.clear();
  out.reserve(text.size() / 5 + 8);
  const size_t n = text.size();
  bool at_start = true;       // next word starts a sentence
  bool maybe_end = false;     // previous word was an abbreviation that may end a sentence
  bool in_quote = false;
  size_t para_tokens = 0;     // tokens since the paragraph start (datelines)
  int newlines = 0;

  auto push = [&](Tok t) {
    t.in_quote = in_quote;
    out.push_back(std::move(t));
    ++para_tokens;
  };
  auto push_punct = [&](size_t b, size_t e, char p) {
    Tok t;
    t.begin = static_cast<uint32_t>(b);
    t.end = static_cast<uint32_t>(e);
    t.kind = TokKind::Punct;
    t.punct = p;
    push(std::move(t));
    maybe_end = false;
    // "RHON.PA", "Amazon.com": a dot inside a word does not end a sentence.
    bool inner = e < text.size() && (is_ascii_alpha(text[e]) || is_ascii_digit(text[e]));
    if ((p == '.' || p == '!' || p == '?') && !inner) at_start = true;
    if (p == ':') at_start = true;
    // "SALVADOR, Feb 26 - Showers continued": the text after a dateline dash starts a sentence.
    if (p == '-' && para_tokens <= 16) at_start = true;
  };
  auto push_quote = [&](size_t b, size_t e, bool open) {
    Tok t;
    t.begin = static_cast<uint32_t>(b);
    t.end = static_cast<uint32_t>(e);
    t.kind = open ? TokKind::OpenQuote : TokKind::CloseQuote;
    push(std::move(t));
    in_quote = open;
    out.back().in_quote = true;
  };
  // The character before byte i opens a phrase (space, start, bracket, dash).
  auto opens_before = [&](size_t i) {
    if (i == 0) return true;
    char p = text[i - 1];
    return is_ascii_space(p) || p == '(' || p == '[' || p == '{' || p == '-' || p == '/' ||
           (i >= 3 && text.compare(i - 3, 3, "\xE2\x80\x94") == 0) ||  // em dash
           (i >= 3 && text.compare(i - 3, 3, "\xE2\x80\x9C") == 0);    // “
  };

  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    size_t len = next_cp(text, i, cp);
    CharClass cls = classify(cp);
    if (cp == 0xA0 || cp == 0x202F || cp == 0x2007 || cp == 0x200B || cp == 0xFEFF) cls = kSpace;

    if (cls == kSpace) {
      newlines = 0;
      while (i < n) {
        len = next_cp(text, i, cp);
        CharClass c2 = classify(cp);
        if (cp == 0xA0 || cp == 0x202F || cp == 0x2007 || cp == 0x200B || cp == 0xFEFF) c2 = kSpace;
        if (c2 != kSpace) break;
        if (cp == '\n') ++newlines;
        i += len;
      }
      // A line break inside a paragraph (tables, hard-wrapped input) ends a sentence.
      if (newlines == 1) at_start = true;
      if (newlines >= 2 && !out.empty() && out.back().kind != TokKind::Break) {
        Tok t;
        t.begin = t.end = static_cast<uint32_t>(i);
        t.kind = TokKind::Break;
        out.push_back(std::move(t));
        at_start = true;
        maybe_end = false;
        in_quote = false;
        para_tokens = 0;
      }
      continue;
    }

    if (is_alnum(cls) && cls != kMark) {
      // A word or a number.
      const size_t b = i;
      const bool number = cls == kDigit;
      size_t letters = 0, uppers = 0, seg_letters = 0;
      bool seg_single_letters = true;  // every '.'-separated part so far is one letter: "U.S"
      bool has_dot = false;
      CharClass prev = kOther;
      while (i < n) {
        len = next_cp(text, i, cp);
        CharClass c = classify(cp);
        if (is_alnum(c)) {
          if (is_letter(c)) {
            ++letters, ++seg_letters;
            if (c == kLetterUpper) ++uppers;
          } else if (c == kDigit) {
            seg_single_letters = false;
          }
          if (seg_letters > 1) seg_single_letters = false;
          prev = c;
          i += len;
          continue;
        }
        if (cp == '-' || cp == 0x2010 || cp == 0x2011) {
          if (is_alnum(prev) && is_alnum(class_at(text, i + len))) {
            i += len;
            prev = kOther;
            seg_single_letters = false;
            continue;
          }
          break;
        }
        if (cp == '\'' || cp == 0x2019) {
          if (is_letter(prev) && is_letter(class_at(text, i + len))) {
            char s = text[i + len];
            if ((s == 's' || s == 'S') && !is_alnum(class_at(text, i + len + 1))) break;  // possessive
            i += len;
            prev = kOther;
            continue;
          }
          break;
        }
        if (number && (cp == '.' || cp == ',') && prev == kDigit && class_at(text, i + 1) == kDigit) {
          i += 1;
          continue;
        }
        if (!number && cp == '.' && seg_single_letters && seg_letters == 1 && i + 2 < n &&
            is_letter(class_at(text, i + 1)) && text[i + 2] == '.') {
          // "U.S.", "U.N."
          has_dot = true;
          seg_letters = 0;
          i += 1;
          continue;
        }
        break;
      }
      Tok t;
      t.begin = static_cast<uint32_t>(b);
      t.end = static_cast<uint32_t>(i);
      t.kind = number ? TokKind::Number : TokKind::Word;
      std::string_view w = text.substr(b, i - b);
      t.lower.resize(w.size());
      {
        uint64_t h = 1469598103934665603ull;  // word_hash(), while lower-casing
        for (size_t k = 0; k < w.size(); ++k) {
          const char c = ascii_lower(w[k]);
          t.lower[k] = c;
          h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        }
        t.hash = h | 1;
      }
      if (!number) {
        t.flags = word_flags(t.lower, t.hash);
        if (std::any_of(t.lower.begin(), t.lower.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
          t.flags |= word_flags(fold_key(t.lower)) & (kWGazFirst | kWPhraseFirst);
      }
      uint32_t first;
      next_cp(text, b, first);
      t.cap = !number && classify(first) == kLetterUpper;
      t.upper = !number && letters >= 2 && uppers == letters;
      if (!number && !t.cap && w.size() > 3) {
        // "al-Assad", "bin-Laden": a lower-case particle before a capitalised name.
        size_t dash = w.find('-');
        if (dash != std::string_view::npos && dash <= 3 && dash + 1 < w.size() && is_ascii_upper(w[dash + 1]) &&
            is_name_connector(std::string_view(t.lower).substr(0, dash)))
          t.cap = true;
        // "d'Ivoire", "d’Estaing", "l'Aquila": an elided particle before a capitalised name.
        if ((w[0] == 'd' || w[0] == 'l') && w[1] == '\'' && is_ascii_upper(w[2])) t.cap = true;
        if ((w[0] == 'd' || w[0] == 'l') && w.size() > 4 && w.compare(1, 3, "\xE2\x80\x99") == 0 &&
            is_ascii_upper(w[4]))
          t.cap = true;
      }
      if (!number && i < n && text[i] == '.') {
        bool single_upper = letters == 1 && uppers == 1 && i - b <= 4;
        if (has_dot || single_upper || takes_dot(t.lower) ||
            (is_ascii_upper(text[b]) && i + 1 < n && (text[i + 1] == ',' || text[i + 1] == ')') &&
             state_takes_dot(t.lower))) {
          t.abbrev = true;
          ++i;  // the dot belongs to the word
        }
      }
      t.sent_start = at_start || (maybe_end && t.cap && is_stopword(t.lower)) ||
                     (!out.empty() && out.back().kind == TokKind::OpenQuote && t.cap && out.size() >= 2 &&
                      out[out.size() - 2].kind != TokKind::Word);
      at_start = false;
      maybe_end = t.abbrev && !title_abbrev(t.lower);
      push(std::move(t));
      continue;
    }

    // Plural possessive: "Employers' Forum", "Workers’ Union".
    if ((cp == '\'' || cp == 0x2019) && !out.empty() && out.back().kind == TokKind::Word && out.back().end == i &&
        out.back().lower.back() == 's' && (i + len >= n || is_ascii_space(text[i + len]))) {
      Tok t;
      t.begin = static_cast<uint32_t>(i);
      t.end = static_cast<uint32_t>(i + len);
      t.kind = TokKind::Possessive;
      push(std::move(t));
      i += len;
      continue;
    }
    // Possessive "'s" / "’s" directly after a word.
    if ((cp == '\'' || cp == 0x2019) && !out.empty() && out.back().kind == TokKind::Word &&
        out.back().end == i && i + len < n && (text[i + len] == 's' || text[i + len] == 'S') &&
        !is_alnum(class_at(text, i + len + 1))) {
      Tok t;
      t.begin = static_cast<uint32_t>(i);
      t.end = static_cast<uint32_t>(i + len + 1);
      t.kind = TokKind::Possessive;
      push(std::move(t));
      i += len + 1;
      continue;
    }

    // Reuters tickers: "<RHON.PA>", "<CCI>" are skipped whole.
    if (cp == '<') {
      size_t close = text.find('>', i + 1);
      if (close != std::string_view::npos && close - i <= 16 && close > i + 1) {
        std::string_view inside = text.substr(i + 1, close - i - 1);
        bool ticker = true;
        for (char c : inside)
          if (!(is_ascii_upper(c) || is_ascii_digit(c) || c == '.' || c == '-' || c == '/')) ticker = false;
        if (ticker) {
          push_punct(i, close + 1, '<');
          i = close + 1;
          continue;
        }
      }
    }

    switch (cp) {
      case '"':
        if (opens_before(i) && !in_quote) {
          push_quote(i, i + 1, true);
        } else if (in_quote) {
          push_quote(i, i + 1, false);
        } else {
          push_quote(i, i + 1, opens_before(i));
        }
        break;
      case '\'':
      case 0x2018:
      case 0x201C:
      case 0x201E:
      case 0xAB:
        if (cp == '\'' && !opens_before(i)) {
          push_quote(i, i + len, false);
        } else {
          push_quote(i, i + len, true);
        }
        break;
      case 0x2019:
        push_quote(i, i + len, opens_before(i));
        break;
      case 0x201D:
      case 0xBB:
        push_quote(i, i + len, false);
        break;
      case 0x2012:
      case 0x2013:
      case 0x2014:
      case 0x2015:
        push_punct(i, i + len, '-');
        break;
      case 0x2026:
        push_punct(i, i + len, ';');
        break;
      default:
        if (cp < 0x80) {
          char c = static_cast<char>(cp);
          // "--" and a lone '-' are dashes; '.' after a word ends a sentence.
          push_punct(i, i + len, c);
        } else {
          push_punct(i, i + len, '#');
        }
        break;
    }
    i += len;
  }
}

}  // namespace dateline::corpus_detail
