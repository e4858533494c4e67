// End-to-end tests of the dateline executable on the bundled sample corpus:
// the expected hits are in corpus/samples/expected.md (checked by reading).
#include <doctest/doctest.h>
#include <simdjson.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "test_util.h"

using namespace dateline::testing;
namespace fs = std::filesystem;

namespace {

const std::string& sample_index() {
  static TempDir dir("dateline-cli");
  static std::string path = [] {
    const std::string p = (dir.path() / "idx").string();
    auto r = run_dateline("index --index '" + p + "' '" + (source_dir() / "corpus/samples").string() + "'");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return p;
  }();
  return path;
}

// Runs a --json search and returns the ids of all hits.
std::set<std::string> search_ids(const std::string& query, const std::string& extra = "") {
  auto r = run_dateline("search --json --limit 1000 " + extra + " --index " + shell_quote(sample_index()) + " -- " +
                        shell_quote(query));
  REQUIRE_MESSAGE(r.exit_code == 0, query << ": " << r.err);
  std::set<std::string> ids;
  simdjson::dom::parser parser;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    simdjson::dom::element e = parser.parse(line);
    ids.emplace(std::string_view(e["id"]));
  }
  return ids;
}

uint64_t search_count(const std::string& index, const std::string& query) {
  auto r = run_dateline("search --count --index " + shell_quote(index) + " -- " + shell_quote(query));
  REQUIRE_MESSAGE(r.exit_code == 0, query << ": " << r.err);
  return std::stoull(r.out);
}

}  // namespace

TEST_CASE("cli: expected hits on the sample corpus (corpus/samples/expected.md)") {
  struct Case {
    const char* query;
    std::set<std::string> ids;
  };
  const Case cases[] = {
      {"\"interest rates\"",
       {"dl-2023-0001", "dl-2023-0002", "dl-2024-0006", "dl-2025-0001", "text/2023-10-05-riksbank-lindqvist-speech.txt",
        "text/2023-12-14-ecb-holds-rates.txt", "text/2024-11-07-okafor-african-central-banks.txt",
        "text/2025-09-17-nigeria-first-rate-cut.txt"}},
      {"interest AND rates NOT \"interest rates\"",
       {"text/2023-11-08-halvorsen-wealth-fund.txt", "text/2024-03-20-halvorsen-mortgage-relief.txt", "dl-2025-0004"}},
      {"date:2024-11",
       {"dl-2024-0007", "text/2024-11-07-okafor-african-central-banks.txt", "dl-2024-0008", "dl-2024-0009",
        "text/2024-11-13-baltic-cable-anchoring-rules.txt", "text/2024-11-21-wierzbicki-ukraine-farm-trade.txt",
        "dl-2024-0010"}},
      {"date:2024-11-13", {"dl-2024-0008", "dl-2024-0009", "text/2024-11-13-baltic-cable-anchoring-rules.txt"}},
      {"negotiate",
       {"dl-2023-0004", "dl-2023-0007", "dl-2024-0005", "dl-2024-0007", "dl-2024-0009", "dl-2025-0002",
        "text/2024-04-24-taiwan-chip-supply.txt", "text/2024-11-21-wierzbicki-ukraine-farm-trade.txt",
        "text/2025-11-10-belem-climate-summit.txt"}},
      {"elected",
       {"dl-2023-0004", "dl-2024-0002", "dl-2024-0003", "dl-2024-0008", "text/2025-04-16-mombasa-by-election.txt"}},
      {"\"trade agreement\"",
       {"dl-2023-0004", "dl-2024-0005", "dl-2025-0002", "text/2024-11-21-wierzbicki-ukraine-farm-trade.txt"}},
      {"\"central bank\" AND date:2025", {"dl-2025-0001", "text/2025-09-17-nigeria-first-rate-cut.txt"}},
      {"\"cease-fire\"", {"text/2024-02-15-red-sea-shipping-diversions.txt"}},
      {"museum", {"text/2024-06-12-genoa-maritime-museum.txt", "news-2025.jsonl#5"}},
      {"football OR soccer", {"dl-2024-0004", "text/2025-06-14-atlantic-cup-final.txt"}},
      {"harvest AND date:2025", {"dl-2025-0006", "text/2025-02-11-andalusia-olive-harvest.txt"}},
      {"speaker:halvorsen",
       {"dl-2023-0001", "text/2023-11-08-halvorsen-wealth-fund.txt", "text/2024-03-20-halvorsen-mortgage-relief.txt",
        "dl-2024-0008"}},
      {"speaker:kjærgaard",
       {"text/2023-08-25-baltic-tanker-insurance.txt", "text/2024-11-13-baltic-cable-anchoring-rules.txt", "dl-2025-0003"}},
      {"entity:\"world bank\"", {"dl-2023-0004", "dl-2024-0007", "dl-2024-0009", "dl-2025-0006"}},
      // Text articles with a title line or a title: header.
      {"title:salmon", {"text/2024-05-14-trondheim-salmon-exports.txt"}},
      {"title:strike", {"text/2025-01-22-valencia-dockworkers-strike.txt"}},
      {"title:\"ferry terminal\"", {"text/gdynia-ferry-terminal.txt"}},
      // Prefixes on written words, folded accents, resolved names.
      {"negotiat*",
       {"dl-2023-0004", "dl-2023-0007", "dl-2024-0005", "dl-2024-0007", "dl-2024-0009", "dl-2025-0002",
        "text/2024-04-24-taiwan-chip-supply.txt", "text/2024-11-21-wierzbicki-ukraine-farm-trade.txt",
        "text/2025-11-10-belem-climate-summit.txt"}},
      {"gdansk",
       {"dl-2024-0002", "dl-2024-0003", "dl-2025-0003", "news-2025.jsonl#5",
        "text/2023-08-25-baltic-tanker-insurance.txt"}},
      {"gdańsk",
       {"dl-2024-0002", "dl-2024-0003", "dl-2025-0003", "news-2025.jsonl#5",
        "text/2023-08-25-baltic-tanker-insurance.txt"}},
      {"kjaergaard",
       {"text/2023-08-25-baltic-tanker-insurance.txt", "text/2024-11-13-baltic-cable-anchoring-rules.txt", "dl-2025-0003"}},
      {"place:us",
       {"dl-2023-0006", "dl-2025-0001", "text/2024-11-07-okafor-african-central-banks.txt",
        "text/2025-02-11-andalusia-olive-harvest.txt"}},
      {"place:u.s.",
       {"dl-2023-0006", "dl-2025-0001", "text/2024-11-07-okafor-african-central-banks.txt",
        "text/2025-02-11-andalusia-olive-harvest.txt"}},
  };
  for (const auto& c : cases) {
    CHECK_MESSAGE(search_ids(c.query) == c.ids, "query: " << c.query);
    CHECK_MESSAGE(search_count(sample_index(), c.query) == c.ids.size(), "query: " << c.query);
  }
}

