// The public face of the searcher: open an index (or several searched as
// one), count, rank, fetch.
//
// A Searcher sees the segments named by each MANIFEST when it was opened; a
// concurrent commit does not change what it sees. Not thread-safe: use one
// Searcher per thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/analyzer.h"
#include "common/query.h"
#include "corpus/article.h"
#include "indexer/manifest.h"
#include "searcher/bm25.h"
#include "searcher/query/live_df.h"
#include "searcher/collector/top_docs_collector.h"
#include "searcher/snippet.h"
#include "indexer/segment_reader.h"

namespace dateline {

class Scorer;

struct SearchOptions {
  // Newest: newest first; Oldest: oldest first; undated articles last in
  // both, ties by score.
  enum class Sort { Relevance, Newest, Oldest };
  size_t limit = 10;
  size_t offset = 0;
  Sort sort = Sort::Relevance;
  // When false, SearchResults::total may be left uncounted (total_exact is
  // then false), which lets ranking skip documents that cannot make the page.
  bool count_total = true;
  // Scores every match and prunes nothing: the reference that pruned pages
  // are tested against (same hits, order and scores).
  bool exhaustive = false;
};

struct SearchResults {
  uint64_t total = 0;           // exact number of matching articles (when total_exact)
  bool total_exact = true;      // false only if SearchOptions::count_total was false
  std::vector<ScoredDoc> hits;  // the requested page, in order
};

// Sorts hits the way search() orders a page (ties by segment and doc).
void sort_hits(std::vector<ScoredDoc>& hits, SearchOptions::Sort sort);

class Searcher {
 public:
  // Opens the index in `dir`. Throws std::runtime_error with a user message.
  explicit Searcher(const std::string& dir);
  // Opens several indexes (for example one per year) searched as one: their
  // segments in the order given, BM25 statistics (document count, average
  // length, document frequencies) over all of them, one ranking, exact
  // counts. They must share their analysis (stemmer, accent folding); a
  // directory given twice, or indexes analysed differently, throw
  // std::runtime_error naming them.
  explicit Searcher(const std::vector<std::string>& dirs);
  ~Searcher();

  // The (first) index's MANIFEST.
  const Manifest& manifest() const { return parts_.at(0).manifest; }
  size_t index_count() const { return parts_.size(); }
  const Manifest& manifest(size_t index) const { return parts_.at(index).manifest; }
  const std::string& index_dir(size_t index) const { return parts_.at(index).dir; }
  // Which index (0 for the first given) holds segment s.
  size_t index_of_segment(size_t s) const { return segment_index_.at(s); }
  Analyzer& analyzer() { return *analyzer_; }
  // Live articles (deleted ones left out).
  uint64_t docs() const;

  // Parses `text` with this index's analyzer (throws QueryError). Name
  // values resolve through this index's aliases (searcher/name_aliases.h)
  // unless opts.names gives another resolver.
  Query parse(std::string_view text, const ParseOptions& opts = {}, std::vector<QueryNote>* notes = nullptr);

  // Exact number of matching articles. count(), search() and matching_ids()
  // throw QueryError for a prefix that expands too far (query_weight.h),
  // wherever it is in the query.
  uint64_t count(const Query& q);
  // Ranked page of hits (BM25 over title + body) and the exact total.
  SearchResults search(const Query& q, const SearchOptions& opts);
  // Stored article of a hit.
  Article document(const ScoredDoc& d) const;
  // Id of a hit's article (cheap: read from the id column).
  std::string doc_id(const ScoredDoc& d) const;
  // One segment of a query's matching (not scoring) run: collect_segment()
  // (collector/collect.h) hands each live match of `root` to a collector;
  // weight.count(index) counts the matches the cheapest way.
  struct SegmentRun {
    size_t index;
    const SegmentReader& segment;
    Scorer& root;
    const class QueryWeight& weight;
  };
  // Calls visit() for each segment in index order.
  void for_each_segment(const Query& q, const std::function<void(const SegmentRun&)>& visit);
  // Every matching article with its score (as search() ranks it), in index
  // order: 24 bytes a hit, no stored article read (exports: sort_hits(), then
  // fetch each hit's article as it is written).
  std::vector<ScoredDoc> all_hits(const Query& q);
  // Ids of all matching articles (for tests and diagnostics), in index order.
  std::vector<std::string> matching_ids(const Query& q);
  // Every article whose id is `id`, in index order (a scan of the id columns).
  std::vector<ScoredDoc> find_id(std::string_view id) const;

  // Analysed text-field terms of the query's positive clauses (for snippets).
  std::unordered_set<std::string> highlight_terms(const Query& q) const;
  // Folded prefixes of the query's positive title and body prefix clauses.
  std::vector<std::string> highlight_prefixes(const Query& q) const;
  // The snippet of hit `h`, whose stored article is `a` (its body, or its
  // title when it has none), for the words `terms` and `prefixes` (above).
  // Without prefixes it is made from the positions the index holds for the
  // words in that article: only the text's token boundaries are computed,
  // no word is analysed. With prefixes, make_snippet() analyses the text.
  // Both pick the same window (searcher/snippet.h).
  Snippet snippet(const ScoredDoc& h, const Article& a, const std::unordered_set<std::string>& terms,
                  const std::vector<std::string>& prefixes, size_t max_words = 32) const;

  // The global ordinals of a facet field over every segment, built on the
  // first call (searcher/facet_ordinals.h).
  const class FacetOrdinals& facet_ordinals(FacetField f);
  // Every live document's facet counts in segment s, all fields and days
  // (collector/facet_collector.h's count_live_documents()), made at the
  // first call: what complement counting subtracts from.
  const struct SegmentFacetCounts& facet_totals(size_t s);
  // Segment s's four name fields in one list a document
  // (collector/facet_collector.h's FacetRows), made at the first call.
  const struct FacetRows& facet_rows(size_t s);

  size_t segment_count() const { return segments_.size(); }
  const SegmentReader& segment(size_t i) const { return *segments_[i]; }

 private:
  std::vector<const SegmentReader*> segment_list() const;

  struct Part {
    std::string dir;
    Manifest manifest;
  };
  // Opens one index's segments (appended to segments_).
  void open_index(const std::string& dir);

  std::vector<Part> parts_;
  std::unique_ptr<Analyzer> analyzer_;
  std::vector<std::unique_ptr<SegmentReader>> segments_;  // every index's, in order
  std::vector<size_t> segment_index_;                     // the index of each segment
  Bm25Scorer bm25_;
  std::unique_ptr<class NameAliases> names_;
  LiveDfCache live_df_;  // single-term counts in segments with deletions
  std::array<std::unique_ptr<class FacetOrdinals>, kFacetFields> facet_ordinals_;
  std::vector<std::unique_ptr<struct SegmentFacetCounts>> facet_totals_;  // by segment, made as asked
  std::vector<std::unique_ptr<struct FacetRows>> facet_rows_;            // by segment, made as asked
};

}  // namespace dateline
