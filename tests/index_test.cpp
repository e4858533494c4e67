// End to end through the library: IndexWriter builds an index from Articles
// made here, Searcher reads it back. Also snippets (searcher/snippet.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/analyzer.h"
#include "common/checksum.h"
#include "common/date.h"
#include "common/file_util.h"
#include "common/varint.h"
#include "corpus/article.h"
#include "corpus/extract.h"
#include "indexer/file_footer.h"
#include "indexer/format.h"
#include "indexer/index_check.h"
#include "indexer/index_writer.h"
#include "indexer/manifest.h"
#include "searcher/query/date_range.h"
#include "searcher/query/query_weight.h"
#include "searcher/searcher.h"
#include "searcher/snippet.h"
#include "test_util.h"

using namespace dateline;
using dateline::testing::TempDir;
namespace fs = std::filesystem;

namespace {

using Ids = std::vector<std::string>;

DayNumber D(const char* iso) { return *parse_iso_date(iso); }

// prefix + decimal n (avoids GCC 12's -Wrestrict false positive on "lit" + std::string).
std::string N(const char* prefix, long n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

Article art(std::string id, std::string title, std::string body, DayNumber date = kNoDate,
            std::vector<std::string> speakers = {}, std::vector<std::string> entities = {},
            std::string url = "", std::string source = "") {
  Article a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.body = std::move(body);
  a.date = date;
  for (const std::string& e : entities) {  // typed like the JSONL reader types bare names
    const bool speaker = std::find(speakers.begin(), speakers.end(), e) != speakers.end();
    a.entities.push_back(Entity{e, speaker ? EntityType::Person : entity_type_of_name(e)});
  }
  a.speakers = std::move(speakers);
  a.url = std::move(url);
  a.source = std::move(source);
  a.has_speakers = a.has_entities = true;
  return a;
}

IndexWriterOptions opts(std::string stemmer = "english") {
  IndexWriterOptions o;
  o.stemmer = std::move(stemmer);
  return o;
}

// Options under which three small segments stay apart (the default merges
// a second): for the tests of appending rather than merging.
IndexWriterOptions three_small_segments() {
  IndexWriterOptions o = opts();
  o.merge_policy.floor_tier_segments = 3;
  return o;
}

void build(const fs::path& dir, const std::vector<Article>& arts, const IndexWriterOptions& o = opts()) {
  IndexWriter w(dir.string(), o);
  for (const auto& a : arts) w.add(a);
  w.commit();
}

// One indexing thread: documents numbered in order of addition, one segment
// (as long as they fit its memory budget).
void build_one_segment(const fs::path& dir, const std::vector<Article>& arts, IndexWriterOptions o) {
  o.threads = 1;
  build(dir, arts, o);
}

std::vector<Article> news() {
  return {
      art("a1", "Rutte wins election",
          "Mark Rutte won the Dutch election on Wednesday. The negotiations begin.", D("2024-03-15"),
          {"Mark Rutte"}, {"Netherlands", "Mark Rutte"}, "https://example.com/a1", "Reuters"),
      art("a2", "North Korea tests missile",
          "North Korea fired a missile. Officials in South Korea said the test was a provocation.",
          D("2023-11-13"), {"Yoon Suk Yeol"}, {"North Korea", "South Korea"}),
      art("a3", "Interest rates rise",
          "The central bank raised interest rates by 0.25 points. Rates are expected to rise again.",
          D("2024-01-02"), {}, {"European Central Bank"}),
      art("a4", "Election in the U.S.",
          "Voters in the U.S. go to the polls. The election is close, and Rutte commented.", kNoDate,
          {"Joe Biden"}, {"United States"}),
      art("a5", "Ceasefire talks", "The cease-fire negotiations in Gaza continued. Delegates from Korea attended.",
          D("2024-12-31"), {"Mark Rutte", "Antony Blinken"}, {"Gaza"}),
      art("a6", "Élysée Palace: Macron’s speech",
          "Straße in München, 東京 report.\n\nCafe\xCC\x81 owners spoke.", D("2022-07-14"),
          {"Emmanuel Macron"}, {"Élysée"}, "https://example.com/élysée?q=1&x=\"y\"", "Le Monde"),
  };
}

Ids sorted(Ids v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Sorted ids matching `q` in `s`; also checks count() agrees.
Ids M(Searcher& s, std::string_view q) {
  Query parsed = s.parse(q);
  Ids ids = s.matching_ids(parsed);
  CHECK_MESSAGE(s.count(parsed) == ids.size(), "count() disagrees for " << q);
  return sorted(ids);
}

// All hits of `q` in ranking order.
std::vector<ScoredDoc> ranked(Searcher& s, std::string_view q, SearchOptions::Sort sort = SearchOptions::Sort::Relevance) {
  SearchOptions o;
  o.limit = 100000;
  o.sort = sort;
  return s.search(s.parse(q), o).hits;
}

Ids ranked_ids(Searcher& s, std::string_view q, SearchOptions::Sort sort = SearchOptions::Sort::Relevance) {
  Ids ids;
  for (const auto& h : ranked(s, q, sort)) ids.push_back(s.document(h).id);
  return ids;
}

std::set<std::string> seg_dirs(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("seg-", 0) == 0) out.insert(n);
  }
  return out;
}

std::set<std::string> manifest_segs(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& s : read_manifest(dir.string()).segments) out.insert(s.name);
  return out;
}

std::string slurp(const fs::path& p) { return read_file(p.string()); }
void spit(const fs::path& p, const std::string& data) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
}

}  // namespace

// ---------------------------------------------------------------------------
// Queries

TEST_CASE("terms, phrases and stemming") {
  TempDir dir;
  build(dir.path(), news());
  Searcher s(dir.path().string());
  CHECK(s.docs() == 6);
  CHECK(s.segment_count() == 1);
  CHECK(s.manifest().stemmer == "english");

  CHECK(M(s, "election") == Ids{"a1", "a4"});
  CHECK(M(s, "ELECTIONS") == Ids{"a1", "a4"});  // folded and stemmed like the index
  CHECK(M(s, "rutte") == Ids{"a1", "a4"});      // a5 has Rutte only as a speaker
  CHECK(M(s, "korea") == Ids{"a2", "a5"});
  CHECK(M(s, "rate") == Ids{"a3"});
  CHECK(M(s, "negotiation") == Ids{"a1", "a5"});
  CHECK(M(s, "cease") == Ids{"a5"});
  CHECK(M(s, "fire") == Ids{"a2", "a5"});  // "fired" (a2) stems to "fire"
  CHECK(M(s, "nonexistent") == Ids{});
  CHECK(M(s, "u.s") == Ids{"a4"});
  CHECK(M(s, "0.25") == Ids{"a3"});

  CHECK(M(s, "\"north korea\"") == Ids{"a2"});
  CHECK(M(s, "\"korea north\"") == Ids{});
  CHECK(M(s, "\"interest rates\"") == Ids{"a3"});
  CHECK(M(s, "\"cease fire\"") == Ids{"a5"});  // hyphen splits, positions adjacent
  // "Rates are expected to rise": expected(2) .. rise(4).
  CHECK(M(s, "\"expected rise\"~1") == Ids{"a3"});
  CHECK(M(s, "\"expected rise\"") == Ids{});
  CHECK(M(s, "\"rise expected\"~5") == Ids{});  // order matters
  CHECK(M(s, "rise NEAR/3 expected") == Ids{"a3"});
  // Title and body do not form a phrase across their boundary:
  // "... wins election" + "Mark Rutte ...".
  CHECK(M(s, "\"election mark\"") == Ids{});
  CHECK(M(s, "\"election mark\"~50") == Ids{});

  CHECK(M(s, "rutte AND korea") == Ids{});
  CHECK(M(s, "rutte OR korea") == Ids{"a1", "a2", "a4", "a5"});
  CHECK(M(s, "election -rutte") == Ids{});
  CHECK(M(s, "korea -missile") == Ids{"a5"});
  CHECK(M(s, "negot*") == Ids{"a1", "a5"});
}

TEST_CASE("title:, speaker: and entity: fields") {
  TempDir dir;
  build(dir.path(), news());
  Searcher s(dir.path().string());
  CHECK(M(s, "title:election") == Ids{"a1", "a4"});
  CHECK(M(s, "title:rutte") == Ids{"a1"});
  CHECK(M(s, "title:korea") == Ids{"a2"});
  CHECK(M(s, "title:\"interest rates\"") == Ids{"a3"});
  CHECK(M(s, "title:negotiations") == Ids{});

  CHECK(M(s, "speaker:rutte") == Ids{"a1", "a5"});
  CHECK(M(s, "speaker:Rutte") == Ids{"a1", "a5"});
  CHECK(M(s, "speaker:\"mark rutte\"") == Ids{"a1", "a5"});
  CHECK(M(s, "speaker:blinken") == Ids{"a5"});
  // Two speakers are not one phrase.
  CHECK(M(s, "speaker:\"rutte antony\"") == Ids{});
  CHECK(M(s, "speaker:election") == Ids{});
  CHECK(M(s, "speaker:macron") == Ids{"a6"});

  CHECK(M(s, "entity:korea") == Ids{"a2"});
  CHECK(M(s, "entity:\"north korea\"") == Ids{"a2"});
  CHECK(M(s, "entity:\"korea south\"") == Ids{});
  CHECK(M(s, "entity:rutte") == Ids{"a1"});
  CHECK(M(s, "entity:élysée") == Ids{"a6"});
  CHECK(M(s, "entity:ÉLYSÉE") == Ids{"a6"});
  // Names are not stemmed: "States" is indexed as "states".
  CHECK(M(s, "entity:states") == Ids{"a4"});
  CHECK(M(s, "entity:state") == Ids{});

  CHECK(M(s, "speaker:rutte -title:election") == Ids{"a5"});
}

TEST_CASE("date queries use the date column and undated articles never match") {
  TempDir dir;
  build(dir.path(), news());
  Searcher s(dir.path().string());
  CHECK(M(s, "date:2024") == Ids{"a1", "a3", "a5"});
  CHECK(M(s, "date:2024-03") == Ids{"a1"});
  CHECK(M(s, "date:2024-03-15") == Ids{"a1"});
  CHECK(M(s, "date:2024-03-14") == Ids{});
  CHECK(M(s, "date:2024-12-31") == Ids{"a5"});
  CHECK(M(s, "date:2023..2024-01") == Ids{"a2", "a3"});
  CHECK(M(s, "date:..2023") == Ids{"a2", "a6"});
  CHECK(M(s, "date:2024-01-03..") == Ids{"a1", "a5"});
  CHECK(M(s, "date:1900..9999") == Ids{"a1", "a2", "a3", "a5", "a6"});  // not a4
  CHECK(M(s, "election date:2024") == Ids{"a1"});
  CHECK(M(s, "election -date:2024") == Ids{"a4"});
  CHECK(M(s, "-date:1900..9999") == Ids{"a4"});
}

TEST_CASE("a purely negative query means all articles except") {
  TempDir dir;
  build(dir.path(), news());
  Searcher s(dir.path().string());
  CHECK(M(s, "-rutte") == Ids{"a2", "a3", "a5", "a6"});
  CHECK(M(s, "-rutte -korea") == Ids{"a3", "a6"});
  CHECK(M(s, "NOT election") == Ids{"a2", "a3", "a5", "a6"});
  CHECK(M(s, "-nonexistent") == Ids{"a1", "a2", "a3", "a4", "a5", "a6"});
  SearchOptions o;
  o.limit = 100;
  auto r = s.search(s.parse("-rutte"), o);
  CHECK(r.total == 4);
  CHECK(r.hits.size() == 4);
}

TEST_CASE("unicode text is searchable") {
  TempDir dir;
  build(dir.path(), news());
  Searcher s(dir.path().string());
  CHECK(M(s, "straße") == Ids{"a6"});
  CHECK(M(s, "STRASSE") == Ids{"a6"});
  CHECK(M(s, "münchen") == Ids{"a6"});
  CHECK(M(s, "MÜNCHEN") == Ids{"a6"});
  CHECK(M(s, "東京") == Ids{"a6"});
  CHECK(M(s, "café") == Ids{"a6"});          // body has e + combining accent
  CHECK(M(s, "cafe\xCC\x81") == Ids{"a6"});
  CHECK(M(s, "macron") == Ids{"a6"});       // "Macron’s" stems to "macron"
  CHECK(M(s, "élysée") == Ids{"a6"});
  CHECK(M(s, "elysee") == Ids{"a6"});       // accents are folded by default
  CHECK(M(s, "ELYSEE") == Ids{"a6"});
  CHECK(M(s, "munchen") == Ids{"a6"});
  CHECK(M(s, "title:elysee*") == M(s, "title:élysée*"));
  CHECK(s.manifest().fold_accents);
}