TEST_CASE("cli: index --threads and a small --ram-mb give the same answers as the defaults") {
  TempDir dir("dateline-cli-threads");
  const std::string idx = (dir.path() / "idx").string();
  auto r = run_dateline("index --threads 3 --ram-mb 16 --index " + shell_quote(idx) + " " +
                        shell_quote((source_dir() / "corpus/samples").string()));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  for (const char* q : {"rates", "negotiat*", "speaker:halvorsen", "place:us", "\"central bank\"", "NOT oil"})
    CHECK_MESSAGE(search_count(idx, q) == search_count(sample_index(), q), "query: " << q);
  auto bad = run_dateline("index --threads 0 --index " + shell_quote(idx) + " " +
                          shell_quote((source_dir() / "corpus/samples").string()));
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("--threads") != std::string::npos);
}

TEST_CASE("cli: boolean operators compose as documented") {
  const auto rates = search_ids("rates"), bank = search_ids("bank");
  std::set<std::string> both, either, only;
  std::set_intersection(rates.begin(), rates.end(), bank.begin(), bank.end(), std::inserter(both, both.end()));
  std::set_union(rates.begin(), rates.end(), bank.begin(), bank.end(), std::inserter(either, either.end()));
  std::set_difference(rates.begin(), rates.end(), bank.begin(), bank.end(), std::inserter(only, only.end()));
  REQUIRE(!both.empty());
  CHECK(search_ids("rates bank") == both);
  CHECK(search_ids("rates AND bank") == both);
  CHECK(search_ids("+rates +bank") == both);
  CHECK(search_ids("rates OR bank") == either);
  CHECK(search_ids("rates bank", "--default-op or") == either);
  CHECK(search_ids("rates -bank") == only);
  CHECK(search_ids("rates AND NOT bank") == only);
  CHECK(search_ids("rates NOT bank") == only);
  const auto all = search_ids("NOT zzzzunknownword");
  CHECK(all.size() == search_count(sample_index(), "NOT zzzzunknownword"));
  CHECK(all.size() == 52);
  CHECK(search_ids("-bank").size() == all.size() - bank.size());
}

TEST_CASE("cli: ranking, sorting and paging") {
  auto r = run_dateline("search --json --limit 1000 --sort date --index " + shell_quote(sample_index()) + " rates");
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  std::istringstream lines(r.out);
  std::string prev = "9999-99-99";
  std::vector<std::string> ids;
  for (std::string line; std::getline(lines, line);) {
    simdjson::dom::element e = parser.parse(line);
    ids.emplace_back(std::string_view(e["id"]));
    if (e["date"].is_null()) {
      prev = "";
      continue;
    }
    const std::string d{std::string_view(e["date"])};
    CHECK_MESSAGE(d <= prev, "dates must not increase: " << d << " after " << prev);
    prev = d;
    // Every hit carries the documented fields.
    CHECK(e["score"].is_number());
    CHECK(e["speakers"].is_array());
    CHECK(e["entities"].is_array());
    CHECK(e["snippet"].is_string());
    CHECK(e["title"].is_string());
  }
  REQUIRE(ids.size() >= 6);

  auto page = [&](int offset, int limit) {
    auto p = run_dateline("search --json --offset " + std::to_string(offset) + " --limit " + std::to_string(limit) +
                          " --index " + shell_quote(sample_index()) + " rates");
    std::vector<std::string> out;
    std::istringstream ls(p.out);
    for (std::string line; std::getline(ls, line);) out.emplace_back(std::string_view(parser.parse(line)["id"]));
    return out;
  };
  auto full = page(0, 1000);
  auto p1 = page(0, 3), p2 = page(3, 3);
  REQUIRE(full.size() >= 6);
  CHECK(std::vector<std::string>(full.begin(), full.begin() + 3) == p1);
  CHECK(std::vector<std::string>(full.begin() + 3, full.begin() + 6) == p2);
}

TEST_CASE("cli: human output shows rank, date, title, speakers and a highlighted snippet") {
  auto r = run_dateline("search --limit 3 --index " + shell_quote(sample_index()) + " speaker:halvorsen rates");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("articles match") != std::string::npos);
  CHECK(r.out.find("1. 20") != std::string::npos);
  CHECK(r.out.find("speakers: ") != std::string::npos);
  CHECK(r.out.find("Ingrid Halvorsen") != std::string::npos);
  CHECK(r.out.find("[rates]") != std::string::npos);   // highlighted without colour off a TTY
  CHECK(r.out.find("\033[") == std::string::npos);     // no escape codes when not a TTY
  auto colored = run_dateline("search --color always --limit 1 --index " + shell_quote(sample_index()) + " rates");
  CHECK(colored.out.find("\033[") != std::string::npos);
}

TEST_CASE("cli: a syntax error prints the message, the query and a caret, exit code 2") {
  auto r = run_dateline("search --index " + shell_quote(sample_index()) + " '(rates OR bank'");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("error: ") != std::string::npos);
  CHECK(r.err.find("(rates OR bank\n") != std::string::npos);
  CHECK(r.err.find("^") != std::string::npos);
  CHECK(r.out.empty());
  // Hostile input never crashes or hangs: every outcome is 0 (ran) or 2 (syntax).
  for (const char* q : {"\"", "((((", ")", "NOT", "AND OR", "date:2024-13", "date:..", "title:", "*", "a NEAR/x b",
                        "\"a b\"~", "+", "-", "\xff\xfe", "NEAR/3", "speaker:\"\"", "date:2025..2024"}) {
    auto e = run_dateline("search --index " + shell_quote(sample_index()) + " -- " + shell_quote(q));
    CHECK_MESSAGE((e.exit_code == 0 || e.exit_code == 2), "query " << q << " exit " << e.exit_code << " " << e.err);
  }
}

TEST_CASE("cli: stats, extract and clear errors") {
  auto s = run_dateline("stats --index " + shell_quote(sample_index()));
  REQUIRE(s.exit_code == 0);
  CHECK(s.out.find("articles:       52") != std::string::npos);
  CHECK(s.out.find("distinct terms:") != std::string::npos);
  CHECK(s.out.find("date span:      2023-01-18 .. 2025-12-09") != std::string::npos);
  CHECK(s.out.find("postings") != std::string::npos);
  CHECK(s.out.find("docstore") != std::string::npos);

  auto x = run_dateline("extract " + shell_quote((source_dir() / "corpus/samples/news-2024.jsonl").string()));
  REQUIRE(x.exit_code == 0);
  simdjson::dom::parser parser;
  std::istringstream lines(x.out);
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    simdjson::dom::element e = parser.parse(line);
    CHECK(e["speakers"].is_array());
    CHECK(e["entities"].is_array());
    CHECK(e["date"].is_string());
  }
  CHECK(n == 10);

  auto missing = run_dateline("search --index /nonexistent/dateline-index rates");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("not a dateline index") != std::string::npos);
  auto nofile = run_dateline("index --index /tmp/never-created-dateline /nonexistent/file.jsonl");
  CHECK(nofile.exit_code == 2);
  CHECK(nofile.err.find("/nonexistent/file.jsonl") != std::string::npos);
  CHECK(!fs::exists("/tmp/never-created-dateline"));
  auto help = run_dateline("search --help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("NEAR/N") != std::string::npos);
}

