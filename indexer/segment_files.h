// The writers of a segment's files (docs/format.md), shared by SegmentWriter,
// which builds a segment from analysed articles, and SegmentMerger, which
// streams one from other segments: one implementation of each on-disk
// structure. Every writer streams through a FileWriter (indexer/file_footer.h),
// so its memory does not grow with the file, and its finish() fsyncs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "indexer/file_footer.h"
#include "indexer/term_dict.h"

namespace dateline {

struct SegmentInfo;

// postings.bin and positions.bin. The terms' lists are written in term
// order, each fed one document at a time; a list's positions go to
// positions.bin block by block, its skip entries and doc/freq blocks to
// postings.bin when the term ends (only the current term is held in memory).
class PostingsWriter {
 public:
  // Creates DIR/postings.bin and DIR/positions.bin and writes their headers.
  // Throws std::runtime_error when a file cannot be created.
  explicit PostingsWriter(const std::string& dir);

  // Adds the next document of the current term: doc ids strictly ascending
  // within a term; `length` is the document's BM25 length (for the block's
  // impacts); `positions` holds its `freq` ascending positions, or is
  // nullptr for a term without positions (written forms, id, alias terms).
  void add(uint32_t doc, uint32_t freq, uint32_t length, const uint32_t* positions);
  // Documents added to the current term so far.
  uint32_t term_docs() const { return df_; }
  // Ends the current term, which must have a document: writes its skip
  // entries and blocks, and returns its dictionary entry (df and offsets).
  // The next add() starts the next term.
  TermInfo finish_term();
  // Writes the padding and the trailers, fsyncs and closes both files.
  void finish();

  uint64_t postings() const { return postings_count_; }    // (term, doc) pairs written
  uint64_t positions() const { return positions_count_; }  // positions written

 private:
  void flush_block();

  // A finished block's skip entry.
  struct Entry {
    uint32_t last_gap;  // last doc less the previous block's (the last doc itself first)
    uint32_t data_bytes, pos_bytes;
    uint32_t data_check, pos_check;
    std::vector<Impact> impacts;
    uint64_t length;  // the block's documents' lengths, summed
    uint32_t docs;
  };

  FileWriter postings_, positions_;
  uint32_t df_ = 0;
  uint64_t positions_offset_ = 0;  // of the current term
  uint32_t base_doc_ = 0;          // the previous block's last doc + 1 (0 first)
  uint32_t n_ = 0;                 // documents in the open block
  uint32_t docs_[128], freqs_[128], lengths_[128];
  std::vector<uint32_t> block_positions_;  // the open block's positions, as written (first, gaps less one)
  std::string encoded_positions_;          // scratch
  std::vector<Entry> entries_;             // the current term's finished blocks
  std::vector<Impact> term_impacts_;       // the blocks' impacts
  uint64_t term_length_ = 0;               // the current term's documents' lengths, summed
  std::string data_;                       // the current term's doc and freq blocks
  uint32_t blocks_ = 0;
  uint64_t postings_count_ = 0, positions_count_ = 0;
};

// terms.dict: `n_terms` entries, added in term order, front-coded in blocks
// of format::kTermBlockSize; only the block offsets stay in memory.
class DictionaryWriter {
 public:
  // Creates the file and writes its header. Throws std::runtime_error when
  // it cannot be created or n_terms does not fit the format.
  DictionaryWriter(const std::string& path, uint64_t n_terms);
  // Adds the next term (greater than the one before).
  void add(std::string_view term, const TermInfo& info);
  // Writes the block index and the trailer, fsyncs and closes. Throws
  // std::logic_error unless exactly n_terms terms were added.
  void finish();

 private:
  FileWriter out_;
  uint64_t n_terms_, added_ = 0;
  std::string prev_, entry_;
  TermInfo prev_info_;
  std::vector<uint64_t> block_offsets_;
};

// One document's values in columns.bin.
struct DocColumns {
  DayNumber date = kNoDate;
  uint32_t length = 0;  // BM25 length
  std::string_view id;
};
using DocColumnsVisitor = std::function<void(const DocColumns&)>;

// Writes columns.bin for `n_docs` documents: `for_each_doc(fn)` must call fn
// for every document, in doc order, with the same values each time (it is
// called once per column). Fsyncs. Throws std::runtime_error when the ids
// exceed 4 GiB, std::logic_error when a pass sees other than n_docs documents.
void write_columns(const std::string& path, uint32_t n_docs,
                   const std::function<void(const DocColumnsVisitor&)>& for_each_doc);

// Counts one more document of `info`: its doc count, BM25 length total and
// date range (undated documents leave the range alone).
void count_document(SegmentInfo& info, DayNumber date, uint32_t length);

}  // namespace dateline