TEST_CASE("--fold-accents no keeps accents apart, and the choice is recorded") {
  TempDir dir;
  IndexWriterOptions o = opts();
  o.fold_accents = false;
  build(dir.path(), news(), o);
  Searcher s(dir.path().string());
  CHECK(!s.manifest().fold_accents);
  CHECK(M(s, "élysée") == Ids{"a6"});
  CHECK(M(s, "elysee") == Ids{});
  CHECK(M(s, "münchen") == Ids{"a6"});
  CHECK(M(s, "munchen") == Ids{});
  // Appending must keep the index's choice; an explicit other choice is refused.
  IndexWriterOptions again = opts();
  again.fold_accents = true;
  CHECK_THROWS_WITH_AS(IndexWriter(dir.path().string(), again),
                       doctest::Contains("accent folding off"), std::runtime_error);
  IndexWriterOptions unspecified = opts();
  { IndexWriter w(dir.path().string(), unspecified); }
  // --overwrite may change it.
  IndexWriterOptions over = opts();
  over.overwrite = true;
  build(dir.path(), news(), over);
  CHECK(Searcher(dir.path().string()).manifest().fold_accents);
}

TEST_CASE("stored documents round trip") {
  TempDir dir;
  const auto arts = news();
  build(dir.path(), arts);
  Searcher s(dir.path().string());
  SearchOptions o;
  o.limit = 100;
  auto r = s.search(s.parse("-nonexistent"), o);
  REQUIRE(r.hits.size() == arts.size());
  std::map<std::string, Article> got;
  for (const auto& h : r.hits) {
    Article a = s.document(h);
    CHECK(h.date == a.date);
    got[a.id] = a;
  }
  REQUIRE(got.size() == arts.size());
  for (const auto& want : arts) {
    INFO("article " << want.id);
    REQUIRE(got.count(want.id));
    const Article& a = got[want.id];
    CHECK(a.title == want.title);
    CHECK(a.body == want.body);
    CHECK(a.date == want.date);
    CHECK(a.speakers == want.speakers);
    CHECK(a.entities == want.entities);
    CHECK(a.url == want.url);
    CHECK(a.source == want.source);
  }
  CHECK(got["a4"].date == kNoDate);
  CHECK(got["a6"].body.find("東京") != std::string::npos);
}

TEST_CASE("stored documents: empty fields, large bodies and many documents") {
  TempDir dir;
  std::vector<Article> arts;
  arts.push_back(art("empty", "", "", kNoDate));
  std::string big;
  for (int i = 0; i < 20000; ++i) big += N("word", i) + " ";
  arts.push_back(art("big", "Big one", big, D("2020-02-29")));
  for (int i = 0; i < 300; ++i)
    arts.push_back(art(N("n", i), N("Title ", i),
                       N("Body text number ", i) + " with some padding to fill blocks " +
                           std::string(static_cast<size_t>(i % 50) * 7, 'x'),
                       D("2000-01-01") + i, {N("Speaker ", i)}, {}));
  build(dir.path(), arts);
  Searcher s(dir.path().string());
  REQUIRE(s.docs() == arts.size());
  SearchOptions o;
  o.limit = 1000;
  auto r = s.search(s.parse("-nonexistent"), o);
  REQUIRE(r.hits.size() == arts.size());
  // Match-all hits all score 0, so they come in index order.
  for (size_t i = 0; i < arts.size(); ++i) {
    Article a = s.document(r.hits[i]);
    INFO("doc " << i);
    CHECK(a.id == arts[i].id);
    CHECK(a.body == arts[i].body);
    CHECK(a.title == arts[i].title);
    CHECK(a.date == arts[i].date);
    CHECK(a.speakers == arts[i].speakers);
  }
  // Random access in reverse order (crossing doc-store blocks).
  for (size_t i = arts.size(); i-- > 0;) CHECK(s.document(r.hits[i]).id == arts[i].id);
  CHECK(M(s, "word19999") == Ids{"big"});
  CHECK(M(s, "title:299") == Ids{"n299"});
}

TEST_CASE("the doc store's trained dictionary: records read back, a damaged one is named") {
  TempDir dir;
  std::vector<Article> arts;
  for (int i = 0; i < 400; ++i)
    arts.push_back(art(N("d", i), N("Minister says rates will rise ", i),
                       "The central bank said on Tuesday that interest rates would rise again " + N("as inflation hit ", i) +
                           " percent, the highest in years, and the minister agreed. " + std::string(static_cast<size_t>(i % 13), 'x'),
                       D("2010-01-01") + i, {"Anna Halvorsen"}, {"Norges Bank"}));
  build(dir.path(), arts);
  const std::string seg = *manifest_segs(dir.path()).begin();
  const fs::path sf = dir.path() / seg / format::kDocStoreFile;
  std::string file = slurp(sf);
  // The index (at the offset 20 bytes before the body's end) lists the
  // dictionaries first: u32 count, then per dictionary u64 offset, u32 size.
  const std::string_view body = checked_body(file, format::kDocStoreMagic, sf.string(), true);
  uint64_t index_offset, dict_offset;
  uint32_t n_dicts, dict_size;
  std::memcpy(&index_offset, body.data() + body.size() - 20, 8);
  std::memcpy(&n_dicts, body.data() + index_offset, 4);
  std::memcpy(&dict_offset, body.data() + index_offset + 4, 8);
  std::memcpy(&dict_size, body.data() + index_offset + 12, 4);
  REQUIRE(n_dicts == 1);
  REQUIRE(dict_size >= 256);  // 400 similar records: zstd learns a dictionary
  {
    Searcher s(dir.path().string());
    for (uint32_t d = 0; d < s.segment(0).docs(); ++d) {
      const Article a = s.segment(0).document(d);
      CHECK(a.body == arts[d].body);
      CHECK(a.title == arts[d].title);
      CHECK(a.speakers == arts[d].speakers);
    }
    CHECK(s.segment(0).stored_raw_bytes() > file.size());  // it compresses
  }
  REQUIRE(check_index(dir.path().string()).ok);
  file[dict_offset + dict_size / 2] ^= 0x20;
  spit(sf, file);
  const CheckReport r = check_index(dir.path().string());
  CHECK(!r.ok);
  CHECK(r.fault.find(format::kDocStoreFile) != std::string::npos);
  bool named = false;
  try {
    Searcher s(dir.path().string());
    for (uint32_t d = 0; d < s.segment(0).docs(); ++d) s.segment(0).document(d);
  } catch (const CorruptIndex& e) {
    named = std::string(e.what()).find(format::kDocStoreFile) != std::string::npos;
  }
  CHECK(named);
}

// ---------------------------------------------------------------------------
// Ranking

TEST_CASE("BM25: more occurrences of a rare term rank first") {
  TempDir dir;
  std::vector<Article> arts{
      art("one", "Report", "zebra alpha beta gamma delta epsilon"),
      art("three", "Report", "zebra zebra zebra gamma delta epsilon"),
      art("two", "Report", "zebra alpha zebra gamma delta epsilon"),
      art("none1", "Report", "alpha beta gamma delta epsilon zeta"),
      art("none2", "Report", "alpha beta gamma delta epsilon eta"),
  };
  build(dir.path(), arts);
  Searcher s(dir.path().string());
  auto hits = ranked(s, "zebra");
  REQUIRE(hits.size() == 3);
  CHECK(s.document(hits[0]).id == "three");
  CHECK(s.document(hits[1]).id == "two");
  CHECK(s.document(hits[2]).id == "one");
  CHECK(hits[0].score > hits[1].score);
  CHECK(hits[1].score > hits[2].score);
  CHECK(hits[2].score > 0);
  // Docs with only the commoner term rank below every doc with the rarer one.
  Ids ids = ranked_ids(s, "zebra OR alpha");
  REQUIRE(ids.size() == 5);
  CHECK(sorted(Ids(ids.end() - 2, ids.end())) == Ids{"none1", "none2"});
}

TEST_CASE("BM25: a shorter document ranks above a longer one with the same tf") {
  TempDir dir;
  std::string filler;
  for (int i = 0; i < 40; ++i) filler += N(" filler", i);
  std::vector<Article> arts{
      art("long", "News", "yak" + filler),
      art("short", "News", "yak tale"),
      art("other", "News", "nothing here" + filler),
  };
  build(dir.path(), arts);
  Searcher s(dir.path().string());
  auto hits = ranked(s, "yak");
  REQUIRE(hits.size() == 2);
  CHECK(s.document(hits[0]).id == "short");
  CHECK(hits[0].score > hits[1].score);
  // The score matches the formula: idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avg)).
  const double avg = (1 + 41.0 + 2 + 1 + 42 + 1) / 3.0;  // title + body tokens
  const double idf = std::log(1.0 + (3 - 2 + 0.5) / (2 + 0.5));
  const double want = idf * 1 * 2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * 3 / avg));
  CHECK(hits[0].score == doctest::Approx(want).epsilon(1e-9));
}

TEST_CASE("sort by date: newest first, undated last") {
  TempDir dir;
  build(dir.path(), news());
  Searcher s(dir.path().string());
  auto hits = ranked(s, "-nonexistent", SearchOptions::Sort::Newest);
  REQUIRE(hits.size() == 6);
  Ids ids;
  for (const auto& h : hits) ids.push_back(s.document(h).id);
  CHECK(ids == Ids{"a5", "a1", "a3", "a2", "a6", "a4"});
  CHECK(hits.back().date == kNoDate);
  // With a text query: only matches, still newest first.
  CHECK(ranked_ids(s, "election OR korea", SearchOptions::Sort::Newest) == Ids{"a5", "a1", "a2", "a4"});
  // A page of the date ordering.
  SearchOptions o;
  o.sort = SearchOptions::Sort::Newest;
  o.limit = 2;
  o.offset = 1;
  auto page = s.search(s.parse("-nonexistent"), o);
  CHECK(page.total == 6);
  REQUIRE(page.hits.size() == 2);
  CHECK(s.document(page.hits[0]).id == "a1");
  CHECK(s.document(page.hits[1]).id == "a3");
  // Oldest first: undated still last.
  CHECK(ranked_ids(s, "-nonexistent", SearchOptions::Sort::Oldest) == Ids{"a6", "a2", "a3", "a1", "a5", "a4"});
  CHECK(ranked_ids(s, "election OR korea", SearchOptions::Sort::Oldest) == Ids{"a2", "a1", "a5", "a4"});
}

TEST_CASE("limit/offset pages are consistent with the full ranking") {
  TempDir dir;
  std::vector<Article> arts;
  std::mt19937 rng(5);
  const std::vector<std::string> words{"apple", "banana", "cherry", "date", "elder", "fig", "grape"};
  for (int i = 0; i < 57; ++i) {
    std::string body;
    for (int n = 3 + static_cast<int>(rng() % 20); n > 0; --n) body += words[rng() % words.size()] + " ";
    arts.push_back(art(N("p", i), "", body, rng() % 4 ? D("2020-01-01") + static_cast<int>(rng() % 30) : kNoDate));
  }
  build(dir.path(), arts);
  Searcher s(dir.path().string());
  for (auto sort : {SearchOptions::Sort::Relevance, SearchOptions::Sort::Newest, SearchOptions::Sort::Oldest}) {
    for (const char* q : {"apple", "apple OR fig", "-banana", "cherry grape"}) {
      auto full = ranked(s, q, sort);
      INFO("query " << q);
      const uint64_t total = s.count(s.parse(q));
      CHECK(full.size() == total);
      for (size_t limit : {1u, 3u, 10u}) {
        std::vector<ScoredDoc> paged;
        for (size_t off = 0; off < full.size() + limit; off += limit) {
          SearchOptions o;
          o.limit = limit;
          o.offset = off;
          o.sort = sort;
          auto r = s.search(s.parse(q), o);
          CHECK(r.total == total);
          CHECK(r.hits.size() == std::min(limit, off < full.size() ? full.size() - off : 0));
          paged.insert(paged.end(), r.hits.begin(), r.hits.end());
        }
        REQUIRE(paged.size() == full.size());
        for (size_t i = 0; i < full.size(); ++i) {
          CHECK(paged[i].segment == full[i].segment);
          CHECK(paged[i].doc == full[i].doc);
          CHECK(paged[i].score == full[i].score);
        }
      }
      // The full ranking is ordered.
      for (size_t i = 1; i < full.size(); ++i) {
        if (sort == SearchOptions::Sort::Relevance) {
          CHECK(full[i - 1].score >= full[i].score);
        } else if (full[i].date != kNoDate) {
          CHECK(full[i - 1].date != kNoDate);
          if (sort == SearchOptions::Sort::Newest) CHECK(full[i - 1].date >= full[i].date);
          else CHECK(full[i - 1].date <= full[i].date);
        }
      }
    }
  }
  // limit 0 returns no hits but the total.
  SearchOptions o;
  o.limit = 0;
  auto r = s.search(s.parse("apple"), o);
  CHECK(r.hits.empty());
  CHECK(r.total == s.count(s.parse("apple")));
  // An offset past the end returns nothing.
  o.limit = 10;
  o.offset = 1000;
  CHECK(s.search(s.parse("apple"), o).hits.empty());
}

TEST_CASE("a huge limit with an offset returns the rest of the ranking") {
  TempDir dir;
  build(dir.path(), news());
  Searcher s(dir.path().string());
  SearchOptions o;
  o.limit = SIZE_MAX;  // "everything"
  o.offset = 0;
  CHECK(s.search(s.parse("-nonexistent"), o).hits.size() == 6);
  o.offset = 2;  // offset + limit must not wrap around
  auto r = s.search(s.parse("-nonexistent"), o);
  CHECK(r.total == 6);
  CHECK(r.hits.size() == 4);
}

