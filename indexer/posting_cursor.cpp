#include "indexer/posting_cursor.h"

#include <algorithm>
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
    : postings_(postings), positions_(positions), segment_dir_(segment_dir), doc_limit_(doc_limit), df_(info.df) {
  const uint64_t start = info.postings_offset;
  if (start >= postings.size() || info.positions_offset > positions.size())
    throw fault(false, "term postings offset out of range (from terms.dict)", start);
  if (df_ == 0) throw fault(false, "term without documents", start);
  n_blocks_ = (static_cast<size_t>(df_) + format::kBlockSize - 1) / format::kBlockSize;
  try {
    parse_head(info);
  } catch (const CorruptIndex& e) {
    const std::string what = e.what();
    if (what.find(format::kPostingsFile) != std::string::npos) throw;
    throw fault(false, "damaged term head (" + what + ")", start);
  }
  load_block(0);
}

// The term's impacts, then either its one block's entry or the size of its
// skip entries and a checksum of the head (docs/format.md).
void PostingCursor::parse_head(const TermInfo& info) {
  term_offset_ = info.postings_offset;
  const char* base = postings_.data();
  ByteReader r(base + term_offset_, base + postings_.size());
  term_impacts_offset_ = term_offset_;
  const uint32_t n_impacts = r.varint32();
  if (n_impacts == 0 || n_impacts > format::kMaxImpacts) throw CorruptIndex("bad impact count");
  for (uint32_t i = 0; i < 2 * n_impacts; ++i) r.varint32();
  if (n_blocks_ == 1) {
    Block b{};
    // A full block gives its last doc; a shorter one's is known once decoded.
    b.last_doc = df_ == format::kBlockSize ? r.varint32() : kEnd;
    b.data_bytes = r.varint32();
    b.pos_bytes = r.varint32();
    if (b.pos_bytes > 0) b.pos_check = r.u32();
    b.data_offset = static_cast<uint64_t>(r.pos() - base);
    b.pos_offset = info.positions_offset;
    b.impacts_offset = term_impacts_offset_;
    // The check after the data covers the head too.
    if (b.data_offset + b.data_bytes + 4 > postings_.size()) throw fault(false, "postings out of range", term_offset_);
    std::memcpy(&b.data_check, base + b.data_offset + b.data_bytes, 4);
    single_check_ = true;
    if (b.pos_offset + b.pos_bytes > positions_.size()) throw fault(false, "positions out of range", term_offset_);
    blocks_.push_back(b);
    n_groups_ = 1;
    return;
  }
  n_groups_ = (n_blocks_ + format::kSkipGroup - 1) / format::kSkipGroup;
  const uint64_t skip_bytes = r.varint();
  const uint64_t index_bytes = n_groups_ > 1 ? r.varint() : 0;
  const size_t head_bytes = static_cast<size_t>(r.pos() - (base + term_offset_));
  if (!inner_checksum_matches(r.u32(), checksum32(postings_.substr(term_offset_, head_bytes))))
    throw fault(false, "damaged term head (checksum mismatch)", term_offset_);
  skip_start_ = next_group_ = static_cast<uint64_t>(r.pos() - base);
  skip_end_ = next_group_ + skip_bytes;
  if (skip_end_ > postings_.size()) throw fault(false, "skip entries out of range", term_offset_);
  next_data_ = skip_end_;
  next_pos_ = positions_start_ = info.positions_offset;
  if (n_groups_ > 1) {
    // The fixed entries, each group's impacts (at least two bytes), the check.
    if (index_bytes > skip_bytes || index_bytes < (n_groups_ - 1) * uint64_t{format::kGroupIndexEntry} + 2 * n_groups_ + 4)
      throw fault(false, "group index out of range", term_offset_);
    group_index_ = skip_end_ - index_bytes;
    group_impacts_ = group_index_ + (n_groups_ - 1) * uint64_t{format::kGroupIndexEntry};
  }
  blocks_.reserve(std::min<size_t>(n_blocks_, format::kSkipGroup));
}

