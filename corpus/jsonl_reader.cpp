// JSON Lines: one article object per line, parsed with simdjson; the field
// names and aliases are the table kFieldNames.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "corpus/date_value.h"
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
// The schema: the top-level fields a record may have

namespace {

// People, Organizations and Places (after Entities: slots are read in this
// order) type the entities they name, and Aliases are the extractor's name
// aliases, as `dateline extract` writes them. Provenance is what extract
// writes about where it read the article ("file", "line", "origin"): known,
// not read (the article's file is now the one being read).
enum class Field : uint8_t {
  Id, Date, Title, Body, Speakers, Entities, People, Organizations, Places, Aliases, Quotes, Url, Source, Author,
  FromFile, FromLine, FromOrigin
};
constexpr size_t kFieldCount = 17;

struct FieldName {
  std::string_view name;
  Field field;
};

// The one list of the field names the reader knows: it drives parsing and the
// "known fields" of warnings. Canonical names come first, then the aliases.
// When a record has several names of one field, the earliest entry wins and
// the others are ignored (and reported at the end of the file).
constexpr FieldName kFieldNames[] = {
    {"id", Field::Id},          {"date", Field::Date},          {"title", Field::Title},
    {"body", Field::Body},      {"speakers", Field::Speakers},  {"entities", Field::Entities},
    {"people", Field::People},  {"organizations", Field::Organizations}, {"places", Field::Places},
    {"aliases", Field::Aliases},  {"quotes", Field::Quotes},
    {"url", Field::Url},        {"source", Field::Source},      {"author", Field::Author},
    {"text", Field::Body},      {"content", Field::Body},       {"headline", Field::Title},
    {"published", Field::Date}, {"published_at", Field::Date},  {"pubDate", Field::Date},
    {"timestamp", Field::Date}, {"byline", Field::Author},
    {"file", Field::FromFile},  {"line", Field::FromLine},      {"origin", Field::FromOrigin},
};
constexpr size_t kNoRank = std::size(kFieldNames);

// The position of `key` in kFieldNames, kNoRank when it is not a known name.
size_t field_rank(std::string_view key) {
  for (size_t i = 0; i < std::size(kFieldNames); ++i)
    if (kFieldNames[i].name == key) return i;
  return kNoRank;
}

// "id, date, title, ...": every known name, in table order.
const std::string& known_field_list() {
  static const std::string list = [] {
    std::string s;
    for (const FieldName& f : kFieldNames) s.append(s.empty() ? "" : ", ").append(f.name);
    return s;
  }();
  return list;
}

// Every name of the given fields, quoted, in table order: "\"body\", \"text\" or \"content\"".
std::string names_of(std::initializer_list<Field> fields) {
  std::vector<std::string_view> names;
  for (const FieldName& f : kFieldNames)
    if (std::find(fields.begin(), fields.end(), f.field) != fields.end()) names.push_back(f.name);
  std::string s;
  for (size_t i = 0; i < names.size(); ++i)
    s.append(i == 0 ? "\"" : i + 1 == names.size() ? " or \"" : ", \"").append(names[i]).push_back('"');
  return s;
}

std::string plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

// What a file's records hold that is not read, reported once per file: field
// names that are unknown or lost to another name of the same field, and
// records with a title but no body. At most kMaxNames distinct names are kept
// (random keys cannot grow it); the rest are only counted.
class FieldReports {
 public:
  // Field `name` of record `record` (starting on `line`) is not read;
  // `winner` is the name read instead, empty when `name` is unknown.
  void not_read(std::string_view name, std::string_view winner, uint64_t record, uint64_t line) {
    auto it = entries_.find(std::pair<std::string_view, std::string_view>(name, winner));
    if (it == entries_.end()) {
      if (entries_.size() >= kMaxNames) {
        if (untracked_++ == 0) untracked_line_ = line;
        return;
      }
      it = entries_.emplace(std::pair<std::string, std::string>(name, winner), Entry{line, 0, 0}).first;
    }
    if (it->second.last_record != record) ++it->second.records;
    it->second.last_record = record;
  }

  // A record that starts on `line` has a title and no body text.
  void title_only(uint64_t line) {
    if (title_only_++ == 0) title_only_line_ = line;
  }

