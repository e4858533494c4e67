#include "indexer/manifest.h"

#include <simdjson.h>

#include <filesystem>
#include <stdexcept>

#include "common/file_util.h"
#include "common/json.h"
#include "indexer/format.h"

namespace dateline {

uint64_t Manifest::docs() const {
  uint64_t n = 0;
  for (const auto& s : segments) n += s.docs;
  return n;
}

bool index_exists(const std::string& dir) {
  return std::filesystem::exists(std::filesystem::path(dir) / format::kManifestFile);
}

Manifest read_manifest(const std::string& dir, bool any_format) {
  const std::string path = (std::filesystem::path(dir) / format::kManifestFile).string();
  if (!std::filesystem::exists(path))
    throw std::runtime_error(dir + " is not a dateline index (no " + format::kManifestFile + ")");
  simdjson::dom::parser parser;
  simdjson::padded_string text = simdjson::padded_string(read_file(path));
  Manifest m;
  try {
    simdjson::dom::element root = parser.parse(text);
    m.format = static_cast<uint32_t>(uint64_t(root["format"]));
    const bool current = m.format == format::kFormatVersion;
    if (!current && any_format) {
      m.generation = uint64_t(root["generation"]);
      for (simdjson::dom::object s : simdjson::dom::array(root["segments"])) {
        SegmentInfo info;
        info.name = std::string(std::string_view(s["name"]));
        if (info.name.rfind("seg-", 0) != 0 || info.name.find('/') != std::string::npos)
          throw std::runtime_error(path + ": bad segment name");
        m.segments.push_back(std::move(info));
      }
      return m;
    }
    if (!current)
      throw std::runtime_error(
          path + ": index format " + std::to_string(m.format) + " is not supported (this build reads format " +
          std::to_string(format::kFormatVersion) + "); rebuild the index from its articles with " +
          "'dateline index --overwrite --index " + dir + " FILES...'");
    m.stemmer = std::string(std::string_view(root["stemmer"]));
    m.fold_accents = bool(root["fold_accents"]);
    m.generation = uint64_t(root["generation"]);
    for (simdjson::dom::object s : simdjson::dom::array(root["segments"])) {
      SegmentInfo info;
      info.name = std::string(std::string_view(s["name"]));
      info.docs = static_cast<uint32_t>(uint64_t(s["docs"]));
      info.terms = uint64_t(s["terms"]);
      info.postings = uint64_t(s["postings"]);
      info.positions = uint64_t(s["positions"]);
      info.text_tokens = uint64_t(s["text_tokens"]);
      info.min_date = static_cast<DayNumber>(int64_t(s["min_date"]));
      info.max_date = static_cast<DayNumber>(int64_t(s["max_date"]));
      if (info.name.empty() || info.name.find('/') != std::string::npos)
        throw std::runtime_error(path + ": bad segment name");
      m.segments.push_back(std::move(info));
    }
  } catch (const simdjson::simdjson_error& e) {
    throw std::runtime_error(path + ": malformed manifest (" + e.what() + ")");
  }
  return m;
}

void write_manifest(const std::string& dir, const Manifest& m) {
  std::string out = "{\"format\":" + std::to_string(m.format) + ",\"stemmer\":";
  json_append_string(out, m.stemmer);
  out += std::string(",\"fold_accents\":") + (m.fold_accents ? "true" : "false");
  out += ",\"generation\":" + std::to_string(m.generation) + ",\"segments\":[";
  for (size_t i = 0; i < m.segments.size(); ++i) {
    const auto& s = m.segments[i];
    JsonObject o;
    o.field("name", s.name)
        .field("docs", static_cast<long long>(s.docs))
        .field("terms", static_cast<long long>(s.terms))
        .field("postings", static_cast<long long>(s.postings))
        .field("positions", static_cast<long long>(s.positions))
        .field("text_tokens", static_cast<long long>(s.text_tokens))
        .field("min_date", static_cast<long long>(s.min_date))
        .field("max_date", static_cast<long long>(s.max_date));
    out += (i ? ",\n  " : "\n  ") + o.str();
  }
  out += "\n]}\n";
  write_file_atomic((std::filesystem::path(dir) / format::kManifestFile).string(), out);
}

}  // namespace dateline
