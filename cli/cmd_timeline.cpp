// dateline timeline: matching articles per day, week, month or year, for
// several queries side by side or one query split by speaker, person,
// organisation or place; a table, CSV or JSON, and an SVG chart.
#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "cli/timeline_chart.h"
#include "cli/timeline_output.h"
#include "searcher/facets.h"
#include "searcher/searcher.h"
#include "searcher/timeline.h"

namespace dateline::cli {

namespace {

struct TimelineArgs {
  std::vector<std::string> indexes;
  std::vector<std::string> query_words;  // the positional query
  std::vector<std::string> queries;      // -q, one series each
  std::string by = "month";
  std::string split;
  size_t top = 5;
  std::string chart;
  std::string format = "table";
};

std::string table(const Timeline& t, char sep) {
  std::string out = sep == '\t' ? "period" : "\"period\"";
  for (const TimelineSeries& s : t.series) {
    out += sep;
    if (sep == ',') {  // CSV: every name quoted, quotes doubled
      out += '"';
      for (const char c : s.name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    } else {
      out += s.name;
    }
  }
  out += '\n';
  for (size_t i = 0; i < t.starts.size(); ++i) {
    out += period_label(t.starts[i], t.period);
    for (const TimelineSeries& s : t.series) out += sep + std::to_string(s.counts[i]);
    out += '\n';
  }
  return out;
}

// Columns padded for a terminal, then the totals and the undated matches.
std::string human_table(const Timeline& t) {
  std::vector<size_t> width;
  for (const TimelineSeries& s : t.series) width.push_back(std::max<size_t>(s.name.size(), 5));
  auto cell = [](const std::string& v, size_t w) { return std::string(w > v.size() ? w - v.size() : 0, ' ') + v; };
  const size_t label = t.period == DatePeriod::Year ? 6 : t.period == DatePeriod::Month ? 7 : 10;
  std::string out = std::string("period") + std::string(label > 6 ? label - 6 : 0, ' ');
  for (size_t s = 0; s < t.series.size(); ++s) out += "  " + cell(t.series[s].name, width[s]);
  out += '\n';
  for (size_t i = 0; i < t.starts.size(); ++i) {
    const std::string p = period_label(t.starts[i], t.period);
    out += p + std::string(label > p.size() ? label - p.size() : 0, ' ');
    for (size_t s = 0; s < t.series.size(); ++s) out += "  " + cell(std::to_string(t.series[s].counts[i]), width[s]);
    out += '\n';
  }
  out += "total" + std::string(label - 5, ' ');
  for (size_t s = 0; s < t.series.size(); ++s) out += "  " + cell(std::to_string(t.series[s].total), width[s]);
  out += '\n';
  bool undated = false;
  for (const TimelineSeries& s : t.series) undated |= s.undated > 0;
  if (undated) {
    out += "undated" + std::string(label - 7, ' ');
    for (size_t s = 0; s < t.series.size(); ++s) out += "  " + cell(std::to_string(t.series[s].undated), width[s]);
    out += '\n';
  }
  return out;
}

int run_timeline(const TimelineArgs& a) {
  Searcher searcher(a.indexes);
  std::vector<std::string> texts;
  std::string joined;
  for (const std::string& w : a.query_words) {
    if (!joined.empty()) joined += ' ';
    joined += w;
  }
  if (!joined.empty()) texts.push_back(joined);
  texts.insert(texts.end(), a.queries.begin(), a.queries.end());
  if (texts.empty()) {
    std::fprintf(stderr, "dateline timeline: error: a query is required (QUERY, or -q QUERY for each series)\n");
    return 2;
  }
  if (!a.split.empty() && texts.size() != 1) {
    std::fprintf(stderr, "dateline timeline: error: --split takes one query (got %zu)\n", texts.size());
    return 2;
  }
  const DatePeriod period = *parse_date_period(a.by);
  Timeline t;
  std::vector<std::pair<std::string, Query>> queries;
  for (const std::string& text : texts) {
    try {
      queries.emplace_back(text, searcher.parse(text));
    } catch (const QueryError& e) {
      std::fputs(format_query_error(text, e).c_str(), stderr);
      return 2;
    }
  }
  if (a.split.empty()) t = query_timeline(searcher, queries, period);
  else t = split_timeline(searcher, queries[0].second, parse_facet_kind(a.split)->field, a.top, period);
  if (a.format == "json") std::printf("%s\n", timeline_json(t).c_str());
  else if (a.format == "csv") std::fputs(table(t, ',').c_str(), stdout);
  else if (a.format == "tsv") std::fputs(table(t, '\t').c_str(), stdout);
  else if (t.starts.empty()) std::printf("No dated articles match\n");
  else std::fputs(human_table(t).c_str(), stdout);
  if (!a.chart.empty()) {
    std::string title = a.split.empty() ? "Articles per " + a.by
                                        : texts[0] + ": articles per " + a.by + " by " + a.split;
    std::ofstream out(a.chart, std::ios::binary);
    out << timeline_svg(t, title);
    if (!out.flush()) {
      std::fprintf(stderr, "dateline timeline: error: cannot write %s\n", a.chart.c_str());
      return 1;
    }
    std::fprintf(stderr, "chart written to %s\n", a.chart.c_str());
  }
  return 0;
}

}  // namespace

Runner add_timeline_command(CLI::App& app) {
  auto a = std::make_shared<TimelineArgs>();
  auto* sub = app.add_subcommand("timeline", "Count matching articles over time: per day, week, month or year");
  add_index_option(sub, a->indexes);
  sub->add_option("query", a->query_words, "The query (several words are joined with spaces)");
  sub->add_option("-q,--query", a->queries, "A query to compare, one series each (repeatable)");
  sub->add_option("--by", a->by, "Period: day, week (from Monday), month or year")
      ->check(CLI::IsMember({"day", "week", "month", "year"}));
  sub->add_option("--split", a->split,
                  "One series per value of this field, its most frequent among the matches: speaker, person, org, "
                  "place or source")
      ->check(CLI::IsMember({"speaker", "person", "org", "organization", "place", "source"}));
  sub->add_option("--top", a->top, "Series with --split (default 5)")->check(CLI::Range(1, 50));
  sub->add_option("--chart", a->chart, "Also write the timeline as an SVG line chart to FILE");
  sub->add_option("--format", a->format, "table (for people), csv, tsv or json")
      ->check(CLI::IsMember({"table", "csv", "tsv", "json"}));
  sub->footer(
      "Every period from the first to the last with a match is listed (0 where none matches); undated\n"
      "articles are counted apart.\n"
      "Examples:\n"
      "  dateline timeline -i idx -q rates -q inflation --by year --chart coverage.svg\n"
      "  dateline timeline -i idx 'oil' --split org --top 5 --by month");
  return [a] { return run_timeline(*a); };
}

}  // namespace dateline::cli
