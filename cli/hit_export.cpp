// search --format csv|tsv|jsonl: the hit list sorted, then one row per hit.
#include "cli/hit_export.h"

#include <cstdio>

#include "cli/article_output.h"
#include "common/json.h"

namespace dateline::cli {

namespace {

// The names in one cell: "A; B; C".
std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += "; ";
    out += n;
  }
  return out;
}

std::string score_text(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", score);
  return buf;
}

// The cells of one row, in kHitColumns order.
std::vector<std::string> row_cells(const Article& a, double score) {
  return {a.id,
          a.date == kNoDate ? std::string() : format_iso_date(a.date),
          a.title,
          joined(a.speakers),
          joined(entity_names(a.entities, EntityType::Person)),
          joined(entity_names(a.entities, EntityType::Organization)),
          joined(entity_names(a.entities, EntityType::Place)),
          a.source,
          a.url,
          score_text(score)};
}

// One line of csv or tsv, with its line end (CRLF for CSV, as RFC 4180 says).
std::string table_line(const std::vector<std::string>& cells, bool csv) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) line += csv ? ',' : '\t';
    line += csv ? csv_field(cells[i]) : tsv_field(cells[i]);
  }
  line += csv ? "\r\n" : "\n";
  return line;
}

// As --json: "index" (the directory) only when several are searched.
std::string json_line(const Searcher& searcher, const ScoredDoc& h, const Article& a) {
  JsonObject o;
  o.field("id", a.id).field("score", h.score);
  if (searcher.index_count() > 1) o.field("index", searcher.index_dir(searcher.index_of_segment(h.segment)));
  add_article_fields(o, a);
  std::string line = o.str();
  line += '\n';
  return line;
}

}  // namespace

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string tsv_field(std::string_view value) {
  std::string out(value);
  for (char& c : out)
    if (c == '\t' || c == '\r' || c == '\n') c = ' ';
  return out;
}

uint64_t write_hits(Searcher& searcher, const Query& q, SearchOptions::Sort sort, const std::string& format,
                    std::FILE* out) {
  std::vector<ScoredDoc> hits = searcher.all_hits(q);
  sort_hits(hits, sort);
  const bool jsonl = format == "jsonl", csv = format == "csv";
  if (!jsonl) {
    const std::string header = table_line(kHitColumns, csv);
    std::fwrite(header.data(), 1, header.size(), out);
  }
  for (const ScoredDoc& h : hits) {
    const Article a = searcher.document(h);
    const std::string line = jsonl ? json_line(searcher, h, a) : table_line(row_cells(a, h.score), csv);
    std::fwrite(line.data(), 1, line.size(), out);
  }
  return hits.size();
}

int print_all_hits(Searcher& searcher, const Query& q, SearchOptions::Sort sort, const std::string& format) {
  write_hits(searcher, q, sort, format, stdout);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::perror("dateline search: error: cannot write the hits");
    return 1;
  }
  return 0;
}

}  // namespace dateline::cli
