// dateline train-ner: trains the named-entity tagger (corpus/ner.h) on a
// CoNLL file and writes the model that corpus/data/ner/ compiles in.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "cli/commands.h"
#include "corpus/extract_eval.h"
#include "corpus/ner.h"
#include "corpus/reader.h"
#include "corpus/word_clusters.h"

namespace dateline::cli {

namespace {

struct TrainArgs {
  std::string train, dev, out;
  int epochs = 8;
  uint64_t seed = 1;
  uint32_t models = 1;  // trained with seeds seed, seed + 1, ..., averaged
  uint32_t min_models = 1;  // features of fewer of them are dropped
  double min_weight = 0.01;
  uint32_t min_updates = 2;
  std::vector<std::string> unlabeled;
  std::vector<std::string> exclude;  // gold files whose articles the clusters must not read
  uint32_t min_count = 10;
  std::string embeddings;  // GloVe text format: a word and its floats per line, most frequent first
  size_t embedding_words = 100000;
  unsigned embedding_levels = kClusterLevels;
};

// Word clusters from the training sentences and the unlabeled articles
// (titles and bodies); none when min_count is 0.
WordClusters learn_clusters(const TrainArgs& a, const std::vector<NerSentence>& train) {
  if (a.min_count == 0) return {};
  std::vector<std::vector<std::string>> texts;
  for (const NerSentence& s : train) texts.push_back(s.words);
  std::unordered_set<std::string> excluded;
  for (const std::string& path : a.exclude)
    for (const GoldArticle& g : read_gold_file(path)) excluded.insert(g.id);
  size_t articles = 0, left_out = 0;
  if (!a.unlabeled.empty())
    read_articles(
        a.unlabeled,
        [&](Article&& art) {
          if (excluded.count(art.id)) {
            ++left_out;
            return;
          }
          ++articles;
          texts.push_back(cluster_words(art.title));
          texts.push_back(cluster_words(art.body));
        },
        [](const Diagnostic&) {});
  const WordClusters c = WordClusters::learn(texts, a.min_count);
  std::fprintf(stderr, "clusters: %zu words (seen %u times or more) from %zu sentences and %zu articles (%zu left out)\n",
               c.size(), a.min_count, train.size(), articles, left_out);
  return c;
}

// Clusters of the first `embedding_words` vectors of a GloVe-format file (a
// word, then its numbers, per line); none without a file.
WordClusters embedding_clusters(const TrainArgs& a) {
  if (a.embeddings.empty()) return {};
  std::ifstream in(a.embeddings);
  if (!in) throw std::runtime_error("cannot read " + a.embeddings);
  std::vector<std::string> words;
  std::vector<float> vectors;
  size_t dims = 0, line_no = 0;
  for (std::string line; words.size() < a.embedding_words && std::getline(in, line);) {
    ++line_no;
    std::istringstream fields(line);
    std::string word;
    fields >> word;
    size_t n = 0;
    for (float v; fields >> v; ++n) vectors.push_back(v);
    if (dims == 0) dims = n;
    if (word.empty() || n == 0 || n != dims || !fields.eof())
      throw std::runtime_error(a.embeddings + ":" + std::to_string(line_no) + ": expected a word and " +
                               std::to_string(dims) + " numbers");
    words.push_back(word);
  }
  WordClusters c = WordClusters::of_vectors(words, std::move(vectors), dims, a.embedding_levels);
  std::fprintf(stderr, "embedding clusters: %zu words of %s (%zu dimensions)\n", c.size(), a.embeddings.c_str(), dims);
  return c;
}

void print_scores(const char* what, const std::vector<NerSpanScore>& s) {
  static const char* kTypes[] = {"PER", "ORG", "LOC", "MISC", "PER+ORG+LOC"};
  for (size_t t = 0; t < s.size(); ++t)
    std::printf("  %-5s %-12s P %.4f R %.4f F1 %.4f\n", what, kTypes[t], s[t].precision(), s[t].recall(), s[t].f1());
}

int run_train(const TrainArgs& a) {
  std::vector<NerSentence> train, dev;
  try {
    train = read_conll(a.train);
    if (!a.dev.empty()) dev = read_conll(a.dev);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dateline train-ner: error: %s\n", e.what());
    return 1;
  }
  NerClusters clusters;
  try {
    clusters = {learn_clusters(a, train), embedding_clusters(a)};
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dateline train-ner: error: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "training on %zu sentences, %d epochs\n", train.size(), a.epochs);
  const auto progress = [&](int epoch, const NerModel& m) {
    std::printf("epoch %d: %zu features\n", epoch, m.features());
    if (!dev.empty()) print_scores("dev", score_ner(m, dev));
    std::fflush(stdout);
  };
  std::vector<NerModel> models;
  for (uint64_t k = 0; k < a.models; ++k) {
    models.push_back(NerModel::train(train, a.epochs, a.seed + k, a.min_weight, a.min_updates, progress, clusters));
    if (a.models > 1 && !dev.empty()) print_scores("model", score_ner(models.back(), dev));
  }
  const NerModel model = a.models == 1 ? std::move(models.front()) : NerModel::average(models, a.min_models);
  const std::string bytes = model.to_bytes();
  // What is written is what is scored: weights in 8-bit steps.
  if (!dev.empty()) print_scores("saved", score_ner(NerModel::from_bytes(bytes), dev));
  std::ofstream out(a.out, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "dateline train-ner: error: cannot write %s\n", a.out.c_str());
    return 1;
  }
  std::printf("wrote %s: %zu features, %zu bytes\n", a.out.c_str(), model.features(), bytes.size());
  return 0;
}

}  // namespace

