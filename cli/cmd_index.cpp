// dateline index: read archives, extract fields, write and commit the index.
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/article_output.h"
#include "cli/commands.h"
#include "corpus/duplicate_ids.h"
#include "corpus/extract.h"
#include "corpus/reader.h"
#include "indexer/index_writer.h"

namespace dateline::cli {

namespace {

struct IndexArgs {
  std::string index;
  std::vector<std::string> paths;
  std::string stemmer;
  std::string fold_accents;  // "", "yes" or "no"
  bool overwrite = false;
  bool quiet = false;
  bool timings = false;
  size_t ram_mb = 512;
  unsigned threads = 0;  // 0: every core
  uint64_t commit_every = 0;     // articles; 0: only at the end
  double commit_interval = 0;    // seconds; 0: only at the end
  uint32_t segments_per_tier = MergePolicyOptions{}.segments_per_tier;
  uint32_t floor_tier_segments = MergePolicyOptions{}.floor_tier_segments;
  bool no_merge = false;
};

// Wall-clock and CPU time of one phase, summed over its calls.
struct PhaseTime {
  double wall = 0, cpu = 0;
};

double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Times `f` into `t`: wall time and this thread's CPU time.
template <class F>
void timed(PhaseTime& t, F&& f) {
  const auto w0 = std::chrono::steady_clock::now();
  const double c0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  f();
  t.cpu += cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
  t.wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
}

constexpr std::string_view kDuplicateConsequence = "the later record replaces it";

// "1:23" or "12 s": a duration for the progress line.
std::string short_duration(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%d:%02d", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%d:%02d:%02d", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60,
                     static_cast<int>(s) % 60);
  return buf;
}

// The progress line: articles, rate, MB/s and, when the input size is
// known, the share of it read and the time left.
void print_progress(uint64_t articles, const ReadStats& read, uint64_t input_total, double secs) {
  std::string line = "\rindexing: " + std::to_string(articles) + " articles";
  char buf[160];
  std::snprintf(buf, sizeof buf, " (%.0f/s, %.1f MB/s)", articles / secs, read.input_bytes / 1e6 / secs);
  line += buf;
  if (input_total > 0 && read.input_bytes <= input_total) {
    const double done = static_cast<double>(read.input_bytes) / static_cast<double>(input_total);
    std::snprintf(buf, sizeof buf, ", %.1f%% of %.1f MB", 100 * done, input_total / 1e6);
    line += buf;
    if (done > 0.01) line += ", " + short_duration(secs * (1 - done) / done) + " left";
  }
  std::fprintf(stderr, "%s\033[K", line.c_str());
}

void print_timings(const PhaseTime& run, const PhaseTime& reading, const PhaseTime& committing,
                   const IndexingTimes& t, unsigned threads) {
  const double cpu = reading.cpu + t.preparing + t.analysing + t.building + t.writing + committing.cpu;
  std::fprintf(stderr, "timings (seconds, %s): wall %.3f, cpu %.3f\n", counted(threads, "indexing thread").c_str(),
               run.wall, run.cpu);
  std::fprintf(stderr, "  %-28s %8s  %s\n", "stage", "cpu", "share of cpu");
  auto row = [&](const char* name, double secs) {
    std::fprintf(stderr, "  %-28s %8.3f  %5.1f%%\n", name, secs, cpu > 0 ? 100 * secs / cpu : 0.0);
  };
  row("reading", reading.cpu);
  row("extracting", t.preparing);
  row("analysing", t.analysing);
  row("building segments", t.building);
  row("writing segments", t.writing);
  row("committing and merging", committing.cpu);
  if (run.cpu > cpu * 1.02) row("other (waiting, queues)", run.cpu - cpu);
}

int run_index(const IndexArgs& a) {
  for (const auto& p : a.paths)
    if (p != "-" && !std::filesystem::exists(p)) {
      std::fprintf(stderr, "dateline index: error: %s: no such file or directory\n", p.c_str());
      return 2;
    }
  IndexWriterOptions opts;
  opts.stemmer = a.stemmer;
  if (!a.fold_accents.empty()) opts.fold_accents = a.fold_accents == "yes";
  opts.overwrite = a.overwrite;
  opts.ram_budget_bytes = a.ram_mb << 20;
  opts.threads = a.threads ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  opts.prepare = [](Article& art) { extract_fields(art); };
  opts.merge = !a.no_merge;
  opts.merge_policy.segments_per_tier = a.segments_per_tier;
  opts.merge_policy.floor_tier_segments = a.floor_tier_segments;
  if (opts.stemmer.empty() && (opts.overwrite || !index_exists(a.index))) opts.stemmer = "english";
  const double cpu0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
#if defined(__GLIBC__)
  // Segment buffers of 128 KiB and more get their own mappings, returned
  // whole when a segment is written, instead of fragmenting the heap (peak
  // RSS at --ram-mb 64 on 100k articles: 90 -> 80 MB).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  IndexWriter writer(a.index, opts);

  const bool progress = !a.quiet && isatty(STDERR_FILENO);
  const uint64_t input_total = progress ? input_size(a.paths) : 0;
  const auto t0 = std::chrono::steady_clock::now();
  auto last = t0, last_commit = t0;
  uint64_t added = 0, replaced = 0, since_commit = 0;
  PhaseTime total_read, committing, committing_while_reading;
  ReadStats stats;
  DuplicateIds ids;
  timed(total_read, [&] {
    read_articles(
      a.paths,
      [&](Article&& art) {
        // An id is unique in the index: the later record replaces the earlier one.
        if (auto d = ids.check(art, kDuplicateConsequence)) print_diagnostic(*d);
        writer.note_memory(ids.memory_bytes());
        replaced += writer.add(std::move(art));
        ++added;
        ++since_commit;
        auto now = std::chrono::steady_clock::now();
        // A long run keeps what it has committed when it is interrupted.
        if ((a.commit_every && since_commit >= a.commit_every) ||
            (a.commit_interval > 0 && std::chrono::duration<double>(now - last_commit).count() >= a.commit_interval)) {
          timed(committing_while_reading, [&] { writer.commit(); });
          since_commit = 0;
          last_commit = now;
        }
        if (progress && now - last > std::chrono::milliseconds(500)) {
          print_progress(added, stats, input_total, std::chrono::duration<double>(now - t0).count());
          last = now;
        }
      },
      [&](const Diagnostic& d) { print_diagnostic(d); }, &stats);
  });
  if (progress) std::fprintf(stderr, "\r\033[K");
  timed(committing, [&] { writer.commit(); });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!a.quiet)
    std::fprintf(stderr,
                 "indexed %s from %s (%.1f MB) in %.2f s (%.0f articles/s) into %s%s; "
                 "index now holds %s (stemmer %s)\n",
                 counted(added, "article").c_str(), counted(stats.files, "file").c_str(), stats.bytes / 1e6, secs,
                 secs > 0 ? added / secs : 0.0, a.index.c_str(),
                 replaced ? (", replacing " + counted(replaced, "article") + " of the same id").c_str() : "",
                 counted(writer.manifest().docs(), "article").c_str(), writer.stemmer().c_str());
  if (a.timings) {
    // Reading is the main thread's time in read_articles() besides the
    // commits made while reading (--commit-every), which count as committing.
    const PhaseTime reading{0, total_read.cpu - committing_while_reading.cpu};
    committing.cpu += committing_while_reading.cpu;
    const PhaseTime run{secs, cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0};
    print_timings(run, reading, committing, writer.indexing_times(), opts.threads);
  }
  if (ids.duplicates() && !a.quiet)
    std::fprintf(stderr, "dateline index: %llu %s an id seen earlier in this run and replaced it (see above)\n",
                 static_cast<unsigned long long>(ids.duplicates()),
                 ids.duplicates() == 1 ? "article repeats" : "articles repeat");
  if (stats.errors) {
    std::fprintf(stderr, "dateline index: %llu records could not be read and were skipped (see above)\n",
                 static_cast<unsigned long long>(stats.errors));
    return 1;
  }
  return 0;
}

}  // namespace

