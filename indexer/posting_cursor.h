// Iterates one term's postings in a segment: doc ids, frequencies and, on
// demand, positions. Blocks of 128 documents are decoded one at a time; the
// skip entries, read a group at a time as the cursor gets to them, let
// advance() jump over whole blocks without decoding them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/varint.h"
#include "indexer/term_dict.h"

namespace dateline {

class PostingCursor {
 public:
  static constexpr uint32_t kEnd = UINT32_MAX;

  // `postings`/`positions` are the files' bodies; every doc id must be below
  // `doc_limit` (the segment's document count). Throws CorruptIndex, naming
  // the file in `segment_dir` and the byte, when the term's skip entries are
  // inconsistent or fail their checksum; blocks and their positions are
  // checked against their checksums when they are decoded.
  PostingCursor(std::string_view postings, std::string_view positions, const TermInfo& info,
                uint32_t doc_limit, const std::string* segment_dir = nullptr);

  uint32_t doc() const { return doc_; }  // kEnd once exhausted
  // (Frequencies are decoded when a block's are first asked for.)
  uint32_t freq() const {
    if (!freqs_decoded_) decode_freqs();
    return freqs_[idx_];
  }
  uint32_t df() const { return df_; }

  // Moves to the next document.
  void next() {
    if (doc_ == kEnd) return;
    if (++idx_ < count_) {
      doc_ = docs_[idx_];
    } else {
      load_block(block_ + 1);
    }
  }
  // Moves to the first document >= target (no-op if already there). Within
  // the current block it is a short scan, inline.
  void advance(uint32_t target) {
    if (doc_ >= target) return;  // kEnd included
    if (cur_.last_doc < target) return advance_to_block(target);
    while (docs_[idx_] < target) ++idx_;
    doc_ = docs_[idx_];
  }
  // Sets bit d - base of `bits` for every document d from the current one
  // up to `end` (exclusive; base <= doc() and end - base <= 2^32), then
  // stands on the first document >= end: a window of a bitset filled a
  // block at a time.
  void collect_bits(uint32_t base, uint32_t end, uint64_t* bits);
  // Positions of the current document, ascending (valid until the cursor
  // moves to another block). A block's positions are checked against their
  // checksum whole, then decoded a run of 128 values at a time as documents
  // ask for them: a phrase with a frequent word ("the") and a rare one
  // decodes the frequent word's positions only where the rare one is.
  std::span<const uint32_t> positions();

  // Block-at-a-time access, for block-max scoring. Blocks are numbered
  // 0..block_count()-1; their impacts come from the skip entries, without
  // decoding. seek_block(b) decodes block b and puts the cursor on its first
  // document (b == block_count() exhausts the cursor).
  using Impact = dateline::Impact;
  size_t block_count() const { return n_blocks_; }
  // Writes block b's impacts (at most format::kMaxImpacts) to `out` and
  // returns how many: every document of the block has a frequency at most
  // some impact's freq at a length at least that impact's length. Reads the
  // skip entries up to block b, if not read yet.
  uint32_t block_impacts(size_t b, Impact* out);
  // The same for all of the term's documents (stored with the term).
  uint32_t term_impacts(Impact* out) const;
  // The same for group g's blocks (g < group_count()), from the group
  // index, without reading the group's skip entries; group g holds blocks
  // g * format::kSkipGroup on (a term of one group: the term's impacts).
  size_t group_count() const { return n_groups_; }
  uint32_t group_impacts(size_t g, Impact* out);
  // The last document before group g (1 <= g < group_count()), from the
  // group index.
  uint32_t group_last_doc_before(size_t g) { return index_last_doc(g); }
  void seek_block(size_t b) { load_block(b); }
  // The first block from `from` on whose last document is >= target
  // (block_count() if none), read from the skip entries without decoding;
  // the group index jumps over whole groups of entries.
  size_t block_at(uint32_t target, size_t from);
  // Block b's last document (b < block_count()).
  uint32_t block_last_doc(size_t b) {
    read_entries_through(b);
    return entry(b).last_doc;
  }
  // Checks the group index against the skip entries read in order (for
  // `dateline check`; a cursor reads only the entries it jumps to). Throws
  // CorruptIndex naming the byte. The cursor is left where it was.
  void verify_group_index() const;
  // The current block's number, and whether the current document is its last.
  size_t block_index() const { return block_; }
  bool at_block_end() const { return idx_ + 1 >= count_; }
  // The current document's place in its block.
  uint32_t block_position() const { return idx_; }
  // The decoded current block: its length, doc ids and frequencies.
  uint32_t block_length() const { return count_; }
  const uint32_t* block_docs() const { return docs_; }
  const uint32_t* block_freqs() const {
    if (!freqs_decoded_) decode_freqs();
    return freqs_;
  }

