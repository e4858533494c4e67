// Counts facet values over a query's matches (a collector for
// collect_segment(), collector/collect.h, one per segment): per name field,
// a counter per global value ordinal; for dates, a counter per day. Reads no
// stored article.
#pragma once

#include <array>
#include <cstdint>
#include <map>
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

// What a query's facets have counted so far, over every segment: per name
// field, a counter per global ordinal (searcher/facet_ordinals.h) and the
// ordinals counted at least once; per day, the matches.
struct FacetCounts {
  std::array<std::vector<uint32_t>, kFacetFields> counts, touched;
  std::array<bool, kFacetFields> counted{};
  std::array<uint64_t, kFacetFields> with_value{};  // matches with a value
  std::map<DayNumber, uint64_t> days;
  uint64_t matches = 0;

  // Counts field f, whose global ordinals are fewer than `values`.
  void count_field(FacetField f, uint32_t values) {
    const size_t i = static_cast<size_t>(f);
    counted[i] = true;
    counts[i] = ZeroedCounters::take(values);
  }
  FacetCounts() = default;
  FacetCounts(const FacetCounts&) = delete;
  ~FacetCounts() {
    for (size_t i = 0; i < kFacetFields; ++i) ZeroedCounters::give_back(std::move(counts[i]), touched[i]);
  }
};

// Counts one segment's matches into FacetCounts: each value through the
// segment's ordinal -> global ordinal table; days in an array over the
// segment's date range, added to the counts by finish().
class FacetCollector {
 public:
  // `to_global[f]` for each counted field f; `dates` to count days.
  FacetCollector(const SegmentReader& seg, FacetCounts& out, const std::array<const uint32_t*, kFacetFields>& to_global,
                 bool dates)
      : seg_(seg), out_(out), dates_(dates && seg.info().min_date != kNoDate) {
    for (const FacetField f : kAllFacetFields) {
      const size_t i = static_cast<size_t>(f);
      if (!out.counted[i]) continue;
      fields_[n_fields_++] = Field{&seg.facets().field(f), to_global[i], out.counts[i].data(), &out.touched[i], i};
    }
    if (dates_) days_.assign(static_cast<size_t>(seg.info().max_date - seg.info().min_date) + 1, 0);
  }

  bool collect(uint32_t doc) {
    ++matches_;
    for (size_t k = 0; k < n_fields_; ++k) {
      Field& f = fields_[k];
      bool any = false;
      f.column->for_each(doc, [&](uint32_t ord) {
        const uint32_t g = f.to_global[ord];
        if (f.counts[g]++ == 0) f.touched->push_back(g);
        any = true;
      });
      with_value_[f.index] += any;
    }
    if (dates_) {
      const DayNumber d = seg_.date(doc);
      if (d != kNoDate) ++days_[static_cast<size_t>(d - seg_.info().min_date)];
    }
    return true;
  }

  // Adds the segment's matches and days to the counts.
  void finish() {
    out_.matches += matches_;
    for (size_t i = 0; i < kFacetFields; ++i) out_.with_value[i] += with_value_[i];
    for (size_t i = 0; i < days_.size(); ++i)
      if (days_[i]) out_.days[seg_.info().min_date + static_cast<DayNumber>(i)] += days_[i];
  }

 private:
  struct Field {
    const FacetColumn* column;
    const uint32_t* to_global;
    uint32_t* counts;
    std::vector<uint32_t>* touched;
    size_t index;
  };
  const SegmentReader& seg_;
  FacetCounts& out_;
  bool dates_;
  uint64_t matches_ = 0;
  std::array<Field, kFacetFields> fields_{};
  size_t n_fields_ = 0;
  std::array<uint64_t, kFacetFields> with_value_{};
  std::vector<uint32_t> days_;
};

}  // namespace dateline
