// `dateline check`: verifies an index completely, as CheckIndex does for
// Lucene: every checksum, then every structure and cross-reference.
#pragma once

#include <cstdint>
#include <string>

namespace dateline {

struct CheckReport {
  bool ok = true;
  // The first fault: the file, what is wrong and the byte offset where known
  // ("seg-000003/postings.bin: damaged postings block at byte 81234").
  std::string fault;
  uint64_t segments = 0, docs = 0, deleted = 0, terms = 0, postings = 0, positions = 0, records = 0;
};

// Checks the index in `dir`:
//  - the MANIFEST's checksum and every segment file's trailer checksums (the
//    first damaged 4 KiB chunk is named);
//  - the dictionary: terms strictly ascending, as many as the MANIFEST says,
//    each term's postings in bounds with ascending doc ids below the
//    segment's document count, as many as its document frequency, every
//    block and positions block matching its checksum, positions ascending;
//  - the sums the MANIFEST records (postings, positions, text tokens);
//  - every document has exactly one id term naming the id in its column;
//  - every stored record decodes and agrees with the columns (id, date);
//  - deletions: the bitmap, its count and the MANIFEST agree.
// Stops at the first fault. Never throws for a damaged index (only for a
// missing directory or an I/O error, as std::runtime_error).
CheckReport check_index(const std::string& dir);

}  // namespace dateline