  // Emits the warnings, in order of their lines, and forgets them.
  void report(const std::string& display, ReadContext& ctx) {
    std::vector<std::pair<uint64_t, std::string>> out;
    for (const auto& [key, e] : entries_) out.emplace_back(e.first_line, message(key.first, key.second, e.records));
    if (untracked_)
      out.emplace_back(untracked_line_, plural(untracked_, "more field is", "more fields are") +
                                            " not read (too many distinct names to list)");
    if (title_only_)
      out.emplace_back(title_only_line_, plural(title_only_, "record has", "records have") +
                                             " a title but no body (the first starts here; a body is read from " +
                                             names_of({Field::Body}) + ")");
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [line, text] : out) ctx.warning(display + ":" + std::to_string(line), std::move(text));
    *this = FieldReports();
  }

 private:
  static constexpr size_t kMaxNames = 64;
  struct Entry {
    uint64_t first_line, records, last_record;
  };

  static std::string message(const std::string& name, const std::string& winner, uint64_t records) {
    std::string m = "field \"" + name + "\" is not read (in " + plural(records, "record", "records") + "; ";
    if (winner.empty()) return m + "known fields: " + known_field_list() + ")";
    return m + "ignored: the record also has \"" + winner + "\")";
  }

  // Orders (name, winner) pairs of strings or views alike, so lookups need no copies.
  struct NameLess {
    using is_transparent = void;
    using Views = std::pair<std::string_view, std::string_view>;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return Views(a.first, a.second) < Views(b.first, b.second);
    }
  };
  std::map<std::pair<std::string, std::string>, Entry, NameLess> entries_;
  uint64_t untracked_ = 0, untracked_line_ = 0;
  uint64_t title_only_ = 0, title_only_line_ = 0;
};

// ---------------------------------------------------------------------------
// Reading values

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

// "id": a string, or an integer (numeric ids are accepted as their digits).
bool get_id(element v, std::string_view key, std::string& out, std::string& err) {
  int64_t i;
  uint64_t u;
  if (v.get_int64().get(i) == simdjson::SUCCESS) {
    out = std::to_string(i);
  } else if (v.get_uint64().get(u) == simdjson::SUCCESS) {
    out = std::to_string(u);
  } else {
    bool present = false;
    return get_string(v, key, out, present, err);
  }
  return true;
}

