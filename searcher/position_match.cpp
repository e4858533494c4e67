#include "searcher/position_match.h"

#include <algorithm>
#include <map>

namespace dateline {

bool ordered_within(const std::vector<const std::vector<uint32_t>*>& lists, uint32_t window) {
  const size_t k = lists.size();
  if (k == 0 || window < k) return false;
  for (const auto* l : lists)
    if (l->empty()) return false;
  // Greedy: for each start, take the earliest later position of each next
  // term; that minimises the span for this start.
  size_t small[16] = {};  // no allocation for ordinary phrases
  std::vector<size_t> big;
  size_t* cur = small;
  if (k > 16) {
    big.assign(k, 0);
    cur = big.data();
  }
  for (size_t s = 0; s < lists[0]->size(); ++s) {
    const uint32_t start = (*lists[0])[s];
    uint32_t p = start;
    size_t i = 1;
    for (; i < k; ++i) {
      const auto& l = *lists[i];
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

bool unordered_within(const std::vector<const std::vector<uint32_t>*>& lists,
                      const std::vector<uint32_t>& group, uint32_t window) {
  if (lists.empty() || window < lists.size()) return false;
  // How many distinct positions each distinct term needs.
  std::map<uint32_t, uint32_t> need;
  std::map<uint32_t, const std::vector<uint32_t>*> list_of;
  for (size_t i = 0; i < lists.size(); ++i) {
    ++need[group[i]];
    list_of[group[i]] = lists[i];
  }
  // Merge all (position, group) events and slide a window over them.
  std::vector<std::pair<uint32_t, uint32_t>> events;
  for (const auto& [g, l] : list_of) {
    if (l->size() < need[g]) return false;
    for (uint32_t p : *l) events.emplace_back(p, g);
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
