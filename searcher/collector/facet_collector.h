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

// Adds one to counts[ord] for each value ord of each of the n documents
// in column `c`; with kSparse, also appends each ordinal whose count leaves
// zero to `touched`. Returns how many of the documents have a value.
template <bool kSparse>
uint64_t count_values(const FacetColumn& c, const uint32_t* docs, size_t n, uint32_t* counts,
                      std::vector<uint32_t>* touched) {
  return c.for_each_of(docs, n, [&](uint32_t ord) {
    if constexpr (kSparse) {
      if (counts[ord] == 0) touched->push_back(ord);
    }
    ++counts[ord];
  });
}

// Adds one to days[date - first day of the segment] for each dated document.
inline void count_days(const SegmentReader& seg, const uint32_t* docs, size_t n, uint32_t* days) {
  const DayNumber min = seg.info().min_date;
  for (size_t k = 0; k < n; ++k) {
    const DayNumber d = seg.date(docs[k]);
    if (d != kNoDate) ++days[static_cast<size_t>(d - min)];
  }
}

// One segment's facet counts over a set of its documents, by the segment's
// own ordinals: every field, and days from the segment's first date.
struct SegmentFacetCounts {
  std::array<std::vector<uint32_t>, kFacetFields> counts;
  std::array<uint64_t, kFacetFields> with_value{};  // documents with a value
  std::vector<uint32_t> days;
  uint64_t docs = 0;
};

// The counts of every live document of the segment (one pass over its
// columns): what complement counting subtracts from.
SegmentFacetCounts count_live_documents(const SegmentReader& seg);

// Each document's values of the four name fields (speaker, person,
// organisation, place) in one list, as base[f] + the field's ordinal, field
// by field, and the fields it has a value of (bit f). Counting several name
// fields then reads one list a document instead of four columns (Lucene's
// taxonomy facets keep such a list). Made in memory from the segment's
// columns, once per open index (Searcher::facet_rows): about 4.4 bytes a
// value and 5 a document.
struct FacetRows {
  static constexpr size_t kParts = 4;      // FacetField::Speaker .. FacetField::Place
  std::array<uint32_t, kParts + 1> base{};  // base[kParts]: the four fields' values together
  std::vector<uint32_t> offsets;            // document d's values: ords[offsets[d] .. offsets[d + 1])
  std::vector<uint32_t> ords;
  std::vector<uint8_t> fields;
};
FacetRows build_facet_rows(const SegmentReader& seg);

// Counts one segment's matches into FacetCounts. Documents are taken in
// batches and counted a field at a time, into counters by the segment's own
// ordinals; finish() adds them to the global counts through the segment's
// ordinal -> global ordinal table. A field whose matches may be few beside
// its values (the scorer's cost against the values) remembers the counters
// it touched; otherwise finish() reads them all. Days go to an array over
// the segment's date range.
//
// Complement counting (Lucene's old facet module did the same): when a
// query matches most of a segment, the collector counts the live documents
// it does *not* match, and finish() subtracts them from the counts of every
// live document (count_live_documents(), kept by the caller).
class FacetCollector {
 public:
  // `to_global[f]` for each counted field f; `dates` to count days;
  // `cost` bounds the matches (the root scorer's cost()); `all`, when
  // given, the segment's count_live_documents(): count the complement.
  // `rows`, when given, the segment's FacetRows: two or more name fields
  // counted densely are counted from it.
  FacetCollector(const SegmentReader& seg, FacetCounts& out, const std::array<const uint32_t*, kFacetFields>& to_global,
                 bool dates, uint64_t cost, const SegmentFacetCounts* all = nullptr, const FacetRows* rows = nullptr)
      : seg_(seg), out_(out), dates_(dates && seg.info().min_date != kNoDate), all_(all) {
    const std::array<bool, kFacetFields> sparse = sparse_fields(seg, out.counted, cost, all != nullptr);
    if (rows && dense_names(out.counted, sparse) >= 2) {
      rows_ = rows;
      rows_counts_ = ZeroedCounters::take(rows->base[FacetRows::kParts]);
    }
    for (const FacetField f : kAllFacetFields) {
      const size_t i = static_cast<size_t>(f);
      if (!out.counted[i]) continue;
      if (rows_ && !sparse[i] && i < FacetRows::kParts) {
        rows_part_[i] = to_global[i];
        continue;
      }
      const FacetColumn& column = seg.facets().field(f);
      Field& field = fields_[n_fields_++];
      field = Field{&column, to_global[i], ZeroedCounters::take(column.values()), {}, sparse[i], i};
    }
    if (dates_) days_.assign(static_cast<size_t>(seg.info().max_date - seg.info().min_date) + 1, 0);
  }
  // Whether the collector would count from FacetRows (so that the caller
  // makes them only then).
  static bool wants_rows(const SegmentReader& seg, const std::array<bool, kFacetFields>& counted, uint64_t cost,
                         bool complement) {
    return dense_names(counted, sparse_fields(seg, counted, cost, complement)) >= 2;
  }
  FacetCollector(const FacetCollector&) = delete;
  ~FacetCollector() {
    for (size_t k = 0; k < n_fields_; ++k) give_back(fields_[k]);
    if (rows_ && !rows_zeroed_) std::fill(rows_counts_.begin(), rows_counts_.end(), 0u);
    ZeroedCounters::give_back(std::move(rows_counts_), {});
  }

