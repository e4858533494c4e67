// Counting in windows of bitsets (Lucene 10 counts dense conjunctions and
// disjunctions this way): a segment is cut into windows of 4,096 documents;
// each node of an exact boolean query writes the documents it matches in
// the window as 64 words of bits, AND, OR and AND NOT combine the words,
// and the count is a popcount. For dense terms this replaces a leapfrog or
// union step per document (calls, comparisons, branches) by one bit set per
// posting and a few thousand word operations per clause and segment. A
// conjunction stops at the first clause that leaves a window empty, so a
// sparse clause lets the others skip whole windows of postings.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "indexer/posting_cursor.h"
#include "indexer/segment_reader.h"

namespace dateline {

class WindowNode {
 public:
  static constexpr uint32_t kWindowDocs = 4096;
  static constexpr uint32_t kWindowWords = kWindowDocs / 64;

  virtual ~WindowNode() = default;
  // Windows are asked for in ascending order. Writes the node's documents
  // in [base, end) to `bits` (bit d - base; bits from end on stay clear)
  // and returns true, or returns false when it has none there (`bits` is
  // then unspecified). base is a multiple of kWindowDocs, end - base at
  // most kWindowDocs.
  virtual bool fill(uint32_t base, uint32_t end, uint64_t* bits) = 0;
  // The postings (or documents) the node reads over the whole segment, at
  // most: what counting it this way costs.
  virtual uint64_t cost() const = 0;
  // What counting by iterating a scorer tree of the same query costs: the
  // documents its approximation visits (a conjunction's lead's), times the
  // cursors each of them moves besides the lead (seeks()).
  virtual uint64_t iteration_cost() const { return cost(); }
  // The cursors a conjunction moves in this node for each document its
  // lead proposes: 1 for a term or a date range, every clause's for a
  // union (each of its terms seeks).
  virtual uint64_t seeks() const { return 1; }
};

using WindowNodePtr = std::unique_ptr<WindowNode>;

// A term's postings.
WindowNodePtr window_term(PostingCursor cursor);
// Articles dated within [lo, hi] (the date column, blocks outside skipped).
WindowNodePtr window_date_range(const SegmentReader& seg, DayNumber lo, DayNumber hi);
// Every document of the segment.
WindowNodePtr window_all(uint32_t docs);
// No document.
WindowNodePtr window_none();
// Boolean operators (AND takes its clauses cheapest first).
WindowNodePtr window_and(std::vector<WindowNodePtr> clauses);
WindowNodePtr window_or(std::vector<WindowNodePtr> clauses);
WindowNodePtr window_and_not(WindowNodePtr required, WindowNodePtr excluded);

// The number of documents of the segment that `root` matches, deleted
// documents left out.
uint64_t count_windows(WindowNode& root, const SegmentReader& seg);

}  // namespace dateline
