#include "searcher/query/intersection.h"

#include <algorithm>

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
  leapfrog(lead_->doc());
}

uint32_t Intersection::leapfrog(uint32_t target) {
  for (;;) {
    if (min_score_ > 0 && target != kEnd) {
      const uint32_t t = competitive_target(target);
      if (t != target) target = t == kEnd ? kEnd : lead_->advance(t);
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
