// Searching while another process writes: a child process indexes, replaces,
// deletes (and merges, with the writer's merge policy) in a scripted series
// of commits while this process searches; every answer must equal the
// answer on the snapshot the search opened, computed from a model of the
// script. Searchers opened early are checked again after later commits
// removed the files they opened.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "indexer/index_writer.h"
#include "searcher/searcher.h"
#include "test_util.h"

using namespace dateline;
using namespace dateline::testing;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kWords{"harbour", "ferry", "strike", "grain", "port", "rates", "bank", "wind"};
constexpr int kSteps = 40;

// The script: what each commit adds, replaces and deletes. Deterministic.
struct Step {
  std::vector<std::pair<std::string, std::string>> put;  // id, body (new or replacing)
  std::vector<std::string> remove;
};

std::vector<Step> script() {
  std::mt19937 rng(21);
  std::vector<std::string> ids;
  std::vector<Step> steps;
  auto body = [&] {
    std::string b;
    for (int n = 0; n < 6; ++n) b += kWords[rng() % kWords.size()] + " ";
    return b;
  };
  for (int k = 0; k < kSteps; ++k) {
    Step s;
    for (int i = 0; i < 30; ++i) {
      ids.push_back(std::string("c").append(std::to_string(k)).append("-").append(std::to_string(i)));
      s.put.emplace_back(ids.back(), body());
    }
    for (int i = 0; i < 6 && ids.size() > 40; ++i) s.put.emplace_back(ids[rng() % (ids.size() - 30)], body());
    for (int i = 0; i < 4 && ids.size() > 40; ++i) s.remove.push_back(ids[rng() % (ids.size() - 30)]);
    steps.push_back(std::move(s));
  }
  return steps;
}

using Model = std::map<std::string, std::string>;  // id -> body

// The model after steps [0, k].
std::vector<Model> models(const std::vector<Step>& steps) {
  std::vector<Model> out;
  Model m;
  for (const Step& s : steps) {
    for (const auto& [id, b] : s.put) m[id] = b;
    for (const auto& id : s.remove) m.erase(id);
    out.push_back(m);
  }
  return out;
}

// The child: runs the script, logging "first_generation last_generation step" after each commit.
[[noreturn]] void run_writer(const fs::path& idx, const fs::path& log, const std::vector<Step>& steps) {
  IndexWriterOptions o;
  o.stemmer = "none";
  o.ram_budget_bytes = 20000;  // several segments per commit, so merges have work
  for (size_t k = 0; k < steps.size(); ++k) {
    IndexWriter w(idx.string(), o);
    const uint64_t before = w.manifest().generation;
    for (const auto& [id, b] : steps[k].put) {
      Article a;
      a.id = id;
      a.body = b;
      a.has_speakers = a.has_entities = true;
      w.add(a);
    }
    w.remove(steps[k].remove);
    w.commit();
    std::ofstream(log, std::ios::app) << before + 1 << " " << w.manifest().generation << " " << k << "\n";
  }
  std::_Exit(0);
}

// The step whose commit produced generation `g`, from the writer's log
// (waits for the line to be written); -1 if it never appears.
int step_of(const fs::path& log, uint64_t g) {
  for (int tries = 0; tries < 2000; ++tries) {
    std::ifstream in(log);
    uint64_t lo, hi;
    int k;
    while (in >> lo >> hi >> k)
      if (lo <= g && g <= hi) return k;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

// Checks `s` against the model of its snapshot; returns false on a mismatch.
void check_snapshot(Searcher& s, const Model& m) {
  CHECK(s.docs() == m.size());
  for (const std::string& w : kWords) {
    std::vector<std::string> want;
    for (const auto& [id, b] : m)
      if ((" " + b).find(" " + w + " ") != std::string::npos) want.push_back(id);
    auto got = s.matching_ids(s.parse(w));
    std::sort(got.begin(), got.end());
    CHECK(got == want);
    CHECK(s.count(s.parse(w)) == want.size());
    SearchOptions o;
    o.limit = 3;
    CHECK(s.search(s.parse(w), o).total == want.size());
  }
}

}  // namespace

TEST_CASE("concurrent use: searches while another process indexes, deletes and merges see their snapshot") {
  TempDir dir("dateline-concurrent");
  const fs::path idx = dir.path() / "idx", log = dir.path() / "log";
  const auto steps = script();
  const auto ms = models(steps);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) run_writer(idx, log, steps);
  std::vector<std::pair<std::unique_ptr<Searcher>, int>> kept;  // old snapshots, checked again later
  int searched = 0, status = 0;
  bool writer_done = false;
  while (!writer_done || searched < 5) {
    writer_done = writer_done || waitpid(child, &status, WNOHANG) == child;
    if (!index_exists(idx.string())) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    auto s = std::make_unique<Searcher>(idx.string());
    const int k = step_of(log, s->manifest().generation);
    REQUIRE(k >= 0);
    INFO("generation " << s->manifest().generation << " step " << k);
    check_snapshot(*s, ms[k]);
    ++searched;
    if (searched % 7 == 0) kept.emplace_back(std::move(s), k);
    for (auto& [old, ok] : kept) check_snapshot(*old, ms[ok]);  // still its own snapshot
  }
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  Searcher last(idx.string());
  check_snapshot(last, ms.back());
  // The writer merged: some of its commits were followed by merge commits.
  std::ifstream in(log);
  uint64_t lo, hi, merges = 0;
  int k;
  while (in >> lo >> hi >> k) merges += hi - lo;
  CHECK(merges > 0);
  MESSAGE(searched << " snapshots searched while the writer ran " << kSteps << " commits and " << merges
                   << " merges; " << kept.size() << " kept open across later commits and checked again each time");
  CHECK(searched >= 5);
}
