// Query-dependent snippets: the passage of the body with the most query
// words, and the byte ranges of those words for highlighting.
#pragma once

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
// written form starts with one of `prefixes`. Without any match, returns the
// opening words.
Snippet make_snippet(const std::string& text, const std::unordered_set<std::string>& terms,
                     Analyzer& analyzer, size_t max_words = 32, const std::vector<std::string>& prefixes = {});

}  // namespace dateline
