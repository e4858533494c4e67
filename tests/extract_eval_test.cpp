// The extractor's measured quality: eval-extract's scoring, and the targets
// on both gold sets (corpus/gold/README.md): speakers precision >= 0.90 and
// recall >= 0.80, entity F1 >= 0.80 for people, organisations and places.
#include "corpus/extract_eval.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_util.h"

using namespace dateline;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary);
  f << s;
}

const FieldScore& score(const ExtractEvaluation& ev, EvalField f) { return ev.scores[static_cast<size_t>(f)]; }

void check_targets(const ExtractEvaluation& ev, const char* name) {
  INFO("gold set: " << name);
  for (size_t k = 0; k < kEvalFields; ++k) {
    const FieldScore& s = ev.scores[k];
    MESSAGE(std::string(name) << " " << std::string(eval_field_name(static_cast<EvalField>(k))) << ": TP " << s.tp
                              << " FP " << s.fp << " FN " << s.fn << "  P " << s.precision() << " R " << s.recall()
                              << " F1 " << s.f1());
  }
  CHECK(score(ev, EvalField::Speakers).precision() >= 0.90);
  CHECK(score(ev, EvalField::Speakers).recall() >= 0.80);
  CHECK(score(ev, EvalField::People).f1() >= 0.80);
  CHECK(score(ev, EvalField::Organizations).f1() >= 0.80);
  CHECK(score(ev, EvalField::Places).f1() >= 0.80);
  // Quotations (development floors: the held-out targets of issue 12 are
  // measured on the blind sets, not here).
  const QuoteScore& q = ev.quotes;
  REQUIRE(q.articles > 0);
  const FieldScore spans = q.spans();
  MESSAGE(std::string(name) << " quote spans: P " << spans.precision() << " R " << spans.recall() << "; direct found "
                            << q.direct_matched << " of " << q.gold_direct << ", speaker right "
                            << q.direct_speaker_right);
  CHECK(spans.precision() >= 0.88);
  CHECK(spans.recall() >= 0.65);
  CHECK(q.direct_speaker_right >= 0.9 * static_cast<double>(q.direct_matched));
}

}  // namespace

TEST_CASE("eval: gold records, alternatives, normalisation, FP and FN counting") {
  dateline::testing::TempDir dir;
  const fs::path gold = dir.path() / "g.jsonl", data = dir.path() / "a.jsonl";
  write_file(gold,
             R"({"id":"a1","speakers":["Anna  Berg"],"people":["anna berg","Tom Hale"],)"
             R"("organizations":["World Bank"],"places":["United States|U.S.","Oslo"],"note":"ignored"})"
             "\n"
             "\n"
             R"({"id":"a2","people":[]})"
             "\n");  // only people evaluated for a2
  write_file(
      data,
      R"({"id":"a1","title":"","body":"OSLO, March 3 - Anna Berg, the finance minister, said the U.S. and the World Bank agreed. Peter Olsen, 54, attended."})"
      "\n"
      R"({"id":"a2","title":"","body":"Maria Costa, the mayor, said the bridge was late."})"
      "\n"
      R"({"id":"a3","title":"","body":"Not in the gold file."})"
      "\n");
  const auto g = read_gold_file(gold.string());
  REQUIRE(g.size() == 2);
  CHECK(g[0].names[static_cast<size_t>(EvalField::Places)][0] == std::vector<std::string>{"united states", "u.s"});
  CHECK(g[1].present[static_cast<size_t>(EvalField::People)]);
  CHECK_FALSE(g[1].present[static_cast<size_t>(EvalField::Speakers)]);

  const ExtractEvaluation ev = evaluate_extraction(g, {data.string()});
  CHECK(ev.gold_articles == 2);
  CHECK(ev.evaluated_articles == 2);
  CHECK(ev.articles_read == 3);
  CHECK(ev.missing.empty());
  // a1: speaker Anna Berg (whitespace and case do not matter).
  CHECK(score(ev, EvalField::Speakers).tp == 1);
  CHECK(score(ev, EvalField::Speakers).fp == 0);
  CHECK(score(ev, EvalField::Speakers).fn == 0);
  // People: a1 finds Anna Berg and Peter Olsen (FP), misses Tom Hale (FN); a2 finds Maria Costa (FP).
  CHECK(score(ev, EvalField::People).tp == 1);
  CHECK(score(ev, EvalField::People).fp == 2);
  CHECK(score(ev, EvalField::People).fn == 1);
  CHECK(score(ev, EvalField::Organizations).tp == 1);
  CHECK(score(ev, EvalField::Places).tp == 2);  // "United States" matches "United States|U.S."
  CHECK(score(ev, EvalField::Places).fp == 0);
  bool fn_hale = false, fp_costa = false;
  for (const EvalMismatch& m : ev.mismatches) {
    fn_hale = fn_hale || (m.id == "a1" && m.name == "Tom Hale" && !m.false_positive);
    fp_costa = fp_costa || (m.id == "a2" && m.name == "Maria Costa" && m.false_positive);
  }
  CHECK(fn_hale);
  CHECK(fp_costa);
  CHECK(score(ev, EvalField::People).precision() == doctest::Approx(1.0 / 3));
  CHECK(score(ev, EvalField::People).recall() == doctest::Approx(0.5));
  CHECK(score(ev, EvalField::People).f1() == doctest::Approx(0.4));

  // Accents fold as the index folds them.
  CHECK(normalize_eval_name("Montréal") == normalize_eval_name("MONTREAL"));
  CHECK(normalize_eval_name("São  Paulo.") == "sao paulo");
  CHECK(normalize_eval_name("Gdańsk") == "gdansk");

  // A gold id that is not in the input is reported.
  write_file(gold, R"({"id":"zz","speakers":[]})"
                   "\n");
  const ExtractEvaluation ev2 = evaluate_extraction(read_gold_file(gold.string()), {data.string()});
  CHECK(ev2.missing == std::vector<std::string>{"zz"});
  CHECK(ev2.evaluated_articles == 0);
}