TEST_CASE("cli: bad records are reported with file:line, good ones committed, committed data kept") {
  TempDir dir("dateline-cli-bad");
  const std::string idx = (dir.path() / "idx").string();
  const fs::path good = dir.path() / "good.jsonl", bad = dir.path() / "bad.jsonl";
  std::ofstream(good) << R"({"id":"g1","date":"2024-05-01","title":"Harbour reopens","body":"The harbour reopened on Monday."})"
                      << "\n";
  std::ofstream(bad) << R"({"id":"b1","date":"2024-05-02","title":"Ferry strike","body":"Ferry crews went on strike."})"
                     << "\n{not json at all\n"
                     << R"({"id":"b3","date":"2024-05-03","title":"Ferry deal","body":"The ferry strike ended."})"
                     << "\n";
  REQUIRE(run_dateline("index --index " + shell_quote(idx) + " " + shell_quote(good.string())).exit_code == 0);
  auto r = run_dateline("index --index " + shell_quote(idx) + " " + shell_quote(bad.string()));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.jsonl:2") != std::string::npos);
  CHECK(search_count(idx, "harbour") == 1);  // committed before: still there
  CHECK(search_count(idx, "ferry") == 2);    // good records of the bad file: committed
  CHECK(search_count(idx, "NOT zzz") == 3);

  // The same articles through zstd-compressed JSON Lines give the same index.
  if (std::system("command -v zstd >/dev/null 2>&1") == 0) {
    const std::string zst = (dir.path() / "good.jsonl.zst").string();
    REQUIRE(std::system(("zstd -q -f " + shell_quote(good.string()) + " -o " + shell_quote(zst)).c_str()) == 0);
    const std::string idx2 = (dir.path() / "idx2").string();
    REQUIRE(run_dateline("index --index " + shell_quote(idx2) + " " + shell_quote(zst)).exit_code == 0);
    CHECK(search_count(idx2, "harbour AND date:2024-05-01") == 1);
  }
  // Appending with another stemmer is refused with a clear message.
  auto st = run_dateline("index --stemmer none --index " + shell_quote(idx) + " " + shell_quote(good.string()));
  CHECK(st.exit_code == 1);
  CHECK(st.err.find("stemmer") != std::string::npos);
  CHECK(search_count(idx, "NOT zzz") == 3);
}

TEST_CASE("cli: --stemmer none indexes exact words") {
  TempDir dir("dateline-cli-stem");
  const std::string idx = (dir.path() / "idx").string();
  REQUIRE(run_dateline("index --stemmer none --index " + shell_quote(idx) + " " +
                       shell_quote((source_dir() / "corpus/samples").string()))
              .exit_code == 0);
  const uint64_t exact = search_count(idx, "negotiations");
  const uint64_t stemmed = search_count(sample_index(), "negotiations");
  CHECK(exact >= 1);
  CHECK(exact < stemmed);
}

TEST_CASE("cli: typed entity fields person:, org:, place: and entities in the output") {
  // Typed fields hold a subset of entity:, and the name's type decides which.
  const auto speaker = search_ids("speaker:halvorsen"), person = search_ids("person:halvorsen");
  CHECK(!speaker.empty());
  CHECK(std::includes(person.begin(), person.end(), speaker.begin(), speaker.end()));
  CHECK(person == search_ids("entity:halvorsen"));
  CHECK(search_ids("place:halvorsen").empty());
  CHECK(search_ids("org:halvorsen").empty());
  CHECK(search_ids("person:\"ingrid halvorsen\"") == person);
  const auto oslo = search_ids("place:oslo");
  CHECK(!oslo.empty());
  CHECK(oslo == search_ids("location:OSLO"));
  CHECK(search_ids("person:oslo").empty());
  const auto bank = search_ids("org:\"world bank\"");
  CHECK(bank.size() >= 2);
  CHECK(bank == search_ids("organization:\"World Bank\""));
  CHECK(bank == search_ids("organisation:\"world bank\""));
  CHECK(search_ids("place:\"world bank\"").empty());

  auto j = run_dateline("search --json --limit 50 --index " + shell_quote(sample_index()) + " 'org:\"world bank\"'");
  REQUIRE(j.exit_code == 0);
  simdjson::dom::parser parser;
  std::istringstream lines(j.out);
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    simdjson::dom::element e = parser.parse(line);
    CHECK(e["entities"].is_array());
    CHECK(e["people"].is_array());
    CHECK(e["places"].is_array());
    bool found = false;
    for (auto x : e["organizations"].get_array()) found = found || std::string_view(x) == "World Bank";
    CHECK(found);
  }
  CHECK(n == static_cast<int>(bank.size()));
  auto h = run_dateline("search --limit 2 --index " + shell_quote(sample_index()) + " person:halvorsen");
  REQUIRE(h.exit_code == 0);
  CHECK(h.out.find("   entities: ") != std::string::npos);
  CHECK(h.out.find("Ingrid Halvorsen") != std::string::npos);

  auto x = run_dateline("extract " + shell_quote((source_dir() / "corpus/samples/text").string()));
  REQUIRE(x.exit_code == 0);
  CHECK(x.out.find("\"people\":[") != std::string::npos);
  CHECK(x.out.find("\"organizations\":[") != std::string::npos);
  CHECK(x.out.find("\"places\":[") != std::string::npos);
}

TEST_CASE("cli: stats lists the most frequent speakers and entities, index --timings") {
  auto s = run_dateline("stats --top 5 --index " + shell_quote(sample_index()));
  REQUIRE(s.exit_code == 0);
  const size_t sp = s.out.find("top speakers"), en = s.out.find("top entities");
  REQUIRE(sp != std::string::npos);
  REQUIRE(en != std::string::npos);
  CHECK(sp < en);
  CHECK(s.out.find("Ingrid Halvorsen") != std::string::npos);  // quoted in 4 articles
  CHECK(s.out.find("place ") != std::string::npos);
  auto none = run_dateline("stats --top 0 --index " + shell_quote(sample_index()));
  CHECK(none.out.find("top speakers") == std::string::npos);

  TempDir dir("dateline-cli-timings");
  auto t = run_dateline("index --timings --index " + shell_quote((dir.path() / "idx").string()) + " " +
                        shell_quote((source_dir() / "corpus/samples").string()));
  REQUIRE(t.exit_code == 0);
  for (const char* phase : {"reading", "extracting", "analysing", "building segments", "writing segments",
                            "committing", "wall"})
    CHECK_MESSAGE(t.err.find(phase) != std::string::npos, phase);
}

