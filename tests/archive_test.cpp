// The archive index: replace and delete by id, checked against a model of
// what the index must hold (a map from id to article), with the answers of
// every query computed from the model by brute force.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/file_util.h"
#include "common/varint.h"
#include "indexer/index_writer.h"
#include "indexer/manifest.h"
#include "searcher/searcher.h"
#include "test_util.h"

using namespace dateline;
using namespace dateline::testing;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kWords{"harbour", "ferry", "strike", "grain", "port", "rates", "bank", "wind", "oil", "tea"};

Article make_article(const std::string& id, std::mt19937& rng) {
  Article a;
  a.id = id;
  a.title = kWords[rng() % kWords.size()];
  for (int n = 2 + static_cast<int>(rng() % 6); n > 0; --n) a.body += kWords[rng() % kWords.size()] + " ";
  a.date = static_cast<DayNumber>(19000 + rng() % 400);
  a.has_speakers = a.has_entities = true;
  return a;
}

// What the index must hold: id -> article.
using Model = std::map<std::string, Article>;

bool has_word(const Article& a, const std::string& w) {
  std::istringstream t(a.title + " " + a.body);
  for (std::string x; t >> x;)
    if (x == w) return true;
  return false;
}

// Queries with their brute-force answers on the model.
struct ModelQuery {
  std::string text;
  std::function<bool(const Article&)> match;
};

std::vector<ModelQuery> model_queries() {
  std::vector<ModelQuery> qs;
  for (const std::string& w : kWords) qs.push_back({w, [w](const Article& a) { return has_word(a, w); }});
  qs.push_back({"harbour AND ferry", [](const Article& a) { return has_word(a, "harbour") && has_word(a, "ferry"); }});
  qs.push_back({"grain OR tea", [](const Article& a) { return has_word(a, "grain") || has_word(a, "tea"); }});
  qs.push_back({"oil AND NOT bank", [](const Article& a) { return has_word(a, "oil") && !has_word(a, "bank"); }});
  qs.push_back({"NOT wind", [](const Article& a) { return !has_word(a, "wind"); }});
  qs.push_back({"-zzzz", [](const Article&) { return true; }});
  qs.push_back({"date:2022", [](const Article& a) { return a.date >= 18993 && a.date <= 19357; }});
  qs.push_back({"port date:2022", [](const Article& a) { return has_word(a, "port") && a.date >= 18993 && a.date <= 19357; }});
  return qs;
}

// Every query answers what the model says, by count, by the match set and
// by the ranked total; ids are unique.
void check_against_model(const fs::path& dir, const Model& model) {
  Searcher s(dir.string());
  CHECK(s.docs() == model.size());
  CHECK(s.manifest().docs() == model.size());
  for (const ModelQuery& mq : model_queries()) {
    INFO("query " << mq.text);
    std::vector<std::string> want;
    for (const auto& [id, a] : model)
      if (mq.match(a)) want.push_back(id);
    const Query q = s.parse(mq.text);
    auto got = s.matching_ids(q);
    std::sort(got.begin(), got.end());
    CHECK(got == want);
    CHECK(s.count(q) == want.size());
    SearchOptions o;
    o.limit = 5;
    CHECK(s.search(q, o).total == want.size());
    o.count_total = false;  // the pruned paths
    for (const ScoredDoc& h : s.search(q, o).hits) CHECK(std::binary_search(want.begin(), want.end(), s.doc_id(h)));
  }
  for (const auto& [id, a] : model) {
    const auto found = s.find_id(id);
    REQUIRE(found.size() == 1);
    CHECK(s.document(found[0]).body == a.body);
  }
}

IndexWriterOptions small_segments(unsigned threads = 1) {
  IndexWriterOptions o;
  o.stemmer = "none";
  o.ram_budget_bytes = 6000;  // a few articles per segment
  o.threads = threads;
  o.batch_articles = threads > 1 ? 2 : 64;  // with threads, a run's articles spread over all of them
  return o;
}

// The writer set-ups the model tests run with: one thread, and three threads
// that get two articles at a time (so that an id's copies land in different
// threads' segments).
const unsigned kThreadCounts[] = {1, 3};

}  // namespace

