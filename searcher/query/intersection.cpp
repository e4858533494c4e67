#include "searcher/query/intersection.h"

#include <algorithm>
#include <type_traits>

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
  // Bounds and scores are both summed in clause order (a clause that does
  // not score adds 0 to the score and nothing to the bound).
  exact_bounds_ = std::all_of(scoring_.begin(), scoring_.end(), [](Scorer* c) { return c->exact_bounds(); });
  std::stable_sort(by_cost.begin(), by_cost.end(), [](Scorer* a, Scorer* b) { return a->cost() < b->cost(); });
  std::stable_sort(two_phase_.begin(), two_phase_.end(),
                   [](Scorer* a, Scorer* b) { return a->match_cost() < b->match_cost(); });
  // The cheapest leads; the followers that only filter (a date range, a
  // name pair) come before those that score, so that a document they reject
  // is never scored (leapfrog_over).
  lead_ = by_cost[0];
  std::stable_partition(by_cost.begin() + 1, by_cost.end(), [](Scorer* c) { return c->max_score() <= 0; });
  followers_.assign(by_cost.begin() + 1, by_cost.end());
  filters_ = static_cast<size_t>(std::count_if(followers_.begin(), followers_.end(),
                                               [](Scorer* c) { return c->max_score() <= 0; }));
  for (Scorer* c : by_cost)
    if (auto* t = dynamic_cast<TermScorer*>(c)) {
      terms_.push_back(t);
      cursors_.push_back(&t->cursor());
    }
  if (terms_.size() != by_cost.size()) {
    terms_.clear();
    cursors_.clear();
  } else {
    cursor_followers_.assign(cursors_.begin() + 1, cursors_.end());
    lead_term_ = terms_[0];
  }
  lead_scores_ = lead_->max_score() > 0;
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

namespace {

// One step of a cursor, whatever it is: a scorer (virtual) or a term's
// posting cursor (inline within a block).
inline uint32_t advance_to(Scorer* c, uint32_t target) { return c->doc() < target ? c->advance(target) : c->doc(); }
inline uint32_t next_of(Scorer* c) { return c->next(); }
inline uint32_t next_of(PostingCursor* c) {
  c->next();
  return c->doc();
}
inline uint32_t advance_to(PostingCursor* c, uint32_t target) {
  c->advance(target);
  return c->doc();
}

}  // namespace

// The first document >= target every cursor agrees on: the lead proposes,
// each follower either agrees or names a later document for the lead.
// With a competitive minimum, windows whose bounds cannot reach it are
// skipped first.
template <class Cursor>
uint32_t Intersection::leapfrog_over(Cursor* lead, const std::vector<Cursor*>& followers, uint32_t target) {
  for (;;) {
    if (min_score_ > 0 && target != kEnd) {
      const uint32_t t = competitive_target(target);
      if (t != target) target = t == kEnd ? kEnd : advance_to(lead, t);
    }
    if (target == kEnd) return kEnd;
    bool agreed = true;
    const size_t check_at = filters_ + (check_late_ ? 1 : 0);
    for (size_t k = 0; k <= followers.size(); ++k) {
      // Past the filters, the lead's score and the others' bounds: most of a
      // frequent lead's documents fall short before a scoring clause moves.
      if (k == check_at && lead_scores_ && min_score_ > 0 &&
          below_competitive(lead_score(lead) + others_max_, min_score_)) {
        target = next_of(lead);
        agreed = false;
        break;
      }
      if (k == followers.size()) break;
      const uint32_t d = advance_to(followers[k], target);
      if (k == filters_ && min_score_ > 0) note_agreement(d == target);  // only ranking asks
      if (d > target) {
        target = advance_to(lead, d);
        agreed = false;
        break;
      }
    }
    if (agreed) return target;
  }
}

