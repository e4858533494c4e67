// Facets: for every article a query matches (not only a page), the most
// frequent values of some fields with exact counts. Names come from each
// segment's facet columns (indexer/facet_columns.h) and dates from the date
// column, never from stored articles. The counting is a collector beside
// the top-k one (collector/facet_collector.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/query.h"
#include "indexer/facet_columns.h"

namespace dateline {

class Searcher;

// A facet: a name field (speaker, person, org, place, source) or a date
// period (day, week, month, year).
struct FacetKind {
  bool is_date = false;
  FacetField field = FacetField::Speaker;  // when !is_date
  DatePeriod period = DatePeriod::Month;   // when is_date
  bool operator==(const FacetKind&) const = default;
};

// "speaker", "person", "org" (or "organization"), "place", "source",
// "day", "week", "month", "year".
std::optional<FacetKind> parse_facet_kind(std::string_view name);
std::string facet_kind_name(const FacetKind& k);
// A comma-separated list ("speaker,org,month"), each kind once. Throws
// std::invalid_argument naming the unknown one and listing the known ones.
std::vector<FacetKind> parse_facet_list(std::string_view list);

struct FacetCount {
  std::string value;  // a name, or a period's label (common/date.h's period_label)
  uint64_t count = 0;
  bool operator==(const FacetCount&) const = default;
};

struct FacetResult {
  FacetKind kind;
  uint64_t distinct = 0;         // values with at least one matching article
  uint64_t articles = 0;         // matching articles with at least one value
  std::vector<FacetCount> top;   // the `limit` most frequent: count descending, then value ascending
};

struct FacetsResult {
  uint64_t total = 0;  // matching articles
  std::vector<FacetResult> facets;  // in the order asked
};

// Counts the facets of every live article that matches `q`, in one pass.
// Throws QueryError like Searcher::count(), CorruptIndex for a damaged file.
FacetsResult count_facets(Searcher& searcher, const Query& q, const std::vector<FacetKind>& kinds, size_t limit);

}  // namespace dateline
