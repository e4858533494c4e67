// Counts facet values over a query's matches (a collector for
// collect_segment(), collector/collect.h, one per segment): per name field,
// a counter per global value ordinal; for dates, a counter per day. Reads no
// stored article.
#pragma once

#include <algorithm>
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

// Counts one segment's matches into FacetCounts. Matches are taken in
// batches and counted a field at a time, into counters by the segment's own
// ordinals; finish() adds them to the global counts through the segment's
// ordinal -> global ordinal table. A field whose matches may be few beside
// its values (the scorer's cost against the values) remembers the counters
// it touched; otherwise finish() reads them all. Days go to an array over
// the segment's date range.
class FacetCollector {
 public:
  // `to_global[f]` for each counted field f; `dates` to count days;
  // `cost` bounds the matches (the root scorer's cost()).
  FacetCollector(const SegmentReader& seg, FacetCounts& out, const std::array<const uint32_t*, kFacetFields>& to_global,
                 bool dates, uint64_t cost)
      : seg_(seg), out_(out), dates_(dates && seg.info().min_date != kNoDate) {
    const uint64_t docs = std::max<uint64_t>(seg.info().docs, 1);
    for (const FacetField f : kAllFacetFields) {
      const size_t i = static_cast<size_t>(f);
      if (!out.counted[i]) continue;
      const FacetColumn& column = seg.facets().field(f);
      // Values the matches may hold, at the segment's mean per document.
      const uint64_t refs = std::min(cost, docs) * column.refs() / docs + 1;
      Field& field = fields_[n_fields_++];
      field = Field{&column, to_global[i], ZeroedCounters::take(column.values()), {}, refs * 8 < column.values(), i};
    }
    if (dates_) days_.assign(static_cast<size_t>(seg.info().max_date - seg.info().min_date) + 1, 0);
  }
  FacetCollector(const FacetCollector&) = delete;
  ~FacetCollector() {
    for (size_t k = 0; k < n_fields_; ++k) give_back(fields_[k]);
  }

  bool collect(uint32_t doc) {
    batch_[batched_++] = doc;
    if (batched_ == kBatch) flush();
    return true;
  }

  // Adds the segment's matches, values and days to the counts.
  void finish() {
    flush();
    out_.matches += matches_;
    for (size_t k = 0; k < n_fields_; ++k) {
      Field& f = fields_[k];
      const size_t i = f.index;
      out_.with_value[i] += f.with_value;
      auto add = [&](uint32_t ord) {
        const uint32_t g = f.to_global[ord];
        if (out_.counts[i][g] == 0) out_.touched[i].push_back(g);
        out_.counts[i][g] += f.counts[ord];
      };
      if (f.sparse) {
        for (const uint32_t ord : f.touched) add(ord);
      } else {
        for (uint32_t ord = 0; ord < f.column->values(); ++ord)
          if (f.counts[ord]) {
            add(ord);
            f.counts[ord] = 0;
          }
        f.zeroed = true;
      }
      give_back(f);
    }
    n_fields_ = 0;
    for (size_t i = 0; i < days_.size(); ++i)
      if (days_[i]) out_.days[seg_.info().min_date + static_cast<DayNumber>(i)] += days_[i];
  }

 private:
  static constexpr size_t kBatch = 256;
  struct Field {
    const FacetColumn* column;
    const uint32_t* to_global;
    std::vector<uint32_t> counts;   // by the segment's ordinals
    std::vector<uint32_t> touched;  // ordinals counted, when sparse
    bool sparse;
    size_t index;
    uint64_t with_value = 0;  // matches with a value
    bool zeroed = false;      // dense counters already reset by finish()
  };

  // Hands the counters back zeroed (only those counted, where known).
  static void give_back(Field& f) {
    if (!f.sparse && !f.zeroed) std::fill(f.counts.begin(), f.counts.end(), 0u);
    ZeroedCounters::give_back(std::move(f.counts), f.sparse ? f.touched : std::vector<uint32_t>{});
  }

  template <bool kSparse>
  static void count(Field& f, const uint32_t* docs, size_t n) {
    uint32_t* counts = f.counts.data();
    const uint64_t with_value = f.column->for_each_of(docs, n, [&](uint32_t ord) {
      if constexpr (kSparse) {
        if (counts[ord] == 0) f.touched.push_back(ord);
      }
      ++counts[ord];
    });
    f.with_value += with_value;
  }

  void flush() {
    for (size_t k = 0; k < n_fields_; ++k) {
      Field& f = fields_[k];
      if (f.sparse) count<true>(f, batch_.data(), batched_);
      else count<false>(f, batch_.data(), batched_);
    }
    if (dates_) {
      const DayNumber min = seg_.info().min_date;
      for (size_t k = 0; k < batched_; ++k) {
        const DayNumber d = seg_.date(batch_[k]);
        if (d != kNoDate) ++days_[static_cast<size_t>(d - min)];
      }
    }
    matches_ += batched_;
    batched_ = 0;
  }

  const SegmentReader& seg_;
  FacetCounts& out_;
  bool dates_;
  uint64_t matches_ = 0;
  std::array<Field, kFacetFields> fields_{};
  size_t n_fields_ = 0;
  std::array<uint32_t, kBatch> batch_{};
  size_t batched_ = 0;
  std::vector<uint32_t> days_;
};

}  // namespace dateline
