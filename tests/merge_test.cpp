// Merging segments (indexer/segment_merger.h) and choosing merges
// (indexer/merge_policy.h). The merger's reference is SegmentWriter: merging
// segments must give the files SegmentWriter writes for the same live
// articles, byte for byte.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/analyzer.h"
#include "common/checksum.h"
#include "common/file_util.h"
#include "corpus/article.h"
#include "common/varint.h"
#include "indexer/deletes.h"
#include "indexer/document_terms.h"
#include "indexer/format.h"
#include "indexer/index_writer.h"
#include "indexer/manifest.h"
#include "indexer/merge_policy.h"
#include "indexer/segment_merger.h"
#include "indexer/segment_reader.h"
#include "indexer/segment_writer.h"
#include "searcher/searcher.h"
#include "test_util.h"

using namespace dateline;
using dateline::testing::TempDir;
namespace fs = std::filesystem;

namespace {

const char* const kSegmentFiles[] = {format::kTermsFile, format::kPostingsFile, format::kPositionsFile,
                                     format::kColumnsFile, format::kDocStoreFile, format::kFacetsFile};

// Deterministic articles that exercise every kind of term: stems with one or
// several written forms (in the title and the body), numbers and dotted
// acronyms (never stemmed), accents, words of one article only, a word in
// every article (many postings blocks), speakers, typed entities and aliases.
class ArticleMaker {
 public:
  explicit ArticleMaker(uint32_t seed) : rng_(seed) {}

  Article make(uint32_t i) {
    Article a;
    a.id = "art-" + std::to_string(i);
    a.date = pick(5) == 0 ? kNoDate : static_cast<DayNumber>(19000 + pick(2000));
    a.title = words(1 + pick(5));
    a.body = "the " + words(5 + pick(60)) + " unique" + std::to_string(i) + " " + words(pick(10));
    a.url = pick(2) ? "https://news.example/" + std::to_string(i) : "";
    a.source = pick(3) ? "wire" : "";
    a.author = pick(4) ? "Desk " + std::to_string(pick(5)) : "";
    a.file = "feed-" + std::to_string(i / 50) + ".jsonl";
    a.line = i % 50 + 1;
    for (uint32_t n = pick(3); n > 0; --n) a.speakers.push_back(kSpeakers[pick(std::size(kSpeakers))]);
    for (uint32_t n = pick(4); n > 0; --n) {
      const uint32_t e = pick(std::size(kEntities));
      a.entities.push_back(Entity{kEntities[e], static_cast<EntityType>(e % 4)});
    }
    if (pick(4) == 0) a.aliases.push_back(NameAlias{"CFTC", "Commodity Futures Trading Commission", EntityType::Organization});
    if (pick(6) == 0) a.aliases.push_back(NameAlias{"Fed", "Federal Reserve", EntityType::Organization});
    // A quotation of the first speaker: from the body's start to its 3rd to 8th space.
    if (!a.speakers.empty() && pick(2) == 0) {
      size_t end = 0;
      for (uint32_t n = 3 + pick(6); n > 0 && end != std::string::npos; --n) end = a.body.find(' ', end + 1);
      if (end != std::string::npos && end > 0)
        a.quotes.push_back(Quotation{a.speakers[0], SpeakerKind::Person, pick(2) ? QuoteKind::Direct : QuoteKind::Reported,
                                     "say", 0, static_cast<uint32_t>(end)});
    }
    return a;
  }

 private:
  uint32_t pick(size_t n) { return static_cast<uint32_t>(rng_() % n); }
  std::string words(uint32_t n) {
    std::string s;
    for (uint32_t k = 0; k < n; ++k) {
      if (k) s += ' ';
      const auto& family = kFamilies[pick(std::size(kFamilies))];
      // Zipf-like: the first form of a family is the most common.
      size_t f = 0;
      while (f + 1 < family.size() && pick(3) == 0) ++f;
      s += family[f];
    }
    return s;
  }