// "author" / "byline": a name, or an array of names joined with ", ".
bool get_author(element v, std::string_view key, std::string& out, std::string& err) {
  bool present = false;
  if (!v.is_array()) {
    if (!get_string(v, key, out, present, err)) {
      err = quoted(key) + " must be a string or an array of strings, not " + type_name(v.type());
      return false;
    }
    out = std::string(trim(out));
    return true;
  }
  std::vector<std::string> names;
  if (!get_string_array(v, key, names, present, err)) return false;
  out.clear();
  for (const std::string& n : names) out.append(out.empty() ? "" : ", ").append(n);
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------
// JsonlParser

struct JsonlParser::Impl {
  // A record's value of one field, and the name it was found under.
  struct Slot {
    element value;
    std::string_view key;
    size_t rank = kNoRank;
  };
  using Slots = std::array<Slot, kFieldCount>;

  const Source& src;
  ReadContext& ctx;
  LineSplitter splitter;
  simdjson::dom::parser parser;
  std::vector<char> buf;  // the line, padded for simdjson
  uint64_t record = 0;
  FieldReports reports;

  Impl(const Source& s, ReadContext& c)
      : src(s), ctx(c),
        splitter([this](std::string_view text, uint64_t no) { line(text, no); },
                 [this](uint64_t no) { overlong_line(no); }) {}

  std::string where(uint64_t line_no) const { return src.display + ":" + std::to_string(line_no); }
  void line(std::string_view text, uint64_t line_no);
  void overlong_line(uint64_t line_no);
  void parse(std::string_view text, uint64_t line_no);
  void collect(simdjson::dom::object obj, Slots& slots, uint64_t line_no);
  bool read_fields(const Slots& slots, Article& a, std::string& err);
  bool read_date(const Slot& s, Article& a, uint64_t line_no, std::string& err);
  void finish_article(Article& a, uint64_t line_no);
};

JsonlParser::JsonlParser(const Source& src, ReadContext& ctx) : impl_(std::make_unique<Impl>(src, ctx)) {}
JsonlParser::~JsonlParser() = default;

void JsonlParser::feed(const char* data, size_t n) { impl_->splitter.feed(data, n); }

void JsonlParser::finish(bool complete) {
  if (complete) impl_->splitter.finish();
  impl_->reports.report(impl_->src.display, impl_->ctx);
}

uint64_t JsonlParser::lines() const { return impl_->splitter.lines(); }

void JsonlParser::Impl::line(std::string_view text, uint64_t line_no) {
  if (line_no == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
  text = trim(text);
  if (text.empty()) return;
  ++record;
  parse(text, line_no);
}

void JsonlParser::Impl::overlong_line(uint64_t line_no) {
  ++record;
  ctx.error(where(line_no), "line longer than " + std::to_string(LineSplitter::kDefaultMaxLine >> 20) + " MiB; skipped");
}

// "aliases": [{"alias": str, "name": str, "type": "person"|"org"|"place"|"other"}].
bool get_aliases(element v, std::string_view key, std::vector<NameAlias>& out, std::string& err) {
  simdjson::dom::array arr;
  const std::string expect = quoted(key) + " must be an array of {\"alias\", \"name\", \"type\"} objects";
  if (v.get_array().get(arr) != simdjson::SUCCESS) {
    err = expect + ", not " + type_name(v.type());
    return false;
  }
  for (element item : arr) {
    simdjson::dom::object o;
    std::string_view alias, name, type = "other";
    if (item.get_object().get(o) != simdjson::SUCCESS || o["alias"].get_string().get(alias) != simdjson::SUCCESS ||
        o["name"].get_string().get(name) != simdjson::SUCCESS) {
      err = expect + "; found " + type_name(item.type());
      return false;
    }
    if (auto t = o["type"]; !t.error() && !t.is_null() && t.get_string().get(type) != simdjson::SUCCESS) {
      err = expect + "; a \"type\" is not a string";
      return false;
    }
    const std::optional<EntityType> et = parse_entity_type(trim(type));
    if (!et) {
      err = quoted(key) + ": alias \"type\" must be \"person\", \"org\", \"place\" or \"other\"";
      return false;
    }
    if (!trim(alias).empty() && !trim(name).empty()) out.push_back(NameAlias{std::string(trim(alias)), std::string(trim(name)), *et});
  }
  return true;
}

// "quotes": [{"speaker": str, "speaker_kind": "person"|"organization"|"unnamed",
// "kind": "direct"|"reported", "cue": str, "start": n, "end": n}, ...] as
// `dateline extract` writes them ("text" is ignored); start < end <= the
// body's length in bytes (the body is read first).
bool get_quotes(element v, std::string_view key, Article& a, std::string& err) {
  simdjson::dom::array arr;
  const std::string expect = quoted(key) + " must be an array of {\"speaker\", \"speaker_kind\", \"kind\", "
                             "\"cue\", \"start\", \"end\"} objects";
  if (v.get_array().get(arr) != simdjson::SUCCESS) {
    err = expect + ", not " + type_name(v.type());
    return false;
  }
  for (element item : arr) {
    simdjson::dom::object o;
    std::string_view speaker, speaker_kind, kind, cue;
    uint64_t start = 0, end = 0;
    if (item.get_object().get(o) != simdjson::SUCCESS || o["speaker"].get_string().get(speaker) != simdjson::SUCCESS ||
        o["speaker_kind"].get_string().get(speaker_kind) != simdjson::SUCCESS ||
        o["kind"].get_string().get(kind) != simdjson::SUCCESS || o["cue"].get_string().get(cue) != simdjson::SUCCESS ||
        o["start"].get_uint64().get(start) != simdjson::SUCCESS || o["end"].get_uint64().get(end) != simdjson::SUCCESS) {
      err = expect + "; found " + (item.is_object() ? std::string("an object without one of them") : type_name(item.type()));
      return false;
    }
    const auto sk = parse_speaker_kind(trim(speaker_kind));
    const auto qk = parse_quote_kind(trim(kind));
    if (!sk || !qk) {
      err = quoted(key) + ": \"speaker_kind\" must be \"person\", \"organization\" or \"unnamed\" and \"kind\" "
            "\"direct\" or \"reported\"";
      return false;
    }
    if (start >= end || end > a.body.size()) {
      err = quoted(key) + ": a quotation's \"start\" " + std::to_string(start) + " and \"end\" " +
            std::to_string(end) + " are not a range of the body (" + std::to_string(a.body.size()) + " bytes)";
      return false;
    }
    a.quotes.push_back(Quotation{std::string(trim(speaker)), *sk, *qk, std::string(trim(cue)),
                                 static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
  }
  std::stable_sort(a.quotes.begin(), a.quotes.end(), [](const Quotation& x, const Quotation& y) { return x.start < y.start; });
  a.has_quotes = true;
  return true;
}

// "people", "organizations", "places": names of entities of that type. A
// name already among the entities takes the type; another one is added.
bool get_typed_names(element v, std::string_view key, EntityType type, Article& a, std::string& err) {
  std::vector<std::string> names;
  bool present = false;
  if (!get_string_array(v, key, names, present, err)) return false;
  for (std::string& n : names) {
    auto it = std::find_if(a.entities.begin(), a.entities.end(), [&](const Entity& e) { return e.name == n; });
    if (it != a.entities.end()) it->type = type;
    else a.entities.push_back(Entity{std::move(n), type});
  }
  a.has_entities = a.has_entities || present;
  return true;
}

// Sorts a record's fields into slots by the field they name; unknown names
// and names that lose to a better name of the same field are noted. A null
// value counts as absent (an alias then still counts).
void JsonlParser::Impl::collect(simdjson::dom::object obj, Slots& slots, uint64_t line_no) {
  for (auto f : obj) {
    const size_t rank = field_rank(f.key);
    if (rank == kNoRank) {
      reports.not_read(f.key, {}, record, line_no);
      continue;
    }
    if (f.value.is_null()) continue;
    Slot& s = slots[static_cast<size_t>(kFieldNames[rank].field)];
    if (s.rank != kNoRank && s.rank != rank) {
      const bool better = rank < s.rank;
      reports.not_read(better ? s.key : f.key, better ? f.key : s.key, record, line_no);
      if (!better) continue;
    }
    s = Slot{f.value, f.key, rank};  // a repeated key: the last one counts
  }
}

// Reads every slot but the date into `a`. False with `err` set when a value
// has the wrong type.
bool JsonlParser::Impl::read_fields(const Slots& slots, Article& a, std::string& err) {
  bool present = false;
  for (size_t i = 0; i < kFieldCount; ++i) {
    const Slot& s = slots[i];
    if (s.rank == kNoRank) continue;
    bool ok = true;
    switch (static_cast<Field>(i)) {
      case Field::Id: ok = get_id(s.value, s.key, a.id, err); break;
      case Field::Date: break;  // read_date(), once the record is known to be good
      case Field::Title: ok = get_string(s.value, s.key, a.title, present, err); break;
      case Field::Body: ok = get_string(s.value, s.key, a.body, present, err); break;
      case Field::Speakers: ok = get_string_array(s.value, s.key, a.speakers, a.has_speakers, err); break;
      case Field::Entities: ok = get_entity_array(s.value, s.key, a.entities, a.has_entities, err); break;
      case Field::People: ok = get_typed_names(s.value, s.key, EntityType::Person, a, err); break;
      case Field::Organizations: ok = get_typed_names(s.value, s.key, EntityType::Organization, a, err); break;
      case Field::Places: ok = get_typed_names(s.value, s.key, EntityType::Place, a, err); break;
      case Field::Aliases: ok = get_aliases(s.value, s.key, a.aliases, err); break;
      case Field::Quotes: ok = get_quotes(s.value, s.key, a, err); break;
      case Field::FromFile:
      case Field::FromLine:
      case Field::FromOrigin: break;
      case Field::Url: ok = get_string(s.value, s.key, a.url, present, err); break;
      case Field::Source: ok = get_string(s.value, s.key, a.source, present, err); break;
      case Field::Author: ok = get_author(s.value, s.key, a.author, err); break;
    }
    if (!ok) return false;
  }
  return true;
}

// The date field: a date string (parse_date_value()) or a Unix time. False
// with `err` set for another type; a value that names no day is a warning and
// leaves the article undated.
bool JsonlParser::Impl::read_date(const Slot& s, Article& a, uint64_t line_no, std::string& err) {
  if (s.rank == kNoRank) return true;
  std::optional<DayNumber> day;
  std::string shown;
  std::string_view text;
  if (double x; s.value.get_double().get(x) == simdjson::SUCCESS) {
    day = date_from_unix_time(x);
    shown = simdjson::minify(s.value);
  } else if (s.value.get_string().get(text) == simdjson::SUCCESS) {
    if (trim(text).empty()) return true;
    day = parse_date_value(text);
    shown = quoted(trim(text));
  } else {
    err = quoted(s.key) + " must be a date string or a number, not " + type_name(s.value.type());
    return false;
  }
  if (day) {
    a.date = *day;
  } else {
    ctx.warning(where(line_no), "invalid date " + shown + " in " + quoted(s.key) +
                                    " (expected YYYY-MM-DD, an RFC 2822 date such as \"Tue, 10 Jun 2003\" "
                                    "or Unix seconds); article kept undated");
  }
  return true;
}

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
  Slots slots;
  collect(obj, slots, line_no);
  Article a;
  std::string err;
  const auto given = [&](Field f) { return slots[static_cast<size_t>(f)].rank != kNoRank; };
  if (!read_fields(slots, a, err)) {
    ctx.error(where(line_no), err);
    return;
  }
  if (!given(Field::Title) && !given(Field::Body)) {
    ctx.error(where(line_no), "record has neither a title nor a body (no " + names_of({Field::Title, Field::Body}) + ")");
    return;
  }
  if (!read_date(slots[static_cast<size_t>(Field::Date)], a, line_no, err)) {
    ctx.error(where(line_no), err);
    return;
  }
  finish_article(a, line_no);
  if (a.body.empty() && !a.title.empty()) reports.title_only(line_no);
  ctx.emit(std::move(a));
}

// Normalises a record that was read: id (or "<file>#<record>"), whitespace,
// given entities that are also given speakers typed as people.
void JsonlParser::Impl::finish_article(Article& a, uint64_t line_no) {
  for (Entity& e : a.entities)
    if (e.type == EntityType::Other)
      for (const std::string& s : a.speakers)
        if (s == e.name) e.type = EntityType::Person;
  a.file = src.file;
  a.line = line_no;
  a.id = std::string(trim(a.id));
  if (a.id.empty()) a.id = src.name + "#" + std::to_string(record);
  a.title = collapse_whitespace(a.title);
  if (a.body.find('\r') != std::string::npos) a.body = normalize_newlines(a.body);
  a.body = std::string(trim(a.body));
  a.url = std::string(trim(a.url));
  a.source = std::string(trim(a.source));
}

// ---------------------------------------------------------------------------
// Plain JSON Lines

void read_jsonl(const Source& src, InputStream& in, ReadContext& ctx) {
  JsonlParser parser(src, ctx);
  std::vector<char> buf(1 << 20);
  size_t n;
  while ((n = in.read(buf.data(), buf.size())) > 0) {
    ctx.add_bytes(n);
    parser.feed(buf.data(), n);
  }
  if (!in.error().empty()) {
    ctx.error(src.display + ":" + std::to_string(parser.lines() + 1), "read error: " + in.error());
    parser.finish(false);
    return;
  }
  parser.finish();
}

}  // namespace dateline::corpus_detail

namespace dateline {

std::string jsonl_field_names() {
  using corpus_detail::FieldName, corpus_detail::kFieldNames;
  std::string out;
  for (const FieldName* f = std::begin(kFieldNames); f != std::end(kFieldNames); ++f) {
    const auto same = [&](const FieldName& g) { return g.field == f->field; };
    if (std::any_of(std::begin(kFieldNames), f, same)) continue;  // an alias: listed with its field
    out.append(out.empty() ? "" : ", ").append(f->name);
    std::string_view sep = " (or ";
    for (const FieldName* g = f + 1; g != std::end(kFieldNames); ++g)
      if (same(*g)) out.append(sep).append(g->name), sep = ", ";
    if (sep == ", ") out.push_back(')');
  }
  return out;
}

}  // namespace dateline
