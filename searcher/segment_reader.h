// Read access to one immutable segment: dictionary, postings, columns and
// stored documents. All files are memory-mapped; a damaged file raises
// CorruptIndex (common/varint.h) instead of reading out of bounds.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/file_util.h"
#include "corpus/article.h"
#include "indexer/segment_writer.h"
#include "searcher/posting_cursor.h"
#include "searcher/term_dict.h"

namespace dateline {

class SegmentReader {
 public:
  // Opens DIR/<info.name>. Throws std::runtime_error / CorruptIndex.
  SegmentReader(const std::string& index_dir, const SegmentInfo& info);

  const SegmentInfo& info() const { return info_; }
  uint32_t docs() const { return info_.docs; }
  const TermDict& dict() const { return dict_; }

  std::optional<TermInfo> term(std::string_view t) const { return dict_.find(t); }
  PostingCursor cursor(const TermInfo& info) const {
    return PostingCursor(postings_.view(), positions_.view(), info, info_.docs);
  }

  DayNumber date(uint32_t doc) const { return dates_[doc]; }
  uint32_t text_length(uint32_t doc) const { return lengths_[doc]; }
  const int32_t* dates() const { return dates_; }
  // The article's id, from the id column (no doc-store decompression).
  std::string_view doc_id(uint32_t doc) const;

  // Decompresses and returns the stored article.
  Article document(uint32_t doc) const;

  // Bytes on disk per component file, for `dateline stats`.
  std::vector<std::pair<std::string, uint64_t>> file_sizes() const;

 private:
  std::string dir_;
  SegmentInfo info_;
  MappedFile terms_, postings_, positions_, columns_, store_;
  TermDict dict_;
  const int32_t* dates_ = nullptr;
  const uint32_t* lengths_ = nullptr;
  const uint32_t* id_ends_ = nullptr;
  std::string_view ids_;
  struct StoreBlock {
    uint32_t first_doc;
    uint64_t offset;
    uint32_t size;
  };
  std::vector<StoreBlock> store_blocks_;
  // One-block cache: documents of a block are often read together.
  mutable int64_t cached_block_ = -1;
  mutable std::string cached_;
};

// Parses one stored record (the inverse of encode_stored_article).
Article decode_stored_article(std::string_view record);

}  // namespace dateline
