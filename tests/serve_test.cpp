// End-to-end tests of `dateline serve`: the server runs as a child process
// on the bundled sample corpus and is asked over HTTP (httplib's client);
// every expected answer comes from the CLI itself (search --count, search
// --facets --json, timeline --format json, show --json).
#include <doctest/doctest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <simdjson.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_util.h"

using namespace dateline::testing;
namespace fs = std::filesystem;

namespace {

const std::string& sample_index() {
  static TempDir dir("dateline-serve");
  static std::string path = [] {
    const std::string p = (dir.path() / "idx").string();
    auto r = run_dateline("index --index " + shell_quote(p) + " " + shell_quote((source_dir() / "corpus/samples").string()));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return p;
  }();
  return path;
}

// `dateline serve --port 0` as a child process, stopped (SIGTERM) when the
// object dies.
class Server {
 public:
  explicit Server(const std::string& index) {
    int out[2];
    REQUIRE(pipe(out) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      const std::string bin = dateline_binary().string();
      execl(bin.c_str(), bin.c_str(), "serve", "--index", index.c_str(), "--port", "0", "--threads", "3",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    const std::string line = read_line(out[0], std::chrono::seconds(30));
    close(out[0]);
    const std::string prefix = "listening on http://127.0.0.1:";
    if (line.rfind(prefix, 0) != 0) {
      stop();  // the destructor does not run when the constructor throws
      FAIL("dateline serve printed '" << line << "'");
    }
    port_ = std::stoi(line.substr(prefix.size()));
  }
  ~Server() { stop(); }

  int port() const { return port_; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(30);
    return c;
  }

  // SIGTERM, then the exit status (SIGKILL after 10 s: a test never hangs).
  int stop() {
    if (pid_ <= 0) return status_;
    kill(pid_, SIGTERM);
    int st = 0;
    for (int i = 0; i < 1000; ++i) {
      if (waitpid(pid_, &st, WNOHANG) == pid_) break;
      if (i == 999) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &st, 0);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return status_;
  }

 private:
  // The first line the server prints, waiting at most `limit`.
  static std::string read_line(int fd, std::chrono::seconds limit) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char c;
      if (read(fd, &c, 1) != 1 || c == '\n') break;
      line += c;
    }
    return line;
  }

  pid_t pid_ = -1;
  int port_ = 0;
  int status_ = -1;
};

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// GET path with the query string built from `params`; the response (checked to exist).
httplib::Result get(const Server& server, const std::string& path,
                    const std::vector<std::pair<std::string, std::string>>& params = {}) {
  std::string target = path;
  for (size_t i = 0; i < params.size(); ++i) {
    target += i ? '&' : '?';
    target += params[i].first + "=" + url_encode(params[i].second);
  }
  httplib::Result r = server.client().Get(target.c_str());
  REQUIRE_MESSAGE(r, "no response to " << target);
  return r;
}

uint64_t cli_count(const std::string& index, const std::string& query) {
  auto r = run_dateline("search --count --index " + shell_quote(index) + " -- " + shell_quote(query));
  REQUIRE_MESSAGE(r.exit_code == 0, query << ": " << r.err);
  return std::stoull(r.out);
}

std::string last_line(const std::string& out) {
  std::string s = out;
  while (!s.empty() && s.back() == '\n') s.pop_back();
  const size_t nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

std::vector<std::string> cli_ids(const std::string& query, const std::string& extra) {
  auto r = run_dateline("search --json " + extra + " --index " + shell_quote(sample_index()) + " -- " + shell_quote(query));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::vector<std::string> ids;
  simdjson::dom::parser parser;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) ids.emplace_back(std::string_view(parser.parse(line)["id"]));
  return ids;
}

std::vector<std::string> api_ids(simdjson::dom::element page) {
  std::vector<std::string> ids;
  for (simdjson::dom::element h : page["hits"].get_array()) ids.emplace_back(std::string_view(h["id"]));
  return ids;
}

const std::vector<std::string> kQueries{"rates", "\"interest rates\"", "bank OR inflation", "speaker:halvorsen",
                                        "date:2024 -oil", "minist*"};

}  // namespace

