// The --index option of the commands that read an index (search, show).
#include "cli/commands.h"

namespace dateline::cli {

void add_index_option(CLI::App* sub, std::vector<std::string>& dirs) {
  sub->add_option("--index,-i", dirs,
                  "Index directory; give it again to search several indexes as one (for example one per year: "
                  "one ranking with statistics over all of them, exact counts)")
      ->required()
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

std::string join_indexes(const std::vector<std::string>& dirs) {
  std::string out;
  for (size_t i = 0; i < dirs.size(); ++i) out += (i == 0 ? "" : i + 1 == dirs.size() ? " and " : ", ") + dirs[i];
  return out;
}

}  // namespace dateline::cli
