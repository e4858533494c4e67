// export --format opensearch: articles as OpenSearch / Elasticsearch _bulk
// NDJSON (an action line, then the document line), the index mapping to
// create first, and a sink that splits the pairs into size-capped files.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "corpus/article.h"

namespace dateline::cli {

// Default cap of one part file: 10 MB (the pairs of a _bulk request that
// OpenSearch's default 100 MB request limit takes with room to spare).
constexpr uint64_t kDefaultMaxFileBytes = 10'000'000;

// {"index":{"_index":NAME,"_id":ID}} and its newline.
std::string bulk_action(std::string_view index_name, std::string_view id);

// The article as one JSON document and its newline: id, date (yyyy-mm-dd or
// null), title, body, url, source, author (null when empty), speakers,
// people, organizations, places, other_entities, quotations (objects:
// speaker, speaker_kind, kind, cue, start, end, text).
std::string bulk_document(const Article& a);

// The body of `PUT /NAME` that creates an index for bulk_document()s:
// settings-free, {"mappings":{"properties":{...}}}, pretty-printed.
std::string bulk_mapping();

// Why `name` cannot name an OpenSearch index ("" when it can): lower case,
// no \ / * ? " < > | space , # :, not starting with - _ +, not . or ..,
// at most 255 bytes.
std::string index_name_problem(std::string_view name);

// Where pairs go: one stream (standard output), or files DIR/part-00001.ndjson,
// part-00002.ndjson, ... of at most max_bytes each. A pair is never split;
// a pair larger than max_bytes goes alone into its own file.
class BulkSink {
 public:
  explicit BulkSink(std::FILE* out) : out_(out) {}
  // Creates `dir` if needed. Throws std::runtime_error if it cannot, or if
  // it already holds part files (an earlier export's would be mixed in).
  BulkSink(std::string dir, uint64_t max_bytes);
  ~BulkSink();
  BulkSink(const BulkSink&) = delete;
  BulkSink& operator=(const BulkSink&) = delete;

  // Writes one pair; false when it is larger than the cap (written alone
  // into its own file all the same). Throws std::runtime_error on a write
  // error.
  bool write(const std::string& action, const std::string& document);
  // Flushes and closes; throws std::runtime_error on a write error.
  void finish();
  // Part files written so far (0 for a stream).
  int files() const { return files_; }
  // The path of part file n (1-based).
  std::string part_path(int n) const;

 private:
  void next_file();
  void check(bool ok, const std::string& what) const;

  std::FILE* out_ = nullptr;
  bool owned_ = false;
  std::string dir_;
  uint64_t max_bytes_ = 0;
  uint64_t file_bytes_ = 0;
  int files_ = 0;
};

}  // namespace dateline::cli
