// Which segments to merge: a tiered policy after Lucene's TieredMergePolicy.
//
// A segment's size is its live documents (deleted ones do not count).
// Segments below the floor size count as the floor. The index may hold
// `segments_per_tier` segments of each tier, a tier being `merge factor`
// (min(max_merge_at_once, segments_per_tier)) times larger than the one
// below, starting at the smallest segment (or the floor); beyond that
// budget, or with more deleted documents than deletes_pct_allowed percent of
// the index, merges are chosen, best score first: the least skewed (the
// largest segment a small part of the merge), then the most deletions
// purged, then the smallest. A merge never makes a segment larger than
// max_segment_docs; segments above half of it are left alone unless the
// index and they hold too many deletions, when they may be merged alone to
// purge them. Both planners are pure functions of the segments' counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "indexer/segment_writer.h"

namespace dateline {

struct MergePolicyOptions {
  uint32_t segments_per_tier = 10;         // Lucene's segsPerTier
  uint32_t max_merge_at_once = 10;         // segments in one merge chosen by find_merges (maxMergeAtOnce)
  uint32_t max_forced_merge_at_once = 30;  // segments in one merge chosen by force_merge (maxMergeAtOnceExplicit)
  uint64_t floor_segment_docs = 1000;      // smaller segments count as this size (floorSegmentMB)
  uint32_t floor_tier_segments = 1;        // segments the lowest tier may hold (each costs every query its setup)
  uint64_t max_segment_docs = 2'000'000;   // largest segment find_merges makes, in live documents (maxMergedSegmentMB)
  double deletes_pct_allowed = 20;         // deleted documents tolerated, percent of all (deletesPctAllowed)
};

// One merge: indexes into the segment list, ascending. The merged segment
// holds the live documents of these segments in this order.
using MergeSet = std::vector<size_t>;

class MergePolicy {
 public:
  explicit MergePolicy(MergePolicyOptions options = {}) : o_(options) {}
  const MergePolicyOptions& options() const { return o_; }

  // The merges to do now, disjoint, best first; none when the index is
  // within its budget: within the tiered budget of its size, within its
  // deletions budget, and no tier (sizes growing by the merge factor from
  // the floor) holding more than segments_per_tier segments (the floor tier
  // more than floor_tier_segments). Each has at most max_merge_at_once segments and at
  // most max_segment_docs live documents; a merge of one segment purges its
  // deletions. Call again after applying them: a merge can start another.
  std::vector<MergeSet> find_merges(const std::vector<SegmentInfo>& segments) const;

  // One round of merges towards at most `max_segments` (at least 1)
  // segments without deletions, for `optimize --max-segments N`: the
  // smallest segments first, at most max_forced_merge_at_once per merge,
  // within max(max_segment_docs, live documents / max_segments) unless two
  // segments cannot otherwise be merged; each other segment with deletions
  // merged alone. Applying the rounds until one is empty leaves at most
  // max_segments segments, none with deletions.
  std::vector<MergeSet> force_merge(const std::vector<SegmentInfo>& segments, size_t max_segments) const;

 private:
  MergePolicyOptions o_;
};

}  // namespace dateline
