#include "indexer/merge_policy.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace dateline {

namespace {

// A segment as the policy sees it.
struct Seg {
  size_t index = 0;   // in the caller's list
  uint64_t live = 0;  // its size
  uint64_t docs = 0;  // live and deleted
  uint64_t deleted = 0;
};

double pct(uint64_t part, uint64_t whole) { return whole ? 100.0 * static_cast<double>(part) / whole : 0.0; }

uint32_t merge_factor(const MergePolicyOptions& o) { return std::max(2u, std::min(o.max_merge_at_once, o.segments_per_tier)); }

// The segments, largest first (ties: the earlier one first).
std::vector<Seg> by_size(const std::vector<SegmentInfo>& segments) {
  std::vector<Seg> out;
  for (size_t i = 0; i < segments.size(); ++i) {
    const SegmentInfo& s = segments[i];
    out.push_back(Seg{i, s.docs - std::min(s.deleted, s.docs), s.docs, std::min(s.deleted, s.docs)});
  }
  std::stable_sort(out.begin(), out.end(), [](const Seg& a, const Seg& b) { return a.live > b.live; });
  return out;
}

uint64_t deleted_of(const std::vector<Seg>& segs) {
  uint64_t n = 0;
  for (const Seg& s : segs) n += s.deleted;
  return n;
}

// How many segments an index of `total` live documents may hold: up to
// segments_per_tier per tier, tiers growing by the merge factor from the
// smallest segment (at least the floor) up to the largest segment allowed.
uint64_t allowed_segments(uint64_t total, uint64_t smallest, const MergePolicyOptions& o) {
  const double max_size = static_cast<double>(std::max<uint64_t>(o.max_segment_docs, 1));
  double level = std::min(max_size, static_cast<double>(std::max<uint64_t>({smallest, o.floor_segment_docs, 1})));
  double left = static_cast<double>(total), allowed = 0;
  while (true) {
    const double at_level = left / level;
    if (at_level < o.segments_per_tier || level >= max_size) {
      allowed += std::ceil(at_level);
      break;
    }
    allowed += o.segments_per_tier;
    left -= o.segments_per_tier * level;
    level = std::min(max_size, level * merge_factor(o));
  }
  return std::max<uint64_t>(static_cast<uint64_t>(allowed), o.segments_per_tier);
}

// The tier of a segment of `live` documents: 0 below the floor times the
// merge factor, one more for each factor above.
size_t tier_of(uint64_t live, const MergePolicyOptions& o) {
  const double floor = static_cast<double>(std::max<uint64_t>(o.floor_segment_docs, 1));
  const double size = std::max(static_cast<double>(live), floor);
  return static_cast<size_t>(std::log(size / floor) / std::log(static_cast<double>(merge_factor(o))) + 1e-9);
}

// True when some tier (sizes from the floor up, each tier the merge factor
// times the one below) holds more than segments_per_tier of `segs`. The
// tiered budget above counts tiers by the index's total size, so a large
// index would let many small segments, one per nightly run, pile up; this
// bounds them by the segments that exist (LogMergePolicy's rule).
bool crowded_tier(const std::vector<Seg>& segs, const MergePolicyOptions& o) {
  std::vector<uint32_t> per_tier;
  for (const Seg& s : segs) {
    const size_t tier = tier_of(s.live, o);
    if (per_tier.size() <= tier) per_tier.resize(tier + 1);
    if (++per_tier[tier] > o.segments_per_tier) return true;
  }
  return false;
}

// The segments of the floor tier, when it holds more than
// floor_tier_segments (else none): they are merged among themselves. A
// query pays a fixed setup in every segment (dictionary lookups, cursor
// heads, first blocks), which in a segment of a few hundred articles
// outweighs its postings, and the small segments of nightly runs would
// otherwise pile up to segments_per_tier.
std::vector<Seg> crowded_floor_tier(const std::vector<Seg>& segs, const MergePolicyOptions& o) {
  std::vector<Seg> floor_tier;
  for (const Seg& s : segs)
    if (tier_of(s.live, o) == 0) floor_tier.push_back(s);
  if (floor_tier.size() <= o.floor_tier_segments) floor_tier.clear();
  return floor_tier;
}

// What find_merges works within: the segments it may merge (largest
// first) and how many of them, and of their deleted documents, the index
// may keep.
struct Budget {
  std::vector<Seg> eligible;
  uint64_t segments = 0;
  uint64_t deleted = 0;
};

// Segments above half the largest size are left out (they are done) unless
// the index and they both hold more deletions than allowed.
Budget budget(const std::vector<Seg>& sorted, const MergePolicyOptions& o) {
  uint64_t docs = 0, smallest = UINT64_MAX;
  for (const Seg& s : sorted) {
    docs += s.docs;
    smallest = std::min(smallest, s.live);
  }
  const bool index_over = pct(deleted_of(sorted), docs) > o.deletes_pct_allowed;
  Budget b;
  uint64_t total = 0, big_deleted = 0;
  for (const Seg& s : sorted) {
    if (s.live > o.max_segment_docs / 2 && (!index_over || pct(s.deleted, s.docs) <= o.deletes_pct_allowed)) {
      big_deleted += s.deleted;
      continue;
    }
    b.eligible.push_back(s);
    total += s.live;
  }
  const uint64_t allowed_deleted = static_cast<uint64_t>(o.deletes_pct_allowed * static_cast<double>(docs) / 100);
  b.deleted = allowed_deleted > big_deleted ? allowed_deleted - big_deleted : 0;
  b.segments = allowed_segments(total, smallest == UINT64_MAX ? 0 : smallest, o);
  return b;
}

struct Candidate {
  std::vector<Seg> segs;  // largest first
  uint64_t live = 0, docs = 0;
  bool too_large = false;  // a segment was left out to stay within the largest size
};

// The merge that starts at eligible[start]: the next segments by size, as
// many as fit within the largest size, up to the merge factor.
Candidate candidate_at(const std::vector<Seg>& eligible, size_t start, const MergePolicyOptions& o) {
  Candidate c;
  uint64_t taken = 0;
  for (size_t i = start; i < eligible.size() && c.segs.size() < merge_factor(o) && taken < o.max_segment_docs; ++i) {
    const Seg& s = eligible[i];
    if (c.live + s.live > o.max_segment_docs) {
      c.too_large = true;
      if (!c.segs.empty()) continue;  // try smaller ones to fill the merge
      taken += s.live;                 // a segment above the size, alone (to purge it)
    } else {
      c.live += s.live;
      taken += s.live;
    }
    c.segs.push_back(s);
    c.docs += s.docs;
  }
  if (c.segs.size() == 1) c.live = c.segs[0].live;
  return c;
}

// Lower is better: skew (the largest segment's share, floored sizes; a
// merge that reaches the largest size counts as balanced, it will not be
// merged again), times size^0.05 (smaller merges first), times the
// surviving share squared (merges that purge deletions first).
double score(const Candidate& c, const MergePolicyOptions& o) {
  const auto floored = [&](uint64_t n) { return static_cast<double>(std::max(n, o.floor_segment_docs)); };
  double floored_total = 0;
  for (const Seg& s : c.segs) floored_total += floored(s.live);
  const double skew = c.too_large ? 1.0 / merge_factor(o) : floored(c.segs[0].live) / std::max(floored_total, 1.0);
  const double kept = c.docs ? static_cast<double>(c.live) / c.docs : 1.0;
  return skew * std::pow(static_cast<double>(c.live), 0.05) * kept * kept;
}

// A merge that barely grows its largest segment is pointless (it would be
// rewritten again and again) unless that segment holds many deletions, or
// all are in the floor tier, whose segments are cheap to rewrite and must
// stay few; one segment alone only to purge deletions.
bool worth_merging(const Candidate& c, const MergePolicyOptions& o) {
  const Seg& largest = c.segs[0];
  if (c.segs.size() == 1) return largest.deleted > 0;
  if (tier_of(largest.live, o) == 0) return true;
  return c.too_large || static_cast<double>(c.live) >= 1.5 * static_cast<double>(largest.live) ||
         pct(largest.deleted, largest.docs) >= o.deletes_pct_allowed;
}

// The best-scoring merge of the eligible segments, if any is worth doing.
std::optional<Candidate> best_merge(const std::vector<Seg>& eligible, const MergePolicyOptions& o) {
  std::optional<Candidate> best;
  double best_score = 0;
  for (size_t start = 0; start < eligible.size(); ++start) {
    Candidate c = candidate_at(eligible, start, o);
    if (!worth_merging(c, o)) continue;
    // Short merges from here on are only the tail of small segments.
    if (best && !c.too_large && c.segs.size() < merge_factor(o)) break;
    const double s = score(c, o);
    if (!best || s < best_score) {
      best_score = s;
      best = std::move(c);
    }
  }
  return best;
}

MergeSet indexes_of(const std::vector<Seg>& segs) {
  MergeSet m;
  for (const Seg& s : segs) m.push_back(s.index);
  std::sort(m.begin(), m.end());
  return m;
}

void remove_segments(std::vector<Seg>& from, const std::vector<Seg>& segs) {
  std::erase_if(from, [&](const Seg& s) {
    return std::any_of(segs.begin(), segs.end(), [&](const Seg& t) { return t.index == s.index; });
  });
}

}  // namespace

