// Kill safety: `dateline index` stopped by SIGKILL at every step of a commit
// (fault points, common/fault_point.h) and at random moments leaves an index
// that opens, passes `check`, and holds exactly the articles of a committed
// generation; running the same command again then yields exactly the input.
#include <doctest/doctest.h>
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "indexer/index_check.h"
#include "indexer/manifest.h"
#include "searcher/searcher.h"
#include "test_util.h"

extern char** environ;

using namespace dateline;
using namespace dateline::testing;
namespace fs = std::filesystem;

namespace {

constexpr int kArticles = 600;
constexpr int kCommitEvery = 50;

std::string id_of(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "k%04d", i);
  return buf;
}

// Three JSON Lines files of kArticles articles, each with a word of its own.
std::vector<std::string> write_input(const fs::path& dir) {
  const std::vector<std::string> words{"harbour", "ferry", "strike", "grain", "port", "rates", "bank", "wind"};
  std::mt19937 rng(11);
  std::vector<std::string> files;
  for (int f = 0; f < 3; ++f) {
    const fs::path p = dir / ("part-" + std::to_string(f) + ".jsonl");
    std::ofstream out(p);
    for (int i = f * kArticles / 3; i < (f + 1) * kArticles / 3; ++i) {
      std::string body = "own" + id_of(i);
      for (int n = 0; n < 30; ++n) body += " " + words[rng() % words.size()];
      out << R"({"id":")" << id_of(i) << R"(","date":"2024-01-02","title":"t","body":")" << body << "\"}\n";
    }
    files.push_back(p.string());
  }
  return files;
}

// The same articles as write_input() for every other id: a run over it
// replaces half of each committed segment's articles.
std::string write_replacements(const fs::path& dir, const std::vector<std::string>& inputs) {
  const fs::path p = dir / "replacements.jsonl";
  std::ofstream out(p);
  int i = 0;
  for (const auto& f : inputs) {
    std::ifstream in(f);
    for (std::string line; std::getline(in, line); ++i)
      if (i % 2 == 0) out << line << "\n";
  }
  return p.string();
}

std::vector<std::string> index_args(const fs::path& idx, const std::vector<std::string>& inputs,
                                    int commit_every = kCommitEvery) {
  std::vector<std::string> args{"index", "--quiet", "--stemmer", "none", "--commit-every", std::to_string(commit_every),
                                "--index", idx.string()};
  args.insert(args.end(), inputs.begin(), inputs.end());
  return args;
}

// Starts `dateline args...` with `fault` in DATELINE_FAULT (unset when empty).
pid_t spawn_dateline(const std::vector<std::string>& args, const std::string& fault = "") {
  std::vector<std::string> argv_s{dateline_binary().string()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).rfind("DATELINE_FAULT=", 0) != 0) env_s.emplace_back(*e);
  if (!fault.empty()) env_s.push_back("DATELINE_FAULT=" + fault);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return pid;
}

// Waits for `pid`; returns its exit code, or 128 + the signal that ended it.
int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The index holds exactly the first m articles of the input for an m of a
// commit (a multiple of `every`, or all), at least `at_least`, each once and
// intact; it opens and passes check. Returns m.
int check_committed_prefix(const fs::path& idx, int at_least, int every = kCommitEvery) {
  if (!index_exists(idx.string())) {
    CHECK(at_least == 0);
    return 0;
  }
  const CheckReport r = check_index(idx.string());
  CHECK_MESSAGE(r.ok, r.fault);
  Searcher s(idx.string());
  const std::vector<std::string> ids = s.matching_ids(s.parse("-zzzz"));
  const std::set<std::string> live(ids.begin(), ids.end());
  CHECK(live.size() == ids.size());  // each id once
  const int m = static_cast<int>(live.size());
  CHECK((m % every == 0 || m == kArticles));
  CHECK(m >= at_least);
  for (int i = 0; i < m; ++i) CHECK(live.count(id_of(i)) == 1);
  // Every article is searchable and intact: its own word finds it alone.
  for (int i = 0; i < m; i += 37) CHECK(s.count(s.parse("own" + id_of(i))) == 1);
  if (m < kArticles) CHECK(s.count(s.parse("own" + id_of(m))) == 0);
  return m;
}

}  // namespace

