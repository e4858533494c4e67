// The word-level Markov chain of the synthetic corpus generator.
#include "corpus/markov_model.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

namespace dateline::corpus_detail {

namespace {

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kHugeMin = size_t{4} << 20;  // smaller arrays use the heap

}  // namespace

void* huge_allocate(size_t bytes) {
  if (bytes < kHugeMin) {
    void* p = std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  const size_t len = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, len, MADV_HUGEPAGE);  // a hint; fine if refused
#endif
  return p;
}

void huge_deallocate(void* p, size_t bytes) {
  if (!p) return;
  if (bytes < kHugeMin) {
    std::free(p);
    return;
  }
  munmap(p, (bytes + kHugePage - 1) / kHugePage * kHugePage);
}

namespace {

// How much of the Witten-Bell backoff mass is used: order 2 -> order 1, and
// order 1 -> unigram. Below 1 the output stays closer to the training phrases.
constexpr double kBackoff2 = 0.5;
constexpr double kBackoff1 = 0.08;

uint32_t backoff_fraction(double scale, uint64_t total, uint64_t distinct) {
  if (total == 0) return 0xFFFFFFFFu;
  const double p = scale * static_cast<double>(distinct) / static_cast<double>(total + distinct);
  return static_cast<uint32_t>(p * 4294967295.0);
}

struct Tri {
  uint32_t a, b, c;
  bool operator<(const Tri& o) const {
    if (a != o.a) return a < o.a;
    if (b != o.b) return b < o.b;
    return c < o.c;
  }
  bool operator==(const Tri& o) const = default;
};

}  // namespace

MarkovModel::MarkovModel() {
  table_mask_ = (1u << 16) - 1;
  table_.assign(2 * (table_mask_ + 1), kNone);
  for (std::string_view marker : {"<s>", "<t>", "</s>"}) intern(marker);
  counts_.assign(3, 0);
}

namespace {

uint32_t hash_token(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x100000001B3ULL;
    h ^= h >> 29;
  }
  for (; i < s.size(); ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 0x100000001B3ULL;
  return static_cast<uint32_t>(mix64(h));
}

}  // namespace

// The slot (an id, followed by its hash) holding `token`, or the empty slot
// where it belongs.
uint32_t* MarkovModel::slot_of(std::string_view token, uint32_t hash) const {
  uint32_t* table = const_cast<uint32_t*>(table_.data());
  for (size_t i = hash & table_mask_;; i = (i + 1) & table_mask_) {
    uint32_t* slot = table + 2 * i;
    if (slot[0] == kNone || (slot[1] == hash && vocab_[slot[0]] == token)) return slot;
  }
}

uint32_t MarkovModel::intern(std::string_view token) {
  const uint32_t hash = hash_token(token);
  uint32_t* slot = slot_of(token, hash);
  if (slot[0] != kNone) return slot[0];
  const uint32_t id = static_cast<uint32_t>(vocab_.size());
  vocab_.emplace_back(token);
  counts_.push_back(0);
  slot[0] = id;
  slot[1] = hash;
  if (vocab_.size() * 2 > table_mask_ + 1) {  // keep the load under 1/2
    std::vector<uint32_t> old;
    old.swap(table_);
    table_mask_ = table_mask_ * 2 + 1;
    table_.assign(2 * (table_mask_ + 1), kNone);
    for (size_t i = 0; i < old.size(); i += 2)
      if (old[i] != kNone) {
        uint32_t* s = slot_of(vocab_[old[i]], old[i + 1]);
        s[0] = old[i];
        s[1] = old[i + 1];
      }
  }
  return id;
}

uint32_t MarkovModel::id_of(std::string_view token) const { return slot_of(token, hash_token(token))[0]; }

void MarkovModel::add_sequence(uint32_t start, std::string_view text) {
  const size_t mark = stream_.size();
  stream_.push_back(start);
  tokenize_surface(text, [&](std::string_view tok) {
    const uint32_t id = intern(tok);
    ++counts_[id];
    stream_.push_back(id);
  });
  if (stream_.size() == mark + 1) {
    stream_.pop_back();
    return;
  }
  training_tokens_ += stream_.size() - mark - 1;
  stream_.push_back(kEnd);
}

void MarkovModel::add_body(std::string_view body) {
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find("\n\n", pos);
    if (end == std::string_view::npos) end = body.size();
    add_sequence(kStart, body.substr(pos, end - pos));
    pos = end + 2;
  }
}

