// The independent oracle: expected article sets computed from the raw
// article text by a reference tokenizer written here, sharing nothing with
// dateline's analysis (common/analyzer.h) or its terms. The Xapian oracle
// (xapian_diff_test.cpp) is fed dateline's own terms, so it checks the query
// machinery but would pass a bug in what is indexed (a prefix matched
// against stems); this one checks the analysis.
//
// Reference tokenizer: maximal runs of Unicode letters, digits and marks
// (categories L*, N*, M*; a run starts with a letter or digit), each run
// NFKD-decomposed, case-folded and stripped of its marks. Words are stemmed
// with Snowball's English stemmer called directly.
//
// Tokenisation tolerance. Dateline's analyzer differs from the reference by
// design in a few places, and these differences alone may make a query's
// answer differ:
//   - apostrophes between letters join ("rutte's", "o'neill" are one word),
//   - '.' and ',' between digits join ("3.5", "1,000"), '.' between single
//     letters joins ("u.s"),
//   - letters without a decomposition are spelled out (ø -> o, ł -> l, æ -> ae),
//   - words longer than 64 bytes are not indexed, numbers and dotted
//     acronyms are not stemmed.
// An article on which the two answers differ is "explained" when a word that
// decides the query is one of these: written next to a joining character
// (an apostrophe, '.' or ',' followed or preceded by a letter or digit), or
// holding one of the spelled-out letters. Query words are drawn from words
// that are neither. A query passes when its unexplained differences are at
// most kAbsTolerance articles or kRelTolerance of the reference answer,
// whichever is larger. Every query above the tolerance is printed with the
// articles that differ and the words of each that bear on the query; the
// test fails on any.
#include <doctest/doctest.h>
#include <libstemmer.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "corpus/extract.h"
#include "corpus/reader.h"
#include "indexer/index_writer.h"
#include "searcher/searcher.h"
#include "test_util.h"

using namespace dateline;
using namespace dateline::testing;

namespace {

constexpr size_t kAbsTolerance = 1;
constexpr double kRelTolerance = 0.01;

// One word of the reference tokenisation and where it was written.
struct RefWord {
  std::string folded;   // NFKD, case-folded, marks removed
  std::string written;  // as in the text
  bool joined = false;  // next to a character dateline joins words across
};

bool is_joiner(utf8proc_int32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0xFF07 || cp == '.' || cp == ',';
}

// Letters that NFKD leaves alone and dateline spells out in ASCII.
bool has_spelled_out_letter(std::string_view folded) {
  for (std::string_view l : {"ø", "ł", "æ", "đ", "ð", "þ", "ħ", "ı", "œ", "ŧ", "ŋ", "ƒ"})
    if (folded.find(l) != std::string_view::npos) return true;
  return false;
}

bool differs_by_design(const RefWord& w) { return w.joined || has_spelled_out_letter(w.folded) || w.folded.size() > 64; }

bool is_word_char(utf8proc_int32_t cp, bool in_word) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
      return in_word;
    default:
      return false;
  }
}

std::string nfkd_fold(std::string_view run) {
  utf8proc_uint8_t* out = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(run.data()),
                              static_cast<utf8proc_ssize_t>(run.size()), &out,
                              static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                                             UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK));
  if (n < 0) return std::string(run);
  std::string s(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  std::free(out);
  return s;
}

// The reference tokenisation of `text`.
std::vector<RefWord> ref_words(std::string_view text) {
  // Code points with their byte offsets (invalid bytes as -1).
  std::vector<std::pair<size_t, utf8proc_int32_t>> cps;
  for (size_t i = 0; i < text.size();) {
    utf8proc_int32_t cp;
    const auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                      static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    cps.emplace_back(i, len > 0 ? cp : -1);
    i += len > 0 ? static_cast<size_t>(len) : 1;
  }
  auto word_char_at = [&](size_t k) { return k < cps.size() && cps[k].second >= 0 && is_word_char(cps[k].second, false); };
  std::vector<RefWord> out;
  for (size_t k = 0; k < cps.size();) {
    if (!word_char_at(k)) {
      ++k;
      continue;
    }
    const size_t first = k;
    while (k < cps.size() && cps[k].second >= 0 && is_word_char(cps[k].second, true)) ++k;
    const size_t begin = cps[first].first, end = k < cps.size() ? cps[k].first : text.size();
    RefWord w{nfkd_fold(text.substr(begin, end - begin)), std::string(text.substr(begin, end - begin))};
    w.joined = (k < cps.size() && cps[k].second >= 0 && is_joiner(cps[k].second) && word_char_at(k + 1)) ||
               (first >= 2 && cps[first - 1].second >= 0 && is_joiner(cps[first - 1].second) && word_char_at(first - 2));
    out.push_back(std::move(w));
  }
  return out;
}

