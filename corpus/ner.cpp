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

// I-X may only continue B-X or I-X.
bool allowed(NerLabel prev, NerLabel l) { return !is_inside(l) || (prev != NerLabel::O && type_of(prev) == type_of(l)); }

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

// What the extractor's data says about each word of a sentence.
struct WordInfo {
  std::string lower, shape;
  bool first_name = false;
  std::string gaz;  // "B-place", "I-org", "B-nat" or "" (the longest gazetteer name over the word)
  uint32_t flags = 0;
};

// The word classes that are features (corpus/nlp.h's WordFlag bits).
constexpr uint32_t kTitle = kWTitleCore | kWTitleMod, kCorpSuffix = kWCorpSuffix, kSpeech = kWSpeechStrong | kWSpeechWeak,
                   kFunction = kWFunction;
constexpr uint32_t kFeatureFlags = kWStop | kWFunction | kWMonthDay | kWTitleCore | kWTitleMod | kWOrg | kWCorpSuffix |
                                   kWConnector | kWUnnamed | kWSpeechStrong | kWSpeechWeak;

std::vector<WordInfo> word_info(const std::vector<std::string>& words) {
  using namespace corpus_detail;
  std::vector<WordInfo> info(words.size());
  std::vector<uint32_t> all_flags(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    WordInfo& w = info[i];
    w.lower = ascii_lower(words[i]);
    w.shape = shape(words[i]);
    std::string_view l = w.lower;
    if (l.size() > 2 && l.back() == '.') l.remove_suffix(1);
    const bool ascii = std::all_of(l.begin(), l.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    all_flags[i] = ascii ? word_flags(l) : word_flags(fold_key(l));
    w.flags = all_flags[i] & kFeatureFlags;
    w.first_name = l.size() > 1 && corpus_detail::is_first_name(l);
  }
  // The longest gazetteer name starting at each word, left to right.
  const size_t max_words = gazetteer_max_words();
  for (size_t i = 0; i < words.size();) {
    size_t taken = 0;
    if (!(all_flags[i] & kWGazFirst)) {  // no gazetteer name starts with this word
      ++i;
      continue;
    }
    for (size_t n = std::min(max_words, words.size() - i); n >= 1 && !taken; --n) {
      std::string key;
      bool upper = true;
      for (size_t k = i; k < i + n; ++k) {
        std::string_view l = info[k].lower;
        if (l.size() > 2 && l.back() == '.') l.remove_suffix(1);
        key.append(k > i ? " " : "").append(l);
        upper = upper && all_upper(words[k]);
      }
      if (const GazEntry* e = gazetteer_lookup(fold_key(key), upper)) {
        const char* kind = e->kind == GazKind::Place ? "place" : e->kind == GazKind::Org ? "org" : "nat";
        for (size_t k = i; k < i + n; ++k) info[k].gaz = std::string(k == i ? "B-" : "I-") + kind;
        taken = n;
      }
    }
    i += taken ? taken : 1;
  }
  return info;
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

// The features of word i, given the two labels before it.
void word_features(const std::vector<std::string>& words, const std::vector<WordInfo>& info, bool shouting, size_t i,
              NerLabel p1, NerLabel p2, std::vector<uint64_t>& out) {
  out.clear();
  FeatureSink f(out);
  const WordInfo& w = info[i];
  auto at = [&](ptrdiff_t d) -> const WordInfo* {
    const ptrdiff_t j = static_cast<ptrdiff_t>(i) + d;
    return j >= 0 && j < static_cast<ptrdiff_t>(words.size()) ? &info[static_cast<size_t>(j)] : nullptr;
  };
  static const WordInfo kEdge{"<s>", "<s>", false, "", 0};
  const WordInfo& m1 = at(-1) ? *at(-1) : kEdge;
  const WordInfo& m2 = at(-2) ? *at(-2) : kEdge;
  const WordInfo& n1 = at(1) ? *at(1) : kEdge;
  const WordInfo& n2 = at(2) ? *at(2) : kEdge;
  const std::string_view pl1 = kLabelNames[static_cast<size_t>(p1)], pl2 = kLabelNames[static_cast<size_t>(p2)];
  const std::string_view caps = shouting ? "S" : "s";
  f.add('b', "");
  f.add('w', w.lower);
  f.add('W', words[i]);
  f.add('s', w.shape, caps);
  f.add('i', i == 0 ? "first" : "rest", w.shape);
  for (size_t n = 1; n <= 3 && n < w.lower.size(); ++n) f.add('p', w.lower.substr(0, n));
  for (size_t n = 1; n <= 4 && n < w.lower.size(); ++n) f.add('x', w.lower.substr(w.lower.size() - n));
  f.add('<', m1.lower);
  f.add('>', n1.lower);
  f.add('{', m2.lower);
  f.add('}', n2.lower);
  f.add('(', m1.shape, w.shape);
  f.add(')', w.shape, n1.shape);
  f.add('[', m1.lower, w.lower);
  f.add(']', w.lower, n1.lower);
  f.add('l', pl1);
  f.add('L', pl1, pl2);
  f.add('m', pl1, w.lower);
  f.add('M', pl1, w.shape);
  f.add('g', w.gaz, caps);
  f.add('G', m1.gaz, n1.gaz);
  f.add('h', w.gaz, pl1);
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
  f.add('o', pl1, m1.lower);
  f.add('q', m2.lower, m1.lower);
  f.add('Q', n1.lower, n2.lower);
  if (w.lower.size() > 5) f.add('X', w.lower.substr(w.lower.size() - 5));
}

// ---------------------------------------------------------------------------
// Model storage

constexpr char kMagic[8] = {'D', 'L', 'N', 'E', 'R', '0', '0', '2'};

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

std::vector<NerSentence> read_conll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::vector<NerSentence> out;
  NerSentence cur;
  std::string line;
  uint64_t n = 0;
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
    if (word == "-DOCSTART-") continue;
    NerLabel l;
    if (!parse_ner_label(line.substr(sp + 1), l))
      throw std::runtime_error(path + ":" + std::to_string(n) + ": unknown tag '" + line.substr(sp + 1) + "'");
    cur.words.push_back(word);
    cur.labels.push_back(l);
  }
  if (!cur.words.empty()) out.push_back(std::move(cur));
  return out;
}

