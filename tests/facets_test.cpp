// Facets (searcher/facets.h) and timelines (searcher/timeline.h) against a
// brute-force reference: for each query, every matching article's stored
// record is read and its speakers, typed entities, source and date counted
// here, with none of the facet machinery (facets.bin, ordinals, the
// collectors). Checked over several segments, with deletions, and again
// after the segments are merged; the timeline command and its chart too.
// The queries take every counting path: few matches beside a segment's
// values (touched counters), many (all counters read), and more than half
// of a segment ("said", "said OR rates": the complement subtracted from
// every live article's counts).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/file_util.h"
#include "corpus/extract.h"
#include "corpus/reader.h"
#include "indexer/index_writer.h"
#include "searcher/facets.h"
#include "searcher/searcher.h"
#include "searcher/timeline.h"
#include "test_util.h"

using namespace dateline;
using namespace dateline::testing;

namespace {

// The values of one facet in one stored article, as a set of strings.
std::set<std::string> reference_values(const Article& a, const FacetKind& k) {
  std::set<std::string> out;
  if (k.is_date) {
    if (a.date == kNoDate) return out;
    int y;
    unsigned m, d;
    civil_from_days(a.date, y, m, d);
    char buf[16];
    if (k.period == DatePeriod::Year) std::snprintf(buf, sizeof buf, "%04d", y);
    if (k.period == DatePeriod::Month) std::snprintf(buf, sizeof buf, "%04d-%02u", y, m);
    if (k.period == DatePeriod::Day) std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    if (k.period == DatePeriod::Week) {  // the Monday on or before: walk back day by day
      DayNumber day = a.date;
      while (true) {
        civil_from_days(day, y, m, d);
        // Zeller-free: 2024-01-01 was a Monday, so Mondays are 7k days from it.
        if (((day - days_from_civil(2024, 1, 1)) % 7 + 7) % 7 == 0) break;
        --day;
      }
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    }
    out.insert(buf);
    return out;
  }
  switch (k.field) {
    case FacetField::Speaker: out.insert(a.speakers.begin(), a.speakers.end()); break;
    case FacetField::Source:
      if (!a.source.empty()) out.insert(a.source);
      break;
    default:
      for (const Entity& e : a.entities) {
        const bool match = (k.field == FacetField::Person && e.type == EntityType::Person) ||
                           (k.field == FacetField::Organization && e.type == EntityType::Organization) ||
                           (k.field == FacetField::Place && e.type == EntityType::Place);
        if (match) out.insert(e.name);
      }
  }
  out.erase("");
  return out;
}

// Facets counted by reading every matching article.
FacetsResult reference_facets(Searcher& s, const Query& q, const std::vector<FacetKind>& kinds, size_t limit) {
  FacetsResult r;
  std::vector<std::map<std::string, uint64_t>> counts(kinds.size());
  std::vector<uint64_t> articles(kinds.size(), 0);
  for (const std::string& id : s.matching_ids(q)) {
    ++r.total;
    const auto found = s.find_id(id);
    REQUIRE(!found.empty());
    const Article a = s.document(found.back());  // the live one is the last added
    for (size_t i = 0; i < kinds.size(); ++i) {
      const auto values = reference_values(a, kinds[i]);
      articles[i] += !values.empty();
      for (const std::string& v : values) ++counts[i][v];
    }
  }
  for (size_t i = 0; i < kinds.size(); ++i) {
    FacetResult f{kinds[i], counts[i].size(), articles[i], {}};
    std::vector<std::pair<std::string, uint64_t>> all(counts[i].begin(), counts[i].end());
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (size_t j = 0; j < std::min(limit, all.size()); ++j) f.top.push_back({all[j].first, all[j].second});
    r.facets.push_back(f);
  }
  return r;
}

// Timelines of the queries side by side, and of the first split by name
// fields, against per-article counting.
void check_timelines(Searcher& s, const std::vector<std::string>& queries) {
  for (const DatePeriod period : {DatePeriod::Day, DatePeriod::Week, DatePeriod::Month, DatePeriod::Year}) {
    const FacetKind kind{true, FacetField::Speaker, period};
    std::vector<std::pair<std::string, Query>> all;
    for (const std::string& text : queries) all.emplace_back(text, s.parse(text));
    const Timeline t = query_timeline(s, all, period);
    REQUIRE(t.series.size() == queries.size());
    for (size_t i = 0; i < queries.size(); ++i) {
      CAPTURE(queries[i]);
      // Per period label, from each matching article's date.
      std::map<std::string, uint64_t> want;
      uint64_t undated = 0;
      for (const std::string& id : s.matching_ids(all[i].second)) {
        const auto values = reference_values(s.document(s.find_id(id).back()), kind);
        if (values.empty()) ++undated;
        for (const std::string& v : values) ++want[v];
      }
      std::map<std::string, uint64_t> got;
      for (size_t p = 0; p < t.starts.size(); ++p)
        if (t.series[i].counts[p]) got[period_label(t.starts[p], period)] = t.series[i].counts[p];
      CHECK(got == want);
      CHECK(t.series[i].undated == undated);
    }
    // Periods are consecutive: each the next of the one before.
    for (size_t p = 1; p < t.starts.size(); ++p) CHECK(t.starts[p] == next_period(t.starts[p - 1], period));
    // Split by a field: each series counts the matches that carry its value.
    const Query& q = all[0].second;
    for (const FacetField field : {FacetField::Speaker, FacetField::Place, FacetField::Organization}) {
      const Timeline split = split_timeline(s, q, field, 4, period);
      const FacetsResult top = count_facets(s, q, {FacetKind{false, field, period}}, 4);
      REQUIRE(split.series.size() == top.facets[0].top.size());
      for (size_t i = 0; i < split.series.size(); ++i) {
        CHECK(split.series[i].name == top.facets[0].top[i].value);
        CHECK(split.series[i].total + split.series[i].undated == top.facets[0].top[i].count);
      }
    }
  }
}

void check_against_reference(Searcher& s, const std::vector<std::string>& queries, const std::vector<FacetKind>& kinds);

void check_against_reference(Searcher& s, const std::vector<std::string>& queries) {
  // Every kind (name fields counted from one list a document where two or
  // more are dense: FacetRows), one name field (its column), two.
  for (const char* list : {"speaker,person,org,place,source,day,week,month,year", "org,day", "person,place,year"})
    check_against_reference(s, queries, parse_facet_list(list));
}

void check_against_reference(Searcher& s, const std::vector<std::string>& queries, const std::vector<FacetKind>& kinds) {
  for (const std::string& text : queries) {
    CAPTURE(text);
    const Query q = s.parse(text);
    for (const size_t limit : {size_t{3}, size_t{100000}}) {
      const FacetsResult got = count_facets(s, q, kinds, limit);
      const FacetsResult want = reference_facets(s, q, kinds, limit);
      CHECK(got.total == want.total);
      CHECK(got.total == s.count(q));
      REQUIRE(got.facets.size() == want.facets.size());
      for (size_t i = 0; i < kinds.size(); ++i) {
        CAPTURE(facet_kind_name(kinds[i]));
        CHECK(got.facets[i].distinct == want.facets[i].distinct);
        CHECK(got.facets[i].articles == want.facets[i].articles);
        CHECK(got.facets[i].top == want.facets[i].top);
      }
    }
  }
}

const std::vector<std::string> kQueries{
    "rates", "bank OR minister", "said", "inflation -rates", "\"central bank\"", "date:2024", "nosuchwordanywhere",
    "speaker:halvorsen OR org:fed", "oil AND date:1987-03", "speaker:replaced OR title:oil", "said OR rates"};

}  // namespace

