#include "indexer/posting_cursor.h"

#include <bit>
#include <cstring>

#include "common/block_codec.h"
#include "common/checksum.h"
#include "common/varint.h"
#include "indexer/format.h"

namespace dateline {

CorruptIndex PostingCursor::fault(bool in_positions, const std::string& what, uint64_t offset) const {
  std::string file = in_positions ? format::kPositionsFile : format::kPostingsFile;
  if (segment_dir_) file = *segment_dir_ + "/" + file;
  return CorruptIndex(file + ": " + what + " at byte " + std::to_string(offset));
}

PostingCursor::PostingCursor(std::string_view postings, std::string_view positions, const TermInfo& info,
                             uint32_t doc_limit, const std::string* segment_dir)
    : postings_(postings), positions_(positions), segment_dir_(segment_dir), df_(info.df) {
  const uint64_t start = info.postings_offset;
  if (start >= postings.size() || info.positions_offset > positions.size())
    throw fault(false, "term postings offset out of range (from terms.dict)", start);
  try {
    parse_skip_entries(info, doc_limit);
  } catch (const CorruptIndex& e) {
    const std::string what = e.what();
    if (what.find(format::kPostingsFile) != std::string::npos) throw;
    throw fault(false, "damaged skip entries (" + what + ")", start);
  }
  if (!blocks_.empty()) load_block(0);
}

void PostingCursor::parse_skip_entries(const TermInfo& info, uint32_t doc_limit) {
  const uint64_t start = info.postings_offset;
  ByteReader r(postings_.data() + start, postings_.data() + postings_.size());
  const uint32_t n_blocks = r.varint32();
  if (n_blocks != (df_ + format::kBlockSize - 1) / format::kBlockSize)
    throw fault(false, "block count does not match the document frequency", start);
  blocks_.resize(n_blocks);
  uint64_t pos_off = info.positions_offset;
  for (uint32_t b = 0; b < n_blocks; ++b) {
    Block& blk = blocks_[b];
    blk.last_doc = r.varint32();
    blk.doc_bytes = r.varint32();
    blk.freq_bytes = r.varint32();
    blk.pos_bytes = r.varint32();
    blk.data_check = r.u32();
    blk.pos_check = r.u32();
    blk.impacts_offset = static_cast<uint64_t>(r.pos() - postings_.data());
    const uint32_t n_impacts = r.varint32();
    if (n_impacts == 0 || n_impacts > format::kMaxImpacts) throw CorruptIndex("bad impact count");
    for (uint32_t i = 0; i < 2 * n_impacts; ++i) r.varint();
    blk.count = b + 1 < n_blocks ? format::kBlockSize : df_ - b * format::kBlockSize;
    blk.pos_offset = pos_off;
    pos_off += blk.pos_bytes;
    if (b > 0 && blk.last_doc <= blocks_[b - 1].last_doc) throw CorruptIndex("blocks not ascending");
  }
  const size_t skip_bytes = static_cast<size_t>(r.pos() - (postings_.data() + start));
  if (!inner_checksum_matches(r.u32(), checksum32(postings_.substr(start, skip_bytes))))
    throw fault(false, "skip entries damaged (checksum mismatch)", start);
  if (pos_off > positions_.size()) throw fault(false, "positions out of range", start);
  if (n_blocks > 0 && blocks_.back().last_doc >= doc_limit) throw fault(false, "postings name a missing document", start);
  uint64_t off = static_cast<uint64_t>(r.pos() - postings_.data());
  for (auto& blk : blocks_) {
    blk.doc_offset = off;
    off += blk.doc_bytes + blk.freq_bytes;
  }
  if (off > postings_.size()) throw fault(false, "postings out of range", start);
}

uint32_t PostingCursor::block_impacts(size_t b, Impact* out) const {
  ByteReader r(postings_.data() + blocks_[b].impacts_offset, postings_.data() + postings_.size());
  const uint32_t n = r.varint32();  // checked by the constructor
  for (uint32_t i = 0; i < n; ++i) {
    out[i].freq = r.varint32();
    out[i].length = r.varint32();
  }
  return n;
}

void PostingCursor::load_block(size_t b) {
  block_ = b;
  idx_ = 0;
  if (b >= blocks_.size()) {
    doc_ = kEnd;
    return;
  }
  const Block& blk = blocks_[b];
  const uint32_t prev = b == 0 ? 0 : blocks_[b - 1].last_doc;
  const char* p = postings_.data() + blk.doc_offset;
  const size_t avail = postings_.size() - blk.doc_offset;
  if (!inner_checksum_matches(blk.data_check,
                              checksum32(std::string_view(p, std::min<size_t>(avail, blk.doc_bytes + blk.freq_bytes)))))
    throw fault(false, "damaged postings block (checksum mismatch)", blk.doc_offset);
  if (decode_doc_block(p, std::min<size_t>(avail, blk.doc_bytes), blk.count, prev, docs_) != blk.doc_bytes ||
      decode_value_block(p + blk.doc_bytes, std::min<size_t>(avail - blk.doc_bytes, blk.freq_bytes),
                         blk.count, freqs_) != blk.freq_bytes ||
      docs_[blk.count - 1] != blk.last_doc)
    throw fault(false, "damaged postings block", blk.doc_offset);
  pos_ptr_ = positions_.data() + blk.pos_offset;
  pos_end_ = pos_ptr_ + blk.pos_bytes;
  pos_idx_ = 0;
  pos_verified_ = false;
  positions_doc_idx_ = UINT32_MAX;
  doc_ = docs_[0];
}

void PostingCursor::next() {
  if (doc_ == kEnd) return;
  if (++idx_ < blocks_[block_].count) {
    doc_ = docs_[idx_];
  } else {
    load_block(block_ + 1);
  }
}

void PostingCursor::advance(uint32_t target) {
  if (doc_ == kEnd || doc_ >= target) return;
  if (blocks_[block_].last_doc < target) {
    size_t b = block_ + 1;
    while (b < blocks_.size() && blocks_[b].last_doc < target) ++b;
    load_block(b);
    if (doc_ == kEnd) return;
  }
  while (docs_[idx_] < target) ++idx_;
  doc_ = docs_[idx_];
}

namespace {

// Skips `count` varints in [p, end): each one ends at a byte below 0x80, so
// this counts those bytes, eight at a time. Throws CorruptIndex when the
// varints run past `end`; never reads beyond it.
const char* skip_varints(const char* p, const char* end, uint64_t count) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  while (count > 0 && end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    uint64_t ends = ~w & kHighBits;  // high bit set in each terminating byte
    const uint64_t n = ((ends >> 7) * 0x0101010101010101ULL) >> 56;  // bytes with the bit (no POPCNT needed)
    if (n < count) {
      count -= n;
      p += 8;
      continue;
    }
    for (; count > 1; --count) ends &= ends - 1;  // drop all but the count-th terminator
    return p + std::countr_zero(ends) / 8 + 1;     // little-endian: low byte first
  }
  for (; count > 0; ++p) {
    if (p >= end) throw CorruptIndex("truncated positions");
    if (!(static_cast<unsigned char>(*p) & 0x80)) --count;
  }
  return p;
}

// Decodes `n` position gaps from p into running sums in out; returns the end.
// Unchecked: the caller guarantees 5 readable bytes per value. Throws
// CorruptIndex for a varint longer than 5 bytes.
const char* decode_positions_unchecked(const char* p, uint32_t n, uint32_t* out) {
  uint32_t pos = 0;
  for (uint32_t j = 0; j < n; ++j) {
    uint32_t b = static_cast<unsigned char>(*p++);
    uint32_t v = b & 0x7F;
    for (int shift = 7; b & 0x80; shift += 7) {
      if (shift > 28) throw CorruptIndex("overlong varint in positions");
      b = static_cast<unsigned char>(*p++);
      v |= (b & 0x7F) << shift;
    }
    out[j] = pos += v;
  }
  return p;
}

}  // namespace

