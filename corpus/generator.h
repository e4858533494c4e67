// Synthetic news corpora of any size, learnt from a real one.
//
// A CorpusGenerator trains a word-level Markov chain (order 2, backing off to
// order 1 and unigrams, Witten-Bell style) on the titles and bodies of a
// training corpus, and then writes articles that read like it:
//
//   - Vocabulary: surface tokens of the training text (case and punctuation
//     kept), so common words and phrases keep their Zipfian frequencies and
//     real bigrams and trigrams recur. Rare training words are sometimes
//     replaced by synthetic words drawn from an unbounded power-law
//     vocabulary, so the number of distinct terms keeps growing with the
//     corpus (Heaps' law) instead of stopping at the training vocabulary.
//     Trained on Reuters-21578: ~54 k distinct lower-cased words at 10 k
//     articles, ~128 k at 100 k, ~390 k at 1 M.
//   - Title: 5-12 tokens from the chain's title starts.
//   - Body: 80-600 words (log-normal around ~250), paragraphs of 2-5
//     sentences separated by "\n\n"; sentences end where the chain emits
//     ".", "!" or "?", or are cut at 40 words.
//   - Date: 2000-01-01..2026-12-31 (first_year..last_year), density rising
//     linearly so recent years hold more articles.
//   - Speakers: 0-3 per article from a fixed pool of ~20,000 synthetic full
//     names, Zipf(1.1) by rank; each is quoted in the body at least once
//     ("<Name> said ..." or "\"...,\" said <Name>.").
//   - Entities: 1-8 per article from a fixed pool of real countries,
//     capitals and international organisations plus synthetic companies,
//     Zipf(1.1) by rank; each is mentioned in the body at least once.
//   - Ids: "syn-<seed>-<index>", the index zero-padded to 8 digits.
//
//   - Titles of an ALL-CAPS training corpus (Reuters) are learnt in the
//     casing their words have in the bodies.
//
// Determinism: article i depends only on (seed, i, training articles in
// order): the same seed and training files give byte-identical output (for a
// given build and C math library), a corpus of N articles is a prefix of one
// of M > N articles, and articles can be produced in any order or in
// parallel. The name and entity pools do not depend on the seed, so corpora
// made with different seeds share people and organisations. Entities carry
// their type (Place or Organization); the JSON gives {"name","type"}.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "corpus/article.h"
#include "corpus/reader.h"

namespace dateline {

struct GeneratorOptions {
  uint64_t docs = 1000;                  // how many articles generate_all() makes
  uint64_t seed = 1;
  std::vector<std::string> train_paths;  // files or directories, read with read_articles()
  int first_year = 2000;
  int last_year = 2026;
  // About this fraction of the tokens are synthetic words, put where the
  // chain emits a rare training word (seen at most 3 times); 0 keeps the
  // training vocabulary closed.
  double rare_word_rate = 0.01;
};

struct TrainingStats {
  uint64_t articles = 0;         // training articles read
  uint64_t tokens = 0;           // training tokens (words and punctuation)
  uint64_t distinct_tokens = 0;  // training vocabulary
  uint64_t contexts = 0;         // order-2 contexts in the model
  uint64_t read_errors = 0;      // training records that could not be read
  double seconds = 0;            // reading + training
};

class CorpusGenerator {
 public:
  // Trains on options.train_paths (read_articles(); `diag` receives its
  // warnings and errors). Throws std::runtime_error when the training data
  // holds no text.
  explicit CorpusGenerator(GeneratorOptions options, const DiagnosticSink& diag = {});
  // Trains on the given articles instead of reading train_paths.
  CorpusGenerator(GeneratorOptions options, const std::vector<Article>& training);
  ~CorpusGenerator();
  CorpusGenerator(const CorpusGenerator&) = delete;
  CorpusGenerator& operator=(const CorpusGenerator&) = delete;

  const GeneratorOptions& options() const { return options_; }
  const TrainingStats& training() const { return stats_; }

  // Article number `index` (0-based) of this seed; `out` is overwritten
  // (its buffers are reused).
  void article(uint64_t index, Article& out) const;
  Article article(uint64_t index) const {
    Article a;
    article(index, a);
    return a;
  }
  // Articles 0..n-1, in order.
  void generate(uint64_t n, const std::function<void(const Article&)>& sink) const;
  void generate_all(const std::function<void(const Article&)>& sink) const { generate(options_.docs, sink); }

 private:
  struct Impl;
  GeneratorOptions options_;
  TrainingStats stats_;
  std::unique_ptr<Impl> impl_;
};

// One JSON Lines record (without the newline):
// {"id","date","title","body","speakers","entities"}.
std::string article_to_jsonl(const Article& article);

}  // namespace dateline
