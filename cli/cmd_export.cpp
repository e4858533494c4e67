// dateline export: an index's articles (or a query's matches) as
// OpenSearch / Elasticsearch _bulk NDJSON, on standard output or in
// size-capped part files, and the index mapping to create first.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>

#include "cli/article_output.h"
#include "cli/bulk_export.h"
#include "cli/commands.h"
#include "searcher/searcher.h"

namespace dateline::cli {

namespace {

struct ExportArgs {
  std::vector<std::string> indexes;
  std::string query;
  std::string format;
  std::string out;  // directory of part files; standard output when empty
  bool mapping = false;
  std::string index_name = "dateline";
  uint64_t max_file_bytes = kDefaultMaxFileBytes;
  bool progress = false;
  bool quiet = false;
};

constexpr uint64_t kProgressEvery = 10'000;

// Calls `f` with every live article of every index, in index order, or with
// every match of `query` when it is given. Returns false (message printed)
// for a bad query.
bool for_each_article(Searcher& searcher, const std::string& query, uint64_t& total,
                      const std::function<void(const ScoredDoc&)>& f) {
  if (query.empty()) {
    total = searcher.docs();
    for (uint32_t s = 0; s < searcher.segment_count(); ++s) {
      const SegmentReader& seg = searcher.segment(s);
      for (uint32_t d = 0; d < seg.docs(); ++d)
        if (!seg.is_deleted(d)) f(ScoredDoc{s, d, 0.0, seg.date(d)});
    }
    return true;
  }
  std::vector<ScoredDoc> hits;
  try {
    std::vector<QueryNote> notes;
    const Query q = searcher.parse(query, {}, &notes);
    for (const QueryNote& n : notes) std::fprintf(stderr, "note: %s\n", n.message.c_str());
    hits = searcher.all_hits(q);
  } catch (const QueryError& e) {
    std::fputs(format_query_error(query, e).c_str(), stderr);
    return false;
  }
  total = hits.size();
  for (const ScoredDoc& h : hits) f(h);
  return true;
}

// "exporting: N of M articles", every kProgressEvery articles: rewritten in
// place on a terminal, one line each otherwise (--progress).
void print_progress(uint64_t done, uint64_t total) {
  const bool tty = isatty(STDERR_FILENO);
  std::fprintf(stderr, "%sexporting: %llu of %s%s", tty ? "\r" : "", static_cast<unsigned long long>(done),
               counted(total, "article").c_str(), tty ? "\033[K" : "\n");
}

int write_mapping(const ExportArgs& a) {
  const std::string mapping = bulk_mapping();
  if (a.out.empty()) {
    std::fputs(mapping.c_str(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  const std::string path = a.out + "/mapping.json";
  std::ofstream f(path, std::ios::binary);
  f << mapping;
  f.close();
  if (!f) {
    std::fprintf(stderr, "dateline export: error: cannot write %s\n", path.c_str());
    return 1;
  }
  return 0;
}

int export_articles(const ExportArgs& a) {
  Searcher searcher(a.indexes);
  std::unique_ptr<BulkSink> sink =
      a.out.empty() ? std::make_unique<BulkSink>(stdout) : std::make_unique<BulkSink>(a.out, a.max_file_bytes);
  if (a.mapping && write_mapping(a) != 0) return 1;
  const bool progress = !a.quiet && (a.progress || isatty(STDERR_FILENO));
  uint64_t done = 0, total = 0;
  const bool ok = for_each_article(searcher, a.query, total, [&](const ScoredDoc& h) {
    const Article art = searcher.document(h);
    if (!sink->write(bulk_action(a.index_name, art.id), bulk_document(art)))
      std::fprintf(stderr, "dateline export: warning: %s: its action and document take more than %llu bytes: "
                   "alone in %s\n", art.id.c_str(), static_cast<unsigned long long>(a.max_file_bytes),
                   sink->part_path(sink->files()).c_str());
    if (progress && ++done % kProgressEvery == 0) print_progress(done, total);
  });
  if (!ok) return 2;
  sink->finish();
  if (progress && done >= kProgressEvery && isatty(STDERR_FILENO)) std::fputs("\r\033[K", stderr);
  if (!a.quiet)
    std::fprintf(stderr, "exported %s from %s%s\n", counted(total, "article").c_str(), join_indexes(a.indexes).c_str(),
                 a.out.empty() ? "" : (" into " + counted(sink->files(), "file") + " in " + a.out).c_str());
  return 0;
}

int run_export(const ExportArgs& a) {
  if (const std::string why = index_name_problem(a.index_name); !why.empty()) {
    std::fprintf(stderr, "dateline export: error: --index-name '%s' cannot name an index: %s\n", a.index_name.c_str(),
                 why.c_str());
    return 2;
  }
  if (a.mapping && a.out.empty()) return write_mapping(a);  // the mapping alone on standard output
  if (a.indexes.empty()) {
    std::fprintf(stderr, "dateline export: error: --index is required (only --mapping without --out needs none)\n");
    return 2;
  }
  try {
    return export_articles(a);
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "dateline export: error: %s\n", e.what());
    return 1;
  }
}

}  // namespace

Runner add_export_command(CLI::App& app) {
  auto a = std::make_shared<ExportArgs>();
  auto* sub = app.add_subcommand(
      "export", "Write an index's articles (or a query's matches) as OpenSearch / Elasticsearch _bulk NDJSON");
  add_index_option(sub, a->indexes);
  sub->get_option("--index")->required(false);
  sub->add_option("--query,-q", a->query, "Export only the articles this query matches (default: every live article)");
  sub->add_option("--format", a->format,
                  "opensearch: for each article an action line {\"index\":{\"_index\":NAME,\"_id\":ID}} and the "
                  "document line (id, date yyyy-mm-dd, title, body, url, source, author, speakers, people, "
                  "organizations, places, other_entities, quotations: [{speaker, speaker_kind, kind, cue, start, "
                  "end, text}])")
      ->required()
      ->check(CLI::IsMember({"opensearch"}));
  sub->add_option("--out,-o", a->out,
                  "Write DIR/part-00001.ndjson, part-00002.ndjson, ... (each at most 10 MB; an action and its "
                  "document are never split) instead of standard output; DIR is created, and must not hold part "
                  "files already");
  sub->add_flag("--mapping", a->mapping,
                "Write the index mapping to create first (PUT /NAME with it as the body): alone on standard "
                "output, or as DIR/mapping.json beside the part files with --out");
  sub->add_option("--index-name", a->index_name, "The _index of the action lines (default: dateline)");
  sub->add_option("--max-file-bytes", a->max_file_bytes,
                  "With --out: the cap of one part file in bytes (default 10000000; smaller for tests). A single "
                  "action and document larger than it goes alone into its own file, with a warning")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--progress", a->progress,
                "Report progress on stderr every 10,000 articles even when stderr is not a terminal");
  sub->add_flag("--quiet", a->quiet, "No progress or summary on stderr");
  sub->footer(
      "Several --index: their articles one after the other; an id in two indexes is exported twice (the\n"
      "later pair replaces the earlier in the target index).\n"
      "Loading:\n"
      "  dateline export -i idx --format opensearch --mapping --out bulk\n"
      "  curl -H 'Content-Type: application/json' -XPUT localhost:9200/dateline --data-binary @bulk/mapping.json\n"
      "  for f in bulk/part-*.ndjson; do\n"
      "    curl -H 'Content-Type: application/x-ndjson' -XPOST localhost:9200/_bulk --data-binary @$f; done");
  return [a] { return run_export(*a); };
}

}  // namespace dateline::cli
