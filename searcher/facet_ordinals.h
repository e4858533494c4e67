// Global ordinals of one facet field over a searcher's segments (Lucene's
// OrdinalMap): the union of the segments' values in byte order, and for
// each segment the global ordinal of each of its own. Facet counting then
// counts into one array for the whole index and needs no strings until it
// names the top values. Built once per Searcher and field, on first use.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "indexer/facet_columns.h"
#include "indexer/segment_reader.h"

namespace dateline {

class FacetOrdinals {
 public:
  // A k-way merge of the segments' sorted values. Throws CorruptIndex.
  FacetOrdinals(const std::vector<const SegmentReader*>& segments, FacetField field);

  uint32_t values() const { return static_cast<uint32_t>(values_.size()); }
  // The value of a global ordinal (it points into a segment's mapped file).
  std::string_view value(uint32_t global) const { return values_[global]; }
  // Segment s's ordinal -> global ordinal.
  const std::vector<uint32_t>& of_segment(size_t s) const { return to_global_[s]; }

 private:
  std::vector<std::string_view> values_;
  std::vector<std::vector<uint32_t>> to_global_;
};

}  // namespace dateline
