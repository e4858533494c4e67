#include "indexer/term_table.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "common/memory_size.h"

namespace dateline {

namespace {

constexpr size_t kInitialSlots = 1024;

}  // namespace

TermTable::TermTable() : slots_(kInitialSlots, 0), mask_(kInitialSlots - 1) {}

uint64_t TermTable::hash(std::string_view term) { return XXH3_64bits(term.data(), term.size()); }

std::string_view TermTable::entry_name(uint32_t offset) const {
  uint32_t length;
  std::memcpy(&length, entries_.data() + offset + 4, 4);
  return std::string_view(entries_.data() + offset + kEntryHeader, length);
}

uint32_t TermTable::entry_id(uint32_t offset) const {
  uint32_t id;
  std::memcpy(&id, entries_.data() + offset, 4);
  return id;
}

uint32_t TermTable::find_or_add(std::string_view term, uint64_t h, bool& inserted) {
  const uint64_t tag = h >> 32;
  for (uint64_t i = h & mask_;; i = (i + 1) & mask_) {
    const uint64_t slot = slots_[i];
    if (slot == 0) {
      if (entries_.size() + kEntryHeader + term.size() >= UINT32_MAX)
        throw std::runtime_error("term table exceeds 4 GiB of names");
      const auto id = static_cast<uint32_t>(offsets_.size());
      const auto offset = static_cast<uint32_t>(entries_.size());
      const auto length = static_cast<uint32_t>(term.size());
      char header[kEntryHeader];
      std::memcpy(header, &id, 4);
      std::memcpy(header + 4, &length, 4);
      entries_.append(header, kEntryHeader);
      entries_.append(term);
      offsets_.push_back(offset);
      slots_[i] = (tag << 32) | (uint64_t{offset} + 1);
      inserted = true;
      if (offsets_.size() * 2 > slots_.size()) grow();
      return id;
    }
    if ((slot >> 32) == tag) {
      const auto offset = static_cast<uint32_t>((slot & 0xFFFFFFFFu) - 1);
      if (entry_name(offset) == term) {
        inserted = false;
        return entry_id(offset);
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
    uint64_t i = hash(entry_name(static_cast<uint32_t>((slot & 0xFFFFFFFFu) - 1))) & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

size_t TermTable::memory_bytes() const {
  return allocation_bytes(slots_.capacity() * sizeof(uint64_t)) + allocation_bytes(entries_.capacity()) +
         allocation_bytes(offsets_.capacity() * sizeof(uint32_t));
}

void TermTable::clear() {
  if (slots_.size() > 8 * kInitialSlots && offsets_.size() * 8 < slots_.size()) {
    std::vector<uint64_t>(kInitialSlots, 0).swap(slots_);
    mask_ = kInitialSlots - 1;
  } else {
    std::fill(slots_.begin(), slots_.end(), 0);
  }
  entries_.clear();
  offsets_.clear();
}

}  // namespace dateline
