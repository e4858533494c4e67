#include "corpus/ner.h"

#include <zstd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <random>
#include <stdexcept>
#include <unordered_map>

#include "common/varint.h"
#include "corpus/nlp.h"

namespace dateline {

using corpus_detail::kWConnector;
using corpus_detail::kWCorpSuffix;
using corpus_detail::kWFunction;
using corpus_detail::kWGazFirst;
using corpus_detail::kWMonthDay;
using corpus_detail::kWOrg;
using corpus_detail::kWSpeechStrong;
using corpus_detail::kWSpeechWeak;
using corpus_detail::kWStop;
using corpus_detail::kWTitleCore;
using corpus_detail::kWTitleMod;
using corpus_detail::kWUnnamed;

namespace {

constexpr std::string_view kLabelNames[kNerLabels] = {"O",     "B-PER", "I-PER",  "B-ORG", "I-ORG",
                                                      "B-LOC", "I-LOC", "B-MISC", "I-MISC"};

bool is_inside(NerLabel l) { return l == NerLabel::IPer || l == NerLabel::IOrg || l == NerLabel::ILoc || l == NerLabel::IMisc; }
// The entity type of a label: 0 PER, 1 ORG, 2 LOC, 3 MISC; -1 for O.
int type_of(NerLabel l) { return l == NerLabel::O ? -1 : (static_cast<int>(l) - 1) / 2; }

// The model's classes (kNerTags, BILOU): 0 is O, then 1 + 4 * type + part.
using Tag = uint8_t;
enum TagPart : uint8_t { kBegin, kInside, kLast, kUnit };
constexpr std::string_view kTagNames[kNerTags] = {"O",      "B-PER",  "I-PER",  "L-PER",  "U-PER",  "B-ORG",
                                                  "I-ORG",  "L-ORG",  "U-ORG",  "B-LOC",  "I-LOC",  "L-LOC",
                                                  "U-LOC",  "B-MISC", "I-MISC", "L-MISC", "U-MISC"};
int tag_type(Tag t) { return t == 0 ? -1 : (t - 1) / 4; }
TagPart tag_part(Tag t) { return static_cast<TagPart>((t - 1) % 4); }
Tag make_tag(int type, TagPart part) { return static_cast<Tag>(1 + 4 * type + part); }
// I- and L- only continue a name of their type begun by B- (and perhaps
// I-). Nothing forces an open name to go on: a B- the next word does not
// continue is read as a one-word name (to_labels()); forcing it cost 0.01
// of F1 on CoNLL-2003's development set.
bool opens(Tag t) { return t != 0 && (tag_part(t) == kBegin || tag_part(t) == kInside); }
bool allowed(Tag prev, Tag t) {
  const bool continues = t != 0 && (tag_part(t) == kInside || tag_part(t) == kLast);
  return !continues || (opens(prev) && tag_type(prev) == tag_type(t));
}

// BIO labels -> BILOU tags (a stray I- starts a name, as in ner_spans()).
std::vector<Tag> to_tags(const std::vector<NerLabel>& l) {
  std::vector<Tag> out(l.size(), 0);
  for (size_t i = 0; i < l.size(); ++i) {
    const int t = type_of(l[i]);
    if (t < 0) continue;
    const bool begins = !is_inside(l[i]) || i == 0 || type_of(l[i - 1]) != t;
    const bool goes_on = i + 1 < l.size() && is_inside(l[i + 1]) && type_of(l[i + 1]) == t;
    out[i] = make_tag(t, begins ? (goes_on ? kBegin : kUnit) : (goes_on ? kInside : kLast));
  }
  return out;
}

// BILOU tags -> BIO labels.
std::vector<NerLabel> to_labels(const std::vector<Tag>& tags) {
  std::vector<NerLabel> out(tags.size(), NerLabel::O);
  for (size_t i = 0; i < tags.size(); ++i)
    if (tags[i] != 0) {
      const bool begins = tag_part(tags[i]) == kBegin || tag_part(tags[i]) == kUnit;
      out[i] = static_cast<NerLabel>(1 + 2 * tag_type(tags[i]) + (begins ? 0 : 1));
    }
  return out;
}

// ---------------------------------------------------------------------------
// Features

// "Xxxx" -> "Xx", "IBM" -> "X", "1996-08-22" -> "d-d-d": character classes,
// runs collapsed.
std::string shape(std::string_view w) {
  std::string s;
  for (size_t i = 0; i < w.size(); ++i) {
    const auto c = static_cast<unsigned char>(w[i]);
    char k = c >= 'A' && c <= 'Z' ? 'X' : c >= 'a' && c <= 'z' ? 'x' : c >= '0' && c <= '9' ? 'd' : c >= 0x80 ? 'u' : static_cast<char>(c);
    if (s.empty() || s.back() != k) s.push_back(k);
  }
  return s;
}

std::string ascii_lower(std::string_view w) {
  std::string s(w);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool all_upper(std::string_view w) {
  bool letter = false;
  for (char c : w) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') letter = true;
  }
  return letter;
}

// A sentence written in capitals (a headline): most words with letters are.
bool shouting(const std::vector<std::string>& words) {
  size_t upper = 0, letters = 0;
  for (const std::string& w : words)
    if (std::any_of(w.begin(), w.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); })) {
      ++letters;
      upper += all_upper(w);
    }
  return letters >= 3 && upper * 10 >= letters * 8;
}