TEST_CASE("highlight_terms: positive text and title terms, unprefixed") {
  TempDir dir;
  build(dir.path(), news());
  Searcher s(dir.path().string());
  auto h = s.highlight_terms(s.parse("title:elections rutte -korea speaker:biden \"interest rates\" negot* date:2024"));
  const std::unordered_set<std::string> want{"elect", s.analyzer().stem("rutte"), "interest", "rate"};
  CHECK(h == want);
  CHECK(s.highlight_terms(s.parse("-korea")).empty());
}

// ---------------------------------------------------------------------------
// Writer lifecycle

TEST_CASE("append adds a segment and results include both") {
  TempDir dir;
  auto arts = news();
  build(dir.path(), {arts[0], arts[1], arts[2]});
  CHECK(read_manifest(dir.path().string()).generation == 1);
  {
    IndexWriterOptions o = three_small_segments();
    o.stemmer = "";  // take the index's
    IndexWriter w(dir.path().string(), o);
    CHECK(w.stemmer() == "english");
    w.add(arts[3]);
    w.add(arts[4]);
    w.add(arts[5]);
    CHECK(w.pending_docs() == 3);
    w.commit();
    CHECK(w.pending_docs() == 0);
  }
  Manifest m = read_manifest(dir.path().string());
  CHECK(m.generation == 2);
  REQUIRE(m.segments.size() == 2);
  CHECK(m.segments[0].docs == 3);
  CHECK(m.segments[1].docs == 3);
  CHECK(m.docs() == 6);
  CHECK(seg_dirs(dir.path()) == manifest_segs(dir.path()));

  Searcher s(dir.path().string());
  CHECK(s.segment_count() == 2);
  CHECK(s.docs() == 6);
  CHECK(M(s, "election") == Ids{"a1", "a4"});  // one from each segment
  CHECK(M(s, "korea") == Ids{"a2", "a5"});
  CHECK(M(s, "-nonexistent").size() == 6);
  CHECK(M(s, "date:2024") == Ids{"a1", "a3", "a5"});
  auto hits = ranked(s, "election OR korea");
  std::set<uint32_t> segs;
  for (const auto& h : hits) {
    segs.insert(h.segment);
    CHECK(!s.document(h).id.empty());
  }
  CHECK(segs == std::set<uint32_t>{0, 1});
  // A third append with the same stemmer named explicitly.
  build(dir.path(), {art("a7", "More election news", "election again")}, three_small_segments());
  CHECK(read_manifest(dir.path().string()).generation == 3);
  Searcher s3(dir.path().string());
  CHECK(s3.segment_count() == 3);
  CHECK(M(s3, "election") == Ids{"a1", "a4", "a7"});
}

TEST_CASE("append gives the same results as indexing everything at once") {
  TempDir one, two;
  auto arts = news();
  build(one.path(), arts);
  build(two.path(), {arts[0], arts[1]}, three_small_segments());
  build(two.path(), {arts[2], arts[3]}, three_small_segments());
  build(two.path(), {arts[4], arts[5]}, three_small_segments());
  Searcher a(one.path().string()), b(two.path().string());
  CHECK(b.segment_count() == 3);
  for (const char* q : {"election", "korea OR rutte", "\"north korea\"", "speaker:rutte", "-korea", "date:2024",
                        "negot*", "rates OR election OR korea"}) {
    INFO("query " << q);
    CHECK(a.matching_ids(a.parse(q)) == b.matching_ids(b.parse(q)));
    auto ra = ranked(a, q), rb = ranked(b, q);
    REQUIRE(ra.size() == rb.size());
    for (size_t i = 0; i < ra.size(); ++i) {
      CHECK(a.document(ra[i]).id == b.document(rb[i]).id);
      CHECK(ra[i].score == doctest::Approx(rb[i].score).epsilon(1e-12));
    }
  }
}

TEST_CASE("overwrite replaces the index and deletes the old segments") {
  TempDir dir;
  auto arts = news();
  build(dir.path(), {arts[0], arts[1]}, three_small_segments());
  build(dir.path(), {arts[2]}, three_small_segments());
  const auto old_segs = seg_dirs(dir.path());
  CHECK(old_segs.size() == 2);
  const uint64_t old_gen = read_manifest(dir.path().string()).generation;
  {
    IndexWriterOptions o;
    o.overwrite = true;
    o.stemmer = "none";  // overwrite may change the stemmer
    IndexWriter w(dir.path().string(), o);
    w.add(arts[4]);
    w.add(arts[5]);
    // Until the commit, the old index is intact and searchable.
    Searcher before(dir.path().string());
    CHECK(M(before, "election") == Ids{"a1"});
    for (const auto& sname : old_segs) CHECK(fs::exists(dir.path() / sname));
    w.commit();
  }
  Manifest m = read_manifest(dir.path().string());
  CHECK(m.generation > old_gen);
  CHECK(m.stemmer == "none");
  CHECK(m.docs() == 2);
  for (const auto& sname : old_segs) CHECK(!fs::exists(dir.path() / sname));
  CHECK(seg_dirs(dir.path()) == manifest_segs(dir.path()));
  Searcher s(dir.path().string());
  CHECK(s.docs() == 2);
  CHECK(M(s, "election") == Ids{});
  CHECK(M(s, "rates") == Ids{});
  CHECK(M(s, "-nonexistent") == Ids{"a5", "a6"});
  CHECK(M(s, "negotiations") == Ids{"a5"});  // stemmer none: exact word
  CHECK(M(s, "negotiation") == Ids{});
}

TEST_CASE("appending with a different stemmer throws naming both") {
  TempDir dir;
  build(dir.path(), news());
  const std::string manifest_before = slurp(dir.path() / format::kManifestFile);
  std::string msg;
  try {
    IndexWriter w(dir.path().string(), opts("german"));
  } catch (const std::runtime_error& e) {
    msg = e.what();
  }
  CHECK(msg.find("english") != std::string::npos);
  CHECK(msg.find("german") != std::string::npos);
  // The index is untouched.
  CHECK(slurp(dir.path() / format::kManifestFile) == manifest_before);
  Searcher s(dir.path().string());
  CHECK(s.docs() == 6);
}

TEST_CASE("a writer that fails to open does not keep the index locked") {
  // The constructor takes DIR/LOCK before checking the stemmer; when it then
  // throws, the destructor never runs, so the lock must be released another
  // way or every later writer in this process is refused.
  TempDir dir;
  build(dir.path(), news());
  CHECK_THROWS_AS(IndexWriter(dir.path().string(), opts("german")), std::runtime_error);
  std::string msg;
  try {
    IndexWriter w(dir.path().string(), opts("english"));
    w.add(art("after", "t", "after the failure"));
    w.commit();
  } catch (const std::exception& e) {
    msg = e.what();
  }
  CHECK(msg == "");
  // Same for a new index with an unknown stemmer. (overwrite, so that the
  // LOCK file left in the directory does not matter here.)
  const std::string fresh = (dir.path() / "fresh").string();
  CHECK_THROWS(IndexWriter(fresh, opts("klingon")));
  msg.clear();
  try {
    IndexWriterOptions o = opts("english");
    o.overwrite = true;
    IndexWriter w(fresh, o);
    w.commit();
  } catch (const std::exception& e) {
    msg = e.what();
  }
  CHECK(msg == "");
}

TEST_CASE("an unknown stemmer for a new index is refused") {
  TempDir dir;
  CHECK_THROWS(IndexWriter((dir.path() / "idx").string(), opts("klingon")));
}

TEST_CASE("a second writer on the same index is refused while the first is open") {
  TempDir dir;
  build(dir.path(), news());
  {
    IndexWriter w1(dir.path().string(), opts());
    std::string msg;
    try {
      IndexWriter w2(dir.path().string(), opts());
    } catch (const std::runtime_error& e) {
      msg = e.what();
    }
    CHECK(!msg.empty());
    CHECK(msg.find("another") != std::string::npos);
    w1.add(art("x", "t", "locked body"));
    w1.commit();
  }
  // Released when the first writer dies.
  IndexWriter w3(dir.path().string(), opts());
  w3.add(art("y", "t", "after"));
  w3.commit();
  Searcher s(dir.path().string());
  CHECK(M(s, "locked") == Ids{"x"});
  CHECK(M(s, "after") == Ids{"y"});
}

TEST_CASE("a writer destroyed without commit leaves the index as it was") {
  TempDir dir;
  auto arts = news();
  build(dir.path(), {arts[0], arts[1]});
  const std::string manifest_before = slurp(dir.path() / format::kManifestFile);
  const auto segs_before = seg_dirs(dir.path());
  {
    IndexWriterOptions o;
    o.ram_budget_bytes = 1;  // also flush some segments before the abandonment
    IndexWriter w(dir.path().string(), o);
    for (size_t i = 2; i < arts.size(); ++i) w.add(arts[i]);
  }
  CHECK(slurp(dir.path() / format::kManifestFile) == manifest_before);
  {
    Searcher s(dir.path().string());
    CHECK(s.docs() == 2);
    CHECK(M(s, "-nonexistent") == Ids{"a1", "a2"});
  }
  {
    IndexWriter w(dir.path().string(), opts());
    CHECK(seg_dirs(dir.path()) == segs_before);  // leftovers removed on open
  }
  // Also with the default budget (the segment in memory is never flushed).
  {
    IndexWriter w(dir.path().string(), opts());
    w.add(arts[3]);
  }
  {
    IndexWriter w(dir.path().string(), opts());
    CHECK(seg_dirs(dir.path()) == segs_before);
  }
  Searcher s(dir.path().string());
  CHECK(M(s, "-nonexistent") == Ids{"a1", "a2"});
  CHECK(slurp(dir.path() / format::kManifestFile) == manifest_before);
}

