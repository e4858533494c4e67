// The public face of the indexer: add articles, commit atomically.
//
// One writer per index at a time (an exclusive lock on DIR/LOCK); any number
// of readers. Nothing added is visible to readers until commit() returns, and
// a crash or error before that leaves the last committed index untouched.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/analyzer.h"
#include "corpus/article.h"
#include "indexer/manifest.h"

namespace dateline {

struct IndexWriterOptions {
  // Stemmer for a new index. Appending to an existing index requires the
  // same stemmer (or the empty string: take the index's).
  std::string stemmer = "english";
  // Accent folding for a new index; appending requires the index's choice
  // (nullopt: take the index's, true for a new one).
  std::optional<bool> fold_accents;
  // Start a new index even if DIR already holds one; the old segments are
  // deleted only after the new MANIFEST is committed.
  bool overwrite = false;
  // In-memory postings are written out as a segment beyond this size.
  size_t ram_budget_bytes = size_t{1} << 30;
};

class IndexWriter {
 public:
  // Opens or creates the index in `dir`. Throws std::runtime_error with a
  // message for the user (locked, not an index, stemmer mismatch, ...).
  IndexWriter(const std::string& dir, const IndexWriterOptions& options);
  ~IndexWriter();  // uncommitted documents are discarded

  // Indexes one article (fields already extracted).
  void add(const Article& article);

  // Writes the pending segment and publishes everything added so far.
  void commit();

  uint64_t pending_docs() const;
  const Manifest& manifest() const { return manifest_; }
  const std::string& stemmer() const { return manifest_.stemmer; }

 private:
  void flush_segment();
  std::string next_segment_name();
  void remove_unreferenced();

  std::string dir_;
  IndexWriterOptions options_;
  Manifest manifest_;                   // last committed, plus flushed segments
  std::vector<std::string> obsolete_;   // segments to delete after commit
  std::vector<SegmentInfo> flushed_;    // written but not yet committed
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<class SegmentWriter> segment_;
  std::string current_segment_dir_;
  uint64_t pending_ = 0;
  uint32_t next_segment_ = 1;
  // Holds DIR/LOCK (flock) for the writer's lifetime, released even when the
  // constructor throws.
  struct Lock {
    int fd = -1;
    ~Lock();
  } lock_;
};

}  // namespace dateline