// Document memory: how the first pass labelled a capitalised word (folded)
// elsewhere in the document: per type (PER, ORG, LOC, MISC) as a one-word
// name, the first word of a longer one, or a later word; and as no name.
constexpr size_t kDocSlots = 13, kDocO = 12;
// Also the words around each of its occurrences, lower-cased: the one
// before, the one after, the second before, the second after (views of the
// sentences' WordInfo, which outlive the memory).
struct DocWord {
  std::array<uint16_t, kDocSlots> n{};
  std::vector<std::array<std::string_view, 4>> around;
};
using DocMemory = std::unordered_map<std::string, DocWord>;
// What the rest of the document says about one occurrence of a word: the
// votes of the others, and the word's memory (its own context is skipped).
struct DocVotes {
  std::array<uint16_t, kDocSlots> n{};
  const DocWord* word = nullptr;
};

bool capitalised(std::string_view w) { return !w.empty() && w[0] >= 'A' && w[0] <= 'Z'; }

// The memory slot of a tag: kDocO, or type * 3 + (0 alone, 1 first, 2 later).
size_t doc_slot(Tag t) {
  if (t == 0) return kDocO;
  const TagPart p = tag_part(t);
  return static_cast<size_t>(tag_type(t)) * 3 + (p == kUnit ? 0 : p == kBegin ? 1 : 2);
}

// What the extractor's data says about each word of a sentence.
struct WordInfo {
  std::string lower, shape;
  bool first_name = false;
  std::string gaz;  // "B-place", "I-org", "B-nat" or "" (the longest gazetteer name over the word)
  uint32_t flags = 0;
  uint16_t cluster = 0, embedding = 0;  // WordClusters::of, the context and the embedding clusters
};

// The word classes that are features (corpus/nlp.h's WordFlag bits).
constexpr uint32_t kTitle = kWTitleCore | kWTitleMod, kCorpSuffix = kWCorpSuffix, kSpeech = kWSpeechStrong | kWSpeechWeak,
                   kFunction = kWFunction;
constexpr uint32_t kFeatureFlags = kWStop | kWFunction | kWMonthDay | kWTitleCore | kWTitleMod | kWOrg | kWCorpSuffix |
                                   kWConnector | kWUnnamed | kWSpeechStrong | kWSpeechWeak;

std::string_view without_dot(std::string_view l) {
  if (l.size() > 2 && l.back() == '.') l.remove_suffix(1);
  return l;
}

// Marks the longest names of a list over the words, left to right, where no
// name is marked yet: info[k].gaz = "B-" or "I-" and the kind. `starts(i)`:
// the most words a name starting at word i can have (0: none starts there);
// `kind_of(key, upper)`: the kind of the name `key` (the words lower-cased,
// without a final dot, accent-folded, joined by spaces; `upper` if all were
// written in capitals), or nullptr.
template <class Starts, class KindOf>
void mark_longest(const std::vector<std::string>& words, std::vector<WordInfo>& info, Starts starts, KindOf kind_of) {
  using namespace corpus_detail;
  for (size_t i = 0; i < words.size();) {
    size_t taken = 0;
    const size_t most = starts(i);
    if (most == 0) {
      ++i;
      continue;
    }
    for (size_t n = std::min(most, words.size() - i); n >= 1 && !taken; --n) {
      std::string key;
      bool upper = true, free = true;
      for (size_t k = i; k < i + n; ++k) {
        key.append(k > i ? " " : "").append(without_dot(info[k].lower));
        upper = upper && all_upper(words[k]);
        free = free && info[k].gaz.empty();
      }
      if (!free) continue;
      if (const char* kind = kind_of(fold_key(key), upper)) {
        for (size_t k = i; k < i + n; ++k) info[k].gaz = std::string(k == i ? "B-" : "I-") + kind;
        taken = n;
      }
    }
    i += taken ? taken : 1;
  }
}

