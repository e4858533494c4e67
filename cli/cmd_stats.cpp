// dateline stats: what an index holds and how big each part is.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "cli/commands.h"
#include "searcher/searcher.h"

namespace dateline::cli {

namespace {

std::string human_bytes(uint64_t b) {
  char buf[32];
  if (b >= (1u << 30)) std::snprintf(buf, sizeof buf, "%.2f GiB", b / double(1u << 30));
  else if (b >= (1u << 20)) std::snprintf(buf, sizeof buf, "%.2f MiB", b / double(1u << 20));
  else if (b >= 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024.0);
  else std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  return buf;
}

struct StatsArgs {
  std::string index;
  size_t top = 10;
};

// The `n` most frequent keys of `counts` (ties by name).
template <class K>
std::vector<std::pair<K, uint64_t>> most_frequent(const std::map<K, uint64_t>& counts, size_t n) {
  std::vector<std::pair<K, uint64_t>> v(counts.begin(), counts.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (v.size() > n) v.resize(n);
  return v;
}

int run_stats(const StatsArgs& args) {
  const std::string& dir = args.index;
  Searcher s(dir);
  const Manifest& m = s.manifest();
  uint64_t postings = 0, positions = 0, undated = 0, stored_raw = 0;
  DayNumber lo = kNoDate, hi = kNoDate;
  std::map<std::string, uint64_t> sizes;
  for (size_t i = 0; i < s.segment_count(); ++i) {
    const SegmentReader& seg = s.segment(i);
    postings += seg.info().postings;
    positions += seg.info().positions;
    for (uint32_t d = 0; d < seg.docs(); ++d) {
      const DayNumber day = seg.date(d);
      if (day == kNoDate) {
        ++undated;
        continue;
      }
      if (lo == kNoDate || day < lo) lo = day;
      if (hi == kNoDate || day > hi) hi = day;
    }
    for (const auto& [name, bytes] : seg.file_sizes()) sizes[name] += bytes;
    stored_raw += seg.stored_raw_bytes();
  }
  uint64_t distinct = 0;
  if (s.segment_count() == 1) {
    distinct = s.segment(0).info().terms;
  } else {
    std::set<std::string> all;
    for (size_t i = 0; i < s.segment_count(); ++i)
      s.segment(i).dict().for_each([&](std::string_view t, const TermInfo&) { all.emplace(t); });
    distinct = all.size();
  }
  std::printf("index:          %s\n", dir.c_str());
  uint64_t deleted = 0;
  for (const auto& seg : m.segments) deleted += seg.deleted;
  std::printf("articles:       %llu", static_cast<unsigned long long>(m.docs()));
  if (deleted) std::printf(" (and %llu deleted, still in the files until their segments are merged)",
                           static_cast<unsigned long long>(deleted));
  std::printf("\n");
  std::printf("segments:       %zu (generation %llu)\n", m.segments.size(),
              static_cast<unsigned long long>(m.generation));
  std::printf("stemmer:        %s\n", m.stemmer.c_str());
  std::printf("accents:        %s\n", m.fold_accents ? "folded (gdansk = gdańsk)" : "kept (--fold-accents no)");
  std::printf("distinct terms: %llu\n", static_cast<unsigned long long>(distinct));
  std::printf("postings:       %llu (term-article pairs)\n", static_cast<unsigned long long>(postings));
  std::printf("positions:      %llu\n", static_cast<unsigned long long>(positions));
  if (lo == kNoDate) std::printf("date span:      (no dated articles)\n");
  else std::printf("date span:      %s .. %s", format_iso_date(lo).c_str(), format_iso_date(hi).c_str());
  if (lo != kNoDate) std::printf("%s\n", undated ? (" (" + std::to_string(undated) + " undated)").c_str() : "");
  uint64_t total = 0;
  std::printf("size by component:\n");
  for (const auto& [name, bytes] : sizes) {
    std::printf("  %-10s %12s", name.c_str(), human_bytes(bytes).c_str());
    if (name == "docstore" && stored_raw > 0)
      std::printf("  (%.1f%% of the %s of stored records)", 100.0 * static_cast<double>(bytes) / static_cast<double>(stored_raw),
                  human_bytes(stored_raw).c_str());
    std::printf("\n");
    total += bytes;
  }
  std::printf("  %-10s %12s\n", "total", human_bytes(total).c_str());
  if (args.top > 0) {
    // Articles per speaker and per entity, from the stored fields.
    std::map<std::string, uint64_t> speakers;
    std::map<std::pair<std::string, EntityType>, uint64_t> entities;
    for (size_t i = 0; i < s.segment_count(); ++i) {
      const SegmentReader& seg = s.segment(i);
      for (uint32_t d = 0; d < seg.docs(); ++d) {
        const Article a = seg.document(d);
        for (const std::string& sp : a.speakers) ++speakers[sp];
        for (const Entity& e : a.entities) ++entities[{e.name, e.type}];
      }
    }
    std::printf("top speakers (articles quoting them):\n");
    if (speakers.empty()) std::printf("  (none)\n");
    for (const auto& [name, n] : most_frequent(speakers, args.top))
      std::printf("  %8llu  %s\n", static_cast<unsigned long long>(n), name.c_str());
    std::printf("top entities (articles mentioning them):\n");
    if (entities.empty()) std::printf("  (none)\n");
    for (const auto& [key, n] : most_frequent(entities, args.top))
      std::printf("  %8llu  %-6s %s\n", static_cast<unsigned long long>(n),
                  std::string(entity_type_name(key.second)).c_str(), key.first.c_str());
  }
  return 0;
}

}  // namespace

Runner add_stats_command(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  auto* sub = app.add_subcommand(
      "stats", "Show what an index holds: articles, terms, dates, sizes, most frequent speakers and entities");
  sub->add_option("--index,-i", args->index, "Index directory")->required();
  sub->add_option("--top", args->top, "How many speakers and entities to list (0: none; default 10)");
  return [args] { return run_stats(*args); };
}

}  // namespace dateline::cli