TEST_CASE("serve: search totals and pages equal the CLI's") {
  Server server(sample_index());
  simdjson::dom::parser parser;
  for (const std::string& q : kQueries) {
    CAPTURE(q);
    auto r = get(server, "/api/search", {{"q", q}, {"per_page", "5"}});
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type").find("application/json") == 0);
    simdjson::dom::element page = parser.parse(r->body);
    CHECK(uint64_t(page["total"]) == cli_count(sample_index(), q));
    CHECK(api_ids(page) == cli_ids(q, "--limit 5"));
    auto r2 = get(server, "/api/search", {{"q", q}, {"per_page", "5"}, {"page", "2"}, {"sort", "newest"}});
    REQUIRE(r2->status == 200);
    CHECK(api_ids(parser.parse(r2->body)) == cli_ids(q, "--limit 5 --offset 5 --sort newest"));
  }
  // A hit carries its snippet, highlight ranges inside it, and the article's fields.
  auto r = get(server, "/api/search", {{"q", "rates"}});
  simdjson::dom::element hit = parser.parse(r->body)["hits"].at(0);
  const std::string_view snippet = hit["snippet"];
  simdjson::dom::array ranges = hit["highlights"];
  CHECK(ranges.size() > 0);
  for (simdjson::dom::element range : ranges) CHECK(uint64_t(range.at(1)) <= snippet.size());
  for (const char* field : {"id", "date", "title", "score", "speakers", "people", "organizations", "places"})
    CHECK_MESSAGE(hit[field].error() == simdjson::SUCCESS, field);
  // quote: queries list the matched quotations.
  auto quotes = get(server, "/api/search", {{"q", "quote:rates"}});
  simdjson::dom::element qpage = parser.parse(quotes->body);
  if (uint64_t(qpage["total"]) > 0) CHECK(qpage["hits"].at(0)["quotes"].get_array().size() > 0);
  CHECK(server.stop() == 0);
}

TEST_CASE("serve: facets and timelines equal the CLI's JSON") {
  Server server(sample_index());
  const std::string idx = shell_quote(sample_index());
  for (const std::string& q : kQueries) {
    CAPTURE(q);
    for (const std::string fields : {"speaker,org,place,month", "person,year"}) {
      auto r = get(server, "/api/facets", {{"q", q}, {"fields", fields}, {"limit", "3"}});
      CHECK(r->status == 200);
      auto cli = run_dateline("search --count --facets " + fields + " --facet-limit 3 --json --index " + idx + " -- " +
                              shell_quote(q));
      CHECK(r->body == last_line(cli.out));
    }
    auto t = get(server, "/api/timeline", {{"q", q}, {"by", "month"}});
    CHECK(t->status == 200);
    CHECK(t->body == last_line(run_dateline("timeline --format json --by month --index " + idx + " -- " + shell_quote(q)).out));
    auto split = get(server, "/api/timeline", {{"q", q}, {"by", "year"}, {"split", "speaker"}, {"top", "3"}});
    CHECK(split->body == last_line(run_dateline("timeline --format json --by year --split speaker --top 3 --index " +
                                                idx + " -- " + shell_quote(q)).out));
  }
}

TEST_CASE("serve: articles by id, the page and its assets") {
  Server server(sample_index());
  for (const std::string& id : cli_ids("rates", "--limit 3")) {
    auto r = get(server, "/api/article/" + url_encode(id));
    CHECK(r->status == 200);
    CHECK(r->body == last_line(run_dateline("show --json --index " + shell_quote(sample_index()) + " " + shell_quote(id)).out));
  }
  auto page = get(server, "/");
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type").find("text/html") == 0);
  CHECK(page->body.find("<script src=\"/app.js\">") != std::string::npos);
  CHECK(get(server, "/app.js")->get_header_value("Content-Type").find("javascript") != std::string::npos);
  CHECK(get(server, "/style.css")->get_header_value("Content-Type").find("text/css") == 0);
}

TEST_CASE("serve: bad requests are JSON errors") {
  Server server(sample_index());
  simdjson::dom::parser parser;
  // A malformed query: 400 at the column the CLI reports.
  const std::string bad = "(rates OR bank";
  auto batch = run_dateline("search --batch - --index " + shell_quote(sample_index()), "COUNT\t" + bad + "\n");
  REQUIRE(batch.out.rfind("ERROR column ", 0) == 0);
  const int64_t column = std::stoll(batch.out.substr(13));
  for (const char* endpoint : {"/api/search", "/api/facets", "/api/timeline"}) {
    CAPTURE(endpoint);
    auto r = get(server, endpoint, {{"q", bad}});
    CHECK(r->status == 400);
    simdjson::dom::element e = parser.parse(r->body);
    CHECK(int64_t(e["column"]) == column);
    CHECK(std::string_view(e["error"]).size() > 0);
    CHECK(get(server, endpoint)->status == 400);  // no query
  }
  CHECK(get(server, "/api/search", {{"q", "rates"}, {"page", "zero"}})->status == 400);
  CHECK(get(server, "/api/search", {{"q", "rates"}, {"per_page", "100000"}})->status == 400);
  CHECK(get(server, "/api/search", {{"q", "rates"}, {"sort", "random"}})->status == 400);
  CHECK(get(server, "/api/facets", {{"q", "rates"}, {"fields", "colour"}})->status == 400);
  CHECK(get(server, "/api/timeline", {{"q", "rates"}, {"by", "decade"}})->status == 400);
  // Huge parameters: a query over 4 KiB, a URI over 8 KiB, a body over 64 KiB.
  const int huge_q = get(server, "/api/search", {{"q", std::string(5000, 'a')}})->status;
  CHECK((huge_q == 413 || huge_q == 414));
  CHECK(get(server, "/api/search", {{"q", std::string(20000, 'a')}})->status == 414);
  auto post = server.client().Post("/api/search", std::string(100 * 1024, 'x'), "text/plain");
  REQUIRE(post);
  CHECK(post->status == 413);
  auto small_post = server.client().Post("/api/search", "q=rates", "application/x-www-form-urlencoded");
  REQUIRE(small_post);
  CHECK(small_post->status == 405);  // read-only
  // Unknown paths and ids; ids never reach the filesystem.
  for (const std::string path : {"/nope", "/api/nope", "/api/article/no-such-id", "/api/article/../../etc/passwd",
                                 "/api/article/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/../../etc/passwd", "/web/app.js"}) {
    CAPTURE(path);
    auto r = server.client().Get(path.c_str());
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(r->body.find("root:") == std::string::npos);
    CHECK(parser.parse(r->body)["error"].error() == simdjson::SUCCESS);
  }
  CHECK(server.stop() == 0);  // SIGTERM: a clean exit
}