TEST_CASE("cli: eval-extract prints precision, recall and F1 per field") {
  const std::string gold = (source_dir() / "corpus/gold/samples.gold.jsonl").string();
  auto r = run_dateline("eval-extract " + shell_quote(gold) + " " + shell_quote((source_dir() / "corpus/samples").string()));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  for (const char* w : {"precision", "recall", "F1", "speakers", "people", "organizations", "places", "52 found"})
    CHECK_MESSAGE(r.out.find(w) != std::string::npos, w);
  CHECK(r.out.find("disagreements") == std::string::npos);
  auto v = run_dateline("eval-extract --verbose " + shell_quote(gold) + " " +
                        shell_quote((source_dir() / "corpus/samples").string()));
  CHECK(v.out.find("disagreements") != std::string::npos);
  // A gold id missing from the input: a warning and exit code 1; a bad gold file: exit code 2.
  TempDir dir("dateline-cli-eval");
  const fs::path g2 = dir.path() / "g.jsonl";
  { std::ofstream(g2) << "{\"id\":\"no-such-article\",\"speakers\":[]}\n"; }
  auto m = run_dateline("eval-extract " + shell_quote(g2.string()) + " " +
                        shell_quote((source_dir() / "corpus/samples/news-2023.jsonl").string()));
  CHECK(m.exit_code == 1);
  CHECK(m.err.find("no-such-article") != std::string::npos);
  { std::ofstream(g2) << "{broken\n"; }
  auto b = run_dateline("eval-extract " + shell_quote(g2.string()) + " " +
                        shell_quote((source_dir() / "corpus/samples/news-2023.jsonl").string()));
  CHECK(b.exit_code == 2);
  CHECK(b.err.find("g.jsonl:1") != std::string::npos);
}

TEST_CASE("cli: eval-extract --conll scores the tagger on a CoNLL file; -v lists its mistakes") {
  TempDir dir("dateline-cli-conll");
  const fs::path f = dir.path() / "tiny.txt";
  // "said" as an organisation: a gold span no tagger finds.
  { std::ofstream(f) << "Angela B-PER\nMerkel I-PER\nsaid B-ORG\nso O\n. O\n"; }
  auto r = run_dateline("eval-extract --conll " + shell_quote(f.string()));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("PER+ORG+LOC") != std::string::npos);
  CHECK(r.out.find("FN ORG  said") == std::string::npos);
  auto v = run_dateline("eval-extract -v --conll " + shell_quote(f.string()));
  CHECK(v.out.find("FN ORG  said") != std::string::npos);
  CHECK(v.out.find("sentence 1: Angela Merkel said so .") != std::string::npos);
  { std::ofstream(f) << "Angela B-PER\nMerkel X-PER\n"; }
  auto b = run_dateline("eval-extract --conll " + shell_quote(f.string()));
  CHECK(b.exit_code == 1);
  CHECK(b.err.find("tiny.txt:2: unknown tag 'X-PER'") != std::string::npos);
}

TEST_CASE("cli: the seed article (../shared/seed) is searchable by speaker and phrase") {
  if (!have_shared()) {
    MESSAGE("skipped: ../shared not present");
    return;
  }
  TempDir dir("dateline-cli-seed");
  const std::string idx = (dir.path() / "idx").string();
  REQUIRE(run_dateline("index --index " + shell_quote(idx) + " " + shell_quote((shared_dir() / "seed").string()))
              .exit_code == 0);
  CHECK(search_count(idx, "speaker:rutte") == 1);
  CHECK(search_count(idx, "speaker:\"mark rutte\" \"north korea\" date:2024-11") == 1);
  CHECK(search_count(idx, "\"north korea\" date:2023") == 0);
  CHECK(search_count(idx, "person:\"antony blinken\" org:nato place:brussels") == 1);
  CHECK(search_count(idx, "speaker:official") == 0);  // "a senior Ukrainian official" is unnamed
}

TEST_CASE("cli: --batch answers one line per request, flushed, errors as ERROR lines") {
  const std::string requests =
      "COUNT\t\"interest rates\"\n"
      "TOP10\tnegotiate\n"
      "TOP10_COUNT\tdate:2024-11-13\n"
      "COUNT\t(unbalanced\n"
      "SEARCH\tx\n"
      "COUNT\tNOT rates\r\n";
  auto r = run_dateline("search --batch - --index " + shell_quote(sample_index()), requests);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == "8");
  CHECK(std::count(lines[1].begin(), lines[1].end(), '\t') == 8);  // 9 ids
  CHECK(lines[1].find("dl-2023-0004") != std::string::npos);
  CHECK(lines[2].rfind("3\t", 0) == 0);
  CHECK(std::count(lines[2].begin(), lines[2].end(), '\t') == 3);
  CHECK(lines[3].rfind("ERROR", 0) == 0);
  CHECK(lines[4].rfind("ERROR", 0) == 0);
  CHECK(std::stoull(lines[5]) == search_count(sample_index(), "NOT rates"));
}

TEST_CASE("cli: query traps: unknown fields, lower-case operators, paging and plural messages") {
  const std::string idx = shell_quote(sample_index());
  auto unknown = run_dateline("search --index " + idx + " 'rates foo:bar'");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown field 'foo:'") != std::string::npos);
  CHECK(unknown.err.find("title, speaker, entity, person, org") != std::string::npos);
  CHECK(unknown.err.find("\n        ^\n") != std::string::npos);  // caret under "foo:" (2 + 6 spaces)
  CHECK(unknown.out.empty());

  auto lower_or = run_dateline("search --count --index " + idx + " 'rates or wind'");
  CHECK(lower_or.exit_code == 0);
  CHECK(lower_or.err.find("note: 'or' is searched as a word; to match either side, write OR") != std::string::npos);
  CHECK(std::count(lower_or.err.begin(), lower_or.err.end(), '\n') == 1);  // one line
  auto upper_or = run_dateline("search --count --index " + idx + " 'rates OR wind'");
  CHECK(upper_or.err.empty());
  CHECK(std::stoull(upper_or.out) > std::stoull(lower_or.out));

  auto one = run_dateline("search --index " + idx + " speaker:kamau");
  CHECK(one.out.find("1 article matches; showing 1-1") != std::string::npos);
  auto many = run_dateline("search --limit 2 --index " + idx + " rates");
  CHECK(many.out.find(" articles match; showing 1-2") != std::string::npos);
  auto past = run_dateline("search --offset 100 --index " + idx + " rates");
  CHECK(past.exit_code == 0);
  CHECK(past.out.find("none shown: --offset 100 is past the last hit") != std::string::npos);
  CHECK(past.out.find("showing") == std::string::npos);
}

