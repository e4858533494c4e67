// Hits for scripts: the JSON object of a ranked hit (its snippet with the
// byte ranges to highlight, the article's fields, the quotations a quote:
// or said: query matched), shared by `search --json` and `serve`.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "common/json.h"
#include "common/query.h"
#include "corpus/article.h"
#include "searcher/searcher.h"
#include "searcher/snippet.h"

namespace dateline::cli {

// What to highlight in snippets: the query's analysed terms and its prefixes.
struct Highlights {
  std::unordered_set<std::string> terms;
  std::vector<std::string> prefixes;
  std::vector<const Query*> within;  // the query's quote:/said: parts: their quotations are shown
};

// The highlights of `q` (which must outlive them: `within` points into it).
Highlights highlights_of(Searcher& searcher, const Query& q);

// The snippet of a hit: the passage of its body (or title) with the most query words.
Snippet snippet_for(Searcher& searcher, const ScoredDoc& hit, const Article& a, const Highlights& h);

// The byte ranges of a snippet's matches as a JSON array: [[start,end],...].
std::string highlight_ranges_json(const Snippet& s);

// Adds a hit's fields to `o`: id, score, index (with several indexes), the
// article's fields (cli/article_output.h), snippet, highlights, quotes (when
// the query has quote:/said: parts) and the stored `fields` asked for ("body").
void add_hit_fields(JsonObject& o, Searcher& searcher, const ScoredDoc& h, const Article& a,
                    const Highlights& highlights, const std::vector<std::string>& fields = {});

// One hit as a JSON object of add_hit_fields() (a line of `search --json`).
std::string hit_json(Searcher& searcher, const ScoredDoc& h, const Article& a, const Highlights& highlights,
                     const std::vector<std::string>& fields = {});

}  // namespace dateline::cli
