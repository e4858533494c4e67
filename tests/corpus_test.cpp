// Readers: JSON Lines (plain and zstd), plain text, Reuters SGML, directories.
#include <doctest/doctest.h>
#include <zstd.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "corpus/date_value.h"
#include "corpus/duplicate_ids.h"
#include "corpus/formats.h"
#include "corpus/reader.h"
#include "corpus/text_util.h"
#include "test_util.h"

using namespace dateline;
namespace fs = std::filesystem;
using dateline::testing::TempDir;

namespace {

struct ReadResult {
  std::vector<Article> articles;
  std::vector<Diagnostic> diags;
  ReadStats stats;

  const Article* find(const std::string& id) const {
    for (const Article& a : articles)
      if (a.id == id) return &a;
    return nullptr;
  }
  size_t count(Diagnostic::Level level) const {
    return std::count_if(diags.begin(), diags.end(), [&](const Diagnostic& d) { return d.level == level; });
  }
  // The first diagnostic whose `where` starts with `where`.
  const Diagnostic* diag_at(const std::string& where) const {
    for (const Diagnostic& d : diags)
      if (d.where.rfind(where, 0) == 0) return &d;
    return nullptr;
  }
};

ReadResult read(const std::vector<std::string>& paths) {
  ReadResult r;
  r.stats = read_articles(
      paths, [&](Article&& a) { r.articles.push_back(std::move(a)); },
      [&](const Diagnostic& d) { r.diags.push_back(d); });
  return r;
}
ReadResult read(const fs::path& p) { return read(std::vector<std::string>{p.string()}); }

void write_file(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

DayNumber day(const char* iso) { return *parse_iso_date(iso); }

std::string zstd_compress(const std::string& data, int level = 3) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  REQUIRE_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

// n JSON Lines records, ids r1..rn.
std::string jsonl_records(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i)
    s += R"({"id":"r)" + std::to_string(i) + R"(","date":"2024-01-02","title":"Record )" + std::to_string(i) +
         R"(","body":"Body text of record number )" + std::to_string(i) + R"( with some padding words."})" + "\n";
  return s;
}

bool all_valid_utf8(const Article& a) {
  return corpus_detail::is_valid_utf8(a.title) && corpus_detail::is_valid_utf8(a.body) &&
         corpus_detail::is_valid_utf8(a.id);
}

}  // namespace

// ---------------------------------------------------------------------------
// JSON Lines

TEST_CASE("jsonl: fields, origin and flags") {
  TempDir dir;
  fs::path f = dir.path() / "a.jsonl";
  write_file(f,
             R"({"id":"x1","date":"2024-11-13","title":"  NATO  warns ","body":"First para.\n\nSecond para.","speakers":["Mark Rutte"],"entities":[],"url":"https://e.x/1","source":"Wire","extra":{"a":[1,2]}})"
             "\n"
             R"({"id":"x2","title":"Only a title"})"
             "\n");
  auto r = read(f);
  REQUIRE(r.articles.size() == 2);
  // Reported at the end of the file: the unknown field, the record without a body.
  REQUIRE(r.diags.size() == 2);
  CHECK(r.diags[0].level == Diagnostic::Level::Warning);
  CHECK(r.diags[0].where == f.string() + ":1");
  CHECK(r.diags[0].message.rfind("field \"extra\" is not read (in 1 record; known fields: id, date, title, body,", 0) == 0);
  CHECK(r.diags[1].where == f.string() + ":2");
  CHECK(r.diags[1].message.rfind("1 record has a title but no body", 0) == 0);
  const Article& a = r.articles[0];
  CHECK(a.id == "x1");
  CHECK(a.date == day("2024-11-13"));
  CHECK(a.title == "NATO warns");
  CHECK(a.body == "First para.\n\nSecond para.");
  CHECK(a.speakers == std::vector<std::string>{"Mark Rutte"});
  CHECK(a.has_speakers);
  CHECK(a.entities.empty());
  CHECK(a.has_entities);  // given, even though empty
  CHECK(a.url == "https://e.x/1");
  CHECK(a.source == "Wire");
  CHECK(a.origin() == f.string() + ":1");
  const Article& b = r.articles[1];
  CHECK(b.date == kNoDate);
  CHECK(b.title == "Only a title");
  CHECK(b.body.empty());
  CHECK_FALSE(b.has_speakers);
  CHECK_FALSE(b.has_entities);
  CHECK(r.stats.files == 1);
  CHECK(r.stats.articles == 2);
  CHECK(r.stats.errors == 0);
  CHECK(r.stats.bytes == fs::file_size(f));
}

TEST_CASE("jsonl: missing ids are <file name>#<record>, blank lines skipped") {
  TempDir dir;
  fs::path f = dir.path() / "sub" / "news.ndjson";
  write_file(f, "\n" R"({"title":"one"})" "\n   \n" R"({"id":"","title":"two"})" "\n" R"({"id":"k","title":"three"})"
                "\n" R"({"title":"four"})");  // no final newline
  auto r = read(f);
  REQUIRE(r.articles.size() == 4);
  CHECK(r.articles[0].id == "news.ndjson#1");
  CHECK(r.articles[0].origin() == f.string() + ":2");
  CHECK(r.articles[1].id == "news.ndjson#2");  // empty id counts as missing
  CHECK(r.articles[2].id == "k");
  CHECK(r.articles[3].id == "news.ndjson#4");
  CHECK(r.articles[3].origin() == f.string() + ":6");
}

TEST_CASE("jsonl: numeric ids are accepted, null fields count as absent") {
  TempDir dir;
  fs::path f = dir.path() / "n.jsonl";
  write_file(f, R"({"id":42,"title":"t","body":"b","url":null,"speakers":null,"date":null})" "\n");
  auto r = read(f);
  REQUIRE(r.articles.size() == 1);
  CHECK(r.articles[0].id == "42");
  CHECK_FALSE(r.articles[0].has_speakers);
  CHECK(r.articles[0].date == kNoDate);
  CHECK(r.diags.empty());
}

TEST_CASE("jsonl: malformed records are errors naming file:line and are skipped") {
  TempDir dir;
  fs::path f = dir.path() / "bad.jsonl";
  write_file(f,
             R"({"id":"ok1","title":"fine"})" "\n"                  // 1
             R"({"id":"b2","title":"unterminated)" "\n"              // 2 bad JSON
             R"(["an","array"])" "\n"                                // 3 not an object
             R"({"id":"b4","date":"2024-01-01"})" "\n"               // 4 no title, no body
             R"({"id":"b5","title":5,"body":"x"})" "\n"              // 5 wrong type
             R"({"id":"b6","title":"t","speakers":"Mark Rutte"})" "\n"  // 6 not an array
             R"({"id":"b7","title":"t","entities":["A",3]})" "\n"    // 7 non-string element
             R"({"id":["x"],"title":"t"})" "\n"                      // 8 id of wrong type
             "garbage\n"                                             // 9
             R"({"id":"ok10","body":"fine too"})" "\n");             // 10
  auto r = read(f);
  REQUIRE(r.articles.size() == 2);
  CHECK(r.articles[0].id == "ok1");
  CHECK(r.articles[1].id == "ok10");
  CHECK(r.stats.errors == 8);
  CHECK(r.count(Diagnostic::Level::Error) == 8);
  for (int line : {2, 3, 4, 5, 6, 7, 8, 9}) {
    const Diagnostic* d = r.diag_at(f.string() + ":" + std::to_string(line));
    REQUIRE_MESSAGE(d != nullptr, "line ", line);
    CHECK(d->level == Diagnostic::Level::Error);
    CHECK(d->where == f.string() + ":" + std::to_string(line));
    CHECK_FALSE(d->message.empty());
  }
  CHECK(r.diag_at(f.string() + ":5")->message.find("\"title\"") != std::string::npos);
  CHECK(r.diag_at(f.string() + ":6")->message.find("\"speakers\"") != std::string::npos);
}

