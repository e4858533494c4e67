// Builds one immutable segment in memory and writes it to a directory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/date.h"
#include "corpus/article.h"
#include "indexer/doc_store_writer.h"
#include "indexer/document_terms.h"
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
  // Approximate bytes of memory held by the in-memory postings.
  size_t memory_bytes() const { return memory_; }

  // Writes terms, postings, positions and columns, finishes the doc store
  // (all fsynced, and the directory) and returns the segment's counts.
  SegmentInfo finish();

 private:
  static constexpr uint32_t kNoTerm = UINT32_MAX;
  static constexpr uint32_t kManyForms = UINT32_MAX - 1;
  struct PostingList {
    std::vector<uint32_t> docs, freqs, positions;
    bool positional = true;     // false for written forms and alias terms
    // A written form that is the only one of its stem in the segment shares
    // the stem's postings (same documents and frequencies) instead of
    // building its own; it gets them when a second form turns up.
    bool shared = false;
    uint32_t stem = kNoTerm;    // written forms: the stemmed term
    uint32_t written = kNoTerm;  // stemmed terms: their one written form, or kManyForms
    std::vector<uint32_t> forms;  // stemmed terms: their written forms
  };
  uint32_t term_id(const std::string& term);
  void add_written(uint32_t doc, const DocumentTerms& terms, const std::vector<uint32_t>& term_ids);
  void write_postings(const std::vector<uint32_t>& order);

  std::string dir_;
  SegmentInfo info_;
  TermTable terms_;  // term -> index in lists_
  std::vector<PostingList> lists_;
  std::vector<uint32_t> doc_term_ids_;  // scratch: ids of one document's terms
  std::vector<uint32_t> written_ids_;   // scratch: ids of its written forms
  std::vector<int32_t> dates_;
  std::vector<uint32_t> lengths_;
  std::vector<uint32_t> id_ends_;  // end of each id in ids_
  std::string ids_;
  std::unique_ptr<DocStoreWriter> store_;
  size_t memory_ = 0;
  size_t tables_bytes_ = 0;  // of terms_ and lists_ when memory_ last counted them
};

}  // namespace dateline
