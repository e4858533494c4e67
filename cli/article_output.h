// Printing articles for people and for scripts, shared by the subcommands
// that print them (search hits, show, extract).
#pragma once

#include <cstdint>
#include <string>

#include "common/json.h"
#include "corpus/article.h"
#include "corpus/reader.h"

namespace dateline::cli {

// Adds what is known about an article to a JSON object: "date" (null when
// undated), "title", "speakers", "entities" (all names), "people",
// "organizations", "places", then "url", "source" and "author" when not
// empty, and where it came from: "file" and "line" (null for whole-file
// formats). The id and the body are left to the caller.
void add_article_fields(JsonObject& o, const Article& a);

// The whole stored article as one JSON object: id, add_article_fields(),
// "quotes" (all of them) and "body" (`show --json`, serve's /api/article).
std::string article_json(const Article& a);

// The article's quotations as a JSON array (speaker, speaker_kind, kind, cue,
// start, end and the quoted text); only those at the indexes `only` if given.
std::string quotes_json(const Article& a, const std::vector<size_t>* only = nullptr);

// One line for a terminal: `Speaker (cue): “text”` (direct quotes in curly
// marks), the text cut to `max` bytes with an ellipsis.
std::string quote_line(const Article& a, const Quotation& q, size_t max);

// The title, or the opening words of the body when there is none.
std::string display_title(const Article& a);

// Up to `max` entity names, people first, then organisations, places and
// the rest, with the total when there are more: "A, B, ... (12)".
std::string entity_summary(const Article& a, size_t max = 8);

// Prints a reader's warning or error on stderr: "warning: file:line: what".
void print_diagnostic(const Diagnostic& d);

// `text` with every line prefixed by `prefix`.
std::string indent(const std::string& text, const std::string& prefix);

// "1 article", "2 articles": a count and its noun, plural unless 1.
std::string counted(uint64_t n, const char* noun);

}  // namespace dateline::cli
