// The compile step: a Query (common/query.h) and the index-wide statistics
// of its words become, per segment, a tree of scorers (searcher/query/*).
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
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/query.h"
#include "indexer/segment_reader.h"
#include "searcher/bm25.h"
#include "searcher/query/scorer.h"

namespace dateline {

// Prefix expansions that score are capped: a one-letter prefix can match
// thousands of words, and they all match anyway. The most frequent score.
inline constexpr size_t kMaxScoredExpansions = 64;

class QueryWeight {
 public:
  // `segments`: every segment the query will run on (the statistics are
  // theirs together). With scoring false every scorer scores 0 (counting).
  // `q` must outlive the weight.
  QueryWeight(const Query& q, const std::vector<const SegmentReader*>& segments, const Bm25Scorer& bm25,
              bool scoring);

  // The scorer tree of the query in `seg`, positioned on its first document.
  ScorerPtr scorer(const SegmentReader& seg) const;

 private:
  void add_stats(const Query& leaf, const std::vector<const SegmentReader*>& segments);
  ScorerPtr build(const Query& q, const SegmentReader& seg, bool scoring) const;
  ScorerPtr term(const std::string& t, const SegmentReader& seg, bool scoring) const;
  ScorerPtr prefix(const Query& q, const SegmentReader& seg, bool scoring) const;
  ScorerPtr positional(const Query& q, const SegmentReader& seg, bool scoring) const;

  const Query& query_;
  const Bm25Scorer& bm25_;
  bool scoring_;
  std::unordered_map<std::string, double> idf_;  // every scoring word
  std::unordered_map<const Query*, std::unordered_set<std::string>> scored_expansions_;
};

// Calls fn(term, info) for each term the Prefix leaf `q` expands to in `seg`,
// in term order. Throws QueryError at q.column, naming the prefix, once it
// expands to more than kMaxPrefixExpansions terms.
// The leaves of `q` that score (words, prefixes, phrases, NEAR), in query
// order: every one outside the right side of an AND NOT.
void collect_scoring(const Query& q, std::vector<const Query*>& leaves);

using TermVisitor = std::function<void(std::string_view term, const TermInfo& info)>;
void for_each_expansion(const Query& q, const SegmentReader& seg, const TermVisitor& fn);

}  // namespace dateline
