// Differential test: dateline and Xapian, fed the same analysed terms and
// positions, must return identical document sets for every query. Queries
// are generated at random (fixed seeds) from the corpus's own words, names
// and dates, mixing every operator and field of the query language.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>

#include "common/fields.h"
#include "corpus/extract.h"
#include "corpus/reader.h"
#include "indexer/index_writer.h"
#include "searcher/searcher.h"
#include "test_util.h"
#include "xapian_oracle.h"

using namespace dateline;
using namespace dateline::testing;

namespace {

// Surface material for building queries: words as written in the texts.
struct Vocabulary {
  std::vector<std::string> words;                  // every token occurrence's surface form
  std::vector<std::vector<std::string>> passages;  // per article: surface tokens of the body
  std::vector<std::string> title_words;
  std::vector<std::string> names;                  // speakers and entities
  std::vector<std::string> people, orgs, places;   // entities by type
  DayNumber min_date = 0, max_date = 0;
};

// One corpus indexed twice: by dateline and by Xapian, each in a temporary directory.
struct Oracle {
  TempDir dir{"dateline-diff"};
  TempDir xdir{"dateline-xapian"};
  std::unique_ptr<Searcher> searcher;
  Xapian::WritableDatabase xdb;
  Vocabulary vocab;
  std::vector<std::string> ids;  // by Xapian docid - 1
  size_t articles = 0;

  explicit Oracle(const std::vector<std::string>& paths, const std::string& stemmer = "english")
      : xdb((xdir.path() / "db").string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC) {
    IndexWriterOptions opts;
    opts.stemmer = stemmer;
    IndexWriter writer(dir.path().string(), opts);
    Analyzer analyzer(stemmer);
    std::vector<Token> toks;
    bool first_date = true;
    read_articles(
        paths,
        [&](Article&& a) {
          extract_fields(a);
          writer.add(a);
          xapian_add(xdb, a, analyzer);
          ids.push_back(a.id);
          ++articles;
          toks.clear();
          analyzer.analyze(a.body, false, toks);
          std::vector<std::string> passage;
          for (const auto& t : toks) passage.push_back(a.body.substr(t.start, t.end - t.start));
          if (passage.size() > 400) passage.resize(400);
          vocab.words.insert(vocab.words.end(), passage.begin(), passage.end());
          vocab.passages.push_back(std::move(passage));
          toks.clear();
          analyzer.analyze(a.title, false, toks);
          for (const auto& t : toks) vocab.title_words.push_back(a.title.substr(t.start, t.end - t.start));
          vocab.names.insert(vocab.names.end(), a.speakers.begin(), a.speakers.end());
          for (const Entity& e : a.entities) {
            vocab.names.push_back(e.name);
            if (e.type == EntityType::Person) vocab.people.push_back(e.name);
            if (e.type == EntityType::Organization) vocab.orgs.push_back(e.name);
            if (e.type == EntityType::Place) vocab.places.push_back(e.name);
          }
          if (a.date != kNoDate) {
            if (first_date || a.date < vocab.min_date) vocab.min_date = a.date;
            if (first_date || a.date > vocab.max_date) vocab.max_date = a.date;
            first_date = false;
          }
        },
        [](const Diagnostic&) {});
    writer.commit();
    xdb.commit();
    searcher = std::make_unique<Searcher>(dir.path().string());
  }

  std::vector<std::string> xapian(const Query& q) { return xapian_ids(xdb, q, ids); }

  std::vector<std::string> dateline_ids(const Query& q) {
    auto ids = searcher->matching_ids(q);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
};

// Builds random query strings in the dateline query language.
class QueryGenerator {
 public:
  QueryGenerator(const Vocabulary& v, uint32_t seed) : v_(v), rng_(seed) {}

  std::string query() { return expr(0); }

