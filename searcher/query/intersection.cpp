#include "searcher/query/intersection.h"

#include <algorithm>

#include "searcher/query/term_scorer.h"

namespace dateline {

Intersection::Intersection(std::vector<ScorerPtr> clauses) : Scorer(all_exact(clauses)), clauses_(std::move(clauses)) {
  std::vector<Scorer*> by_cost;
  for (const auto& c : clauses_) {
    by_cost.push_back(c.get());
    max_score_ += c->max_score();
    if (!c->exact()) {
      two_phase_.push_back(c.get());
      match_cost_ += c->match_cost();
    }
    if (c->max_score() > 0) scoring_.push_back(c.get());
  }
  std::stable_sort(by_cost.begin(), by_cost.end(), [](Scorer* a, Scorer* b) { return a->cost() < b->cost(); });
  std::stable_sort(two_phase_.begin(), two_phase_.end(),
                   [](Scorer* a, Scorer* b) { return a->match_cost() < b->match_cost(); });
  lead_ = by_cost[0];
  followers_.assign(by_cost.begin() + 1, by_cost.end());
  for (Scorer* c : by_cost)
    if (auto* t = dynamic_cast<TermScorer*>(c)) {
      terms_.push_back(t);
      cursors_.push_back(&t->cursor());
    }
  if (terms_.size() != by_cost.size()) {
    terms_.clear();
    cursors_.clear();
  }
  if (terms_.empty()) leapfrog(lead_->doc());
  else leapfrog_terms(lead_->doc());
}

uint32_t Intersection::next() {
  if (terms_.empty()) return leapfrog(lead_->next());
  cursors_[0]->next();
  return leapfrog_terms(cursors_[0]->doc());
}

uint32_t Intersection::advance(uint32_t target) {
  if (terms_.empty()) return leapfrog(lead_->advance(target));
  cursors_[0]->advance(target);
  return leapfrog_terms(cursors_[0]->doc());
}

uint32_t Intersection::lead_advance(uint32_t target) {
  if (terms_.empty()) return lead_->advance(target);
  cursors_[0]->advance(target);
  return cursors_[0]->doc();
}

// leapfrog() on the cursors: the TermScorers' doc() follows once agreed.
uint32_t Intersection::leapfrog_terms(uint32_t target) {
  PostingCursor* const lead = cursors_[0];
  const size_t n = cursors_.size();
  for (;;) {
    if (min_score_ > 0 && target != kEnd) {
      const uint32_t t = competitive_target(target);
      if (t != target) target = t == kEnd ? kEnd : lead_advance(t);
    }
    if (target == kEnd) break;
    size_t i = 1;
    for (; i < n; ++i) {
      PostingCursor* c = cursors_[i];
      c->advance(target);
      if (c->doc() > target) {
        lead->advance(c->doc());
        target = lead->doc();
        break;
      }
    }
    if (i == n) break;
  }
  for (TermScorer* t : terms_) t->sync();
  return doc_ = target;
}

uint32_t Intersection::leapfrog(uint32_t target) {
  for (;;) {
    if (min_score_ > 0 && target != kEnd) {
      const uint32_t t = competitive_target(target);
      if (t != target) target = t == kEnd ? kEnd : lead_advance(t);
    }
    if (target == kEnd) return doc_ = kEnd;
    bool agreed = true;
    for (Scorer* c : followers_) {
      const uint32_t d = c->doc() < target ? c->advance(target) : c->doc();
      if (d > target) {
        target = lead_->advance(d);
        agreed = false;
        break;
      }
    }
    if (agreed) return doc_ = target;
  }
}

uint32_t Intersection::competitive_target(uint32_t target) {
  for (;;) {
    if (!window_valid_ || target > up_to_) {
      up_to_ = kEnd - 1;
      for (Scorer* c : scoring_) up_to_ = std::min(up_to_, c->advance_shallow(target));
      window_max_ = 0;
      for (Scorer* c : scoring_) window_max_ += c->max_score_up_to(up_to_);
      window_valid_ = true;
    }
    if (!below_competitive(window_max_, min_score_)) return target;
    if (up_to_ >= kEnd - 1) return kEnd;
    target = up_to_ + 1;
  }
}

uint32_t Intersection::advance_shallow(uint32_t target) {
  uint32_t up_to = kEnd - 1;
  for (Scorer* c : scoring_) up_to = std::min(up_to, c->advance_shallow(target));
  return up_to;
}

double Intersection::max_score_up_to(uint32_t upto) {
  double s = 0;
  for (Scorer* c : scoring_) s += c->max_score_up_to(upto);
  return s;
}

void Intersection::set_min_competitive_score(double min) {
  min_score_ = min;
  window_valid_ = false;
}

bool Intersection::matches() {
  // A pruning collector wants only documents that reach the minimum: the
  // score (cheap) is checked before the positions (costly).
  if (min_score_ > 0 && !two_phase_.empty() && score() < min_score_) return false;
  for (Scorer* c : two_phase_)
    if (!c->matches()) return false;
  return true;
}

double Intersection::score() {
  double s = 0;
  for (const auto& c : clauses_) s += c->score();
  return s;
}

}  // namespace dateline
