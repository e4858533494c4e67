// The best hits of a query over all segments, by score or by date: one
// bounded heap, fed segment after segment (segments in index order, docs in
// doc order, so a later hit loses every tie).
//
// By score, with pruning on, the collector tells the segment's scorer tree
// the worst kept score once the heap is full, and again whenever it rises:
// the tree's operators then skip what cannot beat it. A page is the same
// with pruning on or off (the reference: exhaustive scoring), hits, order and
// bit-identical scores.
//
// By date, with pruning on, once the heap is full its worst kept date
// bounds what can still enter: collect_by_date() skips the blocks of the
// date column (SegmentReader::date_blocks) whose dates are all worse,
// moving the scorer tree past them with advance(), and segment_competitive()
// says whether a whole segment can still offer a hit (the searcher visits
// segments newest or oldest first, so the heap fills with the best dates
// early and the rest is skipped).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "common/date.h"
#include "indexer/segment_reader.h"
#include "searcher/query/scorer.h"

namespace dateline {

// One hit: where it lives and how it ranked.
struct ScoredDoc {
  uint32_t segment = 0;
  uint32_t doc = 0;
  double score = 0;
  DayNumber date = kNoDate;
};

// The order of hits: by score (higher first) or by date (newest or oldest
// first, undated last, ties by score); remaining ties by (segment, doc).
struct HitOrder {
  enum class By { Score, Newest, Oldest };
  By by = By::Score;
  static bool by_score(const ScoredDoc& a, const ScoredDoc& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.segment != b.segment) return a.segment < b.segment;
    return a.doc < b.doc;
  }
  // Whether date `a` ranks before date `b` (equal dates: neither).
  bool date_before(DayNumber a, DayNumber b) const {
    if (a == b) return false;
    if (a == kNoDate) return false;
    if (b == kNoDate) return true;
    return by == By::Oldest ? a < b : a > b;
  }
  bool operator()(const ScoredDoc& a, const ScoredDoc& b) const {
    if (by != By::Score && a.date != b.date) return date_before(a.date, b.date);
    return by_score(a, b);
  }
};

class TopDocsCollector {
 public:
  // Keeps the best `keep` hits.
  TopDocsCollector(size_t keep, HitOrder order) : keep_(keep), order_(order) {}

  // Starts segment `s`, whose matches `root` iterates; `prune` false keeps
  // every match of this segment coming (when they are being counted).
  void set_segment(uint32_t s, const SegmentReader& seg, Scorer& root, bool prune) {
    segment_ = s;
    seg_ = &seg;
    root_ = &root;
    prune_ = prune;
    max_score_ = root.max_score();
    published_ = 0;
    publish();
  }
  // Also counts the matches collected.
  bool collect(uint32_t doc) {
    ++collected_;
    if (keep_ == 0) return true;
    if (order_.by == HitOrder::By::Score) {
      if (full() && stop_early()) return false;
      offer_scored(doc, root_->score());
      return true;
    }
    const DayNumber date = seg_->date(doc);
    if (full() && order_.date_before(heap_.front().date, date)) return true;  // a worse date: no need for the score
    offer({segment_, doc, root_->score(), date});
    return true;
  }

  // By score, with pruning, from a root that scores_blocks(): every match
  // of the segment set by set_segment(), a scored block at a time.
  // Most of a block's scores fall below the worst kept hit: they are
  // compared with it held in a register, and only one that reaches it (a
  // tie may still enter) goes through offer_scored().
  void collect_blocks(Scorer& root) {
    uint32_t docs[Scorer::kMaxBlock];
    double scores[Scorer::kMaxBlock];
    const bool deletions = seg_->has_deletions();
    double bar = entry_bar();
    for (uint32_t n; (n = root.next_block(docs, scores)) > 0;)
      for (uint32_t i = 0; i < n; ++i) {
        if (deletions && seg_->is_deleted(docs[i])) continue;
        ++collected_;
        if (scores[i] < bar) continue;
        offer_scored(docs[i], scores[i]);
        bar = entry_bar();
      }
  }

