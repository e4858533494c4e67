#include "searcher/query/union.h"

#include <algorithm>

namespace dateline {

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
  }
  below_.assign(clauses_.size() + 1, 0.0);
  bound_.assign(clauses_.size(), 0.0);
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

// The clauses' bounds over the window of documents from `target` to the
// first end of a clause's score window: sorted, summed, and split into
// essential and non-essential clauses (Lucene's MaxScoreBulkScorer).
void Union::set_window(uint32_t target) {
  window_end_ = advance_shallow(target);
  for (size_t i = 0; i < clauses_.size(); ++i) bound_[i] = clauses_[i]->max_score_up_to(window_end_);
  std::sort(by_bound_.begin(), by_bound_.end(), [&](size_t a, size_t b) {
    return bound_[a] != bound_[b] ? bound_[a] < bound_[b] : a < b;
  });
  for (size_t i = 0; i < by_bound_.size(); ++i) below_[i + 1] = below_[i] + bound_[by_bound_[i]];
  non_essential_ = 0;
  while (non_essential_ < by_bound_.size() && below_competitive(below_[non_essential_ + 1], min_score_))
    ++non_essential_;
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
  for (char a : at_)
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
  for (;;) {
    if (!window_valid_ || target > window_end_) {
      set_window(target);
      if (non_essential_ == by_bound_.size()) {  // nothing in the window can reach the minimum
        if (window_end_ >= kEnd - 1) return doc_ = kEnd;
        target = window_end_ + 1;
        window_valid_ = false;
        continue;
      }
    }
    // The essential clauses propose the next candidate.
    uint32_t d = kEnd;
    for (size_t k = non_essential_; k < by_bound_.size(); ++k) {
      Scorer& c = *clauses_[by_bound_[k]];
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
      Scorer& c = *clauses_[i];
      at_[i] = c.doc() == d && (c.exact() || c.matches());
      scores_[i] = at_[i] ? c.score() : 0.0;
      partial += scores_[i];
      any |= at_[i] != 0;
    }
    // The others, strongest first, while the candidate can still make it.
    bool dropped = !any && non_essential_ == 0;
    for (size_t k = non_essential_; k-- > 0 && !dropped;) {
      if (below_competitive(partial + below_[k + 1], min_score_)) {
        dropped = true;
        break;
      }
      const size_t i = by_bound_[k];
      Scorer& c = *clauses_[i];
      at_[i] = (c.doc() < d ? c.advance(d) : c.doc()) == d && (c.exact() || c.matches());
      scores_[i] = at_[i] ? c.score() : 0.0;
      partial += scores_[i];
      any |= at_[i] != 0;
    }
    if (!dropped && any) {
      doc_ = d;
      scored_doc_ = d;
      return d;
    }
    if (d == kEnd - 1) return doc_ = kEnd;
    target = d + 1;
  }
}

}  // namespace dateline
