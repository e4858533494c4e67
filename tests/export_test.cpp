// End-to-end tests of the exports: search --format csv|tsv|jsonl and
// export --format opensearch, run through the dateline executable on the
// sample corpus (and on a copy changed by an added, a replaced and a deleted
// article). The CSV is read back with an RFC 4180 parser written here.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "searcher/searcher.h"
#include "test_util.h"

using namespace dateline::testing;
namespace fs = std::filesystem;

namespace {

std::string samples() { return (source_dir() / "corpus/samples").string(); }

// The title and source of the article that the tests add: commas, quotes,
// and in the source a line break and a tab (titles have their whitespace
// collapsed by the readers, sources not).
const std::string kTrickyTitle = "Rates, \"hawks\" and doves, again: a \"quoted\", comma title";
const std::string kTrickySource = "Test, \"Wire\"\n\tService";
const std::string kTrickyWord = "zebrafinch";  // in its body only

// An index of corpus/samples.
const std::string& sample_index() {
  static TempDir dir("dateline-export");
  static std::string path = [] {
    const std::string p = (dir.path() / "idx").string();
    auto r = run_dateline("index -q --index " + shell_quote(p) + " " + shell_quote(samples()));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return p;
  }();
  return path;
}

// The ids that the changed index replaces and deletes (sample articles).
const std::string kReplacedId = "dl-2024-0001";
const std::string kDeletedId = "dl-2024-0002";
const std::string kReplacedTitle = "Replaced: soybean forecast revised";

// corpus/samples, then one added article with kTrickyTitle, kReplacedId
// indexed again with kReplacedTitle, and kDeletedId deleted.
const std::string& changed_index() {
  static TempDir dir("dateline-export-changed");
  static std::string path = [] {
    const std::string p = (dir.path() / "idx").string();
    auto r = run_dateline("index -q --index " + shell_quote(p) + " " + shell_quote(samples()));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const fs::path extra = dir.path() / "extra.jsonl";
    std::ofstream(extra) << R"({"id": "export-tricky", "date": "2025-12-01", "title": "Rates, \"hawks\" and doves, again: a \"quoted\", comma title", "body": "The zebrafinch committee met.\n\nIt said rates, \"for now\", stay put.", "source": "Test, \"Wire\"\n\tService"})"
                         << "\n"
                         << R"({"id": "dl-2024-0001", "date": "2024-01-23", "title": "Replaced: soybean forecast revised", "body": "The forecast was revised again."})"
                         << "\n";
    r = run_dateline("index -q --index " + shell_quote(p) + " " + shell_quote(extra.string()));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    r = run_dateline("delete --quiet --index " + shell_quote(p) + " --id " + kDeletedId);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return p;
  }();
  return path;
}

uint64_t search_count(const std::string& index, const std::string& query) {
  auto r = run_dateline("search --count --index " + shell_quote(index) + " -- " + shell_quote(query));
  REQUIRE_MESSAGE(r.exit_code == 0, query << ": " << r.err);
  return std::stoull(r.out);
}

// The hits of `query` as --json lists them (page of up to 100000), in order.
std::vector<std::string> json_ids(const std::string& index, const std::string& query, const std::string& extra = "") {
  auto r = run_dateline("search --json --limit 100000 " + extra + " --index " + shell_quote(index) + " -- " +
                        shell_quote(query));
  REQUIRE_MESSAGE(r.exit_code == 0, query << ": " << r.err);
  std::vector<std::string> ids;
  simdjson::dom::parser parser;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) ids.emplace_back(std::string_view(parser.parse(line)["id"]));
  return ids;
}

std::string search_format(const std::string& index, const std::string& format, const std::string& query,
                          const std::string& extra = "") {
  auto r = run_dateline("search --format " + format + " " + extra + " --index " + shell_quote(index) + " -- " +
                        shell_quote(query));
  REQUIRE_MESSAGE(r.exit_code == 0, query << ": " << r.err);
  return r.out;
}

// RFC 4180: records separated by CRLF (or LF), fields by commas; a quoted
// field may hold commas, CR, LF and doubled quotes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') field += c;
      else if (i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
      else quoted = false;
      continue;
    }
    any = true;
    if (c == '"') {
      REQUIRE_MESSAGE(field.empty(), "a quote inside an unquoted field at byte " << i);
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r') {
        const bool crlf = i + 1 < text.size() && text[i + 1] == '\n';
        REQUIRE_MESSAGE(crlf, "a bare CR at byte " << i);
        ++i;
      }
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field += c;
    }
  }
  REQUIRE_MESSAGE(!quoted, "an unclosed quote");
  if (any) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

