// Internal to corpus/: the per-format readers behind read_articles().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "corpus/reader.h"

namespace dateline::corpus_detail {

// Shared state of one read_articles() call: the sinks and the running totals.
class ReadContext {
 public:
  ReadContext(const ArticleSink& sink, const DiagnosticSink& diag, ReadStats& stats)
      : sink_(sink), diag_(diag), stats_(stats) {}

  void warning(std::string where, std::string message);
  // Counts one skipped record (ReadStats::errors).
  void error(std::string where, std::string message);
  void emit(Article&& article);
  void add_bytes(uint64_t n) { stats_.bytes += n; }

 private:
  const ArticleSink& sink_;
  const DiagnosticSink& diag_;
  ReadStats& stats_;
};

// Input formats.
enum class Format { Jsonl, JsonlZstd, Sgml, Text };

// Reads one file of the given format. `display` is the path used in
// messages and origins.
void read_jsonl_file(const std::string& display, ReadContext& ctx);
void read_jsonl_zstd_file(const std::string& display, ReadContext& ctx);
void read_sgml_file(const std::string& display, ReadContext& ctx);
void read_text_file(const std::string& display, ReadContext& ctx);

// Parses JSON Lines records one line at a time (shared by the plain and the
// zstd reader).
class JsonlParser {
 public:
  JsonlParser(const std::string& display, ReadContext& ctx);
  ~JsonlParser();
  JsonlParser(const JsonlParser&) = delete;
  JsonlParser& operator=(const JsonlParser&) = delete;

  // One line without its terminator; `line_no` is 1-based.
  void line(std::string_view text, uint64_t line_no);
  // A line longer than the limit was dropped.
  void overlong_line(uint64_t line_no);
  // The end of the file: reports, once each, the fields its records had that
  // were not read (unknown names, aliases that lost to another name of the
  // same field) and the records with a title but no body.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits a byte stream fed in chunks into lines ("\n", "\r\n"), calling
// `on_line(text, line_no)`. Lines longer than `max_line` are dropped and
// reported through `on_overlong(line_no)`.
class LineSplitter {
 public:
  using LineFn = std::function<void(std::string_view, uint64_t)>;
  using OverlongFn = std::function<void(uint64_t)>;
  LineSplitter(LineFn on_line, OverlongFn on_overlong, size_t max_line = kDefaultMaxLine);
  void feed(const char* data, size_t n);
  void finish();  // flushes a last line without terminator

  static constexpr size_t kDefaultMaxLine = size_t{64} << 20;  // 64 MiB

 private:
  void deliver(std::string_view line);
  LineFn on_line_;
  OverlongFn on_overlong_;
  size_t max_line_;
  std::string carry_;
  bool dropping_ = false;  // inside an overlong line, skipping to its end
  uint64_t line_no_ = 0;
};

// Reads a whole file into `out`. Returns false (and sets `err`) on failure.
bool slurp_file(const std::string& path, std::string& out, std::string& err);

}  // namespace dateline::corpus_detail
