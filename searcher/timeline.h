// Timelines: how many matching articles each day, week, month or year
// holds, for several queries side by side or for one query split by the
// most frequent values of a name field (the speakers, organisations or
// places that carry it). Counted from the date column and the facet
// columns in one pass per query; no stored article is read.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/date.h"
#include "common/query.h"
#include "indexer/facet_columns.h"

namespace dateline {

class Searcher;

struct TimelineSeries {
  std::string name;              // the query's text, or the split value
  std::vector<uint64_t> counts;  // per period of Timeline::starts
  uint64_t total = 0;            // dated matches (the sum of counts)
  uint64_t undated = 0;          // matches without a date (in no period)
};

struct Timeline {
  DatePeriod period = DatePeriod::Month;
  // The first day of each period, ascending, every period from the first
  // with a match to the last (those between without one count 0).
  std::vector<DayNumber> starts;
  std::vector<TimelineSeries> series;
};

// One series per (name, query). Throws QueryError like Searcher::count().
Timeline query_timeline(Searcher& searcher, const std::vector<std::pair<std::string, Query>>& queries,
                        DatePeriod period);

// One series for each of the `top` values of `field` most frequent among
// the matches of `q`, counting the matches that carry it.
Timeline split_timeline(Searcher& searcher, const Query& q, FacetField field, size_t top, DatePeriod period);

}  // namespace dateline
