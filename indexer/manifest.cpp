#include "indexer/manifest.h"

#include <simdjson.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "common/checksum.h"
#include "common/fault_point.h"
#include "common/file_util.h"
#include "common/varint.h"
#include "common/json.h"
#include "indexer/format.h"

namespace dateline {

namespace {

// 16 lower-case hex digits then a newline; nullopt otherwise.
std::optional<uint64_t> parse_hex64(std::string_view s) {
  if (s.size() != 17 || s[16] != '\n') return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < 16; ++i) {
    const char c = s[i];
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<uint64_t>(d);
  }
  return v;
}

}  // namespace

uint64_t Manifest::docs() const {
  uint64_t n = 0;
  for (const auto& s : segments) n += s.docs - s.deleted;
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
  const std::string file = read_file(path);
  // The JSON, then "xxh64 <16 hex digits>\n" (format 5 on).
  std::string_view json = file;
  std::optional<uint64_t> sum;
  if (const size_t line = json.rfind("\nxxh64 "); line != std::string_view::npos) {
    sum = parse_hex64(json.substr(line + 7));
    json = json.substr(0, line + 1);
  }
  simdjson::padded_string text(json);
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
    if (!sum || *sum != checksum64(json))
      throw CorruptIndex(path + ": damaged (" + (sum ? "checksum mismatch" : "no checksum line") + ")");
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
      info.deleted = static_cast<uint32_t>(uint64_t(s["deleted"]));
      info.deletes = std::string(std::string_view(s["deletes"]));
      if (info.name.empty() || info.name.find('/') != std::string::npos)
        throw std::runtime_error(path + ": bad segment name");
      if (info.deletes.find('/') != std::string::npos || info.deleted > info.docs ||
          (info.deleted > 0) == info.deletes.empty())
        throw CorruptIndex(path + ": bad deletions of segment " + info.name);
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
        .field("max_date", static_cast<long long>(s.max_date))
        .field("deleted", static_cast<long long>(s.deleted))
        .field("deletes", s.deletes);
    out += (i ? ",\n  " : "\n  ") + o.str();
  }
  out += "\n]}\n";
  char line[32];
  std::snprintf(line, sizeof line, "xxh64 %016llx\n", static_cast<unsigned long long>(checksum64(out)));
  out += line;
  // write_file_atomic(), with the crash points of a commit between its steps.
  const std::string path = (std::filesystem::path(dir) / format::kManifestFile).string();
  write_file_durable(path + ".tmp", out);
  fault_point("manifest-written");
  if (std::rename((path + ".tmp").c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot rename onto " + path + ": " + std::strerror(errno));
  fault_point("manifest-renamed");
  fsync_directory(dir);
}

}  // namespace dateline
