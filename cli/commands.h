// Subcommands of the dateline executable. Each registers its options on the
// CLI11 app and returns a runner that yields the process exit code:
// 0 success, 1 failure (I/O, corrupt index, bad records), 2 usage or query syntax.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace dateline::cli {

using Runner = std::function<int()>;

// --index/-i DIR for commands that read: repeatable (one directory per
// occurrence), at least once; several indexes are searched as one.
void add_index_option(CLI::App* sub, std::vector<std::string>& dirs);
// "A", or "A, B and C", for messages.
std::string join_indexes(const std::vector<std::string>& dirs);

Runner add_index_command(CLI::App& app);
Runner add_search_command(CLI::App& app);
Runner add_show_command(CLI::App& app);
Runner add_quotes_command(CLI::App& app);
Runner add_delete_command(CLI::App& app);
Runner add_check_command(CLI::App& app);
Runner add_optimize_command(CLI::App& app);
Runner add_extract_command(CLI::App& app);
Runner add_stats_command(CLI::App& app);
Runner add_gen_corpus_command(CLI::App& app);
Runner add_eval_extract_command(CLI::App& app);
Runner add_train_ner_command(CLI::App& app);
Runner add_timeline_command(CLI::App& app);
Runner add_export_command(CLI::App& app);
Runner add_serve_command(CLI::App& app);

}  // namespace dateline::cli
