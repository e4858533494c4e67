#include "indexer/byte_slice_pool.h"

#include <cstring>
#include <stdexcept>

namespace dateline {

namespace {

// Slice sizes by level (Lucene's), and the level a full slice links to.
constexpr uint32_t kSliceSize[] = {5, 14, 20, 30, 40, 40, 80, 80, 120, 200};
constexpr int kLastLevel = 9;
constexpr uint8_t kMarker = 0x10;  // marker byte: kMarker | level, never 0

int next_level(int level) { return level < kLastLevel ? level + 1 : kLastLevel; }

uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

uint32_t ByteSlicePool::allocate(uint32_t size, int level) {
  if (used_ + size > kBlockSize) {
    if (nearly_full()) throw std::runtime_error("in-memory postings exceed 4 GiB: lower --ram-mb");
    blocks_.push_back(std::make_unique<uint8_t[]>(kBlockSize));  // zero-filled
    used_ = 0;
  }
  const uint32_t offset = static_cast<uint32_t>(((blocks_.size() - 1) << kBlockBits) | used_);
  used_ += size;
  *at(offset + size - 1) = static_cast<uint8_t>(kMarker | level);
  return offset;
}

uint32_t ByteSlicePool::new_stream() { return allocate(kSliceSize[0], 0); }

uint8_t* ByteSlicePool::next_slice(uint32_t& upto) {
  uint8_t* marker = at(upto);
  const int level = next_level(*marker & 0x0F);
  const uint32_t slice = allocate(kSliceSize[level], level);
  // The 3 bytes before the marker move to the new slice; the 4 bytes from
  // them to the marker become its address. Both lie in one block.
  uint8_t* moved = marker - 3;
  uint8_t* dest = at(slice);
  std::memcpy(dest, moved, 3);
  std::memcpy(moved, &slice, 4);
  upto = slice + 3;
  return dest + 3;
}

ByteSlicePool::Reader::Reader(const ByteSlicePool& pool, uint32_t start, uint32_t end)
    : pool_(pool), end_(end) {
  enter(start, kSliceSize[0]);
}

// A slice that does not hold the end is followed by a later one (slices are
// allocated at increasing offsets): its data stops 4 bytes short of its end,
// where the address of the next slice is.
void ByteSlicePool::Reader::enter(uint32_t slice, uint32_t size) {
  pos_ = slice;
  limit_ = end_ < slice + size ? end_ : slice + size - 4;
}

void ByteSlicePool::Reader::next_slice() {
  const uint32_t slice = load_u32(pool_.at(limit_));
  level_ = next_level(level_);
  enter(slice, kSliceSize[level_]);
}

}  // namespace dateline