std::vector<WordInfo> word_info(const std::vector<std::string>& words, const NerClusters& clusters) {
  using namespace corpus_detail;
  std::vector<WordInfo> info(words.size());
  std::vector<uint32_t> all_flags(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    WordInfo& w = info[i];
    w.lower = ascii_lower(words[i]);
    w.shape = shape(words[i]);
    w.cluster = clusters.context.of(w.lower);
    w.embedding = clusters.embedding.of(w.lower);
    const std::string_view l = without_dot(w.lower);
    const bool ascii = std::all_of(l.begin(), l.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    all_flags[i] = ascii ? word_flags(l) : word_flags(fold_key(l));
    w.flags = all_flags[i] & kFeatureFlags;
    w.first_name = l.size() > 1 && corpus_detail::is_first_name(l);
  }
  // The longest gazetteer name starting at each word, left to right; then,
  // among the words left, the longest city name (capitalised).
  const size_t gaz_words = gazetteer_max_words(), city_words = city_max_words();
  mark_longest(
      words, info, [&](size_t i) { return (all_flags[i] & kWGazFirst) ? gaz_words : 0; },
      [](const std::string& key, bool upper) -> const char* {
        const GazEntry* e = gazetteer_lookup(key, upper);
        if (!e) return nullptr;
        return e->kind == GazKind::Place ? "place" : e->kind == GazKind::Org ? "org" : "nat";
      });
  // A city name runs over capitalised words and short lower-case ones ("Dar es Salaam").
  mark_longest(
      words, info,
      [&](size_t i) -> size_t {
        if (!info[i].gaz.empty() || !capitalised(words[i]) || !starts_city(without_dot(info[i].lower))) return 0;
        size_t n = 1;
        while (n < city_words && i + n < words.size() &&
               (capitalised(words[i + n]) || (words[i + n].size() <= 3 && words[i + n][0] >= 'a' && words[i + n][0] <= 'z')))
          ++n;
        return n;
      },
      [](const std::string& key, bool) -> const char* { return is_city(key) ? "city" : nullptr; });
  return info;
}

// A sentence ready for tagging: its words and what the data says about
// them (and how many levels the embedding clusters have).
struct Prepared {
  const std::vector<std::string>* words = nullptr;
  std::vector<WordInfo> info;
  bool caps = false;
  unsigned embedding_levels = kClusterLevels;
};

Prepared prepare(const std::vector<std::string>& words, const NerClusters& clusters) {
  return {&words, word_info(words, clusters), shouting(words), clusters.embedding.levels()};
}

// A feature is a template letter and one or two values, hashed (64-bit
// FNV-1a over the letter, the values and a separator between them; never 0,
// the empty slot of the model's table).
class FeatureSink {
 public:
  explicit FeatureSink(std::vector<uint64_t>& out) : out_(out) {}
  void add(char tmpl, std::string_view a, std::string_view b = {}) {
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
    mix(static_cast<unsigned char>(tmpl));
    for (char c : a) mix(static_cast<unsigned char>(c));
    mix(0x1f);
    for (char c : b) mix(static_cast<unsigned char>(c));
    out_.push_back(((h ^ (h >> 32)) & 0xffffffffu) | 1);  // 32 bits: the model stores them so
  }

 private:
  std::vector<uint64_t>& out_;
};

// The document features of a word from the first pass's labels of the same
// word elsewhere in the document: the label type it got most, where in a
// name, the set of types it got.
void doc_features(const DocVotes& v, size_t i, std::string_view shape, std::string_view prev, std::string_view left,
                  std::string_view right, FeatureSink& f) {
  static constexpr std::string_view kType[5] = {"PER", "ORG", "LOC", "MISC", "O"};
  static constexpr std::string_view kPos[3] = {"alone", "first", "later"};
  std::array<uint32_t, 5> by_type{};
  for (size_t k = 0; k < kDocO; ++k) by_type[k / 3] += v.n[k];
  by_type[4] = v.n[kDocO];
  size_t best = 0;
  char seen[5];
  for (size_t t = 0; t < 5; ++t) {
    if (by_type[t] > by_type[best]) best = t;
    seen[t] = by_type[t] ? '1' : '0';
  }
  if (by_type[best] == 0) return;
  f.add('D', kType[best]);
  f.add('J', kType[best], i == 0 ? "first" : "rest");
  f.add('K', std::string_view(seen, 5));
  f.add('R', kType[best], shape);
  f.add('T', kType[best], prev);
  if (best < 4) {
    size_t pos = 0;
    for (size_t k = 1; k < 3; ++k)
      if (v.n[best * 3 + k] > v.n[best * 3 + pos]) pos = k;
    f.add('E', kType[best], kPos[pos]);
  }
  // The words around the word's other occurrences (context aggregation,
  // Ratinov & Roth 2009).
  bool own = false;
  size_t added = 0;
  for (const auto& [l, r, l2, r2] : v.word->around) {
    if (!own && l == left && r == right) {
      own = true;
      continue;
    }
    if (++added > 8) break;
    f.add('@', l);
    f.add('#', r);
    f.add('$', l2);
    f.add('%', r2);
  }
}

// The word d places from word i, or the edge of the sentence.
const WordInfo& neighbour(const std::vector<WordInfo>& info, size_t i, ptrdiff_t d) {
  static const WordInfo kEdge{"<s>", "<s>", false, "", 0, 0, 0};
  const ptrdiff_t j = static_cast<ptrdiff_t>(i) + d;
  return j >= 0 && j < static_cast<ptrdiff_t>(info.size()) ? info[static_cast<size_t>(j)] : kEdge;
}

// The word's cluster and its coarser prefixes (WordClusters), template
// `prefix`; the cluster three levels down (or fewer, if it has fewer) with
// the word's shape, template `with_shape`.
void cluster_features(uint16_t cluster, unsigned levels, std::string_view shape, char prefix, char with_shape,
                      FeatureSink& f) {
  const unsigned path = cluster - 1u;
  char digits[kMaxClusterLevels];
  for (unsigned l = 0; l < levels; ++l) {
    digits[l] = static_cast<char>('0' + ((path >> (3 * l)) & 7));
    f.add(prefix, std::string_view(digits, l + 1));
  }
  f.add(with_shape, std::string_view(digits, std::min(levels, 3u)), shape);
}

// The features of word i that do not depend on labels: the word, its
// neighbours, the data's knowledge, the clusters (appended to `out`).
void fixed_features(const Prepared& s, size_t i, std::vector<uint64_t>& out) {
  const std::vector<std::string>& words = *s.words;
  const std::vector<WordInfo>& info = s.info;
  const bool shouting = s.caps;
  FeatureSink f(out);
  const WordInfo& w = info[i];
  const WordInfo &m1 = neighbour(info, i, -1), &m2 = neighbour(info, i, -2);
  const WordInfo &n1 = neighbour(info, i, 1), &n2 = neighbour(info, i, 2);
  const std::string_view caps = shouting ? "S" : "s";
  f.add('b', "");
  f.add('w', w.lower);
  f.add('W', words[i]);
  f.add('s', w.shape, caps);
  f.add('i', i == 0 ? "first" : "rest", w.shape);
  for (size_t n = 1; n <= 3 && n < w.lower.size(); ++n) f.add('p', std::string_view(w.lower).substr(0, n));
  for (size_t n = 1; n <= 4 && n < w.lower.size(); ++n) f.add('x', std::string_view(w.lower).substr(w.lower.size() - n));
  f.add('<', m1.lower);
  f.add('>', n1.lower);
  f.add('{', m2.lower);
  f.add('}', n2.lower);
  f.add('(', m1.shape, w.shape);
  f.add(')', w.shape, n1.shape);
  f.add('[', m1.lower, w.lower);
  f.add(']', w.lower, n1.lower);
  f.add('g', w.gaz, caps);
  f.add('G', m1.gaz, n1.gaz);
  char wf[4], mf[4], nf[4];  // the flags' bytes
  std::memcpy(wf, &w.flags, 4);
  std::memcpy(mf, &m1.flags, 4);
  std::memcpy(nf, &n1.flags, 4);
  f.add('f', std::string_view(wf, 4));
  f.add('F', std::string_view(mf, 4), std::string_view(nf, 4));
  if (n1.flags & kSpeech || n2.flags & kSpeech) f.add('v', "speech-after", w.shape);
  if (m1.flags & kTitle) f.add('t', "title-before", w.shape);
  if (n1.flags & kCorpSuffix) f.add('c', "suffix-after", w.shape);
  if (m1.flags & kFunction) f.add('u', m1.lower, w.shape);
  if (w.first_name) f.add('a', "first-name", w.shape);
  if (m1.first_name) f.add('A', "after-first-name", w.shape);
  f.add('n', w.lower, n1.shape);
  f.add('N', m1.shape, n1.shape);
  f.add('q', m2.lower, m1.lower);
  f.add('Q', n1.lower, n2.lower);
  if (w.lower.size() > 5) f.add('X', std::string_view(w.lower).substr(w.lower.size() - 5));
  if (w.cluster) cluster_features(w.cluster, kClusterLevels, w.shape, 'y', 'Y', f);
  if (w.embedding) cluster_features(w.embedding, s.embedding_levels, w.shape, 'r', 'H', f);
  // The neighbours' clusters three levels down.
  const auto coarse = [](uint16_t c) { return static_cast<uint16_t>(c ? ((c - 1u) & 0x1ffu) + 1u : 0u); };
  const uint16_t mcl = coarse(m1.cluster), ncl = coarse(n1.cluster);
  char mc[2], nc[2];
  std::memcpy(mc, &mcl, 2);
  std::memcpy(nc, &ncl, 2);
  f.add('z', std::string_view(mc, 2), std::string_view(nc, 2));
  f.add('e', std::string_view(mc, 2), w.shape);
  f.add('j', w.shape, std::string_view(nc, 2));
  const uint16_t me = coarse(m1.embedding), ne = coarse(n1.embedding);
  std::memcpy(mc, &me, 2);
  std::memcpy(nc, &ne, 2);
  f.add('Z', std::string_view(mc, 2), std::string_view(nc, 2));
  f.add('I', std::string_view(mc, 2), w.shape);
  f.add('O', w.shape, std::string_view(nc, 2));
}

// The features of word i that depend on the two labels before it and
// (second pass) the document's votes on the word, or nullptr (appended).
void label_features(const std::vector<WordInfo>& info, size_t i, Tag p1, Tag p2, const DocVotes* doc,
                    std::vector<uint64_t>& out) {
  FeatureSink f(out);
  const WordInfo& w = info[i];
  const WordInfo& m1 = neighbour(info, i, -1);
  const std::string_view pl1 = kTagNames[p1], pl2 = kTagNames[p2];
  f.add('l', pl1);
  f.add('L', pl1, pl2);
  f.add('m', pl1, w.lower);
  f.add('M', pl1, w.shape);
  f.add('h', w.gaz, pl1);
  f.add('o', pl1, m1.lower);
  if (doc && doc->word) doc_features(*doc, i, w.shape, pl1, m1.lower, neighbour(info, i, 1).lower, f);
}

// All the features of word i (training).
void word_features(const Prepared& s, size_t i, Tag p1, Tag p2, const DocVotes* doc,
                   std::vector<uint64_t>& out) {
  out.clear();
  fixed_features(s, i, out);
  label_features(s.info, i, p1, p2, doc, out);
}

// ---------------------------------------------------------------------------
// Decoding


using TagScores = std::array<float, kNerTags>;

// The best-scoring tag allowed after p1.
Tag best_allowed(const TagScores& sc, Tag p1) {
  Tag best = 0;
  for (Tag k = 1; k < kNerTags; ++k)
    if (allowed(p1, k) && sc[k] > sc[best]) best = k;
  return best;
}

// Greedy, left to right: each word takes the best-scoring tag allowed
// after the one before. score(feats, scores) sums a feature list's weights;
// learn(i, feats, guess) sees every decision (training).
template <class Score, class Learn>
std::vector<Tag> decode(const Prepared& s, const std::vector<DocVotes>* doc, const Score& score, const Learn& learn) {
  std::vector<Tag> out;
  std::vector<uint64_t> feats;
  Tag p1 = 0, p2 = 0;
  const size_t n = s.words->size();
  for (size_t i = 0; i < n; ++i) {
    word_features(s, i, p1, p2, doc ? &(*doc)[i] : nullptr, feats);
    TagScores sc{};
    score(feats, sc);
    const Tag best = best_allowed(sc, p1);
    learn(i, feats, best);
    out.push_back(best);
    p2 = p1;
    p1 = best;
  }
  return out;
}

constexpr auto kNoLearning = [](size_t, const std::vector<uint64_t>&, size_t) {};

// Tagging (not training) keeps, per word, the summed weights of its
// features that do not depend on labels: the second pass adds only the rest.

template <class Score>
std::vector<TagScores> fixed_scores(const Prepared& s, const Score& score) {
  std::vector<TagScores> out(s.words->size());
  std::vector<uint64_t> feats;
  for (size_t i = 0; i < out.size(); ++i) {
    feats.clear();
    fixed_features(s, i, feats);
    out[i].fill(0);
    score(feats, out[i]);
  }
  return out;
}

bool has_votes(const DocVotes& v) { return v.word != nullptr; }

// decode() from the fixed scores. With the document's votes (second pass),
// `labels` holds the first pass's labels, and only the words from the first
// with votes are scored again, until two labels in a row after the last
// with votes are as before (from there on every word sees what it saw).
template <class Score>
void tag_greedy(const Prepared& s, const std::vector<TagScores>& fixed, const std::vector<DocVotes>* doc,
                const Score& score, std::vector<Tag>& labels) {
  const size_t n = fixed.size();
  size_t from = 0, last = 0;
  if (doc) {
    while (from < n && !has_votes((*doc)[from])) ++from;
    for (size_t i = from; i < n; ++i)
      if (has_votes((*doc)[i])) last = i;
  } else {
    labels.assign(n, 0);
    last = n;
  }
  std::vector<uint64_t> feats;
  Tag p1 = from > 0 ? labels[from - 1] : 0, p2 = from > 1 ? labels[from - 2] : 0;
  bool was_same = true;  // the label before is as before
  for (size_t i = from; i < n; ++i) {
    feats.clear();
    label_features(s.info, i, p1, p2, doc ? &(*doc)[i] : nullptr, feats);
    TagScores sc = fixed[i];
    score(feats, sc);
    const Tag best = best_allowed(sc, p1);
    const bool same = best == labels[i];
    labels[i] = best;
    if (doc && i > last && same && was_same) return;
    was_same = same;
    p2 = p1;
    p1 = best;
  }
}

// Adds a sentence's first-pass labels of capitalised words to the memory.
void remember(DocMemory& mem, const Prepared& s, const std::vector<Tag>& tags) {
  for (size_t i = 0; i < tags.size(); ++i)
    if (capitalised((*s.words)[i])) {
      DocWord& w = mem[s.info[i].lower];
      ++w.n[doc_slot(tags[i])];
      w.around.push_back({neighbour(s.info, i, -1).lower, neighbour(s.info, i, 1).lower, neighbour(s.info, i, -2).lower,
                          neighbour(s.info, i, 2).lower});
    }
}

// The document's votes on each word of a sentence, the word's own
// first-pass label taken out; empty when no word has any.
std::vector<DocVotes> votes_for(const DocMemory& mem, const Prepared& s, const std::vector<Tag>& tags) {
  std::vector<DocVotes> out;
  for (size_t i = 0; i < tags.size(); ++i) {
    if (!capitalised((*s.words)[i])) continue;
    const auto it = mem.find(s.info[i].lower);
    if (it == mem.end()) continue;
    DocVotes v{it->second.n, &it->second};
    --v.n[doc_slot(tags[i])];
    if (std::all_of(v.n.begin(), v.n.end(), [](uint16_t c) { return c == 0; })) continue;
    if (out.empty()) out.resize(tags.size());
    out[i] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Model storage

constexpr char kMagic[8] = {'D', 'L', 'N', 'E', 'R', '0', '0', '4'};

}  // namespace

std::string_view ner_label_name(NerLabel l) { return kLabelNames[static_cast<size_t>(l)]; }

bool parse_ner_label(std::string_view name, NerLabel& out) {
  for (size_t k = 0; k < kNerLabels; ++k)
    if (kLabelNames[k] == name) {
      out = static_cast<NerLabel>(k);
      return true;
    }
  return false;
}

namespace {

// "BRUSSELS 1996-08-22": a few words ending with an ISO date.
bool dateline_sentence(const std::vector<std::string>& w) {
  if (w.size() < 2 || w.size() > 8) return false;
  const std::string& d = w.back();
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t k = 0; k < 10; ++k)
    if (k != 4 && k != 7 && !(d[k] >= '0' && d[k] <= '9')) return false;
  return true;
}

// Numbers the documents of sentences read without document lines: a
// document starts at the headline before each dateline.
void guess_documents(std::vector<NerSentence>& s) {
  uint32_t doc = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i + 1 < s.size() && dateline_sentence(s[i + 1].words) && !dateline_sentence(s[i].words)) ++doc;
    s[i].doc = doc;
  }
}

}  // namespace

