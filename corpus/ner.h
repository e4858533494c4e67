// A named-entity tagger learned from data: an averaged perceptron (Collins
// 2002) over word features, tagging words left to right (BILOU tags,
// answered as BIO labels) for people, organisations, places and other names
// (CoNLL-2003's PER, ORG, LOC, MISC). Features: the word, its shape, affixes
// and capitalisation, the words and shapes around it, the two tags before
// it, the extractor's own
// knowledge as features (gazetteer matches, title words, organisation
// words, speech verbs: corpus/data/), word clusters learnt from unlabeled
// text (corpus/word_clusters.h), and, in a second pass over a document, how
// the first pass labelled the same word elsewhere in it and which words
// stand around it there. `dateline
// train-ner` trains a model on CoNLL-2003's training file; the model trained
// by the project is compiled in (corpus/data/ner/, its model card MODEL.md).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/prf_counts.h"
#include "corpus/word_clusters.h"

namespace dateline {

// BIO labels; kNerLabels of them.
enum class NerLabel : uint8_t { O, BPer, IPer, BOrg, IOrg, BLoc, ILoc, BMisc, IMisc };
inline constexpr size_t kNerLabels = 9;
std::string_view ner_label_name(NerLabel l);  // "O", "B-PER", ...
// "B-PER" -> BPer; nullopt-like: returns false for an unknown name.
bool parse_ner_label(std::string_view name, NerLabel& out);

// An entity in a label sequence: words [first, last] of one type (0 PER,
// 1 ORG, 2 LOC, 3 MISC). A stray I- label starts an entity.
struct NerSpan {
  uint32_t first = 0, last = 0;
  int type = 0;
  bool operator==(const NerSpan&) const = default;
};
std::vector<NerSpan> ner_spans(const std::vector<NerLabel>& labels);

// The classes the model tells apart: O and, for each type, B- (first word),
// I- (inside), L- (last word) and U- (a one-word name): BILOU, which learns
// the ends of names better than BIO (Ratinov & Roth 2009). The tagger
// answers in BIO.
inline constexpr size_t kNerTags = 17;

// One sentence: its words as written, (for training and scoring) labels,
// and the number of its document (consecutive sentences of one number).
struct NerSentence {
  std::vector<std::string> words;
  std::vector<NerLabel> labels;
  uint32_t doc = 0;
};

// Reads a CoNLL file (TOKEN TAG per line, a blank line between sentences).
// Each "-DOCSTART-" line starts a document; a file without them (CoNLL-2003
// train and dev as distributed here) starts one at the sentence before each
// dateline ("BRUSSELS 1996-08-22"), its headline. Throws std::runtime_error
// naming file:line.
std::vector<NerSentence> read_conll(const std::string& path);

// The word clusters a model keeps (corpus/word_clusters.h), each a source
// of features, either may be empty: learnt from the neighbours of words in
// unlabeled text (`context`), and from pre-trained word vectors
// (`embedding`: GloVe, learnt from billions of words of Wikipedia and
// newswire).
struct NerClusters {
  WordClusters context, embedding;
};

class NerModel {
 public:
  NerModel();
  // The model compiled into the binary (empty if the build has none).
  static const NerModel& builtin();
  // A model written by to_bytes(); throws std::runtime_error if malformed.
  static NerModel from_bytes(std::string_view bytes);
  std::string to_bytes() const;

  bool empty() const { return size_ == 0; }
  size_t features() const { return size_; }
  // The labels of `words` (one sentence, a document of its own), left to
  // right, I- labels only after B- or I- of the same type.
  std::vector<NerLabel> tag(const std::vector<std::string>& words) const;
  // The labels of a document's sentences, in two passes: the first tags each
  // sentence alone; the second retags the sentences with a capitalised word
  // that the first pass labelled elsewhere in the document, seeing those
  // labels (the type the word got most, where in a name, which types).
  std::vector<std::vector<NerLabel>> tag_document(const std::vector<std::vector<std::string>>& sentences) const;

  // Training: first, for the document features, the first pass's labels of
  // each training document by a model trained on the other folds (5 folds of
  // documents); then `epochs` passes over `train` in a shuffled order
  // (seeded), each sentence learnt without and with its document features;
  // after each, `progress(epoch, model)` with the averaged weights so far (to
  // score a development set). Features whose averaged weights all stay
  // below `min_weight` in magnitude, or that took part in fewer than
  // `min_updates` mistakes, are dropped from the result.
  // `clusters` (kept in the model) give each word its cluster as features.
  static NerModel train(const std::vector<NerSentence>& train, int epochs, uint64_t seed, double min_weight,
                        uint32_t min_updates = 1, const std::function<void(int, const NerModel&)>& progress = {},
                        const NerClusters& clusters = {});
  const NerClusters& clusters() const { return clusters_; }
  // The mean of models trained alike (the same clusters; another seed):
  // each feature's weights summed over the models and divided by their
  // number, keeping only the features at least `min_models` of them have
  // (a smaller model). Empty input gives an empty model.
  static NerModel average(const std::vector<NerModel>& models, size_t min_models = 1);

 private:
  friend class NerTrainer;
  // Open addressing: the features' 32-bit hashes (0: an empty slot) in one
  // array, probed without touching the weights, which sit in a parallel
  // array (kNerTags to a slot): many of a word's features are not in the
  // model, and their probes stay in a table a tenth the size.
  std::vector<uint32_t> keys_;
  std::vector<float> weights_;
  size_t size_ = 0;
  // A model read from bytes keeps its weights as they are stored, in 16-bit
  // steps of step_ (half the memory the probes' hits touch), not as floats.
  std::vector<int16_t> steps_;
  float step_ = 0;
  float* weights_of(size_t slot) { return weights_.data() + slot * kNerTags; }
  const float* weights_of(size_t slot) const { return weights_.data() + slot * kNerTags; }
  float weight(size_t slot, size_t label) const;
  // Float weights -> steps of `step` (after reading; no insert() after it).
  void freeze(float step);
  NerClusters clusters_;
  // The slot of a feature, or SIZE_MAX (a model with no features has no slots: not called).
  size_t find(uint64_t key) const;
  // Adds the weights of the features `feats` to `out`, in their order: the
  // table slots are prefetched first, so that the probes' cache misses
  // overlap instead of following one another.
  void add_weights(const std::vector<uint64_t>& feats, std::array<float, kNerTags>& out) const;
  float* insert(uint64_t key);
};

// Exact-span scores of a tagger against gold labels (conlleval): an entity
// counts when its type and both ends are right.
using NerSpanScore = PrfCounts;
// Per type PER, ORG, LOC, MISC (index 0..3), and [4] over PER, ORG and LOC.
std::vector<NerSpanScore> score_ner(const NerModel& model, const std::vector<NerSentence>& gold);
// The model's labels of each sentence, tagged document by document (as
// score_ner() sees them).
std::vector<std::vector<NerLabel>> tag_sentences(const NerModel& model, const std::vector<NerSentence>& sentences);

}  // namespace dateline
