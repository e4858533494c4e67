// dateline: full-text search for news archives.
#include <cstdio>
#include <exception>
#include <map>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"dateline: full-text search for news archives (index, search, show, delete, optimize, check, extract, stats, export, serve)"};
  app.set_version_flag("--version", "dateline 0.1.0");
  app.require_subcommand(1);
  std::map<CLI::App*, dateline::cli::Runner> runners;
  auto reg = [&](dateline::cli::Runner (*add)(CLI::App&)) {
    const size_t before = app.get_subcommands({}).size();
    auto runner = add(app);
    runners[app.get_subcommands({})[before]] = runner;
  };
  reg(dateline::cli::add_index_command);
  reg(dateline::cli::add_search_command);
  reg(dateline::cli::add_show_command);
  reg(dateline::cli::add_quotes_command);
  reg(dateline::cli::add_timeline_command);
  reg(dateline::cli::add_delete_command);
  reg(dateline::cli::add_check_command);
  reg(dateline::cli::add_optimize_command);
  reg(dateline::cli::add_extract_command);
  reg(dateline::cli::add_stats_command);
  reg(dateline::cli::add_gen_corpus_command);
  reg(dateline::cli::add_eval_extract_command);
  reg(dateline::cli::add_train_ner_command);
  reg(dateline::cli::add_export_command);
  reg(dateline::cli::add_serve_command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    for (auto& [sub, run] : runners)
      if (sub->parsed()) return run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dateline: error: %s\n", e.what());
    return 1;
  }
  return 2;
}
