#include "searcher/query/within_scorer.h"

#include <algorithm>

namespace dateline {

namespace {

// The spans a marker's positions encode: 2*first, 2*last+1, ...
void decode_spans(std::span<const uint32_t> p, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  out.clear();
  for (size_t i = 0; i + 1 < p.size(); i += 2) out.emplace_back(p[i] / 2, (p[i + 1] - 1) / 2);
}

}  // namespace

WithinScorer::WithinScorer(ScorerPtr approximation, std::vector<PostingCursor> markers,
                           std::vector<std::optional<PostingCursor>> words, SpanNode tree)
    : Scorer(false),
      approximation_(std::move(approximation)),
      markers_(std::move(markers)),
      words_(std::move(words)),
      tree_(std::move(tree)),
      positions_(words_.size()) {
  doc_ = approximation_->doc();
}

void WithinScorer::load_spans() {
  spans_.clear();
  for (size_t m = 0; m < markers_.size(); ++m) {
    PostingCursor& c = markers_[m];
    c.advance(doc_);
    if (c.doc() != doc_) {
      spans_.clear();
      return;
    }
    if (m == 0) {
      decode_spans(c.positions(), spans_);
      continue;
    }
    // A quotation of the speaker has every word of the name.
    decode_spans(c.positions(), other_);
    std::erase_if(spans_, [&](const std::pair<uint32_t, uint32_t>& s) {
      return !std::binary_search(other_.begin(), other_.end(), s);
    });
  }
}

bool WithinScorer::matches() {
  if (doc_ == kEnd) return false;
  if (!approximation_->exact() && !approximation_->matches()) return false;
  load_spans();
  if (spans_.empty()) return false;
  for (size_t w = 0; w < words_.size(); ++w) {
    positions_[w] = {};
    if (!words_[w]) continue;
    words_[w]->advance(doc_);
    if (words_[w]->doc() == doc_) positions_[w] = words_[w]->positions();
  }
  for (const auto& [lo, hi] : spans_)
    if (span_matches(tree_, positions_, lo, hi)) return true;
  return false;
}

}  // namespace dateline