// Picks merges until the segments left are within the budget; at most one
// of them reaches the largest size (the rest can wait for the next call).
std::vector<MergeSet> MergePolicy::find_merges(const std::vector<SegmentInfo>& segments) const {
  Budget b = budget(by_size(segments), o_);
  std::vector<MergeSet> out;
  bool have_large = false;
  while (!b.eligible.empty()) {
    std::optional<Candidate> best;
    if (b.eligible.size() > b.segments || deleted_of(b.eligible) > b.deleted || crowded_tier(b.eligible, o_))
      best = best_merge(b.eligible, o_);
    else if (const std::vector<Seg> floor_tier = crowded_floor_tier(b.eligible, o_); !floor_tier.empty())
      best = best_merge(floor_tier, o_);
    if (!best) break;
    if (!best->too_large || !have_large) out.push_back(indexes_of(best->segs));
    have_large |= best->too_large;
    remove_segments(b.eligible, best->segs);
  }
  return out;
}

// Groups the smallest segments while the count is above max_segments, then
// adds a merge of one for each segment left with deletions.
std::vector<MergeSet> MergePolicy::force_merge(const std::vector<SegmentInfo>& segments, size_t max_segments) const {
  std::vector<Seg> small = by_size(segments);
  std::reverse(small.begin(), small.end());
  max_segments = std::max<size_t>(max_segments, 1);
  uint64_t live = 0;
  for (const Seg& s : small) live += s.live;
  const uint64_t cap = std::max<uint64_t>(o_.max_segment_docs, (live + max_segments - 1) / max_segments);
  size_t excess = small.size() > max_segments ? small.size() - max_segments : 0;
  std::vector<MergeSet> out;
  size_t i = 0;
  while (excess > 0 && i + 1 < small.size()) {
    std::vector<Seg> group{small[i]};
    uint64_t size = small[i].live;
    for (size_t j = i + 1; j < small.size() && group.size() < o_.max_forced_merge_at_once && group.size() <= excess &&
                           (size + small[j].live <= cap || group.size() < 2);
         ++j) {
      group.push_back(small[j]);
      size += small[j].live;
    }
    out.push_back(indexes_of(group));
    excess -= group.size() - 1;
    i += group.size();
  }
  for (; i < small.size(); ++i)
    if (small[i].deleted > 0) out.push_back({small[i].index});
  return out;
}

}  // namespace dateline