TEST_CASE("serve: a new commit is seen without a restart") {
  TempDir dir("dateline-serve-reopen");
  const std::string idx = (dir.path() / "idx").string();
  const std::string first = (source_dir() / "corpus/samples/news-2023.jsonl").string();
  REQUIRE(run_dateline("index --index " + shell_quote(idx) + " " + shell_quote(first)).exit_code == 0);
  Server server(idx);
  simdjson::dom::parser parser;
  const std::string word = "quokkaberg";
  CHECK(uint64_t(parser.parse(get(server, "/api/search", {{"q", word}})->body)["total"]) == 0);
  const uint64_t before = uint64_t(parser.parse(get(server, "/api/search", {{"q", "rates OR " + word}})->body)["total"]);
  const fs::path extra = dir.path() / "new.jsonl";
  std::ofstream(extra) << R"({"id": "serve-new-1", "date": "2026-12-01", "title": "The quokkaberg ruling", )"
                       << R"("body": "Judges in Perth ruled on the quokkaberg case on Tuesday, lawyers said."})" << "\n";
  REQUIRE(run_dateline("index --index " + shell_quote(idx) + " " + shell_quote(extra.string())).exit_code == 0);
  simdjson::dom::element page = parser.parse(get(server, "/api/search", {{"q", word}})->body);
  CHECK(uint64_t(page["total"]) == 1);
  CHECK(uint64_t(page["total"]) == cli_count(idx, word));
  CHECK(api_ids(page) == std::vector<std::string>{"serve-new-1"});
  CHECK(uint64_t(parser.parse(get(server, "/api/search", {{"q", "rates OR " + word}})->body)["total"]) == before + 1);
  auto article = get(server, "/api/article/serve-new-1");
  CHECK(article->status == 200);
  CHECK(std::string_view(parser.parse(article->body)["title"]) == "The quokkaberg ruling");
  CHECK(server.stop() == 0);
}

TEST_CASE("serve: concurrent requests while a commit lands") {
  TempDir dir("dateline-serve-concurrent");
  const std::string idx = (dir.path() / "idx").string();
  REQUIRE(run_dateline("index --index " + shell_quote(idx) + " " +
                       shell_quote((source_dir() / "corpus/samples/news-2024.jsonl").string())).exit_code == 0);
  Server server(idx);
  const std::string q = "rates OR bank OR inflation";
  const uint64_t before = cli_count(idx, q);
  std::atomic<bool> indexing_done{false};
  std::atomic<int> failures{0}, replies{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 3; ++t)
    clients.emplace_back([&] {
      simdjson::dom::parser parser;
      httplib::Client c = server.client();
      for (int i = 0; i < 200 && !(indexing_done && i > 20); ++i) {
        auto r = c.Get(("/api/search?q=" + url_encode(q) + "&per_page=3").c_str());
        simdjson::dom::element page;
        if (!r || r->status != 200 || parser.parse(r->body).get(page) != simdjson::SUCCESS) {
          ++failures;
          continue;
        }
        ++replies;
      }
    });
  REQUIRE(run_dateline("index --index " + shell_quote(idx) + " " +
                       shell_quote((source_dir() / "corpus/samples/news-2025.jsonl").string())).exit_code == 0);
  indexing_done = true;
  for (std::thread& t : clients) t.join();
  CHECK(failures == 0);
  CHECK(replies > 0);
  const uint64_t after = cli_count(idx, q);
  CHECK(after > before);
  simdjson::dom::parser parser;
  CHECK(uint64_t(parser.parse(get(server, "/api/search", {{"q", q}})->body)["total"]) == after);
  CHECK(server.stop() == 0);
}