std::vector<NerSentence> read_conll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::vector<NerSentence> out;
  NerSentence cur;
  std::string line;
  uint64_t n = 0;
  uint32_t doc = 0;
  bool docstart = false;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!cur.words.empty()) out.push_back(std::move(cur));
      cur = {};
      continue;
    }
    const size_t sp = line.rfind(' ');
    if (sp == std::string::npos || sp == 0) throw std::runtime_error(path + ":" + std::to_string(n) + ": expected TOKEN TAG");
    const std::string word = line.substr(0, sp);
    if (word == "-DOCSTART-") {
      docstart = true;
      ++doc;
      continue;
    }
    NerLabel l;
    if (!parse_ner_label(line.substr(sp + 1), l))
      throw std::runtime_error(path + ":" + std::to_string(n) + ": unknown tag '" + line.substr(sp + 1) + "'");
    cur.doc = doc;
    cur.words.push_back(word);
    cur.labels.push_back(l);
  }
  if (!cur.words.empty()) out.push_back(std::move(cur));
  if (!docstart) guess_documents(out);
  return out;
}

NerModel::NerModel() = default;

size_t NerModel::find(uint64_t key) const {
  const size_t mask = keys_.size() - 1;
  for (size_t s = key & mask;; s = (s + 1) & mask) {
    if (keys_[s] == key) return s;
    if (keys_[s] == 0) return SIZE_MAX;
  }
}

