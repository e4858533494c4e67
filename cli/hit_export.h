// search --format csv|tsv|jsonl: every hit of a query as one table row or
// JSON line, for spreadsheets, pandas and scripts.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/query.h"
#include "searcher/searcher.h"

namespace dateline::cli {

// The formats of search --format.
inline const std::vector<std::string> kHitFormats{"csv", "tsv", "jsonl"};

// The columns of csv and tsv, in order (jsonl has the same keys and more).
inline const std::vector<std::string> kHitColumns{"id",     "date",   "title", "speakers", "people",
                                                  "organizations", "places", "source", "url", "score"};

// One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF,
// its quotes doubled.
std::string csv_field(std::string_view value);
// One TSV field: tabs, CR and LF become spaces.
std::string tsv_field(std::string_view value);

// Writes every hit of `q` to `out` in `format` (one of kHitFormats), ordered
// by `sort`: a header row first for csv and tsv. Only the hit list (24 bytes
// a hit) is held; each article is read as its row is written. Returns the
// number of hits written. Throws QueryError like Searcher::search().
uint64_t write_hits(Searcher& searcher, const Query& q, SearchOptions::Sort sort, const std::string& format,
                    std::FILE* out);

// search --format: write_hits() to standard output; the exit code (1 when
// standard output could not be written).
int print_all_hits(Searcher& searcher, const Query& q, SearchOptions::Sort sort, const std::string& format);

}  // namespace dateline::cli
