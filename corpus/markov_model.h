// Internal to corpus/: the word-level Markov chain behind the synthetic corpus
// generator (corpus/generator.h), plus its random number generator.
//
// The model is an order-2 chain over surface tokens (case kept, punctuation
// peeled into tokens of its own) with Witten-Bell style backoff to order 1 and
// to unigrams. Every context is a node whose successor table stores, for each
// next token, its cumulative count and the node that follows, so sampling one
// token is one random number, one binary search and no hash lookup.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::corpus_detail {

// SplitMix64: seeds and hashes.
inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
inline uint64_t mix64(uint64_t x) { return splitmix64(x); }

// xoshiro256**: fast, good quality, fully specified (same stream everywhere).
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& w : s_) w = splitmix64(seed);
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) for n < 2^32 (multiply-shift; the bias is negligible).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(((next() >> 32) * n) >> 32); }
  // Uniform in [lo, hi].
  int range(int lo, int hi) { return lo + static_cast<int>(below(static_cast<uint32_t>(hi - lo + 1))); }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Splits text into surface tokens: whitespace separates, leading and trailing
// punctuation (, . ; : ! ? ( ) [ ] and quotes) become tokens of their own.
// Double quotes, straight or curly, become kOpenQuote before a word and
// kCloseQuote after one. A trailing period stays on abbreviations ("U.S.",
// "Mr.", "Inc.", single capitals). Calls `fn` per token.
template <typename Fn>
void tokenize_surface(std::string_view text, Fn&& fn);

void* huge_allocate(size_t bytes);
void huge_deallocate(void* p, size_t bytes);

// Allocates large arrays on transparent huge pages where the system allows
// (sampling jumps around tens of MB: fewer TLB misses), else like std::allocator.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(huge_allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { huge_deallocate(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
};
using HugeVector = std::vector<uint32_t, HugePageAllocator<uint32_t>>;

class MarkovModel {
 public:
  static constexpr uint32_t kStart = 0;       // paragraph / sentence start
  static constexpr uint32_t kTitleStart = 1;  // title start
  static constexpr uint32_t kEnd = 2;         // end of a sequence
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  MarkovModel();

  // Training: adds one sequence (a title, or a body paragraph) of tokens.
  // `start` is kStart or kTitleStart. Call finish() once afterwards.
  void add_sequence(uint32_t start, std::string_view text);
  // Adds every paragraph ("\n\n"-separated) of a body.
  void add_body(std::string_view body);
  void finish();

  // A sampling position: an order-2 context node, or (node == kNone) an
  // order-1 context `token` reached through unigram backoff.
  struct State {
    uint32_t node = kNone;
    uint32_t token = kStart;  // the last token of the context
    uint32_t size = 0;        // the node's successors
    uint32_t backoff = 0;     // the node's backoff probability x 2^32
  };
  State start_state(uint32_t start) const { return start_[start]; }
  // The order-1 state "after `token`" (e.g. after "said").
  State after(uint32_t token) const { return State{kNone, token, 0, 0}; }
  // Samples the next token and advances `s`; returns kEnd at the end of a
  // sequence (then `s` must be restarted).
  uint32_t next(State& s, Rng& rng) const;

  const std::string& text(uint32_t id) const { return vocab_[id]; }
  uint32_t id_of(std::string_view token) const;  // kNone when unknown
  uint32_t count(uint32_t id) const { return counts_[id]; }
  size_t vocabulary_size() const { return vocab_.size() - 3; }  // without the markers
  uint64_t training_tokens() const { return training_tokens_; }
  size_t contexts() const { return contexts_; }
  bool empty() const { return training_tokens_ == 0; }

 private:
  uint32_t intern(std::string_view token);
  uint32_t* slot_of(std::string_view token, uint32_t hash) const;

  // Training data: the token stream, each sequence as start, tokens..., kEnd.
  std::vector<std::string> vocab_;
  // Open-addressing token -> id table: {id, hash} pairs, kNone when empty.
  std::vector<uint32_t> table_;
  size_t table_mask_ = 0;
  std::vector<uint32_t> stream_;
  std::vector<uint32_t> counts_;
  uint64_t training_tokens_ = 0;

  // Sampling tables. A context is a header of 4 words {successors, backoff
  // probability x 2^32, the context's last token, 0} followed by one
  // 6-word alias-table entry {token, next node, keep probability x 2^32,
  // alias entry, next node's successors, next node's backoff} per
  // successor; a node is the offset of its header. Order-2 nodes live in
  // nodes_, order-1 contexts in ctx1_ (found via ctx1_of_).
  static constexpr uint32_t kHeader = 4, kEntry = 6;
  HugeVector nodes_;
  HugeVector ctx1_;
  std::vector<uint32_t> ctx1_of_;  // token -> offset in ctx1_, kNone without successors
  HugeVector unigram_;  // alias table over tokens (no header)
  uint32_t unigram_size_ = 0;
  State start_[2];  // at node (start, start)
  size_t contexts_ = 0;

