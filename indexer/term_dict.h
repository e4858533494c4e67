// Reads the front-coded term dictionary (terms.dict, see docs/format.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/varint.h"

namespace dateline {

// Where a term's postings live and how many documents contain it.
// A (frequency, BM25 length) pair bounding the scores of some documents
// (docs/format.md, impacts).
struct Impact {
  uint32_t freq;
  uint32_t length;
};

struct TermInfo {
  uint32_t df = 0;
  uint64_t postings_offset = 0;
  uint64_t positions_offset = 0;
};

class TermDict {
 public:
  TermDict() = default;
  // `data` must outlive the dictionary (it is a memory map). Throws CorruptIndex.
  explicit TermDict(std::string_view data);

  uint64_t size() const { return n_terms_; }

  // Exact lookup.
  std::optional<TermInfo> find(std::string_view term) const;

  // Calls fn(term, info) for every term starting with `prefix`, in order.
  void for_each_prefix(std::string_view prefix,
                       const std::function<void(std::string_view, const TermInfo&)>& fn) const;

  // Calls fn(term, info) for every term, in order.
  void for_each(const std::function<void(std::string_view, const TermInfo&)>& fn) const;

  // Reads the terms in order, one at a time (merges walk several
  // dictionaries side by side). The dictionary must outlive it.
  class Iterator {
   public:
    // At the first term >= `from`. Throws CorruptIndex.
    explicit Iterator(const TermDict& dict, std::string_view from = {});
    bool done() const { return done_; }
    // The current term (valid until next()) and its entry; not when done().
    std::string_view term() const { return term_; }
    const TermInfo& info() const { return info_; }
    // Moves to the next term. Throws CorruptIndex.
    void next();

   private:
    void open_block(size_t b);
    const TermDict* dict_;
    size_t block_ = 0;
    ByteReader r_{std::string_view()};
    std::string term_;
    TermInfo info_;
    bool done_ = false;
  };

 private:
  // Index of the last block whose first term is <= term (0 if none).
  size_t block_for(std::string_view term) const;
  // Block b's entries.
  std::string_view block(size_t b) const;
  // Scans block b from its start; fn returns false to stop. Returns false if stopped.
  bool scan_block(size_t b, const std::function<bool(std::string_view, const TermInfo&)>& fn) const;

  std::string_view data_;
  uint64_t n_terms_ = 0;
  uint32_t block_size_ = 0;
  std::vector<uint64_t> block_offsets_;
  // Each block's first term, read in place from the mapped file (the index
  // in memory is these views and the offsets: 24 bytes a block).
  std::vector<std::string_view> first_terms_;
  // The first 8 bytes of each block's first term, big-endian, zero-padded:
  // ordered as the terms are, so the binary search compares integers and
  // compares whole terms only among blocks whose keys tie.
  std::vector<uint64_t> first_keys_;
  uint64_t entries_end_ = 0;
};

}  // namespace dateline
