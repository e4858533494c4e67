// Every document of a segment (the left side of a query of only excluded
// clauses). No score.
#pragma once

#include "searcher/query/scorer.h"

namespace dateline {

class MatchAllScorer final : public Scorer {
 public:
  explicit MatchAllScorer(uint32_t docs) : docs_(docs) { doc_ = docs ? 0 : kEnd; }

  uint32_t next() override { return doc_ = doc_ == kEnd || doc_ + 1 >= docs_ ? kEnd : doc_ + 1; }
  uint32_t advance(uint32_t target) override {
    if (doc_ != kEnd && doc_ < target) doc_ = target < docs_ ? target : kEnd;
    return doc_;
  }
  uint64_t cost() const override { return docs_; }
  double score() override { return 0; }
  double max_score() const override { return 0; }

 private:
  uint32_t docs_;
};

// No document (a term the segment lacks).
class EmptyScorer final : public Scorer {
 public:
  EmptyScorer() { doc_ = kEnd; }
  uint32_t next() override { return kEnd; }
  uint32_t advance(uint32_t) override { return kEnd; }
  uint64_t cost() const override { return 0; }
  double score() override { return 0; }
  double max_score() const override { return 0; }
};

}  // namespace dateline
