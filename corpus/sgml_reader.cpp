// Reuters-21578 SGML, read with a tolerant hand-written scanner (the files are
// not well-formed XML: raw '>' in text, numeric entities for control codes,
// Latin-1 bytes, malformed DATE values). See the corpus README for the quirks.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "corpus/formats.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

constexpr std::string_view npos_sv{};

// Finds "<NAME" followed by '>' or whitespace, from `from`. Returns npos if absent.
size_t find_open_tag(std::string_view doc, std::string_view name, size_t from) {
  std::string open(1, '<');
  open.append(name);
  while (true) {
    size_t p = doc.find(open, from);
    if (p == std::string_view::npos) return p;
    size_t after = p + open.size();
    if (after >= doc.size() || doc[after] == '>' || is_ascii_space(doc[after])) return p;
    from = after;
  }
}

struct Element {
  std::string_view open_tag;  // "<TEXT TYPE=\"BRIEF\">"
  std::string_view content;
  size_t end = 0;             // offset just past the element (or its content, if unclosed)
};

// The first element NAME in doc[from, ...). An unclosed element runs to the end.
std::optional<Element> find_element(std::string_view doc, std::string_view name, size_t from = 0) {
  size_t p = find_open_tag(doc, name, from);
  if (p == std::string_view::npos) return std::nullopt;
  size_t gt = doc.find('>', p);
  if (gt == std::string_view::npos) return std::nullopt;
  Element e;
  e.open_tag = doc.substr(p, gt + 1 - p);
  std::string close("</");
  close.append(name);
  close.push_back('>');
  size_t c = doc.find(close, gt + 1);
  if (c == std::string_view::npos) {
    e.content = doc.substr(gt + 1);
    e.end = doc.size();
  } else {
    e.content = doc.substr(gt + 1, c - gt - 1);
    e.end = c + close.size();
  }
  return e;
}

// Value of attribute NAME in an open tag (quoted or bare).
std::string_view attribute(std::string_view tag, std::string_view name) {
  size_t from = 0;
  while (true) {
    size_t p = tag.find(name, from);
    if (p == std::string_view::npos) return npos_sv;
    size_t eq = p + name.size();
    if (p > 0 && is_ascii_space(tag[p - 1]) && eq < tag.size() && tag[eq] == '=') {
      size_t v = eq + 1;
      if (v < tag.size() && (tag[v] == '"' || tag[v] == '\'')) {
        char q = tag[v];
        size_t e = tag.find(q, v + 1);
        if (e == std::string_view::npos) return npos_sv;
        return tag.substr(v + 1, e - v - 1);
      }
      size_t e = v;
      while (e < tag.size() && !is_ascii_space(tag[e]) && tag[e] != '>') ++e;
      return tag.substr(v, e - v);
    }
    from = eq;
  }
}

