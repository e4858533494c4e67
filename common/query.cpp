// Query::to_string and format_query_error (the parser is in query_parser.cpp).
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/date.h"
#include "common/query.h"

namespace dateline {

namespace {

void append_sexpr(const Query& q, std::string& out) {
  auto list = [&](const char* name) {
    out += '(';
    out += name;
    for (const Query& c : q.children) {
      out += ' ';
      append_sexpr(c, out);
    }
    out += ')';
  };
  auto terms = [&](const char* name) {
    out += '(';
    out += name;
    out += '/';
    out += std::to_string(q.window);
    for (const std::string& t : q.terms) {
      out += ' ';
      out += t;
    }
    out += ')';
  };
  auto date = [&](DayNumber d, bool open) {
    if (open)
      out += "..";
    else
      out += format_iso_date(d);
  };
  switch (q.op) {
    case Query::Op::MatchAll: out += '*'; break;
    case Query::Op::MatchNothing: out += "(NOTHING)"; break;
    case Query::Op::Term: out += q.terms.empty() ? std::string() : q.terms[0]; break;
    case Query::Op::Prefix:
      if (!q.terms.empty()) out += q.terms[0];
      out += '*';
      break;
    case Query::Op::Phrase: terms("PHRASE"); break;
    case Query::Op::Near: terms("NEAR"); break;
    case Query::Op::DateRange:
      out += "(DATE ";
      date(q.date_lo, q.date_lo <= INT32_MIN + 1);
      out += ' ';
      date(q.date_hi, q.date_hi == INT32_MAX);
      out += ')';
      break;
    case Query::Op::And: list("AND"); break;
    case Query::Op::Or: list("OR"); break;
    case Query::Op::AndNot: list("AND_NOT"); break;
    case Query::Op::Within:
      out += "(WITHIN";
      for (const std::string& t : q.terms) out += ' ' + t;
      for (const Query& c : q.children) {
        out += ' ';
        append_sexpr(c, out);
      }
      out += ')';
      break;
    case Query::Op::AndMaybe: list("AND_MAYBE"); break;
  }
}

// Decodes one UTF-8 code point at s[i]; returns its length, or 0 for an
// invalid byte (overlong forms, surrogates and out-of-range values included).
size_t utf8_len(std::string_view s, size_t i, uint32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  size_t n;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string Query::to_string() const {
  std::string out;
  append_sexpr(*this, out);
  return out;
}

std::string format_query_error(std::string_view text, const QueryError& e) {
  std::string out = "error: ";
  out += e.what();
  out += "\n  ";
  const size_t col = e.column() < text.size() ? e.column() : text.size();
  size_t caret = 0;  // code points that end at or before the column
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t n = utf8_len(text, i, cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // an invalid byte shows as U+FFFD
      n = 1;
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029) {
      out += ' ';  // control characters and line breaks
    } else {
      out.append(text.substr(i, n));
    }
    if (i + n <= col) ++caret;
    i += n;
  }
  out += "\n  ";
  out.append(caret, ' ');
  out += "^\n";
  return out;
}

}  // namespace dateline