  static inline const std::vector<std::string> kFamilies[] = {
      {"minister", "ministers", "Ministerial", "ministry"},
      {"rates", "rate", "rated", "rating"},
      {"bank", "banks", "banking", "banked"},
      {"election", "elections", "elected", "elect"},
      {"talks", "talk", "talked", "talking"},
      {"cries", "cry", "cried", "crib"},
      {"Gdańsk", "gdansk", "GDANSK"},
      {"Tromsø"},
      {"São", "Paulo"},
      {"2024", "3.5", "1,000", "U.S."},
      {"said"},
      {"wind", "winds", "windy"},
      {"north", "sea"},
  };
  static inline const char* const kSpeakers[] = {"Anna Halvorsen", "Mark Rutte", "Jens Berg", "Ola Nordmann"};
  static inline const char* const kEntities[] = {"Nordic Fund", "Anna Halvorsen", "World Bank", "Norway",
                                                 "Acme Group", "Mark Rutte", "Federal Reserve", "Gdańsk"};
  std::mt19937 rng_;
};

std::vector<Article> make_articles(uint32_t n, uint32_t seed) {
  ArticleMaker m(seed);
  std::vector<Article> out;
  for (uint32_t i = 0; i < n; ++i) out.push_back(m.make(i));
  return out;
}

// Writes `arts` with SegmentWriter as segment DIR/name.
SegmentInfo write_segment(const fs::path& dir, const std::string& name, const std::vector<Article>& arts,
                          Analyzer& analyzer) {
  SegmentWriter w((dir / name).string(), name);
  for (const Article& a : arts) w.add(a, analyze_article(a, analyzer));
  return w.finish();
}

// XXH64 of each file of segment DIR/name, in kSegmentFiles order.
std::vector<uint64_t> file_checksums(const fs::path& dir, const std::string& name) {
  std::vector<uint64_t> out;
  for (const char* f : kSegmentFiles) out.push_back(checksum64(read_file((dir / name / f).string())));
  return out;
}

// Readers of the segments of the index in DIR, and pointers for a merge.
struct OpenSegments {
  OpenSegments(const fs::path& dir, const std::vector<SegmentInfo>& infos) {
    for (const SegmentInfo& info : infos) {
      readers.push_back(std::make_unique<SegmentReader>(dir.string(), info));
      ptrs.push_back(readers.back().get());
    }
  }
  std::vector<std::unique_ptr<SegmentReader>> readers;
  std::vector<const SegmentReader*> ptrs;
};

// A source segment of a merge: its articles and which of them are deleted.
struct Source {
  std::vector<Article> arts;
  std::set<uint32_t> deleted;
};

// Writes a deletions file for `deleted` (local doc ids) into segment `info`.
void delete_docs(const fs::path& dir, SegmentInfo& info, const std::set<uint32_t>& deleted) {
  if (deleted.empty()) return;
  DeletedDocs bits(info.docs);
  for (uint32_t d : deleted) bits.set(d);
  info.deletes = deletes_file_name(1);
  info.deleted = bits.count();
  write_deletes((dir / info.name / info.deletes).string(), bits);
}

// The sources written as segments seg-000001... of DIR, with their deletions.
std::vector<SegmentInfo> write_sources(const fs::path& dir, const std::vector<Source>& sources, Analyzer& analyzer) {
  std::vector<SegmentInfo> infos;
  for (size_t i = 0; i < sources.size(); ++i) {
    infos.push_back(write_segment(dir, "seg-00000" + std::to_string(i + 1), sources[i].arts, analyzer));
    delete_docs(dir, infos.back(), sources[i].deleted);
  }
  return infos;
}

// Opens the segments and merges them into DIR/name.
SegmentInfo merge_segments(const fs::path& dir, const std::vector<SegmentInfo>& infos, const std::string& name,
                           Analyzer& analyzer, const fs::path& out_dir = {}) {
  const OpenSegments open(dir, infos);
  return SegmentMerger(analyzer).merge(open.ptrs, ((out_dir.empty() ? dir : out_dir) / name).string(), name);
}

// The live articles of the sources, in merged order.
std::vector<Article> live_articles(const std::vector<Source>& sources) {
  std::vector<Article> out;
  for (const Source& s : sources)
    for (uint32_t d = 0; d < s.arts.size(); ++d)
      if (!s.deleted.count(d)) out.push_back(s.arts[d]);
  return out;
}

// The bytes of every file of segment DIR/name, in kSegmentFiles order.
std::vector<std::string> segment_bytes(const fs::path& dir, const std::string& name) {
  std::vector<std::string> out;
  for (const char* f : kSegmentFiles) out.push_back(read_file((dir / name / f).string()));
  return out;
}

// Merges the sources and checks the merged segment against the one
// SegmentWriter writes for their live articles: same bytes in every file,
// same counts. Returns the merged segment's info.
SegmentInfo check_merge_is_fresh(const fs::path& dir, const std::vector<Source>& sources, Analyzer& analyzer) {
  const std::vector<SegmentInfo> infos = write_sources(dir, sources, analyzer);
  const SegmentInfo merged = merge_segments(dir, infos, "seg-merged", analyzer);
  const SegmentInfo fresh = write_segment(dir, "seg-fresh", live_articles(sources), analyzer);
  const auto got = segment_bytes(dir, "seg-merged"), want = segment_bytes(dir, "seg-fresh");
  for (size_t i = 0; i < got.size(); ++i) {
    INFO(kSegmentFiles[i]);
    CHECK(got[i].size() == want[i].size());
    CHECK(got[i] == want[i]);
  }
  const auto counts = [](const SegmentInfo& s) {
    return std::tuple(s.docs, s.terms, s.postings, s.positions, s.text_tokens, s.min_date, s.max_date, s.deleted);
  };
  CHECK(merged.name == "seg-merged");
  CHECK(counts(merged) == counts(fresh));
  CHECK(merged.deletes.empty());
  CHECK(fs::directory_iterator(dir / "seg-merged") != fs::directory_iterator());
  for (const auto& e : fs::directory_iterator(dir / "seg-merged"))  // nothing left over
    CHECK(std::find(std::begin(kSegmentFiles), std::end(kSegmentFiles), e.path().filename()) != std::end(kSegmentFiles));
  return merged;
}

// The dictionary entry of `term` in segment DIR/info.
std::optional<TermInfo> entry(const fs::path& dir, const SegmentInfo& info, const std::string& term) {
  return SegmentReader(dir.string(), info).term(term);
}

bool same_entry(const std::optional<TermInfo>& a, const std::optional<TermInfo>& b) {
  return a && b && a->df == b->df && a->postings_offset == b->postings_offset &&
         a->positions_offset == b->positions_offset;
}

// A segment's info for reading its dictionary (no deletions).
SegmentInfo segment_named(const std::string& name, uint32_t docs) {
  SegmentInfo info;
  info.name = name;
  info.docs = docs;
  return info;
}

Article simple(std::string id, std::string title, std::string body) {
  Article a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.body = std::move(body);
  return a;
}

// The hits of a query: ids and scores, in rank order.
std::vector<std::pair<std::string, double>> ranked(Searcher& s, const std::string& q, SearchOptions::Sort sort) {
  SearchOptions o;
  o.limit = 40;
  o.sort = sort;
  std::vector<std::pair<std::string, double>> out;
  for (const ScoredDoc& d : s.search(s.parse(q), o).hits) out.emplace_back(s.doc_id(d), d.score);
  return out;
}

std::multiset<std::string> matching(Searcher& s, const std::string& q) {
  const auto ids = s.matching_ids(s.parse(q));
  return {ids.begin(), ids.end()};
}

}  // namespace

TEST_CASE("merging random segments with random deletions gives SegmentWriter's bytes") {
  std::mt19937 rng(11);
  Analyzer english("english", true), unfolded("english", false), none("none", true);
  Analyzer* analyzers[] = {&english, &unfolded, &none};
  for (int round = 0; round < 24; ++round) {
    TempDir dir("dateline-merge");
    ArticleMaker maker(static_cast<uint32_t>(round));
    const double rates[] = {0.0, 0.05, 0.5, 1.0};
    std::vector<Source> sources(1 + rng() % 5);
    uint32_t next = 0;
    for (Source& s : sources) {
      const uint32_t n = rng() % 4 == 0 ? rng() % 5 : rng() % 400;  // some tiny, some of several blocks
      const double rate = rates[rng() % 4];
      for (uint32_t d = 0; d < n; ++d) {
        s.arts.push_back(maker.make(next++));
        if (std::uniform_real_distribution<double>(0, 1)(rng) < rate) s.deleted.insert(d);
      }
    }
    INFO("round " << round);
    check_merge_is_fresh(dir.path(), sources, *analyzers[round % 3]);
  }
}

