// Snippets made from the index's positions (Searcher::snippet, which reads
// where the query's words are and computes only token boundaries) against
// the reference that analyses the stored text itself (make_snippet: every
// word folded and stemmed, compared with the query's terms). For every hit
// of many queries, over several segments, with and without a stemmer: the
// same window, the same text, the same highlighted ranges.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "corpus/extract.h"
#include "corpus/reader.h"
#include "indexer/index_writer.h"
#include "searcher/searcher.h"
#include "searcher/snippet.h"
#include "test_util.h"

using namespace dateline;
using namespace dateline::testing;

namespace {

// Words to query: fixed ones, and two words of every tenth article's body
// (as written, so that their analysed forms are the index's).
std::vector<std::string> queries_for(const std::vector<Article>& all, Analyzer& analyzer) {
  std::vector<std::string> out{"said",          "oil OR gas",          "\"central bank\"", "bank AND NOT oil",
                               "rates NEAR/5 bank", "title:oil prices", "speaker:reagan trade", "the",
                               "gdansk OR gdańsk", "u.s", "3.5 OR 1,000",       "minister's"};
  std::mt19937 rng(11);
  for (size_t i = 0; i < all.size(); i += 10) {
    std::vector<Token> tokens;
    analyzer.analyze(all[i].body, false, tokens);
    if (tokens.size() < 2) continue;
    const Token& a = tokens[rng() % tokens.size()];
    const Token& b = tokens[rng() % tokens.size()];
    std::string q = "\"";
    q.append(all[i].body, a.start, a.end - a.start).append("\" OR \"");
    q.append(all[i].body, b.start, b.end - b.start).append("\"");
    out.push_back(std::move(q));
  }
  return out;
}

// Checks every hit of every query; returns the number of snippets compared.
size_t compare_snippets(Searcher& searcher, const std::vector<std::string>& queries) {
  size_t compared = 0;
  for (const std::string& text : queries) {
    CAPTURE(text);
    Query q;
    try {
      q = searcher.parse(text);
    } catch (const QueryError&) {
      continue;  // a sampled word the query language reads otherwise
    }
    const auto terms = searcher.highlight_terms(q);
    SearchOptions opts;
    opts.limit = 1000;
    for (const ScoredDoc& h : searcher.search(q, opts).hits) {
      const Article a = searcher.document(h);
      CAPTURE(a.id);
      const Snippet got = searcher.snippet(h, a, terms, {});
      const Snippet want = make_snippet(a.body.empty() ? a.title : a.body, terms, searcher.analyzer());
      CHECK(got.text == want.text);
      CHECK(got.matches == want.matches);
      ++compared;
    }
  }
  return compared;
}

}  // namespace

TEST_CASE("token spans are the byte ranges of the tokens analyze() makes") {
  Analyzer analyzer("english");
  const std::vector<std::string> texts{
      "", "  ", "The U.S. rate rose 3.5% to 1,000 on Gdańsk's o’neill", "a.b.c x.y z. 1.2.3 ,5 5, 'tis rock'n'roll",
      std::string(70, 'x') + " short " + std::string(30, 'y') + "é", "naïve CAFÉ ﬁnance Ⅻ 𝐀𝐁 \xff\xfe broken",
      "end with joiner' and 4. and u.s"};
  std::vector<std::string> all = texts;
  for (const Article& a : read_extracted({(source_dir() / "corpus/samples").string()})) {
    all.push_back(a.title);
    all.push_back(a.body);
  }
  for (const std::string& t : all) {
    CAPTURE(t);
    std::vector<Token> tokens;
    analyzer.analyze(t, false, tokens);
    std::vector<std::pair<uint32_t, uint32_t>> spans;
    analyzer.token_spans(t, spans);
    REQUIRE(spans.size() == tokens.size());
    for (size_t i = 0; i < spans.size(); ++i) CHECK(spans[i] == std::make_pair(tokens[i].start, tokens[i].end));
  }
}

TEST_CASE("snippets from the index's positions equal snippets made by analysing the text") {
  std::vector<std::string> paths{(source_dir() / "corpus/samples").string()};
  std::string skipped;
  const std::vector<std::string> reuters = reuters_files(skipped);
  if (!reuters.empty()) paths.push_back(reuters[0]);
  else MESSAGE("snippet test without Reuters-21578: " << skipped);
  const std::vector<Article> all = read_extracted(paths);
  for (const std::string stemmer : {"english", "none"}) {
    CAPTURE(stemmer);
    TempDir dir;
    IndexWriterOptions opts;
    opts.merge = false;
    opts.stemmer = stemmer;
    for (size_t run = 0; run < 2; ++run) {
      IndexWriter writer(dir.path().string(), opts);
      for (size_t i = run; i < all.size(); i += 2) writer.add(all[i]);
      writer.commit();
    }
    Searcher searcher({dir.path().string()});
    REQUIRE(searcher.segment_count() == 2);
    const size_t compared = compare_snippets(searcher, queries_for(all, searcher.analyzer()));
    MESSAGE(stemmer << ": " << compared << " snippets compared");
    CHECK(compared > (reuters.empty() ? 100u : 2000u));
  }
}

TEST_CASE("make_snippet_at: short texts, late matches, positions past the text, no matches") {
  Analyzer analyzer("english");
  const std::string text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu";
  // The reference: the words' analysed forms.
  auto reference = [&](const std::unordered_set<std::string>& terms, size_t max_words) {
    return make_snippet(text, terms, analyzer, max_words);
  };
  auto check = [&](const std::vector<WordHit>& hits, const std::unordered_set<std::string>& terms, size_t max_words) {
    const Snippet got = make_snippet_at(text, hits, analyzer, max_words);
    const Snippet want = reference(terms, max_words);
    CHECK(got.text == want.text);
    CHECK(got.matches == want.matches);
  };
  for (size_t w : {1u, 3u, 5u, 12u, 40u}) {
    CAPTURE(w);
    check({}, {}, w);
    check({{11, 0}}, {"mu"}, w);                      // the last word
    check({{0, 0}}, {"alpha"}, w);                    // the first
    check({{9, 1}, {2, 0}}, {"gamma", "kappa"}, w);   // in any order
    check({{4, 0}, {500, 1}}, {"epsilon"}, w);        // a position the text does not have
    check({{3, 0}, {7, 1}, {8, 2}}, {"delta", "theta", "iota"}, w);
  }
  CHECK(make_snippet_at("", {{0, 0}}, analyzer).text.empty());
  CHECK(make_snippet_at(text, {{2, 0}}, analyzer, 0).text.empty());
  CHECK(make_snippet(text, {"gamma"}, analyzer, 0).text.empty());
  CHECK(make_snippet_at(text, {{4000000000u, 0}}, analyzer).text == make_snippet(text, {}, analyzer).text);
}
