// Read access to one immutable segment: dictionary, postings, columns,
// stored documents and its deletions. All files are memory-mapped. A damaged
// file raises CorruptIndex (common/varint.h) naming the file, never a wrong
// answer: the dictionary, columns and deletions are verified whole when the
// segment is opened, postings, positions and stored records by their block
// checksums when they are read.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/file_util.h"
#include "corpus/article.h"
#include "indexer/segment_writer.h"
#include "indexer/facet_columns.h"
#include "indexer/posting_cursor.h"

struct ZSTD_DDict_s;  // zstd.h
struct ZSTD_DCtx_s;
#include "indexer/term_dict.h"

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
    return PostingCursor(postings_body_, positions_body_, info, info_.docs, &dir_);
  }

  // Deletions: a deleted document still has its postings until a merge
  // purges it; every answer leaves it out.
  bool has_deletions() const { return deleted_bits_ != nullptr; }
  bool is_deleted(uint32_t doc) const {
    return deleted_bits_ && ((deleted_bits_[doc >> 6] >> (doc & 63)) & 1);
  }
  uint32_t live_docs() const { return info_.docs - info_.deleted; }
  // The deleted documents, ascending.
  const std::vector<uint32_t>& deleted_list() const { return deleted_list_; }
  // The deletions bitmap: bit d of word d / 64 is set for deleted document
  // d; ceil(docs / 64) words, bits beyond docs() clear. nullptr when none.
  const uint64_t* deleted_bits() const { return deleted_bits_; }

  DayNumber date(uint32_t doc) const { return dates_[doc]; }
  uint32_t text_length(uint32_t doc) const { return lengths_[doc]; }
  const uint32_t* lengths() const { return lengths_; }
  const int32_t* dates() const { return dates_; }
  // The date column in blocks of kDateBlockDocs documents: each block's
  // least and greatest date (undated documents left out; a block without
  // dates has min > max), so date ranges skip blocks that cannot match.
  static constexpr uint32_t kDateBlockDocs = 128;
  struct DateBlock {
    DayNumber min, max;
  };
  const std::vector<DateBlock>& date_blocks() const { return date_blocks_; }
  // How many live documents are dated lo..hi (inclusive): a count per day
  // of the date column, summed once (at the first call; safe from several
  // threads), then two lookups, less the deleted documents in the range.
  // -1 when the column spans too many days for that (more than 4 per
  // document and 65,536 besides): the caller counts otherwise.
  int64_t count_dated(DayNumber lo, DayNumber hi) const;
  // The documents dated lo..hi, deleted ones too, by date and then by
  // number: a slice of the segment's documents sorted by date (a counting
  // sort over the days, at the first call; safe from several threads).
  // nullopt when count_dated() cannot count (-1).
  std::optional<std::span<const uint32_t>> docs_dated(DayNumber lo, DayNumber hi) const;
  // The article's id, from the id column (no doc-store decompression).
  std::string_view doc_id(uint32_t doc) const;

  // The facet columns (facets.bin), verified whole at the first call.
  // Throws CorruptIndex. Safe to call from several threads.
  const FacetColumns& facets() const;

  // Decompresses and returns the stored article.
  Article document(uint32_t doc) const;
  // The encoded stored record of a document (what merges copy).
  std::string_view record(uint32_t doc) const;

  // The doc store's blocks and dictionaries as stored, for merges that
  // copy them without decompressing: block b holds documents first_doc ..
  // end_doc - 1 in one zstd frame made with dictionary `dict`
  // (format::kNoStoreDictionary: none) of `raw_bytes` bytes.
  struct StoredBlock {
    uint32_t first_doc, end_doc, dict;
    uint64_t raw_bytes;
    std::string_view frame;
  };
  size_t store_block_count() const { return store_blocks_.size(); }
  // Throws CorruptIndex when the frame does not give its size.
  StoredBlock store_block(size_t b) const;
  size_t store_dictionary_count() const { return store_dicts_.size(); }
  std::string_view store_dictionary(size_t i) const { return store_dicts_.at(i).bytes; }

  // Uncompressed bytes of the stored records (the doc store holds them in
  // file_sizes()'s "docstore" bytes).
  uint64_t stored_raw_bytes() const { return store_raw_bytes_; }
  // Bytes on disk per component file, for `dateline stats`.
  std::vector<std::pair<std::string, uint64_t>> file_sizes() const;

  // Lets go of the file pages this process has read (MappedFile::release_pages);
  // answers are unchanged, later reads map them again.
  void release_pages() const;

 private:
  std::string path(const char* file) const;
  void open_columns(std::string_view body);
  void open_store(std::string_view body);
  void open_deletes();
  const ZSTD_DDict_s* digested_dictionary(uint32_t i) const;

  std::string dir_;
  SegmentInfo info_;
  MappedFile terms_, postings_, positions_, columns_, store_, deletes_file_, facets_file_;
  std::string_view postings_body_, positions_body_, store_body_;
  const uint64_t* deleted_bits_ = nullptr;
  std::vector<uint32_t> deleted_list_;
  TermDict dict_;
  const int32_t* dates_ = nullptr;
  std::vector<DateBlock> date_blocks_;
  const uint32_t* lengths_ = nullptr;
  const uint32_t* id_ends_ = nullptr;
  std::string_view ids_;
  struct StoreBlock {
    uint32_t first_doc;
    uint64_t offset;
    uint32_t size;
    uint32_t dict;
  };
  std::vector<StoreBlock> store_blocks_;
  struct ZstdFree {
    void operator()(ZSTD_DDict_s* d) const;
    void operator()(ZSTD_DCtx_s* c) const;
  };
  // The store's dictionaries (checked at open), each digested for
  // decompression when a block first needs it.
  struct StoreDict {
    std::string_view bytes;
    uint64_t offset;
    mutable std::unique_ptr<ZSTD_DDict_s, ZstdFree> digested;
  };
  std::vector<StoreDict> store_dicts_;
  mutable std::unique_ptr<ZSTD_DCtx_s, ZstdFree> store_context_;
  uint64_t store_raw_bytes_ = 0;
  // One-block cache: documents of a block are often read together.
  mutable std::once_flag days_once_;
  mutable DayNumber first_day_ = 0;
  mutable bool days_too_wide_ = false;
  mutable std::vector<uint32_t> dated_before_;  // [i]: documents dated before first_day_ + i
  // Index of the day of `day` in dated_before_ (clamped to it).
  size_t day_index(int64_t day) const;
  mutable std::once_flag by_date_once_;
  mutable std::vector<uint32_t> docs_by_date_;  // dated documents by date, then number
  mutable std::once_flag facets_once_;
  mutable FacetColumns facets_;
  std::string facets_path_;
  mutable int64_t cached_block_ = -1;
  mutable std::string cached_;
};

// Parses one stored record (the inverse of encode_stored_article).
Article decode_stored_article(std::string_view record);

}  // namespace dateline