TEST_CASE("eval: quotation spans match by overlap, one to one, and speakers are compared") {
  const fs::path dir = fs::temp_directory_path() / "dateline-eval-quotes";
  fs::create_directories(dir);
  const std::string body = "\"Prices will rise this year,\" said Jane Doe. Growth slowed, analysts said.";
  {
    std::ofstream in(dir / "a.jsonl");
    in << R"({"id":"q1","title":"t","body":"\"Prices will rise this year,\" said Jane Doe. Growth slowed, analysts said."})" << "\n";
    std::ofstream g(dir / "gold.jsonl");
    // The direct quote, and the reported clause before "analysts said".
    g << R"({"id":"q1","speakers":["Jane Doe"],"quotes":[)"
      << R"({"speaker":"Jane Doe","speaker_kind":"person","kind":"direct","cue":"say","start":1,"end":28},)"
      << R"({"speaker":"","speaker_kind":"unnamed","kind":"reported","cue":"say","start":45,"end":58}]})" << "\n";
  }
  const auto gold = read_gold_file((dir / "gold.jsonl").string());
  REQUIRE(gold.size() == 1);
  REQUIRE(gold[0].quotes.size() == 2);
  const ExtractEvaluation ev = evaluate_extraction(gold, {(dir / "a.jsonl").string()});
  CHECK(ev.quotes.gold == 2);
  CHECK(ev.quotes.gold_direct == 1);
  CHECK(ev.quotes.direct_matched == 1);
  CHECK(ev.quotes.direct_speaker_right == 1);
  CHECK(ev.quotes.predicted == 2);
  CHECK(ev.quotes.matched == 2);
  CHECK(ev.quotes.exact == 2);
  CHECK(ev.quotes.matched_speaker_right == 2);
  CHECK(body.substr(1, 27) == "Prices will rise this year,");
  fs::remove_all(dir);
}

