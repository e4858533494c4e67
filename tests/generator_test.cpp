// The synthetic corpus generator (corpus/generator.h) and `dateline gen-corpus`,
// trained on the sample corpus so that nothing here needs ../shared.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/date.h"
#include "corpus/generator.h"
#include "corpus/reader.h"
#include "test_util.h"

using namespace dateline;
namespace fs = std::filesystem;
using dateline::testing::TempDir;

namespace {

std::string samples_dir() { return (dateline::testing::source_dir() / "corpus" / "samples").string(); }

std::vector<Article> read_all(const std::string& path, ReadStats* stats = nullptr) {
  std::vector<Article> out;
  ReadStats st = read_articles({path}, [&](Article&& a) { out.push_back(std::move(a)); }, nullptr);
  if (stats) *stats = st;
  return out;
}

GeneratorOptions sample_options(uint64_t seed) {
  GeneratorOptions o;
  o.seed = seed;
  o.train_paths = {samples_dir()};
  return o;
}

// One generator per seed, trained once on the sample corpus.
const CorpusGenerator& generator(uint64_t seed) {
  static std::map<uint64_t, std::unique_ptr<CorpusGenerator>> gens;
  auto& g = gens[seed];
  if (!g) g = std::make_unique<CorpusGenerator>(sample_options(seed));
  return *g;
}

std::vector<Article> make(uint64_t seed, uint64_t n) {
  std::vector<Article> out;
  generator(seed).generate(n, [&](const Article& a) { out.push_back(a); });
  return out;
}

// Lower-cased alphanumeric words (bytes >= 0x80 count as letters).
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::string w;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      w.push_back(static_cast<char>(std::tolower(c)));
    } else if (!w.empty()) {
      out.push_back(w);
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

size_t whitespace_words(const std::string& s) {
  size_t n = 0;
  bool in = false;
  for (char c : s) {
    const bool sp = c == ' ' || c == '\n';
    if (!sp && !in) ++n;
    in = !sp;
  }
  return n;
}

std::string slurp(const fs::path& p) {
  std::string s;
  FILE* f = std::fopen(p.c_str(), "rb");
  if (!f) return s;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

// Runs `dateline <args>` in `dir` (the current directory when empty) and
// captures its output. (Like testing::run_dateline, plus the directory.)
dateline::testing::CommandResult run_cli(const std::string& args, const std::string& dir = "") {
  TempDir tmp("dateline-gen-run");
  const std::string out = (tmp.path() / "out").string(), err = (tmp.path() / "err").string();
  std::string cmd;
  if (!dir.empty()) cmd.append("cd '").append(dir).append("' && ");
  cmd.append("'").append(dateline::testing::dateline_binary().string()).append("' ").append(args);
  cmd.append(" </dev/null >'").append(out).append("' 2>'").append(err).append("'");
  const int rc = std::system(cmd.c_str());
  dateline::testing::CommandResult r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + WTERMSIG(rc);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace

TEST_CASE("generator: the same seed gives the same articles, another seed others") {
  const auto a = make(11, 300);
  CorpusGenerator fresh(sample_options(11));  // trained again from scratch
  std::vector<Article> b;
  fresh.generate(300, [&](const Article& x) { b.push_back(x); });
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) CHECK(article_to_jsonl(a[i]) == article_to_jsonl(b[i]));

  // Random access and prefixes agree with the sequence.
  CHECK(article_to_jsonl(fresh.article(123)) == article_to_jsonl(a[123]));
  CHECK(article_to_jsonl(make(11, 10)[9]) == article_to_jsonl(a[9]));

  const auto c = make(12, 300);
  size_t same_body = 0, same_title = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    same_body += a[i].body == c[i].body;
    same_title += a[i].title == c[i].title;
  }
  CHECK(same_body == 0);
  CHECK(same_title < 30);
}

TEST_CASE("generator: the requested number of articles with syn-<seed>-<n> ids") {
  const auto a = make(5, 257);
  REQUIRE(a.size() == 257);
  CHECK(a[0].id == "syn-5-00000000");
  CHECK(a[256].id == "syn-5-00000256");
  std::set<std::string> ids;
  for (const Article& x : a) ids.insert(x.id);
  CHECK(ids.size() == 257);
  CHECK(make(5, 0).empty());
}

TEST_CASE("generator: training statistics") {
  const TrainingStats& t = generator(1).training();
  CHECK(t.articles == 52);
  CHECK(t.tokens > 5000);
  CHECK(t.distinct_tokens > 1000);
  CHECK(t.contexts > 1000);
  CHECK(t.read_errors == 0);
  GeneratorOptions empty;
  empty.train_paths = {"/nonexistent/dateline-training"};
  CHECK_THROWS_AS(CorpusGenerator{empty}, std::runtime_error);
}

TEST_CASE("generator: every article reads back through read_articles()") {
  TempDir tmp("dateline-gen");
  const auto a = make(21, 500);
  const fs::path file = tmp.path() / "syn.jsonl";
  {
    FILE* f = std::fopen(file.c_str(), "wb");
    REQUIRE(f);
    for (const Article& x : a) {
      const std::string line = article_to_jsonl(x) + "\n";
      std::fwrite(line.data(), 1, line.size(), f);
    }
    std::fclose(f);
  }
  ReadStats st;
  const auto b = read_all(file.string(), &st);
  CHECK(st.errors == 0);
  CHECK(st.warnings == 0);
  REQUIRE(b.size() == a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CAPTURE(a[i].id);
    CHECK(b[i].id == a[i].id);
    CHECK(b[i].date == a[i].date);
    CHECK(b[i].title == a[i].title);
    CHECK(b[i].body == a[i].body);
    CHECK(b[i].speakers == a[i].speakers);
    CHECK(b[i].entities == a[i].entities);
    CHECK(b[i].has_speakers);
    CHECK(b[i].has_entities);
  }
}

TEST_CASE("generator: article shape") {
  const auto a = make(31, 2000);
  size_t long_titles = 0;
  std::vector<size_t> lengths;
  for (const Article& x : a) {
    CAPTURE(x.id);
    const size_t tw = whitespace_words(x.title);
    CHECK(tw >= 1);
    CHECK(tw <= 16);  // 12 tokens; a multi-word synthetic token never appears in titles, but hyphens split
    long_titles += tw >= 5;
    REQUIRE(!x.body.empty());
    const size_t bw = whitespace_words(x.body);
    CHECK(bw >= 70);
    CHECK(bw <= 750);
    lengths.push_back(bw);
    CHECK(x.body.find("  ") == std::string::npos);
    CHECK(x.body.find("\n\n\n") == std::string::npos);
    CHECK(x.body.front() != ' ');
    CHECK(x.body.back() != ' ');
    CHECK(x.body.back() != '\n');
    CHECK(x.title.find('\n') == std::string::npos);
  }
  CHECK(long_titles > a.size() * 8 / 10);
  std::sort(lengths.begin(), lengths.end());
  const size_t median = lengths[lengths.size() / 2];
  CHECK(median > 170);
  CHECK(median < 350);
  CHECK(lengths.back() > 2 * median);  // a long tail
}

TEST_CASE("generator: dates lie in 2000..2026 and recent years hold more articles") {
  const auto a = make(41, 5000);
  const DayNumber lo = days_from_civil(2000, 1, 1), hi = days_from_civil(2026, 12, 31);
  size_t early = 0, late = 0;
  std::set<int> years;
  for (const Article& x : a) {
    REQUIRE(x.date != kNoDate);
    CHECK(x.date >= lo);
    CHECK(x.date <= hi);
    int y;
    unsigned m, d;
    civil_from_days(x.date, y, m, d);
    years.insert(y);
    early += y <= 2006;
    late += y >= 2020;
  }
  CHECK(years.size() == 27);
  CHECK(late > 2 * early);
}

TEST_CASE("generator: speakers and entities are Zipf-distributed and mentioned in the body") {
  const auto a = make(51, 5000);
  std::map<std::string, size_t> speaker_df, entity_df;
  size_t with_speakers = 0;
  for (const Article& x : a) {
    CAPTURE(x.id);
    CHECK(x.speakers.size() <= 3);
    CHECK(x.entities.size() >= 1);
    CHECK(x.entities.size() <= 8);
    with_speakers += !x.speakers.empty();
    std::set<std::string> distinct(x.speakers.begin(), x.speakers.end());
    CHECK(distinct.size() == x.speakers.size());
    for (const std::string& s : x.speakers) {
      CHECK(x.body.find(s) != std::string::npos);
      ++speaker_df[s];
    }
    for (const Entity& e : x.entities) {
      CHECK(x.body.find(e.name) != std::string::npos);
      CHECK((e.type == EntityType::Place || e.type == EntityType::Organization));
      ++entity_df[e.name];
    }
  }
  CHECK(with_speakers > a.size() / 2);
  CHECK(with_speakers < a.size() * 9 / 10);
  auto ranked = [](const std::map<std::string, size_t>& df) {
    std::vector<size_t> v;
    for (auto& [k, n] : df) v.push_back(n);
    std::sort(v.rbegin(), v.rend());
    return v;
  };
  const auto sp = ranked(speaker_df), en = ranked(entity_df);
  REQUIRE(sp.size() > 200);
  REQUIRE(en.size() > 200);
  CHECK(sp[0] > 10 * sp[99]);
  CHECK(en[0] > 10 * en[99]);
  CHECK(speaker_df.size() > 1000);  // a long tail of rarely quoted people
}

TEST_CASE("generator: Zipfian vocabulary that keeps growing") {
  const auto a = make(61, 2000);
  std::unordered_map<std::string, size_t> tf;
  std::unordered_set<std::string> at200;
  for (size_t i = 0; i < a.size(); ++i) {
    for (const std::string& w : words_of(a[i].title + " " + a[i].body)) ++tf[w];
    if (i + 1 == 200)
      for (auto& [w, n] : tf) at200.insert(w);
  }
  MESSAGE("distinct words: " << at200.size() << " at 200 docs, " << tf.size() << " at 2000");
  CHECK(tf.size() > at200.size() * 3 / 2);
  std::vector<size_t> freq;
  for (auto& [w, n] : tf) freq.push_back(n);
  std::sort(freq.rbegin(), freq.rend());
  REQUIRE(freq.size() > 1000);
  CHECK(freq[0] > 10 * freq[99]);
  CHECK(freq[99] > 5 * freq[999]);
}

TEST_CASE("generator: bigrams of the training text recur") {
  std::unordered_set<std::string> train_bigrams;
  std::unordered_map<std::string, size_t> train_count;
  for (const Article& x : read_all(samples_dir())) {
    const auto w = words_of(x.title + " " + x.body);
    for (size_t i = 0; i + 1 < w.size(); ++i) {
      train_bigrams.insert(w[i] + " " + w[i + 1]);
      ++train_count[w[i] + " " + w[i + 1]];
    }
  }
  const auto a = make(71, 500);
  size_t total = 0, seen = 0;
  std::unordered_map<std::string, size_t> out_count;
  for (const Article& x : a) {
    const auto w = words_of(x.body);
    for (size_t i = 0; i + 1 < w.size(); ++i) {
      const std::string bg = w[i] + " " + w[i + 1];
      ++total;
      seen += train_bigrams.count(bg);
      ++out_count[bg];
    }
  }
  MESSAGE(seen << " of " << total << " body bigrams occur in the training text");
  CHECK(seen > total * 6 / 10);
  // The most frequent training bigrams are frequent in the output too.
  std::vector<std::pair<size_t, std::string>> top;
  for (auto& [bg, n] : train_count) top.push_back({n, bg});
  std::sort(top.rbegin(), top.rend());
  for (size_t i = 0; i < 5; ++i) {
    CAPTURE(top[i].second);
    CHECK(out_count[top[i].second] > 50);
  }
}

TEST_CASE("gen-corpus: deterministic output, .zst round trip, errors") {
  TempDir tmp("dateline-gen-cli");
  const std::string train = " --train '" + samples_dir() + "'";
  auto r1 = run_cli("gen-corpus --docs 120 --seed 9" + train);
  auto r2 = run_cli("gen-corpus --docs 120 --seed 9" + train);
  REQUIRE(r1.exit_code == 0);
  CHECK(r1.out == r2.out);
  CHECK(std::count(r1.out.begin(), r1.out.end(), '\n') == 120);
  CHECK(r1.err.find("gen-corpus: 120 docs") != std::string::npos);

  const fs::path zst = tmp.path() / "syn.jsonl.zst";
  auto rz = run_cli("gen-corpus --docs 120 --seed 9" + train + " -o '" + zst.string() + "'");
  REQUIRE(rz.exit_code == 0);
  CHECK(rz.out.empty());
  const std::string compressed = slurp(zst);
  REQUIRE(compressed.size() > 4);
  CHECK(static_cast<unsigned char>(compressed[0]) == 0x28);  // zstd magic
  CHECK(compressed.size() < r1.out.size() / 2);
  ReadStats st;
  const auto from_zst = read_all(zst.string(), &st);
  CHECK(st.errors == 0);
  const fs::path plain = tmp.path() / "syn.jsonl";
  {
    FILE* f = std::fopen(plain.c_str(), "wb");
    std::fwrite(r1.out.data(), 1, r1.out.size(), f);
    std::fclose(f);
  }
  const auto from_plain = read_all(plain.string());
  REQUIRE(from_zst.size() == 120);
  REQUIRE(from_plain.size() == 120);
  for (size_t i = 0; i < 120; ++i) {
    CHECK(from_zst[i].id == from_plain[i].id);
    CHECK(from_zst[i].body == from_plain[i].body);
    CHECK(from_zst[i].entities == from_plain[i].entities);
  }

  // The generator API and the CLI agree.
  std::string api;
  generator(9).generate(120, [&](const Article& a) { api += article_to_jsonl(a) + "\n"; });
  CHECK(api == r1.out);

  auto missing = run_cli("gen-corpus --docs 3 --train /nonexistent/dateline-corpus");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("/nonexistent/dateline-corpus") != std::string::npos);
  CHECK(missing.out.empty());

  auto usage = run_cli("gen-corpus --seed 3");
  CHECK(usage.exit_code == 2);

  // No --train and nothing to train on in the current directory.
  auto none = run_cli("gen-corpus --docs 1", tmp.path().string());
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("no training corpus; pass --train PATH") != std::string::npos);
}