float NerModel::weight(size_t slot, size_t label) const {
  return steps_.empty() ? weights_of(slot)[label] : step_ * static_cast<float>(steps_[slot * kNerTags + label]);
}

void NerModel::freeze(float step) {
  steps_.resize(weights_.size());
  for (size_t i = 0; i < weights_.size(); ++i) steps_[i] = static_cast<int16_t>(std::lround(weights_[i] / step));
  step_ = step;
  weights_ = {};
}

NerModel NerModel::average(const std::vector<NerModel>& models, size_t min_models) {
  NerModel out;
  if (models.empty()) return out;
  out.clusters_ = models.front().clusters_;
  std::unordered_map<uint32_t, size_t> holders;  // feature -> how many models have it
  for (const NerModel& m : models)
    for (const uint32_t key : m.keys_)
      if (key) ++holders[key];
  const float share = 1.0f / static_cast<float>(models.size());
  for (const NerModel& m : models)
    for (size_t s = 0; s < m.keys_.size(); ++s)
      if (m.keys_[s] && holders[m.keys_[s]] >= min_models) {
        float* w = out.insert(m.keys_[s]);
        for (size_t k = 0; k < kNerTags; ++k) w[k] += share * m.weight(s, k);
      }
  return out;
}

void NerModel::add_weights(const std::vector<uint64_t>& feats, std::array<float, kNerTags>& out) const {
  if (keys_.empty()) return;
  const size_t mask = keys_.size() - 1;
  for (const uint64_t f : feats) __builtin_prefetch(&keys_[f & mask]);
  if (steps_.empty()) {
    for (const uint64_t f : feats)
      if (const size_t s = find(f); s != SIZE_MAX)
        for (size_t k = 0; k < kNerTags; ++k) out[k] += weights_of(s)[k];
    return;
  }
  std::array<int32_t, kNerTags> sum{};
  for (const uint64_t f : feats)
    if (const size_t s = find(f); s != SIZE_MAX)
      for (size_t k = 0; k < kNerTags; ++k) sum[k] += steps_[s * kNerTags + k];
  for (size_t k = 0; k < kNerTags; ++k) out[k] += step_ * static_cast<float>(sum[k]);
}