TEST_CASE("jsonl: an invalid date is a warning, the article is kept undated") {
  TempDir dir;
  fs::path f = dir.path() / "d.jsonl";
  write_file(f, R"({"id":"a","date":"2024-13-45","body":"t"})" "\n"
                R"({"id":"b","date":"13/11/2024","body":"t"})" "\n"
                R"({"id":"c","date":"2024-11-13T10:30:00Z","body":"t"})" "\n"
                R"({"id":"d","date":"2024-02-29","body":"t"})" "\n");
  auto r = read(f);
  REQUIRE(r.articles.size() == 4);
  CHECK(r.articles[0].date == kNoDate);
  CHECK(r.articles[1].date == kNoDate);
  CHECK(r.articles[2].date == day("2024-11-13"));
  CHECK(r.articles[3].date == day("2024-02-29"));
  CHECK(r.stats.warnings == 2);
  CHECK(r.stats.errors == 0);
  REQUIRE(r.diag_at(f.string() + ":1") != nullptr);
  CHECK(r.diag_at(f.string() + ":1")->level == Diagnostic::Level::Warning);
  CHECK(r.diag_at(f.string() + ":1")->message.find("2024-13-45") != std::string::npos);
  CHECK(r.diag_at(f.string() + ":2") != nullptr);
}

TEST_CASE("jsonl: aliases of body, title, date and author, the canonical name wins") {
  TempDir dir;
  fs::path f = dir.path() / "alias.jsonl";
  write_file(f,
             R"({"id":"a","headline":"Ports reopen","text":"The ports reopened.","published":"2024-11-13T08:00:00Z","byline":"Ann Lee"})" "\n"
             R"({"id":"b","title":"T","headline":"H","body":"Body.","text":"Text.","content":"C.","date":"2024-01-02","pubDate":"Tue, 10 Jun 2003 04:00:00 GMT"})" "\n"
             R"({"id":"c","title":"T","content":"Content body.","published_at":"10 Jun 2003","author":["Ann Lee"," ","Bo Chan"]})" "\n"
             R"({"id":"d","title":"T","body":"B","timestamp":1718000000,"text":"ignored"})" "\n"
             R"({"id":"e","title":"T","body":"B","date":1718000000123,"author":null})" "\n"
             R"({"id":"f","title":"T","body":null,"text":"From the alias."})" "\n");
  auto r = read(f);
  REQUIRE(r.articles.size() == 6);
  CHECK(r.articles[5].body == "From the alias.");  // null counts as absent
  const Article& a = r.articles[0];
  CHECK(a.title == "Ports reopen");
  CHECK(a.body == "The ports reopened.");
  CHECK(a.date == day("2024-11-13"));
  CHECK(a.author == "Ann Lee");
  const Article& b = r.articles[1];
  CHECK(b.title == "T");
  CHECK(b.body == "Body.");
  CHECK(b.date == day("2024-01-02"));
  const Article& c = r.articles[2];
  CHECK(c.body == "Content body.");
  CHECK(c.date == day("2003-06-10"));
  CHECK(c.author == "Ann Lee, Bo Chan");
  CHECK(r.articles[3].date == day("2024-06-10"));  // Unix seconds
  CHECK(r.articles[3].body == "B");
  CHECK(r.articles[4].date == day("2024-06-10"));  // Unix milliseconds
  CHECK(r.articles[4].author.empty());
  // The names that lost, once per (name, winner), at the first record that has them.
  std::vector<std::string> got;
  for (const Diagnostic& d : r.diags) {
    CHECK(d.level == Diagnostic::Level::Warning);
    got.push_back(d.where.substr(f.string().size()) + " " + d.message);
  }
  CHECK(got == std::vector<std::string>{
                   R"(:2 field "content" is not read (in 1 record; ignored: the record also has "body"))",
                   R"(:2 field "headline" is not read (in 1 record; ignored: the record also has "title"))",
                   R"(:2 field "pubDate" is not read (in 1 record; ignored: the record also has "date"))",
                   R"(:2 field "text" is not read (in 2 records; ignored: the record also has "body"))",
               });
  CHECK(r.stats.errors == 0);
}

TEST_CASE("jsonl: unknown fields are reported once per file, with the first line and the record count") {
  TempDir dir;
  fs::path f = dir.path() / "news.jsonl", g = dir.path() / "more.jsonl";
  std::string lines = R"({"id":"1","title":"T","body":"B"})" "\n";
  for (int i = 2; i <= 121; ++i)
    lines += R"({"id":")" + std::to_string(i) + R"(","title":"T","body":"B","summary":"S","tags":[1]})" "\n";
  lines += R"({"id":"x","title":"T","body":"B","Body":"case matters"})" "\n";
  write_file(f, lines);
  write_file(g, R"({"id":"y","title":"T","body":"B","summary":"S"})" "\n");
  auto r = read(std::vector<std::string>{f.string(), g.string()});
  CHECK(r.articles.size() == 123);
  REQUIRE(r.diags.size() == 4);
  CHECK(r.stats.warnings == 4);
  CHECK(r.diags[0].where == f.string() + ":2");
  CHECK(r.diags[0].message ==
        "field \"summary\" is not read (in 120 records; known fields: id, date, title, body, speakers, entities, "
        "people, organizations, places, aliases, quotes, url, source, author, text, content, headline, published, "
        "published_at, pubDate, timestamp, byline, file, line, origin)");
  CHECK(r.diags[1].where == f.string() + ":2");
  CHECK(r.diags[1].message.rfind("field \"tags\" is not read (in 120 records;", 0) == 0);
  CHECK(r.diags[2].where == f.string() + ":122");
  CHECK(r.diags[2].message.rfind("field \"Body\" is not read (in 1 record;", 0) == 0);
  CHECK(r.diags[3].where == g.string() + ":1");  // every file reports its own
  CHECK(r.diags[3].message.rfind("field \"summary\" is not read (in 1 record;", 0) == 0);
}

TEST_CASE("jsonl: a file with many distinct unknown names lists 64 and counts the rest") {
  TempDir dir;
  fs::path f = dir.path() / "keys.jsonl";
  std::string lines;
  for (int i = 1; i <= 100; ++i)
    lines += R"({"id":")" + std::to_string(i) + R"(","title":"T","body":"B","k)" + std::to_string(i) + R"(":0})" "\n";
  write_file(f, lines);
  auto r = read(f);
  CHECK(r.articles.size() == 100);
  REQUIRE(r.diags.size() == 65);
  CHECK(r.diags[0].message.rfind("field \"k1\" is not read (in 1 record;", 0) == 0);
  CHECK(r.diags[64].where == f.string() + ":65");
  CHECK(r.diags[64].message == "36 more fields are not read (too many distinct names to list)");
}

