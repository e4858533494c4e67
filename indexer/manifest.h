// The MANIFEST: the one file that says which segments form the index.
//
// A commit writes new segment directories first, then replaces MANIFEST
// atomically (write_file_atomic). Readers open MANIFEST once and see a
// consistent set of immutable segments; directories not named in it are
// leftovers of an interrupted write and are removed by the next writer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "indexer/segment_writer.h"

namespace dateline {

struct Manifest {
  uint32_t format = 0;
  std::string stemmer;
  uint64_t generation = 0;  // incremented by every commit
  std::vector<SegmentInfo> segments;

  uint64_t docs() const;
};

// True when `dir` holds a MANIFEST.
bool index_exists(const std::string& dir);

// Reads DIR/MANIFEST. Throws std::runtime_error naming the file when it is
// missing, unreadable, of an unknown format version, or malformed.
Manifest read_manifest(const std::string& dir);

// Atomically replaces DIR/MANIFEST.
void write_manifest(const std::string& dir, const Manifest& m);

}  // namespace dateline
