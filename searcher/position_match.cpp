#include "searcher/position_match.h"

#include <algorithm>
#include <map>

namespace dateline {

namespace {

// Whether some p of `a` has p + d in `b` (both ascending).
bool follows(PositionList a, PositionList b, uint32_t d) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const uint64_t want = uint64_t{a[i]} + d;
    if (b[j] < want) {
      ++j;
    } else if (b[j] > want) {
      ++i;
    } else {
      return true;
    }
  }
  return false;
}

}  // namespace

bool exact_phrase(const std::vector<PositionList>& lists) {
  const size_t k = lists.size();
  if (k == 0) return false;
  if (k == 1) return !lists[0].empty();
  if (k == 2) return follows(lists[0], lists[1], 1);
  // The lists by length; the shortest proposes starts.
  size_t small[16];
  std::vector<size_t> big;
  size_t* order = small;
  if (k > 16) {
    big.resize(k);
    order = big.data();
  }
  for (size_t i = 0; i < k; ++i) {  // insertion sort: k is small
    size_t j = i;
    for (; j > 0 && lists[order[j - 1]].size() > lists[i].size(); --j) order[j] = order[j - 1];
    order[j] = i;
  }
  size_t at_small[16] = {};
  std::vector<size_t> at_big;
  size_t* at = at_small;  // per list: positions before it are behind every start
  if (k > 16) {
    at_big.assign(k, 0);
    at = at_big.data();
  }
  const size_t lead = order[0];
  for (const uint32_t p : lists[lead]) {
    if (p < lead) continue;
    const uint64_t start = p - lead;
    size_t j = 1;
    for (; j < k; ++j) {
      const size_t i = order[j];
      const PositionList& l = lists[i];
      size_t& x = at[i];
      const uint64_t want = start + i;
      while (x < l.size() && l[x] < want) ++x;
      if (x == l.size()) return false;  // later starts want more
      if (l[x] != want) break;
    }
    if (j == k) return true;
  }
  return false;
}

bool ordered_within(const std::vector<PositionList>& lists, uint32_t window) {
  const size_t k = lists.size();
  if (k == 0 || window < k) return false;
  for (const auto& l : lists)
    if (l.empty()) return false;
  // Greedy: for each start, take the earliest later position of each next
  // term; that minimises the span for this start.
  size_t small[16] = {};  // no allocation for ordinary phrases
  std::vector<size_t> big;
  size_t* cur = small;
  if (k > 16) {
    big.assign(k, 0);
    cur = big.data();
  }
  for (size_t s = 0; s < lists[0].size(); ++s) {
    const uint32_t start = lists[0][s];
    uint32_t p = start;
    size_t i = 1;
    for (; i < k; ++i) {
      const PositionList& l = lists[i];
      size_t& c = cur[i];  // positions only move forward as the start does
      while (c < l.size() && l[c] <= p) ++c;
      if (c == l.size()) return false;  // later starts cannot do better
      p = l[c];
      if (p - start + 1 > window) break;
    }
    if (i == k) return true;
  }
  return false;
}

bool unordered_within(const std::vector<PositionList>& lists, const std::vector<uint32_t>& group, uint32_t window) {
  if (lists.empty() || window < lists.size()) return false;
  // How many distinct positions each distinct term needs.
  std::map<uint32_t, uint32_t> need;
  std::map<uint32_t, PositionList> list_of;
  for (size_t i = 0; i < lists.size(); ++i) {
    ++need[group[i]];
    list_of[group[i]] = lists[i];
  }
  // Merge all (position, group) events and slide a window over them.
  std::vector<std::pair<uint32_t, uint32_t>> events;
  for (const auto& [g, l] : list_of) {
    if (l.size() < need[g]) return false;
    for (uint32_t p : l) events.emplace_back(p, g);
  }
  std::sort(events.begin(), events.end());
  std::map<uint32_t, uint32_t> have;
  size_t satisfied = 0, lo = 0;
  for (size_t hi = 0; hi < events.size(); ++hi) {
    if (++have[events[hi].second] == need[events[hi].second]) ++satisfied;
    while (events[hi].first - events[lo].first + 1 > window) {
      if (have[events[lo].second]-- == need[events[lo].second]) --satisfied;
      ++lo;
    }
    if (satisfied == need.size()) return true;
  }
  return false;
}

}  // namespace dateline
