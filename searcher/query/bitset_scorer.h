// A set of documents held as a bitset (for instance the many rare words a
// prefix expands to, gathered once instead of merged cursor by cursor).
// No score.
#pragma once

#include <bit>
#include <vector>

#include "searcher/query/scorer.h"

namespace dateline {

class BitsetScorer final : public Scorer {
 public:
  // bits: ceil(docs / 64) words, bit d of word d / 64 set for document d.
  BitsetScorer(std::vector<uint64_t> bits, uint64_t count) : bits_(std::move(bits)), count_(count) { seek(0); }

  uint32_t next() override { return doc_ == kEnd ? kEnd : seek(doc_ + 1); }
  uint32_t advance(uint32_t target) override { return doc_ != kEnd && doc_ >= target ? doc_ : seek(target); }
  uint64_t cost() const override { return count_; }
  double score() override { return 0; }
  double max_score() const override { return 0; }

 private:
  uint32_t seek(uint64_t d) {
    size_t w = d / 64;
    if (w >= bits_.size()) return doc_ = kEnd;
    uint64_t word = bits_[w] & (~uint64_t{0} << (d % 64));
    while (word == 0) {
      if (++w == bits_.size()) return doc_ = kEnd;
      word = bits_[w];
    }
    return doc_ = static_cast<uint32_t>(w * 64 + std::countr_zero(word));
  }

  std::vector<uint64_t> bits_;
  uint64_t count_;
};

}  // namespace dateline
