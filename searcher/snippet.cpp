#include "searcher/snippet.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace dateline {

namespace {

constexpr int32_t kNoWord = -1;

bool starts_with_any(const std::string& word, const std::vector<std::string>& prefixes) {
  for (const std::string& p : prefixes)
    if (word.starts_with(p)) return true;
  return false;
}

// The first token of the window of w tokens (w <= word.size()) with the most
// distinct words (word[i]: which query word token i is, kNoWord for none),
// then the most matches, earliest on ties; moved to start a few tokens
// before its first match, for context.
size_t choose_window(const std::vector<int32_t>& word, size_t w) {
  const size_t n = word.size();
  size_t best_start = 0, best_distinct = 0, best_hits = 0;
  std::unordered_map<int32_t, int> in_window;
  size_t hits = 0;
  for (size_t i = 0; i < n; ++i) {
    if (word[i] != kNoWord) {
      ++in_window[word[i]];
      ++hits;
    }
    if (i >= w && word[i - w] != kNoWord) {
      if (--in_window[word[i - w]] == 0) in_window.erase(word[i - w]);
      --hits;
    }
    if (i + 1 >= w) {
      const size_t start = i + 1 - w;
      if (in_window.size() > best_distinct || (in_window.size() == best_distinct && hits > best_hits)) {
        best_distinct = in_window.size();
        best_hits = hits;
        best_start = start;
      }
    }
  }
  if (best_hits == 0) return best_start;
  size_t first = best_start;
  while (word[first] == kNoWord) ++first;
  const size_t lead = std::min<size_t>(first - best_start, 4);
  return std::min(first >= lead ? first - lead : 0, n - w);
}

// The snippet of `text` whose tokens are `spans` (word[i]: as above).
Snippet cut_window(const std::string& text, const std::vector<std::pair<uint32_t, uint32_t>>& spans,
                   const std::vector<int32_t>& word, size_t max_words) {
  Snippet s;
  if (spans.empty() || max_words == 0) return s;
  const size_t n = spans.size();
  const size_t w = std::min(max_words, n);
  const size_t best_start = choose_window(word, w);
  const size_t last = best_start + w - 1;
  const size_t from = best_start == 0 ? 0 : spans[best_start].first;
  const size_t to = last + 1 == n ? text.size() : spans[last].second;
  if (best_start > 0) s.text = "\xE2\x80\xA6 ";
  const size_t base = s.text.size();
  for (size_t i = from; i < to; ++i) {
    const char c = text[i];
    s.text.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  }
  while (!s.text.empty() && s.text.back() == ' ') s.text.pop_back();
  if (last + 1 < n) s.text += " \xE2\x80\xA6";
  for (size_t i = best_start; i <= last; ++i)
    if (word[i] != kNoWord) s.matches.emplace_back(base + spans[i].first - from, base + spans[i].second - from);
  return s;
}

// word[i] for the first n tokens of a text whose query words are `hits`.
std::vector<int32_t> words_at(const std::vector<WordHit>& hits, size_t n) {
  std::vector<int32_t> word(n, kNoWord);
  for (const WordHit& h : hits)
    if (h.position < n) word[h.position] = static_cast<int32_t>(h.word);
  return word;
}

}  // namespace

Snippet make_snippet(const std::string& text, const std::unordered_set<std::string>& terms,
                     Analyzer& analyzer, size_t max_words, const std::vector<std::string>& prefixes) {
  // Reused from call to call: a result page makes ten snippets.
  thread_local std::vector<Token> tokens;
  tokens.clear();
  analyzer.analyze(text, true, tokens);
  std::vector<std::pair<uint32_t, uint32_t>> spans(tokens.size());
  std::vector<int32_t> word(tokens.size(), kNoWord);
  std::unordered_map<std::string, int32_t> numbers;  // a matched token's analysed form
  for (size_t i = 0; i < tokens.size(); ++i) {
    spans[i] = {tokens[i].start, tokens[i].end};
    bool hit = terms.count(tokens[i].term) > 0;
    if (!hit && !prefixes.empty())
      hit = starts_with_any(analyzer.fold(std::string_view(text).substr(tokens[i].start, tokens[i].end - tokens[i].start)),
                            prefixes);
    if (hit) word[i] = numbers.emplace(tokens[i].term, static_cast<int32_t>(numbers.size())).first->second;
  }
  return cut_window(text, spans, word, max_words);
}

Snippet make_snippet_at(const std::string& text, const std::vector<WordHit>& hits, const Analyzer& analyzer,
                        size_t max_words) {
  if (max_words == 0) return Snippet{};
  // The window is chosen from the positions alone, as if the text were long
  // enough for every window up to the last match's; then the text is split
  // only through one token past it. When it has that many tokens, the
  // windows the text really has pick the same one (the ones it lacks hold a
  // subset of the matches of its last full window, which comes earlier), and
  // the window cut from the prefix is the window cut from the whole text.
  // (A text has fewer tokens than bytes: later positions are not in it.)
  size_t last_hit = 0;
  for (const WordHit& h : hits)
    if (h.position < text.size()) last_hit = std::max<size_t>(last_hit, h.position);
  const size_t assumed = last_hit + max_words;
  const size_t need = choose_window(words_at(hits, assumed), max_words) + max_words + 1;
  thread_local std::vector<std::pair<uint32_t, uint32_t>> spans;
  spans.clear();
  analyzer.token_spans(text, spans, need);
  // Fewer tokens than needed: `spans` is the whole text.
  return cut_window(text, spans, words_at(hits, spans.size()), max_words);
}

}  // namespace dateline
