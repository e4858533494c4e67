#include "searcher/facets.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "searcher/collector/collect.h"
#include "searcher/collector/facet_collector.h"
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

// The `limit` largest counts, count descending then value ascending.
template <class Map>
std::vector<FacetCount> top_values(const Map& counts, size_t limit) {
  std::vector<std::pair<std::string_view, uint64_t>> all(counts.begin(), counts.end());
  auto better = [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; };
  const size_t n = std::min(limit, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(), better);
  std::vector<FacetCount> out;
  for (size_t i = 0; i < n; ++i) out.push_back({std::string(all[i].first), all[i].second});
  return out;
}

// Sums the segments' counts of one name field by value.
FacetResult name_facet(const std::vector<FacetCollector>& segs, const FacetKind& kind, size_t limit) {
  FacetResult r{kind, 0, 0, {}};
  std::unordered_map<std::string_view, uint64_t> counts;
  for (const FacetCollector& c : segs) {
    const FacetColumn& col = c.column(kind.field);
    const std::vector<uint32_t>& n = c.counts(kind.field);
    for (const uint32_t ord : c.touched(kind.field)) counts[col.value(ord)] += n[ord];
    r.articles += c.with_value(kind.field);
  }
  r.distinct = counts.size();
  r.top = top_values(counts, limit);
  return r;
}

// Sums the segments' day counts by period.
FacetResult date_facet(const std::vector<FacetCollector>& segs, const FacetKind& kind, size_t limit) {
  FacetResult r{kind, 0, 0, {}};
  std::map<DayNumber, uint64_t> periods;
  for (const FacetCollector& c : segs) {
    const std::vector<uint32_t>& days = c.days();
    for (size_t i = 0; i < days.size(); ++i) {
      if (days[i] == 0) continue;
      periods[period_start(c.segment().info().min_date + static_cast<DayNumber>(i), kind.period)] += days[i];
      r.articles += days[i];
    }
  }
  std::map<std::string, uint64_t> labelled;
  for (const auto& [start, n] : periods) labelled[period_label(start, kind.period)] = n;
  r.distinct = labelled.size();
  r.top = top_values(labelled, limit);
  return r;
}

}  // namespace

FacetsResult count_facets(Searcher& searcher, const Query& q, const std::vector<FacetKind>& kinds, size_t limit) {
  std::array<bool, kFacetFields> fields{};
  bool dates = false;
  for (const FacetKind& k : kinds) {
    if (k.is_date) dates = true;
    else fields[static_cast<size_t>(k.field)] = true;
  }
  std::vector<FacetCollector> segs;
  searcher.for_each_segment(q, [&](const SegmentReader& seg, Scorer& root) {
    collect_segment(root, seg, segs.emplace_back(seg, fields, dates));
  });
  FacetsResult out;
  for (const FacetCollector& c : segs) out.total += c.matches();
  for (const FacetKind& k : kinds) out.facets.push_back(k.is_date ? date_facet(segs, k, limit) : name_facet(segs, k, limit));
  return out;
}

}  // namespace dateline
