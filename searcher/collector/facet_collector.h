// Counts facet values over one segment's matches (a collector for
// collect_segment(), collector/collect.h): per name field, a counter per
// value ordinal of the segment's facet columns; for dates, a counter per
// day of the segment's date range. Reads no stored article.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "indexer/facet_columns.h"
#include "indexer/segment_reader.h"

namespace dateline {

// Counter arrays handed out all zero and given back zeroed (only the
// entries counted are reset), so a query's cost follows its matches, not
// the number of values a segment holds. One pool per thread.
class ZeroedCounters {
 public:
  static std::vector<uint32_t> take(size_t n) {
    std::vector<std::vector<uint32_t>>& pool = free_list();
    std::vector<uint32_t> v;
    if (!pool.empty()) {
      v = std::move(pool.back());
      pool.pop_back();
    }
    if (v.size() < n) v.resize(n, 0);
    return v;
  }
  static void give_back(std::vector<uint32_t>&& v, const std::vector<uint32_t>& touched) {
    if (v.empty()) return;
    for (const uint32_t i : touched) v[i] = 0;
    std::vector<std::vector<uint32_t>>& pool = free_list();
    if (pool.size() < kKept) pool.push_back(std::move(v));
  }

 private:
  static constexpr size_t kKept = 16;
  static std::vector<std::vector<uint32_t>>& free_list() {
    thread_local std::vector<std::vector<uint32_t>> pool;
    return pool;
  }
};

class FacetCollector {
 public:
  // Counts the name fields marked in `fields`, and days when `dates`.
  FacetCollector(const SegmentReader& seg, const std::array<bool, kFacetFields>& fields, bool dates)
      : seg_(seg), dates_(dates && seg.info().min_date != kNoDate) {
    for (const FacetField f : kAllFacetFields) {
      const size_t i = static_cast<size_t>(f);
      if (!fields[i]) continue;
      columns_[i] = &seg.facets().field(f);
      counts_[i] = ZeroedCounters::take(columns_[i]->values());
    }
    if (dates_) days_.assign(static_cast<size_t>(seg.info().max_date - seg.info().min_date) + 1, 0);
  }
  ~FacetCollector() {
    for (size_t i = 0; i < kFacetFields; ++i) ZeroedCounters::give_back(std::move(counts_[i]), touched_[i]);
  }
  FacetCollector(FacetCollector&&) = default;
  FacetCollector& operator=(FacetCollector&&) = delete;

  bool collect(uint32_t doc) {
    ++matches_;
    for (size_t i = 0; i < kFacetFields; ++i) {
      if (!columns_[i]) continue;
      uint32_t* counts = counts_[i].data();
      std::vector<uint32_t>& touched = touched_[i];
      bool any = false;
      columns_[i]->for_each(doc, [&](uint32_t ord) {
        if (counts[ord]++ == 0) touched.push_back(ord);
        any = true;
      });
      with_value_[i] += any;
    }
    if (dates_) {
      const DayNumber d = seg_.date(doc);
      if (d != kNoDate) ++days_[static_cast<size_t>(d - seg_.info().min_date)];
    }
    return true;
  }

  const SegmentReader& segment() const { return seg_; }
  uint64_t matches() const { return matches_; }
  // A counted field's column, its counts by ordinal, the ordinals counted
  // at least once (in first-seen order), and the matches with a value.
  const FacetColumn& column(FacetField f) const { return *columns_[static_cast<size_t>(f)]; }
  const std::vector<uint32_t>& counts(FacetField f) const { return counts_[static_cast<size_t>(f)]; }
  const std::vector<uint32_t>& touched(FacetField f) const { return touched_[static_cast<size_t>(f)]; }
  uint64_t with_value(FacetField f) const { return with_value_[static_cast<size_t>(f)]; }
  // Matches per day from the segment's first date (empty if not counted).
  const std::vector<uint32_t>& days() const { return days_; }

 private:
  const SegmentReader& seg_;
  bool dates_;
  uint64_t matches_ = 0;
  std::array<const FacetColumn*, kFacetFields> columns_{};
  std::array<std::vector<uint32_t>, kFacetFields> counts_, touched_;
  std::array<uint64_t, kFacetFields> with_value_{};
  std::vector<uint32_t> days_;
};

}  // namespace dateline