TEST_CASE("a written form shared in one source gets its own postings when the merge adds a second form") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  const std::vector<Source> sources = {{{simple("a1", "Ministers meet", "ministers said")}, {}},
                                       {{simple("b1", "Budget", "the minister said")}, {}}};
  const SegmentInfo merged = check_merge_is_fresh(dir.path(), sources, an);
  // In the first source "ministers" is the only form of "minist": it shares.
  const SegmentInfo first = segment_named("seg-000001", 1);
  CHECK(same_entry(entry(dir.path(), first, "Wministers"), entry(dir.path(), first, "minist")));
  const auto stem = entry(dir.path(), merged, "minist");
  const auto form = entry(dir.path(), merged, "Wministers");
  REQUIRE(stem);
  REQUIRE(form);
  CHECK(stem->df == 2);
  CHECK(form->df == 1);
  CHECK(form->postings_offset != stem->postings_offset);
  CHECK(entry(dir.path(), merged, "Wminister")->df == 1);
  // The title's form still shares with the title stem.
  CHECK(same_entry(entry(dir.path(), merged, "WTministers"), entry(dir.path(), merged, "Tminist")));
}

TEST_CASE("written forms that had postings of their own share their stem's when a deletion leaves one form") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  const std::vector<Source> sources = {
      {{simple("a1", "Rates", "rates rise"), simple("a2", "Rate", "the rate fell"), simple("a3", "x", "rated")}, {1, 2}},
      {{simple("b1", "Talks", "more rates")}, {}}};
  const SegmentInfo merged = check_merge_is_fresh(dir.path(), sources, an);
  const SegmentInfo first = segment_named("seg-000001", 3);
  CHECK_FALSE(same_entry(entry(dir.path(), first, "Wrates"), entry(dir.path(), first, "rate")));
  CHECK(same_entry(entry(dir.path(), merged, "Wrates"), entry(dir.path(), merged, "rate")));
  CHECK(entry(dir.path(), merged, "rate")->df == 2);
  // Forms and terms of deleted documents only are gone.
  CHECK_FALSE(entry(dir.path(), merged, "Wrate"));
  CHECK_FALSE(entry(dir.path(), merged, "Wrated"));
  CHECK_FALSE(entry(dir.path(), merged, "fell"));
  CHECK_FALSE(entry(dir.path(), merged, "Ia2"));
  CHECK(entry(dir.path(), merged, "Ia1"));
}

TEST_CASE("id and alias terms are merged and dropped with their documents") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  Article a = simple("x-1", "CFTC rules", "The CFTC said");
  a.aliases.push_back(NameAlias{"CFTC", "Commodity Futures Trading Commission", EntityType::Organization});
  a.entities.push_back(Entity{"Commodity Futures Trading Commission", EntityType::Organization});
  Article b = a, c = a;
  b.id = "x-2";
  c.id = "x-1";  // the same id twice: both are indexed
  c.aliases.push_back(NameAlias{"Fed", "Federal Reserve", EntityType::Organization});
  const SegmentInfo merged = check_merge_is_fresh(dir.path(), {{{a, b}, {1}}, {{c}, {}}}, an);
  const std::string alias = "AOcftc\x1f" "Commodity Futures Trading Commission";
  CHECK(entry(dir.path(), merged, alias)->df == 2);
  CHECK(entry(dir.path(), merged, "Ix-1")->df == 2);
  CHECK_FALSE(entry(dir.path(), merged, "Ix-2"));
  CHECK(entry(dir.path(), merged, "AOfed\x1f" "Federal Reserve")->df == 1);
}

TEST_CASE("merging long posting lists: many blocks, deletions at block edges") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  std::vector<Source> sources(3);
  ArticleMaker maker(5);
  for (uint32_t i = 0; i < 1500; ++i) sources[i % 3].arts.push_back(maker.make(i));
  for (uint32_t d : {0u, 127u, 128u, 255u, 256u, 499u}) sources[0].deleted.insert(d);
  for (uint32_t d = 0; d < 500; d += 2) sources[1].deleted.insert(d);
  const SegmentInfo merged = check_merge_is_fresh(dir.path(), sources, an);
  CHECK(merged.docs == 1500 - 6 - 250);
  CHECK(entry(dir.path(), merged, "the")->df == merged.docs);
}

TEST_CASE("merging nothing, or only deleted documents, gives an empty segment") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  ArticleMaker maker(3);
  Source all_deleted{{maker.make(0), maker.make(1)}, {0, 1}};
  const SegmentInfo merged = check_merge_is_fresh(dir.path(), {all_deleted, {}}, an);
  CHECK(merged.docs == 0);
  CHECK(merged.terms == 0);
  CHECK(merged.min_date == kNoDate);
  const SegmentReader empty(dir.path().string(), merged);
  CHECK(empty.dict().size() == 0);
  const SegmentInfo none = SegmentMerger(an).merge({}, (dir.path() / "seg-none").string(), "seg-none");
  CHECK(segment_bytes(dir.path(), "seg-none") == segment_bytes(dir.path(), "seg-fresh"));
  CHECK(none.docs == 0);
}

TEST_CASE("a merge never overwrites a directory and never changes its sources") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  const std::vector<SegmentInfo> infos = write_sources(dir.path(), {{make_articles(50, 1), {3, 4}}}, an);
  const auto before = segment_bytes(dir.path(), infos[0].name);
  const std::string deletes = read_file((dir.path() / infos[0].name / infos[0].deletes).string());
  merge_segments(dir.path(), infos, "seg-merged", an);
  CHECK(segment_bytes(dir.path(), infos[0].name) == before);
  CHECK(read_file((dir.path() / infos[0].name / infos[0].deletes).string()) == deletes);
  CHECK_THROWS_AS(merge_segments(dir.path(), infos, "seg-merged", an), std::runtime_error);
  CHECK(fs::exists(dir.path() / "seg-merged" / format::kTermsFile));  // the first merge's, untouched
}

TEST_CASE("MergeDocMap numbers the live documents of the sources in order") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  std::vector<Source> sources = {{make_articles(130, 1), {}}, {make_articles(200, 2), {}}, {make_articles(3, 3), {}}};
  for (uint32_t d = 0; d < 200; d += 3) sources[1].deleted.insert(d);
  sources[2].deleted = {0, 1, 2};
  const OpenSegments open(dir.path(), write_sources(dir.path(), sources, an));
  const MergeDocMap map(open.ptrs);
  uint32_t next = 0;
  for (size_t s = 0; s < sources.size(); ++s)
    for (uint32_t d = 0; d < sources[s].arts.size(); ++d)
      CHECK(map.map(s, d) == (sources[s].deleted.count(d) ? MergeDocMap::kDeleted : next++));
  CHECK(map.docs() == next);
  CHECK(next == 130 + 200 - 67);
}

