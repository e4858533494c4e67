// Many growing byte streams in one pool of fixed-size blocks: the in-memory
// postings of a segment being built (one stream of doc deltas and one of
// positions per term). As Lucene's ByteBlockPool: a stream starts as a
// 5-byte slice; each full slice links to a larger one (up to 200 bytes) put
// at the end of the pool, so appending never copies a stream and a term
// seen once costs 5 bytes, not a vector.
//
// A slice's last byte is a nonzero level marker over zero-filled memory: a
// writer that meets it allocates the next slice, moves the 3 bytes before
// the marker there and writes the new slice's address in their place. So a
// stream's whole write state is one 32-bit offset (`upto`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace dateline {

class ByteSlicePool {
 public:
  static constexpr uint32_t kBlockBits = 16;  // 64 KiB blocks
  static constexpr uint32_t kBlockSize = 1u << kBlockBits;
  // Offsets are 32-bit: the pool holds at most this many bytes.
  static constexpr uint64_t kMaxBytes = uint64_t{1} << 32;

  ByteSlicePool() = default;
  ByteSlicePool(const ByteSlicePool&) = delete;
  ByteSlicePool& operator=(const ByteSlicePool&) = delete;

  // Starts a stream; returns its first offset, which is also its write
  // offset (`upto`) while it is empty.
  uint32_t new_stream();
  // Appends one byte / a variable-byte integer (7 bits a byte, low first)
  // to the stream whose write offset is `upto`, and advances it.
  void write_byte(uint32_t& upto, uint8_t b) {
    uint8_t* p = at(upto);
    if (*p != 0) p = next_slice(upto);
    *p = b;
    ++upto;
  }
  void write_vbyte(uint32_t& upto, uint32_t v) {
    while (v >= 0x80) {
      write_byte(upto, static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    write_byte(upto, static_cast<uint8_t>(v));
  }

  // Starts loading the byte a write at `upto` goes to.
  void prefetch(uint32_t upto) const { __builtin_prefetch(at(upto), 1); }

  // Bytes of the pool in use: the blocks allocated so far, less what the
  // last one has left (under 64 KiB; so a tiny memory budget still lets a
  // segment take more than one article).
  size_t memory_bytes() const { return blocks_.empty() ? 0 : (blocks_.size() - 1) * size_t{kBlockSize} + used_; }
  // True when the pool cannot take another block (the segment must be written).
  bool nearly_full() const { return (blocks_.size() + 1) * uint64_t{kBlockSize} >= kMaxBytes; }

  // Reads back one stream, from its first offset to its write offset.
  class Reader {
   public:
    Reader(const ByteSlicePool& pool, uint32_t start, uint32_t end);
    bool done() const { return pos_ == end_; }
    uint8_t read_byte() {
      if (pos_ == limit_) next_slice();
      return *pool_.at(pos_++);
    }
    uint32_t read_vbyte() {
      uint32_t v = 0;
      for (int shift = 0;; shift += 7) {
        const uint8_t b = read_byte();
        v |= uint32_t{b & 0x7Fu} << shift;
        if (b < 0x80) return v;
      }
    }

   private:
    void next_slice();
    void enter(uint32_t slice, uint32_t size);
    const ByteSlicePool& pool_;
    uint32_t pos_, end_, limit_;
    int level_ = 0;
  };

 private:
  uint8_t* at(uint32_t offset) const { return blocks_[offset >> kBlockBits].get() + (offset & (kBlockSize - 1)); }
  // Allocates a slice of `size` bytes ending in the marker of `level`.
  uint32_t allocate(uint32_t size, int level);
  // The writer at `upto` met a slice's marker: links a new slice and returns
  // where the byte goes (`upto` moves with it).
  uint8_t* next_slice(uint32_t& upto);

  std::vector<std::unique_ptr<uint8_t[]>> blocks_;
  uint32_t used_ = kBlockSize;  // bytes used in the last block
};

}  // namespace dateline