TEST_CASE("eval: malformed gold files are errors naming file:line") {
  dateline::testing::TempDir dir;
  const fs::path gold = dir.path() / "bad.jsonl";
  auto error_of = [&](const std::string& content) {
    write_file(gold, content);
    try {
      read_gold_file(gold.string());
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of("{\"id\":\"a\"}\n{not json\n").find("bad.jsonl:2") != std::string::npos);
  CHECK(error_of("{\"speakers\":[]}\n").find("no \"id\"") != std::string::npos);
  CHECK(error_of("{\"id\":\"a\",\"people\":\"x\"}\n").find("\"people\"") != std::string::npos);
  CHECK(error_of("{\"id\":\"a\"}\n{\"id\":\"a\"}\n").find("duplicate") != std::string::npos);
  CHECK_THROWS(read_gold_file((dir.path() / "missing.jsonl").string()));
}

TEST_CASE("eval: Reuters-21578 label codes against extracted names") {
  CHECK(label_matches("places", "usa", "United States"));
  CHECK(label_matches("places", "uk", "Britain"));
  CHECK(label_matches("places", "west-germany", "West Germany"));
  CHECK(label_matches("places", "ussr", "Soviet Union"));
  CHECK_FALSE(label_matches("places", "usa", "Canada"));
  CHECK(label_matches("orgs", "ec", "European Community"));
  CHECK(label_matches("orgs", "worldbank", "World Bank"));
  CHECK(label_matches("orgs", "ico-coffee", "International Coffee Organization"));
  CHECK(label_matches("orgs", "imf", "International Monetary Fund"));
  CHECK(label_matches("people", "reagan", "Ronald Reagan"));
  CHECK(label_matches("people", "reagan", "Reagan"));
  CHECK(label_matches("people", "james-baker", "James Baker"));
  CHECK(label_matches("people", "de-clercq", "Willy de Clercq"));
  CHECK_FALSE(label_matches("people", "james-baker", "Howard Baker"));
  CHECK_FALSE(label_matches("people", "baker", "Bakerson"));
}

TEST_CASE("eval: the sample gold set meets the targets") {
  const fs::path root = dateline::testing::source_dir();
  const auto gold = read_gold_file((root / "corpus" / "gold" / "samples.gold.jsonl").string());
  REQUIRE(gold.size() >= 40);
  const ExtractEvaluation ev = evaluate_extraction(gold, {(root / "corpus" / "samples").string()});
  CHECK(ev.missing.empty());
  CHECK(ev.evaluated_articles == gold.size());
  check_targets(ev, "samples");
}

TEST_CASE("eval: the first other-styles set, now for development, keeps its quotation speakers") {
  // corpus/heldout/styles.jsonl: long features, interviews, live blogs. Its
  // two held-out scorings are done (corpus/gold/README.md); these floors
  // guard pronoun resolution and transcripts on text unlike wire copy.
  const fs::path root = dateline::testing::source_dir();
  const auto gold = read_gold_file((root / "corpus" / "gold" / "styles.gold.jsonl").string());
  REQUIRE(gold.size() == 24);
  const ExtractEvaluation ev = evaluate_extraction(gold, {(root / "corpus" / "heldout" / "styles.jsonl").string()});
  CHECK(ev.missing.empty());
  const QuoteScore& q = ev.quotes;
  MESSAGE("styles: direct found " << q.direct_matched << " of " << q.gold_direct << ", speaker right "
                                  << q.direct_speaker_right);
  CHECK(q.direct_matched >= 0.8 * static_cast<double>(q.gold_direct));  // 0.63 before transcripts
  CHECK(q.direct_speaker_right >= 0.9 * static_cast<double>(q.direct_matched));  // 0.52 before pronoun genders
  CHECK(score(ev, EvalField::Speakers).precision() >= 0.9);
  CHECK(score(ev, EvalField::Speakers).recall() >= 0.85);
}

TEST_CASE("eval: the Reuters-21578 gold set meets the targets") {
  if (!dateline::testing::have_shared()) {
    MESSAGE("skipped: ../shared is not available");
    return;
  }
  if (std::getenv("DATELINE_SKIP_REUTERS")) {
    MESSAGE("skipped: DATELINE_SKIP_REUTERS is set");
    return;
  }
  const fs::path root = dateline::testing::source_dir();
  const auto gold = read_gold_file((root / "corpus" / "gold" / "reuters.gold.jsonl").string());
  REQUIRE(gold.size() >= 40);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dateline::testing::shared_dir() / "corpora" / "reuters21578"))
    if (e.path().extension() == ".sgm") files.push_back(e.path().string());
  EvalOptions opts;
  opts.label_agreement = true;
  const ExtractEvaluation ev = evaluate_extraction(gold, files, opts);
  CHECK(ev.missing.empty());
  CHECK(ev.evaluated_articles == gold.size());
  check_targets(ev, "reuters");
  // The <PLACES>, <PEOPLE>, <ORGS> tags: most tagged people and organisations
  // that the text names are extracted with their type.
  REQUIRE(ev.labels.size() == 3);
  for (const LabelAgreement& l : ev.labels) {
    MESSAGE("reuters tags " << l.kind << ": " << l.values << " values, " << l.in_text << " named in text, "
                            << l.matched_typed << " extracted with the type, " << l.matched_any << " with any type");
    CHECK(l.values > 0);
    CHECK(l.matched_typed >= l.in_text * 7 / 10);
  }
}