void PostingCursor::read_entries_slow(size_t b) {
  b = std::min(b, n_blocks_ - 1);
  if (b < first_block_) return jump_to_group(b / format::kSkipGroup);
  const size_t next = first_block_ + blocks_.size();  // the next entry to read
  if (b < next) return;
  if (group_index_ && b / format::kSkipGroup > next / format::kSkipGroup) jump_to_group(b / format::kSkipGroup);
  while (first_block_ + blocks_.size() <= b) read_group();
}

void PostingCursor::check_group_index() {
  const size_t bytes = static_cast<size_t>(skip_end_ - 4 - group_index_);
  uint32_t stored;
  std::memcpy(&stored, postings_.data() + group_index_ + bytes, 4);
  if (!inner_checksum_matches(stored, checksum32(postings_.substr(group_index_, bytes))))
    throw fault(false, "group index damaged (checksum mismatch)", group_index_);
  group_index_checked_ = true;
}

PostingCursor::GroupStart PostingCursor::group_start(size_t g) {
  const char* base = postings_.data();
  if (!group_index_checked_) check_group_index();
  GroupStart out;
  std::memcpy(&out, base + group_index_ + (g - 1) * format::kGroupIndexEntry, sizeof out);
  const uint64_t at = group_index_ + (g - 1) * format::kGroupIndexEntry;
  if (out.last_doc_before >= doc_limit_) throw fault(false, "group index names a missing document", at);
  if (skip_start_ + out.skip_at >= group_index_ || skip_end_ + out.data_at > postings_.size() ||
      positions_start_ + out.pos_at > positions_.size())
    throw fault(false, "group index out of range", at);
  return out;
}

uint32_t PostingCursor::index_last_doc(size_t g) {
  if (!group_index_checked_) check_group_index();
  uint32_t last;
  std::memcpy(&last, postings_.data() + group_index_ + (g - 1) * format::kGroupIndexEntry, 4);
  return last;
}