TEST_CASE("a new index whose first writer never committed can be created again") {
  // Opening a writer on a fresh directory and abandoning it (an error while
  // reading the input, Ctrl-C) must not turn the directory into "a non-empty
  // directory that is not a dateline index".
  TempDir dir;
  const std::string idx = (dir.path() / "idx").string();
  auto attempt = [&](bool add, bool commit) {
    try {
      IndexWriter w(idx, opts());
      if (add) w.add(news()[1]);
      if (commit) w.commit();
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  REQUIRE(attempt(false, false) == "");  // creates the directory; closed unused
  CHECK(attempt(false, false) == "");    // opened again, closed unused
  CHECK(attempt(true, false) == "");     // opened again, added, abandoned
  const std::string err = attempt(true, true);
  CHECK(err == "");
  if (err.empty()) {
    Searcher s(idx);
    CHECK(M(s, "-nonexistent") == Ids{"a2"});
    CHECK(seg_dirs(idx) == manifest_segs(idx));
  }
}

TEST_CASE("a non-empty directory that is not an index is refused") {
  TempDir dir;
  spit(dir.path() / "notes.txt", "hello");
  std::string msg;
  try {
    IndexWriter w(dir.path().string(), opts());
  } catch (const std::runtime_error& e) {
    msg = e.what();
  }
  CHECK(msg.find("not a dateline index") != std::string::npos);
  CHECK(fs::exists(dir.path() / "notes.txt"));
  CHECK(!fs::exists(dir.path() / format::kManifestFile));
  // A regular file in place of the directory.
  CHECK_THROWS_AS(IndexWriter((dir.path() / "notes.txt").string(), opts()), std::runtime_error);
}

TEST_CASE("Searcher on a missing or empty directory says it is not an index") {
  TempDir dir;
  for (const fs::path& p : {dir.path() / "missing", dir.path()}) {
    std::string msg;
    try {
      Searcher s(p.string());
    } catch (const std::runtime_error& e) {
      msg = e.what();
    }
    CHECK(msg.find("not a dateline index") != std::string::npos);
  }
}

TEST_CASE("commit with nothing added still publishes a generation") {
  TempDir dir;
  {
    IndexWriter w(dir.path().string(), opts());
    w.commit();
  }
  Manifest m = read_manifest(dir.path().string());
  CHECK(m.generation == 1);
  CHECK(m.segments.empty());
  Searcher s(dir.path().string());
  CHECK(s.docs() == 0);
  CHECK(M(s, "anything") == Ids{});
  CHECK(M(s, "-anything") == Ids{});
  SearchOptions o;
  CHECK(s.search(s.parse("anything"), o).total == 0);
}

TEST_CASE("a Searcher keeps seeing the segments it opened") {
  TempDir dir;
  auto arts = news();
  build(dir.path(), {arts[0]});
  Searcher old(dir.path().string());
  build(dir.path(), {arts[1]});
  CHECK(M(old, "-nonexistent") == Ids{"a1"});
  Searcher fresh(dir.path().string());
  CHECK(M(fresh, "-nonexistent") == Ids{"a1", "a2"});
}

// ---------------------------------------------------------------------------
// Long posting lists and many segments

TEST_CASE("posting lists longer than one block") {
  TempDir dir;
  const int ndocs = 1000;
  const std::set<int> rare{5, 127, 128, 129, 300, 777, 999};
  const std::set<int> phrase{0, 131, 640, 998};
  std::vector<Article> arts;
  for (int i = 0; i < ndocs; ++i) {
    std::string body;
    // "common" occurs 1 + i % 3 times in a row.
    for (int k = 0; k <= i % 3; ++k) body += "common ";
    body += N("filler", i) + " ";
    if (rare.count(i)) body += "rare ";
    body += phrase.count(i) ? "alpha beta" : "beta gap alpha";
    arts.push_back(art(N("d", i), "", body));
  }
  build(dir.path(), arts);
  Searcher s(dir.path().string());
  CHECK(s.count(s.parse("common")) == ndocs);
  CHECK(s.count(s.parse("alpha")) == ndocs);
  auto ids_of = [](const std::set<int>& v) {
    Ids out;
    for (int i : v) out.push_back(N("d", i));
    return sorted(out);
  };
  CHECK(M(s, "rare") == ids_of(rare));
  CHECK(M(s, "common rare") == ids_of(rare));  // AND advances across blocks
  CHECK(M(s, "rare common alpha beta") == ids_of(rare));
  CHECK(M(s, "\"alpha beta\"") == ids_of(phrase));
  CHECK(M(s, "\"alpha beta\" rare") == Ids{});
  CHECK(M(s, "\"beta gap alpha\"").size() == ndocs - phrase.size());
  // Positions in later blocks: "common common" needs tf >= 2.
  std::set<int> twice;
  for (int i = 0; i < ndocs; ++i)
    if (i % 3 >= 1) twice.insert(i);
  CHECK(M(s, "\"common common\"") == ids_of(twice));
  std::set<int> thrice;
  for (int i = 0; i < ndocs; ++i)
    if (i % 3 == 2) thrice.insert(i);
  CHECK(M(s, "\"common common common\"") == ids_of(thrice));
  CHECK(M(s, "\"common common\" rare") == ids_of({5, 127, 128}));
  CHECK(M(s, "filler999") == Ids{"d999"});
  CHECK(M(s, "common -rare").size() == ndocs - rare.size());
  // Ranking by tf across blocks: the docs with "common" three times first.
  auto hits = ranked(s, "common");
  REQUIRE(hits.size() == static_cast<size_t>(ndocs));
  for (size_t i = 0; i < thrice.size(); ++i) CHECK(thrice.count(std::stoi(s.document(hits[i]).id.substr(1))));
  // The positions reported for documents in the last block are right.
  auto seg = &s.segment(0);
  auto info = seg->term("common");
  REQUIRE(info);
  CHECK(info->df == static_cast<uint32_t>(ndocs));
  PostingCursor c = seg->cursor(*info);
  c.advance(998);
  REQUIRE(c.doc() == 998);
  CHECK(c.freq() == 3);
  CHECK(std::vector<uint32_t>(c.positions().begin(), c.positions().end()) == std::vector<uint32_t>{0, 1, 2});
  c.next();
  REQUIRE(c.doc() == 999);
  CHECK(c.freq() == 1);
  CHECK(std::vector<uint32_t>(c.positions().begin(), c.positions().end()) == std::vector<uint32_t>{0});
  c.next();
  CHECK(c.doc() == PostingCursor::kEnd);
}

TEST_CASE("the group index: cursors jump to far targets, and back, as reading in order does; damage is named") {
  TempDir dir;
  const int ndocs = 24000;
  std::vector<uint32_t> docs;  // "common": 1 + i % 4 times, in every document but each third
  std::vector<Article> arts;
  for (int i = 0; i < ndocs; ++i) {
    std::string body;
    if (i % 3 != 0) {
      docs.push_back(static_cast<uint32_t>(i));
      for (int k = 0; k <= i % 4; ++k) body += "common ";
    }
    body += N("filler", i);
    arts.push_back(art(N("d", i), "", body));
  }
  build_one_segment(dir.path(), arts, opts("none"));
  Searcher s(dir.path().string());
  REQUIRE(s.segment_count() == 1);
  const SegmentReader& seg = s.segment(0);
  const TermInfo info = *seg.term("common");
  REQUIRE(info.df == docs.size());
  // Documents are numbered in order of addition: document i is d<i>.
  REQUIRE(seg.doc_id(docs[5]) == N("d", docs[5]));
  PostingCursor in_order = seg.cursor(info);
  const size_t n_blocks = in_order.block_count();
  REQUIRE(n_blocks > 4 * format::kSkipGroup);
  std::vector<uint32_t> last(n_blocks);
  for (size_t b = 0; b < n_blocks; ++b) last[b] = in_order.block_last_doc(b);
  for (size_t b = 0; b < n_blocks; ++b) CHECK(last[b] == docs[std::min(docs.size(), (b + 1) * format::kBlockSize) - 1]);

  std::mt19937 rng(8);
  for (int trial = 0; trial < 300; ++trial) {
    PostingCursor c = seg.cursor(info);
    uint32_t target = 0;
    for (int step = 0; step < 6; ++step) {
      target += static_cast<uint32_t>(rng() % (trial % 2 ? 9000 : 400));
      c.advance(target);
      const auto want = std::lower_bound(docs.begin(), docs.end(), target);
      if (want == docs.end()) {
        CHECK(c.doc() == PostingCursor::kEnd);
        break;
      }
      REQUIRE(c.doc() == *want);
      CHECK(c.freq() == 1 + *want % 4);
      CHECK(c.positions().size() == 1 + *want % 4);
      CHECK(c.positions()[0] == 0);
    }
    // block_at from any block at or before the target's, and block bounds
    // asked again behind a jump.
    PostingCursor d = seg.cursor(info);
    const uint32_t t = static_cast<uint32_t>(rng() % ndocs);
    const size_t want = static_cast<size_t>(std::lower_bound(last.begin(), last.end(), t) - last.begin());
    const size_t from = want == 0 ? 0 : rng() % (want + 1);
    CHECK(d.block_at(t, from) == want);
    const size_t back = rng() % n_blocks;
    Impact impacts[format::kMaxImpacts];
    CHECK(d.block_impacts(back, impacts) >= 1);
    CHECK(d.block_last_doc(back) == last[back]);
    d.advance(docs[docs.size() / 2]);
    CHECK(d.doc() == docs[docs.size() / 2]);
    // Entries read far ahead (a score window) and then the documents
    // advanced from behind them, as a block-max conjunction does.
    PostingCursor e = seg.cursor(info);
    const uint32_t ahead = static_cast<uint32_t>(rng() % ndocs), behind = static_cast<uint32_t>(rng() % (ahead + 1));
    const size_t ahead_block = static_cast<size_t>(std::lower_bound(last.begin(), last.end(), ahead) - last.begin());
    CHECK(e.block_at(ahead, 0) == ahead_block);
    for (const uint32_t x : {behind, ahead}) {
      e.advance(x);
      const auto at = std::lower_bound(docs.begin(), docs.end(), x);
      REQUIRE(at != docs.end());
      CHECK(e.doc() == *at);
      CHECK(e.block_at(x, e.block_index()) == static_cast<size_t>(std::lower_bound(last.begin(), last.end(), x) - last.begin()));
    }
  }
  CHECK_NOTHROW(in_order.verify_group_index());

  // The group index of "common", found as docs/format.md lays the term out.
  const std::string postings = slurp(dir.path() / seg.info().name / format::kPostingsFile);
  const std::string positions = slurp(dir.path() / seg.info().name / format::kPositionsFile);
  ByteReader head(std::string_view(postings).substr(info.postings_offset));
  const uint32_t n_impacts = head.varint32();
  for (uint32_t i = 0; i < 2 * n_impacts; ++i) head.varint32();
  const uint64_t skip_bytes = head.varint();
  const uint64_t index_bytes = head.varint();  // fixed entries, group impacts, check
  head.u32();
  const size_t skip_end = static_cast<size_t>(head.pos() - postings.data()) + skip_bytes;
  const size_t n_groups = (n_blocks + format::kSkipGroup - 1) / format::kSkipGroup;
  REQUIRE(n_groups == in_order.group_count());
  const size_t index_at = skip_end - index_bytes;
  const size_t entries_bytes = (n_groups - 1) * format::kGroupIndexEntry;
  uint32_t first_entry[5];
  std::memcpy(first_entry, postings.data() + index_at, 20);
  CHECK(first_entry[0] == last[format::kSkipGroup - 1]);  // the last doc before group 1

  // Each group's impacts, read from the index, bound every document of the
  // group: for each, some impact with a frequency at least its own at a
  // length at most its own.
  {
    PostingCursor g = seg.cursor(info);
    const uint32_t* lengths = seg.lengths();
    size_t i = 0;
    for (size_t group = 0; group < n_groups; ++group) {
      Impact impacts[format::kMaxImpacts];
      const uint32_t n = g.group_impacts(group, impacts);
      REQUIRE((n >= 1 && n <= format::kMaxImpacts));
      const uint32_t group_last = group + 1 < n_groups ? last[(group + 1) * format::kSkipGroup - 1] : docs.back();
      for (; i < docs.size() && docs[i] <= group_last; ++i) {
        const uint32_t freq = 1 + docs[i] % 4, length = lengths[docs[i]];
        bool covered = false;
        for (uint32_t k = 0; k < n; ++k) covered |= impacts[k].freq >= freq && impacts[k].length <= length;
        CHECK(covered);
      }
    }
    CHECK(i == docs.size());
  }

  // Every damaged byte of the index: a far jump fails naming postings.bin.
  int named = 0;
  for (size_t at = index_at; at < skip_end; ++at) {
    std::string bad = postings;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    PostingCursor c(bad, positions, info, seg.docs());
    try {
      c.advance(docs[docs.size() - 3]);
      FAIL("a damaged group index was used at byte " << at);
    } catch (const CorruptIndex& e) {
      named += std::string(e.what()).find("postings.bin") != std::string::npos;
    }
  }
  CHECK(named == static_cast<int>(skip_end - index_at));
  // An index that passes its checksum but disagrees with the entries (a
  // writer's bug): `check` finds it.
  const auto rechecked = [&](std::string s) {
    const uint32_t sum = static_cast<uint32_t>(checksum32(std::string_view(s).substr(index_at, index_bytes - 4)));
    std::memcpy(s.data() + index_at + index_bytes - 4, &sum, 4);
    return s;
  };
  std::string wrong = postings;
  uint32_t skip_at;
  std::memcpy(&skip_at, wrong.data() + index_at + 4, 4);
  ++skip_at;
  std::memcpy(wrong.data() + index_at + 4, &skip_at, 4);
  wrong = rechecked(wrong);
  const PostingCursor c(wrong, positions, info, seg.docs());
  CHECK_THROWS_WITH_AS(c.verify_group_index(), doctest::Contains("group index disagrees"), CorruptIndex);
  // Group impacts that do not bound their blocks' (group 0's frequency
  // lowered below its blocks' highest): `check` finds that too.
  std::string weak = postings;
  const size_t first_impact = index_at + entries_bytes;  // group 0: varint count, then its first frequency
  REQUIRE(static_cast<unsigned char>(weak[first_impact + 1]) > 1);
  REQUIRE(static_cast<unsigned char>(weak[first_impact + 1]) < 0x80);
  weak[first_impact + 1] = 1;
  weak = rechecked(weak);
  const PostingCursor w(weak, positions, info, seg.docs());
  CHECK_THROWS_WITH_AS(w.verify_group_index(), doctest::Contains("group impacts do not bound"), CorruptIndex);
}

namespace {

std::vector<Article> random_corpus(int n, unsigned seed) {
  std::mt19937 rng(seed);
  const std::vector<std::string> words{"storm", "flood", "minister", "bank",  "rate",    "election", "vote",
                                       "korea", "north", "south",    "talks", "ceasefire", "market", "oil"};
  const std::vector<std::string> people{"Mark Rutte", "Joe Biden", "Olaf Scholz", "Kim Jong Un"};
  std::vector<Article> arts;
  for (int i = 0; i < n; ++i) {
    std::string title, body;
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) title += words[rng() % words.size()] + " ";
    for (int k = 5 + static_cast<int>(rng() % 40); k > 0; --k) body += words[rng() % words.size()] + " ";
    std::vector<std::string> sp;
    if (rng() % 2) sp.push_back(people[rng() % people.size()]);
    const DayNumber date = rng() % 5 ? D("2023-06-01") + static_cast<int>(rng() % 400) : kNoDate;
    arts.push_back(art(N("r", i), title, body, date, sp, {}));
  }
  return arts;
}

const std::vector<const char*> kQueries{
    "storm",           "storm flood",          "storm OR flood",   "\"north korea\"", "\"north korea\"~2",
    "korea NEAR/2 talks", "title:vote",        "speaker:rutte",    "speaker:\"kim jong un\"", "-storm",
    "date:2024",       "date:2023-06..2023-08", "rate -bank",      "elect*",          "oil market minister"};

}  // namespace

TEST_CASE("block and term impacts are the exact frontier of (frequency, length)") {
  TempDir dir;
  std::mt19937 rng(11);
  std::vector<Article> arts;
  for (int i = 0; i < 700; ++i) {
    // Frequencies mostly small, some far above 64; lengths from the filler.
    const int k = rng() % 10 == 0 ? 60 + static_cast<int>(rng() % 150) : 1 + static_cast<int>(rng() % 12);
    std::string body;
    for (int j = 0; j < k; ++j) body += "alpha ";
    for (uint32_t j = rng() % 300; j > 0; --j) {
      body += "w";
      body += std::to_string(rng() % 50);
      body += " ";
    }
    arts.push_back(art(N("d", i), "", body));
  }
  build_one_segment(dir.path(), arts, opts());
  Searcher s(dir.path().string());
  REQUIRE(s.segment_count() == 1);
  const SegmentReader& seg = s.segment(0);
  const auto info = seg.term("alpha");
  REQUIRE(info);
  // The reference: sort by frequency down, length up; keep each pair shorter
  // than every one before it (the exact frontier).
  auto frontier = [](std::vector<Impact> pairs) {
    std::sort(pairs.begin(), pairs.end(),
              [](const Impact& a, const Impact& b) { return a.freq != b.freq ? a.freq > b.freq : a.length < b.length; });
    std::vector<Impact> f;
    for (const Impact& p : pairs)
      if (f.empty() || p.length < f.back().length) f.push_back(p);
    return f;
  };
  // Beyond 8 pairs the stored impacts merge neighbours: they must still
  // dominate every pair (a bound), and be as tight as the old rule (the 8th
  // pair taking the last one's length) for BM25 with the pairs' mean length.
  auto old_cap = [](std::vector<Impact> f) {
    if (f.size() > 8) {
      f[7].length = f.back().length;
      f.resize(8);
    }
    return f;
  };
  auto dominates = [](const Impact* got, uint32_t n, const std::vector<Impact>& pairs) {
    for (const Impact& p : pairs) {
      bool covered = false;
      for (uint32_t i = 0; i < n; ++i) covered |= got[i].freq >= p.freq && got[i].length <= p.length;
      if (!covered) return false;
    }
    return true;
  };
  auto best = [](const Impact* f, size_t n, double avg) {
    Bm25Scorer bm;
    bm.avg_length = avg;
    double b = 0;
    for (size_t i = 0; i < n; ++i) b = std::max(b, bm.score(1.0, f[i].freq, f[i].length));
    return b;
  };
  auto check = [&](const std::vector<Impact>& pairs, const Impact* got, uint32_t n, double avg) {
    const std::vector<Impact> exact = frontier(pairs);
    CHECK(n <= 8);
    CHECK(dominates(got, n, pairs));
    if (exact.size() <= 8) {
      CHECK(exact.size() == n);
      for (uint32_t i = 0; i < n && i < exact.size(); ++i) CHECK((exact[i].freq == got[i].freq && exact[i].length == got[i].length));
    } else {
      const std::vector<Impact> old = old_cap(exact);
      CHECK(best(got, n, avg) <= best(old.data(), old.size(), avg) * (1 + 1e-12));
    }
    return exact.size() > 8;
  };
  PostingCursor c = seg.cursor(*info);
  REQUIRE(c.block_count() > 3);
  std::vector<Impact> all_pairs;
  bool some_large = false;
  int capped = 0;
  double all_length = 0;
  for (size_t b = 0; b < c.block_count(); ++b) {
    c.seek_block(b);
    std::vector<Impact> pairs;
    double length = 0;
    for (uint32_t i = 0; i < c.block_length(); ++i) {
      pairs.push_back(Impact{c.block_freqs()[i], seg.text_length(c.block_docs()[i])});
      length += pairs.back().length;
      some_large |= pairs.back().freq >= 64;
    }
    all_length += length;
    Impact got[8];
    const uint32_t n = c.block_impacts(b, got);
    capped += check(pairs, got, n, length / pairs.size());
    all_pairs.insert(all_pairs.end(), pairs.begin(), pairs.end());
  }
  CHECK(some_large);
  CHECK(capped > 0);  // the merging rule is exercised
  Impact term[8];
  const uint32_t n = c.term_impacts(term);
  CHECK(dominates(term, n, all_pairs));
}

TEST_CASE("a tiny RAM budget makes many segments with identical results") {
  TempDir one, many;
  const auto arts = random_corpus(40, 17);
  build(one.path(), arts);
  IndexWriterOptions o;
  o.ram_budget_bytes = 1;
  o.merge = false;  // keep them apart (merges are tested in merge_test.cpp)
  build(many.path(), arts, o);
  Searcher a(one.path().string()), b(many.path().string());
  CHECK(a.segment_count() == 1);
  CHECK(b.segment_count() == arts.size());  // every add exceeds the budget
  CHECK(b.docs() == a.docs());
  CHECK(seg_dirs(many.path()) == manifest_segs(many.path()));
  for (const char* q : kQueries) {
    INFO("query " << q);
    CHECK(a.count(a.parse(q)) == b.count(b.parse(q)));
    CHECK(a.matching_ids(a.parse(q)) == b.matching_ids(b.parse(q)));
    for (auto sort : {SearchOptions::Sort::Relevance, SearchOptions::Sort::Newest}) {
      auto ra = ranked(a, q, sort), rb = ranked(b, q, sort);
      REQUIRE(ra.size() == rb.size());
      for (size_t i = 0; i < ra.size(); ++i) {
        CHECK(a.document(ra[i]).id == b.document(rb[i]).id);
        CHECK(ra[i].score == doctest::Approx(rb[i].score).epsilon(1e-12));
      }
    }
  }
}

TEST_CASE("the id column names every article, in every segment") {
  TempDir dir;
  auto arts = random_corpus(300, 5);
  arts[7].id = "caf\xC3\xA9-\xE6\x9D\xB1\xE4\xBA\xAC";  // ids are bytes: UTF-8 survives
  arts[8].id = std::string(300, 'x');
  IndexWriterOptions o;
  o.ram_budget_bytes = 20000;  // several segments
  o.merge = false;             // (merges need not keep the segments' order)
  build(dir.path(), arts, o);
  Searcher s(dir.path().string());
  REQUIRE(s.segment_count() > 1);
  size_t n = 0;
  for (uint32_t seg = 0; seg < s.segment_count(); ++seg)
    for (uint32_t d = 0; d < s.segment(seg).docs(); ++d, ++n) {
      REQUIRE(n < arts.size());
      CHECK(s.segment(seg).doc_id(d) == arts[n].id);
      CHECK(s.doc_id({seg, d}) == s.document({seg, d}).id);
    }
  CHECK(n == arts.size());
  CHECK_THROWS_AS(s.segment(0).doc_id(s.segment(0).docs()), CorruptIndex);
}

namespace {

// Articles with frequencies and lengths that vary within and across posting
// blocks, for the pruned ranking paths.
std::vector<Article> ranking_corpus() {
  std::mt19937 rng(11);
  std::vector<Article> arts;
  for (int i = 0; i < 3000; ++i) {
    std::string body;
    const int len = 3 + static_cast<int>(rng() % (i % 500 == 0 ? 200 : 30));
    for (int k = 0; k < len; ++k) {
      const unsigned r = rng() % 100;
      body += r < 30 ? "common " : r < 33 ? "sparse " : r < 34 && i % 7 == 0 ? "clustered " : N("w", r) + " ";
    }
    if (i % 900 == 0) body += "common common common common common common ";
    arts.push_back(art(N("d", i), "", body, i % 5 ? D("2020-01-01") + i % 700 : kNoDate));
  }
  return arts;
}

// The exhaustive ranking's page [offset, offset + limit): the reference
// collector scores every match and prunes nothing.
SearchResults exhaustive(Searcher& s, const Query& q, size_t offset, size_t limit,
                         SearchOptions::Sort sort = SearchOptions::Sort::Relevance) {
  SearchOptions all;
  all.limit = limit;
  all.offset = offset;
  all.sort = sort;
  all.exhaustive = true;
  return s.search(q, all);
}

// Same hits, in the same order, with bit-identical scores.
void check_same_hits(const SearchResults& a, const SearchResults& b) {
  REQUIRE(a.hits.size() == b.hits.size());
  for (size_t i = 0; i < a.hits.size(); ++i) {
    CHECK(a.hits[i].segment == b.hits[i].segment);
    CHECK(a.hits[i].doc == b.hits[i].doc);
    CHECK(a.hits[i].score == b.hits[i].score);
  }
}

// Every page (limits, offsets) of `q`, ranked with and without the total,
// equals the exhaustive ranking's page; the total, when counted, is exact.
void check_pages(Searcher& s, const char* q) {
  const Query parsed = s.parse(q);
  for (size_t limit : {1, 10, 37, 1000}) {
    for (size_t offset : {0, 5}) {
      INFO("query " << q << " limit " << limit << " offset " << offset);
      SearchOptions so;
      so.limit = limit;
      so.offset = offset;
      const SearchResults b = exhaustive(s, parsed, offset, limit);
      const SearchResults a = s.search(parsed, so);
      CHECK(a.total_exact);
      CHECK(a.total == b.total);
      CHECK(a.total == s.count(parsed));
      check_same_hits(a, b);
      so.count_total = false;  // lets the MaxScore and AND NOT paths run
      const SearchResults c = s.search(parsed, so);
      if (c.total_exact) CHECK(c.total == b.total);
      check_same_hits(c, b);
    }
  }
}

}  // namespace

TEST_CASE("every ranking path returns exactly the exhaustive ranking's page") {
  // Many blocks per term, frequencies and lengths that vary within and across
  // blocks, several segments: block-max single terms, MaxScore disjunctions,
  // block-max AND NOT, one-pass conjunctions and phrases must all return the
  // hits, order and bit-identical scores of the general path.
  TempDir dir;
  IndexWriterOptions o;
  o.ram_budget_bytes = 400000;
  o.merge_policy.floor_tier_segments = o.merge_policy.segments_per_tier;  // keep the small segments apart
  build(dir.path(), ranking_corpus(), o);
  Searcher s(dir.path().string());
  REQUIRE(s.segment_count() > 1);
  for (const char* q :
       {// single terms
        "common", "sparse", "clustered", "w50", "absent",
        // disjunctions
        "common OR sparse", "sparse OR clustered", "common OR sparse OR clustered OR w7",
        "w1 OR w2 OR w3 OR w4 OR w5 OR w6", "clustered OR absent", "sparse OR sparse OR w99",
        "common OR clustered", "clustered OR w7 OR common",  // a dense word only probed: longer windows
        // AND NOT
        "common AND NOT sparse", "sparse -(w1 OR w2 OR \"common common\")", "clustered -absent", "common -w5 -w6",
        "clustered -common",
        // conjunctions, phrases and everything else
        "common sparse", "\"common common\"", "common OR (sparse AND w3)", "w1 w2", "\"common sparse\"~3",
        "sparse NEAR/3 clustered", "(common OR w9) AND (sparse OR clustered)", "+common sparse w3", "w1*",
        "common sparse w3 clustered", "sparse sparse common", "w4 absent", "common date:2020-03..2020-08",
        "sparse w3 date:2020 date:2020-02..2021", "date:2020-05 clustered", "common clustered", "clustered common w1",
        "\"common common\" date:2020-02..2020-12", "-common date:2021"})
    check_pages(s, q);
  // Without the total, the page is pruned: it says the total is unknown.
  SearchOptions so;
  so.count_total = false;
  CHECK(!s.search(s.parse("common OR sparse"), so).total_exact);
  CHECK(!s.search(s.parse("common AND NOT sparse"), so).total_exact);
}

TEST_CASE("ranking skips whole groups of blocks by their impacts and returns exactly the exhaustive page") {
  // One segment, terms of many groups of 16 blocks: "every" is in every
  // document, mostly once, and many times in a few documents clustered in
  // a few groups (the rest of its groups cannot compete and are skipped by
  // their impacts); "half" in every other document, its weight spread.
  TempDir dir;
  std::mt19937 rng(23);
  std::vector<Article> arts;
  for (int i = 0; i < 40000; ++i) {
    std::string body = "every ";
    if (i % 2 == 0) body += i % 11 == 0 ? "half half " : "half ";
    if ((i / 2048 == 5 || i / 2048 == 13) && rng() % 40 == 0)
      for (int k = 0; k < 2 + static_cast<int>(rng() % 6); ++k) body += "every ";
    for (int k = static_cast<int>(rng() % 25); k > 0; --k) body += N("w", rng() % 50) + " ";
    arts.push_back(art(N("d", i), "", body));
  }
  build_one_segment(dir.path(), arts, opts("none"));
  Searcher s(dir.path().string());
  REQUIRE(s.segment_count() == 1);
  REQUIRE(s.segment(0).cursor(*s.segment(0).term("every")).group_count() > 16);
  for (const char* q : {"every", "half", "every OR half", "every OR w7", "every AND NOT w3", "half AND NOT w3",
                        "every half", "w5 every", "every OR half OR w1"})
    check_pages(s, q);
}

namespace {

// A random query over the ranking corpus's words: terms, phrases, NEAR,
// prefixes, dates, AND, OR, NOT and '+' clauses, nested up to `depth`.
std::string random_query(std::mt19937& rng, int depth) {
  auto word = [&] {
    const unsigned r = rng() % 10;
    return std::string(r < 3 ? "common" : r < 5 ? "sparse" : r < 6 ? "clustered" : r < 7 ? "absent" : "w" + std::to_string(rng() % 100));
  };
  const unsigned kind = depth <= 0 ? rng() % 6 : rng() % 11;
  switch (kind) {
    case 0: case 1: case 2: return word();
    case 3: return "\"" + word() + " " + word() + "\"";
    case 4: return word() + " NEAR/" + std::to_string(1 + rng() % 4) + " " + word();
    case 5: return rng() % 2 ? "w" + std::to_string(1 + rng() % 9) + "*" : "date:2020-0" + std::to_string(1 + rng() % 9) + "..2021";
    case 6: return "(" + random_query(rng, depth - 1) + " AND " + random_query(rng, depth - 1) + ")";
    case 7: return "(" + random_query(rng, depth - 1) + " OR " + random_query(rng, depth - 1) + ")";
    case 8: return "(" + random_query(rng, depth - 1) + " OR " + random_query(rng, depth - 1) + " OR " + word() + ")";
    case 9: return "(" + random_query(rng, depth - 1) + " -" + word() + ")";
    default: return "(+" + word() + " " + random_query(rng, depth - 1) + ")";
  }
}

}  // namespace

// The matches of `q` over the segments, counted in each by iterating, in
// bitset windows and the cheapest way, which must agree.
static uint64_t count_every_way(const Query& q, const std::vector<const SegmentReader*>& segs) {
  const Bm25Scorer bm25;
  const QueryWeight weight(q, segs, bm25, false);
  uint64_t total = 0;
  for (size_t k = 0; k < segs.size(); ++k) {
    const uint64_t iterated = weight.count(k, QueryWeight::CountBy::Iterating);
    CHECK(weight.count(k, QueryWeight::CountBy::Windows) == iterated);
    CHECK(weight.count(k) == iterated);
    total += iterated;
  }
  return total;
}

TEST_CASE("name phrases: the pair terms match exactly the values whose words follow each other") {
  // An exact phrase on a name field is answered by its name pairs
  // (common/fields.h): two words by the pair term alone, more by the pairs
  // and then positions. The reference is the articles' own values split
  // into words here: the phrase's words in a row inside one value. Two
  // segments, deletions; counted every way; scored as the words are.
  const std::vector<std::string> names = {"United States", "United States Steel", "Steel United", "New York",
                                          "New York Stock Exchange", "York", "Stock Exchange of New York",
                                          "Mark Rutte", "Rutte Mark", "States"};
  std::mt19937 rng(11);
  std::vector<Article> arts;
  for (int i = 0; i < 3000; ++i) {
    Article a = art(N("n", i), "", "words " + N("w", i % 50), D("2020-01-01") + i % 300);
    for (unsigned k = 0, n = rng() % 4; k < n; ++k) {
      const std::string& name = names[rng() % names.size()];
      if (std::none_of(a.entities.begin(), a.entities.end(), [&](const Entity& e) { return e.name == name; }))
        a.entities.push_back(Entity{name, k % 2 ? EntityType::Organization : EntityType::Place});
    }
    if (rng() % 3 == 0) a.speakers.push_back(names[rng() % names.size()]);
    if (rng() % 5 == 0) a.speakers.push_back(names[rng() % names.size()]);
    arts.push_back(std::move(a));
  }
  TempDir dir;
  IndexWriterOptions o = opts();
  o.merge = false;
  std::set<std::string> gone;
  {
    IndexWriter w(dir.path().string(), o);
    for (int i = 0; i < 3000; ++i) {
      w.add(arts[i]);
      if (i == 1999) w.commit();
    }
    w.commit();
    for (int i = 0; i < 3000; i += 7) gone.insert(N("n", i));
    w.remove(std::vector<std::string>(gone.begin(), gone.end()));
    w.commit();
  }
  Searcher s(dir.path().string());
  REQUIRE(s.segment_count() == 2);
  std::vector<const SegmentReader*> segs;
  for (size_t i = 0; i < s.segment_count(); ++i) segs.push_back(&s.segment(i));

  auto words_of = [](const std::string& v) {
    std::vector<std::string> w;
    std::istringstream in(v);
    for (std::string x; in >> x;) {
      for (char& c : x) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      w.push_back(x);
    }
    return w;
  };
  auto values = [](const Article& a, const std::string& field) {
    std::vector<std::string> v;
    if (field == "speaker") return a.speakers;
    for (const Entity& e : a.entities)
      if (field == "entity" || (field == "org" && e.type == EntityType::Organization) ||
          (field == "place" && e.type == EntityType::Place))
        v.push_back(e.name);
    return v;
  };
  auto reference = [&](const std::string& field, const std::vector<std::string>& phrase) {
    Ids ids;
    for (const Article& a : arts) {
      if (gone.count(a.id)) continue;
      for (const std::string& v : values(a, field)) {
        const std::vector<std::string> w = words_of(v);
        bool found = false;
        for (size_t i = 0; i + phrase.size() <= w.size() && !found; ++i)
          found = std::equal(phrase.begin(), phrase.end(), w.begin() + static_cast<std::ptrdiff_t>(i));
        if (found) {
          ids.push_back(a.id);
          break;
        }
      }
    }
    return sorted(ids);
  };

  // Every run of two or three words of every name, and runs no name has.
  std::set<std::vector<std::string>> phrases = {{"states", "york"}, {"york", "new"}, {"steel", "states", "united"}};
  for (const std::string& n : names) {
    const std::vector<std::string> w = words_of(n);
    for (size_t len = 2; len <= 3; ++len)
      for (size_t i = 0; i + len <= w.size(); ++i) phrases.insert({w.begin() + static_cast<std::ptrdiff_t>(i), w.begin() + static_cast<std::ptrdiff_t>(i + len)});
  }
  size_t nonempty = 0;
  for (const std::string field : {"speaker", "entity", "org", "place"}) {
    for (const std::vector<std::string>& phrase : phrases) {
      std::string text = field + ":\"", and_text;
      for (size_t i = 0; i < phrase.size(); ++i) {
        text += (i ? " " : "") + phrase[i];
        and_text += (i ? " AND " : "") + field + ":" + phrase[i];
      }
      text += "\"";
      INFO("query " << text);
      const Query q = s.parse(text);
      const Ids want = reference(field, phrase);
      nonempty += !want.empty();
      CHECK(sorted(s.matching_ids(q)) == want);
      CHECK(s.count(q) == want.size());
      CHECK(count_every_way(q, segs) == want.size());
      // Ranked, the hits are the same articles, and each scores what the
      // conjunction of its words scores there.
      const SearchResults hits = exhaustive(s, q, 0, 100000);
      Ids hit_ids;
      for (const auto& h : hits.hits) hit_ids.push_back(s.doc_id(h));
      CHECK(sorted(hit_ids) == want);
      const SearchResults words = exhaustive(s, s.parse(and_text), 0, 100000);
      std::map<std::pair<size_t, uint32_t>, double> by_doc;
      for (const auto& h : words.hits) by_doc[{h.segment, h.doc}] = h.score;
      for (const auto& h : hits.hits) CHECK(by_doc.at({h.segment, h.doc}) == h.score);
      // Inside a conjunction too.
      CHECK(s.count(s.parse(text + " AND words")) == want.size());
    }
  }
  CHECK(nonempty > 40);
}

TEST_CASE("randomized: pruned pages equal exhaustive scoring, by score and by date") {
  TempDir dir;
  IndexWriterOptions o = opts();
  o.ram_budget_bytes = 400000;
  o.merge_policy.floor_tier_segments = o.merge_policy.segments_per_tier;  // keep the small segments apart
  build(dir.path(), ranking_corpus(), o);
  {
    IndexWriter w(dir.path().string(), o);
    w.remove({"d5", "d77", "d1500", "d2999"});  // deletions in a segment or two
    w.commit();
  }
  Searcher s(dir.path().string());
  REQUIRE(s.segment_count() > 1);
  std::mt19937 rng(2026);
  int nonempty = 0;
  for (int i = 0; i < 300; ++i) {
    const std::string text = random_query(rng, 3);
    Query q;
    try {
      q = s.parse(text);
    } catch (const QueryError&) {
      continue;
    }
    for (auto sort : {SearchOptions::Sort::Relevance, SearchOptions::Sort::Newest, SearchOptions::Sort::Oldest}) {
      for (size_t limit : {1, 10}) {
        INFO("query " << text << " limit " << limit << " sort " << static_cast<int>(sort));
        const SearchResults ref = exhaustive(s, q, 0, limit, sort);
        nonempty += !ref.hits.empty();
        CHECK(ref.total == s.count(q));
        for (bool count_total : {true, false}) {
          SearchOptions so;
          so.limit = limit;
          so.sort = sort;
          so.count_total = count_total;
          const SearchResults got = s.search(q, so);
          if (count_total) CHECK(got.total == ref.total);
          check_same_hits(got, ref);
        }
      }
    }
  }
  CHECK(nonempty > 300);  // most generated queries match something
}

TEST_CASE("counting in bitset windows equals counting by iterating, deletions and dates included") {
  // Segments of several 4,096-document windows, dense and sparse words,
  // deletions spread over windows, and random boolean queries (phrases and
  // NEAR too, which the window path hands back to iteration).
  TempDir dir;
  std::mt19937 rng(5);
  std::vector<Article> arts;
  for (int i = 0; i < 14000; ++i) {
    std::string body;
    for (int k = 0; k < 8; ++k) {
      const unsigned r = rng() % 100;
      body += r < 40 ? "common " : r < 45 ? "sparse " : r < 46 && (i / 3000) % 2 ? "clustered " : N("w", r) + " ";
    }
    arts.push_back(art(N("d", i), "", body, i % 9 ? D("2020-01-01") + i % 700 : kNoDate));
  }
  IndexWriterOptions o = opts();
  o.merge = false;
  {
    IndexWriter w(dir.path().string(), o);
    for (int i = 0; i < 11000; ++i) w.add(arts[i]);
    w.commit();
    for (int i = 11000; i < 14000; ++i) w.add(arts[i]);
    w.commit();
    std::vector<std::string> gone;
    for (int i = 0; i < 14000; i += 37) gone.push_back(N("d", i));
    w.remove(gone);
    w.commit();
  }
  Searcher s(dir.path().string());
  REQUIRE(s.segment_count() == 2);
  REQUIRE(s.segment(0).has_deletions());
  std::vector<const SegmentReader*> segs;
  for (size_t i = 0; i < s.segment_count(); ++i) segs.push_back(&s.segment(i));
  std::mt19937 qrng(99);
  int windowed = 0;
  // Date ranges alone are counted from the segments' per-day counts (less
  // the deleted documents in range; undated documents never match).
  const std::vector<std::string> fixed{"common", "common sparse", "common OR sparse", "common -sparse",
                                       "date:2020-03..2020-09 common", "-common", "date:2020-03..2020-09",
                                       "date:2020-02-10", "date:..2020-05-31", "date:2020-06-01..", "date:2019",
                                       "date:2021-11-30..2030"};
  for (int i = 0; i < 300; ++i) {
    std::string text = i < static_cast<int>(fixed.size()) ? fixed[i] : random_query(qrng, 2);
    Query q;
    try {
      q = s.parse(text);
    } catch (const QueryError&) {
      continue;
    }
    INFO("query " << text);
    CHECK(count_every_way(q, segs) == s.matching_ids(q).size());
    windowed += text.find('"') == std::string::npos && text.find("NEAR") == std::string::npos;
  }
  CHECK(windowed > 100);
  // The date-range cursor reads the column a window at a time: walked by
  // next() and by advance() to random targets (across windows, into the
  // middle of one), it stops exactly on the documents dated in range.
  for (const SegmentReader* seg : segs)
    for (const auto& [lo, hi] : {std::pair{D("2020-03-01"), D("2020-09-30")}, std::pair{D("2021-06-01"), D("2021-06-01")},
                                 std::pair{D("2019-01-01"), D("2019-12-31")}}) {
      std::vector<uint32_t> want;
      for (uint32_t d = 0; d < seg->docs(); ++d)
        if (seg->date(d) != kNoDate && seg->date(d) >= lo && seg->date(d) <= hi) want.push_back(d);
      DateRangeScorer walk(*seg, lo, hi);
      std::vector<uint32_t> got;
      for (uint32_t d = walk.doc(); d != Scorer::kEnd; d = walk.next()) got.push_back(d);
      CHECK(got == want);
      DateRangeScorer jump(*seg, lo, hi);
      for (uint32_t target = 0; target < seg->docs() + 10; target += 1 + qrng() % 3000) {
        const auto it = std::lower_bound(want.begin(), want.end(), target);
        CHECK(jump.advance(target) == (it == want.end() ? Scorer::kEnd : *it));
        if (jump.doc() == Scorer::kEnd) break;
      }
      // The documents sorted by date: the range's slice, by date then number.
      std::vector<uint32_t> by_date = want;
      std::stable_sort(by_date.begin(), by_date.end(), [&](uint32_t a, uint32_t b) { return seg->date(a) < seg->date(b); });
      const auto slice = seg->docs_dated(lo, hi);
      REQUIRE(slice);
      CHECK(std::vector<uint32_t>(slice->begin(), slice->end()) == by_date);
    }
  // A sparse range (a day: its bitset built from the sorted documents) and a
  // dense one (read from the column) fill every window alike.
  for (const SegmentReader* seg : segs)
    for (const auto& [lo, hi] : {std::pair{D("2020-05-05"), D("2020-05-05")}, std::pair{D("2020-01-01"), D("2021-12-31")}}) {
      const DateRangeBits range(*seg, lo, hi);
      uint64_t set = 0;
      for (uint32_t base = 0; base < seg->docs(); base += 4096) {
        const uint32_t end = std::min(seg->docs(), base + 4096);
        uint64_t bits[64], want[64];
        const bool any = range.fill(base, end, 64, bits);
        date_range_bits(*seg, lo, hi, base, end, 64, want);
        bool want_any = false;
        for (int w = 0; w < 64; ++w) want_any |= want[w] != 0;
        CHECK(any == want_any);
        if (want_any) CHECK(std::equal(bits, bits + 64, want));
        for (int w = 0; w < 64; ++w) set += std::popcount(want[w]);
      }
      CHECK(set > 0);
      if (lo == hi) CHECK(range.fill_cost() < seg->docs() / 8);  // the bitset's words, not the column
    }
}

TEST_CASE("a date range over a date column spanning millennia is counted exactly, without a count per day") {
  // Dates 7,800 years apart: a count per day would be millions of entries
  // for four articles, so the range is counted by iterating instead.
  TempDir dir;
  build(dir.path(), {art("old", "", "w", D("1200-03-01")), art("mid", "", "w", D("2020-05-05")),
                     art("far", "", "w", D("9000-12-31")), art("none", "", "w", kNoDate)});
  Searcher s(dir.path().string());
  CHECK(s.count(s.parse("date:1000..2100")) == 2);
  CHECK(s.count(s.parse("date:2020-05-05")) == 1);
  CHECK(s.count(s.parse("date:2021..")) == 1);
  CHECK(s.count(s.parse("date:..9999")) == 3);
  CHECK(s.count(s.parse("date:1300..2000")) == 0);
}

TEST_CASE("several indexes searched as one answer like one index holding them all") {
  // One index per "year": A holds the first half of the articles, B the
  // rest, C none of them but a deletion's worth; ONE holds A's articles,
  // then B's, as two commits (two segments in the same order). Searching
  // {A, B} must give ONE's pages exactly: ids, order, bit-identical scores
  // (index-wide statistics), exact totals, by score and by date.
  TempDir a, b, one;
  IndexWriterOptions o = opts();
  o.merge = false;
  const std::vector<Article> arts = ranking_corpus();
  const std::vector<Article> first(arts.begin(), arts.begin() + 1700), second(arts.begin() + 1700, arts.end());
  build(a.path(), first, o);
  build(b.path(), second, o);
  {
    IndexWriter w(one.path().string(), o);
    for (const auto& x : first) w.add(x);
    w.commit();
    for (const auto& x : second) w.add(x);
    w.commit();
  }
  for (const fs::path* dir : {&b.path(), &one.path()}) {  // a deletion in the second part
    IndexWriter w(dir->string(), o);
    w.remove({"d1777", "d2001"});
    w.commit();
  }
  Searcher both(std::vector<std::string>{a.path().string(), b.path().string()});
  Searcher whole(one.path().string());
  REQUIRE(both.segment_count() == whole.segment_count());
  CHECK(both.index_count() == 2);
  CHECK(both.index_of_segment(0) == 0);
  CHECK(both.index_of_segment(both.segment_count() - 1) == 1);
  CHECK(both.docs() == whole.docs());
  std::mt19937 rng(77);
  for (int i = 0; i < 150; ++i) {
    const std::string text = random_query(rng, 2);
    Query qb, qw;
    try {
      qb = both.parse(text);
      qw = whole.parse(text);
    } catch (const QueryError&) {
      continue;
    }
    INFO("query " << text);
    CHECK(both.count(qb) == whole.count(qw));
    CHECK(both.matching_ids(qb) == whole.matching_ids(qw));
    for (auto sort : {SearchOptions::Sort::Relevance, SearchOptions::Sort::Newest, SearchOptions::Sort::Oldest})
      for (bool count_total : {true, false}) {
        SearchOptions so;
        so.limit = 10;
        so.sort = sort;
        so.count_total = count_total;
        const SearchResults x = both.search(qb, so), y = whole.search(qw, so);
        CHECK(x.total == y.total);
        check_same_hits(x, y);
      }
  }
  // Ids are found in whichever index holds them; documents read from it.
  REQUIRE(both.find_id("d2500").size() == 1);
  CHECK(both.index_of_segment(both.find_id("d2500")[0].segment) == 1);
  CHECK(both.document(both.find_id("d2500")[0]).id == "d2500");
  CHECK(both.find_id("d1777").empty());
  CHECK(both.find_id("d5").size() == 1);
}

TEST_CASE("several indexes: the same one twice, or analysed differently, are refused") {
  TempDir a, n;
  build(a.path(), news(), opts("english"));
  build(n.path(), news(), opts("none"));
  auto message = [](const std::vector<std::string>& dirs) {
    try {
      Searcher s(dirs);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message({a.path().string(), a.path().string()}).find("given twice") != std::string::npos);
  CHECK(message({a.path().string(), (a.path() / "." ).string()}).find("given twice") != std::string::npos);
  const std::string m = message({a.path().string(), n.path().string()});
  CHECK(m.find("analysed differently") != std::string::npos);
  CHECK(m.find("stemmer english") != std::string::npos);
  CHECK(m.find("stemmer none") != std::string::npos);
  CHECK(message({a.path().string(), (a.path() / "missing").string()}).find("missing") != std::string::npos);
}

// ---------------------------------------------------------------------------
// Corruption: damaged files raise errors, never crash.

namespace {

// Opens the index and runs a mix of queries; any std::runtime_error (the
// documented failure, CorruptIndex included) is fine. Returns "" or what
// other exception escaped.
// Everything the queries of kQueries answer on the index in `dir` — counts,
// match sets, ranked pages (exhaustive and pruned, by score and by date)
// with scores, stored titles — as one transcript; "THREW: <message>" when a
// query or opening the index fails.
std::string exercise(const fs::path& dir) {
  std::ostringstream out;
  try {
    Searcher s(dir.string());
    for (const char* q : kQueries) {
      Query parsed = s.parse(q);
      out << q << ": " << s.count(parsed);
      SearchOptions o;
      o.limit = 5;
      for (const auto& h : s.search(parsed, o).hits) out << " " << s.doc_id(h) << "=" << h.score << ":" << s.document(h).title;
      o.count_total = false;  // the pruned ranking paths read impacts
      for (const auto& h : s.search(parsed, o).hits) out << " p" << s.doc_id(h);
      o.sort = SearchOptions::Sort::Newest;
      for (const auto& h : s.search(parsed, o).hits) out << " n" << s.doc_id(h);
      for (const auto& id : s.matching_ids(parsed)) out << " m" << id;
      out << "\n";
    }
  } catch (const std::runtime_error& e) {
    return std::string("THREW: ") + e.what();
  } catch (const std::exception& e) {
    return std::string("unexpected exception type: ") + e.what();
  }
  return out.str();
}

void copy_index(const fs::path& from, const fs::path& to) {
  fs::remove_all(to);
  fs::copy(from, to, fs::copy_options::recursive);
  fs::remove(to / "LOCK");
}

}  // namespace

TEST_CASE("damaged index files: check finds every one, and no query answers wrong") {
  TempDir dir;
  const fs::path pristine = dir.path() / "pristine", work = dir.path() / "work";
  auto arts = random_corpus(300, 23);  // > 1 posting block for common words
  build(pristine, arts);
  {
    IndexWriter w(pristine.string(), opts());
    w.remove({"r7", "r8", "r150"});  // a deletions file too
    w.commit();
  }
  const std::string truth = exercise(pristine);
  REQUIRE(truth.rfind("THREW", 0) != 0);
  REQUIRE(check_index(pristine.string()).ok);
  const std::string seg = *manifest_segs(pristine).begin();
  const Manifest m = read_manifest(pristine.string());
  const std::vector<fs::path> files{fs::path(seg) / format::kTermsFile,   fs::path(seg) / format::kPostingsFile,
                                    fs::path(seg) / format::kPositionsFile, fs::path(seg) / format::kColumnsFile,
                                    fs::path(seg) / format::kDocStoreFile,  fs::path(seg) / m.segments.at(0).deletes,
                                    format::kManifestFile};
  std::mt19937 rng(99);
  int trials = 0, detected = 0, threw = 0, unaffected = 0;
  for (const auto& rel : files) {
    const std::string orig = slurp(pristine / rel);
    REQUIRE(orig.size() > 16);
    std::vector<std::string> variants;
    for (size_t len : {size_t{0}, size_t{1}, size_t{4}, size_t{7}, size_t{8}, size_t{12}, orig.size() / 3,
                       orig.size() / 2, orig.size() - 17, orig.size() - 16, orig.size() - 8, orig.size() - 1})
      variants.push_back(orig.substr(0, len));
    for (int k = 0; k < 60; ++k) {
      std::string v = orig;
      const int mode = k % 4;
      const size_t at = rng() % v.size();
      if (mode == 0 || mode == 3) {
        v[at] = static_cast<char>(v[at] ^ (1 << (rng() % 8)));  // one bit
      } else if (mode == 1) {
        for (size_t i = at; i < std::min(v.size(), at + 8); ++i) v[i] = static_cast<char>(v[i] ^ (1 + rng() % 255));
      } else {
        for (size_t i = at; i < std::min(v.size(), at + 16); ++i) v[i] = static_cast<char>(~v[i]);
      }
      variants.push_back(v);
    }
    // Damage at the header and the trailer specifically.
    for (size_t at : {size_t{0}, size_t{4}, size_t{8}, orig.size() - 20, orig.size() - 16, orig.size() - 12, orig.size() - 4}) {
      std::string v = orig;
      for (size_t i = at; i < std::min(v.size(), at + 4); ++i) v[i] = static_cast<char>(v[i] ^ 0x5A);
      variants.push_back(v);
    }
    variants.push_back(orig + std::string(100, 'z'));
    for (const auto& v : variants) {
      copy_index(pristine, work);
      spit(work / rel, v);
      INFO("file " << rel.string() << " size " << v.size() << " (original " << orig.size() << ")");
      const CheckReport r = check_index(work.string());
      CHECK(!r.ok);
      detected += !r.ok;
      // Queries either fail with an error naming the damaged file or answer as before.
      const std::string answers = exercise(work);
      if (answers.rfind("THREW: ", 0) == 0) {
        ++threw;
        CHECK(answers.find(rel.filename().string()) != std::string::npos);
      } else {
        CHECK(answers == truth);
        ++unaffected;
      }
      ++trials;
    }
  }
  MESSAGE("damaged copies: " << trials << ", found by check: " << detected << ", queries failed with the file named: "
                             << threw << ", queries unaffected (the damage was in bytes they do not read): " << unaffected);
  CHECK(trials > 500);
  // A missing file is an error too.
  for (const auto& rel : files) {
    copy_index(pristine, work);
    fs::remove(work / rel);
    CHECK_THROWS_AS(Searcher(work.string()), std::runtime_error);
    CHECK(!check_index(work.string()).ok);
  }
}

TEST_CASE("a damaged MANIFEST raises a runtime_error naming it") {
  TempDir dir;
  build(dir.path(), news());
  const fs::path mf = dir.path() / format::kManifestFile;
  const std::string orig = slurp(mf);
  for (const std::string& bad : {std::string(""), std::string("{"), std::string("[]"), std::string("not json"),
                                 std::string("{\"format\":99,\"stemmer\":\"english\",\"generation\":1,\"segments\":[]}"),
                                 orig.substr(0, orig.size() / 2)}) {
    spit(mf, bad);
    std::string msg;
    try {
      Searcher s(dir.path().string());
    } catch (const std::runtime_error& e) {
      msg = e.what();
    }
    INFO("manifest: " << bad);
    CHECK(msg.find("MANIFEST") != std::string::npos);
  }
  // An unknown stemmer in the manifest (e.g. a flipped byte in "english"):
  // Searcher documents std::runtime_error for every failure to open.
  spit(mf, "{\"format\":1,\"stemmer\":\"engl1sh\",\"generation\":1,\"segments\":[]}");
  CHECK_THROWS_AS(Searcher(dir.path().string()), std::runtime_error);
  // A segment name escaping the index directory.
  std::string escaped = orig;
  const size_t at = escaped.find("seg-");
  REQUIRE(at != std::string::npos);
  escaped.replace(at, 4, "../s");
  spit(mf, escaped);
  CHECK_THROWS_AS(Searcher(dir.path().string()), std::runtime_error);
}

// ---------------------------------------------------------------------------
// Snippets

namespace {

Analyzer& snippet_analyzer() {
  static Analyzer a("english");
  return a;
}

std::unordered_set<std::string> terms_of(const std::string& words) {
  std::vector<Token> toks;
  snippet_analyzer().analyze(words, true, toks);
  std::unordered_set<std::string> out;
  for (auto& t : toks) out.insert(t.term);
  return out;
}

std::string numbered_words(int from, int to) {
  std::string s;
  for (int i = from; i < to; ++i) {
    if (!s.empty()) s += ' ';
    s += N("w", i);
  }
  return s;
}

// Every highlight range is exactly one word whose analysed form is a query term.
void check_ranges(const Snippet& sn, const std::unordered_set<std::string>& terms) {
  size_t last_end = 0;
  for (auto [b, e] : sn.matches) {
    REQUIRE(b < e);
    REQUIRE(e <= sn.text.size());
    CHECK(b >= last_end);
    last_end = e;
    std::vector<Token> toks;
    snippet_analyzer().analyze(sn.text.substr(b, e - b), true, toks);
    REQUIRE(toks.size() == 1);
    CHECK(toks[0].start == 0);
    CHECK(toks[0].end == e - b);
    CHECK(terms.count(toks[0].term) == 1);
  }
}

const std::string kEllipsis = "\xE2\x80\xA6";

}  // namespace

TEST_CASE("snippet picks the window with the query words") {
  const std::string text = numbered_words(0, 60) + " Zebras crossed the river " + numbered_words(60, 120);
  const auto terms = terms_of("zebra river");
  Snippet sn = make_snippet(text, terms, snippet_analyzer(), 20);
  CHECK(sn.text.find("Zebras crossed the river") != std::string::npos);
  CHECK(sn.text.rfind(kEllipsis + " ", 0) == 0);  // cut at the start
  CHECK(sn.text.size() > 4);
  CHECK(sn.text.substr(sn.text.size() - 4) == " " + kEllipsis);  // cut at the end
  REQUIRE(sn.matches.size() == 2);
  CHECK(sn.text.substr(sn.matches[0].first, sn.matches[0].second - sn.matches[0].first) == "Zebras");
  CHECK(sn.text.substr(sn.matches[1].first, sn.matches[1].second - sn.matches[1].first) == "river");
  check_ranges(sn, terms);
  // About max_words words.
  std::vector<Token> toks;
  snippet_analyzer().analyze(sn.text, false, toks);
  CHECK(toks.size() == 20);
}

TEST_CASE("snippet prefers more distinct query words over repetitions") {
  const std::string text = "zebra zebra zebra zebra " + numbered_words(0, 50) + " zebra lion " +
                           numbered_words(50, 100);
  const auto terms = terms_of("zebra lion");
  Snippet sn = make_snippet(text, terms, snippet_analyzer(), 10);
  CHECK(sn.text.find("zebra lion") != std::string::npos);
  check_ranges(sn, terms);
  bool lion = false;
  for (auto [b, e] : sn.matches) lion |= sn.text.substr(b, e - b) == "lion";
  CHECK(lion);
}

TEST_CASE("snippet without a match shows the opening words") {
  const std::string text = "First words of the story. " + numbered_words(0, 80);
  Snippet sn = make_snippet(text, terms_of("absent"), snippet_analyzer(), 12);
  CHECK(sn.text.rfind("First words of the story.", 0) == 0);
  CHECK(sn.matches.empty());
  CHECK(sn.text.substr(sn.text.size() - 3) == kEllipsis);
  std::vector<Token> toks;
  snippet_analyzer().analyze(sn.text, false, toks);
  CHECK(toks.size() == 12);
}

TEST_CASE("snippet of a short text is the whole text without ellipses") {
  const std::string text = "Rates rise\nagain.";
  const auto terms = terms_of("rates");
  Snippet sn = make_snippet(text, terms, snippet_analyzer(), 32);
  CHECK(sn.text == "Rates rise again.");  // newlines become spaces
  REQUIRE(sn.matches.size() == 1);
  CHECK(sn.matches[0] == std::pair<size_t, size_t>{0, 5});
  CHECK(make_snippet("", terms, snippet_analyzer()).text.empty());
  CHECK(make_snippet("...", terms, snippet_analyzer()).matches.empty());
}

TEST_CASE("snippet highlights stemmed and multi-byte words exactly") {
  const std::string text = numbered_words(0, 40) + " Négociations à Zürich: the negotiations über "
                           "Zürich’s Straße continued. " + numbered_words(40, 90);
  const auto terms = terms_of("negotiation zürich straße");
  Snippet sn = make_snippet(text, terms, snippet_analyzer(), 16);
  check_ranges(sn, terms);
  std::multiset<std::string> words;
  for (auto [b, e] : sn.matches) words.insert(sn.text.substr(b, e - b));
  CHECK(words.count("negotiations") == 1);
  CHECK(words.count("Zürich") == 1);
  CHECK(words.count("Zürich’s") == 1);
  CHECK(words.count("Straße") == 1);
  CHECK(sn.text.rfind(kEllipsis, 0) == 0);
}

TEST_CASE("snippet ranges are exact for random texts") {
  std::mt19937 rng(4);
  const std::vector<std::string> words{"Rutte", "said", "the", "talks", "négociations", "東京", "rates", "3.5",
                                       "U.S.", "cease-fire", "\n\n", "—", "Rates", "talked"};
  for (int iter = 0; iter < 300; ++iter) {
    std::string text;
    for (int n = static_cast<int>(rng() % 80); n > 0; --n) text += words[rng() % words.size()] + " ";
    const auto terms = terms_of(iter % 2 ? "talks rates" : "東京 cease");
    Snippet sn = make_snippet(text, terms, snippet_analyzer(), 1 + rng() % 20);
    INFO("text: " << text);
    check_ranges(sn, terms);
    CHECK(sn.text.find('\n') == std::string::npos);
  }
}

// ---------------------------------------------------------------------------
// Crafted corruption that is internally consistent enough to pass the
// structural checks. Kept last: a failure here may crash the test binary.

TEST_CASE("postings naming a document beyond the segment are rejected") {
  // A term whose postings (skip entry and doc block agreeing) point at doc
  // 0x0FFFFFFF in a 3-document segment. count() may report it, but nothing
  // may read the date/length columns or the doc store out of bounds.
  TempDir dir;
  build(dir.path(), {art("d0", "", "apple"), art("d1", "", "apple zzzz"), art("d2", "", "apple")});
  const std::string seg = *manifest_segs(dir.path()).begin();
  uint64_t off = 0;
  {
    Searcher s(dir.path().string());
    auto info = s.segment(0).term("zzzz");
    REQUIRE(info);
    REQUIRE(info->df == 1);
    off = info->postings_offset;
  }
  const fs::path pf = dir.path() / seg / format::kPostingsFile;
  const std::string file = slurp(pf);
  std::string p(checked_body(file, format::kPostingsMagic, pf.string(), true));
  REQUIRE(off < p.size());
  // zzzz is the last term in the dictionary, so its postings end the file
  // (before the zero padding): rewrite them, with checksums that match, so
  // that only the bounds checks stand in the way.
  // A one-block term of fewer than 128 documents (docs/format.md): impacts,
  // data and position sizes, positions checksum, data, one checksum of it all.
  ByteReader r(std::string_view(p).substr(off));
  REQUIRE(r.varint() == 1);  // one impact: (freq, length)
  const uint64_t impact_freq = r.varint();
  const uint64_t impact_length = r.varint();
  r.varint();                // data bytes
  const uint64_t pos_bytes = r.varint();
  REQUIRE(pos_bytes > 0);
  const uint32_t pos_check = r.u32();
  const uint32_t doc = 0x0FFFFFFF;
  std::string data;
  put_varint(data, uint64_t{doc} << 1 | 1);  // gap from 0, frequency 1
  std::string crafted;
  put_varint(crafted, 1);
  put_varint(crafted, impact_freq);
  put_varint(crafted, impact_length);
  put_varint(crafted, data.size());
  put_varint(crafted, pos_bytes);
  put_u32(crafted, pos_check);
  crafted += data;
  put_u32(crafted, checksum32(crafted));
  data.clear();
  p = p.substr(0, off) + crafted + data + std::string(format::kTailPadding, '\0');
  append_footer(p, format::kPostingsMagic);
  spit(pf, p);

  Searcher s(dir.path().string());
  Query q = s.parse("zzzz");
  CHECK_NOTHROW(s.count(s.parse("apple")));
  try {
    s.count(q);
    s.matching_ids(q);
  } catch (const std::runtime_error&) {
  }
  bool threw = false;
  try {
    SearchOptions o;
    s.search(q, o);  // scores the hit: reads the length column
  } catch (const std::runtime_error&) {
    threw = true;
  }
  CHECK(threw);
  threw = false;
  try {
    SearchOptions o;
    o.sort = SearchOptions::Sort::Newest;
    s.search(s.parse("apple OR zzzz"), o);
  } catch (const std::runtime_error&) {
    threw = true;
  }
  CHECK(threw);
}

TEST_CASE("a doc-store block offset that wraps around is rejected") {
  TempDir dir;
  build(dir.path(), {art("d0", "Title", "body text"), art("d1", "Other", "more body")});
  const std::string seg = *manifest_segs(dir.path()).begin();
  const fs::path sf = dir.path() / seg / format::kDocStoreFile;
  const std::string file = slurp(sf);
  std::string st(checked_body(file, format::kDocStoreMagic, sf.string(), true));
  // Tail of the body: u64 index offset, u32 docs, u64 index checksum. Index:
  // u32 n_dicts (none for two records), u64 raw bytes, u32 n_blocks, then
  // per block u32 first_doc, u64 offset, u32 size, u32 dictionary.
  uint64_t index_offset;
  std::memcpy(&index_offset, st.data() + st.size() - 20, 8);
  REQUIRE(index_offset + 16 + 20 <= st.size() - 20);
  uint32_t n_dicts, n_blocks;
  std::memcpy(&n_dicts, st.data() + index_offset, 4);
  std::memcpy(&n_blocks, st.data() + index_offset + 12, 4);
  REQUIRE(n_dicts == 0);
  REQUIRE(n_blocks == 1);
  // offset + size wraps to 1: passes "offset + size > index_offset". The
  // checksums are made to match, so only the bounds checks stand in the way.
  const uint64_t bad_offset = 0 - uint64_t{0xFFFFFFFF} + 1;
  const uint32_t bad_size = 0xFFFFFFFF;
  std::memcpy(&st[index_offset + 20], &bad_offset, 8);
  std::memcpy(&st[index_offset + 28], &bad_size, 4);
  const uint64_t index_sum = checksum64(std::string_view(st).substr(index_offset, st.size() - 20 - index_offset));
  std::memcpy(&st[st.size() - 8], &index_sum, 8);
  append_footer(st, format::kDocStoreMagic);
  spit(sf, st);
  bool threw = false;
  try {
    Searcher s(dir.path().string());
    SearchOptions o;
    auto r = s.search(s.parse("body"), o);
    for (const auto& h : r.hits) s.document(h);
  } catch (const std::runtime_error&) {
    threw = true;
  }
  CHECK(threw);
}

namespace {

// Brute force for prefix queries: the articles with a title or body word
// that, folded as written, starts with `prefix`.
Ids brute_prefix(const std::vector<Article>& arts, const std::string& prefix, bool title_only = false) {
  Analyzer plain("none");
  Ids out;
  for (const Article& a : arts) {
    std::vector<Token> toks;
    plain.analyze(a.title, false, toks);
    if (!title_only) plain.analyze(a.body, false, toks);
    for (const Token& t : toks)
      if (t.term.starts_with(prefix)) {
        out.push_back(a.id);
        break;
      }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("prefix queries match written forms exactly, whatever the stems and segments") {
  // Words whose stems are shared, not shared, or differ from the written form.
  const std::vector<std::string> words{"rate",     "rates",     "rated",    "rating",    "ratings",  "minister",
                                       "ministers", "ministry",  "ministerial", "ship",  "ships",    "shipping",
                                       "shipped",  "shipper",   "currency", "currencies", "happy",  "happiness",
                                       "negotiate", "negotiations", "Gdańsk", "gdansk", "ÉLAN",    "elan"};
  std::mt19937 rng(8);
  std::vector<Article> arts;
  for (int i = 0; i < 300; ++i) {
    std::string title, body;
    for (int n = 1 + static_cast<int>(rng() % 3); n > 0; --n) title += words[rng() % words.size()] + " ";
    // Later articles use more of the vocabulary, so a stem's second form often turns up
    // only after its first one has had many documents.
    const size_t vocab = std::min(words.size(), 4 + static_cast<size_t>(i) / 12);
    for (int n = 2 + static_cast<int>(rng() % 8); n > 0; --n) body += words[rng() % vocab] + " ";
    arts.push_back(art(N("w", i), title, body, kNoDate));
  }
  for (size_t budget : {size_t{1} << 30, size_t{30000}}) {
    TempDir dir;
    IndexWriterOptions o = opts();
    o.ram_budget_bytes = budget;
    build(dir.path(), arts, o);
    Searcher s(dir.path().string());
    INFO("segments " << s.segment_count());
    for (const char* p : {"rat", "rate", "rates", "rati", "minister", "ministe", "ministr", "ship", "shipp",
                          "shipper", "currenc", "currency", "happi", "happy", "negotiat", "gdansk", "ela", "e", "z"}) {
      INFO("prefix " << p);
      CHECK(sorted(M(s, std::string(p) + "*")) == brute_prefix(arts, p));
      CHECK(sorted(M(s, "title:" + std::string(p) + "*")) == brute_prefix(arts, p, true));
      CHECK(s.count(s.parse(std::string(p) + "*")) == brute_prefix(arts, p).size());
    }
  }
}

TEST_CASE("a prefix that expands to too many words is refused at its column, in count and search") {
  TempDir dir;
  std::string body;
  for (size_t i = 0; i <= kMaxPrefixExpansions; ++i) body.append("x").append(std::to_string(100000 + i)).append("q ");
  build(dir.path(), {art("big", "", body, kNoDate)});
  Searcher s(dir.path().string());
  const Query q = s.parse("rates x*");
  CHECK_THROWS_WITH_AS(s.count(q), doctest::Contains("'x*' matches more than 10000 different words"), QueryError);
  try {
    s.search(q, SearchOptions{});
    FAIL("no error");
  } catch (const QueryError& e) {
    CHECK(e.column() == 6);
    CHECK(std::string(e.what()).find("make the prefix longer") != std::string::npos);
  }
  // A longer prefix is fine.
  CHECK(s.count(s.parse("x1000*")) == 1);
}
