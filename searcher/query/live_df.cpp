#include "searcher/query/live_df.h"

namespace dateline {

namespace {

// The term's document frequency less the deleted documents its postings
// hold (probed one by one).
uint64_t count_live(const SegmentReader& seg, const TermInfo& info) {
  uint64_t dead = 0;
  PostingCursor c = seg.cursor(info);
  for (uint32_t d : seg.deleted_list()) {
    c.advance(d);
    if (c.doc() == PostingCursor::kEnd) break;
    dead += c.doc() == d;
  }
  return info.df - dead;
}

}  // namespace

uint64_t LiveDfCache::live_df(const SegmentReader& seg, std::string_view term, const TermInfo& info) {
  if (!seg.has_deletions()) return info.df;
  auto& cache = cache_[&seg];
  const std::string key(term);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  if (cache.size() >= 100000) cache.clear();
  return cache[key] = count_live(seg, info);
}

}  // namespace dateline
