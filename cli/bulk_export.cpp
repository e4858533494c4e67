// export --format opensearch: _bulk action and document lines, the mapping,
// and the part-file sink.
#include "cli/bulk_export.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "cli/article_output.h"
#include "common/json.h"

namespace dateline::cli {

namespace fs = std::filesystem;

std::string bulk_action(std::string_view index_name, std::string_view id) {
  JsonObject target;
  target.field("_index", index_name).field("_id", id);
  JsonObject action;
  action.raw_field("index", target.str());
  std::string line = action.str();
  line += '\n';
  return line;
}

namespace {

// A string field, null when empty.
void text_or_null(JsonObject& o, std::string_view key, const std::string& value) {
  if (value.empty()) o.null_field(key);
  else o.field(key, value);
}

}  // namespace

std::string bulk_document(const Article& a) {
  JsonObject o;
  o.field("id", a.id);
  if (a.date == kNoDate) o.null_field("date");
  else o.field("date", format_iso_date(a.date));
  o.field("title", a.title).field("body", a.body);
  text_or_null(o, "url", a.url);
  text_or_null(o, "source", a.source);
  text_or_null(o, "author", a.author);
  o.field("speakers", a.speakers);
  o.field("people", entity_names(a.entities, EntityType::Person));
  o.field("organizations", entity_names(a.entities, EntityType::Organization));
  o.field("places", entity_names(a.entities, EntityType::Place));
  o.field("other_entities", entity_names(a.entities, EntityType::Other));
  o.raw_field("quotations", quotes_json(a));
  std::string line = o.str();
  line += '\n';
  return line;
}

std::string bulk_mapping() {
  // A name: exact (keyword) for filters and aggregations, with a text
  // sub-field (NAME.text) for word search.
  const std::string name = R"({"type": "keyword", "fields": {"text": {"type": "text"}}})";
  const std::string keyword = R"({"type": "keyword"})";
  const std::string text = R"({"type": "text"})";
  const std::string integer = R"({"type": "integer"})";
  std::string m = "{\n  \"mappings\": {\n    \"properties\": {\n";
  auto prop = [&m](const char* key, const std::string& type, bool last = false) {
    m += "      \"";
    m += key;
    m += "\": ";
    m += type;
    m += last ? "\n" : ",\n";
  };
  prop("id", keyword);
  prop("date", R"({"type": "date", "format": "strict_date"})");
  prop("title", text);
  prop("body", text);
  prop("url", keyword);
  prop("source", name);
  prop("author", name);
  prop("speakers", name);
  prop("people", name);
  prop("organizations", name);
  prop("places", name);
  prop("other_entities", name);
  m += "      \"quotations\": {\n        \"type\": \"nested\",\n        \"properties\": {\n";
  const std::pair<const char*, std::string> quote_props[] = {
      {"speaker", name}, {"speaker_kind", keyword}, {"kind", keyword}, {"cue", keyword},
      {"text", text},    {"start", integer},        {"end", integer}};
  for (size_t i = 0; i < std::size(quote_props); ++i) {
    m += "          \"";
    m += quote_props[i].first;
    m += "\": ";
    m += quote_props[i].second;
    m += i + 1 < std::size(quote_props) ? ",\n" : "\n";
  }
  m += "        }\n      }\n    }\n  }\n}\n";
  return m;
}

std::string index_name_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name.size() > 255) return "it is longer than 255 bytes";
  if (name == "." || name == "..") return "it cannot be . or ..";
  if (name[0] == '-' || name[0] == '_' || name[0] == '+') return "it cannot start with -, _ or +";
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return "it must be lower case";
    if (std::strchr("\\/*?\"<>| ,#:", c)) return std::string("it cannot contain '") + c + "'";
  }
  return "";
}

BulkSink::BulkSink(std::string dir, uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || !fs::is_directory(dir_)) throw std::runtime_error(dir_ + ": cannot create the directory" +
                                                              (ec ? ": " + ec.message() : std::string()));
  if (fs::exists(part_path(1)))
    throw std::runtime_error(dir_ + " already holds " + part_path(1) +
                             " from an earlier export: remove its part files or choose another --out");
}

BulkSink::~BulkSink() {
  if (owned_ && out_) std::fclose(out_);
}

std::string BulkSink::part_path(int n) const {
  char name[32];
  std::snprintf(name, sizeof name, "part-%05d.ndjson", n);
  return (fs::path(dir_) / name).string();
}

void BulkSink::check(bool ok, const std::string& what) const {
  if (!ok) throw std::runtime_error(what + ": " + std::strerror(errno));
}

void BulkSink::next_file() {
  if (out_) {
    const bool closed = std::fclose(out_) == 0;
    out_ = nullptr;
    check(closed, "cannot write " + part_path(files_));
  }
  ++files_;
  out_ = std::fopen(part_path(files_).c_str(), "wb");
  check(out_ != nullptr, "cannot create " + part_path(files_));
  owned_ = true;
  file_bytes_ = 0;
}

bool BulkSink::write(const std::string& action, const std::string& document) {
  const uint64_t pair = action.size() + document.size();
  if (!dir_.empty() && (!out_ || (file_bytes_ > 0 && file_bytes_ + pair > max_bytes_))) next_file();
  const bool ok = std::fwrite(action.data(), 1, action.size(), out_) == action.size() &&
                  std::fwrite(document.data(), 1, document.size(), out_) == document.size();
  check(ok, dir_.empty() ? std::string("cannot write the export") : "cannot write " + part_path(files_));
  file_bytes_ += pair;
  return dir_.empty() || pair <= max_bytes_;
}

void BulkSink::finish() {
  if (!out_) return;
  if (owned_) {
    const bool closed = std::fclose(out_) == 0;
    out_ = nullptr;
    check(closed, "cannot write " + part_path(files_));
  } else {
    check(std::fflush(out_) == 0 && !std::ferror(out_), "cannot write the export");
  }
}

}  // namespace dateline::cli