TEST_CASE("replace by id: re-adding an article replaces it, in the index and within one run") {
  for (const unsigned threads : kThreadCounts) {
    CAPTURE(threads);
    TempDir dir;
    std::mt19937 rng(1);
    Model model;
    {
      IndexWriter w(dir.path().string(), small_segments(threads));
      for (int i = 0; i < 40; ++i) {
        Article a = make_article(std::string("a").append(std::to_string(i % 25)), rng);  // 15 ids come twice in this run
        const uint64_t replaced = w.add(a);
        CHECK(replaced == (model.count(a.id) ? 1u : 0u));
        model[a.id] = a;
      }
      w.commit();
    }
    check_against_model(dir.path(), model);
    // The same run again: idempotent.
    {
      IndexWriter w(dir.path().string(), small_segments(threads));
      for (const auto& [id, a] : model) CHECK(w.add(a) == 1);
      w.commit();
    }
    check_against_model(dir.path(), model);
    CHECK(Searcher(dir.path().string()).docs() == 25);
  }
}

TEST_CASE("delete by id, and a random mix of adds, replaces, deletes and commits, checked against a model") {
  for (const unsigned threads : kThreadCounts) {
    CAPTURE(threads);
    TempDir dir;
    std::mt19937 rng(7);
    Model model, committed;  // what the writer has been told, what it has committed
    for (int round = 0; round < 12; ++round) {
      {
        IndexWriter w(dir.path().string(), small_segments(threads));
        for (int op = 0; op < 30; ++op) {
          const std::string id = std::string("d").append(std::to_string(rng() % 60));
          if (rng() % 4 == 0) {
            CHECK(w.remove({id}) == model.erase(id));
          } else {
            Article a = make_article(id, rng);
            CHECK(w.add(a) == model.count(id));
            model[id] = a;
          }
          if (rng() % 10 == 0) {
            w.commit();
            committed = model;
            check_against_model(dir.path(), committed);
          }
        }
        if (round % 3 != 2) {
          w.commit();
          committed = model;
        }
        // else the writer is abandoned: what it was told since its last commit is gone
      }
      model = committed;
      check_against_model(dir.path(), committed);
    }
    // Deleting an id that is not there deletes nothing; deleting everything
    // leaves an empty index whose segments are gone.
    IndexWriter w(dir.path().string(), small_segments(threads));
    CHECK(w.remove({"no-such-id"}) == 0);
    std::vector<std::string> all;
    for (const auto& [id, a] : model) all.push_back(id);
    CHECK(w.remove(all) == model.size());
    w.commit();
    model.clear();
    check_against_model(dir.path(), model);
    CHECK(read_manifest(dir.path().string()).segments.empty());
  }
}

TEST_CASE("deletions are files of their own: a commit writes new ones, readers of the old commit keep theirs") {
  TempDir dir;
  std::mt19937 rng(3);
  Model model;
  {
    IndexWriter w(dir.path().string(), small_segments());
    for (int i = 0; i < 20; ++i) {
      Article a = make_article(std::string("k").append(std::to_string(i)), rng);
      w.add(a);
      model[a.id] = a;
    }
    w.commit();
  }
  Searcher before(dir.path().string());
  const uint64_t harbour_before = before.count(before.parse("harbour"));
  {
    IndexWriter w(dir.path().string(), small_segments());
    CHECK(w.remove({"k1", "k2", "k3"}) == 3);
    w.commit();
    CHECK(w.remove({"k4"}) == 1);
    w.commit();
  }
  for (const char* id : {"k1", "k2", "k3", "k4"}) model.erase(id);
  check_against_model(dir.path(), model);
  // The searcher opened before the deletions still sees its snapshot.
  CHECK(before.docs() == 20);
  CHECK(before.count(before.parse("harbour")) == harbour_before);
  CHECK(before.find_id("k1").size() == 1);
  // Only the current deletions files are left.
  const Manifest m = read_manifest(dir.path().string());
  size_t files = 0;
  for (const auto& s : m.segments)
    for (const auto& e : fs::directory_iterator(dir.path() / s.name))
      if (e.path().filename().string().rfind("deletes-", 0) == 0) {
        ++files;
        CHECK(e.path().filename().string() == s.deletes);
      }
  size_t with = 0;
  for (const auto& s : m.segments) with += !s.deletes.empty();
  CHECK(files == with);
}