class Stemmer {
 public:
  Stemmer() : s_(sb_stemmer_new("english", "UTF_8")) {}
  ~Stemmer() { sb_stemmer_delete(s_); }
  std::string operator()(const std::string& w) {
    auto it = cache_.find(w);
    if (it != cache_.end()) return it->second;
    const sb_symbol* r = sb_stemmer_stem(s_, reinterpret_cast<const sb_symbol*>(w.data()), static_cast<int>(w.size()));
    std::string out(reinterpret_cast<const char*>(r), static_cast<size_t>(sb_stemmer_length(s_)));
    return cache_.emplace(w, out).first->second;
  }

 private:
  sb_stemmer* s_;
  std::unordered_map<std::string, std::string> cache_;
};

// An article as the reference sees it: title and body words, stemmed too.
struct RefArticle {
  std::string id;
  std::vector<std::vector<RefWord>> fields;     // title, body (phrases do not cross them)
  std::vector<std::vector<std::string>> stems;  // the same, stemmed
};

bool all_letters(const std::string& w) {
  if (w.size() < 3) return false;
  for (char c : w)
    if (!((c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80)) return false;
  return true;
}

// One corpus: dateline's index of it and the reference tokenisation, with
// the reference's own word -> articles maps to answer queries quickly.
struct TextOracle {
  TempDir dir{"dateline-text-oracle"};
  std::unique_ptr<Searcher> searcher;
  std::vector<RefArticle> articles;
  // word or stem -> ascending article indexes
  std::unordered_map<std::string, std::vector<uint32_t>> by_word, by_stem;
  std::vector<std::string> sorted_words;  // the keys of by_word, sorted
  Stemmer stem;

  explicit TextOracle(const std::vector<std::string>& paths) {
    IndexWriter writer(dir.path().string(), IndexWriterOptions{});
    read_articles(
        paths,
        [&](Article&& a) {
          extract_fields(a);
          writer.add(a);
          RefArticle r;
          r.id = a.id;
          for (const std::string* text : {&a.title, &a.body}) {
            r.fields.push_back(ref_words(*text));
            std::vector<std::string> s;
            for (const RefWord& w : r.fields.back()) s.push_back(stem(w.folded));
            r.stems.push_back(std::move(s));
          }
          const auto n = static_cast<uint32_t>(articles.size());
          auto add = [n](std::vector<uint32_t>& list) {
            if (list.empty() || list.back() != n) list.push_back(n);
          };
          for (size_t f = 0; f < r.fields.size(); ++f)
            for (size_t k = 0; k < r.fields[f].size(); ++k) {
              add(by_word[r.fields[f][k].folded]);
              add(by_stem[r.stems[f][k]]);
            }
          articles.push_back(std::move(r));
        },
        nullptr);
    for (const auto& entry : by_word) sorted_words.push_back(entry.first);
    std::sort(sorted_words.begin(), sorted_words.end());
    writer.commit();
    searcher = std::make_unique<Searcher>(dir.path().string());
  }

  template <class Arts>
  std::set<std::string> ids(const Arts& arts) const {
    std::set<std::string> out;
    for (size_t a : arts) out.insert(articles[a].id);
    return out;
  }
  // Articles with a word that starts with `p`.
  std::set<std::string> with_prefix(const std::string& p) const {
    std::vector<uint32_t> arts;
    for (auto it = std::lower_bound(sorted_words.begin(), sorted_words.end(), p);
         it != sorted_words.end() && it->starts_with(p); ++it) {
      const auto& l = by_word.at(*it);
      arts.insert(arts.end(), l.begin(), l.end());
    }
    return ids(arts);
  }
  // Articles with a word of stem `s`.
  std::set<std::string> with_stem(const std::string& s) const {
    auto it = by_stem.find(s);
    return it == by_stem.end() ? std::set<std::string>{} : ids(it->second);
  }
  // Articles with consecutive words of the stems `ss` in one field; the
  // rarest stem proposes the candidates.
  std::set<std::string> with_phrase(const std::vector<std::string>& ss) const {
    const std::vector<uint32_t>* rarest = nullptr;
    for (const std::string& st : ss) {
      auto it = by_stem.find(st);
      if (it == by_stem.end()) return {};
      if (!rarest || it->second.size() < rarest->size()) rarest = &it->second;
    }
    std::vector<uint32_t> arts;
    for (uint32_t a : *rarest) {
      const RefArticle& r = articles[a];
      bool found = false;
      for (size_t f = 0; f < r.stems.size() && !found; ++f)
        for (size_t k = 0; k + ss.size() <= r.stems[f].size() && !found; ++k)
          found = std::equal(ss.begin(), ss.end(), r.stems[f].begin() + static_cast<std::ptrdiff_t>(k));
      if (found) arts.push_back(a);
    }
    return ids(arts);
  }

  std::set<std::string> dateline(const std::string& q) const {
    auto ids = searcher->matching_ids(searcher->parse(q));
    return {ids.begin(), ids.end()};
  }
};

// The words of an article that bear on the query: those whose reference form
// shares the first letters of a query word. Sets `by_design` when one of
// them differs between the two tokenisations by design.
std::string bearing_words(const TextOracle& o, const std::string& id, const std::vector<std::string>& query_words,
                          bool& by_design) {
  std::string out;
  by_design = false;
  for (const RefArticle& a : o.articles) {
    if (a.id != id) continue;
    std::set<std::string> shown;
    for (const auto& field : a.fields)
      for (const RefWord& w : field)
        for (const std::string& q : query_words) {
          if (w.folded.find(q.substr(0, std::min<size_t>(q.size(), 3))) == std::string::npos) continue;
          by_design = by_design || differs_by_design(w);
          if (shown.insert(w.written).second) out += " '" + w.written + "'" + (differs_by_design(w) ? "(by design)" : "");
        }
  }
  return out;
}

struct Tally {
  size_t queries = 0, with_hits = 0, differing = 0, by_design = 0, over = 0;
};

// Compares one query; prints it when it is above the tolerance.
void compare(const TextOracle& o, const std::string& query, const std::vector<std::string>& words,
             const std::set<std::string>& expected, Tally& t) {
  const std::set<std::string> got = o.dateline(query);
  ++t.queries;
  if (!expected.empty()) ++t.with_hits;
  std::vector<std::string> missing, extra;
  std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(), std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(), std::back_inserter(extra));
  if (missing.empty() && extra.empty()) return;
  ++t.differing;
  std::ostringstream detail;
  size_t unexplained = 0;
  for (auto [list, side] : {std::pair{&missing, "only in the reference"}, {&extra, "only in dateline"}})
    for (const auto& id : *list) {
      bool by_design = false;
      const std::string why = bearing_words(o, id, words, by_design);
      if (by_design) ++t.by_design;
      else ++unexplained;
      detail << "  " << side << ": " << id << why << "\n";
    }
  const size_t tolerance = std::max(kAbsTolerance, static_cast<size_t>(kRelTolerance * static_cast<double>(expected.size())));
  if (unexplained <= tolerance) return;
  ++t.over;
  MESSAGE("query " << query << ": reference " << expected.size() << ", dateline " << got.size() << ", "
                   << unexplained << " unexplained\n" << detail.str());
}