size_t PostingCursor::group_for(uint32_t target, size_t lo) {
  // The last group from lo on whose preceding document is below target.
  size_t hi = n_groups_;
  ++lo;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (index_last_doc(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

void PostingCursor::jump_to_group(size_t g) {
  blocks_.clear();
  first_block_ = g * format::kSkipGroup;
  if (g == 0) {
    window_base_ = 0;
    next_group_ = skip_start_;
    next_data_ = skip_end_;
    next_pos_ = positions_start_;
  } else {
    const GroupStart start = group_start(g);
    window_base_ = start.last_doc_before;
    next_group_ = skip_start_ + start.skip_at;
    next_data_ = skip_end_ + start.data_at;
    next_pos_ = positions_start_ + start.pos_at;
  }
  read_group();
}

// The next group of skip entries, checked against its checksum.
void PostingCursor::read_group() {
  const char* base = postings_.data();
  const uint64_t group_start = next_group_;
  try {
    ByteReader r(base + group_start, base + skip_end_);
    const size_t n = std::min<size_t>(format::kSkipGroup, n_blocks_ - first_block_ - blocks_.size());
    for (size_t k = 0; k < n; ++k) {
      Block b{};
      const uint32_t gap = r.varint32();
      const bool first = first_block_ + blocks_.size() == 0;
      const uint64_t last = first ? gap : uint64_t{blocks_.empty() ? window_base_ : blocks_.back().last_doc} + gap;
      if (!first && gap == 0) throw CorruptIndex("blocks not ascending");
      if (last >= doc_limit_) throw fault(false, "postings name a missing document", group_start);
      b.last_doc = static_cast<uint32_t>(last);
      b.data_bytes = r.varint32();
      b.pos_bytes = r.varint32();
      b.data_check = r.u32();
      if (b.pos_bytes > 0) b.pos_check = r.u32();
      b.impacts_offset = static_cast<uint64_t>(r.pos() - base);
      const uint32_t n_impacts = r.varint32();
      if (n_impacts == 0 || n_impacts > format::kMaxImpacts) throw CorruptIndex("bad impact count");
      for (uint32_t i = 0; i < 2 * n_impacts; ++i) r.varint32();
      b.data_offset = next_data_;
      b.pos_offset = next_pos_;
      next_data_ += b.data_bytes;
      next_pos_ += b.pos_bytes;
      if (next_data_ > postings_.size()) throw fault(false, "postings out of range", group_start);
      if (next_pos_ > positions_.size()) throw fault(false, "positions out of range", group_start);
      blocks_.push_back(b);
    }
    const size_t group_bytes = static_cast<size_t>(r.pos() - (base + group_start));
    if (!inner_checksum_matches(r.u32(), checksum32(postings_.substr(group_start, group_bytes))))
      throw fault(false, "skip entries damaged (checksum mismatch)", group_start);
    next_group_ = static_cast<uint64_t>(r.pos() - base);
  } catch (const CorruptIndex& e) {
    const std::string what = e.what();
    if (what.find(format::kPostingsFile) != std::string::npos) throw;
    throw fault(false, "damaged skip entries (" + what + ")", group_start);
  }
}

void PostingCursor::verify_group_index() const {
  if (!group_index_) return;
  PostingCursor c = *this;  // walks every group in order, a group at a time
  c.blocks_.clear();
  c.first_block_ = 0;
  c.window_base_ = 0;
  c.next_group_ = skip_start_;
  c.next_data_ = skip_end_;
  c.next_pos_ = positions_start_;
  c.group_index_checked_ = false;
  for (size_t g = 0; g < n_groups_; ++g) {
    if (g > 0) {
      const GroupStart want = c.group_start(g);
      if (want.last_doc_before != c.window_base_ || skip_start_ + want.skip_at != c.next_group_ ||
          skip_end_ + want.data_at != c.next_data_ || positions_start_ + want.pos_at != c.next_pos_)
        throw fault(false, "group index disagrees with the skip entries", group_index_ + (g - 1) * format::kGroupIndexEntry);
    }
    c.read_group();
    c.verify_group_impacts(g);
    c.first_block_ += c.blocks_.size();
    c.window_base_ = c.blocks_.back().last_doc;
    c.blocks_.clear();
  }
  if (c.next_group_ != group_index_) throw fault(false, "skip entries do not end at the group index", c.next_group_);
}

// Every impact of the group's blocks (read) must be dominated by one of the
// group's: a frequency at least as high at a length at most as long.
void PostingCursor::verify_group_impacts(size_t g) {
  Impact group[format::kMaxImpacts], block[format::kMaxImpacts];
  const uint32_t n = group_impacts(g, group);
  for (size_t b = first_block_; b < first_block_ + blocks_.size(); ++b) {
    const uint32_t m = block_impacts(b, block);
    for (uint32_t i = 0; i < m; ++i) {
      bool covered = false;
      for (uint32_t j = 0; j < n && !covered; ++j) covered = group[j].freq >= block[i].freq && group[j].length <= block[i].length;
      if (!covered)
        throw fault(false, "group impacts do not bound block " + std::to_string(b) + "'s", group_index_);
    }
  }
}

namespace {

uint32_t read_impacts(const char* p, const char* end, Impact* out) {
  ByteReader r(p, end);
  const uint32_t n = r.varint32();  // checked when the entry was read
  for (uint32_t i = 0; i < n; ++i) {
    out[i].freq = r.varint32();
    out[i].length = r.varint32();
  }
  return n;
}

}  // namespace

uint32_t PostingCursor::group_impacts(size_t g, Impact* out) {
  if (!group_index_) return term_impacts(out);  // one group: the term's
  if (!group_index_checked_) check_group_index();
  uint32_t at = 0;
  if (g > 0) std::memcpy(&at, postings_.data() + group_index_ + (g - 1) * format::kGroupIndexEntry + 16, 4);
  const uint64_t end = skip_end_ - 4;
  if (at >= end - group_impacts_) throw fault(false, "group impacts out of range", group_index_);
  ByteReader r(postings_.data() + group_impacts_ + at, postings_.data() + end);
  try {
    const uint32_t n = r.varint32();
    if (n == 0 || n > format::kMaxImpacts) throw CorruptIndex("bad impact count");
    for (uint32_t i = 0; i < n; ++i) {
      out[i].freq = r.varint32();
      out[i].length = r.varint32();
    }
    return n;
  } catch (const CorruptIndex& e) {
    throw fault(false, std::string("damaged group impacts (") + e.what() + ")", group_impacts_ + at);
  }
}

uint32_t PostingCursor::block_impacts(size_t b, Impact* out) {
  read_entries_through(b);
  return read_impacts(postings_.data() + entry(b).impacts_offset, postings_.data() + postings_.size(), out);
}

uint32_t PostingCursor::term_impacts(Impact* out) const {
  return read_impacts(postings_.data() + term_impacts_offset_, postings_.data() + postings_.size(), out);
}

size_t PostingCursor::block_at(uint32_t target, size_t from) {
  size_t b = from;
  if (b >= n_blocks_) return n_blocks_;
  // Entries from a later group are read (a score window moved ahead of the
  // documents): the blocks before them end at window_base_, so when that is
  // below the target, start there instead of going back for their entries.
  if (b < first_block_ && window_base_ < target) b = first_block_;
  if (group_index_ && (blocks_.empty() || blocks_.back().last_doc < target)) {
    // Beyond the entries read: when the target is beyond the next group
    // too, skip to its group without reading the groups before it.
    const size_t next = (first_block_ + blocks_.size()) / format::kSkipGroup;
    if (next + 1 < n_groups_ && index_last_doc(next + 1) < target)
      b = std::max(b, group_for(target, next + 1) * format::kSkipGroup);
  }
  for (; b < n_blocks_; ++b) {
    read_entries_through(b);
    if (entry(b).last_doc >= target) return b;
  }
  return n_blocks_;
}

void PostingCursor::load_block(size_t b) {
  block_ = b;
  idx_ = 0;
  if (b >= n_blocks_) {
    doc_ = kEnd;
    count_ = 0;
    return;
  }
  read_entries_through(b);
  cur_ = entry(b);
  const Block& blk = cur_;
  count_ = b + 1 < n_blocks_ ? format::kBlockSize : df_ - static_cast<uint32_t>(b) * format::kBlockSize;
  const uint32_t base = b == 0 ? 0 : (b > first_block_ ? entry(b - 1).last_doc : window_base_) + 1;
  const char* p = postings_.data() + blk.data_offset;
  const std::string_view checked =
      single_check_ ? postings_.substr(term_offset_, blk.data_offset + blk.data_bytes - term_offset_)
                    : postings_.substr(blk.data_offset, blk.data_bytes);
  if (!inner_checksum_matches(blk.data_check, checksum32(checked)))
    throw fault(false, "damaged postings block (checksum mismatch)", blk.data_offset);
  if (count_ < format::kBlockSize) {  // a tail block: ids and frequencies together
    if (decode_tail_block(p, blk.data_bytes, count_, base, docs_, freqs_) != blk.data_bytes)
      throw fault(false, "damaged postings block", blk.data_offset);
    if (single_check_) blocks_[0].last_doc = cur_.last_doc = docs_[count_ - 1];
    if (docs_[count_ - 1] != cur_.last_doc) throw fault(false, "damaged postings block", blk.data_offset);
    if (docs_[count_ - 1] >= doc_limit_) throw fault(false, "postings name a missing document", blk.data_offset);
    freqs_decoded_ = true;
  } else {
    if (blk.last_doc >= doc_limit_) throw fault(false, "postings name a missing document", blk.data_offset);
    const size_t doc_bytes = decode_doc_block(p, blk.data_bytes, base, blk.last_doc, docs_);
    if (doc_bytes == SIZE_MAX) throw fault(false, "damaged postings block", blk.data_offset);
    freq_bytes_ = p + doc_bytes;
    freq_size_ = blk.data_bytes - doc_bytes;
    freqs_decoded_ = false;
  }
  positions_ready_ = false;
  doc_ = docs_[0];
}

void PostingCursor::advance_to_block(uint32_t target) {
  load_block(block_at(target, block_ + 1));
  if (doc_ == kEnd) return;
  while (docs_[idx_] < target) ++idx_;
  doc_ = docs_[idx_];
}

void PostingCursor::collect_bits(uint32_t base, uint32_t end, uint64_t* bits) {
  while (doc_ < end) {
    const uint32_t* const docs = docs_;
    const uint32_t n = count_;
    uint32_t i = idx_;
    // The block's documents below `end` are [i, stop).
    const uint32_t stop =
        docs[n - 1] < end ? n : static_cast<uint32_t>(std::lower_bound(docs + i, docs + n, end) - docs);
    if (docs[stop - 1] - docs[i] < 2 * (stop - i)) {
      // Dense (32 or more to a word on average): the bits gathered in a
      // register a word at a time, one store per word instead of a chain
      // of read-modify-writes to the same word.
      uint32_t w = (docs[i] - base) >> 6;
      uint64_t word = 0;
      for (; i < stop; ++i) {
        const uint32_t d = docs[i] - base;
        if ((d >> 6) != w) {
          bits[w] |= word;
          w = d >> 6;
          word = 0;
        }
        word |= uint64_t{1} << (d & 63);
      }
      bits[w] |= word;
    } else {
      for (; i < stop; ++i) {
        const uint32_t d = docs[i] - base;
        bits[d >> 6] |= uint64_t{1} << (d & 63);
      }
    }
    if (stop < n) {
      idx_ = stop;
      doc_ = docs[stop];
      return;
    }
    load_block(or_bitset_blocks(block_ + 1, base, end, bits));
  }
}

// Full blocks stored as bitsets and wholly below `end`, from block b on:
// their bits ORed into the window's as they are stored (checked against
// their checksums), without decoding them. Returns the first block left.
size_t PostingCursor::or_bitset_blocks(size_t b, uint32_t base, uint32_t end, uint64_t* bits) {
  for (; b + 1 < n_blocks_; ++b) {  // the last block may be a shorter one, stored otherwise
    read_entries_through(b);
    const Block& blk = entry(b);
    const char* p = postings_.data() + blk.data_offset;
    if (blk.last_doc >= end || !is_doc_bitset(p, blk.data_bytes)) break;
    const uint32_t blk_base = (b > first_block_ ? entry(b - 1).last_doc : window_base_) + 1;
    if (!inner_checksum_matches(blk.data_check, checksum32(postings_.substr(blk.data_offset, blk.data_bytes))))
      throw fault(false, "damaged postings block (checksum mismatch)", blk.data_offset);
    if (blk_base < base || or_doc_bitset(p, blk.data_bytes, blk_base, blk.last_doc, base, bits) == SIZE_MAX)
      throw fault(false, "damaged postings block", blk.data_offset);
  }
  return b;
}

void PostingCursor::decode_freqs() const {
  const uint64_t at = static_cast<uint64_t>(freq_bytes_ - postings_.data());
  if (decode_values(freq_bytes_, freq_size_, count_, freqs_) != freq_size_)
    throw fault(false, "damaged postings block (frequencies)", at);
  // Locals: the members are uint32_t too, and would be reloaded each step.
  uint32_t* const f = freqs_;
  const uint32_t n = count_;
  uint32_t bad = 0;
  for (uint32_t i = 0; i < n; ++i) {
    bad |= f[i] == UINT32_MAX;
    ++f[i];
  }
  if (bad) throw fault(false, "damaged postings block (frequency)", at);
  freqs_decoded_ = true;
}

// The whole block's positions checked, and where each document's begin.
void PostingCursor::prepare_positions() {
  const Block& blk = cur_;
  pos_bytes_ = positions_.substr(blk.pos_offset, blk.pos_bytes);
  if (!inner_checksum_matches(blk.pos_check, checksum32(pos_bytes_)))
    throw fault(true, "damaged positions block (checksum mismatch)", blk.pos_offset);
  if (!freqs_decoded_) decode_freqs();
  // Locals: the members are uint32_t too, and would be reloaded each step.
  const uint32_t n = count_;
  const uint32_t* const freqs = freqs_;
  uint32_t* const starts = pos_start_;
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    starts[i] = static_cast<uint32_t>(total);
    total += freqs[i];
  }
  // A packed block of 128 positions takes 2 bytes at least, a varint one.
  if (total > 64 * uint64_t{blk.pos_bytes}) throw fault(true, "damaged positions block (count)", blk.pos_offset);
  starts[n] = static_cast<uint32_t>(total);
  if (block_positions_.size() < total + kCodecBlock) block_positions_.resize(total + kCodecBlock);
  const uint32_t runs = static_cast<uint32_t>((total + kCodecBlock - 1) / kCodecBlock);
  run_decoded_.assign(runs, 0);
  run_offsets_.assign(1, 0);
  absolute_[0] = absolute_[1] = 0;
  positions_ready_ = true;
}

uint32_t PostingCursor::run_offset(uint32_t s) {
  while (run_offsets_.size() <= s) {
    const uint32_t at = run_offsets_.back();
    const size_t used = skip_pfor_block(pos_bytes_.data() + at, pos_bytes_.size() - at);
    if (used == SIZE_MAX) throw fault(true, "damaged positions block", cur_.pos_offset + at);
    run_offsets_.push_back(static_cast<uint32_t>(at + used));
  }
  return run_offsets_[s];
}

void PostingCursor::decode_position_runs(uint32_t s0, uint32_t s1) {
  const uint32_t total = pos_start_[count_];
  const uint32_t full = total / kCodecBlock;  // runs of 128; a shorter tail after them
  for (uint32_t s = s0; s <= s1; ++s) {
    if (run_decoded_[s]) continue;
    const uint32_t at = run_offset(s);
    const char* p = pos_bytes_.data() + at;
    const size_t avail = pos_bytes_.size() - at;
    uint32_t* out = block_positions_.data() + size_t{s} * kCodecBlock;
    const bool ok = s < full ? decode_pfor_block(p, avail, out) != SIZE_MAX
                             : decode_values(p, avail, total - full * kCodecBlock, out) == avail;
    if (!ok) throw fault(true, "damaged positions block", cur_.pos_offset + at);
    run_decoded_[s] = 1;
  }
}

std::span<const uint32_t> PostingCursor::positions() {
  if (!positions_ready_) prepare_positions();
  const uint32_t a = pos_start_[idx_], b = pos_start_[idx_ + 1];
  uint64_t& done = absolute_[idx_ >> 6];
  const uint64_t bit = uint64_t{1} << (idx_ & 63);
  if (!(done & bit)) {
    decode_position_runs(a / kCodecBlock, (b - 1) / kCodecBlock);  // a document has one position at least
    // The first position, then gaps less one: made absolute.
    uint32_t* const v = block_positions_.data();
    for (uint32_t j = a + 1; j < b; ++j) v[j] += v[j - 1] + 1;
    done |= bit;
  }
  return {block_positions_.data() + a, b - a};
}

}  // namespace dateline
