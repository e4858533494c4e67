// Deterministic inputs shared by the microbenchmarks.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace dateline::micro {

// `n` ascending doc ids with average gap `gap` (deterministic).
inline std::vector<uint32_t> ascending_docs(size_t n, uint32_t gap, uint32_t seed = 7) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<uint32_t> d(1, 2 * gap - 1);
  std::vector<uint32_t> v(n);
  uint32_t x = 0;
  for (auto& e : v) e = x += d(rng);
  return v;
}

// News-like text: `words` words drawn from a small Zipfian vocabulary.
inline std::string news_text(size_t words, uint32_t seed = 11) {
  static const char* vocab[] = {"the", "said", "of", "to", "in", "a", "and", "bank", "rates", "market",
                                "minister", "Halvorsen", "percent", "trade", "oil", "prices", "North",
                                "Korea", "government", "negotiations", "“quoted”", "U.S.", "3.5", "year's"};
  std::mt19937 rng(seed);
  std::string s;
  for (size_t i = 0; i < words; ++i) {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    size_t k = static_cast<size_t>(u * u * u * (sizeof vocab / sizeof *vocab));
    s += vocab[k];
    s += (i % 17 == 16) ? ". " : " ";
  }
  return s;
}

}  // namespace dateline::micro
