// Duplicate article ids within one run of `dateline index` or `extract`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "corpus/article.h"
#include "corpus/reader.h"

namespace dateline {

// Remembers where each article id was first seen in a run, so that every
// later article with the same id is reported with both places. Keeps, per
// distinct id, the id, a file number and a line, never the article; each file
// path is stored once (articles arrive file by file). About 70 bytes per id
// (plus the id's length beyond 15 bytes): some 70 MB at a million articles.
class DuplicateIds {
 public:
  // Notes the id of `a` at a.file, a.line. When it was seen before, returns
  // a warning at a.origin():
  //   id "dl-1" also at a.jsonl:3 (<consequence>)
  // naming the first place (a later third copy is also reported against the
  // first); else nullopt.
  std::optional<Diagnostic> check(const Article& a, std::string_view consequence);

  // Ids seen twice or more so far (one per later copy).
  uint64_t duplicates() const { return duplicates_; }
  // An estimate of the memory held (for memory budgets).
  size_t memory_bytes() const { return bytes_; }

 private:
  struct Place {
    uint32_t file;  // index into files_
    uint64_t line;
  };
  std::string origin_of(const Place& p) const;

  std::vector<std::string> files_;
  std::unordered_map<std::string, Place> first_;
  uint64_t duplicates_ = 0;
  size_t bytes_ = 0;
};

}  // namespace dateline
