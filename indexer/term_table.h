// The in-memory dictionary of a segment being built: term -> dense term id
// (0, 1, 2, ... in order of first appearance). Open addressing with linear
// probing over 8-byte slots (a hash fragment and the id), the names kept
// once, in a vector the caller can sort at the end: one cache miss per
// lookup in the common case, where std::unordered_map takes several.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

class TermTable {
 public:
  TermTable();

  // The id of `term`, adding it (with the next id) if new; `inserted` says which.
  uint32_t find_or_add(std::string_view term, bool& inserted);
  size_t size() const { return names_.size(); }
  const std::string& name(uint32_t id) const { return names_[id]; }
  const std::vector<std::string>& names() const { return names_; }
  // Bytes held by the slots (the names are the caller's to count).
  size_t slot_bytes() const { return slots_.capacity() * sizeof(uint64_t); }

 private:
  void grow();
  std::vector<uint64_t> slots_;  // 0: empty; else (hash high 32 bits << 32) | (id + 1)
  std::vector<std::string> names_;
  uint64_t mask_ = 0;
};

}  // namespace dateline
