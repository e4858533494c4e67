// Words and phrases inside one quotation (`quote:`, `said:NAME(...)`): a
// two-phase scorer. The approximation is the conjunction of the quotation
// markers (common/fields.h: kQuoteMarker, quote_speaker_marker) and the
// operand's positive part (its NOT parts left out, so no document that
// matches inside a quotation is lost); matches() reads the markers' spans and
// the words' positions and evaluates the operand inside each span: every
// word of an AND, a phrase's every word, must lie in the same quotation.
// The score is the approximation's (the markers score 0).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "indexer/posting_cursor.h"
#include "searcher/position_match.h"
#include "searcher/query/scorer.h"
#include "searcher/query/span_node.h"

namespace dateline {

class WithinScorer final : public Scorer {
 public:
  // `markers`: the cursors of the marker terms (all present in the
  // segment); `words`: a cursor per distinct word of `tree` (nullopt: the
  // word is not in the segment).
  WithinScorer(ScorerPtr approximation, std::vector<PostingCursor> markers,
               std::vector<std::optional<PostingCursor>> words, SpanNode tree);

  uint32_t next() override { return doc_ = approximation_->next(); }
  uint32_t advance(uint32_t target) override { return doc_ = approximation_->advance(target); }
  bool matches() override;
  double match_cost() const override { return 4.0 + static_cast<double>(words_.size()); }
  uint64_t cost() const override { return approximation_->cost(); }
  double score() override { return approximation_->score(); }
  double max_score() const override { return approximation_->max_score(); }
  uint32_t advance_shallow(uint32_t target) override { return approximation_->advance_shallow(target); }
  uint32_t advance_shallow_wide(uint32_t target) override { return approximation_->advance_shallow_wide(target); }
  double max_score_wide() override { return approximation_->max_score_wide(); }
  double max_score_up_to(uint32_t upto) override { return approximation_->max_score_up_to(upto); }
  void set_min_competitive_score(double min) override { approximation_->set_min_competitive_score(min); }

 private:
  // The spans [first, last] of the current document's quotations that
  // every marker has.
  void load_spans();

  ScorerPtr approximation_;
  std::vector<PostingCursor> markers_;
  std::vector<std::optional<PostingCursor>> words_;
  SpanNode tree_;
  std::vector<std::pair<uint32_t, uint32_t>> spans_, other_;
  std::vector<PositionList> positions_;  // per distinct word, in the current document
};

}  // namespace dateline
