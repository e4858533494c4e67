// dateline search: parse a query, count or rank, print hits for people or scripts.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "cli/article_output.h"
#include "cli/commands.h"
#include "cli/facet_output.h"
#include "cli/hit_export.h"
#include "cli/hit_output.h"
#include "common/json.h"
#include "searcher/quote_match.h"
#include "searcher/searcher.h"

namespace dateline::cli {

namespace {

struct SearchArgs {
  std::vector<std::string> indexes;
  std::vector<std::string> query_words;
  size_t limit = 10;
  size_t offset = 0;
  std::string sort = "relevance";
  std::string default_op = "and";
  std::string color = "auto";
  bool count = false;
  bool json = false;
  std::string fields_list;           // --fields as given: "body,author"
  std::string batch;  // request file, "-" for stdin
  bool timing = false;  // --timing: each batch reply prefixed by its in-process nanoseconds and a TAB
  std::string facets;      // --facets as given; "" for none
  size_t facet_limit = 10;
  std::string format;  // --format csv|tsv|jsonl: every hit (cli/hit_export.h)
};

// The facets asked for (--facets), or for batch FACETS requests the default ones.
std::vector<FacetKind> facet_kinds(const SearchArgs& a, bool batch) {
  return parse_facet_list(a.facets.empty() && batch ? kDefaultFacets : a.facets);
}

// Stored fields that --fields can add (the others are always printed).
const std::vector<std::string> kExtraFields{"body", "author"};

std::vector<std::string> split_fields(const std::string& list) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    if (comma > at) out.push_back(list.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// Snippet text with its matches wrapped in `open`/`close`.
std::string decorate(const Snippet& s, const char* open, const char* close) {
  std::string out;
  size_t at = 0;
  for (const auto& [b, e] : s.matches) {
    out.append(s.text, at, b - at);
    out += open;
    out.append(s.text, b, e - b);
    out += close;
    at = e;
  }
  out.append(s.text, at, std::string::npos);
  return out;
}

void print_human_hit(Searcher& searcher, size_t rank, const ScoredDoc& h, const Article& a,
                     const Highlights& terms, bool color, const std::vector<std::string>& fields) {
  const char* bold = color ? "\033[1m" : "";
  const char* dim = color ? "\033[2m" : "";
  const char* reset = color ? "\033[0m" : "";
  const std::string date = a.date == kNoDate ? "(no date)  " : format_iso_date(a.date);
  std::printf("%zu. %s  %s%s%s  %s[%.2f]%s\n", rank, date.c_str(), bold,
              display_title(a).c_str(), reset, dim, h.score, reset);
  if (!a.speakers.empty()) std::printf("   speakers: %s\n", join(a.speakers, ", ").c_str());
  if (!a.entities.empty()) std::printf("   entities: %s\n", entity_summary(a).c_str());
  const Snippet snip = snippet_for(searcher, h, a, terms);
  const std::string text = color ? decorate(snip, "\033[1;33m", "\033[0m") : decorate(snip, "[", "]");
  if (!text.empty()) std::printf("   %s\n", text.c_str());
  if (!terms.within.empty())
    for (const size_t i : matching_quotations(terms.within, a, searcher.analyzer()))
      std::printf("   %s\n", quote_line(a, a.quotes[i], 200).c_str());
  for (const std::string& f : fields) {
    if (f == "author" && !a.author.empty()) std::printf("   author: %s\n", a.author.c_str());
    if (f == "body") std::printf("   body:\n%s\n", indent(a.body, "     ").c_str());
  }
  std::string where = a.origin();
  if (searcher.index_count() > 1) where += ", index " + searcher.index_dir(searcher.index_of_segment(h.segment));
  std::printf("   %sid: %s  (%s)%s\n\n", dim, a.id.c_str(), where.c_str(), reset);
}

// One batch request: "COUNT\tq", "TOP10\tq" or "TOP10_COUNT\tq" (the
// search-benchmark-game's), or dateline's "TOP10_NEWEST\tq" / "TOP10_OLDEST\tq"
// (the ten newest or oldest hits) and "TOP10_SNIPPETS\tq" (each of the ten
// ids followed by its snippet, what a result page costs). Returns the reply
// line (without newline): the count, the top-10 ids tab-separated, or both;
// "ERROR <message>" for anything malformed.
std::string answer_request(Searcher& searcher, const std::string& line, const SearchArgs& a,
                           const ParseOptions& popts) {
  const size_t tab = line.find('\t');
  if (tab == std::string::npos) return "ERROR expected COMMAND<TAB>QUERY";
  const std::string cmd = line.substr(0, tab);
  if (cmd == "FACETS") {
    try {
      const Query q = searcher.parse(std::string_view(line).substr(tab + 1), popts);
      return facets_json(count_facets(searcher, q, facet_kinds(a, true), a.facet_limit));
    } catch (const QueryError& e) {
      return "ERROR column " + std::to_string(e.column()) + ": " + e.what();
    }
  }
  const bool want_count = cmd == "COUNT" || cmd == "TOP10_COUNT";
  const bool newest = cmd == "TOP10_NEWEST", oldest = cmd == "TOP10_OLDEST", snippets = cmd == "TOP10_SNIPPETS";
  const bool want_top = cmd == "TOP10" || cmd == "TOP10_COUNT" || newest || oldest || snippets;
  if (!want_count && !want_top)
    return "ERROR unknown command '" + cmd +
           "' (COUNT, TOP10, TOP10_COUNT, TOP10_NEWEST, TOP10_OLDEST, TOP10_SNIPPETS, FACETS)";
  Query q;
  try {
    q = searcher.parse(std::string_view(line).substr(tab + 1), popts);
    if (!want_top) return std::to_string(searcher.count(q));
  } catch (const QueryError& e) {
    return "ERROR column " + std::to_string(e.column()) + ": " + e.what();
  }
  SearchOptions so;
  so.limit = 10;
  so.count_total = want_count;
  if (newest) so.sort = SearchOptions::Sort::Newest;
  if (oldest) so.sort = SearchOptions::Sort::Oldest;
  SearchResults res;
  try {
    res = searcher.search(q, so);
  } catch (const QueryError& e) {
    return "ERROR column " + std::to_string(e.column()) + ": " + e.what();
  }
  std::string out = want_count ? std::to_string(res.total) : "";
  const Highlights terms = snippets ? Highlights{searcher.highlight_terms(q), searcher.highlight_prefixes(q), {}}
                                    : Highlights{};
  for (size_t i = 0; i < res.hits.size(); ++i) {
    if (want_count || i > 0) out += '\t';
    out += searcher.doc_id(res.hits[i]);
    if (snippets) {
      std::string text = snippet_for(searcher, res.hits[i], searcher.document(res.hits[i]), terms).text;
      for (char& ch : text)
        if (ch == '\t') ch = ' ';
      out += '\t' + text;
    }
  }
  return out;
}

// Answers one request line of a batch. An empty or whitespace-only line is a
// malformed request like any other: every request line gets one reply line.
std::string answer_line(Searcher& searcher, const std::string& line, const SearchArgs& a, const ParseOptions& popts) {
  if (line.find_first_not_of(" \t\r\v\f") == std::string::npos) return "ERROR empty request";
  try {
    return answer_request(searcher, line, a, popts);
  } catch (const std::exception& e) {
    return std::string("ERROR ") + e.what();
  }
}

// Reads requests from --batch and writes one reply line per request line,
// flushed. With --timing each reply is "NANOSECONDS<TAB>reply": the time from
// just after the request line was read to just before its reply is written
// (parse, search, formatting), on the monotonic clock.
int run_batch(Searcher& searcher, const SearchArgs& a, const ParseOptions& popts) {
  FILE* in = a.batch == "-" ? stdin : std::fopen(a.batch.c_str(), "r");
  if (!in) {
    std::fprintf(stderr, "dateline search: error: cannot open %s\n", a.batch.c_str());
    return 1;
  }
  std::string line;
  auto reply_to = [&](std::string& request) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!request.empty() && request.back() == '\r') request.pop_back();
    std::string reply = answer_line(searcher, request, a, popts);
    for (char& ch : reply)
      if (ch == '\n' || ch == '\r') ch = ' ';
    if (a.timing) {
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
      reply.insert(0, std::to_string(ns.count()) + '\t');
    }
    reply.push_back('\n');
    std::fwrite(reply.data(), 1, reply.size(), stdout);
    std::fflush(stdout);
  };
  for (int c; (c = std::fgetc(in)) != EOF;) {
    if (c != '\n') {
      line.push_back(static_cast<char>(c));
      continue;
    }
    reply_to(line);
    line.clear();
  }
  if (in != stdin) std::fclose(in);
  if (!line.empty()) reply_to(line);  // a last request without its newline
  return 0;
}

// The header line of a result page: the total, and which hits are shown.
std::string page_header(uint64_t total, size_t offset, size_t shown) {
  std::string out = std::to_string(total) + (total == 1 ? " article matches" : " articles match");
  if (shown > 0) return out + "; showing " + std::to_string(offset + 1) + "-" + std::to_string(offset + shown);
  if (offset >= total) return out + "; none shown: --offset " + std::to_string(offset) + " is past the last hit";
  return out + "; none shown (--limit 0)";
}

// The facets after the hits: a block of text, or with --json a last line
// {"total":...,"facets":{...}}.
void print_facets(const std::optional<FacetsResult>& facets, bool json) {
  if (!facets) return;
  if (json) std::printf("%s\n", facets_json(*facets).c_str());
  else std::fputs(facets_text(*facets).c_str(), stdout);
}

void print_notes(const std::vector<QueryNote>& notes) {
  for (const QueryNote& n : notes) std::fprintf(stderr, "note: %s\n", n.message.c_str());
}

SearchOptions::Sort sort_order(const std::string& name) {
  if (name == "relevance") return SearchOptions::Sort::Relevance;
  if (name == "oldest") return SearchOptions::Sort::Oldest;
  return SearchOptions::Sort::Newest;  // "newest", "date"
}

int run_search(const SearchArgs& a) {
  Searcher searcher(a.indexes);
  ParseOptions popts;
  popts.default_or = a.default_op == "or";
  if (!a.batch.empty()) {
    if (!a.query_words.empty()) {
      std::fprintf(stderr, "dateline search: error: give either --batch or a query, not both\n");
      return 2;
    }
    return run_batch(searcher, a, popts);
  }
  if (a.query_words.empty()) {
    std::fprintf(stderr, "dateline search: error: a query is required (or --batch FILE)\n");
    return 2;
  }
  const std::string text = join(a.query_words, " ");
  Query q;
  SearchResults res;
  std::optional<FacetsResult> facets;
  try {
    std::vector<QueryNote> notes;
    q = searcher.parse(text, popts, &notes);
    print_notes(notes);
    if (!a.facets.empty()) facets = count_facets(searcher, q, facet_kinds(a, false), a.facet_limit);
    if (a.count) {
      std::printf("%llu\n", static_cast<unsigned long long>(searcher.count(q)));
      print_facets(facets, a.json);
      return 0;
    }
    if (!a.format.empty()) return print_all_hits(searcher, q, sort_order(a.sort), a.format);
    SearchOptions sopts;
    sopts.limit = a.limit;
    sopts.offset = a.offset;
    sopts.sort = sort_order(a.sort);
    res = searcher.search(q, sopts);
  } catch (const QueryError& e) {
    std::fputs(format_query_error(text, e).c_str(), stderr);
    return 2;
  }
  const Highlights terms = highlights_of(searcher, q);
  const std::vector<std::string> fields = split_fields(a.fields_list);
  bool color = a.color == "always" || (a.color == "auto" && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  if (!a.json) {
    if (res.total == 0) {
      std::printf("No articles match %s\n", text.c_str());
      print_facets(facets, false);
      return 0;
    }
    std::printf("%s\n\n", page_header(res.total, a.offset, res.hits.size()).c_str());
  }
  size_t rank = a.offset;
  for (const auto& h : res.hits) {
    const Article art = searcher.document(h);
    if (a.json) std::puts(hit_json(searcher, h, art, terms, fields).c_str());
    else print_human_hit(searcher, ++rank, h, art, terms, color, fields);
  }
  print_facets(facets, a.json);
  return 0;
}

}  // namespace

Runner add_search_command(CLI::App& app) {
  auto a = std::make_shared<SearchArgs>();
  auto* sub = app.add_subcommand("search", "Search an index (boolean, phrase, field and date queries)");
  add_index_option(sub, a->indexes);
  sub->add_option("query", a->query_words, "The query (several words are joined with spaces)");
  auto* batch_opt = sub->add_option(
      "--batch", a->batch,
      "Answer requests from FILE ('-' = stdin), one per line: COUNT<TAB>query, TOP10<TAB>query or "
      "TOP10_COUNT<TAB>query, also TOP10_NEWEST / TOP10_OLDEST<TAB>query (by date), TOP10_SNIPPETS<TAB>query "
      "(each id followed by its snippet) and FACETS<TAB>query (the --facets as one JSON object); one reply line "
      "each (count; "
      "top-10 ids tab-separated; or both), "
      "flushed, ERROR <message> on a bad request (an empty line too)");
  sub->add_flag("--timing", a->timing,
                "With --batch: prefix each reply line with the nanoseconds spent on its request inside the "
                "process (from just after the line is read to just before the reply is written: parse, "
                "search, formatting; monotonic clock) and a TAB: NANOSECONDS<TAB>reply")
      ->needs(batch_opt);
  sub->add_option("--limit,-n", a->limit, "Number of hits to show")->check(CLI::Range(0, 1000000));
  sub->add_option("--offset", a->offset, "Skip this many hits first");
  sub->add_option("--sort", a->sort, "relevance (BM25), newest (also: date) or oldest first; undated articles last")
      ->check(CLI::IsMember({"relevance", "newest", "date", "oldest"}));
  sub->add_option("--fields", a->fields_list, "Stored fields to add to each hit, comma-separated: body, author")
      ->check([](const std::string& v) {
        for (const std::string& f : split_fields(v))
          if (std::find(kExtraFields.begin(), kExtraFields.end(), f) == kExtraFields.end())
            return "unknown field '" + f + "' (known: body, author)";
        return std::string();
      });
  sub->add_option("--default-op", a->default_op, "How adjacent clauses combine: and | or")
      ->check(CLI::IsMember({"and", "or"}));
  sub->add_flag("--count,-c", a->count, "Print only the exact number of matching articles");
  sub->add_option("--facets", a->facets,
                  "Also count, over every matching article (not only the page), the most frequent values of "
                  "these fields, comma-separated: speaker, person, org, place, source, day, week, month, year. "
                  "Printed after the hits; with --json as a last line {\"total\":N,\"facets\":{...}}. "
                  "With --batch, the fields of FACETS<TAB>query requests (default " + std::string(kDefaultFacets) + ")")
      ->check([](const std::string& v) {
        try {
          parse_facet_list(v);
          return std::string();
        } catch (const std::invalid_argument& e) {
          return std::string(e.what());
        }
      });
  sub->add_option("--facet-limit", a->facet_limit, "Values shown per facet (most frequent first)")
      ->check(CLI::Range(1, 100000));
  sub->add_flag("--json", a->json,
                "One JSON object per hit: id, score, index (with several --index), date, title, speakers, entities, people, organizations, "
                "places, url, source, author (when given), file, line (where the article was read), snippet, "
                "highlights");
  sub->add_option("--format", a->format,
                  "Every hit (--limit and --offset do not apply) in --sort order as csv (RFC 4180, header row), "
                  "tsv (header row; tabs and line breaks in values become spaces) or jsonl (the --json fields "
                  "without snippet and highlights). Columns: id, date, title, speakers, people, organizations, "
                  "places, source, url, score; several names in one cell joined with '; '")
      ->check(CLI::IsMember(kHitFormats))
      ->excludes("--json")
      ->excludes("--count")
      ->excludes("--batch");
  sub->add_option("--color", a->color, "Highlight with colour: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  sub->footer(
      "Query language:\n"
      "  word  word*  \"a phrase\"  \"a phrase\"~N  a NEAR/N b\n"
      "  AND  OR  NOT  +word  -word  ( )      precedence NOT > AND > OR (lower-case and/or/not are words)\n"
      "  title:word  speaker:rutte  entity:\"north korea\"  person:  org:  place:\n"
      "  word* matches the words as written (minister* finds ministers, ministerial)\n"
      "  names resolve like the extractor's: org:fed = org:\"federal reserve\", place:us = place:\"united states\"\n"
      "  date:2024  date:2024-11  date:2024-11-13  date:2024-11-01..2024-11-30  date:2024-11-01..  date:..2024-11-30\n"
      "A query that starts with '-' needs '--' before it: dateline search -i idx -- -rates bank\n"
      "Examples:\n"
      "  dateline search -i idx 'speaker:rutte \"north korea\" date:2024-11'\n"
      "  dateline search -i idx --count '\"interest rates\" AND date:1987-03-01..1987-03-31'");
  return [a] { return run_search(*a); };
}

}  // namespace dateline::cli
