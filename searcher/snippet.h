// Query-dependent snippets: the passage of the body with the most query
// words, and the byte ranges of those words for highlighting.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/analyzer.h"

namespace dateline {

struct Snippet {
  std::string text;                                // plain text, may start/end with "…"
  std::vector<std::pair<size_t, size_t>> matches;  // [start, end) byte ranges in text
};

// Picks a window of about `max_words` words of `text` holding the most
// distinct words whose analysed (stemmed) form is in `terms` or whose folded
// written form starts with one of `prefixes`; on ties the most matches, then
// the earliest. Without any match, returns the opening words. Analyses the
// whole text (the reference for make_snippet_at, and the way for prefixes).
Snippet make_snippet(const std::string& text, const std::unordered_set<std::string>& terms,
                     Analyzer& analyzer, size_t max_words = 32, const std::vector<std::string>& prefixes = {});

// One query word in a text: its token position (0 = the text's first token)
// and which query word it is.
struct WordHit {
  uint32_t position;
  uint32_t word;
};

// The snippet make_snippet() picks, when the index already says where the
// query's words are (`hits`, in any order; positions past the text's last
// token are ignored): only the token boundaries of `text` are computed, up
// to one token past the window, and no word is folded or stemmed.
Snippet make_snippet_at(const std::string& text, const std::vector<WordHit>& hits, const Analyzer& analyzer,
                        size_t max_words = 32);

}  // namespace dateline
