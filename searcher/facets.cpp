#include "searcher/facets.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "searcher/collector/collect.h"
#include "searcher/collector/facet_collector.h"
#include "searcher/facet_ordinals.h"
#include "searcher/query/query_weight.h"
#include "searcher/searcher.h"

namespace dateline {

std::optional<FacetKind> parse_facet_kind(std::string_view name) {
  if (name == "organization" || name == "organisation") name = "org";
  for (const FacetField f : kAllFacetFields)
    if (name == facet_field_name(f)) return FacetKind{false, f, DatePeriod::Month};
  if (const auto p = parse_date_period(name)) return FacetKind{true, FacetField::Speaker, *p};
  return std::nullopt;
}

std::string facet_kind_name(const FacetKind& k) {
  return std::string(k.is_date ? date_period_name(k.period) : facet_field_name(k.field));
}

std::vector<FacetKind> parse_facet_list(std::string_view list) {
  std::vector<FacetKind> out;
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = list.find(',', at);
    if (comma == std::string_view::npos) comma = list.size();
    const std::string_view name = list.substr(at, comma - at);
    at = comma + 1;
    if (name.empty()) continue;
    const auto k = parse_facet_kind(name);
    if (!k)
      throw std::invalid_argument("unknown facet '" + std::string(name) +
                                  "' (speaker, person, org, place, source, day, week, month, year)");
    if (std::find(out.begin(), out.end(), *k) == out.end()) out.push_back(*k);
  }
  return out;
}

namespace {

// The `limit` most frequent values of a name field: count descending, then
// value ascending (global ordinals are in value order).
FacetResult name_facet(const FacetCounts& c, const FacetOrdinals& ordinals, const FacetKind& kind, size_t limit) {
  const size_t i = static_cast<size_t>(kind.field);
  const std::vector<uint32_t>& counts = c.counts[i];
  std::vector<uint32_t> order(c.touched[i]);
  auto better = [&](uint32_t a, uint32_t b) { return counts[a] != counts[b] ? counts[a] > counts[b] : a < b; };
  const size_t n = std::min(limit, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(), better);
  FacetResult r{kind, order.size(), c.with_value[i], {}};
  for (size_t k = 0; k < n; ++k) r.top.push_back({std::string(ordinals.value(order[k])), counts[order[k]]});
  return r;
}

// Sums the day counts by period.
FacetResult date_facet(const FacetCounts& c, const FacetKind& kind, size_t limit) {
  FacetResult r{kind, 0, 0, {}};
  std::map<DayNumber, uint64_t> periods;
  for (const auto& [day, n] : c.days) {
    periods[period_start(day, kind.period)] += n;
    r.articles += n;
  }
  std::vector<std::pair<DayNumber, uint64_t>> all(periods.begin(), periods.end());
  auto better = [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; };
  const size_t n = std::min(limit, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(), better);
  r.distinct = all.size();
  for (size_t k = 0; k < n; ++k) r.top.push_back({period_label(all[k].first, kind.period), all[k].second});
  return r;
}

// Whether the query matches more than half of the segment's live
// documents, so that counting the rest and subtracting is cheaper: asked
// only when the count is cheap (known, or a boolean query whose cost says
// it may; weight.count() then counts it in bitset windows).
bool matches_most(const Searcher::SegmentRun& run) {
  const uint64_t live = run.segment.live_docs();
  int64_t n = run.weight.known_count(run.index);
  if (n < 0 && run.root.exact() && run.root.cost() * 2 > live) n = static_cast<int64_t>(run.weight.count(run.index));
  return n >= 0 && static_cast<uint64_t>(n) * 2 > live;
}

}  // namespace

FacetsResult count_facets(Searcher& searcher, const Query& q, const std::vector<FacetKind>& kinds, size_t limit) {
  FacetCounts counts;
  std::array<const FacetOrdinals*, kFacetFields> ordinals{};
  bool dates = false;
  for (const FacetKind& k : kinds) {
    if (k.is_date) {
      dates = true;
      continue;
    }
    const size_t i = static_cast<size_t>(k.field);
    ordinals[i] = &searcher.facet_ordinals(k.field);
    counts.count_field(k.field, ordinals[i]->values());
  }
  searcher.for_each_segment(q, [&](const Searcher::SegmentRun& run) {
    std::array<const uint32_t*, kFacetFields> to_global{};
    for (size_t i = 0; i < kFacetFields; ++i)
      if (ordinals[i]) to_global[i] = ordinals[i]->of_segment(run.index).data();
    const SegmentFacetCounts* all = matches_most(run) ? &searcher.facet_totals(run.index) : nullptr;
    const bool use_rows = FacetCollector::wants_rows(run.segment, counts.counted, run.root.cost(), all != nullptr);
    const FacetRows* rows = use_rows ? &searcher.facet_rows(run.index) : nullptr;
    FacetCollector c(run.segment, counts, to_global, dates, run.root.cost(), all, rows);
    collect_segment(run.root, run.segment, c);
    c.finish();
  });
  FacetsResult out;
  out.total = counts.matches;
  for (const FacetKind& k : kinds)
    out.facets.push_back(k.is_date ? date_facet(counts, k, limit)
                                   : name_facet(counts, *ordinals[static_cast<size_t>(k.field)], k, limit));
  return out;
}

}  // namespace dateline