Runner add_index_command(CLI::App& app) {
  auto a = std::make_shared<IndexArgs>();
  auto* sub = app.add_subcommand("index", "Index article files and directories into an index directory");
  sub->add_option("--index,-i", a->index, "Index directory (created if missing)")->required();
  sub->add_option("paths", a->paths,
                  "Files or directories: .jsonl/.ndjson (JSON Lines), .jsonl.zst, .txt, Reuters-21578 .sgm; "
                  "'-' reads standard input (format sniffed)")
      ->required();
  sub->add_option("--stemmer", a->stemmer,
                  "Stemmer for a new index: 'none' or a Snowball language (default english); "
                  "appending must use the index's stemmer");
  sub->add_option("--fold-accents", a->fold_accents,
                  "For a new index: fold accents so that gdansk finds Gdańsk (yes, the default) or keep them "
                  "apart (no); recorded in the index and applied to queries")
      ->check(CLI::IsMember({"yes", "no"}));
  sub->add_flag("--overwrite", a->overwrite,
                "Replace the index's contents instead of adding to it (the old index stays readable "
                "until the new one is committed)");
  sub->add_flag("--quiet,-q", a->quiet, "No progress or summary on stderr");
  sub->add_flag("--timings", a->timings,
                "Print the CPU seconds spent reading, extracting fields, analysing, building and writing "
                "segments, and committing");
  sub->add_option("--commit-every", a->commit_every,
                  "Also commit after every N articles, so that an interrupted run keeps what it committed");
  sub->add_option("--commit-interval", a->commit_interval,
                  "Also commit every SECONDS seconds (both may be given; by default only at the end)");
  sub->add_option("--segments-per-tier", a->segments_per_tier,
                  "Merge policy: how many segments of about the same size may stay unmerged (fewer: more merging, "
                  "faster queries)")
      ->check(CLI::Range(2, 100));
  sub->add_option("--floor-tier-segments", a->floor_tier_segments,
                  "Merge policy: how many small segments (under 10,000 articles) may stay unmerged; the small "
                  "segments of daily runs merge among themselves beyond that")
      ->check(CLI::Range(1, 100));
  sub->add_flag("--no-merge", a->no_merge, "Do not merge segments after committing (dateline optimize can later)");
  sub->add_option("--ram-mb", a->ram_mb,
                  "Memory for indexing (in-memory segments, queued articles, the run's ids); a segment is "
                  "written out when its thread's share is full (default 512)")
      ->check(CLI::Range(16, 1 << 20));
  sub->add_option("--threads,-j", a->threads,
                  "Indexing threads: extraction, analysis and segment building run in parallel "
                  "(default: every core)")
      ->check(CLI::Range(1, 256));
  sub->footer(
      "Articles are added to the index in DIR (a new index is created if DIR is empty or missing).\n"
      "JSON Lines fields (aliases in parentheses):\n  " +
      jsonl_field_names() +
      ".\n"
      "  Dates: YYYY-MM-DD[Thh:mm...], RFC 2822 (\"Tue, 10 Jun 2003 04:00:00 GMT\", the day as written,\n"
      "  no zone shifting) or Unix seconds/milliseconds (UTC). Unknown fields are reported once per file.\n"
      ".txt: one article; optional 'date YYYY-MM-DD' and 'title: ...' header lines, else a short first\n"
      "  line followed by a blank line is the title. Its id is its path relative to the directory given\n"
      "  (the file name for a file given directly).\n"
      "Malformed records are reported with file:line and skipped; the rest is committed. An id seen twice\n"
      "in a run is a warning naming both places (both articles are indexed).\n"
      "Example: dateline index --index news-idx corpus/samples\n"
      "         producer | dateline index --index news-idx -");
  return [a] { return run_index(*a); };
}

}  // namespace dateline::cli