// How often the first scoring follower agrees with the lead decides where
// the lead's score is checked: before it (a follower that mostly agrees
// would not have saved the score) or after it (a selective follower
// rejects most of the lead's documents for less than scoring them costs).
void Intersection::note_agreement(bool agreed) {
  agreements_ += agreed;
  if (++visits_ == kAgreementSample) {
    check_late_ = agreements_ * 4 < visits_;
    visits_ = agreements_ = 0;
  }
}

double Intersection::lead_score(Scorer* lead) { return lead->score(); }
double Intersection::lead_score(PostingCursor*) { return lead_term_->cursor_score(); }

uint32_t Intersection::leapfrog(uint32_t target) { return doc_ = leapfrog_over(lead_, followers_, target); }

// leapfrog() on the cursors: the TermScorers' doc() follows once agreed.
uint32_t Intersection::leapfrog_terms(uint32_t target) {
  target = leapfrog_over(cursors_[0], cursor_followers_, target);
  for (TermScorer* t : terms_) t->sync();
  return doc_ = target;
}

uint32_t Intersection::competitive_target(uint32_t target) {
  for (;;) {
    // After a few windows in a row that could not compete, a wide one
    // first (a term's group of blocks): a long run that cannot compete is
    // skipped a group at a time, its blocks' bounds unread.
    if (failed_windows_ >= kFailedWindowsBeforeWide && (!window_valid_ || target > up_to_)) {
      uint32_t wide = kEnd - 1;
      for (Scorer* c : scoring_) wide = std::min(wide, c->advance_shallow_wide(target));
      double bound = 0;
      for (Scorer* c : scoring_) bound += c->max_score_wide();
      if (cannot_enter(bound, min_score_, exact_bounds_)) {
        if (wide >= kEnd - 1) return kEnd;
        target = wide + 1;
        window_valid_ = false;
        continue;
      }
      failed_windows_ = 0;
    }
    if (!window_valid_ || target > up_to_) {
      up_to_ = advance_shallow(target);
      // Summed in clause order (exact bounds stay exact); the lead's apart.
      window_max_ = others_max_ = 0;
      for (Scorer* c : scoring_) {
        const double b = c->max_score_up_to(up_to_);
        window_max_ += b;
        if (c != lead_) others_max_ += b;
      }
      window_valid_ = true;
    }
    if (!cannot_enter(window_max_, min_score_, exact_bounds_)) {
      failed_windows_ = 0;
      return target;
    }
    if (up_to_ >= kEnd - 1) return kEnd;
    target = up_to_ + 1;
    ++failed_windows_;
  }
}

// Windows end at the first block end among the clauses about as sparse as
// the lead (at most 8 times its cost): a far denser clause's blocks of a
// few hundred documents would make windows walked one by one past a rare
// lead's sparse documents (Lucene's block-max conjunction takes the lead's
// blocks). Every scoring clause's bounds start at target.
uint32_t Intersection::advance_shallow(uint32_t target) {
  const uint64_t sparse = lead_->cost() * 8;
  uint32_t up_to = kEnd - 1, dense_up_to = kEnd - 1;
  for (Scorer* c : scoring_) {
    const uint32_t u = c->advance_shallow(target);
    if (c->cost() <= sparse) up_to = std::min(up_to, u);
    else dense_up_to = std::min(dense_up_to, u);
  }
  return up_to == kEnd - 1 ? dense_up_to : up_to;
}

double Intersection::max_score_up_to(uint32_t upto) {
  double s = 0;
  for (Scorer* c : scoring_) s += c->max_score_up_to(upto);
  return s;
}

// With one scoring clause (the others only filter: a date range, a name
// pair), the document's score is that clause's (plus zeros), so the clause
// is told the minimum too and prunes inside itself (a union's MaxScore, a
// term's blocks).
void Intersection::set_min_competitive_score(double min) {
  min_score_ = min;
  window_valid_ = false;
  if (scoring_.size() == 1) scoring_[0]->set_min_competitive_score(min);
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
