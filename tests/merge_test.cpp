// Merging segments (indexer/segment_merger.h) and choosing merges
// (indexer/merge_policy.h). The merger's reference is SegmentWriter: merging
// segments must give the files SegmentWriter writes for the same live
// articles, byte for byte.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/analyzer.h"
#include "common/checksum.h"
#include "common/file_util.h"
#include "corpus/article.h"
#include "indexer/document_terms.h"
#include "indexer/format.h"
#include "indexer/segment_writer.h"
#include "test_util.h"

using namespace dateline;
using dateline::testing::TempDir;
namespace fs = std::filesystem;

namespace {

const char* const kSegmentFiles[] = {format::kTermsFile, format::kPostingsFile, format::kPositionsFile,
                                     format::kColumnsFile, format::kDocStoreFile};

// Deterministic articles that exercise every kind of term: stems with one or
// several written forms (in the title and the body), numbers and dotted
// acronyms (never stemmed), accents, words of one article only, a word in
// every article (many postings blocks), speakers, typed entities and aliases.
class ArticleMaker {
 public:
  explicit ArticleMaker(uint32_t seed) : rng_(seed) {}

  Article make(uint32_t i) {
    Article a;
    a.id = "art-" + std::to_string(i);
    a.date = pick(5) == 0 ? kNoDate : static_cast<DayNumber>(19000 + pick(2000));
    a.title = words(1 + pick(5));
    a.body = "the " + words(5 + pick(60)) + " unique" + std::to_string(i) + " " + words(pick(10));
    a.url = pick(2) ? "https://news.example/" + std::to_string(i) : "";
    a.source = pick(3) ? "wire" : "";
    a.author = pick(4) ? "Desk " + std::to_string(pick(5)) : "";
    a.file = "feed-" + std::to_string(i / 50) + ".jsonl";
    a.line = i % 50 + 1;
    for (uint32_t n = pick(3); n > 0; --n) a.speakers.push_back(kSpeakers[pick(std::size(kSpeakers))]);
    for (uint32_t n = pick(4); n > 0; --n) {
      const uint32_t e = pick(std::size(kEntities));
      a.entities.push_back(Entity{kEntities[e], static_cast<EntityType>(e % 4)});
    }
    if (pick(4) == 0) a.aliases.push_back(NameAlias{"CFTC", "Commodity Futures Trading Commission", EntityType::Organization});
    if (pick(6) == 0) a.aliases.push_back(NameAlias{"Fed", "Federal Reserve", EntityType::Organization});
    return a;
  }

 private:
  uint32_t pick(size_t n) { return static_cast<uint32_t>(rng_() % n); }
  std::string words(uint32_t n) {
    std::string s;
    for (uint32_t k = 0; k < n; ++k) {
      if (k) s += ' ';
      const auto& family = kFamilies[pick(std::size(kFamilies))];
      // Zipf-like: the first form of a family is the most common.
      size_t f = 0;
      while (f + 1 < family.size() && pick(3) == 0) ++f;
      s += family[f];
    }
    return s;
  }

  static inline const std::vector<std::string> kFamilies[] = {
      {"minister", "ministers", "Ministerial", "ministry"},
      {"rates", "rate", "rated", "rating"},
      {"bank", "banks", "banking", "banked"},
      {"election", "elections", "elected", "elect"},
      {"talks", "talk", "talked", "talking"},
      {"cries", "cry", "cried", "crib"},
      {"Gdańsk", "gdansk", "GDANSK"},
      {"Tromsø"},
      {"São", "Paulo"},
      {"2024", "3.5", "1,000", "U.S."},
      {"said"},
      {"wind", "winds", "windy"},
      {"north", "sea"},
  };
  static inline const char* const kSpeakers[] = {"Anna Halvorsen", "Mark Rutte", "Jens Berg", "Ola Nordmann"};
  static inline const char* const kEntities[] = {"Nordic Fund", "Anna Halvorsen", "World Bank", "Norway",
                                                 "Acme Group", "Mark Rutte", "Federal Reserve", "Gdańsk"};
  std::mt19937 rng_;
};

std::vector<Article> make_articles(uint32_t n, uint32_t seed) {
  ArticleMaker m(seed);
  std::vector<Article> out;
  for (uint32_t i = 0; i < n; ++i) out.push_back(m.make(i));
  return out;
}

// Writes `arts` with SegmentWriter as segment DIR/name.
SegmentInfo write_segment(const fs::path& dir, const std::string& name, const std::vector<Article>& arts,
                          Analyzer& analyzer) {
  SegmentWriter w((dir / name).string(), name);
  for (const Article& a : arts) w.add(a, analyze_article(a, analyzer));
  return w.finish();
}

// XXH64 of each file of segment DIR/name, in kSegmentFiles order.
std::vector<uint64_t> file_checksums(const fs::path& dir, const std::string& name) {
  std::vector<uint64_t> out;
  for (const char* f : kSegmentFiles) out.push_back(checksum64(read_file((dir / name / f).string())));
  return out;
}

}  // namespace

TEST_CASE("SegmentWriter output is pinned: the same articles give the same bytes") {
  // Checksums of the files as SegmentWriter wrote them before its encoders
  // were shared with the merger; a change to the format changes them.
  TempDir dir("dateline-merge");
  Analyzer english("english", true);
  Analyzer none("none", false);
  const std::vector<Article> arts = make_articles(700, 7);
  write_segment(dir.path(), "seg-a", arts, english);
  write_segment(dir.path(), "seg-b", {}, english);
  write_segment(dir.path(), "seg-c", std::vector<Article>(arts.begin(), arts.begin() + 40), none);
  CHECK(file_checksums(dir.path(), "seg-a") == std::vector<uint64_t>{5703948326134901823u, 16624894969712719999u,
                                                                    2677572011943109512u, 18437266553338489703u,
                                                                    3285863896238934872u});
  CHECK(file_checksums(dir.path(), "seg-b") == std::vector<uint64_t>{5860342791006487851u, 16851390402177941475u,
                                                                    253822456176146346u, 16505756231447017967u,
                                                                    10701110492138415161u});
  CHECK(file_checksums(dir.path(), "seg-c") == std::vector<uint64_t>{2640329373437890709u, 14460630880970485105u,
                                                                    15564262543022213613u, 2373892170698018574u,
                                                                    5920441661659939281u});
}
