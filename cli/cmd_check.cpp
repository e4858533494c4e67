// dateline check: verify every checksum and structure of an index.
#include <cstdio>

#include "cli/commands.h"
#include "indexer/index_check.h"

namespace dateline::cli {

namespace {

struct CheckArgs {
  std::string index;
};

int run_check(const CheckArgs& a) {
  const CheckReport r = check_index(a.index);
  if (!r.ok) {
    std::fprintf(stderr, "dateline check: %s: damaged: %s\n", a.index.c_str(), r.fault.c_str());
    return 1;
  }
  std::printf("%s: ok: %llu segments, %llu articles (%llu deleted), %llu terms, %llu postings, %llu positions, "
              "%llu stored records checked\n",
              a.index.c_str(), static_cast<unsigned long long>(r.segments), static_cast<unsigned long long>(r.docs),
              static_cast<unsigned long long>(r.deleted), static_cast<unsigned long long>(r.terms),
              static_cast<unsigned long long>(r.postings), static_cast<unsigned long long>(r.positions),
              static_cast<unsigned long long>(r.records));
  return 0;
}

}  // namespace

Runner add_check_command(CLI::App& app) {
  auto a = std::make_shared<CheckArgs>();
  auto* sub = app.add_subcommand("check", "Verify every checksum and structure of an index");
  sub->add_option("--index,-i", a->index, "Index directory")->required();
  sub->footer("Reads every byte: the checksums of every file, then every term's postings and positions,\n"
              "the stored records, ids and deletions against each other and the MANIFEST. Prints the\n"
              "first fault with its file and byte offset and exits 1; exits 0 when the index is intact.");
  return [a] { return run_check(*a); };
}

}  // namespace dateline::cli
