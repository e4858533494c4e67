#include "indexer/term_table.h"

#include <xxhash.h>

namespace dateline {

namespace {

uint64_t hash_of(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

}  // namespace

TermTable::TermTable() : slots_(1024, 0), mask_(1023) {}

uint32_t TermTable::find_or_add(std::string_view term, bool& inserted) {
  const uint64_t h = hash_of(term);
  const uint64_t tag = h >> 32;
  for (uint64_t i = h & mask_;; i = (i + 1) & mask_) {
    const uint64_t slot = slots_[i];
    if (slot == 0) {
      const auto id = static_cast<uint32_t>(names_.size());
      names_.emplace_back(term);
      slots_[i] = (tag << 32) | (uint64_t{id} + 1);
      inserted = true;
      if (names_.size() * 2 > slots_.size()) grow();
      return id;
    }
    if ((slot >> 32) == tag) {
      const auto id = static_cast<uint32_t>((slot & 0xFFFFFFFFu) - 1);
      if (names_[id] == term) {
        inserted = false;
        return id;
      }
    }
  }
}

// Doubles the slots (at most half of them in use).
void TermTable::grow() {
  std::vector<uint64_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (const uint64_t slot : old) {
    if (slot == 0) continue;
    const auto id = static_cast<uint32_t>((slot & 0xFFFFFFFFu) - 1);
    uint64_t i = hash_of(names_[id]) & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

}  // namespace dateline