TEST_CASE("facets and timelines equal counts read from the stored articles, over segments, deletions and a merge") {
  std::vector<std::string> paths{(source_dir() / "corpus/samples").string()};
  std::string skipped;
  const std::vector<std::string> reuters = reuters_files(skipped);
  if (!reuters.empty()) paths.push_back(reuters[0]);
  else MESSAGE("facets test without Reuters-21578: " << skipped);
  const std::vector<Article> all = read_extracted(paths);
  TempDir dir;
  std::vector<std::string> removed;
  IndexWriterOptions no_merges;
  no_merges.merge = false;
  for (size_t run = 0; run < 3; ++run) {
    IndexWriter writer(dir.path().string(), no_merges);
    for (size_t i = run; i < all.size(); i += 3) writer.add(all[i]);
    writer.commit();
  }
  {
    IndexWriter writer(dir.path().string(), no_merges);
    for (size_t i = 0; i < all.size(); i += 7) removed.push_back(all[i].id);
    writer.remove(removed);
    // A replaced article's facets are its new values.
    Article changed = all[1];
    changed.speakers = {"Replaced Speaker"};
    writer.add(changed);
    writer.commit();
  }
  {
    Searcher s(dir.path().string());
    REQUIRE(s.segment_count() >= 3);
    check_against_reference(s, kQueries);
    check_timelines(s, kQueries);
    const FacetsResult r = count_facets(s, s.parse("speaker:\"replaced speaker\""), parse_facet_list("speaker"), 5);
    CHECK(r.total == 1);
    REQUIRE(r.facets[0].top.size() == 1);
    CHECK(r.facets[0].top[0] == FacetCount{"Replaced Speaker", 1});
  }
  {
    IndexWriter writer(dir.path().string(), IndexWriterOptions{});
    writer.optimize(1);
  }
  Searcher s(dir.path().string());
  CHECK(s.segment_count() == 1);
  check_against_reference(s, kQueries);
  check_timelines(s, kQueries);
}

