#include "cli/hit_output.h"

#include "cli/article_output.h"
#include "common/json.h"
#include "searcher/quote_match.h"

namespace dateline::cli {

Highlights highlights_of(Searcher& searcher, const Query& q) {
  return Highlights{searcher.highlight_terms(q), searcher.highlight_prefixes(q), within_nodes(q)};
}

Snippet snippet_for(Searcher& searcher, const ScoredDoc& hit, const Article& a, const Highlights& h) {
  return searcher.snippet(hit, a, h.terms, h.prefixes);
}

std::string highlight_ranges_json(const Snippet& s) {
  std::string ranges = "[";
  for (size_t i = 0; i < s.matches.size(); ++i) {
    if (i) ranges += ',';
    ranges += '[' + std::to_string(s.matches[i].first) + ',' + std::to_string(s.matches[i].second) + ']';
  }
  return ranges + "]";
}

void add_hit_fields(JsonObject& o, Searcher& searcher, const ScoredDoc& h, const Article& a,
                    const Highlights& highlights, const std::vector<std::string>& fields) {
  const Snippet snip = snippet_for(searcher, h, a, highlights);
  o.field("id", a.id).field("score", h.score);
  if (searcher.index_count() > 1) o.field("index", searcher.index_dir(searcher.index_of_segment(h.segment)));
  add_article_fields(o, a);
  o.field("snippet", snip.text).raw_field("highlights", highlight_ranges_json(snip));
  if (!highlights.within.empty()) {
    const std::vector<size_t> matched = matching_quotations(highlights.within, a, searcher.analyzer());
    o.raw_field("quotes", quotes_json(a, &matched));
  }
  for (const std::string& f : fields)
    if (f == "body") o.field("body", a.body);
}

std::string hit_json(Searcher& searcher, const ScoredDoc& h, const Article& a, const Highlights& highlights,
                     const std::vector<std::string>& fields) {
  JsonObject o;
  add_hit_fields(o, searcher, h, a, highlights, fields);
  return o.str();
}

}  // namespace dateline::cli
