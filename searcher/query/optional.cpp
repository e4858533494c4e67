#include "searcher/query/optional.h"

namespace dateline {

Optional::Optional(ScorerPtr required, std::vector<ScorerPtr> optional)
    : Scorer(required->exact()), required_(std::move(required)), optional_(std::move(optional)) {
  doc_ = required_->doc();
  max_score_ = required_->max_score();
  for (const auto& o : optional_) max_score_ += o->max_score();
}

double Optional::score() {
  double s = required_->score();
  for (const auto& o : optional_) {
    const uint32_t d = o->doc() < doc_ ? o->advance(doc_) : o->doc();
    if (d == doc_ && o->matches()) s += o->score();
  }
  return s;
}

}  // namespace dateline
