#include "searcher/query/phrase_scorer.h"

#include <algorithm>

#include "searcher/position_match.h"
#include "searcher/query/intersection.h"

namespace dateline {

PhraseScorer::PhraseScorer(std::vector<std::unique_ptr<TermScorer>> words, std::vector<size_t> word_of, Kind kind,
                           uint32_t window, std::vector<ScorerPtr> filters)
    : Scorer(false), word_of_(std::move(word_of)), kind_(kind), window_(window) {
  for (const auto& w : words) words_.push_back(w.get());
  if (words.size() == 1 && filters.empty()) {
    approximation_ = std::move(words[0]);
  } else {
    // The words first: the conjunction sums its clauses' scores in order
    // (the filters score 0, and only when counting).
    std::vector<ScorerPtr> clauses;
    for (auto& w : words) clauses.push_back(std::move(w));
    for (auto& f : filters) clauses.push_back(std::move(f));
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
  word_positions_.resize(words_.size());
  doc_ = approximation_->doc();
}

bool PhraseScorer::matches() {
  if (doc_ == kEnd) return false;
  if (min_score_ > 0 && approximation_->score() < min_score_) return false;
  for (size_t w = 0; w < words_.size(); ++w) word_positions_[w] = words_[w]->cursor().positions();
  for (size_t i = 0; i < word_of_.size(); ++i) lists_[i] = word_positions_[word_of_[i]];
  switch (kind_) {
    case Kind::Exact:
      return exact_phrase(lists_);
    case Kind::Ordered:
      return ordered_within(lists_, window_);
    case Kind::Unordered:
      return unordered_within(lists_, group_, window_);
  }
  return false;
}

}  // namespace dateline
