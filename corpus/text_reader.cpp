// Plain text: one article per file, with optional "date YYYY-MM-DD" and
// "title: ..." header lines, or a short first line as the title.
#include <algorithm>
#include <cstring>
#include <string>

#include "corpus/formats.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Joins hard-wrapped lines: blank lines separate paragraphs, the lines of a
// paragraph are joined by one space.
std::string paragraphs_from_lines(std::string_view text) {
  std::string out, para;
  auto flush = [&] {
    std::string p = collapse_whitespace(para);
    para.clear();
    if (p.empty()) return;
    if (!out.empty()) out += "\n\n";
    out += p;
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = trim(text.substr(pos, nl - pos));
    if (line.empty()) {
      flush();
    } else {
      if (!para.empty()) para.push_back(' ');
      para.append(line);
    }
    pos = nl + 1;
  }
  flush();
  return out;
}

// A date-like header value: digits with separators.
bool looks_like_date(std::string_view v) {
  bool digit = false;
  for (char c : v) {
    if (is_ascii_digit(c)) {
      digit = true;
    } else if (c != '-' && c != '/' && c != '.') {
      return false;
    }
  }
  return digit;
}

// The 1-based line of byte `offset`.
size_t line_at(std::string_view text, size_t offset) {
  size_t line = 1;
  for (size_t p = 0; p < offset; ++p) line += text[p] == '\n';
  return line;
}

size_t skip_space(std::string_view text, size_t i) {
  while (i < text.size() && is_ascii_space(text[i])) ++i;
  return i;
}

struct Headers {
  std::string_view rest;           // the text after the headers
  bool title = false;              // a "title:" header was read
  bool body_on_date_line = false;  // the first paragraph starts on the date's line
};

// If a date header, "date" [':'] blanks VALUE, starts at text[i], reads it
// into `a` and returns the offset after the value; npos when there is none.
// An invalid date is a warning naming the line; the article stays undated.
size_t read_date_header(std::string_view text, size_t i, const Source& src, Article& a, ReadContext& ctx) {
  if (!istarts_with_ascii(text.substr(i), "date")) return std::string_view::npos;
  size_t j = i + 4;
  if (j < text.size() && text[j] == ':') ++j;
  size_t k = j;
  while (k < text.size() && is_blank(text[k])) ++k;
  size_t v_end = k;
  while (v_end < text.size() && !is_ascii_space(text[v_end])) ++v_end;
  const std::string_view value = text.substr(k, v_end - k);
  if (k == j || !looks_like_date(value)) return std::string_view::npos;  // "date night was fun."
  if (auto day = parse_iso_date(value)) {
    a.date = *day;
  } else {
    ctx.warning(src.display + ":" + std::to_string(line_at(text, i)),
                "invalid date \"" + std::string(value) + "\" in the header (expected YYYY-MM-DD); article kept undated");
  }
  return v_end;
}

// Reads the optional header lines at the start of a text article, in either
// order, each at most once, case-insensitive: a date header
// (read_date_header()) and "title:" with the title to the end of the line.
// Text after the date on its line is the first paragraph (the seed format)
// and ends the headers.
Headers read_headers(std::string_view text, const Source& src, Article& a, ReadContext& ctx) {
  Headers h;
  size_t pos = 0;
  bool have_date = false;
  while (true) {
    const size_t i = skip_space(text, pos);
    if (!h.title && istarts_with_ascii(text.substr(i), "title:")) {
      pos = std::min(text.find('\n', i), text.size());
      a.title = collapse_whitespace(text.substr(i + 6, pos - i - 6));
      h.title = true;
      continue;
    }
    const size_t end = have_date ? std::string_view::npos : read_date_header(text, i, src, a, ctx);
    if (end == std::string_view::npos) break;
    pos = end;
    have_date = true;
    const size_t after = text.find_first_not_of(" \t", end);
    if (after != std::string_view::npos && text[after] != '\n') {
      h.body_on_date_line = true;
      break;
    }
  }
  h.rest = text.substr(pos);
  return h;
}

// A first line that serves as the title: at most kMaxTitleBytes bytes and
// kMaxTitleWords words, with a letter or digit, not ending like a sentence or
// a clause ('.', ',', ';', ':' as its last character before closing quotes
// and brackets; '?' and '!' are fine), followed by a blank line and more text.
constexpr size_t kMaxTitleBytes = 150, kMaxTitleWords = 20;

bool is_title_line(std::string_view line) {
  if (line.empty() || line.size() > kMaxTitleBytes) return false;
  const auto is_word_char = [](char c) {
    return is_ascii_alpha(c) || is_ascii_digit(c) || static_cast<unsigned char>(c) >= 0x80;
  };
  if (std::none_of(line.begin(), line.end(), is_word_char)) return false;  // "* * *"
  size_t words = 0;
  for (size_t i = 0; i < line.size(); ++i)
    words += !is_ascii_space(line[i]) && (i == 0 || is_ascii_space(line[i - 1]));
  if (words > kMaxTitleWords) return false;
  std::string_view end = line;
  for (bool stripped = true; stripped && !end.empty();) {
    stripped = false;
    for (std::string_view closer : {"\"", "'", ")", "]", "\xE2\x80\x9D", "\xE2\x80\x99", "\xC2\xBB"}) {
      if (end.size() < closer.size() || end.substr(end.size() - closer.size()) != closer) continue;
      end.remove_suffix(closer.size());
      stripped = true;
    }
  }
  if (end.empty()) return false;
  const char last = end.back();
  return last != '.' && last != ',' && last != ';' && last != ':';
}

// Takes the first line of `text` as `title` when is_title_line() says so and
// a blank line and more text follow; returns the text after it (else `text`).
std::string_view take_title_line(std::string_view text, std::string& title) {
  const size_t b = skip_space(text, 0);
  const size_t nl = text.find('\n', b);
  if (nl == std::string_view::npos) return text;
  const std::string_view line = trim(text.substr(b, nl - b));
  size_t next = nl + 1;
  while (next < text.size() && is_blank(text[next])) ++next;
  const bool blank_follows = next < text.size() && text[next] == '\n';
  if (!blank_follows || skip_space(text, next) == text.size() || !is_title_line(line)) return text;
  title = collapse_whitespace(line);
  return text.substr(next);
}

}  // namespace

void read_text(const Source& src, InputStream& in, ReadContext& ctx) {
  std::string raw;
  if (!in.read_all(raw)) {
    ctx.error(src.display, "cannot read: " + in.error());
    return;
  }
  ctx.add_bytes(raw.size());
  if (std::memchr(raw.data(), '\0', raw.size()) != nullptr) {
    ctx.error(src.display, "binary data (NUL bytes) in a text file; skipped");
    return;
  }
  std::string_view view = raw;
  if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
  std::string text;
  if (is_valid_utf8(view)) {
    text = normalize_newlines(view);
  } else {
    ctx.warning(src.display, "not valid UTF-8; read as Latin-1");
    text = normalize_newlines(latin1_to_utf8(view));
  }

  Article a;
  a.id = src.name;
  a.file = src.file;
  const Headers h = read_headers(text, src, a, ctx);
  const std::string_view rest = h.title || h.body_on_date_line ? h.rest : take_title_line(h.rest, a.title);
  a.body = paragraphs_from_lines(rest);
  if (a.body.empty()) {
    ctx.warning(src.display, "no text; skipped");
    return;
  }
  ctx.emit(std::move(a));
}

}  // namespace dateline::corpus_detail