// Decodes character references and the file encoding to UTF-8. Control
// characters (from references or raw bytes) are dropped; tab becomes a space.
std::string decode_text(std::string_view raw, bool utf8) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c == '&') {
      size_t semi = raw.find(';', i + 1);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view ent = raw.substr(i + 1, semi - i - 1);
        bool done = true;
        if (!ent.empty() && ent[0] == '#') {
          uint32_t cp = 0;
          bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
          std::string_view digits = ent.substr(hex ? 2 : 1);
          bool ok = !digits.empty();
          for (char d : digits) {
            int v = is_ascii_digit(d) ? d - '0'
                    : (hex && ascii_lower(d) >= 'a' && ascii_lower(d) <= 'f') ? ascii_lower(d) - 'a' + 10
                                                                             : -1;
            if (v < 0 || cp > 0x10FFFF) {
              ok = false;
              break;
            }
            cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
          }
          if (!ok) {
            done = false;
          } else if (cp == '\t') {
            out.push_back(' ');
          } else if (cp == '\n' || cp == '\r') {
            out.push_back('\n');
          } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
            // control character: dropped
          } else {
            append_utf8(out, cp);
          }
        } else if (ent == "lt") {
          out.push_back('<');
        } else if (ent == "gt") {
          out.push_back('>');
        } else if (ent == "amp") {
          out.push_back('&');
        } else if (ent == "quot") {
          out.push_back('"');
        } else if (ent == "apos") {
          out.push_back('\'');
        } else {
          done = false;
        }
        if (done) {
          i = semi;
          continue;
        }
      }
      out.push_back('&');
    } else if (c >= 0x80) {
      if (utf8) {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    } else if (c == '\t') {
      out.push_back(' ');
    } else if (c == '\n') {
      out.push_back('\n');
    } else if (c < 0x20 || c == 0x7F) {
      // raw control byte (including '\r'): dropped
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// Removes the trailing "Reuter" / "REUTER" signature (and what little junk
// may follow it on the same line: "...", "^M", "11:43/VB").
void strip_signature(std::string& text) {
  while (!text.empty() && is_ascii_space(text.back())) text.pop_back();
  size_t line_start = text.rfind('\n');
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  std::string_view line = std::string_view(text).substr(line_start);
  std::string lower = ascii_lower(line);
  size_t p = lower.rfind("reuter");
  if (p == std::string::npos) return;
  if (p > 0 && !is_ascii_space(line[p - 1])) return;
  size_t after = p + 6;
  if (after < lower.size() && lower[after] == 's') ++after;
  std::string_view tail = line.substr(after);
  if (tail.size() > 12) return;
  for (char c : tail)
    if (is_ascii_lower(c)) return;
  text.resize(line_start + p);
  while (!text.empty() && is_ascii_space(text.back())) text.pop_back();
}

// Re-joins hard-wrapped wire copy: a line starting with whitespace, or a
// blank line, starts a new paragraph; other lines continue the current one.
std::string reflow(std::string_view text) {
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
    std::string_view line = text.substr(pos, nl - pos);
    std::string_view t = trim(line);
    if (t.empty()) {
      flush();
    } else {
      if (is_ascii_space(line[0])) flush();
      if (!para.empty()) para.push_back(' ');
      para.append(t);
    }
    pos = nl + 1;
  }
  flush();
  return out;
}

// Pre-formatted text (TYPE="UNPROC"): lines kept, each trimmed; runs of blank
// lines become one paragraph break.
std::string keep_lines(std::string_view text) {
  std::string out;
  bool pending_break = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view t = trim(text.substr(pos, nl - pos));
    if (t.empty()) {
      pending_break = !out.empty();
    } else {
      if (!out.empty()) out += pending_break ? "\n\n" : "\n";
      pending_break = false;
      out.append(t);
    }
    pos = nl + 1;
  }
  return out;
}