TEST_CASE("kill safety: SIGKILL at each step of a commit leaves a committed generation, and a re-run completes it") {
  TempDir dir("dateline-kill");
  const auto inputs = write_input(dir.path());
  const std::string replacements = write_replacements(dir.path(), inputs);
  const char* points[] = {"segment-written", "before-manifest", "manifest-written", "manifest-renamed", "committed",
                          "deletes-written", "merge-written"};
  int kills = 0;
  for (const char* point : points) {
    // Merges come after some commits only: commit more often to have several.
    const bool merging = std::string(point) == "merge-written";
    const int every = merging ? 10 : kCommitEvery;
    for (int n : {1, 2, merging ? 5 : 4}) {
      const fs::path idx = dir.path() / ("idx-" + std::string(point) + "-" + std::to_string(n));
      INFO("fault " << std::string(point) << ":" << n);
      // deletes-written happens when a run replaces some articles of a
      // segment: a first run completes, a run over half of them is killed.
      const bool replacing = std::string(point) == "deletes-written";
      if (replacing) REQUIRE(wait_for(spawn_dateline(index_args(idx, inputs))) == 0);
      const auto args = replacing ? index_args(idx, {replacements}) : index_args(idx, inputs, every);
      const int rc = wait_for(spawn_dateline(args, std::string(point) + ":" + std::to_string(n)));
      CHECK(rc == 128 + SIGKILL);
      kills += rc == 128 + SIGKILL;
      const int m = check_committed_prefix(idx, 0, every);
      if (std::string(point) == "deletes-written") CHECK(m == kArticles);
      // The same command again: exactly the input.
      REQUIRE(wait_for(spawn_dateline(index_args(idx, inputs))) == 0);
      CHECK(check_committed_prefix(idx, kArticles) == kArticles);
    }
  }
  MESSAGE(kills << " runs killed at fault points, each left a committed generation");
  CHECK(kills == 21);
}

TEST_CASE("kill safety: 60 SIGKILLs at random moments of indexing runs") {
  TempDir dir("dateline-kill-random");
  const auto inputs = write_input(dir.path());
  const fs::path idx = dir.path() / "idx";
  // How long a whole run takes, to spread the kills over it; a run that
  // finishes before its kill shortens the estimate (the machine's speed
  // varies, the property checked does not).
  auto elapsed_us = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t).count();
  };
  const auto t0 = std::chrono::steady_clock::now();
  {
    TempDir probe("dateline-kill-probe");
    REQUIRE(wait_for(spawn_dateline(index_args(probe.path() / "idx", inputs))) == 0);
  }
  long long run_us = elapsed_us(t0);
  std::mt19937 rng(5);
  int kills = 0, completed = 0, at_least = 0;
  for (int round = 0; kills < 60 && round < 400; ++round) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = spawn_dateline(index_args(idx, inputs));
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % (run_us + 1)));
    ::kill(pid, SIGKILL);
    const int rc = wait_for(pid);
    if (rc == 128 + SIGKILL) ++kills;
    if (rc == 0) {
      ++completed;
      run_us = std::max<long long>(1000, elapsed_us(start) * 4 / 5);
    }
    INFO("round " << round << " exit " << rc);
    at_least = check_committed_prefix(idx, at_least);
    // Now and then start over, so kills also land in the first commits.
    if (kills % 15 == 14 && rc != 0) {
      fs::remove_all(idx);
      at_least = 0;
    }
  }
  MESSAGE(kills << " runs killed at random moments, " << completed << " finished before the kill; every time the index "
                << "held a committed generation");
  CHECK(kills >= 60);
  REQUIRE(wait_for(spawn_dateline(index_args(idx, inputs))) == 0);
  CHECK(check_committed_prefix(idx, kArticles) == kArticles);
}
