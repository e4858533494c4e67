// Names resolved at query time (searcher/name_aliases.h): a value of a name
// field means what the extractor would have made of it, so an alias and the
// full name give the same answer.
#include <doctest/doctest.h>

#include <cstdlib>
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

Article extracted(std::string id, std::string body) {
  Article a;
  a.id = std::move(id);
  a.body = std::move(body);
  extract_fields(a);
  return a;
}

// Articles in which the extractor links aliases: an acronym defined in the
// text, one written alone, gazetteer short forms.
std::vector<Article> articles() {
  return {
      extracted("n1", "The Commodity Futures Trading Commission (CFTC) fined two brokers on Monday. "
                      "The CFTC said the firms had misreported trades."),
      extracted("n2", "The CFTC opened an inquiry into grain futures, traders said."),
      extracted("n3", "The Commodity Futures Trading Commission approved new margin rules."),
      extracted("n4", "Officials at the Fed held rates steady. The U.S. economy grew."),
      extracted("n5", "The Federal Reserve raised rates as the United States economy grew."),
      extracted("n6", "Exports from Gdańsk rose, while Gdansk port officials said little."),
      extracted("n7", "Prices rose in Latin America and in the US, analysts said."),
  };
}

uint64_t count(Searcher& s, const std::string& q) { return s.count(s.parse(q)); }

}  // namespace

TEST_CASE("gazetteer_entity: the gazetteer's name for a short form, in any case") {
  REQUIRE(gazetteer_entity("fed"));
  CHECK(gazetteer_entity("fed")->name == "Federal Reserve");
  CHECK(gazetteer_entity("fed")->type == EntityType::Organization);
  CHECK(gazetteer_entity("u.s.")->name == "United States");
  CHECK(gazetteer_entity("US")->name == "United States");
  CHECK(gazetteer_entity("us")->name == "United States");
  CHECK(gazetteer_entity("United  States")->name == "United States");
  CHECK(gazetteer_entity("GDANSK")->name == "Gdańsk");
  CHECK(gazetteer_entity("who")->name == "World Health Organization");
  CHECK(!gazetteer_entity("French"));  // a nationality, not an entity
  CHECK(!gazetteer_entity("Sakuragawa"));
  CHECK(!gazetteer_entity(""));
}

TEST_CASE("the extractor reports aliases the canonical name does not contain") {
  const Article a = articles()[0];
  REQUIRE(a.aliases.size() == 1);
  CHECK(a.aliases[0].alias == "CFTC");
  CHECK(a.aliases[0].name == "Commodity Futures Trading Commission");
  CHECK(a.aliases[0].type == EntityType::Organization);
  // A surname is not an alias: person:rutte already matches "Mark Rutte".
  CHECK(extracted("x", "Mark Rutte said on Monday that Rutte would travel.").aliases.empty());
  // Given entities are not extracted, so no aliases either.
  Article given;
  given.body = articles()[0].body;
  given.has_entities = given.has_speakers = true;
  extract_fields(given);
  CHECK(given.aliases.empty());
}

TEST_CASE("alias and full name match the same articles, through the gazetteer and the learned aliases") {
  TempDir dir;
  {
    IndexWriter w(dir.path().string(), IndexWriterOptions{});
    for (const Article& a : articles()) w.add(a);
    w.commit();
  }
  Searcher s(dir.path().string());
  struct Pair {
    const char* alias;
    const char* full;
    uint64_t expected;
  };
  const Pair pairs[] = {
      {"org:fed", "org:\"federal reserve\"", 2},
      {"entity:fed", "entity:\"federal reserve\"", 2},
      {"place:us", "place:\"united states\"", 3},
      {"place:u.s.", "place:\"united states\"", 3},
      {"place:\"u.s.\"", "place:\"united states\"", 3},
      {"entity:cftc", "entity:\"commodity futures trading commission\"", 3},
      // n2 writes only "CFTC": the rules cannot type it, the tagger makes it an organisation.
      {"org:CFTC", "org:\"Commodity Futures Trading Commission\"", 3},
      {"place:gdansk", "place:gdańsk", 1},
  };
  for (const Pair& p : pairs) {
    INFO(std::string(p.alias) << " vs " << std::string(p.full));
    CHECK(count(s, p.alias) == count(s, p.full));
    CHECK(count(s, p.alias) == p.expected);
    CHECK(s.matching_ids(s.parse(p.alias)) == s.matching_ids(s.parse(p.full)));
  }
  // The lone acronym (n2, an entity of unknown type) is found by the full name too.
  const auto ids = s.matching_ids(s.parse("entity:\"commodity futures trading commission\""));
  CHECK(std::find(ids.begin(), ids.end(), "n2") != ids.end());
  // A name of the wrong type is not resolved: "us" is a place, not an organisation.
  CHECK(count(s, "org:us") == 0);
  // Prefixes and loose phrases are taken as written.
  CHECK(count(s, "org:fed*") == 2);  // the prefix of "federal"
  CHECK(count(s, "org:feds*") == 0);
  CHECK(count(s, "org:\"reserve federal\"~2") == 0);
  // The resolution is reported.
  std::vector<QueryNote> notes;
  s.parse("rates org:fed", {}, &notes);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].message == "org:fed is read as org:\"Federal Reserve\"");
  CHECK(notes[0].column == 6);
  notes.clear();
  s.parse("entity:cftc", {}, &notes);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].message == "entity:cftc is read as entity:\"Commodity Futures Trading Commission\" and its aliases cftc");
}

TEST_CASE("names on Reuters-21578: alias and full name give equal counts") {
  std::string skipped;
  const std::vector<std::string> files = reuters_files(skipped);
  if (files.empty()) {
    MESSAGE(skipped);
    return;
  }
  TempDir dir;
  {
    IndexWriter w(dir.path().string(), IndexWriterOptions{});
    read_articles(files, [&](Article&& a) { extract_fields(a); w.add(a); }, nullptr);
    w.commit();
  }
  Searcher s(dir.path().string());
  const std::pair<const char*, const char*> pairs[] = {
      {"org:fed", "org:\"federal reserve\""},
      {"place:us", "place:\"united states\""},
      {"place:u.s.", "place:\"united states\""},
      {"place:usa", "place:\"united states\""},
      {"entity:cftc", "entity:\"commodity futures trading commission\""},
      {"org:gm", "org:\"general motors corp\""},
      {"org:nyse", "org:\"new york stock exchange\""},
      {"org:ec", "org:\"european community\""},
      {"org:opec", "org:\"organization of petroleum exporting countries\""},
  };
  for (const auto& [alias, full] : pairs) {
    const uint64_t a = count(s, alias), f = count(s, full);
    MESSAGE(std::string(alias) << " " << a << ", " << std::string(full) << " " << f);
    CHECK(a == f);
    CHECK(a > 0);
  }
  // Before resolution existed, org:fed found 6 articles and place:us 1; the
  // full names hundreds and thousands.
  CHECK(count(s, "org:fed") > 400);
  CHECK(count(s, "place:us") > 4000);
}