  bool collect(uint32_t doc) {
    if (all_) {
      complement_up_to(doc);
      next_ = doc + 1;
    } else {
      push(doc);
    }
    return true;
  }

  // Adds the segment's matches, values and days to the counts.
  void finish() {
    if (all_) complement_up_to(seg_.info().docs);
    flush();
    out_.matches += all_ ? all_->docs - counted_ : counted_;
    for (size_t k = 0; k < n_fields_; ++k) {
      Field& f = fields_[k];
      const size_t i = f.index;
      out_.with_value[i] += all_ ? all_->with_value[i] - f.with_value : f.with_value;
      auto add = [&](uint32_t ord, uint32_t n) {
        const uint32_t g = f.to_global[ord];
        if (out_.counts[i][g] == 0) out_.touched[i].push_back(g);
        out_.counts[i][g] += n;
      };
      if (f.sparse) {
        for (const uint32_t ord : f.touched) add(ord, f.counts[ord]);
      } else {
        const uint32_t* all = all_ ? all_->counts[i].data() : nullptr;
        for (uint32_t ord = 0; ord < f.column->values(); ++ord) {
          const uint32_t n = all ? all[ord] - f.counts[ord] : f.counts[ord];
          if (n) add(ord, n);
          f.counts[ord] = 0;
        }
        f.zeroed = true;
      }
      give_back(f);
    }
    n_fields_ = 0;
    if (rows_) finish_rows();
    for (size_t i = 0; i < days_.size(); ++i) {
      const uint32_t n = all_ ? all_->days[i] - days_[i] : days_[i];
      if (n) out_.days[seg_.info().min_date + static_cast<DayNumber>(i)] += n;
    }
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
    uint64_t with_value = 0;  // documents counted with a value
    bool zeroed = false;      // dense counters already reset by finish()
  };

  // The counted fields whose matches may be few beside their values (the
  // values the matches may hold, at the segment's mean per document, and
  // cost() bounding the matches): they remember the counters they touch.
  static std::array<bool, kFacetFields> sparse_fields(const SegmentReader& seg,
                                                      const std::array<bool, kFacetFields>& counted, uint64_t cost,
                                                      bool complement) {
    std::array<bool, kFacetFields> sparse{};
    const uint64_t docs = std::max<uint64_t>(seg.info().docs, 1);
    for (size_t i = 0; i < kFacetFields; ++i) {
      if (!counted[i] || complement) continue;
      const FacetColumn& column = seg.facets().field(static_cast<FacetField>(i));
      sparse[i] = (std::min(cost, docs) * column.refs() / docs + 1) * 8 < column.values();
    }
    return sparse;
  }
  static size_t dense_names(const std::array<bool, kFacetFields>& counted, const std::array<bool, kFacetFields>& sparse) {
    size_t n = 0;
    for (size_t i = 0; i < FacetRows::kParts; ++i) n += counted[i] && !sparse[i];
    return n;
  }

