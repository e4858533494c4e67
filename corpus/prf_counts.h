// Precision, recall and F1 from counts: the one definition behind every
// extraction score (corpus/extract_eval.h's fields and quotations,
// corpus/ner.h's exact spans).
#pragma once

#include <cstdint>

namespace dateline {

struct PrfCounts {
  uint64_t tp = 0, fp = 0, fn = 0;
  // With nothing predicted (or nothing to find), precision (recall) is 1:
  // no prediction was wrong (nothing was missed).
  double precision() const { return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 1.0; }
  double recall() const { return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 1.0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
};

}  // namespace dateline
