// Position predicates for phrase and proximity queries. Small and separate so
// they can be unit-tested and benchmarked alone.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace dateline {

// One term's positions in one document, ascending.
using PositionList = std::span<const uint32_t>;

// True if some start p has lists[i] holding p + i for every i: an exact
// phrase (a word repeated in the phrase passes its list at each place).
// The shortest list proposes the starts and the others are checked
// shortest first; it stops at the first match.
bool exact_phrase(const std::vector<PositionList>& lists);

// True if there are positions p0 < p1 < ... < pk-1, pi taken from lists[i],
// with pk-1 - p0 + 1 <= window. (Xapian's OP_PHRASE; window == k is an exact
// phrase.) Every list must be ascending.
bool ordered_within(const std::vector<PositionList>& lists, uint32_t window);

// True if one position can be taken from each list, all distinct, with
// max - min + 1 <= window, in any order (Xapian's OP_NEAR). lists[i] may be
// the same list for a repeated term; `group[i]` identifies equal terms
// (lists with the same group are the same term).
bool unordered_within(const std::vector<PositionList>& lists, const std::vector<uint32_t>& group, uint32_t window);

}  // namespace dateline
