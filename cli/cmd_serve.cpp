// dateline serve: a read-only HTTP server over one or more indexes: the JSON
// API of cli/web_api.h and a search page (cli/web/, compiled in). Each
// request borrows a Searcher from a pool that reopens it when a commit has
// replaced a MANIFEST (cli/searcher_pool.h), so new articles appear without a
// restart. SIGINT and SIGTERM stop it cleanly.
#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "cli/searcher_pool.h"
#include "cli/web_api.h"
#include "cli/web_assets.h"

namespace dateline::cli {

namespace {

struct ServeArgs {
  std::vector<std::string> indexes;
  int port = 8080;
  std::string bind = "127.0.0.1";
  size_t threads = 4;
};

// Largest request accepted: URI and headers are capped by httplib (8 KiB a
// line, 414 beyond), a body by this (413 beyond).
constexpr size_t kMaxRequestBytes = 64 * 1024;

void send(httplib::Response& res, const ApiReply& reply) {
  res.status = reply.status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(reply.body, "application/json; charset=utf-8");
}

void serve_asset(httplib::Server& server, const std::string& route, const std::string& asset_path) {
  server.Get(route, [asset_path](const httplib::Request&, httplib::Response& res) {
    const std::optional<WebAsset> a = web_asset(asset_path);
    if (!a) return;  // 404 by the error handler
    res.set_header("Cache-Control", "no-cache");
    res.set_content(std::string(a->body), std::string(a->content_type));
  });
}

// Every GET route: the page, its assets and the API.
void add_routes(httplib::Server& server, SearcherPool& pool) {
  serve_asset(server, "/", "/index.html");
  serve_asset(server, "/index.html", "/index.html");
  serve_asset(server, "/app.js", "/app.js");
  serve_asset(server, "/style.css", "/style.css");
  using Endpoint = ApiReply (*)(Searcher&, const ApiParams&);
  const std::pair<const char*, Endpoint> endpoints[] = {
      {"/api/search", api_search}, {"/api/facets", api_facets}, {"/api/timeline", api_timeline}};
  for (const auto& [route, endpoint] : endpoints)
    server.Get(route, [&pool, endpoint = endpoint](const httplib::Request& req, httplib::Response& res) {
      SearcherPool::Lease searcher = pool.borrow();
      send(res, endpoint(*searcher, req.params));
    });
  server.Get(R"(/api/article/(.+))", [&pool](const httplib::Request& req, httplib::Response& res) {
    SearcherPool::Lease searcher = pool.borrow();
    send(res, api_article(*searcher, req.matches[1].str()));
  });
  // Read-only: every other method is refused.
  const auto refuse = [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "GET, HEAD");
    send(res, api_error(405, "method not allowed: the server is read-only (GET)"));
  };
  server.Post(".*", refuse).Put(".*", refuse).Patch(".*", refuse).Delete(".*", refuse);
}

// Why httplib refused a request.
std::string refusal(int status) {
  if (status == 413) return "request too large (at most " + std::to_string(kMaxRequestBytes / 1024) + " KiB)";
  if (status == 414) return "request URI too long";
  if (status == 405) return "method not allowed: the server is read-only";
  return "bad request (HTTP " + std::to_string(status) + ")";
}

// Replies with a JSON error to whatever no route answered (404), or httplib
// refused (413, 414, 400), or a route that failed (500).
void add_error_handlers(httplib::Server& server) {
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // the API's own error
    if (res.status == 404) send(res, api_error(404, "not found: " + req.path));
    else send(res, api_error(res.status, refusal(res.status)));
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what += std::string(": ") + e.what();
    } catch (...) {
    }
    send(res, api_error(500, what));
  });
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// Waits for SIGINT or SIGTERM (blocked in every thread) and stops the server,
// again until listen() has returned (a signal may come before it runs).
class SignalStopper {
 public:
  explicit SignalStopper(httplib::Server& server) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    thread_ = std::thread([this, &server] {
      int sig = 0;
      sigwait(&set_, &sig);
      while (!done_) {
        server.stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  // Called once listen() has returned.
  ~SignalStopper() {
    done_ = true;
    pthread_kill(thread_.native_handle(), SIGTERM);  // wakes sigwait if no signal came
    thread_.join();
  }

 private:
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

int run_serve(const ServeArgs& a) {
  SearcherPool pool(a.indexes);
  httplib::Server server;
  const size_t threads = a.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(kMaxRequestBytes);
  server.set_read_timeout(10);
  server.set_write_timeout(10);
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:"}});
  add_routes(server, pool);
  add_error_handlers(server);
  const int port = a.port == 0 ? server.bind_to_any_port(a.bind) : (server.bind_to_port(a.bind, a.port) ? a.port : -1);
  if (port <= 0) {
    std::fprintf(stderr, "dateline serve: error: cannot listen on %s port %d\n", a.bind.c_str(), a.port);
    return 1;
  }
  SignalStopper stopper(server);
  std::printf("listening on http://%s:%d/\n", url_host(a.bind).c_str(), port);
  std::fflush(stdout);
  const bool ok = server.listen_after_bind();
  std::fprintf(stderr, "dateline serve: stopped\n");
  return ok ? 0 : 1;
}

}  // namespace

Runner add_serve_command(CLI::App& app) {
  auto a = std::make_shared<ServeArgs>();
  auto* sub = app.add_subcommand("serve", "Serve a search page and a JSON API over HTTP (read-only)");
  add_index_option(sub, a->indexes);
  sub->add_option("--port,-p", a->port, "TCP port (0: any free port; the URL is printed)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  sub->add_option("--bind", a->bind, "Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface)")
      ->capture_default_str();
  sub->add_option("--threads,-j", a->threads, "Worker threads: requests answered at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub->footer(
      "Prints 'listening on http://HOST:PORT/' once ready; stops on SIGINT or SIGTERM.\n"
      "The page: http://HOST:PORT/  (bookmarkable: /?q=QUERY&page=N, /?article=ID)\n"
      "The JSON API (GET):\n"
      "  /api/search?q=QUERY&page=1&per_page=10&sort=relevance|newest|oldest\n"
      "  /api/facets?q=QUERY&fields=speaker,person,org,place,month&limit=10\n"
      "  /api/timeline?q=QUERY&by=day|week|month|year[&split=speaker|person|org|place|source&top=5]\n"
      "  /api/article/ID\n"
      "Errors are {\"error\": ...} (and \"column\" for a malformed query) with status 400, 404, 405 (not GET), 413 or 414.\n"
      "New commits to the indexes (dateline index) are seen from the next request on.\n"
      "Example:\n"
      "  dateline serve -i idx --port 8080   then open http://127.0.0.1:8080/");
  return [a] { return run_serve(*a); };
}

}  // namespace dateline::cli