  // Hands the counters back zeroed (only those counted, where known).
  static void give_back(Field& f) {
    if (!f.sparse && !f.zeroed) std::fill(f.counts.begin(), f.counts.end(), 0u);
    ZeroedCounters::give_back(std::move(f.counts), f.sparse ? f.touched : std::vector<uint32_t>{});
  }

  void push(uint32_t doc) {
    batch_[batched_++] = doc;
    if (batched_ == kBatch) flush();
  }
  // Counts the live documents from next_ up to `end` (the matches' gaps).
  void complement_up_to(uint32_t end) {
    for (uint32_t d = next_; d < end; ++d)
      if (!seg_.is_deleted(d)) push(d);
  }

  void flush() {
    for (size_t k = 0; k < n_fields_; ++k) {
      Field& f = fields_[k];
      f.with_value += f.sparse ? count_values<true>(*f.column, batch_.data(), batched_, f.counts.data(), &f.touched)
                               : count_values<false>(*f.column, batch_.data(), batched_, f.counts.data(), nullptr);
    }
    if (rows_) count_rows();
    if (dates_) count_days(seg_, batch_.data(), batched_, days_.data());
    counted_ += batched_;
    batched_ = 0;
  }

  // The batch's name values from FacetRows: one list a document.
  void count_rows() {
    const uint32_t* offsets = rows_->offsets.data();
    const uint32_t* ords = rows_->ords.data();
    const uint8_t* fields = rows_->fields.data();
    uint32_t* counts = rows_counts_.data();
    std::array<uint64_t, FacetRows::kParts> with_value{};
    for (size_t k = 0; k < batched_; ++k) {
      const uint32_t d = batch_[k];
      const uint8_t has = fields[d];
      for (size_t f = 0; f < FacetRows::kParts; ++f) with_value[f] += (has >> f) & 1;
      for (uint32_t i = offsets[d], end = offsets[d + 1]; i < end; ++i) ++counts[ords[i]];
    }
    for (size_t f = 0; f < FacetRows::kParts; ++f) rows_with_value_[f] += with_value[f];
  }

  // Adds the counted name fields' values from FacetRows' counters to the
  // counts (less than every live document's, for a complement), and resets
  // every counter.
  void finish_rows() {
    for (size_t f = 0; f < FacetRows::kParts; ++f) {
      const uint32_t from = rows_->base[f], to = rows_->base[f + 1];
      const uint32_t* to_global = rows_part_[f];
      if (to_global) {
        out_.with_value[f] += all_ ? all_->with_value[f] - rows_with_value_[f] : rows_with_value_[f];
        const uint32_t* all = all_ ? all_->counts[f].data() : nullptr;
        for (uint32_t ord = from; ord < to; ++ord) {
          const uint32_t n = all ? all[ord - from] - rows_counts_[ord] : rows_counts_[ord];
          if (!n) continue;
          const uint32_t g = to_global[ord - from];
          if (out_.counts[f][g] == 0) out_.touched[f].push_back(g);
          out_.counts[f][g] += n;
        }
      }
      std::fill(rows_counts_.begin() + from, rows_counts_.begin() + to, 0u);
    }
    rows_zeroed_ = true;
  }

  const SegmentReader& seg_;
  FacetCounts& out_;
  bool dates_;
  const SegmentFacetCounts* all_;
  uint32_t next_ = 0;  // complement: the first document not yet passed
  uint64_t counted_ = 0;
  std::array<Field, kFacetFields> fields_{};
  size_t n_fields_ = 0;
  std::array<uint32_t, kBatch> batch_{};
  size_t batched_ = 0;
  std::vector<uint32_t> days_;
  // Name fields counted from FacetRows: each one's segment -> global table.
  const FacetRows* rows_ = nullptr;
  std::array<const uint32_t*, FacetRows::kParts> rows_part_{};
  std::vector<uint32_t> rows_counts_;  // by base[f] + ordinal
  std::array<uint64_t, FacetRows::kParts> rows_with_value_{};
  bool rows_zeroed_ = false;
};

}  // namespace dateline