TEST_CASE("TermDict::Iterator walks the dictionary in order, from any term") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  const SegmentInfo info = write_segment(dir.path(), "seg-000001", make_articles(300, 8), an);
  const SegmentReader seg(dir.path().string(), info);
  std::vector<std::pair<std::string, uint64_t>> all;
  seg.dict().for_each([&](std::string_view t, const TermInfo& i) { all.emplace_back(t, i.postings_offset); });
  REQUIRE(all.size() > 100);
  std::vector<std::pair<std::string, uint64_t>> walked;
  for (TermDict::Iterator it(seg.dict()); !it.done(); it.next()) walked.emplace_back(it.term(), it.info().postings_offset);
  CHECK(walked == all);
  const std::vector<std::string> froms = {"", "W", "Wminist", "minister", "t", "zzz", "\xff", all[17].first, all.back().first};
  for (const std::string& from : froms) {
    TermDict::Iterator it(seg.dict(), from);
    const auto want = std::lower_bound(all.begin(), all.end(), from, [](const auto& e, const std::string& f) { return e.first < f; });
    if (want == all.end()) {
      CHECK(it.done());
    } else {
      REQUIRE_FALSE(it.done());
      CHECK(it.term() == want->first);
    }
  }
  const SegmentInfo empty = write_segment(dir.path(), "seg-000002", {}, an);
  CHECK(TermDict::Iterator(SegmentReader(dir.path().string(), empty).dict()).done());
}

TEST_CASE("TermDict::find finds every term and nothing else, without spelling entries out") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  const SegmentInfo info = write_segment(dir.path(), "seg-000001", make_articles(300, 9), an);
  const SegmentReader seg(dir.path().string(), info);
  std::vector<std::pair<std::string, TermInfo>> all;
  seg.dict().for_each([&](std::string_view t, const TermInfo& i) { all.emplace_back(t, i); });
  REQUIRE(all.size() > 100);
  std::map<std::string, uint64_t> present;  // term -> postings offset
  for (const auto& [t, i] : all) present[t] = i.postings_offset;
  size_t absent = 0;
  for (const auto& [t, want] : all) {
    const auto got = seg.dict().find(t);
    REQUIRE(got);
    CHECK(got->df == want.df);
    CHECK(got->postings_offset == want.postings_offset);
    CHECK(got->positions_offset == want.positions_offset);
    // Neighbours that share a prefix with real terms: shorter, longer,
    // one byte changed up or down (front coding's hard cases).
    std::vector<std::string> near = {t.substr(0, t.size() - 1), t + "a", t + "\xff", t + std::string(1, '\0')};
    for (size_t k = 0; k < t.size(); ++k)
      for (int d : {-1, 1}) {
        std::string u = t;
        u[k] = static_cast<char>(static_cast<unsigned char>(u[k]) + d);
        near.push_back(u);
      }
    for (const std::string& u : near) {
      const auto f = seg.dict().find(u);
      if (present.count(u)) {
        REQUIRE(f);
        CHECK(f->postings_offset == present[u]);
      } else {
        CHECK_FALSE(f);
        ++absent;
      }
    }
  }
  CHECK(absent > all.size());
  CHECK_FALSE(seg.dict().find(""));
  const SegmentInfo empty = write_segment(dir.path(), "seg-000002", {}, an);
  CHECK_FALSE(SegmentReader(dir.path().string(), empty).dict().find("rate"));
}

TEST_CASE("written_form_stem re-stems written forms with the index's analyzer") {
  Analyzer english("english", true), none("none", true);
  CHECK(written_form_stem("Wministers", english) == "minist");
  CHECK(written_form_stem("WTministers", english) == "Tminist");
  CHECK(written_form_stem("W3.5", english) == "3.5");
  CHECK(written_form_stem("ministers", english).empty());
  CHECK(written_form_stem("Tministers", english).empty());
  CHECK(written_form_stem("Wministers", none).empty());
}

TEST_CASE("a merge copies large sources' stored blocks and dictionaries as they are") {
  TempDir dir("dateline-merge");
  Analyzer english("english", true);
  // A small source first (its records are held for the new dictionary
  // while the copied blocks of the next source are written), then two
  // sources with dictionaries, one with deletions (its blocks that hold
  // them are compressed again).
  const std::vector<Article> arts = make_articles(830, 5);
  std::vector<Source> sources(3);
  sources[0].arts.assign(arts.begin(), arts.begin() + 30);
  sources[1].arts.assign(arts.begin() + 30, arts.begin() + 430);
  sources[2].arts.assign(arts.begin() + 430, arts.end());
  for (uint32_t d = 3; d < 400; d += 37) sources[1].deleted.insert(d);
  const std::vector<SegmentInfo> infos = write_sources(dir.path(), sources, english);
  const OpenSegments open(dir.path(), infos);
  REQUIRE(open.ptrs[1]->store_dictionary_count() == 1);
  REQUIRE(open.ptrs[2]->store_dictionary_count() == 1);
  const std::vector<Article> live = live_articles(sources);
  for (const uint32_t max_dicts : {16u, 1u}) {
    CAPTURE(max_dicts);
    const std::string name = "seg-copied" + std::to_string(max_dicts);
    const SegmentInfo merged = SegmentMerger(english, {0, max_dicts}).merge(open.ptrs, (dir.path() / name).string(), name);
    const SegmentReader r(dir.path().string(), merged);
    // Both sources' dictionaries, or the first and one trained for the rest.
    CHECK(r.store_dictionary_count() == 2);
    REQUIRE(r.docs() == live.size());
    uint64_t raw = 0;
    for (uint32_t d = 0; d < r.docs(); ++d) {
      const Article a = r.document(d);
      CHECK(a.id == live[d].id);
      CHECK(a.body == live[d].body);
      std::string prefix;  // each record is stored after its length
      put_varint(prefix, r.record(d).size());
      raw += r.record(d).size() + prefix.size();
    }
    CHECK(r.stored_raw_bytes() == raw);
    // Every other file is the one a fresh write gives.
    const auto got = segment_bytes(dir.path(), name);
    const SegmentInfo fresh = write_segment(dir.path(), "seg-fresh" + std::to_string(max_dicts), live, english);
    const auto want = segment_bytes(dir.path(), fresh.name);
    for (size_t i = 0; i < got.size(); ++i)
      if (std::string_view(kSegmentFiles[i]) != format::kDocStoreFile) CHECK(got[i] == want[i]);
  }
  // A damaged copied dictionary is found when the segment opens.
  const SegmentInfo merged = SegmentMerger(english, {0, 16}).merge(open.ptrs, (dir.path() / "seg-x").string(), "seg-x");
  const fs::path sf = dir.path() / "seg-x" / format::kDocStoreFile;
  std::string file = read_file(sf.string());
  const std::string_view copied = open.ptrs[2]->store_dictionary(0);
  const size_t at = file.find(copied.substr(0, 64));
  REQUIRE(at != std::string::npos);
  file[at + 100] ^= 0x11;
  std::ofstream(sf, std::ios::binary | std::ios::trunc) << file;
  std::string what;
  try {
    SegmentReader r(dir.path().string(), merged);
  } catch (const CorruptIndex& e) {
    what = e.what();
  }
  CHECK(what.find(format::kDocStoreFile) != std::string::npos);
  CHECK(what.find("dictionary at byte " + std::to_string(at)) != std::string::npos);
}

