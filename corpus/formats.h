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
  // Where InputStreams count the bytes they read as stored.
  uint64_t* input_bytes() { return &stats_.input_bytes; }
  // Articles emitted so far.
  uint64_t articles() const { return stats_.articles; }

 private:
  const ArticleSink& sink_;
  const DiagnosticSink& diag_;
  ReadStats& stats_;
};

// Input formats.
enum class Format { Jsonl, JsonlZstd, Sgml, Text };

// One input as the readers see it.
struct Source {
  std::string file;     // Article::file: the path as opened, "-" for standard input
  std::string display;  // in messages: `file`, or "<stdin>"
  // The base of ids derived from the input ("<name>#<record>", a text
  // article's id): the path relative to the directory given on the command
  // line, with '/' ("2024/story.txt"); the file name of a file given directly;
  // "stdin".
  std::string name;
};

// An open input read front to back (a file or standard input, by file
// descriptor: read() returns what is available, so a pipe is streamed as it
// arrives); bytes looked at in advance with peek() are still returned by read().
class InputStream {
 public:
  // Takes the descriptor `fd`; closes it at the end when `owned`. Adds
  // every byte read from it to *counted, if given.
  InputStream(int fd, bool owned, uint64_t* counted = nullptr) : fd_(fd), owned_(owned), counted_(counted) {}
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // The first bytes of what read() will return, up to `n` (fewer only at the
  // end of the input); waits for them.
  std::string_view peek(size_t n);
  // Reads ahead once (as much as one read of the input gives, which for a
  // pipe is what has arrived) and keeps it for read(); false at the end of
  // the input or after an error.
  bool fill();
  // The bytes read ahead and not yet returned by read().
  std::string_view ahead() const { return std::string_view(ahead_).substr(ahead_pos_); }
  // Up to `n` bytes into `buf`; 0 at the end or after a read error.
  size_t read(char* buf, size_t n);
  // Appends everything left to `out`; false after a read error.
  bool read_all(std::string& out);
  // The read error ("Input/output error"), empty if none.
  const std::string& error() const { return error_; }

 private:
  size_t read_file(char* buf, size_t n);
  int fd_;
  bool owned_;
  uint64_t* counted_;
  std::string ahead_;  // peeked bytes not yet read
  size_t ahead_pos_ = 0;
  std::string error_;
};

// Reads one input of the given format from `in`.
void read_jsonl(const Source& src, InputStream& in, ReadContext& ctx);
void read_jsonl_zstd(const Source& src, InputStream& in, ReadContext& ctx);
void read_sgml(const Source& src, InputStream& in, ReadContext& ctx);
void read_text(const Source& src, InputStream& in, ReadContext& ctx);

// Parses the JSON Lines records of one input, fed as bytes in chunks of any
// size (shared by the plain, the zstd and the standard-input readers).
class JsonlParser {
 public:
  JsonlParser(const Source& src, ReadContext& ctx);
  ~JsonlParser();
  JsonlParser(const JsonlParser&) = delete;
  JsonlParser& operator=(const JsonlParser&) = delete;

  // The next bytes of the input.
  void feed(const char* data, size_t n);
  // The end of the input; `complete` is false when it was cut off, and a
  // partial last line is then dropped. Reports, once each, the fields the
  // records had that were not read (unknown names, aliases that lost to
  // another name of the same field) and the records with a title but no body.
  void finish(bool complete = true);
  // The lines split off so far (the line a cut falls in is lines() + 1).
  uint64_t lines() const;

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
  uint64_t lines() const { return line_no_; }  // lines delivered or dropped so far

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

}  // namespace dateline::corpus_detail