TEST_CASE("jsonl: records with a title but no body are counted and reported once per file") {
  TempDir dir;
  fs::path f = dir.path() / "typo.jsonl";
  write_file(f, R"({"id":"1","title":"T","body":"B"})" "\n"
                R"({"id":"2","title":"T","txt":"The body under a wrong name."})" "\n"
                R"({"id":"3","title":"T","body":"   "})" "\n"
                R"({"id":"4","title":"","body":""})" "\n"
                R"({"id":"5","title":"T","txt":"Again."})" "\n");
  auto r = read(f);
  REQUIRE(r.articles.size() == 5);  // still valid articles
  REQUIRE(r.diags.size() == 2);
  CHECK(r.diags[0].where == f.string() + ":2");
  CHECK(r.diags[0].message.rfind("field \"txt\" is not read (in 2 records;", 0) == 0);
  CHECK(r.diags[1].where == f.string() + ":2");
  CHECK(r.diags[1].message ==
        "3 records have a title but no body (the first starts here; a body is read from \"body\", \"text\" or "
        "\"content\")");
}

TEST_CASE("jsonl: dates of every form, wrong types are errors, bad values warnings") {
  TempDir dir;
  fs::path f = dir.path() / "dates.jsonl";
  write_file(f, R"({"id":"a","title":"t","body":"b","pubDate":"Mon, 13 Nov 2024 23:30:00 -0500"})" "\n"
                R"({"id":"b","title":"t","body":"b","timestamp":-86400})" "\n"
                R"({"id":"c","title":"t","body":"b","timestamp":1e300})" "\n"
                R"({"id":"d","title":"t","body":"b","published":"Nov 13, 2024"})" "\n"
                R"({"id":"e","title":"t","body":"b","date":["2024-11-13"]})" "\n"
                R"({"id":"f","title":"t","body":"b","date":"  "})" "\n");
  auto r = read(f);
  REQUIRE(r.articles.size() == 5);
  CHECK(r.articles[0].date == day("2024-11-13"));  // the date as written: no zone shifting
  CHECK(r.articles[1].date == day("1969-12-31"));
  CHECK(r.articles[2].date == kNoDate);
  CHECK(r.articles[3].date == kNoDate);
  CHECK(r.articles[4].date == kNoDate);  // blank: no date, no warning
  CHECK(r.stats.warnings == 2);
  CHECK(r.diag_at(f.string() + ":3")->message.rfind("invalid date 1e+300 in \"timestamp\"", 0) == 0);
  CHECK(r.diag_at(f.string() + ":4")->message.rfind("invalid date \"Nov 13, 2024\" in \"published\"", 0) == 0);
  CHECK(r.diag_at(f.string() + ":4")->message.find("article kept undated") != std::string::npos);
  REQUIRE(r.diag_at(f.string() + ":5") != nullptr);
  CHECK(r.diag_at(f.string() + ":5")->level == Diagnostic::Level::Error);
  CHECK(r.diag_at(f.string() + ":5")->message == "\"date\" must be a date string or a number, not an array");
}

TEST_CASE("parse_date_value: ISO dates and timestamps, RFC 2822, no zone shifting") {
  auto d = [](const char* s) { return parse_date_value(s); };
  CHECK(d("2024-11-13") == day("2024-11-13"));
  CHECK(d(" 2024-11-13T23:59:59+14:00 ") == day("2024-11-13"));
  CHECK(d("2024-11-13 10:30") == day("2024-11-13"));
  CHECK(d("Tue, 10 Jun 2003 04:00:00 GMT") == day("2003-06-10"));
  CHECK(d("10 Jun 2003") == day("2003-06-10"));
  CHECK(d("Tue 10 Jun 2003") == day("2003-06-10"));
  CHECK(d("Tuesday, 10 June 2003 04:00 +0200") == day("2003-06-10"));
  CHECK(d("tue, 1 JUN 2003 4:00:00.25 -0930") == day("2003-06-01"));
  CHECK(d("Wed, 31 Dec 2025 23:30:00 -0500") == day("2025-12-31"));  // not shifted to 2026-01-01 UTC
  CHECK(d("Sat, 01 Mar 2025 00:10:00 +1300") == day("2025-03-01"));   // nor back to February
  CHECK(d("Tue, 10 Jun 2003 04:00:00 +0200 (CEST)") == day("2003-06-10"));
  CHECK(d("10 Jun 03 04:00 Z") == day("2003-06-10"));   // two-digit years: 00-49 -> 20xx
  CHECK(d("10 Jun 87") == day("1987-06-10"));           // 50-99 -> 19xx
  CHECK(d("29 Feb 2024") == day("2024-02-29"));
  for (const char* bad : {"", "2024-13-45", "2024-11-13X", "13/11/2024", "Nov 13, 2024", "29 Feb 2023", "10 Jun",
                          "10 Foo 2003", "Tue, 10 Jun 2003 25", "Tue, 10 Jun 2003 04:00 +02", "10 Jun 2003 junk here",
                          "Tue, 10 Jun 203", "Funday, 10 Jun 2003", "32 Jan 2003", "10 Jun 2003 04:0"})
    CHECK_MESSAGE(!d(bad), bad);
  // Any mix of date-like pieces and bytes gives a day or nullopt, never a crash.
  std::mt19937 rng(2003);
  const char* pieces[] = {"Tue,", " ", "10", "Jun", "2003", "04:00", ":", "+0200", "(", ")", "T", "-", "99", "\xff", ","};
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    for (int k = rng() % 8; k > 0; --k) s += pieces[rng() % std::size(pieces)];
    if (auto v = d(s.c_str())) CHECK(parse_iso_date(format_iso_date(*v)) == v);  // a real day
  }
}

TEST_CASE("date_from_unix_time: seconds, milliseconds, the UTC day") {
  CHECK(date_from_unix_time(0) == day("1970-01-01"));
  CHECK(date_from_unix_time(86399.9) == day("1970-01-01"));
  CHECK(date_from_unix_time(-1) == day("1969-12-31"));
  CHECK(date_from_unix_time(1718000000) == day("2024-06-10"));      // 06:13:20 UTC
  CHECK(date_from_unix_time(1718000000123.0) == day("2024-06-10"));  // > 1e11: milliseconds
  CHECK(date_from_unix_time(1e11) == date_from_unix_time(1e11));    // the boundary is seconds
  CHECK(date_from_unix_time(1e11) == days_from_civil(5138, 11, 16));
  CHECK(date_from_unix_time(253402300799.0 * 1000) == day("9999-12-31"));
  CHECK_FALSE(date_from_unix_time(253402300800.0 * 1000));
  CHECK_FALSE(date_from_unix_time(1e300));
  CHECK_FALSE(date_from_unix_time(std::nan("")));
}

TEST_CASE("jsonl: CRLF line ends, a BOM and CRLF inside bodies") {
  TempDir dir;
  fs::path f = dir.path() / "crlf.jsonl";
  write_file(f, "\xEF\xBB\xBF" R"({"id":"a","title":"t","body":"one\r\n\r\ntwo"})" "\r\n"
                R"({"id":"b","title":"u","body":"v"})" "\r\n");
  auto r = read(f);
  REQUIRE(r.articles.size() == 2);
  CHECK(r.articles[0].body == "one\n\ntwo");
  CHECK(r.articles[1].id == "b");
  CHECK(r.diags.empty());
}

