// JSON Lines: one article object per line, parsed with simdjson.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <simdjson.h>

#include "corpus/extract.h"
#include "corpus/formats.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

// ---------------------------------------------------------------------------
// LineSplitter

LineSplitter::LineSplitter(LineFn on_line, OverlongFn on_overlong, size_t max_line)
    : on_line_(std::move(on_line)), on_overlong_(std::move(on_overlong)), max_line_(max_line) {}

void LineSplitter::deliver(std::string_view line) {
  ++line_no_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > max_line_) {
    on_overlong_(line_no_);
    return;
  }
  on_line_(line, line_no_);
}

void LineSplitter::feed(const char* data, size_t n) {
  size_t pos = 0;
  while (pos < n) {
    const void* hit = std::memchr(data + pos, '\n', n - pos);
    const size_t end = hit ? static_cast<size_t>(static_cast<const char*>(hit) - data) : n;
    if (dropping_) {
      if (hit) dropping_ = false;
      pos = end + 1;
      continue;
    }
    const size_t len = end - pos;
    if (carry_.size() + len > max_line_ + 1) {  // +1: a trailing '\r' is not content
      ++line_no_;
      on_overlong_(line_no_);
      carry_.clear();
      dropping_ = !hit;
      pos = end + 1;
      continue;
    }
    if (!hit) {
      carry_.append(data + pos, len);
      return;
    }
    if (carry_.empty()) {
      deliver(std::string_view(data + pos, len));
    } else {
      carry_.append(data + pos, len);
      deliver(carry_);
      carry_.clear();
    }
    pos = end + 1;
  }
}

void LineSplitter::finish() {
  if (!carry_.empty()) {
    std::string last;
    last.swap(carry_);
    deliver(last);
  }
  dropping_ = false;
}

// ---------------------------------------------------------------------------
// JsonlParser

struct JsonlParser::Impl {
  const std::string& display;
  std::string file_name;
  ReadContext& ctx;
  simdjson::dom::parser parser;
  std::vector<char> buf;  // the line, padded for simdjson
  uint64_t record = 0;

  Impl(const std::string& d, ReadContext& c) : display(d), file_name(file_name_of(d)), ctx(c) {}

  std::string where(uint64_t line_no) const { return display + ":" + std::to_string(line_no); }
  void parse(std::string_view text, uint64_t line_no);
};

JsonlParser::JsonlParser(const std::string& display, ReadContext& ctx)
    : impl_(std::make_unique<Impl>(display, ctx)) {}
JsonlParser::~JsonlParser() = default;

void JsonlParser::line(std::string_view text, uint64_t line_no) {
  if (line_no == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
  text = trim(text);
  if (text.empty()) return;
  ++impl_->record;
  impl_->parse(text, line_no);
}

void JsonlParser::overlong_line(uint64_t line_no) {
  ++impl_->record;
  impl_->ctx.error(impl_->where(line_no),
                   "line longer than " + std::to_string(LineSplitter::kDefaultMaxLine >> 20) + " MiB; skipped");
}

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

const char* type_name(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

std::string quoted(std::string_view key) {
  std::string q(1, '"');
  q.append(key);
  q.push_back('"');
  return q;
}

// Reads an optional string field: null counts as absent. Returns false with
// `err` set when the value has another type.
bool get_string(element v, std::string_view key, std::string& out, bool& present, std::string& err) {
  if (v.is_null()) return true;
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    err = quoted(key) + " must be a string, not " + type_name(v.type());
    return false;
  }
  out.assign(s);
  present = true;
  return true;
}

bool get_string_array(element v, std::string_view key, std::vector<std::string>& out, bool& present,
                      std::string& err) {
  if (v.is_null()) return true;
  simdjson::dom::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) {
    err = quoted(key) + " must be an array of strings, not " + type_name(v.type());
    return false;
  }
  for (element item : arr) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) {
      err = quoted(key) + " must be an array of strings; found " + type_name(item.type());
      return false;
    }
    std::string_view t = trim(s);
    if (!t.empty()) out.emplace_back(t);
  }
  present = true;
  return true;
}

// "entities": an array of names (typed by the gazetteer, else Other) or of
// objects {"name": str, "type": "person"|"org"|"place"|"other"}.
bool get_entity_array(element v, std::string_view key, std::vector<Entity>& out, bool& present, std::string& err) {
  if (v.is_null()) return true;
  simdjson::dom::array arr;
  const std::string expect = quoted(key) + " must be an array of names or {\"name\", \"type\"} objects";
  if (v.get_array().get(arr) != simdjson::SUCCESS) {
    err = expect + ", not " + type_name(v.type());
    return false;
  }
  for (element item : arr) {
    std::string_view s;
    Entity e;
    bool typed = false;
    if (item.get_string().get(s) == simdjson::SUCCESS) {
      e.name = std::string(trim(s));
    } else if (simdjson::dom::object o; item.get_object().get(o) == simdjson::SUCCESS) {
      bool has_name = false;
      for (auto f : o) {
        std::string_view fv;
        if (f.key == "name") {
          if (f.value.get_string().get(fv) != simdjson::SUCCESS) {
            err = expect + "; a \"name\" is " + type_name(f.value.type());
            return false;
          }
          e.name = std::string(trim(fv));
          has_name = true;
        } else if (f.key == "type") {
          if (f.value.is_null()) continue;
          std::optional<EntityType> t;
          if (f.value.get_string().get(fv) == simdjson::SUCCESS) t = parse_entity_type(trim(fv));
          if (!t) {
            err = quoted(key) + ": entity \"type\" must be \"person\", \"org\", \"place\" or \"other\"";
            return false;
          }
          e.type = *t;
          typed = true;
        }
      }
      if (!has_name) {
        err = expect + "; an object has no \"name\"";
        return false;
      }
    } else {
      err = expect + "; found " + type_name(item.type());
      return false;
    }
    if (e.name.empty()) continue;
    if (!typed) e.type = entity_type_of_name(e.name);
    out.push_back(std::move(e));
  }
  present = true;
  return true;
}

}  // namespace

