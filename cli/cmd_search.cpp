// dateline search: parse a query, count or rank, print hits for people or scripts.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "common/json.h"
#include "searcher/searcher.h"
#include "searcher/snippet.h"

namespace dateline::cli {

namespace {

struct SearchArgs {
  std::string index;
  std::vector<std::string> query_words;
  size_t limit = 10;
  size_t offset = 0;
  std::string sort = "relevance";
  std::string default_op = "and";
  std::string color = "auto";
  bool count = false;
  bool json = false;
};

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

Snippet snippet_for(Searcher& searcher, const Article& a, const std::unordered_set<std::string>& terms) {
  return make_snippet(a.body.empty() ? a.title : a.body, terms, searcher.analyzer());
}

void print_json_hit(Searcher& searcher, const ScoredDoc& h, const Article& a,
                    const std::unordered_set<std::string>& terms) {
  const Snippet snip = snippet_for(searcher, a, terms);
  std::string ranges = "[";
  for (size_t i = 0; i < snip.matches.size(); ++i)
    ranges += (i ? ",[" : "[") + std::to_string(snip.matches[i].first) + "," +
              std::to_string(snip.matches[i].second) + "]";
  ranges += "]";
  JsonObject o;
  o.field("id", a.id).field("score", h.score);
  if (a.date == kNoDate) o.null_field("date");
  else o.field("date", format_iso_date(a.date));
  o.field("title", a.title).field("speakers", a.speakers).field("entities", a.entities);
  o.field("snippet", snip.text).raw_field("highlights", ranges);
  if (!a.url.empty()) o.field("url", a.url);
  if (!a.source.empty()) o.field("source", a.source);
  std::fputs((o.str() + "\n").c_str(), stdout);
}

// What to show as a title: the title, or the opening words of the body.
std::string display_title(const Article& a) {
  if (!a.title.empty()) return a.title;
  std::string t;
  for (char c : a.body.substr(0, 400)) t.push_back(c == '\n' ? ' ' : c);
  if (t.empty()) return "(untitled)";
  if (t.size() > 90) {
    size_t cut = t.rfind(' ', 90);
    if (cut == std::string::npos || cut < 40) {
      cut = 90;  // no space near the end: cut at a code point boundary
      while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    }
    t.resize(cut);
    t += "\xE2\x80\xA6";
  }
  return t;
}

void print_human_hit(Searcher& searcher, size_t rank, const ScoredDoc& h, const Article& a,
                     const std::unordered_set<std::string>& terms, bool color) {
  const char* bold = color ? "\033[1m" : "";
  const char* dim = color ? "\033[2m" : "";
  const char* reset = color ? "\033[0m" : "";
  const std::string date = a.date == kNoDate ? "(no date)  " : format_iso_date(a.date);
  std::printf("%zu. %s  %s%s%s  %s[%.2f]%s\n", rank, date.c_str(), bold,
              display_title(a).c_str(), reset, dim, h.score, reset);
  if (!a.speakers.empty()) std::printf("   speakers: %s\n", join(a.speakers, ", ").c_str());
  const Snippet snip = snippet_for(searcher, a, terms);
  const std::string text = color ? decorate(snip, "\033[1;33m", "\033[0m") : decorate(snip, "[", "]");
  if (!text.empty()) std::printf("   %s\n", text.c_str());
  std::printf("   %sid: %s%s\n\n", dim, a.id.c_str(), reset);
}

int run_search(const SearchArgs& a) {
  Searcher searcher(a.index);
  const std::string text = join(a.query_words, " ");
  ParseOptions popts;
  popts.default_or = a.default_op == "or";
  Query q;
  try {
    q = searcher.parse(text, popts);
  } catch (const QueryError& e) {
    std::fputs(format_query_error(text, e).c_str(), stderr);
    return 2;
  }
  if (a.count) {
    std::printf("%llu\n", static_cast<unsigned long long>(searcher.count(q)));
    return 0;
  }
  SearchOptions sopts;
  sopts.limit = a.limit;
  sopts.offset = a.offset;
  sopts.sort = a.sort == "date" ? SearchOptions::Sort::Date : SearchOptions::Sort::Relevance;
  const SearchResults res = searcher.search(q, sopts);
  const auto terms = searcher.highlight_terms(q);
  bool color = a.color == "always" || (a.color == "auto" && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  if (!a.json) {
    if (res.total == 0) {
      std::printf("No articles match %s\n", text.c_str());
      return 0;
    }
    std::printf("%llu articles match; showing %zu-%zu\n\n", static_cast<unsigned long long>(res.total),
                res.hits.empty() ? 0 : a.offset + 1, a.offset + res.hits.size());
  }
  size_t rank = a.offset;
  for (const auto& h : res.hits) {
    const Article art = searcher.document(h);
    if (a.json) print_json_hit(searcher, h, art, terms);
    else print_human_hit(searcher, ++rank, h, art, terms, color);
  }
  return 0;
}

}  // namespace

Runner add_search_command(CLI::App& app) {
  auto a = std::make_shared<SearchArgs>();
  auto* sub = app.add_subcommand("search", "Search an index (boolean, phrase, field and date queries)");
  sub->add_option("--index,-i", a->index, "Index directory")->required();
  sub->add_option("query", a->query_words, "The query (several words are joined with spaces)")->required();
  sub->add_option("--limit,-n", a->limit, "Number of hits to show")->check(CLI::Range(0, 1000000));
  sub->add_option("--offset", a->offset, "Skip this many hits first");
  sub->add_option("--sort", a->sort, "relevance (BM25) or date (newest first)")
      ->check(CLI::IsMember({"relevance", "date"}));
  sub->add_option("--default-op", a->default_op, "How adjacent clauses combine: and | or")
      ->check(CLI::IsMember({"and", "or"}));
  sub->add_flag("--count,-c", a->count, "Print only the exact number of matching articles");
  sub->add_flag("--json", a->json, "One JSON object per hit: id, score, date, title, speakers, entities, snippet");
  sub->add_option("--color", a->color, "Highlight with colour: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  sub->footer(
      "Query language:\n"
      "  word  word*  \"a phrase\"  \"a phrase\"~N  a NEAR/N b\n"
      "  AND  OR  NOT  +word  -word  ( )      precedence NOT > AND > OR\n"
      "  title:word  speaker:rutte  entity:\"north korea\"\n"
      "  date:2024  date:2024-11  date:2024-11-13  date:2024-11-01..2024-11-30  date:2024-11-01..  date:..2024-11-30\n"
      "A query that starts with '-' needs '--' before it: dateline search -i idx -- -rates bank\n"
      "Examples:\n"
      "  dateline search -i idx 'speaker:rutte \"north korea\" date:2024-11'\n"
      "  dateline search -i idx --count '\"interest rates\" AND date:1987-03-01..1987-03-31'");
  return [a] { return run_search(*a); };
}

}  // namespace dateline::cli