NerModel::NerModel() = default;

const float* NerModel::find(uint64_t key) const {
  if (keys_.empty()) return nullptr;
  const size_t mask = keys_.size() - 1;
  for (size_t s = key & mask;; s = (s + 1) & mask) {
    if (keys_[s] == key) return &weights_[s * kNerLabels];
    if (keys_[s] == 0) return nullptr;
  }
}

float* NerModel::insert(uint64_t key) {
  if ((size_ + 1) * 2 > keys_.size()) {  // grow to keep the table at most half full
    std::vector<uint64_t> old_keys = std::move(keys_);
    std::vector<float> old_weights = std::move(weights_);
    const size_t cap = std::max<size_t>(1024, old_keys.size() * 2);
    keys_.assign(cap, 0);
    weights_.assign(cap * kNerLabels, 0.0f);
    size_ = 0;
    for (size_t s = 0; s < old_keys.size(); ++s)
      if (old_keys[s]) std::copy_n(&old_weights[s * kNerLabels], kNerLabels, insert(old_keys[s]));
  }
  const size_t mask = keys_.size() - 1;
  for (size_t s = key & mask;; s = (s + 1) & mask) {
    if (keys_[s] == key) return &weights_[s * kNerLabels];
    if (keys_[s] == 0) {
      keys_[s] = key;
      ++size_;
      return &weights_[s * kNerLabels];
    }
  }
}

std::vector<NerLabel> NerModel::tag(const std::vector<std::string>& words) const {
  std::vector<NerLabel> out;
  if (words.empty()) return out;
  const std::vector<WordInfo> info = word_info(words);
  const bool caps = shouting(words);
  std::vector<uint64_t> feats;
  NerLabel p1 = NerLabel::O, p2 = NerLabel::O;
  for (size_t i = 0; i < words.size(); ++i) {
    word_features(words, info, caps, i, p1, p2, feats);
    std::array<float, kNerLabels> score{};
    for (const uint64_t f : feats)
      if (const float* w = find(f))
        for (size_t k = 0; k < kNerLabels; ++k) score[k] += w[k];
    size_t best = 0;
    for (size_t k = 1; k < kNerLabels; ++k)
      if (allowed(p1, static_cast<NerLabel>(k)) && score[k] > score[best]) best = k;
    out.push_back(static_cast<NerLabel>(best));
    p2 = p1;
    p1 = static_cast<NerLabel>(best);
  }
  return out;
}

