// The operand of a quotation query (`quote:`, `said:`) as a tree over its
// distinct words, evaluated inside one span of token positions: by the
// WithinScorer on an index, and by quotation_matches() on a stored
// quotation's text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/query.h"
#include "searcher/position_match.h"

namespace dateline {

struct SpanNode {
  enum class Kind { Any, Term, Phrase, Ordered, Near, And, Or, AndNot };  // Any: every span
  Kind kind = Kind::Term;
  std::vector<uint32_t> words;  // leaves: indexes of the distinct words, in query order
  std::vector<uint32_t> group;  // Near: per word, the first query word equal to it
  uint32_t window = 0;          // Ordered, Near
  std::vector<SpanNode> kids;   // And, Or, AndNot (kids[0] and not kids[1])
};

// The tree of a Within node's operand (words, phrases, NEAR, AND, OR,
// AND_NOT: what the parser lets through; none: Any), its distinct words
// appended to `words`.
SpanNode span_tree(const Query& within, std::vector<std::string>& words);

// The operand without its NOT parts: a document that matches inside a
// quotation matches this anywhere.
Query positive_part(const Query& operand);

// Whether `n` holds inside the span [lo, hi], `positions[w]` being the
// ascending positions of distinct word w.
bool span_matches(const SpanNode& n, const std::vector<PositionList>& positions, uint32_t lo, uint32_t hi);

}  // namespace dateline
