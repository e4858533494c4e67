#include "searcher/snippet.h"

#include <unordered_map>

namespace dateline {

namespace {

bool starts_with_any(const std::string& word, const std::vector<std::string>& prefixes) {
  for (const std::string& p : prefixes)
    if (word.starts_with(p)) return true;
  return false;
}

}  // namespace

Snippet make_snippet(const std::string& text, const std::unordered_set<std::string>& terms,
                     Analyzer& analyzer, size_t max_words, const std::vector<std::string>& prefixes) {
  // Reused from call to call: a result page makes ten snippets.
  thread_local std::vector<Token> tokens;
  thread_local std::vector<char> hit;
  tokens.clear();
  analyzer.analyze(text, true, tokens);
  Snippet s;
  if (tokens.empty()) return s;
  hit.assign(tokens.size(), 0);
  for (size_t i = 0; i < tokens.size(); ++i) {
    hit[i] = terms.count(tokens[i].term) > 0;
    if (!hit[i] && !prefixes.empty())
      hit[i] = starts_with_any(analyzer.fold(std::string_view(text).substr(tokens[i].start, tokens[i].end - tokens[i].start)),
                               prefixes);
  }

  // Best window by (distinct matched terms, matches), earliest on ties.
  size_t best_start = 0, best_distinct = 0, best_hits = 0;
  std::unordered_map<std::string, int> in_window;
  size_t hits = 0;
  const size_t w = std::min(max_words, tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (hit[i]) {
      ++in_window[tokens[i].term];
      ++hits;
    }
    if (i >= w && hit[i - w]) {
      if (--in_window[tokens[i - w].term] == 0) in_window.erase(tokens[i - w].term);
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
  // Start a little before the first match so it has some context.
  size_t first = best_start;
  if (best_hits > 0) {
    while (!hit[first]) ++first;
    const size_t lead = std::min<size_t>(first - best_start, 4);
    best_start = first >= lead ? first - lead : 0;
    best_start = std::min(best_start, tokens.size() - w);
  }
  const size_t last = best_start + w - 1;
  const size_t from = best_start == 0 ? 0 : tokens[best_start].start;
  const size_t to = last + 1 == tokens.size() ? text.size() : tokens[last].end;
  if (best_start > 0) s.text = "\xE2\x80\xA6 ";
  const size_t base = s.text.size();
  for (size_t i = from; i < to; ++i) {
    const char c = text[i];
    s.text.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  }
  while (!s.text.empty() && s.text.back() == ' ') s.text.pop_back();
  if (last + 1 < tokens.size()) s.text += " \xE2\x80\xA6";
  for (size_t i = best_start; i <= last; ++i)
    if (hit[i]) s.matches.emplace_back(base + tokens[i].start - from, base + tokens[i].end - from);
  return s;
}

}  // namespace dateline
