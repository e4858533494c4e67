#include "searcher/query/exclusion.h"

namespace dateline {

Exclusion::Exclusion(ScorerPtr required, ScorerPtr excluded)
    : Scorer(required->exact() && excluded->exact()), required_(std::move(required)), excluded_(std::move(excluded)) {
  skip_excluded(required_->doc());
}

uint32_t Exclusion::skip_excluded(uint32_t d) {
  if (excluded_->exact())
    while (d != kEnd && excluded_at(d)) d = required_->next();
  return doc_ = d;
}

// doc() is then the next document the required clause proposes.
uint32_t Exclusion::next_block(uint32_t* docs, double* scores) {
  for (;;) {
    const uint32_t n = required_->next_block(docs, scores);
    doc_ = required_->doc();
    if (n == 0) return 0;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < n; ++i) {
      if ((min_score_ > 0 && scores[i] <= min_score_) || excluded_at(docs[i])) continue;
      docs[kept] = docs[i];
      scores[kept] = scores[i];
      ++kept;
    }
    if (kept > 0) return kept;
  }
}

bool Exclusion::matches() {
  if (!required_->matches()) return false;
  return excluded_->exact() || !excluded_at(doc_) || !excluded_->matches();
}

}  // namespace dateline
