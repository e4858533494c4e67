#include "searcher/collector/facet_collector.h"

namespace dateline {

SegmentFacetCounts count_live_documents(const SegmentReader& seg) {
  SegmentFacetCounts c;
  const FacetColumns& columns = seg.facets();
  for (const FacetField f : kAllFacetFields) c.counts[static_cast<size_t>(f)].assign(columns.field(f).values(), 0);
  const bool dates = seg.info().min_date != kNoDate;
  if (dates) c.days.assign(static_cast<size_t>(seg.info().max_date - seg.info().min_date) + 1, 0);
  std::vector<uint32_t> batch;
  batch.reserve(1024);
  auto flush = [&] {
    for (const FacetField f : kAllFacetFields) {
      const size_t i = static_cast<size_t>(f);
      c.with_value[i] += count_values<false>(columns.field(f), batch.data(), batch.size(), c.counts[i].data(), nullptr);
    }
    if (dates) count_days(seg, batch.data(), batch.size(), c.days.data());
    c.docs += batch.size();
    batch.clear();
  };
  for (uint32_t d = 0; d < seg.info().docs; ++d) {
    if (seg.is_deleted(d)) continue;
    batch.push_back(d);
    if (batch.size() == 1024) flush();
  }
  flush();
  return c;
}

}  // namespace dateline