TEST_CASE("dateline timeline: a table, CSV and an SVG chart with a line and a legend entry per series") {
  TempDir dir;
  const std::string idx = (dir.path() / "idx").string();
  REQUIRE(run_dateline("index --index " + idx + " corpus/samples").exit_code == 0);
  const std::string chart = (dir.path() / "c.svg").string();
  const auto r = run_dateline("timeline -i " + idx + " -q rates -q inflation --by year --format csv --chart " + chart);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("\"period\",\"rates\",\"inflation\"\n", 0) == 0);
  const auto rates = run_dateline("search -i " + idx + " --count rates");
  uint64_t sum = 0;
  for (size_t at = r.out.find('\n') + 1; at < r.out.size(); at = r.out.find('\n', at) + 1)
    sum += std::stoull(r.out.substr(r.out.find(',', at) + 1));
  CHECK(sum == std::stoull(rates.out));  // every sample article is dated
  const std::string svg = read_file(chart);
  CHECK(svg.rfind("<svg", 0) == 0);
  size_t lines = 0;
  for (size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++lines;
  CHECK(lines == 2);
  CHECK(svg.find(">rates (" + rates.out.substr(0, rates.out.size() - 1) + ")</text>") != std::string::npos);
  CHECK(svg.find(">inflation (") != std::string::npos);
  const auto split = run_dateline("timeline -i " + idx + " rates --split speaker --top 3 --format json");
  REQUIRE(split.exit_code == 0);
  CHECK(split.out.find("\"series\":[{\"name\":") != std::string::npos);
  CHECK(run_dateline("timeline -i " + idx + " -q rates -q inflation --split org").exit_code == 2);
  const auto bad = run_dateline("timeline -i " + idx + " 'rates AND ('");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("expected ')'\n  rates AND (\n             ^") != std::string::npos);
}

TEST_CASE("facet lists parse, and unknown names are named") {
  const auto kinds = parse_facet_list("speaker,organization,month,speaker");
  REQUIRE(kinds.size() == 3);
  CHECK(facet_kind_name(kinds[1]) == "org");
  CHECK(kinds[2].is_date);
  CHECK_THROWS_WITH_AS(parse_facet_list("speaker,colour"), doctest::Contains("colour"), std::invalid_argument);
}

TEST_CASE("date periods start where the calendar says") {
  const DayNumber d = *parse_iso_date("2024-03-06");  // a Wednesday
  CHECK(period_label(period_start(d, DatePeriod::Week), DatePeriod::Week) == "2024-03-04");
  CHECK(period_label(period_start(d, DatePeriod::Month), DatePeriod::Month) == "2024-03");
  CHECK(period_label(next_period(period_start(d, DatePeriod::Month), DatePeriod::Month), DatePeriod::Day) ==
        "2024-04-01");
  CHECK(period_label(next_period(period_start(*parse_iso_date("2024-12-31"), DatePeriod::Month), DatePeriod::Month),
                     DatePeriod::Day) == "2025-01-01");
  CHECK(period_label(period_start(*parse_iso_date("1969-12-31"), DatePeriod::Week), DatePeriod::Day) == "1969-12-29");
  CHECK(period_label(period_start(d, DatePeriod::Year), DatePeriod::Year) == "2024");
}
