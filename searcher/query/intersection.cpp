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

bool Intersection::matches() {
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