TEST_CASE("SegmentWriter output is pinned: the same articles give the same bytes") {
  // Checksums of the files as SegmentWriter writes them (format 13: group impacts, name pairs and facet columns at whole-byte widths included, doc-store
  // dictionaries listed in the store's index, doc-store
  // blocks of at least 1 KiB, impacts capped by merging neighbours); a
  // change to the format changes them, any other change must not.
  TempDir dir("dateline-merge");
  Analyzer english("english", true);
  Analyzer none("none", false);
  const std::vector<Article> arts = make_articles(700, 7);
  write_segment(dir.path(), "seg-a", arts, english);
  write_segment(dir.path(), "seg-b", {}, english);
  write_segment(dir.path(), "seg-c", std::vector<Article>(arts.begin(), arts.begin() + 40), none);
  CHECK(file_checksums(dir.path(), "seg-a") == std::vector<uint64_t>{15734205658415092089u, 13380683449966973528u, 16901678456440888409u, 17904403955714853298u,
                                                                     15303169279203009937u, 6314491835512231448u});
  CHECK(file_checksums(dir.path(), "seg-b") == std::vector<uint64_t>{7946318699963341039u, 14763962298078805351u, 17207373128546250228u, 6003468919313101190u,
                                                                     301086324701470924u, 5033988211338074805u});
  CHECK(file_checksums(dir.path(), "seg-c") == std::vector<uint64_t>{5252674215788140399u, 10123146956072305794u, 18206846608135906788u, 9625242476950444253u,
                                                                     8404636995757100409u, 7959375747241837526u});
}

TEST_CASE("every query answers the same on a merged index as on a fresh one and on the unmerged one") {
  TempDir root("dateline-merge");
  const fs::path idx = root.path() / "idx", merged = root.path() / "merged", fresh = root.path() / "fresh";
  std::vector<Article> arts = make_articles(900, 21);
  for (Article& a : arts)  // an alias comes with its entity, as the extractor gives them
    for (const NameAlias& al : a.aliases) a.entities.push_back(Entity{al.name, al.type});
  std::map<std::string, Article> latest;  // by id: the version the index holds
  IndexWriterOptions small;
  small.ram_budget_bytes = 96 * 1024;  // several segments per commit
  small.merge = false;                  // merged below, by the test
  {
    IndexWriter w(idx.string(), small);
    for (size_t i = 0; i < 600; ++i) w.add(arts[i]);
    w.commit();
    for (size_t i = 0; i < 600; i += 7) {  // replaced: the old version is deleted
      arts[i].body += " replaced version";
      w.add(arts[i]);
    }
    std::vector<std::string> gone;
    for (size_t i = 3; i < 600; i += 11) gone.push_back(arts[i].id);
    w.remove(gone);
    for (size_t i = 600; i < arts.size(); ++i) w.add(arts[i]);
    w.commit();
    for (const Article& a : arts) latest[a.id] = a;
    for (const std::string& id : gone) latest.erase(id);
  }
  const Manifest m = read_manifest(idx.string());
  REQUIRE(m.segments.size() >= 4);
  uint64_t deleted = 0;
  for (const SegmentInfo& s : m.segments) deleted += s.deleted;
  REQUIRE(deleted > 50);

  Analyzer an(m.stemmer, m.fold_accents);
  fs::create_directory(merged);
  Manifest mm = m;
  mm.segments = {merge_segments(idx, m.segments, "seg-000001", an, merged)};
  write_manifest(merged.string(), mm);
  {
    IndexWriter w(fresh.string(), IndexWriterOptions{});
    const OpenSegments open(idx, m.segments);
    for (const SegmentReader* seg : open.ptrs)
      for (uint32_t d = 0; d < seg->docs(); ++d)
        if (!seg->is_deleted(d)) w.add(latest.at(std::string(seg->doc_id(d))));
    w.commit();
  }
  const Manifest mf = read_manifest(fresh.string());
  REQUIRE(mf.segments.size() == 1);
  CHECK(segment_bytes(merged, "seg-000001") == segment_bytes(fresh, mf.segments[0].name));

  Searcher sm(merged.string()), sf(fresh.string()), su(idx.string());
  CHECK(sm.docs() == latest.size());
  CHECK(su.docs() == latest.size());
  const char* queries[] = {"the", "minister", "ministers", "minist*", "ministeri*", "\"north sea\"", "title:rates",
                           "title:minist*", "speaker:halvorsen", "speaker:\"mark rutte\"", "entity:\"world bank\"",
                           "org:cftc", "org:fed", "person:rutte", "place:norway", "date:2023", "date:2022-06-01..2024-01-31",
                           "gdansk", "tromso", "\"sao paulo\"", "rates OR banks", "rates AND NOT banks", "NOT said",
                           "wind NEAR/3 north", "id:art-5", "id:art-3", "replaced", "unique17", "unique3",
                           "\"talks said\"~2", "cries crib", "2024", "3.5", "u.s.", "+elect* -rating",
                           "quote:the", "quote:(rates NOT banks)", "said:rutte(the)", "said:\"anna halvorsen\"(rates OR banks)",
                           "quote:\"north sea\" OR quote:minister"};
  for (const char* q : queries) {
    INFO(q);
    CHECK(sm.count(sm.parse(q)) == sf.count(sf.parse(q)));
    CHECK(sm.count(sm.parse(q)) == su.count(su.parse(q)));
    CHECK(matching(sm, q) == matching(su, q));
    for (auto sort : {SearchOptions::Sort::Relevance, SearchOptions::Sort::Newest})
      CHECK(ranked(sm, q, sort) == ranked(sf, q, sort));
  }
  CHECK(sm.count(sm.parse("unique3")) == 0);  // a deleted article
  CHECK(sm.count(sm.parse("org:cftc")) > 100);
  CHECK(sm.count(sm.parse("minist*")) > 100);
  CHECK(sm.count(sm.parse("quote:the")) > 100);  // every quotation starts with "the"
}

