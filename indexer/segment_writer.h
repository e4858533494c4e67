// Builds one immutable segment in memory and writes it to a directory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "corpus/article.h"
#include "indexer/byte_slice_pool.h"
#include "indexer/doc_store_writer.h"
#include "indexer/document_terms.h"
#include "indexer/facet_columns.h"
#include "indexer/term_table.h"

namespace dateline {

// What a finished segment holds; recorded in its segment.json.
struct SegmentInfo {
  std::string name;
  uint32_t docs = 0;
  uint64_t terms = 0;
  uint64_t postings = 0;     // (term, doc) pairs
  uint64_t positions = 0;    // term occurrences
  uint64_t text_tokens = 0;  // sum of BM25 lengths
  DayNumber min_date = kNoDate, max_date = kNoDate;
  // Deletions, kept in the MANIFEST: how many documents are deleted and the
  // segment's file that marks them ("" when none).
  uint32_t deleted = 0;
  std::string deletes;
};

class SegmentWriter {
 public:
  // Creates `dir` (which must not exist) and starts the doc store in it.
  SegmentWriter(std::string dir, std::string name);
  ~SegmentWriter();

  // Adds the next document (local doc ids are 0, 1, 2, ...).
  void add(const Article& article, const DocumentTerms& terms);

  uint32_t docs() const { return info_.docs; }
  // Approximate bytes of memory held by the segment being built.
  size_t memory_bytes() const;
  // True when the in-memory postings near their 4 GiB limit: the segment
  // must be written before it takes another article.
  bool nearly_full() const;

  // Writes terms, postings, positions and columns, finishes the doc store
  // (all fsynced, and the directory) and returns the segment's counts.
  SegmentInfo finish();

 private:
  static constexpr uint32_t kNoTerm = UINT32_MAX;
  static constexpr uint32_t kManyForms = UINT32_MAX - 1;
  static constexpr uint32_t kNoStream = UINT32_MAX;
  // A term's postings so far, as two streams in pool_ (docs/format.md has
  // the on-disk form; these are only in memory): per document
  // vbyte(doc delta << 1 | freq == 1), then vbyte(freq) unless it is 1; and
  // for positional terms each document's positions as vbyte deltas.
  struct TermPostings {
    uint32_t doc_start = kNoStream, doc_upto = kNoStream;
    uint32_t pos_start = kNoStream, pos_upto = kNoStream;  // kNoStream: no positions
    uint32_t last_doc = 0, df = 0;
    // Stemmed terms: their one written form, kManyForms, or kNoTerm.
    // Written forms: their stemmed term.
    uint32_t link = kNoTerm;
    // A written form that is the only one of its stem in the segment shares
    // the stem's postings (same documents and frequencies) instead of
    // building its own; it gets them when a second form turns up.
    bool shared = false;
    bool positional() const { return pos_start != kNoStream; }
  };
  uint32_t term_id(std::string_view term, uint64_t hash, bool positional, bool& inserted);
  void add_doc(TermPostings& t, uint32_t doc, uint32_t freq);
  void copy_docs(const TermPostings& from, TermPostings& to);
  void add_written(uint32_t doc, const DocumentTerms& terms);
  void write_postings(const std::vector<uint32_t>& order);

  std::string dir_;
  SegmentInfo info_;
  ByteSlicePool pool_;
  TermTable terms_;  // term -> index in lists_
  std::vector<TermPostings> lists_;
  std::vector<uint32_t> doc_term_ids_;  // scratch: ids of one document's terms
  std::vector<uint32_t> written_ids_;   // scratch: ids of its written forms
  std::vector<int32_t> dates_;
  std::vector<uint32_t> lengths_;
  std::vector<uint32_t> id_ends_;  // end of each id in ids_
  std::string ids_;
  std::unique_ptr<DocStoreWriter> store_;
  FacetColumnsBuilder facets_;
};

}  // namespace dateline