const std::vector<std::string> kColumns{"id",     "date",   "title", "speakers", "people",
                                        "organizations", "places", "source", "url", "score"};

// Exported NDJSON as (action, document) pairs; checks the _bulk rules: an
// action line then its document line, no blank lines, every line (the last
// one too) ended by a newline.
struct BulkPair {
  std::string action_index, action_id, doc_id;
  std::string doc_json;
};
std::vector<BulkPair> parse_bulk(const std::string& ndjson) {
  std::vector<BulkPair> pairs;
  REQUIRE_MESSAGE((ndjson.empty() || ndjson.back() == '\n'), "the bulk body must end with a newline");
  REQUIRE_MESSAGE(ndjson.find("\n\n") == std::string::npos, "a blank line in the bulk body");
  simdjson::dom::parser parser;
  std::istringstream lines(ndjson);
  std::string action, doc;
  while (std::getline(lines, action)) {
    REQUIRE_MESSAGE(std::getline(lines, doc), "an action line without its document");
    BulkPair p;
    simdjson::dom::element a = parser.parse(action);
    p.action_index = std::string(std::string_view(a["index"]["_index"]));
    p.action_id = std::string(std::string_view(a["index"]["_id"]));
    simdjson::dom::element d = parser.parse(doc);
    p.doc_id = std::string(std::string_view(d["id"]));
    p.doc_json = doc;
    pairs.push_back(std::move(p));
  }
  return pairs;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> string_array(simdjson::dom::element e) {
  std::vector<std::string> out;
  for (simdjson::dom::element x : simdjson::dom::array(e)) out.emplace_back(std::string_view(x));
  return out;
}

}  // namespace

TEST_CASE("export: Searcher::all_hits sorted is search()'s exhaustive ranking of every hit") {
  dateline::Searcher searcher(changed_index());
  using Sort = dateline::SearchOptions::Sort;
  for (const char* text : {"rates", "NOT zzzzunknownword", "speaker:halvorsen OR bank", "negotiat*"})
    for (const Sort sort : {Sort::Relevance, Sort::Newest, Sort::Oldest}) {
      const dateline::Query q = searcher.parse(text);
      std::vector<dateline::ScoredDoc> all = searcher.all_hits(q);
      CHECK(all.size() == searcher.count(q));
      CHECK(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.segment != b.segment ? a.segment < b.segment : a.doc < b.doc;
      }));  // index order
      dateline::sort_hits(all, sort);
      dateline::SearchOptions opts;
      opts.limit = all.size() + 1;
      opts.sort = sort;
      opts.exhaustive = true;
      const std::vector<dateline::ScoredDoc> page = searcher.search(q, opts).hits;
      REQUIRE(page.size() == all.size());
      for (size_t i = 0; i < all.size(); ++i) {
        CHECK_MESSAGE((all[i].segment == page[i].segment && all[i].doc == page[i].doc), text << " #" << i);
        CHECK(all[i].score == page[i].score);
        CHECK(all[i].date == page[i].date);
      }
    }
}

TEST_CASE("export: search --format csv reads back with every hit, the tricky title intact") {
  const std::string& idx = changed_index();
  for (const std::string& query : std::vector<std::string>{"rates", "NOT zzzzunknownword", kTrickyWord, "speaker:halvorsen"}) {
    const auto rows = parse_csv(search_format(idx, "csv", query));
    REQUIRE(!rows.empty());
    CHECK(rows[0] == kColumns);
    CHECK_MESSAGE(rows.size() - 1 == search_count(idx, query), "query: " << query);
    std::vector<std::string> ids;
    for (size_t i = 1; i < rows.size(); ++i) {
      REQUIRE(rows[i].size() == kColumns.size());
      ids.push_back(rows[i][0]);
      if (i > 1) CHECK(std::stod(rows[i][9]) <= std::stod(rows[i - 1][9]));  // by relevance
    }
    // The same hits in the same order as the --json page of all of them.
    CHECK_MESSAGE(ids == json_ids(idx, query), "query: " << query);
  }
  const auto tricky = parse_csv(search_format(idx, "csv", kTrickyWord));
  REQUIRE(tricky.size() == 2);
  CHECK(tricky[1][0] == "export-tricky");
  CHECK(tricky[1][2] == kTrickyTitle);
  CHECK(tricky[1][7] == kTrickySource);
  CHECK(tricky[1][1] == "2025-12-01");
}

