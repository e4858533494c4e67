// Phrases ("w1 w2", "w1 w2"~N) and proximity (a NEAR/N b) as two-phase
// scorers: the approximation is the conjunction of the distinct words;
// matches() reads positions (searcher/position_match.h). Counted, a phrase
// of three words or more on a name field also joins its name pairs to the
// approximation (common/fields.h; two words are their pair term). The score is the
// words' BM25 sum, each distinct word once, in order of first occurrence.
#pragma once

#include <string>
#include <vector>

#include "searcher/position_match.h"
#include "searcher/query/scorer.h"
#include "searcher/query/term_scorer.h"

namespace dateline {

class PhraseScorer final : public Scorer {
 public:
  enum class Kind { Exact, Ordered, Unordered };
  // `words`: one scorer per distinct word, in order of first occurrence;
  // `word_of[i]`: the distinct word at position i of the query's words.
  // `filters`: non-scoring clauses every match has (a counted name
  // phrase's pairs), joined to the words' conjunction after them.
  PhraseScorer(std::vector<std::unique_ptr<TermScorer>> words, std::vector<size_t> word_of, Kind kind,
               uint32_t window, std::vector<ScorerPtr> filters = {});

  uint32_t next() override { return doc_ = approximation_->next(); }
  uint32_t advance(uint32_t target) override { return doc_ = approximation_->advance(target); }
  bool matches() override;
  double match_cost() const override { return static_cast<double>(word_of_.size()); }
  uint64_t cost() const override { return approximation_->cost(); }
  double score() override { return approximation_->score(); }
  double max_score() const override { return approximation_->max_score(); }
  uint32_t advance_shallow(uint32_t target) override { return approximation_->advance_shallow(target); }
  uint32_t advance_shallow_wide(uint32_t target) override { return approximation_->advance_shallow_wide(target); }
  double max_score_wide() override { return approximation_->max_score_wide(); }
  double max_score_up_to(uint32_t upto) override { return approximation_->max_score_up_to(upto); }
  bool exact_bounds() const override { return approximation_->exact_bounds(); }
  // The score does not depend on the positions: the approximation prunes
  // by it, and matches() rejects a document that falls short before
  // reading positions.
  void set_min_competitive_score(double min) override {
    min_score_ = min;
    approximation_->set_min_competitive_score(min);
  }

 private:
  ScorerPtr approximation_;
  std::vector<TermScorer*> words_;  // owned by approximation_
  std::vector<size_t> word_of_;
  std::vector<uint32_t> group_;  // per query word: the first query word equal to it
  Kind kind_;
  uint32_t window_;
  double min_score_ = 0;
  // Scratch space: each distinct word's positions, and each query word's.
  std::vector<PositionList> word_positions_;
  std::vector<PositionList> lists_;
};

}  // namespace dateline
