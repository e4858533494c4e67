// Query-time name resolution: a value of speaker:, entity:, person:, org: or
// place: goes through the alias tables the extractor applies, so org:fed
// matches what org:"federal reserve" matches.
//
// Two tables: the gazetteer's (corpus/extract.h, gazetteer_entity: "fed" ->
// Federal Reserve, "u.s." -> United States) and the aliases the extractor
// resolved in this index's articles (alias terms, common/fields.h: "CFTC" ->
// Commodity Futures Trading Commission), each alias taken as the name it
// stood for most often. A value resolves to a name; the query then matches
// that name and every learned alias of it, so the alias and the full name
// give the same answer, including articles that wrote only the alias.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/analyzer.h"
#include "common/query.h"
#include "indexer/segment_reader.h"

namespace dateline {

class NameAliases : public NameResolver {
 public:
  // Reads the alias terms of `segments` (a few dictionary blocks each).
  NameAliases(const std::vector<std::unique_ptr<SegmentReader>>& segments, Analyzer& analyzer);

  std::vector<std::string> resolve(Field field, std::string_view value) const override;

  // Number of distinct (type, alias, name) entries learned from the index.
  size_t learned() const { return learned_; }

 private:
  struct Candidate {
    std::string name;  // display form, as the extractor wrote it
    uint64_t articles = 0;
  };
  // The folded tokens of `text` joined by ' ' (the key of alias terms).
  std::string key_of(std::string_view text) const;
  // The learned name `key` stands for most often among the types `letters`.
  const Candidate* learned_name(const std::string& letters, const std::string& key) const;

  Analyzer& analyzer_;
  size_t learned_ = 0;
  // (type letter + alias key) -> the names it stood for, by article count.
  std::map<std::string, std::vector<Candidate>> names_of_alias_;
  // (type letter + name key) -> the aliases whose most frequent name it is.
  std::map<std::string, std::vector<std::string>> aliases_of_name_;
};

}  // namespace dateline