  // By date with pruning: every match of the segment set by set_segment(),
  // leaving out the blocks of the date column whose dates cannot enter.
  void collect_by_date(Scorer& root) {
    const auto& blocks = seg_->date_blocks();
    constexpr uint32_t kBlockDocs = SegmentReader::kDateBlockDocs;
    const bool exact = root.exact();
    uint32_t d = root.doc();
    while (d != Scorer::kEnd) {
      if (full()) {
        size_t b = d / kBlockDocs;
        if (!block_competitive(blocks[b])) {
          while (++b < blocks.size() && !block_competitive(blocks[b])) {
          }
          d = b < blocks.size() ? root.advance(static_cast<uint32_t>(b * kBlockDocs)) : Scorer::kEnd;
          continue;
        }
      }
      if ((exact || root.matches()) && !seg_->is_deleted(d)) collect(d);
      d = root.next();
    }
  }
  // Whether a segment whose dates lie in [min_date, max_date] (kNoDate: it
  // has none) may still hold a hit that enters; always true by score.
  bool segment_competitive(DayNumber min_date, DayNumber max_date) const {
    if (order_.by == HitOrder::By::Score || !full()) return true;
    const DayNumber worst = heap_.front().date;
    if (worst == kNoDate) return true;  // undated hits kept: any hit may enter
    if (min_date == kNoDate) return false;  // only undated articles
    return order_.by == HitOrder::By::Newest ? max_date >= worst : min_date <= worst;
  }

  bool full() const { return keep_ > 0 && heap_.size() >= keep_; }
  uint64_t collected() const { return collected_; }
  // The kept hits, best first (empties the collector).
  std::vector<ScoredDoc> take_sorted() {
    std::sort_heap(heap_.begin(), heap_.end(), order_);
    return std::move(heap_);
  }

 private:
  // By date, once full: whether a block of the date column holds a date as
  // good as the worst kept (an undated article cannot beat a dated one; a
  // block without dates has min > max).
  bool block_competitive(const SegmentReader::DateBlock& b) const {
    const DayNumber worst = heap_.front().date;
    if (worst == kNoDate) return true;
    return order_.by == HitOrder::By::Newest ? b.max >= worst : b.min <= worst;
  }
  // By score with pruning: once full, a tree that scores nothing (filters
  // only) cannot beat the kept hits, since later hits lose ties.
  bool stop_early() const { return prune_ && max_score_ == 0 && heap_.front().score >= 0; }
  // The least score that may enter by score: the worst kept one once full.
  double entry_bar() const { return full() ? heap_.front().score : -std::numeric_limits<double>::infinity(); }
  // A scored match, by score: kept if it beats the worst kept hit (the
  // date is read only for hits kept).
  void offer_scored(uint32_t doc, double score) {
    if (full()) {
      const ScoredDoc& worst = heap_.front();
      if (score < worst.score || (score == worst.score && !order_.by_score({segment_, doc, score}, worst))) return;
    }
    offer({segment_, doc, score, seg_->date(doc)});
  }
  void offer(const ScoredDoc& d) {
    if (heap_.size() < keep_) {
      heap_.push_back(d);
      std::push_heap(heap_.begin(), heap_.end(), order_);
    } else if (order_(d, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), order_);
      heap_.back() = d;
      std::push_heap(heap_.begin(), heap_.end(), order_);
    } else {
      return;
    }
    publish();
  }
  void publish() {
    if (prune_ && order_.by == HitOrder::By::Score && full() && heap_.front().score > published_) {
      published_ = heap_.front().score;
      root_->set_min_competitive_score(published_);
    }
  }

  size_t keep_;
  HitOrder order_;
  bool prune_ = false;
  std::vector<ScoredDoc> heap_;
  uint32_t segment_ = 0;
  const SegmentReader* seg_ = nullptr;
  Scorer* root_ = nullptr;
  double max_score_ = 0;
  double published_ = 0;
  uint64_t collected_ = 0;
};

}  // namespace dateline