namespace {

// Flips one byte of a file.
void flip_byte(const fs::path& file, size_t at) {
  std::string bytes = read_file(file.string());
  REQUIRE(at < bytes.size());
  bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
  fs::remove(file);
  write_file_durable(file.string(), bytes);
}

}  // namespace

TEST_CASE("a merge of a damaged source fails with CorruptIndex and leaves no segment") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  const std::vector<Source> sources = {{make_articles(300, 4), {5, 6, 200}}, {make_articles(200, 5), {}}};
  const std::vector<SegmentInfo> infos = write_sources(dir.path(), sources, an);
  merge_segments(dir.path(), infos, "seg-clean", an);
  const auto clean = segment_bytes(dir.path(), "seg-clean");
  const fs::path src = dir.path() / infos[1].name;
  const std::string originals[] = {read_file((src / format::kPostingsFile).string()),
                                   read_file((src / format::kPositionsFile).string()),
                                   read_file((src / format::kDocStoreFile).string())};
  const char* files[] = {format::kPostingsFile, format::kPositionsFile, format::kDocStoreFile};
  std::mt19937 rng(3);
  int detected = 0, tried = 0;
  for (int f = 0; f < 3; ++f) {
    for (int k = 0; k < 40; ++k, ++tried) {
      // Anywhere in the body (the trailer is checked when the file is opened).
      const size_t body = originals[f].size() - 20 - 4 * ((originals[f].size() + kChunkBytes - 1) / kChunkBytes);
      const size_t at = 8 + rng() % (body - 8);
      flip_byte(src / files[f], at);
      INFO(files[f] << " byte " << at);
      try {
        merge_segments(dir.path(), infos, "seg-merged", an);
        // Only bytes no reader uses (padding, ...) may go unnoticed: the merge is then the clean one.
        CHECK(segment_bytes(dir.path(), "seg-merged") == clean);
        fs::remove_all(dir.path() / "seg-merged");
      } catch (const CorruptIndex& e) {
        ++detected;
        CHECK(std::string(e.what()).find(files[f]) != std::string::npos);
        CHECK_FALSE(fs::exists(dir.path() / "seg-merged"));
      }
      fs::remove(src / files[f]);
      write_file_durable((src / files[f]).string(), originals[f]);
    }
  }
  MESSAGE(detected << " of " << tried << " damaged bytes detected");
  CHECK(detected > tried * 3 / 4);
}

TEST_CASE("a merge that cannot write its segment leaves nothing behind") {
  TempDir dir("dateline-merge");
  Analyzer an("english", true);
  const std::vector<SegmentInfo> infos = write_sources(dir.path(), {{make_articles(20, 4), {}}}, an);
  CHECK_THROWS(merge_segments(dir.path(), infos, "seg-x", an, dir.path() / "no-such-dir"));
  CHECK_FALSE(fs::exists(dir.path() / "no-such-dir"));
}

namespace {

SegmentInfo sized(uint64_t docs, uint64_t deleted = 0) {
  SegmentInfo s;
  s.docs = static_cast<uint32_t>(docs);
  s.deleted = static_cast<uint32_t>(deleted);
  return s;
}

uint64_t live_of(const SegmentInfo& s) { return s.docs - s.deleted; }

// An index as the merge policy sees it, through simulated commits,
// deletions and merges.
struct SimIndex {
  std::vector<SegmentInfo> segs;
  uint64_t added = 0, merged = 0;  // documents written by commits, by merges

