// Helpers shared by the tests: paths, temporary directories, running the CLI.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>
#include <sys/wait.h>

#include "corpus/article.h"
#include "corpus/extract.h"
#include "corpus/reader.h"

namespace dateline::testing {

inline std::filesystem::path source_dir() { return DATELINE_SOURCE_DIR; }

// Every article of `paths` (files or folders, any format the reader takes)
// with its fields extracted, in order.
inline std::vector<Article> read_extracted(const std::vector<std::string>& paths) {
  std::vector<Article> all;
  read_articles(paths, [&](Article&& a) {
    extract_fields(a);
    all.push_back(std::move(a));
  }, nullptr);
  return all;
}
inline std::filesystem::path dateline_binary() { return DATELINE_BINARY; }

// ../shared next to the repository, when it exists (Reuters-21578, seed).
inline std::filesystem::path shared_dir() { return source_dir().parent_path() / "shared"; }
inline bool have_shared() { return std::filesystem::exists(shared_dir() / "corpora"); }

// The 22 files of Reuters-21578 for a test that indexes all of it, or none
// with `skipped` saying why: ../shared is absent, or DATELINE_SKIP_REUTERS is
// set (the sanitizer run, where the whole corpus is slow).
inline std::vector<std::string> reuters_files(std::string& skipped) {
  if (!have_shared()) {
    skipped = "skipped: ../shared/corpora/reuters21578 not present";
    return {};
  }
  if (std::getenv("DATELINE_SKIP_REUTERS")) {
    skipped = "skipped: DATELINE_SKIP_REUTERS is set";
    return {};
  }
  std::vector<std::string> files;
  for (int i = 0; i <= 21; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "reut2-%03d.sgm", i);
    files.push_back((shared_dir() / "corpora/reuters21578" / name).string());
  }
  return files;
}

// A fresh, empty temporary directory removed when the object dies.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "dateline") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (tag + "-XXXXXX")).string();
    char* p = mkdtemp(tmpl.data());
    if (!p) throw std::runtime_error("mkdtemp failed");
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// `s` quoted for /bin/sh: in single quotes, each ' written as '\''.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `dateline <args>` through /bin/sh (args are passed as written) and
// captures stdout, stderr and the exit code.
inline CommandResult run_dateline(const std::string& args, const std::string& stdin_text = "") {
  TempDir tmp("dateline-run");
  auto outp = tmp.path() / "out", errp = tmp.path() / "err", inp = tmp.path() / "in";
  {
    FILE* f = std::fopen(inp.c_str(), "wb");
    std::fwrite(stdin_text.data(), 1, stdin_text.size(), f);
    std::fclose(f);
  }
  std::string cmd = "'";  // appended piece by piece: GCC 12 warns (-Wrestrict) on "'" + string
  cmd += dateline_binary().string() + "' " + args + " <'" + inp.string() + "' >'" + outp.string() + "' 2>'" +
         errp.string() + "'";
  int rc = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + WTERMSIG(rc);
  auto slurp = [](const std::filesystem::path& p) {
    std::string s;
    FILE* f = std::fopen(p.c_str(), "rb");
    if (!f) return s;
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
    std::fclose(f);
    return s;
  };
  r.out = slurp(outp);
  r.err = slurp(errp);
  return r;
}

}  // namespace dateline::testing