void JsonlParser::Impl::parse(std::string_view text, uint64_t line_no) {
  buf.resize(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buf.data(), text.data(), text.size());
  std::memset(buf.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  element doc;
  if (auto e = parser.parse(buf.data(), text.size(), false).get(doc); e != simdjson::SUCCESS) {
    ctx.error(where(line_no), std::string("invalid JSON: ") + simdjson::error_message(e));
    return;
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    ctx.error(where(line_no), std::string("record is ") + type_name(doc.type()) + ", not a JSON object");
    return;
  }

  Article a;
  std::string err, date_text;
  bool has_id = false, has_date = false, has_title = false, has_body = false, dummy = false;
  for (auto field : obj) {
    std::string_view key = field.key;
    element v = field.value;
    bool ok = true;
    if (key == "id") {
      int64_t i;
      uint64_t u;
      if (v.get_int64().get(i) == simdjson::SUCCESS) {  // numeric ids are accepted
        a.id = std::to_string(i), has_id = true;
      } else if (v.get_uint64().get(u) == simdjson::SUCCESS) {
        a.id = std::to_string(u), has_id = true;
      } else {
        ok = get_string(v, key, a.id, has_id, err);
      }
    } else if (key == "date") {
      ok = get_string(v, key, date_text, has_date, err);
    } else if (key == "title") {
      ok = get_string(v, key, a.title, has_title, err);
    } else if (key == "body") {
      ok = get_string(v, key, a.body, has_body, err);
    } else if (key == "speakers") {
      a.speakers.clear();
      ok = get_string_array(v, key, a.speakers, a.has_speakers, err);
    } else if (key == "entities") {
      a.entities.clear();
      ok = get_entity_array(v, key, a.entities, a.has_entities, err);
    } else if (key == "url") {
      ok = get_string(v, key, a.url, dummy, err);
    } else if (key == "source") {
      ok = get_string(v, key, a.source, dummy, err);
    }
    if (!ok) {
      ctx.error(where(line_no), err);
      return;
    }
  }
  if (!has_title && !has_body) {
    ctx.error(where(line_no), "record has neither \"title\" nor \"body\"");
    return;
  }

  // A given entity that is also a given speaker is a person.
  for (Entity& e : a.entities)
    if (e.type == EntityType::Other)
      for (const std::string& s : a.speakers)
        if (s == e.name) e.type = EntityType::Person;

  a.file = display;
  a.line = line_no;
  a.id = std::string(trim(a.id));
  if (a.id.empty()) a.id = file_name + "#" + std::to_string(record);
  a.title = collapse_whitespace(a.title);
  if (a.body.find('\r') != std::string::npos) a.body = normalize_newlines(a.body);
  a.body = std::string(trim(a.body));
  a.url = std::string(trim(a.url));
  a.source = std::string(trim(a.source));

  std::string_view d = trim(date_text);
  if (has_date && !d.empty()) {
    auto day = parse_iso_date(d);
    // Timestamps are accepted by their date part: "2024-11-13T10:00:00Z".
    if (!day && d.size() > 10 && (d[10] == 'T' || d[10] == ' ')) day = parse_iso_date(d.substr(0, 10));
    if (day) {
      a.date = *day;
    } else {
      ctx.warning(where(line_no), "invalid date \"" + std::string(d) + "\" (expected YYYY-MM-DD); article kept undated");
    }
  }
  ctx.emit(std::move(a));
}

// ---------------------------------------------------------------------------
// Plain JSONL files

void read_jsonl_file(const std::string& display, ReadContext& ctx) {
  FILE* f = std::fopen(display.c_str(), "rb");
  if (!f) {
    ctx.error(display, std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  JsonlParser parser(display, ctx);
  LineSplitter splitter([&](std::string_view line, uint64_t no) { parser.line(line, no); },
                        [&](uint64_t no) { parser.overlong_line(no); });
  std::vector<char> buf(1 << 20);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    ctx.add_bytes(n);
    splitter.feed(buf.data(), n);
  }
  if (std::ferror(f)) ctx.error(display, std::string("read error: ") + std::strerror(errno));
  std::fclose(f);
  splitter.finish();
}

}  // namespace dateline::corpus_detail
