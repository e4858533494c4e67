#include "searcher/collector/facet_collector.h"

#include <stdexcept>

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

FacetRows build_facet_rows(const SegmentReader& seg) {
  FacetRows rows;
  const FacetColumns& columns = seg.facets();
  uint64_t refs = 0;
  for (size_t f = 0; f < FacetRows::kParts; ++f) {
    const FacetColumn& column = columns.field(static_cast<FacetField>(f));
    rows.base[f + 1] = rows.base[f] + column.values();
    refs += column.refs();
  }
  if (refs > UINT32_MAX) throw std::length_error("facet values of one segment exceed 4 billion");
  const uint32_t docs = seg.info().docs;
  rows.ords.reserve(refs);
  rows.offsets.reserve(uint64_t{docs} + 1);
  rows.fields.resize(docs, 0);
  rows.offsets.push_back(0);
  for (uint32_t d = 0; d < docs; ++d) {
    for (size_t f = 0; f < FacetRows::kParts; ++f) {
      const uint64_t before = rows.ords.size();
      columns.field(static_cast<FacetField>(f)).for_each(d, [&](uint32_t ord) { rows.ords.push_back(rows.base[f] + ord); });
      if (rows.ords.size() > before) rows.fields[d] |= static_cast<uint8_t>(1u << f);
    }
    rows.offsets.push_back(static_cast<uint32_t>(rows.ords.size()));
  }
  return rows;
}

}  // namespace dateline