float* NerModel::insert(uint64_t key) {
  if ((size_ + 1) * 2 > keys_.size()) {  // grow to keep the table at most half full
    const std::vector<uint32_t> old_keys = std::move(keys_);
    const std::vector<float> old_weights = std::move(weights_);
    const size_t n = std::max<size_t>(1024, old_keys.size() * 2);
    keys_.assign(n, 0);
    weights_.assign(n * kNerTags, 0.0f);
    size_ = 0;
    for (size_t o = 0; o < old_keys.size(); ++o)
      if (old_keys[o]) std::copy_n(old_weights.data() + o * kNerTags, kNerTags, insert(old_keys[o]));
  }
  const size_t mask = keys_.size() - 1;
  for (size_t s = key & mask;; s = (s + 1) & mask) {
    if (keys_[s] == key) return weights_of(s);
    if (keys_[s] == 0) {
      keys_[s] = static_cast<uint32_t>(key);
      ++size_;
      return weights_of(s);
    }
  }
}

std::vector<NerLabel> NerModel::tag(const std::vector<std::string>& words) const {
  return tag_document({words}).front();
}

std::vector<std::vector<NerLabel>> NerModel::tag_document(const std::vector<std::vector<std::string>>& sentences) const {
  const auto score = [this](const std::vector<uint64_t>& feats, TagScores& out) { add_weights(feats, out); };
  std::vector<Prepared> prep;
  prep.reserve(sentences.size());
  for (const auto& words : sentences) prep.push_back(prepare(words, clusters_));
  std::vector<std::vector<TagScores>> fixed;
  std::vector<std::vector<Tag>> tags(prep.size());
  DocMemory mem;
  for (size_t k = 0; k < prep.size(); ++k) {
    fixed.push_back(fixed_scores(prep[k], score));
    tag_greedy(prep[k], fixed[k], nullptr, score, tags[k]);
    remember(mem, prep[k], tags[k]);
  }
  std::vector<std::vector<NerLabel>> labels(prep.size());
  for (size_t k = 0; k < prep.size(); ++k) {
    if (const std::vector<DocVotes> votes = votes_for(mem, prep[k], tags[k]); !votes.empty())
      tag_greedy(prep[k], fixed[k], &votes, score, tags[k]);
    labels[k] = to_labels(tags[k]);
  }
  return labels;
}

// Format ("DLNER004"): magic, then a zstd frame of: varint count, f32 step,
// then per feature in ascending key order: varint key delta, varint mask of
// its nonzero tags (bit k: kTagNames[k]), one i16 per set bit (the weight
// in steps, rounded; a weight that rounds to 0 is dropped); then the
// context clusters and, if any, the embedding clusters (WordClusters::write
// each).
std::string NerModel::to_bytes() const {
  std::vector<uint32_t> slots;
  float max_abs = 0;
  for (size_t s = 0; s < keys_.size(); ++s) {
    if (!keys_[s]) continue;
    slots.push_back(static_cast<uint32_t>(s));
    for (size_t k = 0; k < kNerTags; ++k) max_abs = std::max(max_abs, std::fabs(weight(s, k)));
  }
  std::sort(slots.begin(), slots.end(), [&](uint32_t a, uint32_t b) { return keys_[a] < keys_[b]; });
  const float step = max_abs > 0 ? max_abs / 32767.0f : 1.0f;
  std::string body;
  uint64_t count = 0, prev = 0;
  for (const uint32_t s : slots) {
    int16_t q[kNerTags];
    uint32_t mask = 0;
    for (size_t k = 0; k < kNerTags; ++k) {
      q[k] = static_cast<int16_t>(std::lround(weight(s, k) / step));
      if (q[k] != 0) mask |= 1u << k;
    }
    if (!mask) continue;
    ++count;
    put_varint(body, keys_[s] - prev);
    prev = keys_[s];
    put_varint(body, mask);
    for (size_t k = 0; k < kNerTags; ++k)
      if (mask & (1u << k)) {
        body.push_back(static_cast<char>(static_cast<uint16_t>(q[k]) & 0xff));
        body.push_back(static_cast<char>(static_cast<uint16_t>(q[k]) >> 8));
      }
  }
  std::string raw;
  put_varint(raw, count);
  uint32_t step_bits;
  std::memcpy(&step_bits, &step, 4);
  put_u32(raw, step_bits);
  raw += body;
  clusters_.context.write(raw);
  if (!clusters_.embedding.empty()) clusters_.embedding.write(raw);
  std::string out(kMagic, sizeof kMagic);
  const size_t bound = ZSTD_compressBound(raw.size());
  out.resize(sizeof kMagic + bound);
  const size_t n = ZSTD_compress(out.data() + sizeof kMagic, bound, raw.data(), raw.size(), 19);
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(sizeof kMagic + n);
  return out;
}

