#include "searcher/query/window_count.h"

#include <algorithm>
#include <cstring>

#include "common/bit_count.h"
#include "searcher/query/date_range.h"

namespace dateline {

namespace {

constexpr uint32_t kWords = WindowNode::kWindowWords;

class TermWindow final : public WindowNode {
 public:
  explicit TermWindow(PostingCursor cursor) : cursor_(std::move(cursor)) {}
  bool fill(uint32_t base, uint32_t end, uint64_t* bits) override {
    cursor_.advance(base);
    if (cursor_.doc() >= end) return false;
    std::memset(bits, 0, kWords * sizeof(uint64_t));
    cursor_.collect_bits(base, end, bits);
    return true;
  }
  uint64_t cost() const override { return cursor_.df(); }

 private:
  PostingCursor cursor_;
};

class DateWindow final : public WindowNode {
 public:
  DateWindow(const SegmentReader& seg, DayNumber lo, DayNumber hi) : range_(seg, lo, hi) {}
  bool fill(uint32_t base, uint32_t end, uint64_t* bits) override { return range_.fill(base, end, kWords, bits); }
  // Filling reads the column's blocks that may match (or copies a sparse
  // range's bitset); iterating does the same, a window at a time (a date
  // read costs about a 24th of a document that a cursor visits, the ratio
  // query_weight.cpp measured for windows), and visits the matches.
  uint64_t cost() const override { return range_.fill_cost(); }
  uint64_t iteration_cost() const override { return range_.matches() + range_.fill_cost() / 24; }

 private:
  DateRangeBits range_;
};

class AllWindow final : public WindowNode {
 public:
  explicit AllWindow(uint32_t docs) : docs_(docs) {}
  bool fill(uint32_t base, uint32_t end, uint64_t* bits) override {
    if (end <= base) return false;
    const uint32_t n = end - base;
    std::memset(bits, 0, kWords * sizeof(uint64_t));
    std::memset(bits, 0xFF, n / 64 * sizeof(uint64_t));
    if (n % 64) bits[n / 64] = (uint64_t{1} << (n % 64)) - 1;
    return true;
  }
  uint64_t cost() const override { return docs_ / 64; }
  uint64_t iteration_cost() const override { return docs_; }

 private:
  uint32_t docs_;
};

class NoneWindow final : public WindowNode {
 public:
  bool fill(uint32_t, uint32_t, uint64_t*) override { return false; }
  uint64_t cost() const override { return 0; }
};

// A boolean operator over clauses: their summed costs, and a scratch window.
class ClausesWindow : public WindowNode {
 public:
  explicit ClausesWindow(std::vector<WindowNodePtr> clauses) : clauses_(std::move(clauses)) {}
  uint64_t cost() const override {
    uint64_t c = 0;
    for (const auto& x : clauses_) c += x->cost();
    return c;
  }
  uint64_t seeks() const override {
    uint64_t n = 0;
    for (const auto& x : clauses_) n += x->seeks();
    return n;
  }

 protected:
  std::vector<WindowNodePtr> clauses_;
  uint64_t scratch_[kWords];
};

class AndWindow final : public ClausesWindow {
 public:
  explicit AndWindow(std::vector<WindowNodePtr> clauses) : ClausesWindow(std::move(clauses)) {
    std::stable_sort(clauses_.begin(), clauses_.end(), [](const auto& a, const auto& b) { return a->cost() < b->cost(); });
  }
  bool fill(uint32_t base, uint32_t end, uint64_t* bits) override {
    if (!clauses_[0]->fill(base, end, bits)) return false;
    for (size_t c = 1; c < clauses_.size(); ++c) {
      if (!clauses_[c]->fill(base, end, scratch_)) return false;
      uint64_t any = 0;
      for (uint32_t w = 0; w < kWords; ++w) any |= bits[w] &= scratch_[w];
      if (!any) return false;
    }
    return true;
  }
  // The cheapest to iterate leads; each of its documents moves the others.
  uint64_t iteration_cost() const override {
    size_t lead = 0;
    for (size_t c = 1; c < clauses_.size(); ++c)
      if (clauses_[c]->iteration_cost() < clauses_[lead]->iteration_cost()) lead = c;
    uint64_t followers = 0;
    for (size_t c = 0; c < clauses_.size(); ++c)
      if (c != lead) followers += clauses_[c]->seeks();
    return clauses_[lead]->iteration_cost() * std::max<uint64_t>(1, followers);
  }
};

class OrWindow final : public ClausesWindow {
 public:
  explicit OrWindow(std::vector<WindowNodePtr> clauses) : ClausesWindow(std::move(clauses)) {}
  bool fill(uint32_t base, uint32_t end, uint64_t* bits) override {
    bool any = false;
    for (const auto& c : clauses_) {
      if (!any) {
        any = c->fill(base, end, bits);
      } else if (c->fill(base, end, scratch_)) {
        for (uint32_t w = 0; w < kWords; ++w) bits[w] |= scratch_[w];
      }
    }
    return any;
  }
};

class AndNotWindow final : public WindowNode {
 public:
  AndNotWindow(WindowNodePtr required, WindowNodePtr excluded)
      : required_(std::move(required)), excluded_(std::move(excluded)) {}
  bool fill(uint32_t base, uint32_t end, uint64_t* bits) override {
    if (!required_->fill(base, end, bits)) return false;
    if (!excluded_->fill(base, end, scratch_)) return true;
    uint64_t any = 0;
    for (uint32_t w = 0; w < kWords; ++w) any |= bits[w] &= ~scratch_[w];
    return any != 0;
  }
  uint64_t cost() const override { return required_->cost() + excluded_->cost(); }
  uint64_t iteration_cost() const override { return required_->iteration_cost(); }
  uint64_t seeks() const override { return required_->seeks() + excluded_->seeks(); }

 private:
  WindowNodePtr required_, excluded_;
  uint64_t scratch_[kWords];
};

}  // namespace

WindowNodePtr window_term(PostingCursor cursor) { return std::make_unique<TermWindow>(std::move(cursor)); }
WindowNodePtr window_date_range(const SegmentReader& seg, DayNumber lo, DayNumber hi) {
  return std::make_unique<DateWindow>(seg, lo, hi);
}
WindowNodePtr window_all(uint32_t docs) { return std::make_unique<AllWindow>(docs); }
WindowNodePtr window_none() { return std::make_unique<NoneWindow>(); }
WindowNodePtr window_and(std::vector<WindowNodePtr> clauses) {
  if (clauses.size() == 1) return std::move(clauses[0]);
  return std::make_unique<AndWindow>(std::move(clauses));
}
WindowNodePtr window_or(std::vector<WindowNodePtr> clauses) {
  if (clauses.empty()) return window_none();
  if (clauses.size() == 1) return std::move(clauses[0]);
  return std::make_unique<OrWindow>(std::move(clauses));
}
WindowNodePtr window_and_not(WindowNodePtr required, WindowNodePtr excluded) {
  return std::make_unique<AndNotWindow>(std::move(required), std::move(excluded));
}

uint64_t count_windows(WindowNode& root, const SegmentReader& seg) {
  uint64_t bits[kWords];
  const uint64_t* deleted = seg.deleted_bits();
  uint64_t n = 0;
  for (uint32_t base = 0; base < seg.docs(); base += WindowNode::kWindowDocs) {
    const uint32_t end = std::min(seg.docs(), base + WindowNode::kWindowDocs);
    if (!root.fill(base, end, bits)) continue;
    n += count_bits(bits, deleted ? deleted + base / 64 : nullptr, (end - base + 63) / 64);
  }
  return n;
}

}  // namespace dateline
