// Search inside quotations (`quote:`, `said:NAME(...)`) against a brute-force
// oracle: every stored quotation's text, tokenised alone, is checked for the
// query's words here, with none of the index's machinery (quotation markers,
// spans of token positions, the WithinScorer). Xapian has no such operator.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/analyzer.h"
#include "corpus/extract.h"
#include "corpus/reader.h"
#include "indexer/index_writer.h"
#include "searcher/searcher.h"
#include "test_util.h"

using namespace dateline;
using namespace dateline::testing;

namespace {

// One stored quotation as the oracle sees it.
struct RefQuote {
  std::string article;
  std::vector<std::string> words;    // its text's words, stemmed like the index
  std::vector<std::string> raw;      // the same words as written (folded, unstemmed)
  std::vector<std::string> speaker;  // the speaker's name words (folded)
};

std::string lower(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return s;
}

bool plain(const std::string& w) {
  return w.size() >= 4 && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

class QuoteOracle {
 public:
  // Indexes `paths` in `runs` runs (so several segments), then reads every
  // stored article's quotations back.
  QuoteOracle(const std::vector<std::string>& paths, size_t runs) {
    std::vector<Article> all;
    read_articles(paths, [&](Article&& a) {
      extract_fields(a);
      all.push_back(std::move(a));
    }, nullptr);
    for (size_t r = 0; r < runs; ++r) {
      IndexWriter writer(dir.path().string(), IndexWriterOptions{});
      for (size_t i = r; i < all.size(); i += runs) writer.add(all[i]);
      writer.commit();
    }
    searcher = std::make_unique<Searcher>(std::vector<std::string>{dir.path().string()});
    Analyzer& an = searcher->analyzer();
    for (const Article& given : all) {
      const auto found = searcher->find_id(given.id);
      REQUIRE(found.size() == 1);
      const Article a = searcher->document(found[0]);
      CHECK(a.quotes == given.quotes);  // stored as extracted
      stored.push_back(a);
      for (const Quotation& q : a.quotes) {
        RefQuote r;
        r.article = a.id;
        std::vector<Token> tokens;
        an.analyze(std::string_view(a.body).substr(q.start, q.end - q.start), false, tokens);
        for (const Token& t : tokens) {
          r.raw.push_back(t.term);
          r.words.push_back(an.stems() ? an.stem(t.term) : t.term);
        }
        tokens.clear();
        an.analyze(q.speaker, false, tokens);
        for (const Token& t : tokens) r.speaker.push_back(t.term);
        quotes.push_back(std::move(r));
      }
    }
  }

  // The spans a query searches: the index merges a term's overlapping spans
  // (docs/format.md, "Quotation spans"), so the oracle does too. `quote:`
  // searches the merge of all an article's quotations; `said:NAME(...)` that
  // of the quotations whose speaker has the word NAME.
  std::vector<RefQuote> merged(const std::string& speaker_word = "") {
    Analyzer& an = searcher->analyzer();
    std::vector<RefQuote> out;
    for (const Article& a : stored) {
      std::vector<std::pair<uint32_t, uint32_t>> ranges;
      for (const Quotation& q : a.quotes) {
        if (!speaker_word.empty()) {
          std::vector<Token> name;
          an.analyze(q.speaker, false, name);
          if (std::none_of(name.begin(), name.end(), [&](const Token& t) { return t.term == speaker_word; })) continue;
        }
        ranges.emplace_back(q.start, q.end);
      }
      std::sort(ranges.begin(), ranges.end());
      for (size_t i = 0; i < ranges.size();) {
        uint32_t start = ranges[i].first, end = ranges[i].second;
        for (++i; i < ranges.size() && ranges[i].first < end; ++i) end = std::max(end, ranges[i].second);
        RefQuote r;
        r.article = a.id;
        std::vector<Token> tokens;
        an.analyze(std::string_view(a.body).substr(start, end - start), false, tokens);
        for (const Token& t : tokens) r.words.push_back(an.stems() ? an.stem(t.term) : t.term);
        out.push_back(std::move(r));
      }
    }
    return out;
  }

  // The articles with a span in `units` that satisfies `pred`.
  template <class Pred>
  static std::set<std::string> expected_in(const std::vector<RefQuote>& units, Pred pred) {
    std::set<std::string> out;
    for (const RefQuote& q : units)
      if (pred(q)) out.insert(q.article);
    return out;
  }

  std::string stem(const std::string& w) { return searcher->analyzer().stems() ? searcher->analyzer().stem(w) : w; }

  std::set<std::string> search(const std::string& query) {
    const auto ids = searcher->matching_ids(searcher->parse(query));
    return {ids.begin(), ids.end()};
  }

  TempDir dir{"dateline-quotes"};
  std::unique_ptr<Searcher> searcher;
  std::vector<RefQuote> quotes;
  std::vector<Article> stored;
};

bool has(const std::vector<std::string>& v, const std::string& w) { return std::find(v.begin(), v.end(), w) != v.end(); }

bool adjacent(const std::vector<std::string>& v, const std::string& a, const std::string& b) {
  for (size_t i = 0; i + 1 < v.size(); ++i)
    if (v[i] == a && v[i + 1] == b) return true;
  return false;
}

// Queries drawn from the quotations, each checked against the oracle.
void check_queries(QuoteOracle& o, size_t n) {
  REQUIRE(o.quotes.size() > 20);
  std::mt19937 rng(2026);
  size_t checked = 0, nonempty_cross = 0;
  for (size_t k = 0; k < n; ++k) {
    const RefQuote& q = o.quotes[rng() % o.quotes.size()];
    std::vector<size_t> plain_at;
    for (size_t i = 0; i < q.raw.size(); ++i)
      if (plain(q.raw[i])) plain_at.push_back(i);
    if (plain_at.size() < 2 || q.speaker.empty()) continue;
    const std::string w = q.raw[plain_at[rng() % plain_at.size()]];
    const std::string sw = o.stem(w);
    const std::string surname = q.speaker.back();
    // A speaker's word that is another name's alias ("america" of "Electronic Mail Corp of
    // America") is read as that name (`said:"United States"`), which the oracle does not model.
    if (const auto e = gazetteer_entity(surname); e && lower(e->name) != surname) continue;
    // A word of another quotation of the same speaker (not of this one).
    std::string other;
    for (const RefQuote& r : o.quotes)
      if (r.speaker == q.speaker && &r != &q)
        for (const std::string& x : r.raw)
          if (plain(x) && !has(q.words, o.stem(x))) other = x;
    const size_t at = plain_at[rng() % plain_at.size()];
    INFO("quotation of " << surname << " in " << q.article << ", word " << w);

    const std::vector<RefQuote> all_spans = o.merged(), speaker_spans = o.merged(surname);
    CHECK(o.search("quote:" + w) == o.expected_in(all_spans, [&](const RefQuote& r) { return has(r.words, sw); }));
    CHECK(o.search("said:" + surname + "(" + w + ")") ==
          o.expected_in(speaker_spans, [&](const RefQuote& r) { return has(r.words, sw); }));
    if (at + 1 < q.raw.size()) {
      const std::string a = q.raw[at], b = q.raw[at + 1];
      CHECK(o.search("quote:\"" + a + " " + b + "\"") ==
            o.expected_in(all_spans, [&](const RefQuote& r) { return adjacent(r.words, o.stem(a), o.stem(b)); }));
    }
    if (!other.empty()) {
      const std::string so = o.stem(other);
      // Both words in one quotation of the speaker: not this pair across two.
      const auto both = o.expected_in(speaker_spans, [&](const RefQuote& r) { return has(r.words, sw) && has(r.words, so); });
      CHECK(o.search("said:" + surname + "(" + w + " AND " + other + ")") == both);
      CHECK(o.search("said:" + surname + "(" + w + " OR " + other + ")") ==
            o.expected_in(speaker_spans, [&](const RefQuote& r) { return has(r.words, sw) || has(r.words, so); }));
      CHECK(o.search("quote:(" + w + " NOT " + other + ")") ==
            o.expected_in(all_spans, [&](const RefQuote& r) { return has(r.words, sw) && !has(r.words, so); }));
      nonempty_cross += both.empty();
    }
    // Composes with the rest of the language: the quotation part and a word anywhere.
    CHECK(o.search("quote:" + w + " AND " + surname) ==
          [&] {
            std::set<std::string> out;
            const auto in_quotes = o.expected_in(all_spans, [&](const RefQuote& r) { return has(r.words, sw); });
            const auto anywhere = o.search(surname);
            std::set_intersection(in_quotes.begin(), in_quotes.end(), anywhere.begin(), anywhere.end(),
                                  std::inserter(out, out.end()));
            return out;
          }());
    ++checked;
  }
  MESSAGE(checked << " drawn quotations checked (" << nonempty_cross
                  << " with a word pair split across two quotations of one speaker)");
  CHECK(checked >= n / 3);
}

}  // namespace

TEST_CASE("quotation search: the sample corpus against a brute-force oracle, two segments") {
  QuoteOracle o({(source_dir() / "corpus" / "samples").string()}, 2);
  check_queries(o, 120);
}

TEST_CASE("quotation search: Reuters-21578 (one file) against a brute-force oracle") {
  if (!have_shared()) {
    MESSAGE("skipped: ../shared/corpora/reuters21578 not present");
    return;
  }
  QuoteOracle o({(shared_dir() / "corpora" / "reuters21578" / "reut2-000.sgm").string()}, 1);
  check_queries(o, 150);
}

TEST_CASE("quotation search: a word outside the quotations and a speaker's other quotation do not match") {
  TempDir dir("dateline-quotes-unit");
  {
    IndexWriter writer(dir.path().string(), IndexWriterOptions{});
    Article a;
    a.id = "a1";
    a.body = "\"Tariffs will hurt farmers,\" said Jane Doe, the minister. Exports fell in March. "
             "\"We expect a recovery,\" said John Roe, an economist.";
    extract_fields(a);
    REQUIRE(a.quotes.size() == 2);
    writer.add(a);
    writer.commit();
  }
  Searcher s({dir.path().string()});
  auto count = [&](const std::string& q) { return s.count(s.parse(q)); };
  CHECK(count("quote:tariffs") == 1);
  CHECK(count("quote:exports") == 0);         // outside every quotation
  CHECK(count("exports") == 1);
  CHECK(count("said:doe(tariffs)") == 1);
  CHECK(count("said:doe(recovery)") == 0);    // John Roe's words
  CHECK(count("said:\"jane doe\"(farmers)") == 1);
  CHECK(count("said:\"john doe\"(farmers)") == 0);
  CHECK(count("quote:(tariffs AND recovery)") == 0);  // two quotations
  CHECK(count("quote:tariffs OR quote:recovery") == 1);
  CHECK(count("quote:\"hurt farmers\"") == 1);
  CHECK(count("quote:\"farmers we\"") == 0);  // across the two quotations
  CHECK(count("NOT said:roe(recovery)") == 0);
}

TEST_CASE("quotation search: said: resolves a speaker's name like the name fields (said:fed is the Federal Reserve)") {
  TempDir dir("dateline-quotes-fed");
  {
    IndexWriter writer(dir.path().string(), IndexWriterOptions{});
    Article a;
    a.id = "f1";
    a.body = "The Federal Reserve held rates. \"Inflation remains too high,\" the Fed said in a statement.";
    extract_fields(a);
    REQUIRE(a.quotes.size() == 1);
    CHECK(a.quotes[0].speaker == "Federal Reserve");
    CHECK(a.quotes[0].speaker_kind == SpeakerKind::Organization);
    CHECK(a.quotes[0].kind == QuoteKind::Direct);
    writer.add(a);
    writer.commit();
  }
  Searcher s({dir.path().string()});
  std::vector<QueryNote> notes;
  CHECK(s.count(s.parse("said:fed(inflation)", {}, &notes)) == 1);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].message.find("is read as said:\"Federal Reserve\"") != std::string::npos);
  CHECK(s.count(s.parse("said:\"federal reserve\"(\"too high\")")) == 1);
  CHECK(s.count(s.parse("said:fed(rates)")) == 0);  // outside the quotation
}
