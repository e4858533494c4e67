// Merging segments: N segments of one index become one new segment without
// their deleted documents. The merge streams: a k-way merge of the sources'
// dictionaries, and per term the remapped postings and positions read from
// the sources' cursors (no text is analysed again); stored records and
// columns are copied. The result is the segment SegmentWriter would write
// for the live articles in the same order, byte for byte, except for a doc
// store that copies a large source's compressed blocks as they are.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/analyzer.h"
#include "indexer/segment_reader.h"
#include "indexer/segment_writer.h"

namespace dateline {

// Where a merge puts the documents of its sources: the live documents of
// source 0 in order, then those of source 1, and so on; deleted ones are
// dropped. Holds one counter per 64 documents of a source with deletions.
class MergeDocMap {
 public:
  static constexpr uint32_t kDeleted = UINT32_MAX;

  // The sources must outlive the map. Throws std::runtime_error when their
  // live documents are 2^32 - 1 or more.
  explicit MergeDocMap(const std::vector<const SegmentReader*>& sources);

  uint32_t docs() const { return docs_; }  // live documents of all sources
  // The merged id of document `doc` of source `s`, or kDeleted.
  uint32_t map(size_t s, uint32_t doc) const;

 private:
  struct Source {
    const uint64_t* deleted = nullptr;  // the source's deletions bitmap, if any
    uint32_t base = 0;                  // merged id of its first live document
    std::vector<uint32_t> live_before;  // with deletions: live documents before each 64-doc word
  };
  std::vector<Source> sources_;
  uint32_t docs_ = 0;
};

// The stemmed term that a written-form term (common/fields.h) indexes as:
// "Wministers" -> "minist", "WTministers" -> "Tminist" with an English
// analyzer; "" when `term` is no written form or the analyzer does not stem.
// `analyzer` must be the index's (MANIFEST stemmer and fold_accents).
std::string written_form_stem(std::string_view term, Analyzer& analyzer);

class SegmentMerger {
 public:
  // How the doc store is merged: a source holding at least
  // copy_store_min_bytes of records has its compressed blocks and its
  // dictionaries copied as they are, as long as the merged store gathers at
  // most max_store_dictionaries; the records of the other sources are
  // compressed again, with a dictionary trained on them.
  struct Options {
    uint64_t copy_store_min_bytes = uint64_t{32} << 20;
    uint32_t max_store_dictionaries = 16;
  };

  // `analyzer` is the index's; it re-stems written forms to decide which
  // of them share their stem's postings in the merged segment.
  explicit SegmentMerger(Analyzer& analyzer) : analyzer_(analyzer) {}
  SegmentMerger(Analyzer& analyzer, Options options) : analyzer_(analyzer), options_(options) {}

  // Writes the merge of `sources` (open segments of this index, in order)
  // as segment `name` in the new directory `dir` (which must not exist):
  // documents renumbered as MergeDocMap says, terms left without live
  // documents dropped, every file and the directory fsynced. Returns the
  // segment's counts (no deletions). The sources are only read. Throws
  // CorruptIndex when a source is damaged (a block, record or entry fails
  // its checksum) and std::runtime_error when writing fails; either way
  // `dir` is removed, so no partial segment is left.
  SegmentInfo merge(const std::vector<const SegmentReader*>& sources, const std::string& dir,
                    const std::string& name);

 private:
  Analyzer& analyzer_;
  Options options_;
};

}  // namespace dateline