NerModel NerModel::from_bytes(std::string_view bytes) {
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw std::runtime_error("NER model: bad magic");
  bytes.remove_prefix(sizeof kMagic);
  const unsigned long long size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 31))
    throw std::runtime_error("NER model: bad zstd frame");
  std::string raw(size, '\0');
  const size_t n = ZSTD_decompress(raw.data(), raw.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(n) || n != size) throw std::runtime_error("NER model: corrupt zstd frame");
  ByteReader r(raw);
  NerModel m;
  try {
    uint64_t count = r.varint(), key = 0;
    const uint32_t step_bits = r.u32();
    float step;
    std::memcpy(&step, &step_bits, 4);
    if (!(step > 0) || !std::isfinite(step)) throw std::runtime_error("bad step");
    for (; count > 0; --count) {
      key += r.varint();
      const uint64_t mask = r.varint();
      if (key == 0 || key > 0xffffffffu || mask == 0 || mask >> kNerTags) throw std::runtime_error("bad entry");
      float* w = m.insert(key);
      for (size_t k = 0; k < kNerTags; ++k)
        if (mask & (1u << k)) {
          const std::string_view b = r.bytes(2);
          const auto v = static_cast<int16_t>(static_cast<uint16_t>(static_cast<unsigned char>(b[0]) |
                                                                    (static_cast<unsigned char>(b[1]) << 8)));
          w[k] = step * static_cast<float>(v);
        }
    }
    m.freeze(step);
    std::string_view rest(r.pos(), r.remaining());
    m.clusters_.context = WordClusters::read(rest);
    if (!rest.empty()) m.clusters_.embedding = WordClusters::read(rest);
    if (!rest.empty()) throw std::runtime_error("trailing bytes");
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("NER model: malformed (") + e.what() + ")");
  }
  return m;
}

// ---------------------------------------------------------------------------
// Training: the averaged perceptron, averaged lazily (each weight keeps the
// sum of its past values up to the step it last changed).

class NerTrainer {
 public:
  void update(const std::vector<uint64_t>& feats, size_t truth, size_t guess) {
    ++step_;
    for (const uint64_t f : feats) {
      auto [it, inserted] = index_.try_emplace(f, static_cast<uint32_t>(entries_.size()));
      if (inserted) entries_.emplace_back();
      Entry& e = entries_[it->second];
      ++e.updates;
      bump(e, truth, 1.0f);
      bump(e, guess, -1.0f);
    }
  }
  void score(const std::vector<uint64_t>& feats, std::array<float, kNerTags>& out) const {
    out.fill(0);
    for (const uint64_t f : feats)
      if (auto it = index_.find(f); it != index_.end())
        for (size_t k = 0; k < kNerTags; ++k) out[k] += entries_[it->second].w[k];
  }
  void tick() { ++step_; }
  // The averaged weights, features whose every |weight| < min_weight dropped.
  NerModel averaged(double min_weight, uint32_t min_updates) const {
    NerModel m;
    for (const auto& [key, i] : index_) {
      const Entry& e = entries_[i];
      if (e.updates < min_updates) continue;
      std::array<float, kNerTags> avg{};
      bool keep = false;
      for (size_t k = 0; k < kNerTags; ++k) {
        const double total = e.total[k] + static_cast<double>(step_ - e.at[k]) * e.w[k];
        avg[k] = static_cast<float>(total / static_cast<double>(std::max<uint64_t>(step_, 1)));
        keep = keep || std::fabs(avg[k]) >= min_weight;
      }
      if (!keep) continue;
      float* w = m.insert(key);
      for (size_t k = 0; k < kNerTags; ++k) w[k] = std::fabs(avg[k]) >= min_weight ? avg[k] : 0.0f;
    }
    return m;
  }

 private:
  struct Entry {
    std::array<float, kNerTags> w{};
    std::array<double, kNerTags> total{};
    std::array<uint64_t, kNerTags> at{};
    uint32_t updates = 0;  // mistakes it took part in
  };
  void bump(Entry& e, size_t k, float d) {
    e.total[k] += static_cast<double>(step_ - e.at[k]) * e.w[k];
    e.at[k] = step_;
    e.w[k] += d;
  }
  std::unordered_map<uint64_t, uint32_t> index_;
  std::vector<Entry> entries_;
  uint64_t step_ = 0;
};

namespace {

// One pass of the perceptron over a sentence: each mistake updates the
// weights, and the next word is conditioned on the guess (as in tagging).
void learn_sentence(NerTrainer& t, const Prepared& s, const std::vector<Tag>& truth,
                    const std::vector<DocVotes>* doc) {
  const auto score = [&t](const std::vector<uint64_t>& feats, std::array<float, kNerTags>& out) { t.score(feats, out); };
  decode(s, doc, score, [&](size_t i, const std::vector<uint64_t>& feats, size_t guess) {
    const size_t gold = truth[i];
    if (guess != gold) t.update(feats, gold, guess);
    else t.tick();
  });
}

// Sentence ranges [first, end) of the documents (consecutive sentences of one doc id).
std::vector<std::pair<size_t, size_t>> documents(const std::vector<NerSentence>& s) {
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t i = 0; i < s.size(); ++i)
    if (i == 0 || s[i].doc != s[i - 1].doc) out.emplace_back(i, i + 1);
    else out.back().second = i + 1;
  return out;
}

}  // namespace

