// A segment's deletions: which of its documents are deleted (docs/format.md,
// "deletes-GGGGGG.bin"). Segments never change; a commit that deletes
// documents of a segment writes the segment a new deletions file, named by
// the commit's generation, and the MANIFEST names the current one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dateline {

// One bit per document, set for a deleted one.
class DeletedDocs {
 public:
  explicit DeletedDocs(uint32_t docs = 0) : docs_(docs), words_((static_cast<size_t>(docs) + 63) / 64) {}
  void set(uint32_t doc) {
    uint64_t& w = words_[doc >> 6];
    const uint64_t bit = uint64_t{1} << (doc & 63);
    count_ += (w & bit) ? 0 : 1;
    w |= bit;
  }
  bool test(uint32_t doc) const { return (words_[doc >> 6] >> (doc & 63)) & 1; }
  uint32_t docs() const { return docs_; }
  uint32_t count() const { return count_; }
  const std::vector<uint64_t>& words() const { return words_; }

 private:
  uint32_t docs_;
  uint32_t count_ = 0;
  std::vector<uint64_t> words_;
};

// "deletes-000007.bin" for generation 7.
std::string deletes_file_name(uint64_t generation);

// Writes `deleted` to `path` with its trailer and fsyncs it:
// u32 magic "DLTL", u32 version, u32 docs, u32 deleted, u64 words[ceil(docs/64)].
void write_deletes(const std::string& path, const DeletedDocs& deleted);

}  // namespace dateline