TEST_CASE("cli: --sort newest and oldest (date is newest), undated last") {
  const std::string idx = shell_quote(sample_index());
  auto dates = [&](const std::string& sort) {
    auto r = run_dateline("search --json --limit 1000 --sort " + sort + " --index " + idx + " -- -zzzznothing");
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> out;
    simdjson::dom::parser parser;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      simdjson::dom::element e = parser.parse(line);
      out.push_back(e["date"].is_null() ? "" : std::string(std::string_view(e["date"])));
    }
    return out;
  };
  const auto newest = dates("newest"), oldest = dates("oldest");
  CHECK(dates("date") == newest);
  REQUIRE(newest.size() >= 40);
  CHECK(newest.back().empty());  // undated last in both orders
  CHECK(oldest.back().empty());
  for (size_t i = 1; i + 1 < newest.size(); ++i) {
    if (newest[i].empty()) break;
    CHECK(newest[i - 1] >= newest[i]);
  }
  for (size_t i = 1; i < oldest.size() && !oldest[i].empty(); ++i) CHECK(oldest[i - 1] <= oldest[i]);
  CHECK(oldest.front() < newest.front());
  CHECK(run_dateline("search --sort sideways --index " + idx + " rates").exit_code == 2);
}

TEST_CASE("cli: every hit leads back to its file: file and line in --json, --fields body, show") {
  const std::string idx = shell_quote(sample_index());
  simdjson::dom::parser parser;
  auto r = run_dateline("search --json --fields body --index " + idx + " speaker:lukasiewicz");
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  size_t hits = 0;
  for (std::string line; std::getline(lines, line);) {
    simdjson::dom::element e = parser.parse(line);
    ++hits;
    const std::string file{std::string_view(e["file"])};
    CHECK(file.find("corpus/samples/news-2024.jsonl") != std::string::npos);
    const uint64_t n = uint64_t(e["line"]);
    // The line really holds the record: its id is on it.
    std::ifstream in(file);
    std::string text;
    for (uint64_t i = 0; i < n; ++i) std::getline(in, text);
    std::string quoted_id(1, '"');
    quoted_id.append(std::string_view(e["id"])).push_back('"');
    CHECK(text.find(quoted_id) != std::string::npos);
    CHECK(std::string_view(e["body"]).find("Łukasiewicz") != std::string_view::npos);
  }
  CHECK(hits == 2);
  // Text files: the path, no line.
  auto t = run_dateline("search --json --index " + idx + " speaker:kamau");
  simdjson::dom::element e = parser.parse(t.out.substr(0, t.out.find('\n')));
  CHECK(std::string_view(e["file"]).ends_with("corpus/samples/text/kericho-tea-harvest.txt"));
  CHECK(e["line"].is_null());
  CHECK(t.out.find("\"body\"") == std::string::npos);  // only with --fields body
  CHECK(run_dateline("search --fields bogus --index " + idx + " rates").exit_code == 2);

  // show: the stored article with what was extracted, by id.
  const std::string id{std::string_view(e["id"])};
  auto show = run_dateline("show --index " + idx + " " + shell_quote(id));
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("Wanjiru Kamau") != std::string::npos);
  CHECK(show.out.find("from: ") != std::string::npos);
  CHECK(show.out.find("kericho-tea-harvest.txt") != std::string::npos);
  CHECK(show.out.find("(no date)") != std::string::npos);
  auto js = run_dateline("show --json --index " + idx + " dl-2024-0002 dl-2023-0001");
  CHECK(js.exit_code == 0);
  std::istringstream jl(js.out);
  std::vector<std::string> ids;
  for (std::string line; std::getline(jl, line);) {
    simdjson::dom::element a = parser.parse(line);
    ids.emplace_back(std::string_view(a["id"]));
    CHECK(std::string_view(a["body"]).size() > 200);
    CHECK(a["speakers"].is_array());
    CHECK(a["places"].is_array());
    CHECK(a["date"].is_string());
    CHECK(a["line"].is_number());
  }
  CHECK(ids == std::vector<std::string>{"dl-2024-0002", "dl-2023-0001"});
  auto missing = run_dateline("show --index " + idx + " dl-2024-0002 no-such-id");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no article with id \"no-such-id\"") != std::string::npos);
  CHECK(missing.out.find("Gdańsk") != std::string::npos);  // the found one is still printed
}

TEST_CASE("cli: prefixes match written words, accents fold, names resolve (sample corpus)") {
  const std::string idx = shell_quote(sample_index());
  // "negotiations", "negotiators", "negotiated" all start with negotiat-; their stems do not.
  CHECK(search_count(sample_index(), "negotiat*") >= 9);
  CHECK(search_count(sample_index(), "negotiat*") == search_count(sample_index(), "negotiate OR negotiations OR negotiators OR negotiated OR negotiating OR negotiation OR negotiator"));
  CHECK(search_count(sample_index(), "minister*") >= search_count(sample_index(), "minister"));
  CHECK(search_count(sample_index(), "gdansk") == search_count(sample_index(), "gdańsk"));
  CHECK(search_count(sample_index(), "gdansk") >= 3);
  CHECK(search_count(sample_index(), "\"sao paulo\"") == search_count(sample_index(), "\"são paulo\""));
  CHECK(search_count(sample_index(), "tromso") == search_count(sample_index(), "Tromsø"));
  CHECK(search_count(sample_index(), "speaker:kjaergaard") == 3);
  CHECK(search_count(sample_index(), "place:us") == search_count(sample_index(), "place:\"united states\""));
  auto note = run_dateline("search --count --index " + idx + " place:us");
  CHECK(note.err.find("note: place:us is read as place:\"United States\"") != std::string::npos);
  // Prefix hits highlight the words that start with the prefix.
  auto h = run_dateline("search --limit 1 --index " + idx + " negotiat*");
  CHECK(h.out.find("[negotiat") != std::string::npos);
  CHECK(search_count(sample_index(), "speaker:kjær*") == 3);  // name prefixes fold accents too
}

namespace {

// The ids of a `dateline extract` run's output, in order.
std::vector<std::string> extract_ids(const std::string& out) {
  std::vector<std::string> ids;
  simdjson::dom::parser parser;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) ids.emplace_back(std::string_view(parser.parse(line)["id"]));
  return ids;
}

std::string zstd_bytes(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  REQUIRE_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

}  // namespace

