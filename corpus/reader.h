// Reading article archives: files and directories in every supported format.
//
// Formats are chosen by file name, falling back to content:
//   *.jsonl, *.ndjson          JSON Lines: {"id","date","title","body"} plus
//                              optional "speakers","entities","url","source"
//   *.jsonl.zst, *.ndjson.zst  the same, zstd-compressed (streamed)
//   *.sgm                      Reuters-21578 SGML
//   *.txt                      one article; optional leading "date YYYY-MM-DD"
// Directories are walked recursively in sorted order; hidden files and files
// of other extensions (README.md, ...) are skipped silently. A file named
// explicitly is read whatever its extension, its format sniffed from content.
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
  uint64_t errors = 0;     // records skipped because they could not be read
  uint64_t warnings = 0;
};

// Reads every article under `paths` (files or directories), in order, and
// passes each to `sink`. Articles without an id get "<file name>#<record>"
// (stable across runs). A malformed record is reported as an Error naming
// file and line and skipped; reading continues. A path that does not exist
// is an Error too. Returns the totals.
ReadStats read_articles(const std::vector<std::string>& paths, const ArticleSink& sink,
                        const DiagnosticSink& diag);

}  // namespace dateline
