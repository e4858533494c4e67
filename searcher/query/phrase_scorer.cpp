#include "searcher/query/phrase_scorer.h"

#include <algorithm>

#include "searcher/position_match.h"
#include "searcher/query/intersection.h"

namespace dateline {

PhraseScorer::PhraseScorer(std::vector<std::unique_ptr<TermScorer>> words, std::vector<size_t> word_of, Kind kind,
                           uint32_t window)
    : Scorer(false), word_of_(std::move(word_of)), kind_(kind), window_(window) {
  for (const auto& w : words) words_.push_back(w.get());
  if (words.size() == 1) {
    approximation_ = std::move(words[0]);
  } else {
    std::vector<ScorerPtr> clauses;
    for (auto& w : words) clauses.push_back(std::move(w));
    approximation_ = std::make_unique<Intersection>(std::move(clauses));
  }
  for (size_t i = 0; i < word_of_.size(); ++i) {
    size_t first = i;
    for (size_t j = 0; j < i; ++j)
      if (word_of_[j] == word_of_[i]) {
        first = j;
        break;
      }
    group_.push_back(static_cast<uint32_t>(first));
  }
  lists_.resize(word_of_.size());
  doc_ = approximation_->doc();
}

// Is there a start p with word i at p + i for every i? Words are checked in
// order of their frequency in this document, so the positions of a frequent
// word such as "the" are decoded only when the rarer words already line up.
bool PhraseScorer::exact_phrase_here() {
  const size_t k = word_of_.size();
  order_.resize(k);
  for (size_t i = 0; i < k; ++i) order_[i] = i;
  auto freq = [&](size_t i) { return words_[word_of_[i]]->cursor().freq(); };
  std::sort(order_.begin(), order_.end(), [&](size_t a, size_t b) { return freq(a) < freq(b); });
  starts_.clear();
  const uint32_t off0 = static_cast<uint32_t>(order_[0]);
  for (const uint32_t p : words_[word_of_[order_[0]]]->cursor().positions())
    if (p >= off0) starts_.push_back(p - off0);
  for (size_t j = 1; j < k && !starts_.empty(); ++j) {
    const uint64_t off = order_[j];
    const std::vector<uint32_t>& l = words_[word_of_[order_[j]]]->cursor().positions();
    size_t kept = 0, x = 0;
    for (const uint32_t s : starts_) {
      const uint64_t want = s + off;
      while (x < l.size() && l[x] < want) ++x;
      if (x == l.size()) break;
      if (l[x] == want) starts_[kept++] = s;
    }
    starts_.resize(kept);
  }
  return !starts_.empty();
}

bool PhraseScorer::matches() {
  if (doc_ == kEnd) return false;
  if (min_score_ > 0 && approximation_->score() < min_score_) return false;
  if (kind_ == Kind::Exact) return exact_phrase_here();
  for (size_t i = 0; i < word_of_.size(); ++i) lists_[i] = &words_[word_of_[i]]->cursor().positions();
  return kind_ == Kind::Ordered ? ordered_within(lists_, window_) : unordered_within(lists_, group_, window_);
}

}  // namespace dateline
