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

bool Exclusion::matches() {
  if (!required_->matches()) return false;
  return excluded_->exact() || !excluded_at(doc_) || !excluded_->matches();
}

}  // namespace dateline
