#include "corpus/word_clusters.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "common/varint.h"

namespace dateline {

namespace {

constexpr size_t kContextWords = 300;  // neighbours counted by name; the rest as one
constexpr int kIterations = 10;

uint32_t word_hash(std::string_view w) {
  uint32_t h = 2166136261u;
  for (const char c : w) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

std::string lower(std::string_view w) {
  std::string s(w);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Row-major vectors, one per word, each of unit length.
struct Vectors {
  size_t dims = 0;
  std::vector<float> v;
  const float* row(size_t i) const { return &v[i * dims]; }
};

float dot(const float* a, const float* b, size_t n) {
  float s = 0;
  for (size_t k = 0; k < n; ++k) s += a[k] * b[k];
  return s;
}

// Spherical k-means over the words `ids` (most frequent first): the
// branch of each. Seeds: the most frequent word, then repeatedly the one
// least like the seeds so far among the 1,000 most frequent (a seed again
// when fewer words differ; ties go to the first branch, so words with the
// same neighbours always share one).
std::vector<unsigned> kmeans(const Vectors& x, const std::vector<uint32_t>& ids, unsigned k) {
  std::vector<unsigned> branch(ids.size(), 0);
  if (ids.empty()) return branch;
  const size_t d = x.dims;
  std::vector<float> c(k * d);
  std::vector<float> best_sim(std::min<size_t>(ids.size(), 1000), -2.0f);
  size_t seed = 0;
  for (unsigned j = 0; j < k; ++j) {
    std::copy_n(x.row(ids[seed]), d, &c[j * d]);
    for (size_t i = 0; i < best_sim.size(); ++i) best_sim[i] = std::max(best_sim[i], dot(x.row(ids[i]), &c[j * d], d));
    seed = static_cast<size_t>(std::min_element(best_sim.begin(), best_sim.end()) - best_sim.begin());
  }
  for (int it = 0; it < kIterations; ++it) {
    for (size_t i = 0; i < ids.size(); ++i) {
      float top = -2.0f;
      for (unsigned j = 0; j < k; ++j)
        if (const float s = dot(x.row(ids[i]), &c[j * d], d); s > top) {
          top = s;
          branch[i] = j;
        }
    }
    std::vector<float> sum(k * d, 0.0f);
    for (size_t i = 0; i < ids.size(); ++i)
      for (size_t t = 0; t < d; ++t) sum[branch[i] * d + t] += x.row(ids[i])[t];
    for (unsigned j = 0; j < k; ++j) {
      const float norm = std::sqrt(dot(&sum[j * d], &sum[j * d], d));
      if (norm > 0)  // an empty cluster keeps its centre
        for (size_t t = 0; t < d; ++t) c[j * d + t] = sum[j * d + t] / norm;
    }
  }
  return branch;
}

// Splits `ids` level by level, writing 1 + path of each word to `path`.
void split(const Vectors& x, const std::vector<uint32_t>& ids, unsigned level, unsigned levels, uint16_t prefix,
           std::vector<uint16_t>& path) {
  if (level == levels) {
    for (const uint32_t i : ids) path[i] = static_cast<uint16_t>(prefix + 1);
    return;
  }
  const std::vector<unsigned> b = kmeans(x, ids, kClusterBranches);
  std::vector<std::vector<uint32_t>> parts(kClusterBranches);
  for (size_t i = 0; i < ids.size(); ++i) parts[b[i]].push_back(ids[i]);
  for (unsigned j = 0; j < kClusterBranches; ++j)
    split(x, parts[j], level + 1, levels, static_cast<uint16_t>(prefix | (j << (3 * level))), path);
}

// 1 + the path of each of the n words of x (most frequent first).
std::vector<uint16_t> cluster_paths(const Vectors& x, size_t n, unsigned levels) {
  std::vector<uint32_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = static_cast<uint32_t>(i);
  std::vector<uint16_t> path(n);
  split(x, ids, 0, levels, 0, path);
  return path;
}

}  // namespace

std::vector<std::string> cluster_words(std::string_view text) {
  std::vector<std::string> out;
  auto wordy = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u >= 0x80;
  };
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      ++i;
    } else if (!wordy(c)) {
      out.emplace_back(1, c);
      ++i;
    } else {
      size_t j = i + 1;
      bool dotted = false;
      while (j < text.size() && (wordy(text[j]) || (std::string_view(".-'&").find(text[j]) != std::string_view::npos &&
                                                     j + 1 < text.size() && wordy(text[j + 1])))) {
        dotted = dotted || text[j] == '.';
        ++j;
      }
      if (dotted && j < text.size() && text[j] == '.') ++j;  // "U.S."
      out.push_back(lower(text.substr(i, j - i)));
      i = j;
    }
  }
  return out;
}