TEST_CASE("cli: '-' reads standard input for extract and index, sniffing the format") {
  const std::string jsonl = R"({"title":"Ferry strike","body":"Ferry crews went on strike."})" "\n"
                            R"({"id":"s2","title":"Ferry deal","body":"The strike ended.","pubDate":"later"})" "\n";
  auto j = run_dateline("extract -", jsonl);
  CHECK(j.exit_code == 0);
  CHECK(extract_ids(j.out) == std::vector<std::string>{"stdin#1", "s2"});
  CHECK(j.out.find("\"file\":\"-\",\"line\":1") != std::string::npos);
  CHECK(j.out.find("\"origin\":\"<stdin>:1\"") != std::string::npos);
  CHECK(j.err.find("warning: <stdin>:2: invalid date \"later\"") != std::string::npos);

  auto z = run_dateline("extract -", zstd_bytes(jsonl));
  CHECK(z.exit_code == 0);
  CHECK(extract_ids(z.out) == std::vector<std::string>{"stdin#1", "s2"});
  auto cut = run_dateline("extract -", zstd_bytes(jsonl).substr(0, 12));
  CHECK(cut.exit_code == 1);
  CHECK(cut.err.find("error: <stdin>:1: truncated zstd stream; 0 articles were kept") != std::string::npos);

  auto g = run_dateline("extract -", "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS NEWID=\"7\">\n<DATE>2-MAR-1987</DATE>"
                                     "<TEXT><TITLE>COCOA</TITLE><BODY>Cocoa rose.</BODY></TEXT></REUTERS>\n"
                                     "<REUTERS><DATE>3-MAR-1987</DATE><TEXT><TITLE>TEA</TITLE></TEXT></REUTERS>\n");
  CHECK(extract_ids(g.out) == std::vector<std::string>{"reuters-7", "stdin#2"});

  auto t = run_dateline("extract -", "Harbour reopens\n\nOSLO, May 2, 2024 - The harbour reopened.\n");
  REQUIRE(t.exit_code == 0);
  CHECK(extract_ids(t.out) == std::vector<std::string>{"stdin"});
  CHECK(t.out.find("\"title\":\"Harbour reopens\"") != std::string::npos);
  CHECK(t.out.find("\"date\":\"2024-05-02\"") != std::string::npos);
  CHECK(t.out.find("\"origin\":\"<stdin>\"") != std::string::npos);

  auto twice = run_dateline("extract - -", jsonl);
  CHECK(twice.exit_code == 1);
  CHECK(extract_ids(twice.out).size() == 2);
  CHECK(twice.err.find("error: <stdin>: standard input is named twice; read only once") != std::string::npos);

  TempDir dir("dateline-cli-stdin");
  const std::string idx = (dir.path() / "idx").string();
  auto i = run_dateline("index --index " + shell_quote(idx) + " -", jsonl);
  REQUIRE_MESSAGE(i.exit_code == 0, i.err);
  CHECK(search_count(idx, "ferry") == 2);
  CHECK(search_count(idx, "strike AND date:..2000") == 0);
}

TEST_CASE("cli: an id seen twice in a run is a warning naming both places, the later record wins, exit code 0") {
  TempDir dir("dateline-cli-dup");
  const fs::path a = dir.path() / "a.jsonl", b = dir.path() / "b.jsonl";
  std::ofstream(a) << R"({"id":"dl-1","title":"Harbour reopens","body":"The harbour reopened."})" << "\n";
  std::ofstream(b) << R"({"id":"dl-2","title":"Ferry strike","body":"Ferry crews went on strike."})" << "\n"
                   << R"({"id":"dl-1","title":"Harbour closes","body":"The harbour closed again."})" << "\n";
  const std::string idx = (dir.path() / "idx").string();
  auto r = run_dateline("index --index " + shell_quote(idx) + " " + shell_quote(a.string()) + " " +
                        shell_quote(b.string()));
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("warning: " + b.string() + ":2: id \"dl-1\" also at " + a.string() +
                   ":1 (the later record replaces it)\n") != std::string::npos);
  CHECK(r.err.find("1 articles repeat an id") == std::string::npos);
  CHECK(r.err.find("dateline index: 1 article repeats an id seen earlier in this run and replaced it") !=
        std::string::npos);
  CHECK(r.err.find("replacing 1 article of the same id") != std::string::npos);
  CHECK(search_count(idx, "harbour") == 1);  // what the message says: the later record wins
  CHECK(search_count(idx, "closed") == 1);
  CHECK(search_count(idx, "reopened") == 0);
  auto x = run_dateline("extract " + shell_quote(a.string()) + " " + shell_quote(b.string()));
  CHECK(x.exit_code == 0);
  CHECK(extract_ids(x.out) == std::vector<std::string>{"dl-1", "dl-2", "dl-1"});
  CHECK(x.err == "warning: " + b.string() + ":2: id \"dl-1\" also at " + a.string() + ":1 (both are printed)\n");

  // Text files of the same name in different folders have different ids.
  const fs::path archive = dir.path() / "archive";
  fs::create_directories(archive / "2024");
  fs::create_directories(archive / "2025");
  std::ofstream(archive / "2024" / "story.txt") << "The harbour reopened in 2024.\n";
  std::ofstream(archive / "2025" / "story.txt") << "The harbour reopened in 2025.\n";
  auto s = run_dateline("extract " + shell_quote(archive.string()));
  CHECK(s.exit_code == 0);
  CHECK(s.err.empty());
  CHECK(extract_ids(s.out) == std::vector<std::string>{"2024/story.txt", "2025/story.txt"});
}

TEST_CASE("cli: JSON Lines aliases are indexed, unknown fields are reported once per file") {
  TempDir dir("dateline-cli-schema");
  const fs::path f = dir.path() / "feed.jsonl";
  std::ofstream(f) << R"({"id":"f1","headline":"Harbour reopens","text":"The harbour reopened.","pubDate":"Tue, 10 Jun 2003 04:00:00 GMT","byline":"Ann Lee","summary":"s"})"
                   << "\n"
                   << R"({"id":"f2","title":"Ferry strike","story":"Ferry crews went on strike.","summary":"s"})" << "\n";
  const std::string idx = (dir.path() / "idx").string();
  auto r = run_dateline("index --index " + shell_quote(idx) + " " + shell_quote(f.string()));
  CHECK(r.exit_code == 0);
  CHECK(search_count(idx, "harbour AND date:2003-06-10 AND title:reopens") == 1);
  CHECK(search_count(idx, "crews") == 0);  // "story" is not read...
  CHECK(r.err.find("warning: " + f.string() + ":1: field \"summary\" is not read (in 2 records; known fields: id, ") !=
        std::string::npos);
  CHECK(r.err.find("warning: " + f.string() + ":2: field \"story\" is not read (in 1 record;") != std::string::npos);
  // ...and the record it left without a body is counted.
  CHECK(r.err.find("warning: " + f.string() + ":2: 1 record has a title but no body") != std::string::npos);
  auto help = run_dateline("index --help");
  CHECK(help.out.find("body (or text, content)") != std::string::npos);
  CHECK(help.out.find("'-' reads standard input") != std::string::npos);
}