  uint64_t live() const {
    uint64_t n = 0;
    for (const auto& s : segs) n += live_of(s);
    return n;
  }
  uint64_t deleted() const {
    uint64_t n = 0;
    for (const auto& s : segs) n += s.deleted;
    return n;
  }
  void commit(uint64_t docs) {
    segs.push_back(sized(docs));
    added += docs;
  }
  // Deletes n live documents picked uniformly; a segment left without
  // live documents is dropped, as IndexWriter does.
  void delete_random(uint64_t n, std::mt19937& rng) {
    for (; n > 0 && live() > 0; --n) {
      uint64_t pick = rng() % live();
      for (auto& s : segs) {
        if (pick < live_of(s)) {
          ++s.deleted;
          break;
        }
        pick -= live_of(s);
      }
    }
    std::erase_if(segs, [](const SegmentInfo& s) { return s.deleted == s.docs; });
  }
  // Each merged segment takes the place of its first source.
  void apply(const std::vector<MergeSet>& merges) {
    std::vector<SegmentInfo> next;
    std::vector<int> merge_of(segs.size(), -1);
    for (size_t m = 0; m < merges.size(); ++m)
      for (size_t i : merges[m]) merge_of[i] = static_cast<int>(m);
    for (size_t i = 0; i < segs.size(); ++i) {
      if (merge_of[i] < 0) {
        next.push_back(segs[i]);
      } else if (merges[merge_of[i]][0] == i) {
        uint64_t docs = 0;
        for (size_t j : merges[merge_of[i]]) docs += live_of(segs[j]);
        next.push_back(sized(docs));
        merged += docs;
      }
    }
    segs = std::move(next);
  }
};

// Every merge names existing segments, ascending, each in one merge only,
// at most `at_once` of them; a merge of one purges deletions.
void check_well_formed(const std::vector<SegmentInfo>& segs, const std::vector<MergeSet>& merges, size_t at_once) {
  std::set<size_t> seen;
  for (const MergeSet& m : merges) {
    REQUIRE(!m.empty());
    CHECK(m.size() <= at_once);
    CHECK(std::is_sorted(m.begin(), m.end()));
    for (size_t i : m) {
      REQUIRE(i < segs.size());
      CHECK(seen.insert(i).second);
    }
    if (m.size() == 1) CHECK(segs[m[0]].deleted > 0);
  }
}

// The most segments a settled index of `live` documents may keep: a tier
// of segments_per_tier per factor of 10 above the floor, plus the segments
// that are done (above half the largest size).
size_t segment_bound(const std::vector<SegmentInfo>& segs, uint64_t live, const MergePolicyOptions& o) {
  size_t done = 0;
  for (const auto& s : segs) done += live_of(s) > o.max_segment_docs / 2;
  const double tiers = std::ceil(std::log10(std::max<double>(1.0, static_cast<double>(live) / o.floor_segment_docs))) + 1;
  return static_cast<size_t>(o.segments_per_tier * tiers) + done;
}

struct SimStats {
  size_t most_segments = 0, merges = 0, purges = 0;  // merges of several segments, of one
  size_t floor_merges = 0;                            // merges within the floor tier
  double skew_sum = 0;
};

// Applies find_merges until it has nothing to do, checking each merge.
void settle(SimIndex& idx, const MergePolicy& policy, SimStats& stats) {
  const MergePolicyOptions& o = policy.options();
  for (int round = 0;; ++round) {
    REQUIRE(round < 100);  // it terminates
    const std::vector<MergeSet> merges = policy.find_merges(idx.segs);
    if (merges.empty()) return;
    check_well_formed(idx.segs, merges, o.max_merge_at_once);
    for (const MergeSet& m : merges) {
      uint64_t size = 0, largest = 0;
      for (size_t i : m) {
        size += live_of(idx.segs[i]);
        largest = std::max<uint64_t>(largest, live_of(idx.segs[i]));
      }
      if (m.size() > 1) CHECK(size <= o.max_segment_docs);  // no merge makes a segment too large
      if (m.size() == 1) {
        ++stats.purges;
        continue;
      }
      // Merges of the floor tier (all below the floor times the merge
      // factor) keep it to a few segments: skewed, cheap, counted apart.
      if (largest < o.floor_segment_docs * std::min(o.segments_per_tier, o.max_merge_at_once)) {
        ++stats.floor_merges;
        continue;
      }
      const double skew = static_cast<double>(std::max(largest, o.floor_segment_docs)) /
                          std::max<double>(static_cast<double>(size), o.floor_segment_docs);
      stats.skew_sum += skew;
      ++stats.merges;
      // Below half the largest size, a merge grows its largest segment by half at least (or purges it).
      if (size <= o.max_segment_docs / 2) {
        bool purges = false;
        for (size_t i : m)
          purges |= live_of(idx.segs[i]) == largest && 100.0 * idx.segs[i].deleted / idx.segs[i].docs >= o.deletes_pct_allowed;
        CHECK((static_cast<double>(size) >= 1.5 * static_cast<double>(largest) || purges));
      }
    }
    idx.apply(merges);
  }
}

// 200 nightly commits of random sizes, each deleting up to `deletes` of
// the live documents.
SimStats simulate_nights(const MergePolicyOptions& o, uint32_t seed, double deletes, SimIndex& idx) {
  const MergePolicy policy(o);
  std::mt19937 rng(seed);
  SimStats stats;
  for (int night = 0; night < 200; ++night) {
    idx.commit(static_cast<uint64_t>(std::exp(std::uniform_real_distribution<double>(std::log(50), std::log(20000))(rng))));
    idx.delete_random(rng() % (static_cast<uint64_t>(idx.live() * deletes) + 1), rng);
    settle(idx, policy, stats);
    INFO("night " << night << ", " << idx.segs.size() << " segments, " << idx.live() << " live documents");
    CHECK(idx.segs.size() <= segment_bound(idx.segs, idx.live(), o));
    size_t floor_tier = 0;  // segments below the floor times the merge factor
    for (const auto& seg : idx.segs) floor_tier += live_of(seg) < o.floor_segment_docs * std::min(o.segments_per_tier, o.max_merge_at_once);
    CHECK(floor_tier <= o.floor_tier_segments);
    CHECK(100.0 * idx.deleted() / (idx.live() + idx.deleted()) <= o.deletes_pct_allowed + 1);
    stats.most_segments = std::max(stats.most_segments, idx.segs.size());
  }
  return stats;
}

}  // namespace