TEST_CASE("export: search --format csv honours --sort and joins names with '; '") {
  const std::string& idx = sample_index();
  for (const std::string sort : {"newest", "oldest"}) {
    const auto rows = parse_csv(search_format(idx, "csv", "NOT zzzzunknownword", "--sort " + sort));
    REQUIRE(rows.size() > 2);
    std::vector<std::string> ids;
    for (size_t i = 1; i < rows.size(); ++i) {
      ids.push_back(rows[i][0]);
      const std::string &d = rows[i][1], &prev = rows[i - 1][1];
      if (i > 1 && !d.empty()) {
        CHECK_MESSAGE(!prev.empty(), "undated articles come last");
        CHECK((sort == "newest" ? d <= prev : d >= prev));
      }
    }
    CHECK(ids == json_ids(idx, "NOT zzzzunknownword", "--sort " + sort));
  }
  // Multi-valued cells are the jsonl arrays joined with "; ".
  const auto rows = parse_csv(search_format(idx, "csv", "NOT zzzzunknownword"));
  simdjson::dom::parser parser;
  std::map<std::string, std::string> people;
  std::istringstream lines(search_format(idx, "jsonl", "NOT zzzzunknownword"));
  for (std::string line; std::getline(lines, line);) {
    simdjson::dom::element e = parser.parse(line);
    std::string joined;
    for (const std::string& n : string_array(e["people"])) {
      if (!joined.empty()) joined += "; ";
      joined += n;
    }
    people[std::string(std::string_view(e["id"]))] = joined;
  }
  size_t several = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i][4] == people.at(rows[i][0]));
    several += rows[i][4].find("; ") != std::string::npos;
  }
  CHECK(several > 0);
}

TEST_CASE("export: search --format tsv has one line per hit and no stray tabs") {
  const std::string& idx = changed_index();
  for (const std::string& query : std::vector<std::string>{"NOT zzzzunknownword", kTrickyWord}) {
    const std::string out = search_format(idx, "tsv", query);
    std::istringstream lines(out);
    size_t n = 0;
    for (std::string line; std::getline(lines, line); ++n) {
      CHECK(std::count(line.begin(), line.end(), '\t') == static_cast<long>(kColumns.size() - 1));
      CHECK(line.find('\r') == std::string::npos);
      if (n == 0) CHECK(line == "id\tdate\ttitle\tspeakers\tpeople\torganizations\tplaces\tsource\turl\tscore");
    }
    CHECK(n == search_count(idx, query) + 1);
  }
  // The source's tab and line break became spaces.
  std::string source = kTrickySource;
  std::replace(source.begin(), source.end(), '\t', ' ');
  std::replace(source.begin(), source.end(), '\n', ' ');
  CHECK(search_format(idx, "tsv", kTrickyWord).find("\t" + source + "\t") != std::string::npos);
}

TEST_CASE("export: search --format jsonl gives one parsable object per hit") {
  const std::string& idx = changed_index();
  simdjson::dom::parser parser;
  for (const std::string query : {"rates", "NOT zzzzunknownword"}) {
    const std::string out = search_format(idx, "jsonl", query);
    CHECK(static_cast<uint64_t>(std::count(out.begin(), out.end(), '\n')) == search_count(idx, query));
    std::istringstream lines(out);
    std::vector<std::string> ids;
    for (std::string line; std::getline(lines, line);) {
      simdjson::dom::element e;
      REQUIRE(parser.parse(line).get(e) == simdjson::SUCCESS);
      ids.emplace_back(std::string_view(e["id"]));
      CHECK(e["score"].is_number());
      for (const char* key : {"speakers", "people", "organizations", "places"}) CHECK(e[key].is_array());
      CHECK(e["title"].is_string());
    }
    CHECK(ids == json_ids(idx, query));
  }
  // Several indexes: each object names its index, as --json does.
  const std::string both = search_format(idx, "jsonl", "rates", "--index " + shell_quote(sample_index()));
  std::istringstream both_lines(both);
  std::set<std::string> dirs;
  for (std::string line; std::getline(both_lines, line);) dirs.emplace(std::string_view(parser.parse(line)["index"]));
  CHECK(dirs == std::set<std::string>{idx, sample_index()});
  CHECK(static_cast<uint64_t>(std::count(both.begin(), both.end(), '\n')) ==
        search_count(idx, "rates") + search_count(sample_index(), "rates"));
  // Usage errors: a bad format, or --format with --json.
  CHECK(run_dateline("search --format xml --index " + shell_quote(idx) + " rates").exit_code == 2);
  CHECK(run_dateline("search --format csv --json --index " + shell_quote(idx) + " rates").exit_code == 2);
}