Runner add_train_ner_command(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* sub = app.add_subcommand("train-ner", "Train the named-entity tagger on CoNLL data (TOKEN TAG per line)");
  sub->add_option("--train", a->train, "Training file, e.g. ../shared/corpora/conll2003/train.txt")->required();
  sub->add_option("--dev", a->dev, "Development file, scored after every epoch");
  sub->add_option("--out,-o", a->out, "Where to write the model (corpus/data/ner/model.bin is compiled in)")->required();
  sub->add_option("--epochs", a->epochs, "Passes over the training data (default 8)")->check(CLI::Range(1, 100));
  sub->add_option("--seed", a->seed, "Seed of the sentence order (default 1)");
  sub->add_option("--models", a->models,
                  "Train this many models, with seeds --seed, --seed + 1, ..., and average their weights (default 1)")
      ->check(CLI::Range(1u, 20u));
  sub->add_option("--min-models", a->min_models,
                  "With --models: keep only the features that at least this many of the models have (default 1)")
      ->check(CLI::Range(1u, 20u));
  sub->add_option("--min-updates", a->min_updates, "Drop features that took part in fewer mistakes (default 2: a model a third the size, dev F1 -0.002)");
  sub->add_option("--unlabeled", a->unlabeled, "Articles (files or directories, as 'index' reads) whose text the word clusters also learn from");
  sub->add_option("--exclude-gold", a->exclude,
                  "Gold files (JSONL with ids, e.g. the held-out sets) whose articles the clusters do not read, so that a "
                  "held-out score stays held out")
      ->check(CLI::ExistingFile);
  sub->add_option("--min-count", a->min_count, "Words seen fewer times get no cluster (default 10; 0: no clusters)");
  sub->add_option("--embeddings", a->embeddings,
                  "Pre-trained word vectors in GloVe's text format (a word and its numbers per line, most frequent "
                  "first; scripts/make-glove-vectors.py writes one), clustered as features")
      ->check(CLI::ExistingFile);
  sub->add_option("--embedding-words", a->embedding_words, "How many of the vectors' words to cluster (default 100000)");
  sub->add_option("--embedding-levels", a->embedding_levels,
                  "How many times k-means splits the vectors' words in 8 (default 4)")
      ->check(CLI::Range(1u, kMaxClusterLevels));
  sub->add_option("--min-weight", a->min_weight, "Drop features whose averaged weights are all below this (default 0.01)");
  return [a] { return run_train(*a); };
}

}  // namespace dateline::cli
