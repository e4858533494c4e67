// A dictionary of terms being collected: term -> dense term id (0, 1, 2, ...
// in order of first appearance). Open addressing with linear probing over
// 8-byte slots (a hash fragment and where the term's entry is), the entries
// (id, length, name) end to end in one buffer: a lookup reads a slot and an
// entry, two cache misses that prefetch() can start early, where
// std::unordered_map takes several, and no allocation per term. Used for the
// terms of one document being analysed and of a segment being built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

class TermTable {
 public:
  TermTable();

  // The hash find_or_add uses; a caller that already has it passes it on.
  static uint64_t hash(std::string_view term);

  // The id of `term`, adding it (with the next id) if new; `inserted` says which.
  uint32_t find_or_add(std::string_view term, uint64_t hash, bool& inserted);
  uint32_t find_or_add(std::string_view term, bool& inserted) { return find_or_add(term, hash(term), inserted); }

  // Starts loading the slot a lookup of a term of this hash reads first.
  void prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

  size_t size() const { return offsets_.size(); }
  std::string_view name(uint32_t id) const { return entry_name(offsets_[id]); }
  // Bytes held by the slots and the names.
  size_t memory_bytes() const;
  // Forgets every term, keeping the memory for the next ones (a table that
  // grew far past the terms it held gets small again).
  void clear();

 private:
  static constexpr size_t kEntryHeader = 8;  // u32 id, u32 name length
  std::string_view entry_name(uint32_t offset) const;
  uint32_t entry_id(uint32_t offset) const;
  void grow();
  std::vector<uint64_t> slots_;    // 0: empty; else (hash high 32 bits << 32) | (entry offset + 1)
  std::string entries_;            // every term's entry, end to end
  std::vector<uint32_t> offsets_;  // each id's entry in entries_
  uint64_t mask_ = 0;
};

}  // namespace dateline
