#include "searcher/facet_ordinals.h"

#include <queue>

namespace dateline {

FacetOrdinals::FacetOrdinals(const std::vector<const SegmentReader*>& segments, FacetField field) {
  to_global_.resize(segments.size());
  struct Head {
    std::string_view value;
    size_t segment;
    uint32_t ordinal;
    bool operator>(const Head& o) const { return value != o.value ? value > o.value : segment > o.segment; }
  };
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heap;
  std::vector<const FacetColumn*> columns;
  for (size_t s = 0; s < segments.size(); ++s) {
    columns.push_back(&segments[s]->facets().field(field));
    to_global_[s].resize(columns[s]->values());
    if (columns[s]->values() > 0) heap.push({columns[s]->value(0), s, 0});
  }
  while (!heap.empty()) {
    const Head h = heap.top();
    heap.pop();
    if (values_.empty() || values_.back() != h.value) values_.push_back(h.value);
    to_global_[h.segment][h.ordinal] = static_cast<uint32_t>(values_.size() - 1);
    if (h.ordinal + 1 < columns[h.segment]->values())
      heap.push({columns[h.segment]->value(h.ordinal + 1), h.segment, h.ordinal + 1});
  }
}

}  // namespace dateline