 private:
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  // Operator words in upper case would be parsed as operators; fold them.
  static std::string safe(std::string w) {
    if (w == "AND" || w == "OR" || w == "NOT" || w.rfind("NEAR", 0) == 0)
      for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return w;
  }
  std::string word() {
    // Half the time a frequent-ish word (any occurrence), else from a random article.
    if (chance(0.5)) return safe(v_.words[pick(v_.words.size())]);
    const auto& p = v_.passages[pick(v_.passages.size())];
    return p.empty() ? safe(v_.words[pick(v_.words.size())]) : safe(p[pick(p.size())]);
  }
  std::string prefix() {
    for (int tries = 0; tries < 20; ++tries) {
      std::string w = word();
      bool alnum = w.size() >= 3;
      for (char c : w) alnum = alnum && std::isalnum(static_cast<unsigned char>(c));
      if (alnum) return w.substr(0, 2 + pick(std::min<size_t>(w.size() - 1, 4))) + "*";
    }
    return "rat*";
  }
  // Consecutive words from an article (so phrases often match), or random words.
  std::vector<std::string> run(size_t n) {
    std::vector<std::string> out;
    const auto& p = v_.passages[pick(v_.passages.size())];
    if (p.size() >= n && chance(0.8)) {
      size_t at = pick(p.size() - n + 1);
      for (size_t i = 0; i < n; ++i) out.push_back(safe(p[at + i]));
    } else {
      for (size_t i = 0; i < n; ++i) out.push_back(word());
    }
    return out;
  }
  std::string phrase() {
    auto ws = run(2 + pick(2));
    if (chance(0.25)) std::swap(ws[0], ws[1]);
    std::string s = "\"";
    for (size_t i = 0; i < ws.size(); ++i) s += (i ? " " : "") + ws[i];
    s += "\"";
    if (chance(0.35)) s += "~" + std::to_string(pick(6));
    return s;
  }
  std::string near() {
    auto ws = run(2 + (chance(0.2) ? 1 : 0));
    if (chance(0.5)) std::reverse(ws.begin(), ws.end());
    const std::string n = std::to_string(pick(8));
    std::string s = ws[0];
    for (size_t i = 1; i < ws.size(); ++i) s += " NEAR/" + n + " " + ws[i];
    return s;
  }
  // A name from `pool` (all names by default), whole as a phrase or its last word.
  std::string name_value() { return name_value(v_.names); }
  std::string name_value(const std::vector<std::string>& pool) {
    // Sometimes a name of another type or field, so typed fields also miss.
    const std::vector<std::string>& from = pool.empty() || chance(0.2) ? v_.names : pool;
    if (from.empty()) return word();
    std::string name = from[pick(from.size())];
    if (chance(0.5)) return "\"" + name + "\"";
    const size_t sp = name.rfind(' ');
    return safe(sp == std::string::npos ? name : name.substr(sp + 1));
  }
  std::string date() {
    const DayNumber span = std::max<DayNumber>(1, v_.max_date - v_.min_date + 60);
    auto day = [&] { return format_iso_date(v_.min_date - 30 + static_cast<DayNumber>(pick(span))); };
    switch (pick(6)) {
      case 0: return "date:" + day().substr(0, 4);
      case 1: return "date:" + day().substr(0, 7);
      case 2: return "date:" + day();
      case 3: {
        std::string a = day(), b = day();
        if (b < a) std::swap(a, b);
        return "date:" + a + ".." + b;
      }
      case 4: return "date:" + day() + "..";
      default: return "date:.." + day().substr(0, 7);
    }
  }
  std::string leaf() {
    switch (pick(14)) {
      case 0: case 1: case 2: return word();
      case 3: return prefix();
      case 4: case 5: return phrase();
      case 6: return near();
      case 7: return "title:" + (v_.title_words.empty() ? word() : safe(v_.title_words[pick(v_.title_words.size())]));
      case 8: return "speaker:" + name_value();
      case 9: return "entity:" + name_value();
      case 10: return date();
      case 11: return "person:" + name_value(v_.people);
      case 12: {
        static const char* const kOrg[] = {"org:", "organization:", "ORG:"};
        return kOrg[pick(3)] + name_value(v_.orgs);
      }
      case 13: return (chance(0.8) ? "place:" : "location:") + name_value(v_.places);
      default: return word();
    }
  }
  std::string expr(int depth) {
    if (depth >= 3 || chance(0.3)) return leaf();
    switch (pick(8)) {
      case 0: return expr(depth + 1) + " AND " + expr(depth + 1);
      case 1: return expr(depth + 1) + " OR " + expr(depth + 1);
      case 2: return "(" + expr(depth + 1) + " OR " + expr(depth + 1) + ") " + expr(depth + 1);
      case 3: return expr(depth + 1) + " " + expr(depth + 1);
      case 4: return expr(depth + 1) + " AND NOT " + expr(depth + 1);
      case 5: return "+" + leaf() + " " + expr(depth + 1) + " -" + leaf();
      case 6: return "NOT " + leaf();
      default: return "(" + expr(depth + 1) + ")";
    }
  }