TEST_CASE("export: opensearch pairs cover every live article once, deleted ones absent") {
  const std::string& idx = changed_index();
  auto r = run_dateline("export --quiet --format opensearch --index-name news --index " + shell_quote(idx));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const std::vector<BulkPair> pairs = parse_bulk(r.out);
  std::multiset<std::string> exported;
  simdjson::dom::parser parser;
  for (const BulkPair& p : pairs) {
    CHECK(p.action_index == "news");
    CHECK(p.action_id == p.doc_id);
    exported.insert(p.action_id);
    simdjson::dom::element d = parser.parse(p.doc_json);
    if (!d["date"].is_null()) {
      const std::string_view date = d["date"];
      CHECK(date.size() == 10);
      CHECK((date[4] == '-' && date[7] == '-'));
    }
    CHECK(d["body"].is_string());
    CHECK(d["quotations"].is_array());
    CHECK(d["other_entities"].is_array());
    if (p.doc_id == kReplacedId) CHECK(std::string_view(d["title"]) == kReplacedTitle);
  }
  const std::vector<std::string> live = json_ids(idx, "NOT zzzzunknownword");
  CHECK(exported == std::multiset<std::string>(live.begin(), live.end()));
  CHECK(exported.size() == search_count(idx, "NOT zzzzunknownword"));
  CHECK(exported.count(kDeletedId) == 0);
  CHECK(exported.count(kReplacedId) == 1);
  CHECK(exported.count("export-tricky") == 1);

  // --query: only its matches.
  auto q = run_dateline("export --quiet --format opensearch --query rates --index " + shell_quote(idx));
  REQUIRE_MESSAGE(q.exit_code == 0, q.err);
  std::set<std::string> matched;
  for (const BulkPair& p : parse_bulk(q.out)) matched.insert(p.action_id);
  const std::vector<std::string> rates = json_ids(idx, "rates");
  CHECK(matched == std::set<std::string>(rates.begin(), rates.end()));
  CHECK(matched.size() == rates.size());
}

TEST_CASE("export: exported speakers and quotations equal what extract finds in the raw text") {
  auto r = run_dateline("export --quiet --format opensearch --index " + shell_quote(sample_index()));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto x = run_dateline("extract " + shell_quote(samples()));
  REQUIRE_MESSAGE(x.exit_code == 0, x.err);
  simdjson::dom::parser parser;
  // (id -> speakers) and (id -> quotations as speaker|kind|start|end).
  using Quotes = std::vector<std::string>;
  auto quotes_of = [](simdjson::dom::element arr) {
    Quotes out;
    for (simdjson::dom::element q : simdjson::dom::array(arr))
      out.push_back(std::string(std::string_view(q["speaker"])) + "|" + std::string(std::string_view(q["kind"])) +
                    "|" + std::to_string(int64_t(q["start"])) + "|" + std::to_string(int64_t(q["end"])) + "|" +
                    std::string(std::string_view(q["text"])));
    return out;
  };
  std::map<std::string, std::vector<std::string>> exported_speakers, extracted_speakers;
  std::map<std::string, Quotes> exported_quotes, extracted_quotes;
  for (const BulkPair& p : parse_bulk(r.out)) {
    simdjson::dom::element d = parser.parse(p.doc_json);
    exported_speakers[p.doc_id] = string_array(d["speakers"]);
    exported_quotes[p.doc_id] = quotes_of(d["quotations"]);
  }
  std::istringstream lines(x.out);
  for (std::string line; std::getline(lines, line);) {
    simdjson::dom::element e = parser.parse(line);
    const std::string id{std::string_view(e["id"])};
    extracted_speakers[id] = string_array(e["speakers"]);
    extracted_quotes[id] = quotes_of(e["quotes"]);
  }
  CHECK(exported_speakers.size() == extracted_speakers.size());
  CHECK(exported_speakers == extracted_speakers);
  CHECK(exported_quotes == extracted_quotes);
  // An article known to quote (corpus/samples/news-2024.jsonl): its quotation objects.
  const Quotes& quoted = exported_quotes.at("dl-2024-0001");
  REQUIRE(!quoted.empty());
  CHECK(std::count_if(quoted.begin(), quoted.end(),
                      [](const std::string& q) { return q.starts_with("Beatriz Nogueira|direct|"); }) >= 1);
}