  // Draws a successor from the alias table at table[0..n) entries.
  static const uint32_t* draw(const uint32_t* entries, uint32_t n, Rng& rng) {
    const uint64_t r = rng.next();
    const uint32_t i = static_cast<uint32_t>(((r >> 32) * n) >> 32);
    const uint32_t* e = entries + static_cast<size_t>(i) * kEntry;
    if (static_cast<uint32_t>(r) < e[2]) return e;
    return entries + static_cast<size_t>(e[3]) * kEntry;
  }
  uint32_t sample_unigram(Rng& rng) const;
};

// ---------------------------------------------------------------------------

namespace markov_detail {

// Quotes are told apart by position: opening (before a word) and closing.
inline constexpr std::string_view kOpenQuote = "\xE2\x80\x9C";   // “
inline constexpr std::string_view kCloseQuote = "\xE2\x80\x9D";  // ”

inline bool is_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Length of a leading punctuation mark at s[0], with its token text.
inline size_t leading_punct(std::string_view s, std::string_view& tok) {
  if (s.empty()) return 0;
  const char c = s[0];
  if (c == '(' || c == '[') {
    tok = s.substr(0, 1);
    return 1;
  }
  if (c == '"') {
    tok = kOpenQuote;
    return 1;
  }
  if (s.size() >= 3 && s.substr(0, 3) == "\xE2\x80\x9C") {  // “
    tok = kOpenQuote;
    return 3;
  }
  if (s.size() >= 3 && s.substr(0, 3) == "\xE2\x80\x98") {  // ‘
    tok = "'";
    return 3;
  }
  return 0;
}

inline bool is_abbreviation(std::string_view core) {
  static constexpr std::string_view kAbbr[] = {"Mr",   "Mrs",  "Ms",   "Dr",   "St",   "Inc", "Co",  "Corp",
                                               "Ltd",  "Jr",   "Sr",   "Gen",  "Gov",  "Sen", "Rep", "Prof",
                                               "vs",   "No",   "Bros", "Jan",  "Feb",  "Mar", "Apr", "Aug",
                                               "Sept", "Sep",  "Oct",  "Nov",  "Dec",  "Mt",  "Ft",  "approx"};
  if (core.size() == 1 && core[0] >= 'A' && core[0] <= 'Z') return true;
  for (auto a : kAbbr)
    if (core == a) return true;
  // U.S., e.g.: letters and inner periods only.
  if (core.find('.') == std::string_view::npos) return false;
  for (char c : core)
    if (!(c == '.' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  return true;
}

// Length of a trailing punctuation mark at the end of s, with its token text.
inline size_t trailing_punct(std::string_view s, std::string_view& tok) {
  if (s.empty()) return 0;
  const char c = s.back();
  if (c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']') {
    tok = s.substr(s.size() - 1);
    return 1;
  }
  if (c == '"') {
    tok = kCloseQuote;
    return 1;
  }
  if (c == '.') {
    std::string_view core = s.substr(0, s.size() - 1);
    if (core.empty() || core.back() == '.') {
      tok = s.substr(s.size() - 1);
      return 1;
    }
    // Keep the period on abbreviations, but a sentence can end on them too:
    // only "U.S." style tokens and the list above keep it.
    if (is_abbreviation(core)) return 0;
    tok = s.substr(s.size() - 1);
    return 1;
  }
  if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE2\x80\x9D") {  // ”
    tok = kCloseQuote;
    return 3;
  }
  return 0;
}

}  // namespace markov_detail

template <typename Fn>
void tokenize_surface(std::string_view text, Fn&& fn) {
  using namespace markov_detail;
  size_t i = 0;
  const size_t n = text.size();
  std::string_view trail[8];
  while (i < n) {
    while (i < n && is_space(static_cast<unsigned char>(text[i]))) ++i;
    size_t j = i;
    while (j < n && !is_space(static_cast<unsigned char>(text[j]))) ++j;
    if (j == i) break;
    std::string_view w = text.substr(i, j - i);
    i = j;
    std::string_view tok;
    size_t k;
    while (w.size() > 1 && (k = leading_punct(w, tok)) > 0 && k < w.size()) {
      fn(tok);
      w.remove_prefix(k);
    }
    int nt = 0;
    while (w.size() > 1 && nt < 8 && (k = trailing_punct(w, tok)) > 0 && k < w.size()) {
      trail[nt++] = tok;
      w.remove_suffix(k);
    }
    if (w == "\"" || w == kOpenQuote) w = kOpenQuote;
    fn(w);
    while (nt > 0) fn(trail[--nt]);
  }
}

}  // namespace dateline::corpus_detail
