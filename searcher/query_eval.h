// Boolean and positional query evaluation over one segment: the exact set of
// matching documents (ranking is separate, see searcher.h).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "common/query.h"
#include "indexer/segment_reader.h"

namespace dateline {

// Ascending local doc ids of `seg` that match `q` (Query semantics in common/query.h).
// Throws QueryError for a prefix that expands too far (see for_each_expansion).
std::vector<uint32_t> evaluate(const Query& q, const SegmentReader& seg);

// Calls fn(term, info) for each term the Prefix leaf `q` expands to in `seg`,
// in term order. Throws QueryError at q.column, naming the prefix, once it
// expands to more than kMaxPrefixExpansions terms.
using TermVisitor = std::function<void(std::string_view term, const TermInfo& info)>;
void for_each_expansion(const Query& q, const SegmentReader& seg, const TermVisitor& fn);

// For a Phrase or Near query: calls on_match(doc, cursors) for each matching
// document of `seg`, in doc order. `cursors` hold one cursor per distinct
// term, in order of first occurrence in q.terms, all positioned at doc.
using PositionalMatch = std::function<void(uint32_t doc, std::vector<PostingCursor>& cursors)>;
void for_each_positional_match(const Query& q, const SegmentReader& seg, const PositionalMatch& on_match);

}  // namespace dateline
