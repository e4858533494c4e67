// Reading article archives: files, directories and standard input in every
// supported format.
//
// Formats are chosen by file name, falling back to content:
//   *.jsonl, *.ndjson          JSON Lines: {"id","date","title","body"} plus
//                              optional "speakers","entities","url","source",
//                              "author", and aliases (jsonl_field_names())
//   *.jsonl.zst, *.ndjson.zst  the same, zstd-compressed (streamed)
//   *.sgm                      Reuters-21578 SGML
//   *.txt                      one article; optional "date YYYY-MM-DD" and
//                              "title: ..." header lines, else a short first
//                              line followed by a blank line as the title
// Directories are walked recursively in sorted order; hidden files and files
// of other extensions (README.md, ...) are skipped silently. A file named
// explicitly is read whatever its extension, its format sniffed from content.
// The path "-" is standard input, sniffed (zstd magic, '{', "<!DOCTYPE
// lewis" or "<REUTERS", else one text article) and streamed for JSON Lines;
// messages call it "<stdin>", Article::file is "-".
//
// Ids derived from an input's name (a text article's id, "<name>#<record>"
// for JSON Lines records without one and Reuters documents without NEWID)
// use its path relative to the directory given on the command line, with '/'
// ("2024/story.txt", "2025/wire.jsonl#3"); the file name of a file given
// directly; "stdin" for standard input.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "corpus/article.h"

namespace dateline {

// Receives warnings and errors while reading. `where` is "file" or "file:line".
struct Diagnostic {
  enum class Level { Warning, Error } level;
  std::string where;
  std::string message;
};
using DiagnosticSink = std::function<void(const Diagnostic&)>;

using ArticleSink = std::function<void(Article&&)>;

struct ReadStats {
  uint64_t files = 0;
  uint64_t articles = 0;
  uint64_t bytes = 0;      // input bytes read (uncompressed size for .zst)
  uint64_t input_bytes = 0;  // bytes read from the files and standard input as stored (compressed for .zst)
  uint64_t errors = 0;     // records skipped because they could not be read
  uint64_t warnings = 0;
};

// Reads every article under `paths` (files, directories, "-"), in order, and
// passes each to `sink`. Articles without an id get "<name>#<record>" (stable
// across runs; names as above). A malformed record is reported as an Error
// naming file and line and skipped; reading continues. A path that does not
// exist is an Error too; so is "-" named a second time. Returns the totals.
// When `live` is given the totals are kept there as reading goes (for
// progress reports from the sink; read on the reading thread only).
ReadStats read_articles(const std::vector<std::string>& paths, const ArticleSink& sink,
                        const DiagnosticSink& diag, ReadStats* live = nullptr);

// The bytes read_articles(paths) will read from files, as stored (what
// input_bytes counts up to); standard input counts 0. For progress.
uint64_t input_size(const std::vector<std::string>& paths);

// The top-level JSON Lines fields the reader knows, each canonical name with
// its aliases: "id, date (or published, ...), title (or headline), ...".
std::string jsonl_field_names();

}  // namespace dateline