constexpr std::string_view kMonths[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

// "D-MON-YYYY[ anything]" (leading spaces allowed); only the day part matters.
std::optional<DayNumber> parse_reuters_date(std::string_view s) {
  s = trim(s);
  size_t i = 0;
  unsigned day = 0;
  while (i < s.size() && i < 2 && is_ascii_digit(s[i])) day = day * 10 + static_cast<unsigned>(s[i++] - '0');
  if (i == 0 || i >= s.size() || s[i] != '-') return std::nullopt;
  ++i;
  if (i + 4 > s.size() || s[i + 3] != '-') return std::nullopt;
  std::string mon = ascii_lower(s.substr(i, 3));
  unsigned month = 0;
  for (unsigned m = 0; m < 12; ++m)
    if (ascii_lower(kMonths[m]) == mon) month = m + 1;
  if (month == 0) return std::nullopt;
  i += 4;
  if (i + 4 > s.size()) return std::nullopt;
  int year = 0;
  for (size_t k = i; k < i + 4; ++k) {
    if (!is_ascii_digit(s[k])) return std::nullopt;
    year = year * 10 + (s[k] - '0');
  }
  if (i + 4 < s.size() && is_ascii_digit(s[i + 4])) return std::nullopt;
  if (!valid_civil(year, month, day)) return std::nullopt;
  return days_from_civil(year, month, day);
}

class SgmlFile {
 public:
  SgmlFile(const Source& src, ReadContext& ctx, std::string_view data)
      : src_(src), ctx_(ctx), data_(data), utf8_(is_valid_utf8(data)) {}

  void run() {
    size_t pos = 0;
    uint64_t found = 0;
    while (true) {
      size_t start = find_open_tag(data_, "REUTERS", pos);
      if (start == std::string_view::npos) break;
      ++found;
      size_t next = find_open_tag(data_, "REUTERS", start + 8);
      size_t close = data_.find("</REUTERS>", start);
      size_t end;
      bool closed = close != std::string_view::npos && (next == std::string_view::npos || close < next);
      if (closed) {
        end = close + 10;
      } else {
        end = next == std::string_view::npos ? data_.size() : next;
      }
      const std::string where = src_.display + ":" + std::to_string(line_of(start));
      if (!closed) ctx_.warning(where, "<REUTERS> element without </REUTERS>");
      document(data_.substr(start, end - start), where, line_of(start), found);
      pos = end;
    }
    if (found == 0) ctx_.warning(src_.display, "no <REUTERS> documents found");
  }

 private:
  // 1-based line number of byte `offset` (offsets are visited in increasing order).
  uint64_t line_of(size_t offset) {
    for (; line_pos_ < offset && line_pos_ < data_.size(); ++line_pos_)
      if (data_[line_pos_] == '\n') ++line_no_;
    return line_no_;
  }

  void document(std::string_view doc, const std::string& where, uint64_t line, uint64_t record) {
    Article a;
    a.file = src_.file;
    a.line = line;
    size_t gt = doc.find('>');
    std::string_view open = doc.substr(0, gt == std::string_view::npos ? doc.size() : gt + 1);
    std::string newid(trim(attribute(open, "NEWID")));
    a.id = newid.empty() ? src_.name + "#" + std::to_string(record) : "reuters-" + newid;

    if (auto date = find_element(doc, "DATE")) {
      std::string text = decode_text(date->content, utf8_);
      if (auto day = parse_reuters_date(text)) {
        a.date = *day;
      } else {
        ctx_.warning(where, "unparseable date \"" + collapse_whitespace(text) + "\"; article kept undated");
      }
    } else {
      ctx_.warning(where, "document has no <DATE>; article kept undated");
    }

    // <PLACES>, <PEOPLE>, <ORGS> (before <TEXT>): kept as labels, not indexed.
    const std::string_view head = doc.substr(0, std::min(doc.size(), find_open_tag(doc, "TEXT", 0)));
    for (auto [tag, kind] : {std::pair<std::string_view, const char*>{"PLACES", "places"},
                             {"PEOPLE", "people"},
                             {"ORGS", "orgs"}}) {
      auto el = find_element(head, tag);
      if (!el) continue;
      size_t from = 0;
      while (auto d = find_element(el->content, "D", from)) {
        std::string v = collapse_whitespace(decode_text(d->content, utf8_));
        if (!v.empty()) a.labels.emplace_back(kind, std::move(v));
        if (d->end <= from) break;
        from = d->end;
      }
    }

    auto text_el = find_element(doc, "TEXT");
    if (text_el) {
      std::string_view content = text_el->content;
      auto title = find_element(content, "TITLE");
      auto body = find_element(content, "BODY");
      if (title) a.title = collapse_whitespace(decode_text(title->content, utf8_));
      if (body) {
        std::string b = decode_text(body->content, utf8_);
        strip_signature(b);
        a.body = reflow(b);
        if (auto dl = find_element(content, "DATELINE")) {
          std::string dateline = collapse_whitespace(decode_text(dl->content, utf8_));
          if (!dateline.empty() && !a.body.empty()) a.body = dateline + " " + a.body;
        }
      } else if (title) {
        // TYPE="BRIEF": a headline, usually followed by placeholder text.
        std::string rest = decode_text(content.substr(title->end), utf8_);
        strip_signature(rest);
        std::string_view t = trim(rest);
        if (t != "Blah blah blah.") a.body = reflow(t);
      } else {
        // TYPE="UNPROC" (or anything without TITLE/BODY): raw text, first line as title.
        std::string raw = decode_text(content, utf8_);
        strip_signature(raw);
        std::string_view t = trim(raw);
        size_t nl = t.find('\n');
        a.title = collapse_whitespace(t.substr(0, nl));
        if (nl != std::string_view::npos) a.body = keep_lines(t.substr(nl + 1));
      }
    }
    // Kept even when empty (Reuters NEWID 12793 is): the id and date still count.
    if (a.title.empty() && a.body.empty()) ctx_.warning(where, "document has no text");
    ctx_.emit(std::move(a));
  }

  const Source& src_;
  ReadContext& ctx_;
  std::string_view data_;
  bool utf8_;
  size_t line_pos_ = 0;
  uint64_t line_no_ = 1;
};

}  // namespace

void read_sgml(const Source& src, InputStream& in, ReadContext& ctx) {
  std::string data;
  if (!in.read_all(data)) {
    ctx.error(src.display, "cannot read: " + in.error());
    return;
  }
  ctx.add_bytes(data.size());
  SgmlFile(src, ctx, data).run();
}

}  // namespace dateline::corpus_detail