WordClusters WordClusters::learn(const std::vector<std::vector<std::string>>& texts, uint32_t min_count) {
  std::unordered_map<std::string, uint32_t> count;
  for (const auto& t : texts)
    for (const std::string& w : t) ++count[lower(w)];
  std::vector<std::pair<std::string, uint32_t>> by_count(count.begin(), count.end());
  std::sort(by_count.begin(), by_count.end(),
            [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  std::unordered_map<std::string, uint32_t> context, vocab;
  for (size_t i = 0; i < by_count.size(); ++i) {
    if (i < kContextWords) context.emplace(by_count[i].first, static_cast<uint32_t>(i));
    if (by_count[i].second >= min_count) vocab.emplace(by_count[i].first, static_cast<uint32_t>(vocab.size()));
  }
  // Neighbour counts: left neighbours in [0, C], right ones in [C + 1, 2C + 1].
  const size_t c = kContextWords + 1;
  Vectors x{2 * c, std::vector<float>(vocab.size() * 2 * c, 0.0f)};
  auto ctx = [&](const std::vector<std::string>& t, size_t j) -> size_t {
    if (j >= t.size()) return kContextWords;
    const auto it = context.find(lower(t[j]));
    return it == context.end() ? kContextWords : it->second;
  };
  for (const auto& t : texts)
    for (size_t i = 0; i < t.size(); ++i)
      if (const auto it = vocab.find(lower(t[i])); it != vocab.end()) {
        float* row = &x.v[it->second * x.dims];
        row[ctx(t, i - 1)] += 1;  // i - 1 wraps to "none" at 0
        row[c + ctx(t, i + 1)] += 1;
      }
  // Hellinger: the square roots of the neighbours' shares, of unit length.
  for (size_t i = 0; i < vocab.size(); ++i) {
    float* row = &x.v[i * x.dims];
    float total = 0;
    for (size_t k = 0; k < x.dims; ++k) total += row[k];
    for (size_t k = 0; k < x.dims; ++k) row[k] = std::sqrt(row[k] / total);
  }
  std::vector<std::string> words(vocab.size());
  for (const auto& [w, i] : vocab) words[i] = w;
  return from_paths(words, cluster_paths(x, words.size(), kClusterLevels), kClusterLevels);
}

WordClusters WordClusters::of_vectors(const std::vector<std::string>& words, std::vector<float> vectors, size_t dims,
                                      unsigned levels) {
  if (levels == 0 || levels > kMaxClusterLevels) throw std::invalid_argument("word clusters: bad number of levels");
  if (dims == 0 || vectors.size() != words.size() * dims) throw std::invalid_argument("word vectors: sizes differ");
  Vectors x{dims, std::move(vectors)};
  for (size_t i = 0; i < words.size(); ++i) {
    float* row = &x.v[i * dims];
    const float norm = std::sqrt(dot(row, row, dims));
    if (norm > 0)
      for (size_t k = 0; k < dims; ++k) row[k] /= norm;
  }
  return from_paths(words, cluster_paths(x, words.size(), levels), levels);
}

WordClusters WordClusters::from_paths(const std::vector<std::string>& words, const std::vector<uint16_t>& paths,
                                      unsigned levels) {
  WordClusters out;
  out.levels_ = levels;
  for (size_t i = 0; i < words.size(); ++i) out.add(word_hash(words[i]), paths[i]);
  return out;
}

void WordClusters::add(uint32_t hash, uint16_t path) {
  if ((size_ + 1) * 2 > keys_.size()) {  // grow, to stay at most half full
    const std::vector<uint32_t> old_keys = std::move(keys_);
    const std::vector<uint16_t> old_paths = std::move(paths_);
    keys_.assign(std::max<size_t>(16, old_keys.size() * 2), 0);
    paths_.assign(keys_.size(), 0);
    size_ = 0;
    for (size_t s = 0; s < old_keys.size(); ++s)
      if (old_paths[s]) add(old_keys[s], old_paths[s]);
  }
  const size_t mask = keys_.size() - 1;
  size_t s = hash & mask;
  for (; paths_[s]; s = (s + 1) & mask)
    if (keys_[s] == hash) return;
  keys_[s] = hash;
  paths_[s] = path;
  ++size_;
}

uint16_t WordClusters::of(std::string_view lower_word) const {
  if (size_ == 0) return 0;
  const uint32_t h = word_hash(lower_word);
  const size_t mask = keys_.size() - 1;
  for (size_t s = h & mask; paths_[s]; s = (s + 1) & mask)
    if (keys_[s] == h) return paths_[s];
  return 0;
}

// Format: varint levels, varint count, then per word in ascending hash
// order: varint hash delta, u16 1 + path.
void WordClusters::write(std::string& out) const {
  std::vector<std::pair<uint32_t, uint16_t>> v;
  v.reserve(size_);
  for (size_t s = 0; s < keys_.size(); ++s)
    if (paths_[s]) v.emplace_back(keys_[s], paths_[s]);
  std::sort(v.begin(), v.end());
  put_varint(out, levels_);
  put_varint(out, v.size());
  uint32_t prev = 0;
  for (const auto& [h, p] : v) {
    put_varint(out, h - prev);
    prev = h;
    out.push_back(static_cast<char>(p & 0xff));
    out.push_back(static_cast<char>(p >> 8));
  }
}

WordClusters WordClusters::read(std::string_view& in) {
  ByteReader r(in);
  WordClusters out;
  const uint64_t levels = r.varint();
  if (levels == 0 || levels > kMaxClusterLevels) throw std::runtime_error("bad cluster levels");
  out.levels_ = static_cast<unsigned>(levels);
  uint64_t n = r.varint(), h = 0;
  if (n > in.size()) throw std::runtime_error("bad cluster count");
  size_t slots = 16;
  while (slots < n * 2) slots <<= 1;
  out.keys_.assign(slots, 0);
  out.paths_.assign(slots, 0);
  for (; n > 0; --n) {
    h += r.varint();
    const std::string_view b = r.bytes(2);
    const auto p = static_cast<uint16_t>(static_cast<unsigned char>(b[0]) | (static_cast<unsigned char>(b[1]) << 8));
    if (h > 0xffffffffu || p == 0 || (p - 1u) >> (3 * out.levels_)) throw std::runtime_error("bad cluster entry");
    out.add(static_cast<uint32_t>(h), p);
  }
  in = std::string_view(r.pos(), r.remaining());
  return out;
}

}  // namespace dateline
