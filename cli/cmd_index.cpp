// dateline index: read archives, extract fields, write and commit the index.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>

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
  size_t ram_mb = 1024;
  uint64_t commit_every = 0;     // articles; 0: only at the end
  double commit_interval = 0;    // seconds; 0: only at the end
  uint32_t segments_per_tier = MergePolicyOptions{}.segments_per_tier;
  bool no_merge = false;
};

// Wall-clock and CPU time of one phase, summed over its calls.
struct PhaseTime {
  double wall = 0, cpu = 0;
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Times `f` into `t`.
template <class F>
void timed(PhaseTime& t, F&& f) {
  const auto w0 = std::chrono::steady_clock::now();
  const double c0 = cpu_seconds();
  f();
  t.cpu += cpu_seconds() - c0;
  t.wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
}

constexpr std::string_view kDuplicateConsequence = "the later record replaces it";

// "1 article", "2 articles".
std::string counted(uint64_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
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
  opts.merge = !a.no_merge;
  opts.merge_policy.segments_per_tier = a.segments_per_tier;
  if (opts.stemmer.empty() && (opts.overwrite || !index_exists(a.index))) opts.stemmer = "english";
  IndexWriter writer(a.index, opts);

  const bool progress = !a.quiet && isatty(STDERR_FILENO);
  const auto t0 = std::chrono::steady_clock::now();
  auto last = t0, last_commit = t0;
  uint64_t added = 0, replaced = 0, since_commit = 0;
  PhaseTime total_read, extracting, indexing, committing, committing_while_reading;
  ReadStats stats;
  DuplicateIds ids;
  timed(total_read, [&] {
    stats = read_articles(
      a.paths,
      [&](Article&& art) {
        // An id is unique in the index: the later record replaces the earlier one.
        if (auto d = ids.check(art, kDuplicateConsequence)) print_diagnostic(*d);
        timed(extracting, [&] { extract_fields(art); });
        timed(indexing, [&] { replaced += writer.add(art); });
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
          const double s = std::chrono::duration<double>(now - t0).count();
          std::fprintf(stderr, "\rindexing: %llu articles (%.0f/s)", static_cast<unsigned long long>(added),
                       added / s);
          last = now;
        }
      },
      [&](const Diagnostic& d) { print_diagnostic(d); });
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
    // Reading is what read_articles() took besides the two phases it called back.
    // Commits made while reading (--commit-every) count as committing.
    PhaseTime reading{total_read.wall - extracting.wall - indexing.wall - committing_while_reading.wall,
                      total_read.cpu - extracting.cpu - indexing.cpu - committing_while_reading.cpu};
    committing.wall += committing_while_reading.wall;
    committing.cpu += committing_while_reading.cpu;
    const double wall = reading.wall + extracting.wall + indexing.wall + committing.wall;
    const double cpu = reading.cpu + extracting.cpu + indexing.cpu + committing.cpu;
    std::fprintf(stderr, "timings (seconds):   %8s %8s  %s\n", "wall", "cpu", "share of cpu");
    auto row = [&](const char* name, const PhaseTime& t) {
      std::fprintf(stderr, "  %-18s %8.3f %8.3f  %5.1f%%\n", name, t.wall, t.cpu, cpu > 0 ? 100 * t.cpu / cpu : 0.0);
    };
    row("reading", reading);
    row("extracting", extracting);
    row("indexing", indexing);
    row("committing", committing);
    row("total", PhaseTime{wall, cpu});
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
                "Print the seconds spent reading, extracting fields, indexing (analysis and postings) "
                "and committing");
  sub->add_option("--commit-every", a->commit_every,
                  "Also commit after every N articles, so that an interrupted run keeps what it committed");
  sub->add_option("--commit-interval", a->commit_interval,
                  "Also commit every SECONDS seconds (both may be given; by default only at the end)");
  sub->add_option("--segments-per-tier", a->segments_per_tier,
                  "Merge policy: how many segments of about the same size may stay unmerged (fewer: more merging, "
                  "faster queries)")
      ->check(CLI::Range(2, 100));
  sub->add_flag("--no-merge", a->no_merge, "Do not merge segments after committing (dateline optimize can later)");
  sub->add_option("--ram-mb", a->ram_mb, "Memory for in-memory postings before a segment is written")
      ->check(CLI::Range(16, 1 << 20));
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
