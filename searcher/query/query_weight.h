// The compile step: a Query (common/query.h) and the index-wide statistics
// of its words become, per segment, a tree of scorers (searcher/query/*),
// or, for counting, the cheapest way to count (Lucene's Weight.count).
//
// Scores (BM25 over title + body, searcher/bm25.h): a word scores its BM25
// with the word's document frequency over all segments; a phrase or
// proximity clause the sum of its distinct words'; a prefix the sum of the
// expansions the document contains, among the kMaxScoredExpansions most
// frequent ones over all segments; AND the sum of its clauses; OR the sum of
// the clauses that match; AND NOT its left side's; AND_MAYBE its first
// clause's plus the others' that match; dates, match-all and everything
// under NOT score nothing. Sums follow the query's clause order.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/query.h"
#include "indexer/segment_reader.h"
#include "searcher/bm25.h"
#include "searcher/query/live_df.h"
#include "searcher/query/scorer.h"
#include "searcher/query/window_count.h"

namespace dateline {

// Prefix expansions that score are capped: a one-letter prefix can match
// thousands of words, and they all match anyway. The most frequent score.
inline constexpr size_t kMaxScoredExpansions = 64;

class QueryWeight {
 public:
  // `segments`: every segment the query will run on, numbered by their
  // position here (the statistics are theirs together). With scoring false
  // every scorer scores 0 (counting). `live_df`, when given, caches the
  // live document frequencies of single terms in segments with deletions.
  // Each prefix is expanded here, once per segment: throws QueryError at
  // its column when one expands to more than kMaxPrefixExpansions terms,
  // wherever it is in the query. `q` must outlive the weight.
  QueryWeight(const Query& q, const std::vector<const SegmentReader*>& segments, const Bm25Scorer& bm25,
              bool scoring, LiveDfCache* live_df = nullptr);

  // The scorer tree of the query in segment s, positioned on its first document.
  ScorerPtr scorer(size_t s) const;
  // The number of matches in segment s (deleted documents left out) when it
  // is known without visiting them: a single term (its live document
  // frequency), a two-word phrase on a name field (its name pair's, see
  // common/fields.h), match-all, match-nothing; else -1.
  int64_t known_count(size_t s) const;
  // The exact number of matches in segment s, by the cheapest way: known,
  // counted in bitset windows (dense boolean queries, window_count.h), or
  // by iterating the scorer tree. Tests force one way (Windows falls back to
  // iterating for queries with positional clauses).
  enum class CountBy { Cheapest, Iterating, Windows };
  uint64_t count(size_t s, CountBy by = CountBy::Cheapest) const;

 private:
  struct Expansion {
    std::string term;
    TermInfo info;
  };
  void expand_prefixes(const Query& q);
  // The dictionary entry of `t` in `seg`, looked up once per weight: the
  // statistics pass and every scorer or window built later share it (each
  // lookup is a binary search and a block scan, paid in every segment).
  std::optional<TermInfo> lookup(const std::string& t, const SegmentReader& seg) const;
  void add_stats(const Query& leaf);
  ScorerPtr build(const Query& q, size_t s, bool scoring) const;
  ScorerPtr term(const std::string& t, const SegmentReader& seg, bool scoring) const;
  ScorerPtr prefix(const Query& q, size_t s, bool scoring) const;
  ScorerPtr positional(const Query& q, const SegmentReader& seg, bool scoring) const;
  ScorerPtr within(const Query& q, size_t s, bool scoring) const;
  // The query as a window-counting tree in segment s, or null when some
  // clause needs positions.
  std::unique_ptr<WindowNode> window_tree(const Query& q, size_t s) const;

  const Query& query_;
  std::vector<const SegmentReader*> segments_;
  const Bm25Scorer& bm25_;
  bool scoring_;
  LiveDfCache* live_df_;
  std::unordered_map<std::string, double> idf_;  // every scoring word
  // Per word: its entry in each segment (by position in segments_), once looked up.
  mutable std::unordered_map<std::string, std::vector<std::optional<std::optional<TermInfo>>>> infos_;
  std::unordered_map<const Query*, std::unordered_set<std::string>> scored_expansions_;
  // Per Prefix leaf, per segment: its expansions, in term order.
  std::unordered_map<const Query*, std::vector<std::vector<Expansion>>> expansions_;
};

// The leaves of `q` that score (words, prefixes, phrases, NEAR), in query
// order: every one outside the right side of an AND NOT.
void collect_scoring(const Query& q, std::vector<const Query*>& leaves);

// Calls fn(term, info) for each term the Prefix leaf `q` expands to in `seg`,
// in term order. Throws QueryError at q.column, naming the prefix, once it
// expands to more than kMaxPrefixExpansions terms.
using TermVisitor = std::function<void(std::string_view term, const TermInfo& info)>;
void for_each_expansion(const Query& q, const SegmentReader& seg, const TermVisitor& fn);

}  // namespace dateline