TEST_CASE("export: --out splits into part files under the cap; --mapping; errors") {
  const std::string& idx = sample_index();
  TempDir dir("dateline-export-out");
  const std::string out = (dir.path() / "bulk").string();
  const uint64_t cap = 20000;
  auto r = run_dateline("export --quiet --format opensearch --mapping --max-file-bytes " + std::to_string(cap) +
                        " --out " + shell_quote(out) + " --index " + shell_quote(idx));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.empty());
  auto whole = run_dateline("export --quiet --format opensearch --index " + shell_quote(idx));
  REQUIRE(whole.exit_code == 0);
  std::string joined;
  int files = 0;
  auto part_path = [&](int n) {
    char name[32];
    std::snprintf(name, sizeof name, "part-%05d.ndjson", n);
    return fs::path(out) / name;
  };
  for (int n = 1; fs::exists(part_path(n)); ++n) {
    const std::string part = slurp(part_path(n));
    const size_t pairs = parse_bulk(part).size();
    CHECK(pairs >= 1);
    CHECK_MESSAGE((part.size() <= cap || pairs == 1), "part " << n << ": " << part.size() << " bytes");
    joined += part;
    ++files;
  }
  CHECK(files > 2);
  CHECK(static_cast<size_t>(std::distance(fs::directory_iterator(out), fs::directory_iterator())) == files + 1u);
  CHECK(joined == whole.out);  // nothing split, lost or repeated
  CHECK(slurp(fs::path(out) / "mapping.json") ==
        run_dateline("export --format opensearch --mapping").out);
  // The same directory again: refused, nothing changed.
  auto again = run_dateline("export --quiet --format opensearch --out " + shell_quote(out) + " --index " + shell_quote(idx));
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("part-00001.ndjson") != std::string::npos);
  // A cap below every pair: each pair alone in its file, with a warning.
  const std::string tiny = (dir.path() / "tiny").string();
  auto t = run_dateline("export --format opensearch --max-file-bytes 100 --out " + shell_quote(tiny) + " --index " +
                        shell_quote(idx));
  REQUIRE_MESSAGE(t.exit_code == 0, t.err);
  const size_t live = parse_bulk(whole.out).size();
  CHECK(static_cast<size_t>(std::distance(fs::directory_iterator(tiny), fs::directory_iterator())) == live);
  CHECK(t.err.find("warning: ") != std::string::npos);
  CHECK(t.err.find("exported " + std::to_string(live) + " articles") != std::string::npos);
  // Errors: an --out that cannot be a directory (exit 1), a bad --format or --index-name (exit 2).
  std::ofstream(dir.path() / "plain-file") << "x";
  auto unwritable = run_dateline("export --format opensearch --out " + shell_quote((dir.path() / "plain-file/sub").string()) +
                                 " --index " + shell_quote(idx));
  CHECK(unwritable.exit_code == 1);
  CHECK(unwritable.err.find("plain-file/sub") != std::string::npos);
  CHECK(run_dateline("export --format csv --index " + shell_quote(idx)).exit_code == 2);
  CHECK(run_dateline("export --index " + shell_quote(idx)).exit_code == 2);
  CHECK(run_dateline("export --format opensearch --index-name News --index " + shell_quote(idx)).exit_code == 2);
  CHECK(run_dateline("export --format opensearch").exit_code == 2);  // no --index, no --mapping
}

TEST_CASE("export: --mapping is JSON with dates, keyword names and nested quotations") {
  auto r = run_dateline("export --format opensearch --mapping");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  simdjson::dom::parser parser;
  simdjson::dom::element m;
  REQUIRE(parser.parse(r.out).get(m) == simdjson::SUCCESS);
  simdjson::dom::element props = m["mappings"]["properties"];
  CHECK(std::string_view(props["date"]["type"]) == "date");
  CHECK(std::string_view(props["date"]["format"]) == "strict_date");
  CHECK(std::string_view(props["title"]["type"]) == "text");
  CHECK(std::string_view(props["body"]["type"]) == "text");
  for (const char* name : {"speakers", "people", "organizations", "places", "other_entities"}) {
    CHECK(std::string_view(props[name]["type"]) == "keyword");
    CHECK(std::string_view(props[name]["fields"]["text"]["type"]) == "text");
  }
  CHECK(std::string_view(props["quotations"]["type"]) == "nested");
  CHECK(std::string_view(props["quotations"]["properties"]["speaker"]["type"]) == "keyword");
  CHECK(std::string_view(props["quotations"]["properties"]["start"]["type"]) == "integer");
  // Every field of an exported document is mapped.
  auto e = run_dateline("export --quiet --format opensearch --index " + shell_quote(sample_index()));
  REQUIRE(e.exit_code == 0);
  simdjson::dom::parser doc_parser;
  const std::vector<BulkPair> pairs = parse_bulk(e.out);
  REQUIRE(!pairs.empty());
  for (auto [key, value] : simdjson::dom::object(doc_parser.parse(pairs[0].doc_json)))
    CHECK_MESSAGE(props[key].error() == simdjson::SUCCESS, "unmapped field " << key);
}
