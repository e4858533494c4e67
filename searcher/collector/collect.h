// Runs a scorer tree over one segment and hands every match to a collector:
// both phases checked, deleted documents left out, in doc order. A
// collector is any type with `bool collect(uint32_t doc)`; it returns false
// to stop the segment early (nothing left could enter its results).
#pragma once

#include <cstdint>

#include "indexer/segment_reader.h"
#include "searcher/query/scorer.h"

namespace dateline {

template <class Collector>
void collect_segment(Scorer& root, const SegmentReader& seg, Collector& collector) {
  const bool exact = root.exact();
  const bool deletions = seg.has_deletions();
  for (uint32_t d = root.doc(); d != Scorer::kEnd; d = root.next()) {
    if (!exact && !root.matches()) continue;
    if (deletions && seg.is_deleted(d)) continue;
    if (!collector.collect(d)) return;
  }
}

// Counts the matches.
struct CountCollector {
  uint64_t count = 0;
  bool collect(uint32_t) {
    ++count;
    return true;
  }
};

}  // namespace dateline
