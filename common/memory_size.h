// Estimates of heap memory as glibc's malloc hands it out, for the memory
// budgets of indexing (the segments in memory, a run's id tables).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>

namespace dateline {

// What malloc takes for a block of `n` bytes: a header, 16-byte rounding,
// the smallest chunk.
inline size_t allocation_bytes(size_t n) { return n == 0 ? 0 : std::max<size_t>(32, (n + 8 + 15) & ~size_t{15}); }

// A string's own heap block, if it is too long to be stored inline (libstdc++ keeps 15 bytes inline).
inline size_t string_heap_bytes(const std::string& s) { return s.size() > 15 ? allocation_bytes(s.size() + 1) : 0; }

}  // namespace dateline
