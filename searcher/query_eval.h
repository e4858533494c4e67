// Boolean and positional query evaluation over one segment: the exact set of
// matching documents (ranking is separate, see searcher.h).
#pragma once

#include <cstdint>
#include <vector>

#include "common/query.h"
#include "searcher/segment_reader.h"

namespace dateline {

// Ascending local doc ids of `seg` that match `q` (Query semantics in common/query.h).
std::vector<uint32_t> evaluate(const Query& q, const SegmentReader& seg);

}  // namespace dateline
