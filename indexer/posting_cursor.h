// Iterates one term's postings in a segment: doc ids, frequencies and, on
// demand, positions. Blocks of 128 documents are decoded one at a time; the
// skip entries let advance() jump over whole blocks without decoding them.
#pragma once

#include <cstdint>
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
  uint32_t freq() const { return freqs_[idx_]; }
  uint32_t df() const { return df_; }

  // Moves to the next document.
  void next();
  // Moves to the first document >= target (no-op if already there).
  void advance(uint32_t target);
  // Positions of the current document, ascending.
  const std::vector<uint32_t>& positions();

  // Block-at-a-time access, for block-max scoring. Blocks are numbered
  // 0..block_count()-1; their impacts come from the skip entries, without
  // decoding. seek_block(b) decodes block b and puts the cursor on its first
  // document (b == block_count() exhausts the cursor).
  struct Impact {
    uint32_t freq;
    uint32_t length;
  };
  size_t block_count() const { return blocks_.size(); }
  // Writes block b's impacts (at most format::kMaxImpacts) to `out` and
  // returns how many: every document of the block has a frequency at most
  // some impact's freq at a length at least that impact's length.
  uint32_t block_impacts(size_t b, Impact* out) const;
  void seek_block(size_t b) { load_block(b); }
  // The decoded current block: its length, doc ids and frequencies.
  uint32_t block_length() const { return blocks_[block_].count; }
  const uint32_t* block_docs() const { return docs_; }
  const uint32_t* block_freqs() const { return freqs_; }

 private:
  struct Block {
    uint32_t last_doc;
    uint32_t count;
    uint64_t doc_offset;   // into postings
    uint32_t doc_bytes, freq_bytes;
    uint64_t pos_offset;   // into positions
    uint32_t pos_bytes;
    uint32_t data_check, pos_check;  // checksum32 of the doc+freq bytes, of the positions
    uint64_t impacts_offset;  // into postings: varint count, then pairs
  };
  void parse_skip_entries(const TermInfo& info, uint32_t doc_limit);
  void load_block(size_t b);
  CorruptIndex fault(bool in_positions, const std::string& what, uint64_t offset) const;

  std::string_view postings_, positions_;
  const std::string* segment_dir_ = nullptr;
  std::vector<Block> blocks_;
  uint32_t df_ = 0;
  size_t block_ = 0;
  uint32_t idx_ = 0;
  uint32_t doc_ = kEnd;
  uint32_t docs_[128];
  uint32_t freqs_[128];
  // Positions decoding state inside the current block.
  const char* pos_ptr_ = nullptr;
  const char* pos_end_ = nullptr;
  uint32_t pos_idx_ = 0;  // index of the doc whose positions pos_ptr_ points at
  bool pos_verified_ = false;  // the current block's positions passed their checksum
  std::vector<uint32_t> positions_buf_;
  uint32_t positions_doc_idx_ = UINT32_MAX;
};

}  // namespace dateline
