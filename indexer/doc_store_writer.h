// Writes the document store: stored fields of every article, in zstd-
// compressed blocks, with a block index at the end (see docs/format.md).
// The first records (format::kDocDictSampleBytes) are held in memory to
// train the store's zstd dictionary; blocks are compressed with it from
// then on. News articles share much vocabulary and phrasing, which small
// blocks cannot find within themselves.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "corpus/article.h"
#include "indexer/file_footer.h"
#include "indexer/format.h"

namespace dateline {

class DocStoreWriter {
 public:
  explicit DocStoreWriter(const std::string& path);  // creates the file
  ~DocStoreWriter();
  DocStoreWriter(const DocStoreWriter&) = delete;
  DocStoreWriter& operator=(const DocStoreWriter&) = delete;

  // Appends the next document (doc ids are implicit: 0, 1, 2, ...).
  void add(const Article& a);
  // Appends the next document as an already encoded record (merges copy
  // records without decoding them).
  void add_record(std::string_view record);

  // Merges copy a large source's blocks as they are, compressed with the
  // source's dictionaries: add_dictionary() writes a dictionary and gives
  // its number in this store; add_compressed_block() appends the next
  // `docs` documents as one zstd frame of their records (whose content is
  // `raw_bytes` bytes), made with dictionary `dict` (kNoDictionary: none).
  // Records added before are blocked first, so document order holds.
  static constexpr uint32_t kNoDictionary = format::kNoStoreDictionary;
  uint32_t add_dictionary(std::string_view dictionary);
  void add_compressed_block(uint32_t dict, uint32_t docs, uint64_t raw_bytes, std::string_view frame);
  // Dictionaries written so far (the trained one and those added).
  uint32_t dictionaries() const { return static_cast<uint32_t>(dicts_.size()); }
  // Writes the last block, the index and the trailer, fsyncs and closes.
  // Returns the file size.
  uint64_t finish();

  // Bytes of memory held: the records kept for training and the open block.
  size_t memory_bytes() const;
  // Uncompressed bytes of the records added so far.
  uint64_t raw_bytes() const { return raw_bytes_; }

 private:
  void take(std::string_view record);
  void start_compressing();
  void train_dictionary();
  void append_to_block(std::string_view record, uint32_t doc);
  void flush_block();

  FileWriter out_;
  void* cctx_;  // ZSTD_CCtx, frames with content checksums
  void* cdict_ = nullptr;  // ZSTD_CDict, once trained (none for a store too small to train on)
  bool compressing_ = false;
  std::string held_;                 // records held for training, each length-prefixed
  std::vector<size_t> held_sizes_;   // their sizes
  std::vector<uint32_t> held_docs_;  // their document numbers
  std::string dictionary_;  // the trained one
  uint32_t own_dict_ = kNoDictionary;  // its number
  struct DictRef {
    uint64_t offset;
    uint32_t size;
    uint64_t sum;
  };
  std::vector<DictRef> dicts_;
  std::string scratch_, compressed_;
  uint64_t raw_bytes_ = 0;
  uint32_t docs_ = 0;
  uint32_t block_first_doc_ = 0, block_docs_ = 0;  // the open block's
  std::string block_;  // uncompressed records of the open block
  struct BlockRef {
    uint32_t first_doc;
    uint64_t offset;
    uint32_t size;
    uint32_t dict;
  };
  std::vector<BlockRef> blocks_;
};

// Serialises one stored record (shared with the reader's tests).
void encode_stored_article(const Article& a, std::string& out);

}  // namespace dateline