 private:
  struct Block {
    uint32_t last_doc;
    uint64_t data_offset;  // into postings: doc ids, then frequencies
    uint32_t data_bytes;
    uint64_t pos_offset;   // into positions
    uint32_t pos_bytes;
    uint32_t data_check, pos_check;  // checksum32 of the data, of the positions
    uint64_t impacts_offset;  // into postings: varint count, then pairs
  };
  void parse_head(const TermInfo& info);
  // Reads skip entries (a group at a time) until block b's is known: in
  // order, or, over a whole group or more (or back), by the group index.
  void read_entries_through(size_t b) {
    if (b - first_block_ >= blocks_.size()) read_entries_slow(b);  // also when b < first_block_
  }
  void read_entries_slow(size_t b);
  void read_group();
  // Block b's skip entry (read).
  const Block& entry(size_t b) const { return blocks_[b - first_block_]; }
  // The group index (only with more than one group): group g's entry
  // (1 <= g < n_groups_), the index checked against its checksum first.
  struct GroupStart {
    uint32_t last_doc_before, skip_at, data_at, pos_at, impacts_at;
  };
  void check_group_index();
  // For `check`: group g's impacts bound those of its blocks (read).
  void verify_group_impacts(size_t g);
  GroupStart group_start(size_t g);
  // Group g's last_doc_before, for searching (the index checked first).
  uint32_t index_last_doc(size_t g);
  // The group of the first block whose last document may be >= target,
  // given that it is group lo or after (index_last_doc(lo) < target).
  size_t group_for(uint32_t target, size_t lo);
  // Drops the entries read and reads on from group g.
  void jump_to_group(size_t g);
  void load_block(size_t b);
  // collect_bits() over whole bitset blocks (see the .cpp).
  size_t or_bitset_blocks(size_t b, uint32_t base, uint32_t end, uint64_t* bits);
  // advance() to a target beyond the current block.
  void advance_to_block(uint32_t target);
  void decode_freqs() const;
  // The current block's positions: checksum, where each document's start.
  void prepare_positions();
  // Decodes the runs of 128 positions s0..s1 of the current block (the last
  // may be the shorter tail) that are not decoded yet.
  void decode_position_runs(uint32_t s0, uint32_t s1);
  // The byte offset of run s in the current block's positions.
  uint32_t run_offset(uint32_t s);
  CorruptIndex fault(bool in_positions, const std::string& what, uint64_t offset) const;

  std::string_view postings_, positions_;
  const std::string* segment_dir_ = nullptr;
  uint32_t doc_limit_ = 0;
  uint32_t df_ = 0;
  size_t n_blocks_ = 0;
  uint64_t term_offset_ = 0;
  uint64_t term_impacts_offset_ = 0;
  bool single_check_ = false;  // one block: its check covers the term's head too
  // Skip entries read so far: blocks first_block_ on (a group's first;
  // the last doc before it is window_base_), and where the next group
  // starts. The current block's entry is kept apart in cur_.
  std::vector<Block> blocks_;
  size_t first_block_ = 0;
  uint32_t window_base_ = 0;
  Block cur_{};
  uint64_t skip_start_ = 0, next_group_ = 0, skip_end_ = 0;
  uint64_t next_data_ = 0, next_pos_ = 0;  // where the next entry's block starts
  uint64_t positions_start_ = 0;           // the term's first position byte
  size_t n_groups_ = 0;
  uint64_t group_index_ = 0;  // offset of the group index in postings (0: none)
  uint64_t group_impacts_ = 0;  // of the groups' impacts, after the index's entries
  bool group_index_checked_ = false;
  size_t block_ = 0;
  uint32_t count_ = 0;  // documents in the current block
  uint32_t idx_ = 0;
  uint32_t doc_ = kEnd;
  uint32_t docs_[128];
  mutable uint32_t freqs_[128];
  mutable bool freqs_decoded_ = false;
  const char* freq_bytes_ = nullptr;  // the current block's frequencies, encoded
  size_t freq_size_ = 0;
  // The current block's positions: decoded runs of 128 values (gaps), each
  // document's made absolute when first asked for; where each document's
  // start (pos_start_[i] for document i of the block); the byte offsets of
  // the runs found so far, and which runs are decoded.
  bool positions_ready_ = false;
  std::vector<uint32_t> block_positions_;
  uint32_t pos_start_[129];
  uint64_t absolute_[2] = {0, 0};  // per document of the block: made absolute
  std::string_view pos_bytes_;
  std::vector<uint32_t> run_offsets_;
  std::vector<char> run_decoded_;
};

}  // namespace dateline