NerModel NerModel::train(const std::vector<NerSentence>& train, int epochs, uint64_t seed, double min_weight,
                         uint32_t min_updates, const std::function<void(int, const NerModel&)>& progress,
                         const NerClusters& clusters) {
  const auto averaged = [&](const NerTrainer& t) {
    NerModel m = t.averaged(min_weight, min_updates);
    m.clusters_ = clusters;
    return m;
  };
  std::vector<Prepared> prep;  // the sentences' word infos do not change between epochs
  prep.reserve(train.size());
  for (const NerSentence& s : train) prep.push_back(prepare(s.words, clusters));
  // The first pass over each document by a model that has not seen it
  // (k-fold), as the tagger's first pass on new text: its labels give the
  // document features the second pass learns from.
  const auto docs = documents(train);
  constexpr size_t kFolds = 5;
  std::vector<std::vector<Tag>> truth(train.size()), first(train.size());
  for (size_t si = 0; si < train.size(); ++si) truth[si] = to_tags(train[si].labels);
  for (size_t fold = 0; fold < kFolds; ++fold) {
    auto in_fold = [&](size_t d) { return (docs.size() >= kFolds ? d : docs[d].first) % kFolds == fold; };
    std::vector<size_t> order;
    for (size_t d = 0; d < docs.size(); ++d)
      if (!in_fold(d))
        for (size_t si = docs[d].first; si < docs[d].second; ++si) order.push_back(si);
    NerTrainer t;
    std::mt19937_64 rng(seed + 1 + fold);
    for (int epoch = 1; epoch <= epochs; ++epoch) {
      std::shuffle(order.begin(), order.end(), rng);
      for (const size_t si : order) learn_sentence(t, prep[si], truth[si], nullptr);
    }
    const NerModel m = t.averaged(min_weight, min_updates);
    const auto score = [&m](const std::vector<uint64_t>& feats, std::array<float, kNerTags>& out) {
      m.add_weights(feats, out);
    };
    for (size_t d = 0; d < docs.size(); ++d)
      if (in_fold(d))
        for (size_t si = docs[d].first; si < docs[d].second; ++si) first[si] = decode(prep[si], nullptr, score, kNoLearning);
  }
  std::vector<std::vector<DocVotes>> votes(train.size());
  std::vector<DocMemory> mems(docs.size());  // the votes point into them
  for (size_t d = 0; d < docs.size(); ++d) {
    const auto [a, b] = docs[d];
    DocMemory& mem = mems[d];
    for (size_t si = a; si < b; ++si) remember(mem, prep[si], first[si]);
    for (size_t si = a; si < b; ++si) votes[si] = votes_for(mem, prep[si], first[si]);
  }
  // The model learns both passes: each sentence without and (if it has
  // any) with its document features, in one shuffled order.
  NerTrainer t;
  std::vector<size_t> order;  // 2 * sentence + (1: with document features)
  for (size_t si = 0; si < train.size(); ++si) {
    order.push_back(2 * si);
    if (!votes[si].empty()) order.push_back(2 * si + 1);
  }
  std::mt19937_64 rng(seed);
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (const size_t x : order) learn_sentence(t, prep[x / 2], truth[x / 2], x % 2 ? &votes[x / 2] : nullptr);
    if (progress) progress(epoch, averaged(t));
  }
  return averaged(t);
}

std::vector<NerSpan> ner_spans(const std::vector<NerLabel>& l) {
  std::vector<NerSpan> s;
  for (size_t i = 0; i < l.size(); ++i) {
    const int t = type_of(l[i]);
    if (t < 0) continue;
    if (!is_inside(l[i]) || i == 0 || type_of(l[i - 1]) != t)
      s.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i), t});
    else
      s.back().last = static_cast<uint32_t>(i);
  }
  return s;
}

std::vector<std::vector<NerLabel>> tag_sentences(const NerModel& model, const std::vector<NerSentence>& sentences) {
  std::vector<std::vector<NerLabel>> tagged;
  for (const auto& [a, b] : documents(sentences)) {
    std::vector<std::vector<std::string>> doc;
    for (size_t si = a; si < b; ++si) doc.push_back(sentences[si].words);
    for (auto& l : model.tag_document(doc)) tagged.push_back(std::move(l));
  }
  return tagged;
}

std::vector<NerSpanScore> score_ner(const NerModel& model, const std::vector<NerSentence>& gold) {
  std::vector<NerSpanScore> out(5);
  // Spans as (start, end, type) of a label sequence; a stray I- starts a span.
  const std::vector<std::vector<NerLabel>> tagged = tag_sentences(model, gold);
  for (size_t si = 0; si < gold.size(); ++si) {
    const NerSentence& s = gold[si];
    const auto g = ner_spans(s.labels), p = ner_spans(tagged[si]);
    for (const NerSpan& x : p) {
      const bool hit = std::find(g.begin(), g.end(), x) != g.end();
      (hit ? out[x.type].tp : out[x.type].fp)++;
      if (x.type < 3) (hit ? out[4].tp : out[4].fp)++;
    }
    for (const NerSpan& x : g)
      if (std::find(p.begin(), p.end(), x) == p.end()) {
        out[x.type].fn++;
        if (x.type < 3) out[4].fn++;
      }
  }
  return out;
}

}  // namespace dateline