const std::vector<uint32_t>& PostingCursor::positions() {
  if (positions_doc_idx_ == idx_) return positions_buf_;
  if (!pos_verified_) {
    const Block& blk = blocks_[block_];
    if (!inner_checksum_matches(blk.pos_check, checksum32(positions_.substr(blk.pos_offset, blk.pos_bytes))))
      throw fault(true, "damaged positions block (checksum mismatch)", blk.pos_offset);
    pos_verified_ = true;
  }
  // Skip the positions of the documents before the current one.
  uint64_t skip = 0;
  for (; pos_idx_ < idx_; ++pos_idx_) skip += freqs_[pos_idx_];
  pos_ptr_ = skip_varints(pos_ptr_, pos_end_, skip);
  const uint32_t freq = freqs_[idx_];
  positions_buf_.resize(freq);
  if (static_cast<uint64_t>(pos_end_ - pos_ptr_) >= 5ull * freq) {
    decode_positions_unchecked(pos_ptr_, freq, positions_buf_.data());
  } else {  // near the end of the block: check every byte
    ByteReader r(pos_ptr_, pos_end_);
    uint32_t p = 0;
    for (uint32_t j = 0; j < freq; ++j) positions_buf_[j] = p += r.varint32();
  }
  positions_doc_idx_ = idx_;
  return positions_buf_;
}

}  // namespace dateline
