// dateline optimize: merge an index's segments down to a few, purging deletions.
#include <chrono>
#include <cstdio>

#include "cli/article_output.h"
#include "cli/commands.h"
#include "indexer/index_writer.h"

namespace dateline::cli {

namespace {

struct OptimizeArgs {
  std::string index;
  size_t max_segments = 1;
};

int run_optimize(const OptimizeArgs& a) {
  if (!index_exists(a.index)) {
    std::fprintf(stderr, "dateline optimize: error: %s is not a dateline index\n", a.index.c_str());
    return 1;
  }
  IndexWriterOptions opts;
  opts.stemmer.clear();  // the index's
  IndexWriter writer(a.index, opts);
  const size_t before = writer.manifest().segments.size();
  const auto t0 = std::chrono::steady_clock::now();
  const size_t merges = writer.optimize(a.max_segments);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "%s: %s -> %zu in %s (%.1f s); %s\n", a.index.c_str(), counted(before, "segment").c_str(),
               writer.manifest().segments.size(), counted(merges, "merge").c_str(), secs,
               counted(writer.manifest().docs(), "article").c_str());
  return 0;
}

}  // namespace

Runner add_optimize_command(CLI::App& app) {
  auto a = std::make_shared<OptimizeArgs>();
  auto* sub = app.add_subcommand("optimize", "Merge an index's segments down to a few, purging deleted articles");
  sub->add_option("--index,-i", a->index, "Index directory")->required();
  sub->add_option("--max-segments", a->max_segments, "Segments to keep at most (default 1)")
      ->check(CLI::Range(1, 1000000));
  sub->footer("Merges never change an answer (only the BM25 statistics, which deleted articles no longer\n"
              "count in). Each merge is a commit of its own; searches running meanwhile keep their snapshot.\n"
              "dateline index already merges after each run as its merge policy asks; optimize goes further.");
  return [a] { return run_optimize(*a); };
}

}  // namespace dateline::cli