// Format: magic, then a zstd frame of: varint count, f32 step, then per
// feature in ascending key order: varint key delta, u16 mask of its nonzero
// labels, one i16 per set bit (the weight in steps, rounded; a weight that
// rounds to 0 is dropped).
std::string NerModel::to_bytes() const {
  std::vector<uint32_t> slots;
  float max_abs = 0;
  for (size_t s = 0; s < keys_.size(); ++s) {
    if (!keys_[s]) continue;
    slots.push_back(static_cast<uint32_t>(s));
    for (size_t k = 0; k < kNerLabels; ++k) max_abs = std::max(max_abs, std::fabs(weights_[s * kNerLabels + k]));
  }
  std::sort(slots.begin(), slots.end(), [&](uint32_t a, uint32_t b) { return keys_[a] < keys_[b]; });
  const float step = max_abs > 0 ? max_abs / 32767.0f : 1.0f;
  std::string body;
  uint64_t count = 0, prev = 0;
  for (const uint32_t s : slots) {
    int16_t q[kNerLabels];
    uint16_t mask = 0;
    for (size_t k = 0; k < kNerLabels; ++k) {
      q[k] = static_cast<int16_t>(std::lround(weights_[s * kNerLabels + k] / step));
      if (q[k] != 0) mask = static_cast<uint16_t>(mask | (1u << k));
    }
    if (!mask) continue;
    ++count;
    put_varint(body, keys_[s] - prev);
    prev = keys_[s];
    body.push_back(static_cast<char>(mask & 0xff));
    body.push_back(static_cast<char>(mask >> 8));
    for (size_t k = 0; k < kNerLabels; ++k)
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
      const std::string_view mb = r.bytes(2);
      const unsigned mask = static_cast<unsigned char>(mb[0]) | (static_cast<unsigned char>(mb[1]) << 8);
      if (key == 0 || key > 0xffffffffu || mask == 0 || mask >> kNerLabels) throw std::runtime_error("bad entry");
      float* w = m.insert(key);
      for (size_t k = 0; k < kNerLabels; ++k)
        if (mask & (1u << k)) {
          const std::string_view b = r.bytes(2);
          const auto v = static_cast<int16_t>(static_cast<uint16_t>(static_cast<unsigned char>(b[0]) |
                                                                    (static_cast<unsigned char>(b[1]) << 8)));
          w[k] = step * static_cast<float>(v);
        }
    }
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
  void score(const std::vector<uint64_t>& feats, std::array<float, kNerLabels>& out) const {
    out.fill(0);
    for (const uint64_t f : feats)
      if (auto it = index_.find(f); it != index_.end())
        for (size_t k = 0; k < kNerLabels; ++k) out[k] += entries_[it->second].w[k];
  }
  void tick() { ++step_; }
  // The averaged weights, features whose every |weight| < min_weight dropped.
  NerModel averaged(double min_weight, uint32_t min_updates) const {
    NerModel m;
    for (const auto& [key, i] : index_) {
      const Entry& e = entries_[i];
      if (e.updates < min_updates) continue;
      std::array<float, kNerLabels> avg{};
      bool keep = false;
      for (size_t k = 0; k < kNerLabels; ++k) {
        const double total = e.total[k] + static_cast<double>(step_ - e.at[k]) * e.w[k];
        avg[k] = static_cast<float>(total / static_cast<double>(std::max<uint64_t>(step_, 1)));
        keep = keep || std::fabs(avg[k]) >= min_weight;
      }
      if (!keep) continue;
      float* w = m.insert(key);
      for (size_t k = 0; k < kNerLabels; ++k) w[k] = std::fabs(avg[k]) >= min_weight ? avg[k] : 0.0f;
    }
    return m;
  }

 private:
  struct Entry {
    std::array<float, kNerLabels> w{};
    std::array<double, kNerLabels> total{};
    std::array<uint64_t, kNerLabels> at{};
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

NerModel NerModel::train(const std::vector<NerSentence>& train, int epochs, uint64_t seed, double min_weight,
                         uint32_t min_updates, const std::function<void(int, const NerModel&)>& progress) {
  NerTrainer t;
  std::vector<size_t> order(train.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  // The sentences' word infos do not change between epochs.
  std::vector<std::vector<WordInfo>> infos;
  std::vector<bool> capitals;
  for (const NerSentence& s : train) {
    infos.push_back(word_info(s.words));
    capitals.push_back(shouting(s.words));
  }
  std::vector<uint64_t> feats;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (const size_t si : order) {
      const NerSentence& s = train[si];
      NerLabel p1 = NerLabel::O, p2 = NerLabel::O;
      for (size_t i = 0; i < s.words.size(); ++i) {
        word_features(s.words, infos[si], capitals[si], i, p1, p2, feats);
        std::array<float, kNerLabels> score;
        t.score(feats, score);
        size_t guess = 0;
        for (size_t k = 1; k < kNerLabels; ++k)
          if (allowed(p1, static_cast<NerLabel>(k)) && score[k] > score[guess]) guess = k;
        const auto truth = static_cast<size_t>(s.labels[i]);
        if (guess != truth) t.update(feats, truth, guess);
        else t.tick();
        // Condition on the guess, as tagging will (not on the truth).
        p2 = p1;
        p1 = static_cast<NerLabel>(guess);
      }
    }
    if (progress) progress(epoch, t.averaged(min_weight, min_updates));
  }
  return t.averaged(min_weight, min_updates);
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

std::vector<NerSpanScore> score_ner(const NerModel& model, const std::vector<NerSentence>& gold) {
  std::vector<NerSpanScore> out(5);
  // Spans as (start, end, type) of a label sequence; a stray I- starts a span.
  for (const NerSentence& s : gold) {
    const auto g = ner_spans(s.labels), p = ner_spans(model.tag(s.words));
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
