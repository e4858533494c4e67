// Parallel indexing: any number of indexing threads builds an index that
// answers every query as one thread's does (same articles, same hits, same
// scores), extraction included; a thread's failure reaches the caller and
// leaves the last commit as it was. Also run under TSan (make tsan).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "corpus/extract.h"
#include "corpus/reader.h"
#include "indexer/index_writer.h"
#include "indexer/index_check.h"
#include "indexer/manifest.h"
#include "searcher/searcher.h"
#include "test_util.h"

using namespace dateline;
using namespace dateline::testing;
namespace fs = std::filesystem;

namespace {

std::vector<Article> sample_articles() {
  std::vector<Article> arts;
  read_articles({(source_dir() / "corpus/samples").string()}, [&](Article&& a) { arts.push_back(std::move(a)); },
                nullptr);
  return arts;
}

IndexWriterOptions parallel(unsigned threads, size_t batch, size_t ram) {
  IndexWriterOptions o;
  o.threads = threads;
  o.batch_articles = batch;
  o.ram_budget_bytes = ram;
  o.merge_policy.floor_tier_segments = o.merge_policy.segments_per_tier;  // several small segments stay apart
  o.prepare = [](Article& a) { extract_fields(a); };
  return o;
}

void build(const fs::path& dir, const std::vector<Article>& arts, const IndexWriterOptions& o, size_t commit_every) {
  IndexWriter w(dir.string(), o);
  size_t n = 0;
  for (const Article& a : arts) {
    w.add(a);
    if (++n % commit_every == 0) w.commit();
  }
  w.commit();
}

// Every hit of `q` by id, with its score.
std::map<std::string, double> scored_hits(Searcher& s, const std::string& q) {
  SearchOptions o;
  o.limit = 100000;
  std::map<std::string, double> out;
  for (const ScoredDoc& h : s.search(s.parse(q), o).hits) out[s.doc_id(h)] = h.score;
  return out;
}

const std::vector<std::string> kQueries{
    "minister*", "harbour", "ferry strike", "\"central bank\"", "rates OR wind", "oil AND NOT bank",
    "speaker:halvorsen", "entity:norway", "place:\"united states\"", "title:port*", "date:2024",
    "NOT harbour", "shipp*", "\"said on\"", "bank NEAR/5 rates"};

// Both indexes hold the same articles and answer every query alike.
void check_same(const fs::path& one, const fs::path& many) {
  Searcher a(one.string()), b(many.string());
  REQUIRE(a.docs() == b.docs());
  for (const std::string& q : kQueries) {
    INFO("query " << q);
    const auto x = scored_hits(a, q), y = scored_hits(b, q);
    REQUIRE(x.size() == y.size());
    for (const auto& hit : x) {
      const std::string& id = hit.first;
      const double score = hit.second;
      INFO("id " << id);
      REQUIRE(y.count(id) == 1);
      CHECK(y.at(id) == doctest::Approx(score).epsilon(1e-9));
    }
  }
  // Stored articles, extraction included, are the same.
  SearchOptions all;
  all.limit = 100000;
  for (const ScoredDoc& h : a.search(a.parse("NOT zzzzqqq"), all).hits) {
    const Article x = a.document(h);
    const auto found = b.find_id(x.id);
    REQUIRE(found.size() == 1);
    const Article y = b.document(found[0]);
    CHECK(y.body == x.body);
    CHECK(y.date == x.date);
    CHECK(y.speakers == x.speakers);
    REQUIRE(y.entities.size() == x.entities.size());
    for (size_t i = 0; i < x.entities.size(); ++i) CHECK(y.entities[i].name == x.entities[i].name);
  }
}

}  // namespace

TEST_CASE("indexing threads: 1, 2 and 4 threads build indexes that answer every query alike") {
  const std::vector<Article> arts = sample_articles();
  REQUIRE(arts.size() > 40);
  TempDir dir;
  build(dir.path() / "one", arts, parallel(1, 64, size_t{64} << 20), 1000);
  for (const unsigned threads : {2u, 4u}) {
    CAPTURE(threads);
    const fs::path many = dir.path() / ("many" + std::to_string(threads));
    // Small batches and a small budget: every thread writes several segments.
    build(many, arts, parallel(threads, 3, 200000), 1000);
    CHECK(read_manifest(many.string()).segments.size() > 1);
    check_same(dir.path() / "one", many);
  }
}

