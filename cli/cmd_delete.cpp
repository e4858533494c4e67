// dateline delete: delete articles by id or by query, and commit.
#include <cstdio>

#include "cli/article_output.h"
#include "cli/commands.h"
#include "indexer/index_writer.h"
#include "searcher/searcher.h"

namespace dateline::cli {

namespace {

struct DeleteArgs {
  std::string index;
  std::vector<std::string> ids;
  std::string query;
  bool dry_run = false;
  bool quiet = false;
};

int run_delete(const DeleteArgs& a) {
  if (a.ids.empty() == a.query.empty()) {
    std::fprintf(stderr, "dateline delete: error: give either --id ID... or --query QUERY\n");
    return 2;
  }
  if (!index_exists(a.index)) {
    std::fprintf(stderr, "dateline delete: error: %s is not a dateline index\n", a.index.c_str());
    return 1;
  }
  // The writer's lock first, so the snapshot searched is the one changed.
  IndexWriterOptions opts;
  opts.stemmer.clear();
  IndexWriter writer(a.index, opts);
  Searcher searcher(a.index);
  std::vector<std::string> ids = a.ids;
  if (!a.query.empty()) {
    try {
      std::vector<QueryNote> notes;
      const Query q = searcher.parse(a.query, {}, &notes);
      for (const QueryNote& n : notes) std::fprintf(stderr, "note: %s\n", n.message.c_str());
      ids = searcher.matching_ids(q);
    } catch (const QueryError& e) {
      std::fputs(format_query_error(a.query, e).c_str(), stderr);
      return 2;
    }
  }
  size_t missing = 0;
  for (const std::string& id : ids) {
    const bool there = !searcher.find_id(id).empty();
    missing += !there;
    if (a.dry_run && there) std::printf("%s\n", id.c_str());
  }
  if (missing && !a.query.empty()) missing = 0;  // ids from the query are all there
  if (missing) std::fprintf(stderr, "dateline delete: %zu of the ids given are not in the index\n", missing);
  if (a.dry_run) {
    std::fprintf(stderr, "dry run: would delete %s from %s (%llu now)\n", counted(ids.size() - missing, "article").c_str(),
                 a.index.c_str(), static_cast<unsigned long long>(searcher.docs()));
    return 0;
  }
  const uint64_t deleted = writer.remove(ids);
  writer.commit();
  if (!a.quiet)
    std::fprintf(stderr, "deleted %s from %s; it now holds %llu\n", counted(deleted, "article").c_str(), a.index.c_str(),
                 static_cast<unsigned long long>(writer.manifest().docs()));
  return 0;
}

}  // namespace

Runner add_delete_command(CLI::App& app) {
  auto a = std::make_shared<DeleteArgs>();
  auto* sub = app.add_subcommand("delete", "Delete articles by id or by query, and commit");
  sub->add_option("--index,-i", a->index, "Index directory")->required();
  sub->add_option("--id", a->ids, "Ids of the articles to delete");
  sub->add_option("--query,-q", a->query, "Delete every article this query matches");
  sub->add_flag("--dry-run,-n", a->dry_run, "Print the ids that would be deleted; change nothing");
  sub->add_flag("--quiet", a->quiet, "No summary on stderr");
  sub->footer("The deletion is one commit: readers see all of it or none. Deleted articles leave the\n"
              "index files when their segments are next merged (dateline optimize).\n"
              "Examples:\n"
              "  dateline delete --index news-idx --id dl-2024-0008 dl-2024-0009\n"
              "  dateline delete --index news-idx --dry-run --query 'date:..2019-12-31'");
  return [a] { return run_delete(*a); };
}

}  // namespace dateline::cli
