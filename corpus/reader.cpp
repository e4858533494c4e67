// read_articles(): walking paths, choosing formats, dispatching to the readers.
#include "corpus/reader.h"

#include <fcntl.h>
#include <unistd.h>

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

InputStream::~InputStream() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

size_t InputStream::read_file(char* buf, size_t n) {
  if (!error_.empty() || fd_ < 0) return 0;
  while (true) {
    const ssize_t got = ::read(fd_, buf, n);
    if (got >= 0) {
      if (counted_) *counted_ += static_cast<uint64_t>(got);
      return static_cast<size_t>(got);
    }
    if (errno == EINTR) continue;
    error_ = std::strerror(errno);
    return 0;
  }
}

bool InputStream::fill() {
  char buf[1 << 12];
  const size_t got = read_file(buf, sizeof buf);
  ahead_.append(buf, got);
  return got > 0;
}

std::string_view InputStream::peek(size_t n) {
  while (ahead().size() < n && fill()) {
  }
  return ahead().substr(0, n);
}

size_t InputStream::read(char* buf, size_t n) {
  if (ahead_pos_ == ahead_.size()) return read_file(buf, n);
  const size_t k = std::min(n, ahead_.size() - ahead_pos_);
  std::memcpy(buf, ahead_.data() + ahead_pos_, k);
  ahead_pos_ += k;
  if (ahead_pos_ == ahead_.size()) ahead_.clear(), ahead_pos_ = 0;
  return k;
}

bool InputStream::read_all(std::string& out) {
  char buf[1 << 16];
  size_t n;
  while ((n = read(buf, sizeof buf)) > 0) out.append(buf, n);
  return error_.empty();
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

bool has_zstd_magic(std::string_view head) {
  return head.size() >= 4 && std::memcmp(head.data(), kZstdMagic, 4) == 0;
}

// Where the content of `head` starts: past a UTF-8 BOM and whitespace.
size_t content_start(std::string_view head) {
  size_t i = head.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < head.size() && is_ascii_space(head[i])) ++i;
  return i;
}

// Guesses the format of an input from its first bytes: zstd magic, '{'
// (after a BOM and whitespace), "<!DOCTYPE lewis" or "<REUTERS", else text.
Format sniff_format(std::string_view head) {
  if (has_zstd_magic(head)) return Format::JsonlZstd;
  const std::string_view h = head.substr(content_start(head));
  if (!h.empty() && h[0] == '{') return Format::Jsonl;
  if (istarts_with_ascii(h, "<!DOCTYPE lewis") || istarts_with_ascii(h, "<REUTERS")) return Format::Sgml;
  return Format::Text;
}

// The format of an input by sniff_format(), reading no further ahead than
// needed (on a pipe, the first record may be all there is for a while): until
// 16 bytes past the start of the content, at most 4 KiB.
Format sniff_input(InputStream& in) {
  while (content_start(in.ahead()) + 16 > in.ahead().size() && in.ahead().size() < 4096 && in.fill()) {
  }
  return sniff_format(in.ahead());
}

// Reads one input in `format`, or in the format its content suggests.
void read_input(const Source& src, InputStream& in, std::optional<Format> format, ReadContext& ctx) {
  if (!format) format = sniff_input(in);
  // A file named *.jsonl that is really compressed still reads.
  if (format == Format::Jsonl && has_zstd_magic(in.peek(4))) format = Format::JsonlZstd;
  switch (*format) {
    case Format::Jsonl: read_jsonl(src, in, ctx); break;
    case Format::JsonlZstd: read_jsonl_zstd(src, in, ctx); break;
    case Format::Sgml: read_sgml(src, in, ctx); break;
    case Format::Text: read_text(src, in, ctx); break;
  }
}

void read_file(const Source& src, std::optional<Format> format, ReadContext& ctx) {
  const int fd = ::open(src.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    ctx.error(src.display, std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  InputStream in(fd, true, ctx.input_bytes());
  read_input(src, in, format, ctx);
}

// Standard input, sniffed; JSON Lines are streamed as from a file.
void read_stdin(ReadContext& ctx) {
  InputStream in(STDIN_FILENO, false, ctx.input_bytes());
  read_input(Source{"-", "<stdin>", "stdin"}, in, std::nullopt, ctx);
}

// A file found in a directory walk.
struct FoundFile {
  std::string path;  // the directory given joined with `name`
  std::string name;  // relative to the directory given, '/'-separated
  Format format;
  bool operator<(const FoundFile& o) const { return path < o.path; }
};

bool is_hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// Collects the readable files under `dir` (recursively, skipping hidden
// entries, unknown extensions and symbolic links to directories); `prefix` is
// `dir` relative to the directory given ("" for that one, else "2024/").
void collect_directory(const fs::path& dir, const std::string& prefix, std::vector<FoundFile>& files,
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
    const std::string name = prefix + p.filename().string();
    if (fs::is_directory(st)) {
      collect_directory(p, name + "/", files, ctx, depth + 1);
    } else if (fs::is_regular_file(st)) {
      if (auto f = format_from_name(name)) files.push_back(FoundFile{p.string(), name, *f});
    }
  }
}

}  // namespace
}  // namespace corpus_detail

ReadStats read_articles(const std::vector<std::string>& paths, const ArticleSink& sink,
                        const DiagnosticSink& diag, ReadStats* live) {
  using namespace corpus_detail;
  ReadStats own;
  ReadStats& stats = live ? *live : own;
  stats = ReadStats{};
  ReadContext ctx(sink, diag, stats);
  bool stdin_read = false;
  for (const std::string& path : paths) {
    if (path == "-") {
      if (stdin_read) {
        ctx.error("<stdin>", "standard input is named twice; read only once");
        continue;
      }
      stdin_read = true;
      ++stats.files;
      read_stdin(ctx);
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      ctx.error(path, "no such file or directory");
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<FoundFile> files;
      collect_directory(path, "", files, ctx, 0);
      std::sort(files.begin(), files.end());
      for (const FoundFile& f : files) {
        ++stats.files;
        read_file(Source{f.path, f.path, f.name}, f.format, ctx);
      }
      continue;
    }
    // An explicit file: by name, else by content.
    ++stats.files;
    read_file(Source{path, path, file_name_of(path)}, format_from_name(file_name_of(path)), ctx);
  }
  return stats;
}

uint64_t input_size(const std::vector<std::string>& paths) {
  using namespace corpus_detail;
  ReadStats ignored;
  const ArticleSink no_sink;
  const DiagnosticSink no_diag;
  ReadContext quiet(no_sink, no_diag, ignored);
  uint64_t total = 0;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-") continue;
    if (fs::is_directory(path, ec)) {
      std::vector<FoundFile> files;
      collect_directory(path, "", files, quiet, 0);
      for (const FoundFile& f : files) {
        const uintmax_t n = fs::file_size(f.path, ec);
        if (!ec) total += n;
      }
    } else {
      const uintmax_t n = fs::file_size(path, ec);
      if (!ec) total += n;
    }
  }
  return total;
}

}  // namespace dateline