TEST_CASE("indexing threads: the segments the threads write at a commit become one") {
  const std::vector<Article> arts = sample_articles();
  TempDir dir;
  IndexWriterOptions o = parallel(2, 3, size_t{64} << 20);  // no thread fills its budget
  build(dir.path() / "one", arts, o, 1000);
  CHECK(read_manifest((dir.path() / "one").string()).segments.size() == 1);
  CHECK(check_index((dir.path() / "one").string()).ok);
  // The merge copying the threads' stored blocks as they are (what it
  // does for segments of 32 MiB of records or more).
  o.merger.copy_store_min_bytes = 0;
  build(dir.path() / "copied", arts, o, 1000);
  CHECK(read_manifest((dir.path() / "copied").string()).segments.size() == 1);
  CHECK(check_index((dir.path() / "copied").string()).ok);
  o.merge = false;  // as the threads wrote them
  build(dir.path() / "apart", arts, o, 1000);
  CHECK(read_manifest((dir.path() / "apart").string()).segments.size() == 2);
  check_same(dir.path() / "apart", dir.path() / "one");
  check_same(dir.path() / "apart", dir.path() / "copied");
}

TEST_CASE("indexing threads: a run that adds an id twice, across threads and commits, keeps the later copy") {
  std::vector<Article> arts = sample_articles();
  // Every fifth article again, later in the run, with another body.
  const size_t n = arts.size();
  for (size_t i = 0; i < n; i += 5) {
    Article again = arts[i];
    again.body = "replacement copy of " + again.id + " about harbour ferries";
    arts.push_back(std::move(again));
  }
  TempDir dir;
  build(dir.path() / "one", arts, parallel(1, 64, size_t{64} << 20), 1000);
  build(dir.path() / "many", arts, parallel(3, 2, 100000), 17);
  // Deleted copies count in the BM25 statistics until merged away, and the
  // two runs left different ones: compare after both purged them.
  for (const char* name : {"one", "many"}) IndexWriter((dir.path() / name).string(), IndexWriterOptions{}).optimize(1);
  check_same(dir.path() / "one", dir.path() / "many");
  Searcher s((dir.path() / "many").string());
  CHECK(s.docs() == n);
  CHECK(s.count(s.parse("\"replacement copy\"")) == (n + 4) / 5);
}

TEST_CASE("indexing threads: a failure in a thread reaches add() or commit() and the last commit stays") {
  const std::vector<Article> arts = sample_articles();
  TempDir dir;
  const fs::path idx = dir.path() / "idx";
  {
    IndexWriter w(idx.string(), parallel(2, 2, size_t{64} << 20));
    for (size_t i = 0; i < 10; ++i) w.add(arts[i]);
    w.commit();
  }
  const Manifest before = read_manifest(idx.string());
  IndexWriterOptions o = parallel(2, 2, 20000);
  std::atomic<int> seen{0};
  o.prepare = [&](Article& a) {
    if (++seen == 25) throw std::runtime_error("extraction failed on purpose");
    extract_fields(a);
  };
  bool thrown = false;
  try {
    IndexWriter w(idx.string(), o);
    for (size_t i = 10; i < arts.size(); ++i) w.add(arts[i]);
    w.commit();
  } catch (const std::runtime_error& e) {
    thrown = true;
    CHECK(std::string(e.what()) == "extraction failed on purpose");
  }
  CHECK(thrown);
  const Manifest after = read_manifest(idx.string());
  CHECK(after.generation == before.generation);
  CHECK(after.docs() == 10);
  // Only the committed segments are left.
  size_t dirs = 0;
  for (const auto& e : fs::directory_iterator(idx))
    if (e.path().filename().string().rfind("seg-", 0) == 0) ++dirs;
  CHECK(dirs == after.segments.size());
  Searcher s(idx.string());
  CHECK(s.docs() == 10);
}

TEST_CASE("indexing threads: searches from several threads at once answer as one thread does") {
  const std::vector<Article> arts = sample_articles();
  TempDir dir;
  build(dir.path(), arts, parallel(2, 4, 100000), 20);
  std::map<std::string, std::map<std::string, double>> want;
  {
    Searcher s(dir.path().string());
    for (const std::string& q : kQueries) want[q] = scored_hits(s, q);
  }
  // One Searcher per thread (the documented use); they share nothing but
  // the process's caches, which must not mix their answers.
  std::atomic<int> wrong{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t)
    pool.emplace_back([&, t] {
      Searcher s(dir.path().string());
      for (int round = 0; round < 3; ++round)
        for (size_t i = 0; i < kQueries.size(); ++i) {
          const std::string& q = kQueries[(i + static_cast<size_t>(t)) % kQueries.size()];
          if (scored_hits(s, q) != want.at(q)) ++wrong;
          SearchOptions o;
          o.limit = 3;
          for (const ScoredDoc& h : s.search(s.parse(q), o).hits)
            if (s.document(h).id != s.doc_id(h)) ++wrong;
        }
    });
  for (auto& th : pool) th.join();
  CHECK(wrong == 0);
}
