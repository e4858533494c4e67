// Word clusters learnt from unlabeled text, for the named-entity tagger
// (corpus/ner.h): words that occur between similar neighbours share a
// cluster ("monday" with "tuesday", "corp" with "inc"). Each word (ASCII
// folded) is a vector of its left and right neighbours among the most
// frequent words, and spherical k-means splits the vocabulary
// kClusterLevels times in kClusterBranches, so a cluster is a path of
// branches, whose prefixes are coarser clusters. Words are kept as 32-bit
// hashes only (the text they were learnt from stays out of the model).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

inline constexpr unsigned kClusterBranches = 8, kClusterLevels = 4, kMaxClusterLevels = 5;

class WordClusters {
 public:
  // Learns from texts, each a sequence of words (folded to lower case here);
  // words seen fewer than `min_count` times get no cluster. Deterministic.
  static WordClusters learn(const std::vector<std::vector<std::string>>& texts, uint32_t min_count);
  // Clusters of given word vectors (pre-trained embeddings such as GloVe):
  // `words` (lower case, most frequent first) and their vectors, `dims`
  // floats each, row after row; spherical k-means as learn(). Deterministic.
  static WordClusters of_vectors(const std::vector<std::string>& words, std::vector<float> vectors, size_t dims,
                                 unsigned levels = kClusterLevels);

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // How many times the vocabulary was split (kClusterLevels unless given).
  unsigned levels() const { return levels_; }
  // The cluster of a lower-case word: 1 + its path, the branch of level l
  // (0 the top) in bits 3l..3l+2; 0 for a word without one.
  uint16_t of(std::string_view lower) const;

  // Appends the clusters to `out`; read() takes them back from the front of
  // `in`, consuming them (throws std::runtime_error if malformed).
  void write(std::string& out) const;
  static WordClusters read(std::string_view& in);

 private:
  static WordClusters from_paths(const std::vector<std::string>& words, const std::vector<uint16_t>& paths,
                                 unsigned levels);
  // Adds a word's 1 + path unless its hash is there already (the first of
  // two words with one hash keeps it).
  void add(uint32_t hash, uint16_t path);

  unsigned levels_ = kClusterLevels;
  size_t size_ = 0;
  // Open addressing, word hash -> 1 + path: hashes and their paths in two
  // arrays (a path of 0: an empty slot), at most half full.
  std::vector<uint32_t> keys_;
  std::vector<uint16_t> paths_;
};

// Splits text into the words the tagger sees (CoNLL-style tokens, lower case):
// runs of letters, digits and inner . - ' &; punctuation marks on their own.
std::vector<std::string> cluster_words(std::string_view text);

}  // namespace dateline
