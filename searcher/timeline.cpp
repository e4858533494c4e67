#include "searcher/timeline.h"

#include <algorithm>
#include <map>

#include "searcher/collector/collect.h"
#include "searcher/facets.h"
#include "searcher/searcher.h"

namespace dateline {

namespace {

// Matches per series and period start, before the periods are laid out.
struct PeriodCounts {
  explicit PeriodCounts(size_t n) : series(n), undated(n, 0) {}
  std::vector<std::map<DayNumber, uint64_t>> series;
  std::vector<uint64_t> undated;
};

// Counts one segment's matches by day for the series of each value the
// document carries (`series_of[ordinal]`, -1 for none), or for series
// `fixed` when there is no field.
struct DayCollector {
  const SegmentReader& seg;
  const FacetColumn* column;           // nullptr: every match counts for `fixed`
  const std::vector<int32_t>* series_of;
  int32_t fixed;
  std::vector<std::vector<uint32_t>> days;  // per series, per day from the segment's first date, then undated

  // The last slot of each series counts its undated matches.
  bool collect(uint32_t doc) {
    const DayNumber d = seg.date(doc);
    const size_t day = d == kNoDate ? days[0].size() - 1 : static_cast<size_t>(d - seg.info().min_date);
    if (!column) {
      ++days[static_cast<size_t>(fixed)][day];
      return true;
    }
    column->for_each(doc, [&](uint32_t ord) {
      const int32_t s = (*series_of)[ord];
      if (s >= 0) ++days[static_cast<size_t>(s)][day];
    });
    return true;
  }

  void add_to(PeriodCounts& out, DatePeriod period) const {
    for (size_t s = 0; s < days.size(); ++s) {
      const size_t dated = days[s].size() - 1;
      for (size_t i = 0; i < dated; ++i)
        if (days[s][i]) out.series[s][period_start(seg.info().min_date + static_cast<DayNumber>(i), period)] += days[s][i];
      out.undated[s] += days[s][dated];
    }
  }
};

DayCollector day_collector(const SegmentReader& seg, size_t series) {
  DayCollector c{seg, nullptr, nullptr, 0, {}};
  const size_t span = seg.info().min_date == kNoDate ? 0 : static_cast<size_t>(seg.info().max_date - seg.info().min_date) + 1;
  c.days.assign(series, std::vector<uint32_t>(span + 1, 0));
  return c;
}

// Lays the counts out over every period from the first to the last.
Timeline lay_out(const PeriodCounts& counts, std::vector<std::string> names, DatePeriod period) {
  Timeline t;
  t.period = period;
  DayNumber first = kNoDate, last = kNoDate;
  for (const auto& m : counts.series) {
    if (m.empty()) continue;
    if (first == kNoDate || m.begin()->first < first) first = m.begin()->first;
    if (last == kNoDate || m.rbegin()->first > last) last = m.rbegin()->first;
  }
  if (first != kNoDate)
    for (DayNumber p = first; p <= last; p = next_period(p, period)) t.starts.push_back(p);
  for (size_t s = 0; s < counts.series.size(); ++s) {
    TimelineSeries ser{std::move(names[s]), std::vector<uint64_t>(t.starts.size(), 0), 0, counts.undated[s]};
    for (const auto& [start, n] : counts.series[s]) {
      const auto at = std::lower_bound(t.starts.begin(), t.starts.end(), start) - t.starts.begin();
      ser.counts[static_cast<size_t>(at)] = n;
      ser.total += n;
    }
    t.series.push_back(std::move(ser));
  }
  return t;
}

}  // namespace

Timeline query_timeline(Searcher& searcher, const std::vector<std::pair<std::string, Query>>& queries,
                        DatePeriod period) {
  PeriodCounts counts(queries.size());
  std::vector<std::string> names;
  for (size_t i = 0; i < queries.size(); ++i) {
    names.push_back(queries[i].first);
    searcher.for_each_segment(queries[i].second, [&](const Searcher::SegmentRun& run) {
      DayCollector c = day_collector(run.segment, queries.size());
      c.fixed = static_cast<int32_t>(i);
      collect_segment(run.root, run.segment, c);
      c.add_to(counts, period);
    });
  }
  return lay_out(counts, std::move(names), period);
}

Timeline split_timeline(Searcher& searcher, const Query& q, FacetField field, size_t top, DatePeriod period) {
  const FacetsResult facets = count_facets(searcher, q, {FacetKind{false, field, period}}, top);
  std::vector<std::string> names;
  for (const FacetCount& c : facets.facets[0].top) names.push_back(c.value);
  PeriodCounts counts(names.size());
  searcher.for_each_segment(q, [&](const Searcher::SegmentRun& run) {
    const SegmentReader& seg = run.segment;
    const FacetColumn& col = seg.facets().field(field);
    // The segment's ordinal of each series' value (values are in byte order).
    std::vector<int32_t> series_of(col.values(), -1);
    for (size_t s = 0; s < names.size(); ++s) {
      uint32_t lo = 0, hi = col.values();
      while (lo < hi) {
        const uint32_t mid = lo + (hi - lo) / 2;
        if (col.value(mid) < names[s]) lo = mid + 1;
        else hi = mid;
      }
      if (lo < col.values() && col.value(lo) == names[s]) series_of[lo] = static_cast<int32_t>(s);
    }
    DayCollector c = day_collector(seg, names.size());
    c.column = &col;
    c.series_of = &series_of;
    collect_segment(run.root, seg, c);
    c.add_to(counts, period);
  });
  return lay_out(counts, std::move(names), period);
}

}  // namespace dateline
