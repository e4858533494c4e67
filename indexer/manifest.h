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
  bool fold_accents = true;  // the analyzer folds accents (common/analyzer.h)
  uint64_t generation = 0;  // incremented by every commit
  std::vector<SegmentInfo> segments;

  uint64_t docs() const;  // live articles (deleted ones left out)
};

// True when `dir` holds a MANIFEST.
bool index_exists(const std::string& dir);

// Reads DIR/MANIFEST. Throws std::runtime_error naming the file when it is
// missing, unreadable, of an unknown format version (the message says how to
// rebuild), or malformed. With `any_format`, a manifest of another version is
// read for its generation and segment names only (what --overwrite replaces).
Manifest read_manifest(const std::string& dir, bool any_format = false);

// Atomically replaces DIR/MANIFEST.
void write_manifest(const std::string& dir, const Manifest& m);

}  // namespace dateline