void MarkovModel::finish() {
  if (training_tokens_ == 0) throw std::runtime_error("the training corpus has no text");
  if (vocab_.size() >= kNone - 1) throw std::runtime_error("the training vocabulary is too large");
  if (training_tokens_ >= 0xFFFFFFF0u) throw std::runtime_error("the training corpus is too large (>4G tokens)");

  // Order-2 occurrences (a, b) -> c and order-1 occurrences b -> c, packed
  // into 64-bit keys when the vocabulary allows (faster to sort).
  const bool packed = vocab_.size() < (1u << 21);
  std::vector<Tri> tri;
  std::vector<uint64_t> tri64;
  std::vector<uint64_t> bi;
  if (packed) tri64.reserve(stream_.size());
  else tri.reserve(stream_.size());
  bi.reserve(stream_.size());
  for (size_t i = 0; i < stream_.size();) {
    const uint32_t start = stream_[i];
    uint32_t a = start, b = start;
    size_t j = i + 1;
    for (;; ++j) {
      const uint32_t c = stream_[j];
      if (packed)
        tri64.push_back((static_cast<uint64_t>(a) << 42) | (static_cast<uint64_t>(b) << 21) | c);
      else
        tri.push_back({a, b, c});
      bi.push_back((static_cast<uint64_t>(b) << 32) | c);
      if (c == kEnd) break;
      a = b;
      b = c;
    }
    i = j + 1;
  }
  stream_.clear();
  stream_.shrink_to_fit();
  if (packed) {
    std::sort(tri64.begin(), tri64.end());
    tri.resize(tri64.size());
    constexpr uint64_t m = (1u << 21) - 1;
    for (size_t i = 0; i < tri64.size(); ++i)
      tri[i] = {static_cast<uint32_t>(tri64[i] >> 42), static_cast<uint32_t>((tri64[i] >> 21) & m),
                static_cast<uint32_t>(tri64[i] & m)};
    tri64.clear();
    tri64.shrink_to_fit();
  } else {
    std::sort(tri.begin(), tri.end());
  }
  std::sort(bi.begin(), bi.end());

  // Order-2 contexts: first the counts, then the final layout.
  struct Ctx {
    uint32_t a, b;
    uint32_t begin;  // in succ
  };
  std::vector<Ctx> ctxs;
  std::vector<std::pair<uint32_t, uint32_t>> succ;  // (token, count)
  for (size_t i = 0; i < tri.size();) {
    const uint32_t a = tri[i].a, b = tri[i].b;
    ctxs.push_back({a, b, static_cast<uint32_t>(succ.size())});
    while (i < tri.size() && tri[i].a == a && tri[i].b == b) {
      const uint32_t c = tri[i].c;
      uint32_t n = 0;
      while (i < tri.size() && tri[i].a == a && tri[i].b == b && tri[i].c == c) ++n, ++i;
      succ.push_back({c, n});
    }
  }
  tri.clear();
  tri.shrink_to_fit();
  contexts_ = ctxs.size();

  // Offsets, sizes and backoff probabilities of the order-2 nodes, and an
  // open-addressing index (a, b) -> context number.
  std::vector<uint32_t> offset(ctxs.size()), size(ctxs.size()), backoff(ctxs.size());
  uint64_t words = 0;
  for (size_t i = 0; i < ctxs.size(); ++i) {
    offset[i] = static_cast<uint32_t>(words);
    const size_t end = i + 1 < ctxs.size() ? ctxs[i + 1].begin : succ.size();
    size[i] = static_cast<uint32_t>(end - ctxs[i].begin);
    uint64_t total = 0;
    for (size_t k = ctxs[i].begin; k < end; ++k) total += succ[k].second;
    backoff[i] = backoff_fraction(kBackoff2, total, size[i]);
    words += kHeader + kEntry * size[i];
  }
  if (words >= kNone) throw std::runtime_error("the training corpus is too large for the model");
  size_t index_size = 1024;
  while (index_size < ctxs.size() * 2) index_size *= 2;
  const size_t index_mask = index_size - 1;
  std::vector<uint64_t> index_keys(index_size, ~0ULL);
  std::vector<uint32_t> index_nodes(index_size, kNone);
  for (size_t i = 0; i < ctxs.size(); ++i) {
    const uint64_t key = (static_cast<uint64_t>(ctxs[i].a) << 32) | ctxs[i].b;
    size_t h = mix64(key) & index_mask;
    while (index_keys[h] != ~0ULL) h = (h + 1) & index_mask;
    index_keys[h] = key;
    index_nodes[h] = static_cast<uint32_t>(i);
  }
  auto node_of = [&](uint32_t a, uint32_t b) -> uint32_t {
    const uint64_t key = (static_cast<uint64_t>(a) << 32) | b;
    for (size_t h = mix64(key) & index_mask;; h = (h + 1) & index_mask) {
      if (index_keys[h] == key) return index_nodes[h];
      if (index_keys[h] == ~0ULL) return kNone;
    }
  };

  // Writes one context: header and alias table (Vose's method, in integers so
  // every platform builds the same table). `next_of(c)` is the context
  // number of the node after c, or kNone.
  std::vector<uint64_t> scaled;
  std::vector<uint32_t> small, large;
  auto write_context = [&](HugeVector& out, uint32_t last, double backoff_scale,
                           const std::pair<uint32_t, uint32_t>* s, size_t n, auto&& next_of) {
    uint64_t total = 0;
    for (size_t i = 0; i < n; ++i) total += s[i].second;
    out.push_back(static_cast<uint32_t>(n));
    out.push_back(backoff_fraction(backoff_scale, total, n));
    out.push_back(last);
    out.push_back(0);
    const size_t base = out.size();
    scaled.assign(n, 0);
    small.clear();
    large.clear();
    for (size_t i = 0; i < n; ++i) {
      const uint32_t next = next_of(s[i].first);
      out.push_back(s[i].first);
      out.push_back(next == kNone ? kNone : offset[next]);
      out.push_back(0xFFFFFFFFu);
      out.push_back(static_cast<uint32_t>(i));
      out.push_back(next == kNone ? 0 : size[next]);
      out.push_back(next == kNone ? 0 : backoff[next]);
      scaled[i] = static_cast<uint64_t>(s[i].second) * n;
      (scaled[i] < total ? small : large).push_back(static_cast<uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const uint32_t sm = small.back(), lg = large.back();
      small.pop_back();
      large.pop_back();
      out[base + sm * kEntry + 2] = static_cast<uint32_t>((scaled[sm] << 32) / total);
      out[base + sm * kEntry + 3] = lg;
      scaled[lg] -= total - scaled[sm];
      (scaled[lg] < total ? small : large).push_back(lg);
    }
  };

  nodes_.reserve(words);
  for (size_t i = 0; i < ctxs.size(); ++i) {
    const size_t end = i + 1 < ctxs.size() ? ctxs[i + 1].begin : succ.size();
    const uint32_t b = ctxs[i].b;
    write_context(nodes_, b, kBackoff2, succ.data() + ctxs[i].begin, end - ctxs[i].begin,
                  [&](uint32_t c) { return c == kEnd ? kNone : node_of(b, c); });
  }

  // Order-1 contexts.
  ctx1_of_.assign(vocab_.size(), kNone);
  succ.clear();
  for (size_t i = 0; i < bi.size();) {
    const uint32_t b = static_cast<uint32_t>(bi[i] >> 32);
    succ.clear();
    while (i < bi.size() && (bi[i] >> 32) == b) {
      const uint64_t key = bi[i];
      uint32_t n = 0;
      while (i < bi.size() && bi[i] == key) ++n, ++i;
      succ.push_back({static_cast<uint32_t>(key), n});
    }
    ctx1_of_[b] = static_cast<uint32_t>(ctx1_.size());
    write_context(ctx1_, b, kBackoff1, succ.data(), succ.size(),
                  [&](uint32_t c) { return c == kEnd ? kNone : node_of(b, c); });
    if (ctx1_.size() >= kNone) throw std::runtime_error("the training corpus is too large for the model");
  }
  bi.clear();
  bi.shrink_to_fit();

  // Unigrams (real tokens only).
  succ.clear();
  for (uint32_t id = 3; id < vocab_.size(); ++id)
    if (counts_[id] != 0) succ.push_back({id, counts_[id]});
  write_context(unigram_, 0, 0, succ.data(), succ.size(), [](uint32_t) { return kNone; });
  unigram_size_ = unigram_[0];
  unigram_.erase(unigram_.begin(), unigram_.begin() + kHeader);

  for (uint32_t start : {kStart, kTitleStart}) {
    const uint32_t c = node_of(start, start);
    if (c != kNone) start_[start] = State{offset[c], start, size[c], backoff[c]};
  }
  // Without titles (or bodies) in the training data, both start the same way.
  if (start_[kStart].node == kNone) start_[kStart] = start_[kTitleStart];
  if (start_[kTitleStart].node == kNone) start_[kTitleStart] = start_[kStart];
}


uint32_t MarkovModel::sample_unigram(Rng& rng) const { return draw(unigram_.data(), unigram_size_, rng)[0]; }

uint32_t MarkovModel::next(State& s, Rng& rng) const {
  // An order-2 state carries its node's size and backoff probability, and
  // s.token is the node's last token, so one step reads one alias entry
  // (two when the alias is taken) and no header.
  if (s.node != kNone && static_cast<uint32_t>(rng.next()) >= s.backoff) {
    const uint32_t* e = draw(nodes_.data() + s.node + kHeader, s.size, rng);
    s = State{e[1], e[0], e[4], e[5]};
    return e[0];
  }
  // Order 1.
  const uint32_t c1 = ctx1_of_[s.token];
  if (c1 != kNone) {
    const uint32_t* ctx = ctx1_.data() + c1;
    if (static_cast<uint32_t>(rng.next()) >= ctx[1]) {
      const uint32_t* e = draw(ctx + kHeader, ctx[0], rng);
      s = State{e[1], e[0], e[4], e[5]};
      return e[0];
    }
  }
  // Unigram.
  const uint32_t t = sample_unigram(rng);
  s = State{kNone, t, 0, 0};
  return t;
}

}  // namespace dateline::corpus_detail
