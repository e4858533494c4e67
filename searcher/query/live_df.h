// Live document frequencies: a term's document frequency less the deleted
// documents among its postings, so that a single term's count stays exact
// in a segment with deletions without visiting its matches. Each (segment,
// term) is probed once (one advance per deleted document), then cached.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "indexer/segment_reader.h"

namespace dateline {

class LiveDfCache {
 public:
  // The live documents of `term` (whose entry is `info`) in `seg`.
  // Segments are told apart by address: the cache must not outlive them.
  uint64_t live_df(const SegmentReader& seg, std::string_view term, const TermInfo& info);

 private:
  std::unordered_map<const SegmentReader*, std::unordered_map<std::string, uint64_t>> cache_;
};

}  // namespace dateline
