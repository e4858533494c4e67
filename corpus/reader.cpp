// read_articles(): walking paths, choosing formats, dispatching to the readers.
#include "corpus/reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include "corpus/formats.h"
#include "corpus/text_util.h"

namespace fs = std::filesystem;

namespace dateline {
namespace corpus_detail {

void ReadContext::warning(std::string where, std::string message) {
  ++stats_.warnings;
  if (diag_) diag_(Diagnostic{Diagnostic::Level::Warning, std::move(where), std::move(message)});
}

void ReadContext::error(std::string where, std::string message) {
  ++stats_.errors;
  if (diag_) diag_(Diagnostic{Diagnostic::Level::Error, std::move(where), std::move(message)});
}

void ReadContext::emit(Article&& article) {
  ++stats_.articles;
  if (sink_) sink_(std::move(article));
}

bool slurp_file(const std::string& path, std::string& out, std::string& err) {
  out.clear();
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    err = std::strerror(errno);
    return false;
  }
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool failed = std::ferror(f);
  if (failed) err = std::strerror(errno);
  std::fclose(f);
  return !failed;
}

namespace {

bool ends_with_icase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals_ascii(s.substr(s.size() - suffix.size()), suffix);
}

// The format implied by a file name, if any.
std::optional<Format> format_from_name(std::string_view name) {
  if (ends_with_icase(name, ".jsonl.zst") || ends_with_icase(name, ".ndjson.zst")) return Format::JsonlZstd;
  if (ends_with_icase(name, ".jsonl") || ends_with_icase(name, ".ndjson")) return Format::Jsonl;
  if (ends_with_icase(name, ".sgm") || ends_with_icase(name, ".sgml")) return Format::Sgml;
  if (ends_with_icase(name, ".txt")) return Format::Text;
  return std::nullopt;
}

constexpr unsigned char kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};

// Reads the first bytes of a file (empty on failure).
std::string read_head(const std::string& path, size_t n) {
  std::string head(n, '\0');
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {};
  size_t got = std::fread(head.data(), 1, n, f);
  std::fclose(f);
  head.resize(got);
  return head;
}

bool has_zstd_magic(std::string_view head) {
  return head.size() >= 4 && std::memcmp(head.data(), kZstdMagic, 4) == 0;
}

// Guesses the format of a file from its first bytes.
Format sniff_format(const std::string& path) {
  std::string head = read_head(path, 4096);
  if (has_zstd_magic(head)) return Format::JsonlZstd;
  std::string_view h = head;
  if (h.substr(0, 3) == "\xEF\xBB\xBF") h.remove_prefix(3);
  size_t i = 0;
  while (i < h.size() && is_ascii_space(h[i])) ++i;
  h.remove_prefix(i);
  if (!h.empty() && h[0] == '{') return Format::Jsonl;
  if (istarts_with_ascii(h, "<!DOCTYPE lewis") || istarts_with_ascii(h, "<REUTERS")) return Format::Sgml;
  return Format::Text;
}

void read_file(const std::string& display, Format format, ReadContext& ctx) {
  // A file named *.jsonl that is really compressed still reads.
  if (format == Format::Jsonl && has_zstd_magic(read_head(display, 4))) format = Format::JsonlZstd;
  switch (format) {
    case Format::Jsonl: read_jsonl_file(display, ctx); break;
    case Format::JsonlZstd: read_jsonl_zstd_file(display, ctx); break;
    case Format::Sgml: read_sgml_file(display, ctx); break;
    case Format::Text: read_text_file(display, ctx); break;
  }
}

bool is_hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// Collects the readable files under `dir` (recursively, skipping hidden
// entries, unknown extensions and symbolic links to directories).
void collect_directory(const fs::path& dir, std::vector<std::pair<std::string, Format>>& files,
                       ReadContext& ctx, int depth) {
  if (depth > 64) {
    ctx.error(dir.string(), "directory nesting too deep; skipped");
    return;
  }
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    ctx.error(dir.string(), "cannot read directory: " + ec.message());
    return;
  }
  std::vector<fs::path> entries;
  for (fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      ctx.error(dir.string(), "cannot read directory: " + ec.message());
      break;
    }
    entries.push_back(it->path());
  }
  std::sort(entries.begin(), entries.end());
  for (const fs::path& p : entries) {
    if (is_hidden(p)) continue;
    std::error_code sec;
    fs::file_status st = fs::symlink_status(p, sec);
    if (sec) continue;
    if (fs::is_symlink(st)) {
      st = fs::status(p, sec);
      if (sec) continue;                  // dangling link
      if (fs::is_directory(st)) continue;  // avoid cycles
    }
    if (fs::is_directory(st)) {
      collect_directory(p, files, ctx, depth + 1);
    } else if (fs::is_regular_file(st)) {
      if (auto f = format_from_name(p.filename().string())) files.emplace_back(p.string(), *f);
    }
  }
}

}  // namespace
}  // namespace corpus_detail

ReadStats read_articles(const std::vector<std::string>& paths, const ArticleSink& sink,
                        const DiagnosticSink& diag) {
  using namespace corpus_detail;
  ReadStats stats;
  ReadContext ctx(sink, diag, stats);
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      ctx.error(path, "no such file or directory");
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<std::pair<std::string, Format>> files;
      collect_directory(path, files, ctx, 0);
      std::sort(files.begin(), files.end());
      for (auto& [file, format] : files) {
        ++stats.files;
        read_file(file, format, ctx);
      }
      continue;
    }
    // An explicit file: by name, else by content.
    ++stats.files;
    auto format = format_from_name(file_name_of(path));
    read_file(path, format ? *format : sniff_format(path), ctx);
  }
  return stats;
}

}  // namespace dateline