TEST_CASE("jsonl: invalid UTF-8 inside a record is an error for that line") {
  TempDir dir;
  fs::path f = dir.path() / "u.jsonl";
  write_file(f, "{\"id\":\"a\",\"title\":\"caf\xE9\"}\n{\"id\":\"b\",\"title\":\"ok\"}\n");
  auto r = read(f);
  REQUIRE(r.articles.size() == 1);
  CHECK(r.articles[0].id == "b");
  CHECK(r.stats.errors == 1);
}

TEST_CASE("line splitter: lines across chunk boundaries, CRLF, overlong lines") {
  std::vector<std::pair<std::string, uint64_t>> lines;
  std::vector<uint64_t> overlong;
  corpus_detail::LineSplitter split([&](std::string_view l, uint64_t n) { lines.emplace_back(std::string(l), n); },
                                    [&](uint64_t n) { overlong.push_back(n); }, 10);
  std::string input = "abc\r\nde" "f\n" "0123456789ABCDEF\n" "x\n" "0123456789abcdefghij" "klm\n" "tail";
  // Feed one byte at a time to cross every boundary.
  for (char c : input) split.feed(&c, 1);
  split.finish();
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == std::make_pair(std::string("abc"), uint64_t{1}));
  CHECK(lines[1] == std::make_pair(std::string("def"), uint64_t{2}));
  CHECK(lines[2] == std::make_pair(std::string("x"), uint64_t{4}));
  CHECK(lines[3] == std::make_pair(std::string("tail"), uint64_t{6}));
  CHECK(overlong == std::vector<uint64_t>{3, 5});
  lines.clear();
  corpus_detail::LineSplitter s2([&](std::string_view l, uint64_t n) { lines.emplace_back(std::string(l), n); },
                                 [&](uint64_t) {}, 100);
  s2.feed(input.data(), input.size());
  s2.finish();
  REQUIRE(lines.size() == 6);
  CHECK(lines.back() == std::make_pair(std::string("tail"), uint64_t{6}));
}

// ---------------------------------------------------------------------------
// zstd

TEST_CASE("jsonl.zst: streamed decompression gives the same articles") {
  TempDir dir;
  const int n = 6000;  // > 600 KB uncompressed: several decompression buffers
  std::string plain = jsonl_records(n);
  write_file(dir.path() / "big.jsonl.zst", zstd_compress(plain));
  auto r = read(dir.path() / "big.jsonl.zst");
  CHECK(r.diags.empty());
  REQUIRE(r.articles.size() == static_cast<size_t>(n));
  CHECK(r.articles.front().id == "r1");
  CHECK(r.articles.back().id == "r6000");
  CHECK(r.articles[4999].title == "Record 5000");
  CHECK(r.articles[4999].origin() == (dir.path() / "big.jsonl.zst").string() + ":5000");
  CHECK(r.stats.bytes == plain.size());  // uncompressed size

  // Two concatenated frames and the .ndjson.zst name.
  write_file(dir.path() / "two.ndjson.zst", zstd_compress(jsonl_records(3)) + zstd_compress(jsonl_records(2)));
  auto r2 = read(dir.path() / "two.ndjson.zst");
  CHECK(r2.articles.size() == 5);
  CHECK(r2.diags.empty());
}

TEST_CASE("jsonl.zst: malformed lines inside are reported with their line") {
  TempDir dir;
  fs::path f = dir.path() / "m.jsonl.zst";
  write_file(f, zstd_compress(R"({"id":"a","title":"t"})" "\n{broken\n" R"({"title":"u"})" "\n"));
  auto r = read(f);
  REQUIRE(r.articles.size() == 2);
  CHECK(r.articles[1].id == "m.jsonl.zst#3");
  REQUIRE(r.diag_at(f.string() + ":2") != nullptr);
  CHECK(r.diag_at(f.string() + ":2")->level == Diagnostic::Level::Error);
}

