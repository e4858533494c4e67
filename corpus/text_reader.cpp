// Plain text: one article per file, with an optional leading "date YYYY-MM-DD".
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

}  // namespace

void read_text_file(const std::string& display, ReadContext& ctx) {
  std::string raw, err;
  if (!slurp_file(display, raw, err)) {
    ctx.error(display, "cannot read: " + err);
    return;
  }
  ctx.add_bytes(raw.size());
  if (std::memchr(raw.data(), '\0', raw.size()) != nullptr) {
    ctx.error(display, "binary data (NUL bytes) in a text file; skipped");
    return;
  }
  std::string_view view = raw;
  if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
  std::string text;
  if (is_valid_utf8(view)) {
    text = normalize_newlines(view);
  } else {
    ctx.warning(display, "not valid UTF-8; read as Latin-1");
    text = normalize_newlines(latin1_to_utf8(view));
  }

  Article a;
  a.id = file_name_of(display);
  a.file = display;

  // Optional header: [whitespace] "date" [':'] whitespace VALUE whitespace.
  std::string_view rest = text;
  size_t i = 0;
  while (i < rest.size() && is_ascii_space(rest[i])) ++i;
  if (istarts_with_ascii(rest.substr(i), "date")) {
    size_t j = i + 4;
    if (j < rest.size() && rest[j] == ':') ++j;
    size_t k = j;
    while (k < rest.size() && is_blank(rest[k])) ++k;
    size_t v_end = k;
    while (v_end < rest.size() && !is_ascii_space(rest[v_end])) ++v_end;
    std::string_view value = rest.substr(k, v_end - k);
    if (k > j && looks_like_date(value)) {
      if (auto day = parse_iso_date(value)) {
        a.date = *day;
      } else {
        size_t line = 1;
        for (size_t p = 0; p < i; ++p) line += rest[p] == '\n';
        ctx.warning(display + ":" + std::to_string(line),
                    "invalid date \"" + std::string(value) + "\" in the header (expected YYYY-MM-DD); article kept undated");
      }
      rest.remove_prefix(v_end);
    }
  }

  a.body = paragraphs_from_lines(rest);
  if (a.body.empty()) {
    ctx.warning(display, "no text; skipped");
    return;
  }
  // The format has no title line; the title stays empty (title: queries must
  // not match text articles, see corpus/samples/expected.md).
  ctx.emit(std::move(a));
}

}  // namespace dateline::corpus_detail
