#include "searcher/query/union.h"

#include <algorithm>
#include <type_traits>

#include "searcher/query/term_scorer.h"

namespace dateline {

namespace {

// A window ends where a probed clause's score window ends when it is at
// least 1/kMinWindowShare of the essential clauses' window (set_window).
constexpr uint64_t kMinWindowShare = 64;

// Whether a clause on the candidate matches it (a term is exact: no second
// phase to check).
template <class Clause>
bool clause_matches(Clause& c) {
  if constexpr (std::is_same_v<Clause, TermScorer>) {
    (void)c;
    return true;
  } else {
    return c.exact() || c.matches();
  }
}

}  // namespace

Union::Union(std::vector<ScorerPtr> clauses)
    : Scorer(all_exact(clauses)), clauses_(std::move(clauses)), at_(clauses_.size()), scores_(clauses_.size()) {
  doc_ = kEnd;
  for (size_t i = 0; i < clauses_.size(); ++i) {
    const Scorer& c = *clauses_[i];
    doc_ = std::min(doc_, c.doc());
    cost_ += c.cost();
    max_score_ += c.max_score();
    match_cost_ = std::max(match_cost_, c.match_cost());
    by_bound_.push_back(i);
    scorers_.push_back(clauses_[i].get());
    if (auto* t = dynamic_cast<TermScorer*>(clauses_[i].get())) terms_.push_back(t);
  }
  if (terms_.size() != clauses_.size()) terms_.clear();
  below_.assign(clauses_.size() + 1, 0.0);
  bound_.assign(clauses_.size(), 0.0);
  shallow_end_.assign(clauses_.size(), 0);
}

uint32_t Union::advance_all(uint32_t target) {
  uint32_t d = kEnd;
  for (const auto& c : clauses_) {
    const uint32_t at = c->doc();
    d = std::min(d, at >= target ? at : at + 1 == target ? c->next() : c->advance(target));
  }
  return doc_ = d;
}

uint32_t Union::next() {
  if (doc_ == kEnd) return kEnd;
  if (min_score_ > 0) return next_competitive(doc_ + 1);
  return advance_all(doc_ + 1);
}

uint32_t Union::advance(uint32_t target) {
  if (doc_ != kEnd && doc_ >= target) return doc_;
  if (min_score_ > 0) return next_competitive(target);
  return advance_all(target);
}

uint32_t Union::advance_shallow(uint32_t target) {
  uint32_t up_to = kEnd - 1;
  for (const auto& c : clauses_) up_to = std::min(up_to, c->advance_shallow(std::max(target, c->doc())));
  return up_to;
}

double Union::max_score_up_to(uint32_t upto) {
  double s = 0;
  for (const auto& c : clauses_) s += c->max_score_up_to(upto);
  return s;
}

void Union::set_min_competitive_score(double min) {
  min_score_ = min;
  window_valid_ = false;
}

// The window of documents from `target` (where it ends, see below), the
// clauses' bounds over it: sorted, summed, and split into essential and
// non-essential clauses (Lucene's MaxScoreBulkScorer).
//
// Where it ends: at the first end of an essential clause's score window
// (advance_shallow). Ending it at every clause's would cut each window to
// one block of a dense clause that only gets probed ("the" beside two rare
// words: a window per hundred documents, every bound recomputed). As in
// Lucene, the window is first that of the last window's essential clauses
// (at first, every clause), then narrowed to that of the clauses essential
// in it until it no longer narrows. A probed clause still ends it where
// that keeps at least 1/kMinWindowShare of its length: its bound stays
// tight (two words of similar frequency) without a window per block of a
// dense word. A clause with no document in the window bounds it by 0.
void Union::set_window(uint32_t target) {
  for (size_t i = 0; i < clauses_.size(); ++i) {
    Scorer& c = *clauses_[i];
    shallow_end_[i] = c.advance_shallow(std::max(target, c.doc()));
  }
  auto essential_end = [&] {
    uint32_t end = kEnd - 1;
    for (size_t k = std::min(non_essential_, by_bound_.size() - 1); k < by_bound_.size(); ++k)
      end = std::min(end, shallow_end_[by_bound_[k]]);
    return end;
  };
  uint32_t all_end = kEnd - 1;
  for (const uint32_t e : shallow_end_) all_end = std::min(all_end, e);
  window_end_ = essential_end();
  if ((uint64_t{all_end} - target + 1) * kMinWindowShare >= uint64_t{window_end_} - target + 1) window_end_ = all_end;
  for (;;) {
    for (size_t i = 0; i < clauses_.size(); ++i) {
      Scorer& c = *clauses_[i];
      bound_[i] = c.doc() > window_end_ ? 0.0 : c.max_score_up_to(window_end_);
    }
    std::sort(by_bound_.begin(), by_bound_.end(), [&](size_t a, size_t b) {
      return bound_[a] != bound_[b] ? bound_[a] < bound_[b] : a < b;
    });
    for (size_t i = 0; i < by_bound_.size(); ++i) below_[i + 1] = below_[i] + bound_[by_bound_[i]];
    non_essential_ = 0;
    while (non_essential_ < by_bound_.size() && below_competitive(below_[non_essential_ + 1], min_score_))
      ++non_essential_;
    if (non_essential_ == by_bound_.size()) break;  // nothing in the window can reach the minimum
    const uint32_t end = essential_end();
    if (end >= window_end_) break;
    window_end_ = end;
  }
  window_valid_ = true;
}

void Union::score_clauses() {
  if (scored_doc_ == doc_) return;
  scored_doc_ = doc_;
  for (size_t i = 0; i < clauses_.size(); ++i) {
    Scorer& c = *clauses_[i];
    at_[i] = c.doc() == doc_ && (c.exact() || c.matches());
    scores_[i] = at_[i] ? c.score() : 0.0;
  }
}

bool Union::matches() {
  if (exact()) return true;
  score_clauses();
  for (const uint32_t a : at_)
    if (a) return true;
  return false;
}

double Union::score() {
  score_clauses();
  double s = 0;
  for (size_t i = 0; i < clauses_.size(); ++i)
    if (at_[i]) s += scores_[i];
  return s;
}

uint32_t Union::next_competitive(uint32_t target) {
  return terms_.empty() ? next_competitive_over(scorers_, target) : next_competitive_over(terms_, target);
}

// One essential clause, a term (the usual case once the minimum is high:
// the other clauses' bounds together fall short of it): the documents of
// its block are scored in one loop, and only those whose score and the
// others' bounds can reach the minimum are probed further: the block's
// documents in the window, whose bounds hold for them.
bool Union::fill_bulk(uint32_t target) {
  if (terms_.empty() || non_essential_ + 1 != by_bound_.size()) return false;
  const size_t e = by_bound_.back();
  TermScorer& t = *terms_[e];
  if (t.doc() < target) t.advance(target);
  if (t.doc() > window_end_) return false;
  bulk_n_ = t.next_block_upto(bulk_docs_, bulk_scores_, window_end_);
  bulk_at_ = 0;
  bulk_clause_ = e;
  return bulk_n_ > 0;
}

// The window and the split into essential and non-essential clauses stay
// as they were while the buffer drains, even if the minimum rose: the
// bounds hold whatever the minimum, and a split for a lower minimum
// proposes more candidates, never fewer.
uint32_t Union::drain_bulk(uint32_t target) {
  const double others = below_[non_essential_];
  while (bulk_at_ < bulk_n_) {
    const uint32_t d = bulk_docs_[bulk_at_];
    const double s = bulk_scores_[bulk_at_++];
    if (d < target || below_competitive(s + others, min_score_)) continue;
    for (size_t i = 0; i < clauses_.size(); ++i) at_[i] = 0;
    at_[bulk_clause_] = 1;
    scores_[bulk_clause_] = s;
    if (probe_non_essential(terms_, d, s, true)) return d;
  }
  return kEnd;
}

template <class Clause>
bool Union::probe_non_essential(const std::vector<Clause*>& clauses, uint32_t d, double partial, bool any) {
  if (!any && non_essential_ == 0) return false;
  for (size_t k = non_essential_; k-- > 0;) {
    if (below_competitive(partial + below_[k + 1], min_score_)) return false;
    const size_t i = by_bound_[k];
    Clause& c = *clauses[i];
    at_[i] = (c.doc() < d ? c.advance(d) : c.doc()) == d && clause_matches(c);
    scores_[i] = at_[i] ? c.score() : 0.0;
    partial += scores_[i];
    any |= at_[i] != 0;
  }
  if (!any) return false;
  doc_ = d;
  scored_doc_ = d;
  return true;
}

template <class Clause>
uint32_t Union::next_competitive_over(const std::vector<Clause*>& clauses, uint32_t target) {
  for (;;) {
    if (bulk_at_ < bulk_n_) {
      const uint32_t last = bulk_docs_[bulk_n_ - 1];
      if (drain_bulk(target) != kEnd) return doc_;
      if (last >= kEnd - 1) return doc_ = kEnd;
      target = std::max(target, last + 1);
      continue;
    }
    if (!window_valid_ || target > window_end_) {
      set_window(target);
      if (non_essential_ == by_bound_.size()) {  // nothing in the window can reach the minimum
        if (window_end_ >= kEnd - 1) return doc_ = kEnd;
        target = window_end_ + 1;
        window_valid_ = false;
        continue;
      }
    }
    if (fill_bulk(target)) continue;
    // The essential clauses propose the next candidate.
    uint32_t d = kEnd;
    for (size_t k = non_essential_; k < by_bound_.size(); ++k) {
      Clause& c = *clauses[by_bound_[k]];
      const uint32_t at = c.doc();
      d = std::min(d, at >= target ? at : at + 1 == target ? c.next() : c.advance(target));
    }
    if (d > window_end_) {
      // No essential document in the window: the next window (where other
      // clauses may be essential) starts after it, not at d.
      if (window_end_ >= kEnd - 1) return doc_ = kEnd;
      target = window_end_ + 1;
      window_valid_ = false;
      continue;
    }
    double partial = 0;
    bool any = false;
    for (size_t k = non_essential_; k < by_bound_.size(); ++k) {
      const size_t i = by_bound_[k];
      Clause& c = *clauses[i];
      at_[i] = c.doc() == d && clause_matches(c);
      scores_[i] = at_[i] ? c.score() : 0.0;
      partial += scores_[i];
      any |= at_[i] != 0;
    }
    if (probe_non_essential(clauses, d, partial, any)) return d;
    if (d == kEnd - 1) return doc_ = kEnd;
    target = d + 1;
  }
}

}  // namespace dateline