TEST_CASE("jsonl.zst: corrupt or truncated data is an error naming the file, earlier articles are kept") {
  TempDir dir;
  std::string plain = jsonl_records(6000);
  std::string z = zstd_compress(plain, 1);
  // The error names the line the damage falls in and how many articles were kept.
  auto check_kept = [](const ReadResult& r, const fs::path& f, const std::string& what) {
    REQUIRE(r.count(Diagnostic::Level::Error) == 1);
    const Diagnostic& e = r.diags.back();
    CHECK(e.level == Diagnostic::Level::Error);
    CHECK(e.where == f.string() + ":" + std::to_string(r.articles.size() + 1));
    const size_t n = r.articles.size();
    CHECK(e.message == what + (n == 0   ? std::string("; 0 articles were kept")
                               : n == 1 ? std::string(" after 1 article; that one was kept")
                                        : " after " + std::to_string(n) + " articles; those " + std::to_string(n) +
                                              " were kept"));
    for (size_t i = 0; i < r.articles.size(); ++i) {
      std::string id(1, 'r');  // not "r" + ...: GCC 12 warns falsely (-Wrestrict)
      id += std::to_string(i + 1);
      CHECK(r.articles[i].id == id);
    }
  };

  SUBCASE("truncated") {
    fs::path f = dir.path() / "cut.jsonl.zst";
    write_file(f, z.substr(0, z.size() / 2));
    auto r = read(f);
    CHECK(r.stats.errors == 1);
    CHECK(r.articles.size() > 1);
    CHECK(r.articles.size() < 6000);
    check_kept(r, f, "truncated zstd stream");
  }
  SUBCASE("truncated before the first article") {
    fs::path f = dir.path() / "cut0.jsonl.zst";
    write_file(f, z.substr(0, 12));
    auto r = read(f);
    CHECK(r.articles.empty());
    check_kept(r, f, "truncated zstd stream");
    CHECK(r.diags.back().message == "truncated zstd stream; 0 articles were kept");
  }
  SUBCASE("truncated after one article: a whole frame, then a cut one") {
    fs::path f = dir.path() / "cut1.jsonl.zst";
    write_file(f, zstd_compress(jsonl_records(1)) + z.substr(0, 100));
    auto r = read(f);
    REQUIRE(r.articles.size() == 1);
    check_kept(r, f, "truncated zstd stream");
    CHECK(r.diags.back().where == f.string() + ":2");
  }
  SUBCASE("corrupted bytes") {
    fs::path f = dir.path() / "bad.jsonl.zst";
    std::string bad = z;
    for (size_t i = bad.size() / 2; i < bad.size() / 2 + 64; ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    write_file(f, bad);
    auto r = read(f);
    CHECK(r.count(Diagnostic::Level::Error) >= 1);
    CHECK(r.diag_at(f.string()) != nullptr);
    CHECK(r.articles.size() < 6000);
    const Diagnostic& e = r.diags.back();
    CHECK(e.message.rfind("corrupt zstd data (", 0) == 0);
    CHECK(e.message.find(" were kept") != std::string::npos);
  }
  SUBCASE("not zstd at all") {
    fs::path f = dir.path() / "plain.jsonl.zst";
    write_file(f, plain.substr(0, 1000));
    auto r = read(f);
    CHECK(r.articles.empty());
    check_kept(r, f, "corrupt zstd data (Unknown frame descriptor)");
  }
  SUBCASE("empty file") {
    fs::path f = dir.path() / "empty.jsonl.zst";
    write_file(f, "");
    auto r = read(f);
    CHECK(r.articles.empty());
    CHECK(r.diags.empty());
  }
}

// ---------------------------------------------------------------------------
// Plain text

TEST_CASE("text: the seed format with a leading-space date header") {
  TempDir dir;
  fs::path f = dir.path() / "000_abc.txt";
  write_file(f, " date 2024-11-13 NATO Secretary General, Mark Rutte has stated that Europe is in danger.\n\n"
                "Second paragraph\nwrapped over\r\ntwo lines.\r\n\r\n\r\n“Third,” he said.\n\n");
  auto r = read(f);
  REQUIRE(r.articles.size() == 1);
  const Article& a = r.articles[0];
  CHECK(a.id == "000_abc.txt");
  CHECK(a.origin() == f.string());
  CHECK(a.date == day("2024-11-13"));
  CHECK(a.title.empty());  // the format has no title
  CHECK(a.body ==
        "NATO Secretary General, Mark Rutte has stated that Europe is in danger.\n\n"
        "Second paragraph wrapped over two lines.\n\n“Third,” he said.");
  CHECK(r.diags.empty());
}

TEST_CASE("text: headers that are absent, malformed or not headers") {
  TempDir dir;
  write_file(dir.path() / "a.txt", "OSLO, March 3 - Plain body.\n");
  write_file(dir.path() / "b.txt", "date 2024-13-45 Body after a bad date.\n");
  write_file(dir.path() / "c.txt", "\n\n  Date: 2023-02-01\nBody on the next line.\n");
  write_file(dir.path() / "d.txt", "date night was fun.\n");
  auto r = read(dir.path());
  REQUIRE(r.articles.size() == 4);
  const Article* a = r.find("a.txt");
  REQUIRE(a);
  CHECK(a->date == kNoDate);
  CHECK(a->body == "OSLO, March 3 - Plain body.");
  const Article* b = r.find("b.txt");
  REQUIRE(b);
  CHECK(b->date == kNoDate);
  CHECK(b->body == "Body after a bad date.");
  const Diagnostic* w = r.diag_at((dir.path() / "b.txt").string());
  REQUIRE(w);
  CHECK(w->level == Diagnostic::Level::Warning);
  CHECK(w->where == (dir.path() / "b.txt").string() + ":1");
  CHECK(w->message.find("2024-13-45") != std::string::npos);
  const Article* c = r.find("c.txt");
  REQUIRE(c);
  CHECK(c->date == day("2023-02-01"));
  CHECK(c->body == "Body on the next line.");
  const Article* d = r.find("d.txt");
  REQUIRE(d);
  CHECK(d->date == kNoDate);
  CHECK(d->body == "date night was fun.");
  CHECK(r.stats.warnings == 1);
}

TEST_CASE("text: Latin-1 is converted, binary and empty files are not articles") {
  TempDir dir;
  write_file(dir.path() / "latin1.txt", "M\xFCnchen and Z\xFCrich.\n");
  write_file(dir.path() / "binary.txt", std::string("abc\0def", 7));
  write_file(dir.path() / "empty.txt", "");
  write_file(dir.path() / "header-only.txt", " date 2024-01-01 \n");
  auto r = read(dir.path());
  REQUIRE(r.articles.size() == 1);
  CHECK(r.articles[0].body == "München and Zürich.");
  CHECK(r.stats.errors == 1);  // binary.txt
  CHECK(r.diag_at((dir.path() / "binary.txt").string())->level == Diagnostic::Level::Error);
  CHECK(r.diag_at((dir.path() / "latin1.txt").string())->level == Diagnostic::Level::Warning);
  CHECK(r.stats.files == 4);
}

TEST_CASE("text: a short first line followed by a blank line is the title") {
  TempDir dir;
  auto title_of = [&](const std::string& text) {
    write_file(dir.path() / "t.txt", text);
    auto r = read(dir.path() / "t.txt");
    REQUIRE(r.articles.size() == 1);
    return std::make_pair(r.articles[0].title, r.articles[0].body);
  };
  CHECK(title_of("Ferry strike ends after four days\n\nOSLO, May 2 - Ferry crews returned.\n") ==
        std::make_pair(std::string("Ferry strike ends after four days"), std::string("OSLO, May 2 - Ferry crews returned.")));
  CHECK(title_of("\n  Will rates fall?  \n \t\nBody.\n").first == "Will rates fall?");  // '?' is fine; blanks on the blank line
  CHECK(title_of("Strike over!\n\nBody.").first == "Strike over!");
  CHECK(title_of("U.S. Fed holds: \"No hurry\"\n\nBody.").first == "U.S. Fed holds: \"No hurry\"");
  CHECK(title_of("Ferry strike ends\nafter four days\n\nBody.").first.empty());  // no blank line after it
  CHECK(title_of("Ferry crews returned to work.\n\nBody.").first.empty());       // a sentence
  CHECK(title_of("He said \"no.\"\n\nBody.").first.empty());                     // a sentence inside quotes
  CHECK(title_of("Dear readers,\n\nBody.").first.empty());
  CHECK(title_of("* * *\n\nBody.").first.empty());  // no letter or digit
  CHECK(title_of("Łódź: \u201cNo hurry\u201d\n\nBody.").first == "Łódź: \u201cNo hurry\u201d");
  CHECK(title_of("Only one line\n\n").first.empty());  // no text after it: it is the body
  CHECK(title_of("Only one line\n\n").second == "Only one line");
  const std::string words21 = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                              "fifteen sixteen seventeen eighteen nineteen twenty twentyone";
  CHECK(title_of(words21 + "\n\nBody.").first.empty());
  CHECK(title_of(words21.substr(0, words21.rfind(' ')) + "\n\nBody.").first.size() > 0);  // 20 words
  CHECK(title_of(std::string(151, 'x') + "\n\nBody.").first.empty());
  CHECK(title_of(std::string(150, 'x') + "\n\nBody.").first.size() == 150);
}

TEST_CASE("text: title: and date headers in either order, text after the date is never a title") {
  TempDir dir;
  write_file(dir.path() / "a.txt", "Title: Ports reopen after the storm\ndate 2024-11-13\n\nCOPENHAGEN - Ports reopened.\n");
  write_file(dir.path() / "b.txt", " DATE: 2024-11-14\nTITLE:   Two   spaces  \n\nShort line\n\nBody.\n");
  write_file(dir.path() / "c.txt", "date 2024-11-15 Short first paragraph\n\nSecond paragraph.\n");
  write_file(dir.path() / "d.txt", "title: Header\n date 2024-13-45 Body on the date line.\n");
  write_file(dir.path() / "e.txt", "title:\n\nShort line\n\nBody.\n");
  write_file(dir.path() / "f.txt", "date 2024-11-16\n\nA headline on its own\n\nBody.\n");
  auto r = read(dir.path());
  REQUIRE(r.articles.size() == 6);
  const Article* a = r.find("a.txt");
  CHECK(a->title == "Ports reopen after the storm");
  CHECK(a->date == day("2024-11-13"));
  CHECK(a->body == "COPENHAGEN - Ports reopened.");
  const Article* b = r.find("b.txt");
  CHECK(b->title == "Two spaces");
  CHECK(b->date == day("2024-11-14"));
  CHECK(b->body == "Short line\n\nBody.");  // a title header: no title line
  const Article* c = r.find("c.txt");
  CHECK(c->title.empty());  // the seed format: the first paragraph follows the date
  CHECK(c->body == "Short first paragraph\n\nSecond paragraph.");
  const Article* d = r.find("d.txt");
  CHECK(d->title == "Header");
  CHECK(d->date == kNoDate);
  CHECK(d->body == "Body on the date line.");
  REQUIRE(r.diag_at((dir.path() / "d.txt").string()) != nullptr);
  CHECK(r.diag_at((dir.path() / "d.txt").string())->where == (dir.path() / "d.txt").string() + ":2");
  const Article* e = r.find("e.txt");
  CHECK(e->title.empty());  // an empty title: header read, no title line either
  CHECK(e->body == "Short line\n\nBody.");
  const Article* f = r.find("f.txt");
  CHECK(f->title == "A headline on its own");
  CHECK(f->body == "Body.");
  CHECK(r.stats.warnings == 1);
}

TEST_CASE("text: the sample corpus and the seed keep empty titles, the titled samples have theirs") {
  const std::map<std::string, std::string> titled = {
      {"2024-05-14-trondheim-salmon-exports.txt", "Norwegian salmon exports reach a record for April"},  // title line
      {"2025-01-22-valencia-dockworkers-strike.txt", "Valencia dockworkers end three-day strike over automation"},  // title:
      {"gdynia-ferry-terminal.txt", "Gdynia opens new ferry terminal with a rail link"},  // title line, no date header
  };
  auto r = read(dateline::testing::source_dir() / "corpus" / "samples" / "text");
  CHECK(r.diags.empty());
  CHECK(r.articles.size() == 28);
  size_t with_title = 0;
  for (const Article& a : r.articles) {
    auto it = titled.find(a.id);
    with_title += it != titled.end();
    CHECK_MESSAGE(a.title == (it == titled.end() ? "" : it->second), a.id);
    CHECK_MESSAGE(a.body.find("\n\n") != std::string::npos, a.id);
  }
  CHECK(with_title == titled.size());
  if (dateline::testing::have_shared()) {
    auto seed = read(dateline::testing::shared_dir() / "seed");
    REQUIRE(seed.articles.size() == 1);
    CHECK(seed.articles[0].title.empty());
    CHECK(seed.articles[0].date == day("2024-11-13"));
  }
}

// ---------------------------------------------------------------------------
// Reuters SGML (synthetic)

namespace {
const char* kSgml =
    "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n"
    "<REUTERS TOPICS=\"YES\" LEWISSPLIT=\"TRAIN\" CGISPLIT=\"TRAINING-SET\" OLDID=\"5544\" NEWID=\"1\">\n"
    "<DATE> 2-MAR-1987 15:01:01.79&#5;&#5;&#5;F</DATE>\n"
    "<TOPICS><D>cocoa</D></TOPICS>\n<PLACES><D>usa</D><D>west-germany</D></PLACES>\n<PEOPLE><D>reagan</D></PEOPLE>\n"
    "<ORGS><D>opec</D></ORGS><EXCHANGES><D>nyse</D></EXCHANGES>\n"
    "<UNKNOWN> \n&#5;&#5;&#5;C T\n&#22;&#22;&#1;f0704&#31;reute\n</UNKNOWN>\n"
    "<TEXT>&#2;\n<TITLE>CITICORP &lt;CCI> UNIT\n BUYS &amp; SELLS</TITLE>\n"
    "<DATELINE>    NEW YORK, March 2 - </DATELINE><BODY>Citicorp said its unit\nbought a 500 mln "
    "dlr&#127;stake, M\xFCller said.\n    Second paragraph > first\nline two.\n Reuter\n&#3;</BODY></TEXT>\n"
    "</REUTERS>\n"
    "<REUTERS NEWID=\"2\">\n<DATE>3-MAR-1987  09:15:05.40</DATE>\n"
    "<TEXT TYPE=\"BRIEF\">&#2;\n******<TITLE>U.S. TAX WRITERS SEEK CURBS\n</TITLE>Blah blah blah.\n&#3;\n\n</TEXT>\n"
    "</REUTERS>\n"
    "<REUTERS NEWID=\"3\">\n<DATE>9-APR-1987 00:00:00.00    # date added by S Finch as guesswork</DATE>\n"
    "<TEXT TYPE=\"UNPROC\">&#2;\nFEDERAL RESERVE WEEKLY REPORT - FEB 26\n    Two weeks ended Feb 25\n"
    " Net free reserves....644 vs....1,337\n Reuter\n&#3;</TEXT>\n</REUTERS>\n"
    "<REUTERS NEWID=\"4\">\n<DATE>32-FOO-1987 605:12:19.12</DATE>\n"
    "<TEXT TYPE=\"UNPROC\">&#2;\n&#3;\n\n</TEXT>\n</REUTERS>\n"
    "<REUTERS>\n<DATE>31-MAR-1987 605:12:19.12</DATE>\n<TEXT>&#2;\n<TITLE>NO NEWID</TITLE>\n</TEXT>\n</REUTERS>\n";
}  // namespace

TEST_CASE("sgml: a tolerant scanner for the Reuters quirks") {
  TempDir dir;
  fs::path f = dir.path() / "mini.sgm";
  write_file(f, kSgml);
  auto r = read(f);
  REQUIRE(r.articles.size() == 5);
  CHECK(r.stats.errors == 0);

  const Article* a = r.find("reuters-1");
  REQUIRE(a);
  CHECK(a->origin() == f.string() + ":2");
  CHECK(a->date == day("1987-03-02"));  // leading space and trailing junk
  CHECK(a->title == "CITICORP <CCI> UNIT BUYS & SELLS");
  CHECK(a->body ==
        "NEW YORK, March 2 - Citicorp said its unit bought a 500 mln dlrstake, Müller said.\n\n"
        "Second paragraph > first line two.");
  CHECK_FALSE(a->has_entities);  // <PLACES> is not used for entities...
  // ...but kept, with <PEOPLE> and <ORGS>, as labels (not <TOPICS>, <EXCHANGES>).
  using Labels = std::vector<std::pair<std::string, std::string>>;
  CHECK(a->labels == Labels{{"places", "usa"}, {"places", "west-germany"}, {"people", "reagan"}, {"orgs", "opec"}});
  CHECK(all_valid_utf8(*a));

  const Article* b = r.find("reuters-2");
  REQUIRE(b);
  CHECK(b->date == day("1987-03-03"));  // double space
  CHECK(b->title == "U.S. TAX WRITERS SEEK CURBS");
  CHECK(b->body.empty());  // "Blah blah blah." placeholder dropped
  CHECK(b->labels.empty());

  const Article* c = r.find("reuters-3");
  REQUIRE(c);
  CHECK(c->date == day("1987-04-09"));  // "# comment" after the date
  CHECK(c->title == "FEDERAL RESERVE WEEKLY REPORT - FEB 26");
  CHECK(c->body == "Two weeks ended Feb 25\nNet free reserves....644 vs....1,337");

  const Article* d = r.find("reuters-4");
  REQUIRE(d);  // empty documents are kept
  CHECK(d->date == kNoDate);
  CHECK(d->title.empty());
  bool warned_date = false;
  for (const Diagnostic& x : r.diags)
    if (x.where == d->origin() && x.message.find("32-FOO-1987") != std::string::npos) warned_date = true;
  CHECK(warned_date);

  const Article* e = r.find("mini.sgm#5");
  REQUIRE(e);
  CHECK(e->date == day("1987-03-31"));  // hour 605 does not matter
  CHECK(e->title == "NO NEWID");
}

// ---------------------------------------------------------------------------
// Paths, directories, sniffing

TEST_CASE("paths: directories are walked recursively in sorted order, skipping hidden and unknown files") {
  TempDir dir;
  const fs::path root = dir.path() / "archive";
  write_file(root / "b.txt", "B body.");
  write_file(root / "a.jsonl", R"({"id":"a1","body":"A"})" "\n");
  write_file(root / "sub" / "c.txt", "C body.");
  write_file(root / "sub" / "deeper" / "d.ndjson", R"({"id":"d1","body":"D"})" "\n");
  write_file(root / "README.md", "# not an article");
  write_file(root / "notes.json", R"({"id":"no","title":"not read from a directory"})");
  write_file(root / ".hidden.txt", "hidden");
  write_file(root / ".git" / "x.txt", "hidden dir");
  auto r = read(root);
  std::vector<std::string> ids;
  for (const Article& a : r.articles) ids.push_back(a.id);
  CHECK(ids == std::vector<std::string>{"a1", "b.txt", "sub/c.txt", "d1"});  // sorted full paths
  CHECK(r.stats.files == 4);
  CHECK(r.diags.empty());
}

TEST_CASE("paths: ids are paths relative to the directory given, a file given keeps its name") {
  TempDir dir;
  const fs::path root = dir.path() / "archive";
  write_file(root / "2024" / "story.txt", "Story of 2024.");
  write_file(root / "2025" / "story.txt", "Story of 2025.");
  write_file(root / "2025" / "wire.jsonl", R"({"title":"T","body":"No id."})" "\n");
  write_file(root / "2025" / "deep" / "mini.sgm", "<REUTERS>\n<DATE>2-MAR-1987</DATE><TEXT><TITLE>X</TITLE></TEXT></REUTERS>\n");
  for (const std::string& given : {root.string(), root.string() + "/"}) {
    auto r = read(given);
    std::vector<std::string> ids, files;
    for (const Article& a : r.articles) ids.push_back(a.id), files.push_back(a.file);
    CHECK(ids == std::vector<std::string>{"2024/story.txt", "2025/deep/mini.sgm#1", "2025/story.txt", "2025/wire.jsonl#1"});
    // Article::file is the path as opened: the directory given joined with the relative path.
    CHECK(fs::path(files[0]) == root / "2024" / "story.txt");
    CHECK(files[0].rfind(given, 0) == 0);
    CHECK(fs::exists(files[3]));
  }
  auto one = read(std::vector<std::string>{(root / "2025" / "story.txt").string(), (root / "2025" / "wire.jsonl").string()});
  REQUIRE(one.articles.size() == 2);
  CHECK(one.articles[0].id == "story.txt");
  CHECK(one.articles[0].file == (root / "2025" / "story.txt").string());
  CHECK(one.articles[1].id == "wire.jsonl#1");
  // From inside the directory, "." works the same way.
  const fs::path cwd = fs::current_path();
  fs::current_path(root);
  auto dot = read(fs::path("."));
  fs::current_path(cwd);
  REQUIRE(dot.articles.size() == 4);
  CHECK(dot.articles[0].id == "2024/story.txt");
  CHECK(dot.articles[0].file == "./2024/story.txt");
}

TEST_CASE("stdin: '-' is sniffed and streamed, ids and messages name stdin") {
  // Standard input is replaced by a pipe for the test; a writer thread sends
  // the second record only once the first has come out of the reader, so a
  // reader that waited for the whole input would never finish that way.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const int saved = ::dup(STDIN_FILENO);
  REQUIRE(::dup2(fds[0], STDIN_FILENO) >= 0);
  ::close(fds[0]);
  std::mutex m;
  std::condition_variable cv;
  size_t seen = 0;
  bool streamed = false;
  std::thread writer([&] {
    auto put = [&](const std::string& s) { CHECK(::write(fds[1], s.data(), s.size()) == static_cast<ssize_t>(s.size())); };
    put(R"({"title":"First","body":"One.","tags":1})" "\n");
    {
      std::unique_lock lock(m);
      streamed = cv.wait_for(lock, std::chrono::seconds(10), [&] { return seen >= 1; });
    }
    put(R"({"title":"Second","body":"Two.","published":"someday"})" "\n");
    ::close(fds[1]);
  });
  ReadResult r;
  r.stats = read_articles(
      {"-"},
      [&](Article&& a) {
        std::lock_guard lock(m);
        r.articles.push_back(std::move(a));
        ++seen;
        cv.notify_all();
      },
      [&](const Diagnostic& d) { r.diags.push_back(d); });
  writer.join();
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  CHECK(streamed);
  REQUIRE(r.articles.size() == 2);
  CHECK(r.articles[0].id == "stdin#1");
  CHECK(r.articles[1].id == "stdin#2");
  CHECK(r.articles[1].file == "-");
  CHECK(r.articles[1].line == 2);
  CHECK(r.stats.files == 1);
  REQUIRE(r.diags.size() == 2);
  CHECK(r.diags[0].where == "<stdin>:2");
  CHECK(r.diags[0].message.find("someday") != std::string::npos);
  CHECK(r.diags[1].where == "<stdin>:1");
  CHECK(r.diags[1].message.rfind("field \"tags\" is not read", 0) == 0);
}

TEST_CASE("duplicate ids: every later copy is reported with the first place") {
  DuplicateIds ids;
  auto art = [](const char* id, const char* file, uint64_t line) {
    Article a;
    a.id = id;
    a.file = file;
    a.line = line;
    return a;
  };
  CHECK_FALSE(ids.check(art("dl-1", "a.jsonl", 3), "why"));
  CHECK_FALSE(ids.check(art("dl-2", "a.jsonl", 4), "why"));
  CHECK_FALSE(ids.check(art("story.txt", "x/story.txt", 0), "why"));
  auto d = ids.check(art("dl-1", "b.jsonl", 7), "both are kept");
  REQUIRE(d);
  CHECK(d->level == Diagnostic::Level::Warning);
  CHECK(d->where == "b.jsonl:7");
  CHECK(d->message == "id \"dl-1\" also at a.jsonl:3 (both are kept)");
  auto t = ids.check(art("story.txt", "y/story.txt", 0), "");
  REQUIRE(t);
  CHECK(t->where == "y/story.txt");
  CHECK(t->message == "id \"story.txt\" also at x/story.txt");
  auto third = ids.check(art("dl-1", "c.jsonl", 1), "why");
  REQUIRE(third);
  CHECK(third->message.find("also at a.jsonl:3") != std::string::npos);  // always the first place
  CHECK_FALSE(ids.check(art("DL-1", "c.jsonl", 2), "why"));              // ids are case-sensitive
  CHECK(ids.duplicates() == 3);
}

TEST_CASE("paths: a missing path is an error naming it, reading goes on") {
  TempDir dir;
  write_file(dir.path() / "ok.txt", "Fine.");
  auto r = read(std::vector<std::string>{(dir.path() / "nope").string(), (dir.path() / "ok.txt").string()});
  REQUIRE(r.articles.size() == 1);
  REQUIRE(r.diags.size() == 1);
  CHECK(r.diags[0].level == Diagnostic::Level::Error);
  CHECK(r.diags[0].where == (dir.path() / "nope").string());
  CHECK(r.stats.errors == 1);
}

TEST_CASE("paths: explicit files with other names are sniffed") {
  TempDir dir;
  write_file(dir.path() / "records.json", "  \n" R"({"id":"j","title":"json"})" "\n");
  write_file(dir.path() / "wire.dat", std::string(kSgml));
  write_file(dir.path() / "story", "Just some text.");
  write_file(dir.path() / "packed.bin", zstd_compress(jsonl_records(2)));
  auto r = read(std::vector<std::string>{(dir.path() / "records.json").string(), (dir.path() / "wire.dat").string(),
                                         (dir.path() / "story").string(), (dir.path() / "packed.bin").string()});
  CHECK(r.find("j") != nullptr);
  CHECK(r.find("reuters-1") != nullptr);
  CHECK(r.find("story") != nullptr);
  CHECK(r.find("r2") != nullptr);
  CHECK(r.articles.size() == 1 + 5 + 1 + 2);
  CHECK(r.stats.errors == 0);
}

TEST_CASE("robustness: garbage and empty input never crash") {
  TempDir dir;
  std::mt19937 rng(12345);
  auto garbage = [&](size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
  };
  const char* names[] = {"g.jsonl", "g.txt", "g.sgm", "g.jsonl.zst", "g.unknown"};
  for (int round = 0; round < 20; ++round) {
    for (const char* name : names) write_file(dir.path() / name, garbage(1 + rng() % 5000));
    auto r = read(dir.path());
    for (const Article& a : r.articles) CHECK_FALSE(a.id.empty());
  }
  // Structured garbage: half-open tags and quotes.
  write_file(dir.path() / "h.sgm", "<REUTERS NEWID=\"7\"><DATE>1-JAN-<TEXT><TITLE>x<BODY>&#99999999;&#;&;&lt");
  write_file(dir.path() / "q.jsonl", std::string("{\"id\":\"") + std::string(100000, 'x') + "\n{\n}\n{{{{\n\"\n");
  write_file(dir.path() / "e.jsonl", "");
  write_file(dir.path() / "e.sgm", "");
  auto r = read(std::vector<std::string>{(dir.path() / "h.sgm").string(), (dir.path() / "q.jsonl").string(),
                                         (dir.path() / "e.jsonl").string(), (dir.path() / "e.sgm").string()});
  CHECK(r.find("reuters-7") != nullptr);
  CHECK(r.stats.files == 4);
}

// ---------------------------------------------------------------------------
// The real Reuters-21578 collection

namespace {
std::vector<std::string> reuters_files() {
  std::vector<std::string> files;
  fs::path dir = dateline::testing::shared_dir() / "corpora" / "reuters21578";
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sgm") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

TEST_CASE("reuters: all 22 files, 21,578 articles, every one dated") {
  if (!dateline::testing::have_shared()) {
    MESSAGE("skipped: ../shared is not available");
    return;
  }
  auto files = reuters_files();
  REQUIRE(files.size() == 22);
  auto r = read(files);
  CHECK(r.stats.files == 22);
  CHECK(r.stats.articles == 21578);
  REQUIRE(r.articles.size() == 21578);
  CHECK(r.stats.errors == 0);
  CHECK(r.count(Diagnostic::Level::Error) == 0);
  // The one warning: NEWID 12793 has no text at all (it is still an article).
  CHECK(r.stats.warnings == 1);
  size_t dated = 0;
  std::map<std::string, const Article*> by_id;
  for (const Article& a : r.articles) {
    dated += a.date != kNoDate;
    by_id[a.id] = &a;
    CHECK(all_valid_utf8(a));
  }
  CHECK(dated == 21578);
  CHECK(by_id.size() == 21578);  // ids are unique
  CHECK(by_id.count("reuters-1"));
  CHECK(by_id.count("reuters-21578"));

  auto get = [&](const char* id) -> const Article& {
    auto it = by_id.find(id);
    REQUIRE_MESSAGE(it != by_id.end(), id);
    return *it->second;
  };
  // Dates that a strict "D-MON-YYYY HH:MM:SS.cc" parser rejects.
  CHECK(get("reuters-14609").date == day("1987-04-07"));  // 7-APR-1987 16:22:00.0
  CHECK(get("reuters-15785").date == day("1987-04-09"));  // 9-APR-1987 13:32:06.7
  CHECK(get("reuters-17192").date == day("1987-03-31"));  // hour 605
  CHECK(get("reuters-269").date == day("1987-03-02"));    // " 2-MAR-1987"
  CHECK(get("reuters-12794").date == day("1987-04-03"));  // "  3-APR-1987"
  CHECK(get("reuters-10279").date == day("1987-03-27"));  // trailing &#5;&#5;&#5; junk

  const Article& one = get("reuters-1");
  CHECK(one.title == "BAHIA COCOA REVIEW");
  CHECK(one.date == day("1987-02-26"));
  CHECK(one.body.rfind("SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia cocoa zone,", 0) == 0);
  CHECK(one.body.find("\n\nThe dry period means") != std::string::npos);
  CHECK(one.body.find("Reuter") == std::string::npos);
  CHECK(one.origin().find("reut2-000.sgm:2") != std::string::npos);

  CHECK(get("reuters-2").title == "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT");           // &lt;
  CHECK(get("reuters-234").body.find("Market & Opinion Research") != std::string::npos);  // &amp;
  CHECK(get("reuters-918").body.find("500 mln dlruntied loan") != std::string::npos);     // &#127; dropped
  CHECK(get("reuters-17980").body.find("growth.\xC3\xBCside") != std::string::npos);      // 0xFC as Latin-1
  CHECK(get("reuters-30").body.empty());                                                  // BRIEF
  CHECK(get("reuters-30").title.rfind("ASSETS OF MONEY MARKET MUTUAL FUNDS", 0) == 0);
  CHECK(get("reuters-99").title == "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26");  // UNPROC
  CHECK(get("reuters-99").body.find("Net free reserves") != std::string::npos);
  CHECK(get("reuters-12793").title.empty());
  CHECK(get("reuters-12793").body.empty());
  size_t labelled = 0, people = 0;
  for (const Article& a : r.articles) {
    CHECK_FALSE(a.has_entities);
    CHECK_FALSE(a.has_speakers);
    labelled += !a.labels.empty();
    for (const auto& [kind, value] : a.labels) people += kind == "people";
  }
  CHECK(labelled > 18000);  // README: 18,798 with PLACES
  CHECK(people > 1000);
}