  const Vocabulary& v_;
  std::mt19937 rng_;
};

std::string show(const std::vector<std::string>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size() && i < 8; ++i) s += ids[i] + " ";
  if (ids.size() > 8) s += "...";
  return s;
}

// Runs `n` random queries through both engines; every hit set must agree.
void run_differential(Oracle& o, uint32_t seed, size_t n) {
  QueryGenerator gen(o.vocab, seed);
  size_t nonempty = 0, parsed = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::string text = gen.query();
    for (bool default_or : {false, true}) {
      if (default_or && i % 4 != 0) continue;  // OR default on a quarter of them
      Query q;
      try {
        q = o.searcher->parse(text, ParseOptions{default_or});
      } catch (const QueryError& e) {
        // Only a query whose every word analyses to nothing may be refused.
        CHECK_MESSAGE(std::string(e.what()).find("no searchable") != std::string::npos,
                      "query: " << text << "\nerror: " << e.what());
        continue;
      }
      ++parsed;
      const auto ours = o.dateline_ids(q);
      const auto theirs = o.xapian(q);
      if (!ours.empty()) ++nonempty;
      CHECK_MESSAGE(ours == theirs, "query: " << text << (default_or ? " [default OR]" : "")
                                              << "\nparsed: " << q.to_string() << "\ndateline "
                                              << ours.size() << ": " << show(ours) << "\nxapian "
                                              << theirs.size() << ": " << show(theirs));
      CHECK(o.searcher->count(q) == ours.size());
    }
  }
  MESSAGE(parsed << " queries compared, " << nonempty << " with hits");
  CHECK(parsed >= n);
  CHECK(nonempty * 3 >= parsed);  // the test is only meaningful if many queries match something
}

Oracle& sample_oracle() {
  static Oracle o({(source_dir() / "corpus/samples").string()});
  return o;
}

}  // namespace

TEST_CASE("xapian oracle: sample corpus, 600 random queries, identical hit sets") {
  Oracle& o = sample_oracle();
  REQUIRE(o.articles >= 40);
  run_differential(o, 20261128, 600);
}

TEST_CASE("xapian oracle: hand-picked edge cases on the sample corpus") {
  Oracle& o = sample_oracle();
  const char* queries[] = {
      "\"interest rates\"",        "\"the the\"",           "\"of the\"~3",      "the NEAR/0 the",
      "rates NEAR/2 interest",     "NOT rates",             "-rates -bank",      "+bank rates -central",
      "a OR NOT b",                "date:2024",             "date:2024-11..",    "date:..2023-12-31",
      "NOT date:2024",             "speaker:halvorsen",     "entity:nato",       "title:rates",
      "ra*",                       "(bank OR rates) AND NOT (\"central bank\" OR date:2025)",
      "\"north sea\"~0",           "\"said the\"~10",       "bank bank",         "said NEAR/3 said NEAR/3 said",
  };
  for (const char* text : queries) {
    for (bool default_or : {false, true}) {
      Query q = o.searcher->parse(text, ParseOptions{default_or});
      CHECK_MESSAGE(o.dateline_ids(q) == o.xapian(q), "query: " << text << " parsed: " << q.to_string());
    }
  }
}

TEST_CASE("xapian oracle: Reuters-21578, 500 random queries, identical hit sets") {
  std::string skipped;
  const std::vector<std::string> files = reuters_files(skipped);
  if (files.empty()) {
    MESSAGE(skipped);
    return;
  }
  static Oracle o(files);
  REQUIRE(o.articles == 21578);
  run_differential(o, 1987, 500);

  // The acceptance query of the skeleton issue.
  const std::string text = "\"interest rates\" AND date:1987-03-01..1987-03-31";
  Query q = o.searcher->parse(text);
  const uint64_t ours = o.searcher->count(q);
  const size_t theirs = o.xapian(q).size();
  MESSAGE("count of " << text << ": dateline " << ours << ", xapian " << theirs);
  CHECK(ours == theirs);
  CHECK(ours > 0);
}