void run(TextOracle& o, uint32_t seed, size_t per_kind) {
  std::mt19937 rng(seed);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  // A random word position of a random article (letters only, 3+ bytes,
  // tokenised alike by both).
  auto usable = [&](const RefWord& w) { return all_letters(w.folded) && !differs_by_design(w); };
  auto random_word = [&](size_t& art, size_t& field, size_t& at) {
    for (;;) {
      art = pick(o.articles.size());
      field = pick(2);
      const auto& f = o.articles[art].fields[field];
      if (f.empty()) continue;
      at = pick(f.size());
      if (usable(f[at])) return;
    }
  };
  Tally prefixes, words, phrases;
  for (size_t i = 0; i < per_kind; ++i) {
    size_t a, f, at;
    random_word(a, f, at);
    const std::string& w = o.articles[a].fields[f][at].folded;
    // A prefix of 3..8 bytes, cut at a code point boundary.
    size_t len = std::min(w.size(), 3 + pick(6));
    while (len < w.size() && (static_cast<unsigned char>(w[len]) & 0xC0) == 0x80) ++len;
    const std::string p = w.substr(0, len);
    compare(o, p + "*", {p}, o.with_prefix(p), prefixes);
  }
  for (size_t i = 0; i < per_kind; ++i) {
    size_t a, f, at;
    random_word(a, f, at);
    const std::string w = o.articles[a].fields[f][at].folded;
    const std::string s = o.stem(w);
    compare(o, w, {w}, o.with_stem(s), words);
  }
  for (size_t i = 0; i < per_kind; ++i) {
    size_t a, f, at;
    random_word(a, f, at);
    const auto& fw = o.articles[a].fields[f];
    size_t n = std::min(fw.size() - at, 2 + pick(2));
    for (size_t k = 1; k < n; ++k)
      if (!usable(fw[at + k])) n = k;
    if (n < 2) {
      --i;  // draw another phrase
      continue;
    }
    std::vector<std::string> ws, ss;
    for (size_t k = 0; k < n; ++k) {
      ws.push_back(fw[at + k].folded);
      ss.push_back(o.articles[a].stems[f][at + k]);
    }
    std::string q = "\"";
    for (size_t k = 0; k < n; ++k) q += (k ? " " : "") + ws[k];
    q += "\"";
    compare(o, q, ws, o.with_phrase(ss), phrases);
  }
  for (auto [name, t] : {std::pair{std::string("prefix"), &prefixes}, {std::string("word"), &words},
                         {std::string("phrase"), &phrases}}) {
    MESSAGE(name << " queries: " << t->queries << ", with hits " << t->with_hits << ", differing " << t->differing
                 << " (articles differing by design " << t->by_design << "), above the tolerance " << t->over);
    CHECK(t->over == 0);
    CHECK(t->with_hits * 10 >= t->queries * 9);  // the words come from the texts, so nearly all match
  }
}

}  // namespace

TEST_CASE("reference tokenizer: letter and digit runs, NFKD, case fold, no marks") {
  auto folded = [](std::string_view t) {
    std::vector<std::string> out;
    for (const RefWord& w : ref_words(t)) out.push_back(w.folded);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(folded("Gdańsk, SÃO Paulo's 3.5") == V{"gdansk", "sao", "paulo", "s", "3", "5"});
  CHECK(folded("cafe\xCC\x81 ﬁne") == V{"cafe", "fine"});
  CHECK(folded("\xCC\x81x") == V{"x"});
  CHECK(folded("ab\xFF" "cd") == V{"ab", "cd"});
}

TEST_CASE("independent oracle: sample corpus, prefixes, words and phrases from the raw text") {
  TextOracle o({(source_dir() / "corpus/samples").string()});
  REQUIRE(o.articles.size() >= 40);
  run(o, 8, 300);
}

TEST_CASE("independent oracle: Reuters-21578, prefixes, words and phrases from the raw text") {
  std::string skipped;
  const std::vector<std::string> files = reuters_files(skipped);
  if (files.empty()) {
    MESSAGE(skipped);
    return;
  }
  TextOracle o(files);
  REQUIRE(o.articles.size() == 21578);
  run(o, 1987, 300);
}