TEST_CASE("cli: extract output indexes again with types and aliases kept, and no schema warnings") {
  TempDir dir;
  const std::string jsonl = (dir.path() / "extracted.jsonl").string();
  auto ex = run_dateline("extract --body " + shell_quote((source_dir() / "corpus/samples").string()));
  REQUIRE(ex.exit_code == 0);
  std::ofstream(jsonl) << ex.out;
  const std::string idx = (dir.path() / "idx").string();
  auto ix = run_dateline("index --index " + shell_quote(idx) + " " + shell_quote(jsonl));
  REQUIRE(ix.exit_code == 0);
  CHECK(ix.err.find("warning") == std::string::npos);
  for (const char* q : {"person:halvorsen", "org:\"world bank\"", "place:gdansk", "entity:nato", "speaker:okafor",
                        "person:h* OR org:w*", "date:2024", "title:rates", "negotiat*", "-zzz", "quote:inflation",
                        "said:okafor(naira)", "said:lindqvist(\"interest rates\" OR inflation)"}) {
    INFO(std::string(q));
    CHECK(search_count(idx, q) == search_count(sample_index(), q));
  }
  // Aliases round-trip too: one record written by hand, re-read.
  const std::string one = (dir.path() / "one.jsonl").string();
  {
    std::ofstream f(one);
    f << R"({"id":"a","title":"t","body":"The CFTC acted.","entities":["CFTC"],)"
      << R"("aliases":[{"alias":"CFTC","name":"Commodity Futures Trading Commission","type":"org"}]})" << "\n";
  }
  const std::string idx2 = (dir.path() / "idx2").string();
  REQUIRE(run_dateline("index --index " + shell_quote(idx2) + " " + shell_quote(one)).exit_code == 0);
  CHECK(search_count(idx2, "entity:\"commodity futures trading commission\"") == 1);
}

TEST_CASE("cli: quotes lists a speaker's quotations on a subject, newest first; JSON hits carry the matched ones") {
  const std::string idx = sample_index();
  auto r = run_dateline("quotes --index " + shell_quote(idx) + " --json speaker:lindqvist inflation");
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::string line, last_date = "9999";
  size_t n = 0;
  while (std::getline(lines, line)) {
    ++n;
    INFO(line);
    CHECK(line.find("\"speaker\":\"Helena Lindqvist\"") != std::string::npos);
    const size_t t = line.find("\"text\":\"");
    REQUIRE(t != std::string::npos);
    std::string text = line.substr(t, line.find("\",\"id\"") - t);
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(text.find("inflation") != std::string::npos);
    const std::string date = line.substr(line.find("\"date\":\"") + 8, 10);
    CHECK(date <= last_date);  // newest first
    last_date = date;
  }
  CHECK(n >= 3);
  // The human form, a limit, and a query with nothing to find in quotations.
  auto h = run_dateline("quotes --index " + shell_quote(idx) + " -n 1 speaker:lindqvist inflation");
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("Helena Lindqvist (") != std::string::npos);
  CHECK(h.err.find("1 quotations from 1 articles") != std::string::npos);
  auto bad = run_dateline("quotes --index " + shell_quote(idx) + " date:2024");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("give words to find in quotations") != std::string::npos);
  // search --json: the quotations that matched, with their text.
  auto s = run_dateline("search --json --index " + shell_quote(idx) + " 'said:okafor(naira)'");
  REQUIRE(s.exit_code == 0);
  CHECK(s.out.find("\"quotes\":[{\"speaker\":\"Amara Okafor\"") != std::string::npos);
  CHECK(s.out.find("naira") != std::string::npos);
  // Syntax errors point at the column.
  auto e = run_dateline("search --index " + shell_quote(idx) + " 'said:okafor naira'");
  CHECK(e.exit_code == 2);
  CHECK(e.err.find("takes its words in parentheses") != std::string::npos);
}

TEST_CASE("cli: delete by id and by query (with --dry-run), optimize, check") {
  TempDir dir("dateline-cli-archive");
  const std::string idx = (dir.path() / "idx").string();
  REQUIRE(run_dateline("index -q --index " + shell_quote(idx) + " " + shell_quote((source_dir() / "corpus/samples").string()))
              .exit_code == 0);
  const uint64_t all = search_count(idx, "-zzzz");
  const uint64_t in_2023 = search_count(idx, "date:2023");
  REQUIRE(in_2023 > 3);
  // A dry run lists and changes nothing.
  auto dry = run_dateline("delete --dry-run --index " + shell_quote(idx) + " --query date:2023");
  CHECK(dry.exit_code == 0);
  CHECK(static_cast<uint64_t>(std::count(dry.out.begin(), dry.out.end(), '\n')) == in_2023);
  CHECK(dry.err.find("would delete " + std::to_string(in_2023) + " articles") != std::string::npos);
  CHECK(search_count(idx, "-zzzz") == all);
  // By query, then by id (one missing).
  auto q = run_dateline("delete --index " + shell_quote(idx) + " --query date:2023");
  CHECK(q.exit_code == 0);
  CHECK(search_count(idx, "date:2023") == 0);
  CHECK(search_count(idx, "-zzzz") == all - in_2023);
  auto ids = run_dateline("delete --index " + shell_quote(idx) + " --id dl-2024-0002 no-such-id");
  CHECK(ids.exit_code == 0);
  CHECK(ids.err.find("1 of the ids given are not in the index") != std::string::npos);
  CHECK(search_count(idx, "id:dl-2024-0002") == 0);
  CHECK(run_dateline("show --index " + shell_quote(idx) + " dl-2024-0002").exit_code == 1);
  CHECK(run_dateline("delete --index " + shell_quote(idx)).exit_code == 2);  // neither --id nor --query
  // check, optimize, check.
  auto c = run_dateline("check --index " + shell_quote(idx));
  CHECK(c.exit_code == 0);
  CHECK(c.out.find(": ok: ") != std::string::npos);
  CHECK(c.out.find(" deleted)") != std::string::npos);  // merges may already have purged some
  auto o = run_dateline("optimize --index " + shell_quote(idx));
  CHECK(o.exit_code == 0);
  CHECK(o.err.find("-> 1 in") != std::string::npos);
  auto c2 = run_dateline("check --index " + shell_quote(idx));
  CHECK(c2.exit_code == 0);
  CHECK(c2.out.find("(0 deleted)") != std::string::npos);
  CHECK(search_count(idx, "-zzzz") == all - in_2023 - 1);
  // Re-running the same index command changes nothing but the replaced articles' versions.
  REQUIRE(run_dateline("index -q --index " + shell_quote(idx) + " " + shell_quote((source_dir() / "corpus/samples").string()))
              .exit_code == 0);
  CHECK(search_count(idx, "-zzzz") == all);
  // A damaged file: check names it, exit 1.
  const fs::path seg = *std::find_if(fs::directory_iterator(idx), fs::directory_iterator(), [](const fs::directory_entry& e) {
    return e.path().filename().string().rfind("seg-", 0) == 0;
  });
  std::string bytes;
  {
    std::ifstream in(seg / "postings.bin", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  bytes[bytes.size() / 2] ^= 0x10;
  std::ofstream(seg / "postings.bin", std::ios::binary) << bytes;
  auto bad = run_dateline("check --index " + shell_quote(idx));
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("postings.bin: damaged") != std::string::npos);
  CHECK(bad.err.find("at byte ") != std::string::npos);
}

TEST_CASE("cli: --batch answers an empty or blank request line with an ERROR line") {
  // One reply line per request line, always: a client that sends an empty
  // line must not wait forever for its answer.
  auto r = run_dateline("search --batch - --index " + shell_quote(sample_index()),
                        "COUNT\t\"interest rates\"\n"
                        "\n"
                        "TOP10\tnegotiate\n"
                        " \t \r\n"
                        "\r\n"
                        "COUNT\tNOT rates\n"
                        "  ");  // a last blank line without its newline
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == "8");
  CHECK(lines[1] == "ERROR empty request");
  CHECK(lines[2].find("dl-2023-0004") != std::string::npos);
  CHECK(lines[3] == "ERROR empty request");
  CHECK(lines[4] == "ERROR empty request");
  CHECK(std::stoull(lines[5]) == search_count(sample_index(), "NOT rates"));
  CHECK(lines[6] == "ERROR empty request");

  auto three = run_dateline("search --batch - --index " + shell_quote(sample_index()),
                            "COUNT\t\"interest rates\"\n\nCOUNT\tnegotiate\n");
  REQUIRE(three.exit_code == 0);
  std::istringstream in3(three.out);
  std::vector<std::string> replies;
  for (std::string l; std::getline(in3, l);) replies.push_back(l);
  REQUIRE(replies.size() == 3);
  CHECK(replies[0] == "8");
  CHECK(replies[1].rfind("ERROR ", 0) == 0);
  CHECK(replies[2] == "9");
}