TEST_CASE("merge policy: 200 nightly commits keep few, similar-sized segments and bounded merge work") {
  for (const double deletes : {0.005, 0.05}) {
    for (const uint64_t max_docs : {uint64_t{2'000'000}, uint64_t{100'000}}) {
      for (uint32_t seed = 1; seed <= 3; ++seed) {
        MergePolicyOptions o;
        o.max_segment_docs = max_docs;
        SimIndex idx;
        const SimStats stats = simulate_nights(o, seed, deletes, idx);
        const double amplification = static_cast<double>(idx.merged) / idx.added;
        MESSAGE("deletes " << deletes << ", max " << max_docs << ", seed " << seed << ": " << idx.segs.size()
                           << " segments at the end (at most " << stats.most_segments << "), " << idx.live()
                           << " live, " << stats.merges << " merges, " << stats.floor_merges << " in the floor tier, "
                           << stats.purges << " purges, mean skew "
                           << stats.skew_sum / stats.merges << ", merges rewrote " << amplification
                           << "x the added documents");
        CHECK(stats.merges >= 3);        // merges above the floor tier happen
        CHECK(stats.floor_merges > 10);  // and the floor tier's many small ones
        // Merged segments are of similar size; with heavy deletions (and the
        // deleted share held below the allowed one every night, checked in
        // simulate_nights) merges that purge join large segments to small.
        if (deletes < 0.01) CHECK(stats.skew_sum / stats.merges < 0.4);
        CHECK(amplification < 6);  // each document is rewritten a few times, not once per commit
        CHECK(stats.most_segments <= 40);
      }
    }
  }
}

TEST_CASE("merge policy: an index within its budget is left alone") {
  const MergePolicy policy;
  CHECK(policy.find_merges({}).empty());
  CHECK(policy.find_merges({sized(1000)}).empty());
  CHECK(policy.find_merges(std::vector<SegmentInfo>(10, sized(10'000))).empty());
  // A tier of large segments and the floor tier's one small segment.
  std::vector<SegmentInfo> two_tiers(9, sized(50'000));
  two_tiers.push_back(sized(700));
  CHECK(policy.find_merges(two_tiers).empty());
  CHECK(policy.find_merges({sized(100'000, 10'000)}).empty());  // 10 % deleted: tolerated
}

TEST_CASE("merge policy: too many segments of a tier merge, similar sizes together") {
  const MergePolicy policy;
  // 25 segments of 10,000 and one of 5,000 (the floor tier): the index may
  // keep 15, and no tier more than 10, so two merges of 10 leave 5 + 1.
  std::vector<SegmentInfo> segs(25, sized(10'000));
  segs.push_back(sized(5'000));
  const auto merges = policy.find_merges(segs);
  check_well_formed(segs, merges, 10);
  REQUIRE(merges.size() == 2);
  for (const MergeSet& m : merges) CHECK(m.size() == 10);
  // A large segment is never merged with small ones it would barely grow,
  // and however large the index, a tier may not hold more than 10 segments:
  // the 30 of 10,000 are merged down to 10.
  std::vector<SegmentInfo> with_large(30, sized(10'000));
  with_large.push_back(sized(900'000));
  const auto small_only = policy.find_merges(with_large);
  REQUIRE(small_only.size() == 2);
  for (const MergeSet& m : small_only) CHECK(std::find(m.begin(), m.end(), 30) == m.end());
}

TEST_CASE("merge policy: the floor tier keeps few segments, so nightly runs do not pile them up") {
  const MergePolicy policy;
  // Nightly runs: one large segment and a small one a night. By default
  // one small segment may stay; the second makes the two merge, without
  // the large one.
  std::vector<SegmentInfo> nightly{sized(100'000), sized(1000)};
  CHECK(policy.find_merges(nightly).empty());
  nightly.push_back(sized(1000));
  CHECK(policy.find_merges(nightly) == std::vector<MergeSet>{{1, 2}});
  // With two allowed, the third small one makes the three merge.
  MergePolicyOptions two;
  two.floor_tier_segments = 2;
  CHECK(MergePolicy(two).find_merges(nightly).empty());
  nightly.push_back(sized(1000));
  const auto merges = MergePolicy(two).find_merges(nightly);
  REQUIRE(merges.size() == 1);
  CHECK(merges[0] == MergeSet{1, 2, 3});
  // Segments below the floor count as the floor: 30 tiny ones merge in
  // groups of at most 10 until one is left.
  SimIndex tiny;
  for (int i = 0; i < 30; ++i) tiny.commit(20);
  SimStats stats;
  settle(tiny, policy, stats);
  CHECK(tiny.segs.size() == 1);
  CHECK(tiny.live() == 600);
  // The limit is an option: with floor_tier_segments = segments_per_tier
  // the policy is the plain tiered one.
  MergePolicyOptions o;
  o.floor_tier_segments = o.segments_per_tier;
  CHECK(MergePolicy(o).find_merges(std::vector<SegmentInfo>(10, sized(1000))).empty());
}

TEST_CASE("merge policy: deletions beyond the allowed share are purged, a segment alone if need be") {
  const MergePolicy policy;
  CHECK(policy.find_merges({sized(100'000, 50'000)}) == std::vector<MergeSet>{{0}});
  CHECK(policy.find_merges({sized(80'000, 40'000), sized(60'000), sized(90'000, 2'000)}).empty());  // 18 %
  const std::vector<SegmentInfo> segs = {sized(80'000, 50'000), sized(60'000), sized(90'000, 2'000)};   // 23 %
  const auto merges = policy.find_merges(segs);
  REQUIRE(!merges.empty());
  check_well_formed(segs, merges, 10);
  CHECK(std::find(merges[0].begin(), merges[0].end(), 0) != merges[0].end());  // the one with the deletions first
}

TEST_CASE("merge policy: no merge exceeds the largest segment size, large segments are done") {
  MergePolicyOptions o;
  o.max_segment_docs = 200'000;
  const MergePolicy policy(o);
  CHECK(policy.find_merges(std::vector<SegmentInfo>(30, sized(150'000))).empty());
  std::vector<SegmentInfo> segs(40, sized(60'000));
  const auto merges = policy.find_merges(segs);
  REQUIRE(!merges.empty());
  check_well_formed(segs, merges, 10);
  for (const MergeSet& m : merges) CHECK(m.size() * 60'000 <= 200'000);
  // A done segment with many deletions is purged, alone, once the index holds too many.
  CHECK(policy.find_merges({sized(300'000, 50'000), sized(150'000), sized(150'000)}).empty());  // 8 %
  CHECK(policy.find_merges({sized(300'000, 150'000), sized(150'000), sized(150'000)}) == std::vector<MergeSet>{{0}});
}

TEST_CASE("force_merge reaches the segment count asked for, without deletions") {
  std::mt19937 rng(9);
  for (int round = 0; round < 40; ++round) {
    MergePolicyOptions o;
    o.max_segment_docs = round % 2 ? 50'000 : 2'000'000;
    const MergePolicy policy(o);
    SimIndex idx;
    for (uint32_t n = rng() % 120; n > 0; --n) idx.commit(1 + rng() % 30'000);
    idx.delete_random(idx.live() / 20, rng);
    const size_t max_segments = std::vector<size_t>{1, 2, 3, 5, 10, 50}[rng() % 6];
    const uint64_t live = idx.live();
    int rounds = 0;
    for (;; ++rounds) {
      REQUIRE(rounds < 50);
      const auto merges = policy.force_merge(idx.segs, max_segments);
      if (merges.empty()) break;
      check_well_formed(idx.segs, merges, o.max_forced_merge_at_once);
      const uint64_t cap = std::max<uint64_t>(o.max_segment_docs, (live + max_segments - 1) / max_segments);
      for (const MergeSet& m : merges) {
        uint64_t size = 0;
        for (size_t i : m) size += live_of(idx.segs[i]);
        CHECK((size <= cap || m.size() <= 2));
      }
      idx.apply(merges);
    }
    INFO("round " << round << ": asked for " << max_segments);
    CHECK(idx.segs.size() <= max_segments);
    CHECK(idx.deleted() == 0);
    CHECK(idx.live() == live);
    CHECK(rounds <= 4);
  }
  const MergePolicy policy;
  CHECK(policy.force_merge(std::vector<SegmentInfo>(3, sized(10)), 3).empty());
  CHECK(policy.force_merge({sized(10), sized(10, 1)}, 5) == std::vector<MergeSet>{{1}});
  CHECK(policy.force_merge({sized(10), sized(20), sized(5)}, 1) == std::vector<MergeSet>{{0, 1, 2}});
  CHECK(policy.force_merge({sized(10), sized(20), sized(5)}, 0) == std::vector<MergeSet>{{0, 1, 2}});
}
