// Okapi BM25 with Lucene's non-negative idf.
#pragma once

#include <cmath>
#include <cstdint>

namespace dateline {

struct Bm25Scorer {
  double k1 = 1.2;
  double b = 0.75;
  double avg_length = 1.0;  // average document (title + body) length
  uint64_t docs = 0;        // documents in the whole index

  double idf(uint64_t df) const {
    return std::log(1.0 + (static_cast<double>(docs) - df + 0.5) / (static_cast<double>(df) + 0.5));
  }
  // Contribution of one term occurring `tf` times in a document of `length`:
  // idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg_length)),
  // its constant parts grouped so that a loop over documents hoists them
  // and divides once per document. Every score and bound comes from here,
  // so the grouping is the same everywhere.
  double score(double idf, uint32_t tf, uint32_t length) const {
    const double norm = k1 * (1.0 - b) + k1 * b / avg_length * length;
    return idf * (k1 + 1.0) * tf / (tf + norm);
  }
};

}  // namespace dateline
