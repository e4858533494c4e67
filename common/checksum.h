// Checksums of on-disk data (xxHash, from libxxhash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dateline {

// XXH64 (seed 0) of a whole file's bytes: the checksum in every file footer.
uint64_t checksum64(std::string_view data);

// The low 32 bits of XXH3-64: the checksum of one postings block, one block
// of positions or a term's skip entries, verified each time they are read.
uint32_t checksum32(std::string_view data);

// Compares a checksum stored inside a file's body (of a postings block, a
// positions block, skip entries, the doc store's block index) with the one
// computed. Always a plain comparison, except in fuzz targets, which call
// skip_inner_checksums_for_fuzzing() first so that random bytes reach the
// structures behind the checksums. Never called by dateline itself.
bool inner_checksum_matches(uint64_t stored, uint64_t computed);
void skip_inner_checksums_for_fuzzing();

// XXH64 computed over data given in pieces (for files written as a stream).
class Checksum64 {
 public:
  Checksum64();
  ~Checksum64();
  Checksum64(const Checksum64&) = delete;
  Checksum64& operator=(const Checksum64&) = delete;
  void update(std::string_view data);
  uint64_t digest() const;

 private:
  void* state_;
};

}  // namespace dateline