TEST_CASE("optimize merges down to N segments without deletions; answers are the model's, before and after reopening") {
  TempDir dir;
  std::mt19937 rng(13);
  Model model;
  IndexWriterOptions o = small_segments();
  o.merge = false;  // many segments to start from
  {
    IndexWriter w(dir.path().string(), o);
    for (int i = 0; i < 120; ++i) {
      Article a = make_article(std::string("m").append(std::to_string(i % 90)), rng);
      w.add(a);
      model[a.id] = a;
      if (i % 20 == 19) w.commit();
    }
    for (int i = 0; i < 15; ++i) {
      const std::string id = std::string("m").append(std::to_string(rng() % 90));
      w.remove({id});
      model.erase(id);
    }
    w.commit();
  }
  const Manifest before = read_manifest(dir.path().string());
  REQUIRE(before.segments.size() >= 5);
  check_against_model(dir.path(), model);
  for (size_t max_segments : {size_t{3}, size_t{1}}) {
    {
      IndexWriter w(dir.path().string(), o);
      CHECK(w.optimize(max_segments) > 0);
    }
    const Manifest m = read_manifest(dir.path().string());
    CHECK(m.segments.size() <= max_segments);
    for (const SegmentInfo& s : m.segments) CHECK(s.deleted == 0);
    check_against_model(dir.path(), model);
  }
  // The directories of merged segments are gone.
  size_t dirs = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) dirs += e.path().filename().string().rfind("seg-", 0) == 0;
  CHECK(dirs == 1);
}

TEST_CASE("merges after commits keep the segment count bounded over many small commits") {
  TempDir dir;
  std::mt19937 rng(17);
  Model model;
  IndexWriterOptions o = small_segments();
  o.merge_policy.floor_segment_docs = 4;  // tiny segments behave like large ones would
  o.merge_policy.segments_per_tier = 3;
  size_t most = 0;
  for (int night = 0; night < 40; ++night) {
    IndexWriter w(dir.path().string(), o);
    for (int i = 0; i < 6; ++i) {
      Article a = make_article(std::string("n").append(std::to_string(rng() % 150)), rng);
      w.add(a);
      model[a.id] = a;
    }
    w.commit();
    most = std::max(most, w.manifest().segments.size());
  }
  MESSAGE("at most " << most << " segments over 40 commits");
  CHECK(most <= 12);
  check_against_model(dir.path(), model);
}

TEST_CASE("a second writer is refused; an index of another format version is refused with how to rebuild it") {
  TempDir dir;
  std::mt19937 rng(2);
  {
    IndexWriter w(dir.path().string(), small_segments());
    w.add(make_article("v1", rng));
    w.commit();
    CHECK_THROWS_WITH_AS(IndexWriter(dir.path().string(), small_segments()),
                         doctest::Contains("is being written by another dateline process"), std::runtime_error);
  }
  // A MANIFEST of format 4 (its checksum line made valid): refused, with the command that rebuilds.
  const fs::path mf = dir.path() / "MANIFEST";
  std::string text = read_file(mf.string());
  text = text.substr(0, text.rfind("xxh64 "));
  const size_t at = text.find("\"format\":5");
  REQUIRE(at != std::string::npos);
  text.replace(at, 10, "\"format\":4");
  {
    std::ofstream(mf) << text;
  }
  CHECK_THROWS_WITH_AS(Searcher(dir.path().string()), doctest::Contains("index format 4 is not supported"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(Searcher(dir.path().string()), doctest::Contains("dateline index --overwrite"),
                       std::runtime_error);
  // --overwrite can still replace it.
  IndexWriterOptions over = small_segments();
  over.overwrite = true;
  {
    IndexWriter w(dir.path().string(), over);
    w.add(make_article("v2", rng));
    w.commit();
  }
  CHECK(Searcher(dir.path().string()).find_id("v2").size() == 1);
  // A segment file whose trailer names another version.
  const Manifest m = read_manifest(dir.path().string());
  const fs::path cols = dir.path() / m.segments.at(0).name / "columns.bin";
  std::string bytes = read_file(cols.string());
  bytes[bytes.size() - 12] = 4;  // the version, before the checksum
  {
    std::ofstream(cols, std::ios::binary) << bytes;
  }
  CHECK_THROWS_WITH_AS(Searcher(dir.path().string()), doctest::Contains("format version 4"), CorruptIndex);
}