TEST_CASE("cli: --batch --timing prefixes each reply with its in-process nanoseconds and a TAB") {
  const std::string requests =
      "COUNT\t\"interest rates\"\n"
      "TOP10\tnegotiate\n"
      "\n"
      "COUNT\t(unbalanced\n"
      "TOP10\tzzzzzz\n";
  const std::string idx = shell_quote(sample_index());
  auto plain = run_dateline("search --batch - --index " + idx, requests);
  auto timed = run_dateline("search --batch - --timing --index " + idx, requests);
  REQUIRE(plain.exit_code == 0);
  REQUIRE(timed.exit_code == 0);
  std::vector<std::string> want, got;
  std::istringstream p(plain.out), t(timed.out);
  for (std::string l; std::getline(p, l);) want.push_back(l);
  for (std::string l; std::getline(t, l);) got.push_back(l);
  REQUIRE(want.size() == 5);
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const size_t tab = got[i].find('\t');
    REQUIRE_MESSAGE(tab != std::string::npos, got[i]);
    const std::string ns = got[i].substr(0, tab);
    CHECK_MESSAGE((!ns.empty() && ns.find_first_not_of("0123456789") == std::string::npos), got[i]);
    CHECK(std::stoull(ns) < 60'000'000'000ULL);  // a minute: a plausible duration, not a clock reading
    CHECK(got[i].substr(tab + 1) == want[i]);  // the answer itself is unchanged
  }
  CHECK(want[4].empty());  // no hits: the timed line is just "NS\t"

  // --timing only means something with --batch.
  auto alone = run_dateline("search --timing --index " + idx + " rates");
  CHECK(alone.exit_code != 0);
  CHECK(alone.err.find("--batch") != std::string::npos);
}

TEST_CASE("cli: --index given several times searches the indexes as one (one per year)") {
  TempDir tmp("dateline-cli-multi");
  const fs::path samples = source_dir() / "corpus/samples";
  const std::string y23 = (tmp.path() / "2023").string(), rest = (tmp.path() / "rest").string();
  REQUIRE(run_dateline("index --index " + shell_quote(y23) + " " + shell_quote((samples / "news-2023.jsonl").string()))
              .exit_code == 0);
  REQUIRE(run_dateline("index --index " + shell_quote(rest) + " " + shell_quote((samples / "news-2024.jsonl").string()) +
                       " " + shell_quote((samples / "news-2025.jsonl").string()) + " " +
                       shell_quote((samples / "text").string()))
              .exit_code == 0);
  const std::string both = "--index " + shell_quote(y23) + " -i " + shell_quote(rest);
  for (const char* q : {"rates", "\"central bank\"", "speaker:halvorsen", "date:2023 OR date:2025", "-rates"}) {
    INFO(q);
    auto r = run_dateline("search --count " + both + " -- " + shell_quote(q));
    REQUIRE(r.exit_code == 0);
    CHECK(std::stoull(r.out) == search_count(sample_index(), q));
    CHECK(std::stoull(r.out) == search_count(y23, q) + search_count(rest, q));
  }
  // One merged page, the same ids as the index of everything, each hit naming its index.
  auto r = run_dateline("search --json --limit 100 " + both + " rates");
  REQUIRE(r.exit_code == 0);
  std::set<std::string> ids, indexes;
  simdjson::dom::parser parser;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    simdjson::dom::element e = parser.parse(line);
    ids.emplace(std::string_view(e["id"]));
    indexes.emplace(std::string_view(e["index"]));
  }
  std::set<std::string> expected;  // ids of text files are relative to the directory given
  for (const std::string& id : search_ids("rates")) expected.insert(id.rfind("text/", 0) == 0 ? id.substr(5) : id);
  CHECK(ids == expected);
  CHECK(indexes == std::set<std::string>{y23, rest});
  // Batch mode too, and show finds an article in either index.
  auto batch = run_dateline("search --batch - " + both, "COUNT\trates\n");
  CHECK(batch.out == std::to_string(search_count(sample_index(), "rates")) + "\n");
  auto show = run_dateline("show " + both + " dl-2023-0001 dl-2025-0001");
  CHECK(show.exit_code == 0);
  // The same index twice is an error that says so.
  auto twice = run_dateline("search -i " + shell_quote(y23) + " -i " + shell_quote(y23) + " rates");
  CHECK(twice.exit_code != 0);
  CHECK(twice.err.find("given twice") != std::string::npos);
}
