// Field extraction: speakers, entities and the dateline date.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "corpus/data_files.h"
#include "corpus/extract.h"
#include "corpus/nlp.h"
#include "corpus/reader.h"
#include "test_util.h"

using namespace dateline;
namespace fs = std::filesystem;

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string s = "{";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", \"" : "\"") + v[i] + "\"";
    s += "}";
    return String(s.c_str());
  }
};
}  // namespace doctest

namespace {

Article extract(const std::string& body, const std::string& title = "") {
  Article a;
  a.id = std::string(1, 't');  // (GCC 12 -Wrestrict false positive on = "t")
  a.title = title;
  a.body = body;
  extract_fields(a);
  return a;
}

std::vector<std::string> speakers(const std::string& body) { return extract(body).speakers; }

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool has(const std::vector<Entity>& v, const std::string& s) { return has(entity_names(v), s); }
// The entity named `s` has type `t`.
bool has(const std::vector<Entity>& v, const std::string& s, EntityType t) {
  return std::find(v.begin(), v.end(), Entity{s, t}) != v.end();
}

// Every name of `names` is an entity of type `t`.
void check_typed(const Article& a, EntityType t, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    CAPTURE(n);
    CHECK(has(a.entities, n, t));
  }
}

std::set<std::string> as_set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }
std::set<std::string> as_set(const std::vector<Entity>& v) { return as_set(entity_names(v)); }

DayNumber day(const char* iso) { return *parse_iso_date(iso); }

// The quotation of `a` whose span of `body` is `text`, or nullptr.
const Quotation* quotation_of(const Article& a, const std::string& body, const std::string& text) {
  for (const Quotation& q : a.quotes)
    if (body.substr(q.start, q.end - q.start) == text) return &q;
  return nullptr;
}

}  // namespace

TEST_CASE("extract: the seed article") {
  if (!dateline::testing::have_shared()) {
    MESSAGE("skipped: ../shared is not available");
    return;
  }
  fs::path seed = dateline::testing::shared_dir() / "seed" / "000_06dc2cbe39cd1be0.txt";
  std::vector<Article> got;
  read_articles({seed.string()}, [&](Article&& a) { got.push_back(std::move(a)); }, nullptr);
  REQUIRE(got.size() == 1);
  Article& a = got[0];
  extract_fields(a);
  CHECK(a.date == day("2024-11-13"));
  CHECK(a.speakers == std::vector<std::string>{"Mark Rutte", "Antony Blinken", "Emmanuel Macron"});
  for (const char* e : {"NATO", "Russia", "China", "North Korea", "Iran", "Ukraine", "Europe", "Brussels",
                        "Indo-Pacific", "North America", "Donald Trump", "Mark Rutte", "Antony Blinken",
                        "Emmanuel Macron", "United States", "Moscow", "Pyongyang", "Kyiv"})
    CHECK_MESSAGE(has(a.entities, e), e);
  // No titles, months, days, nationalities or sentence-initial words.
  for (const char* e : {"Rutte", "Mr. Rutte", "Secretary General", "NATO Secretary General", "President",
                        "Wednesday", "February", "Meeting", "Speaking", "North Korean", "Ukrainians",
                        "Europeans", "French", "Transatlantic", "It", "A", "As", "The"})
    CHECK_MESSAGE(!has(a.entities, e), e);
  CHECK(as_set(a.entities).size() == a.entities.size());  // no duplicates
  // Each speaker's quotations, with text from the body.
  std::set<std::string> quoted;
  for (const Quotation& q : a.quotes) {
    REQUIRE(q.end <= a.body.size());
    REQUIRE(q.start < q.end);
    if (q.speaker_kind == SpeakerKind::Person) quoted.insert(q.speaker);
  }
  CHECK(quoted == as_set(a.speakers));
  auto said = [&](const std::string& who, const std::string& words) {
    for (const Quotation& q : a.quotes)
      if (q.speaker == who && a.body.substr(q.start, q.end - q.start).find(words) != std::string::npos) return true;
    return false;
  };
  CHECK(said("Emmanuel Macron", "nothing should be decided on Ukraine without the Ukrainians"));
  CHECK(said("Antony Blinken", "firm response"));
  CHECK(said("Mark Rutte", "Russia has not won"));
}

TEST_CASE("quotations: direct, continued, reported, before and after the attribution") {
  const std::string body =
      "\"Prices will rise this year,\" Jane Doe, the bank's chief economist, told reporters. \"Costs are up "
      "everywhere.\"\n\nShe said the bank would act if needed. Growth slowed in the third quarter, analysts "
      "said.\n\nAccording to the ministry, exports fell by a tenth.";
  const Article a = extract(body);
  auto find = [&](const std::string& text) { return quotation_of(a, body, text); };
  const Quotation* first = find("Prices will rise this year,");
  REQUIRE(first);
  CHECK(first->speaker == "Jane Doe");
  CHECK(first->kind == QuoteKind::Direct);
  CHECK(first->cue == "tell");
  const Quotation* continued = find("Costs are up everywhere.");
  REQUIRE(continued);
  CHECK(continued->speaker == "Jane Doe");
  CHECK(continued->kind == QuoteKind::Direct);
  const Quotation* reported = find("the bank would act if needed");
  REQUIRE(reported);
  CHECK(reported->speaker == "Jane Doe");
  CHECK(reported->kind == QuoteKind::Reported);
  CHECK(reported->cue == "say");
  const Quotation* before = find("Growth slowed in the third quarter");
  REQUIRE(before);
  CHECK(before->speaker_kind == SpeakerKind::Unnamed);
  CHECK(before->speaker.empty());
  const Quotation* according = find("exports fell by a tenth");
  REQUIRE(according);
  CHECK(according->cue == "according to");
  // In body order, no quotation twice.
  for (size_t i = 1; i < a.quotes.size(); ++i) CHECK(a.quotes[i - 1].start <= a.quotes[i].start);
}

TEST_CASE("quotations: unnamed speakers after a quotation, \"it said\", a body the article does not name") {
  const std::string body =
      "Acme Corp said sales rose. \"Demand was strong in every region,\" it said.\n\n"
      "\"We think they have gone too far,\" one official said. \"The market will recover soon,\" a senior "
      "dealer said.\n\nThe Koether group said it bought the stock for capital appreciation.\n\n"
      "HUD published a study. \"The basic policy has been consistent for years,\" the HUD report said.";
  const Article a = extract(body);
  auto find = [&](const std::string& text) { return quotation_of(a, body, text); };
  const Quotation* it = find("Demand was strong in every region,");
  REQUIRE(it);
  CHECK(it->speaker == "Acme Corp");
  CHECK(it->speaker_kind == SpeakerKind::Organization);
  for (const char* text : {"We think they have gone too far,", "The market will recover soon,"}) {
    CAPTURE(text);
    const Quotation* q = find(text);
    REQUIRE(q);
    CHECK(q->kind == QuoteKind::Direct);
    CHECK(q->speaker_kind == SpeakerKind::Unnamed);
  }
  const Quotation* group = find("it bought the stock for capital appreciation");
  REQUIRE(group);
  CHECK(group->speaker_kind == SpeakerKind::Unnamed);
  const Quotation* report = find("The basic policy has been consistent for years,");
  REQUIRE(report);
  CHECK(report->speaker == "HUD");
}

TEST_CASE("quotations: \"urged X to ...\" is a request, its span the object and the infinitive") {
  const std::string body =
      "Interior Secretary Donald Hodel urged Congress to approve oil exploration in the refuge. He urged caution.";
  const Article a = extract(body);
  CHECK(a.speakers == std::vector<std::string>{"Donald Hodel"});
  REQUIRE(a.quotes.size() == 1);
  CHECK(a.quotes[0].cue == "urge");
  CHECK(body.substr(a.quotes[0].start, a.quotes[0].end - a.quotes[0].start) ==
        "Congress to approve oil exploration in the refuge");
}

TEST_CASE("quotations: \"adding\" before a quotation is the speaker's next quotation, not an earlier speaker's") {
  const std::string body =
      "Treasury Secretary James Baker told the committee that the deficit had levelled off, but Commerce "
      "Secretary Malcolm Baldrige said he was more optimistic, adding, \"I think we turned the corner.\"";
  const Article a = extract(body);
  std::vector<std::tuple<std::string, std::string, QuoteKind>> got;
  for (const Quotation& q : a.quotes) got.emplace_back(q.speaker, body.substr(q.start, q.end - q.start), q.kind);
  CHECK(got == std::vector<std::tuple<std::string, std::string, QuoteKind>>{
                   {"James Baker", "the deficit had levelled off", QuoteKind::Reported},
                   {"Malcolm Baldrige", "he was more optimistic", QuoteKind::Reported},
                   {"Malcolm Baldrige", "I think we turned the corner.", QuoteKind::Direct}});
}

TEST_CASE("quotations: a quotation over two paragraphs, attributed in the second, after a description") {
  const std::string body =
      "\"The first paragraph of a long statement goes on here.\n\n\"The second paragraph keeps going with more "
      "words,\" the minister, Jane Doe, said.";
  const Article a = extract(body);
  REQUIRE(a.quotes.size() == 2);
  for (const Quotation& q : a.quotes) {
    CHECK(q.speaker == "Jane Doe");
    CHECK(q.kind == QuoteKind::Direct);
  }
  CHECK(body.substr(a.quotes[0].start, a.quotes[0].end - a.quotes[0].start) ==
        "The first paragraph of a long statement goes on here.");
  CHECK(body.substr(a.quotes[1].start, a.quotes[1].end - a.quotes[1].start) ==
        "The second paragraph keeps going with more words,");
}

TEST_CASE("quotations: scare quotes and quoted terms are not quotations") {
  const Article a = extract("The so-called \"bad bank\" opened on Monday. The plan, known as \"Project Lark\", "
                            "was approved.");
  CHECK(a.quotes.empty());
}

TEST_CASE("quotations: offsets are into the body when a title is analysed with it") {
  const std::string body = "\"We will not raise prices,\" said John Smith, the chief executive.";
  const Article a = extract(body, "Smith holds prices");
  REQUIRE(a.quotes.size() == 1);
  CHECK(body.substr(a.quotes[0].start, a.quotes[0].end - a.quotes[0].start) == "We will not raise prices,");
}

TEST_CASE("extract: the sample corpus speakers match its answer key (corpus/samples/README.md)") {
  // Every named speaker of every sample article, whether given in the input or extracted.
  const std::map<std::string, std::set<std::string>> key = {
      {"text/2023-02-07-north-sea-gas-prices.txt", {"Callum McAllister", "Sigrun Aasheim"}},
      {"text/2023-04-14-poland-grain-inspections.txt", {"Ostap Hrytsenko", "Tomasz Wierzbicki"}},
      {"text/2023-06-21-rotterdam-container-volumes.txt", {"Pieter van der Berg"}},
      {"text/2023-08-25-baltic-tanker-insurance.txt", {"Søren Kjærgaard"}},
      {"text/2023-10-05-riksbank-lindqvist-speech.txt", {"Helena Lindqvist"}},
      {"text/2023-11-08-halvorsen-wealth-fund.txt", {"Ingrid Halvorsen"}},
      {"text/2023-12-14-ecb-holds-rates.txt", {"Dieter Falkenrath"}},
      {"text/2024-02-15-red-sea-shipping-diversions.txt", {"Pieter van der Berg", "Yusuf Demirtaş"}},
      {"text/2024-03-20-halvorsen-mortgage-relief.txt", {"Ingrid Halvorsen"}},
      {"text/2024-04-24-taiwan-chip-supply.txt", {"Haruto Kisaragi", "Lin Meiyun"}},
      {"text/2024-06-12-genoa-maritime-museum.txt", {"Giulia Ferraro-Conti"}},
      {"text/2024-08-19-madrid-heatwave-hospitals.txt", {"Lucía Echeverría"}},
      {"text/2024-10-03-nordvik-winter-output.txt", {"Callum McAllister", "Sigrun Aasheim"}},
      {"text/2024-11-07-okafor-african-central-banks.txt", {"Amara Okafor"}},
      {"text/2024-11-13-baltic-cable-anchoring-rules.txt", {"Søren Kjærgaard"}},
      {"text/2024-11-21-wierzbicki-ukraine-farm-trade.txt", {"Ostap Hrytsenko", "Tomasz Wierzbicki"}},
      {"text/2024-12-10-taiwan-export-controls.txt", {"Lin Meiyun"}},
      {"text/2025-02-11-andalusia-olive-harvest.txt", {"Rafael Ordóñez"}},
      {"text/2025-04-16-mombasa-by-election.txt", {"Baraka Wafula", "Rehema Salim"}},
      {"text/2025-06-14-atlantic-cup-final.txt", {"Declan Fitzgibbon", "Dragan Vuković"}},
      {"text/2025-07-08-opec-output-increase.txt", {"Omar bin Rashid"}},
      {"text/2025-09-17-nigeria-first-rate-cut.txt", {"Amara Okafor"}},
      {"text/2025-11-10-belem-climate-summit.txt", {"Beatriz Nogueira", "Jean-Luc Moreau"}},
      {"text/2024-05-14-trondheim-salmon-exports.txt", {"Eirik Moen"}},
      {"text/2025-01-22-valencia-dockworkers-strike.txt", {"Nuria Castells"}},
      {"text/gdynia-ferry-terminal.txt", {"Agnieszka Wróblewska"}},
      {"dl-2023-0001", {"Ingrid Halvorsen"}},
      {"dl-2023-0002", {"Amara Okafor"}},
      {"dl-2023-0003", {"Haruto Kisaragi"}},
      {"dl-2023-0004", {"José Müller-Ibáñez", "Kwame Mensah-Boateng"}},
      {"dl-2023-0005", {"Priya Raghunathan"}},
      {"dl-2023-0006", {"Omar bin Rashid"}},
      {"dl-2023-0007", {"Jean-Luc Moreau"}},
      {"dl-2024-0001", {"Beatriz Nogueira"}},
      {"dl-2024-0002", {"Marek Dąbrowski-Kral", "Zofia Łukasiewicz"}},
      {"dl-2024-0003", {"Marek Dąbrowski-Kral", "Zofia Łukasiewicz"}},
      {"dl-2024-0004", {"Dragan Vuković", "Kofi Adjei-Larsen"}},
      {"dl-2024-0005", {"José Müller-Ibáñez", "Kwame Mensah-Boateng"}},
      {"dl-2024-0006", {"Dieter Falkenrath", "Helena Lindqvist"}},
      {"dl-2024-0007", {"Jean-Luc Moreau"}},
      {"dl-2024-0008", {"Ingrid Halvorsen"}},
      {"dl-2024-0009", {"Jean-Luc Moreau", "Thandiwe Mokoena"}},
      {"dl-2024-0010", {"Priya Raghunathan"}},
      {"dl-2025-0001", {"Dieter Falkenrath", "Helena Lindqvist"}},
      {"dl-2025-0002", {"José Müller-Ibáñez", "Kwame Mensah-Boateng"}},
      {"dl-2025-0003", {"Pieter van der Berg", "Søren Kjærgaard"}},
      {"dl-2025-0004", {"Haruto Kisaragi"}},
      {"dl-2025-0005", {"Farid Haddad", "Priya Raghunathan"}},
      {"dl-2025-0006", {"Thandiwe Mokoena", "Tomasz Wierzbicki"}},
      {"text/kericho-tea-harvest.txt", {"Wanjiru Kamau"}},
      {"news-2025.jsonl#5", {"Halina Przybyłowicz"}},
      {"text/stavanger-floating-wind-auction.txt", {"Sigrun Aasheim"}},
  };
  std::vector<Article> got;
  ReadStats st = read_articles({(dateline::testing::source_dir() / "corpus" / "samples").string()},
                               [&](Article&& a) { got.push_back(std::move(a)); }, nullptr);
  CHECK(st.errors == 0);
  REQUIRE(got.size() == 52);
  size_t extracted = 0;
  for (Article& a : got) {
    extracted += !a.has_speakers;
    extract_fields(a);
    auto it = key.find(a.id);
    REQUIRE_MESSAGE(it != key.end(), a.id);
    CHECK_MESSAGE(as_set(a.speakers) == it->second, a.id);
    CHECK_MESSAGE(a.speakers.size() == it->second.size(), a.id);
  }
  CHECK(extracted == 43);  // 9 records give their speakers
  auto find = [&](const char* id) -> const Article& {
    for (const Article& a : got)
      if (a.id == id) return a;
    FAIL("missing ", id);
    return got[0];
  };
  CHECK(find("text/stavanger-floating-wind-auction.txt").date == day("2025-03-03"));  // from the dateline
  CHECK(find("text/kericho-tea-harvest.txt").date == kNoDate);                        // dateline without a year
  CHECK(find("text/gdynia-ferry-terminal.txt").date == day("2024-10-02"));  // dateline after the title line
  CHECK(has(find("text/2024-11-13-baltic-cable-anchoring-rules.txt").entities, "Baltic Shipping Authority"));
  CHECK(has(find("dl-2024-0007").entities, "World Bank"));
  CHECK(has(find("dl-2024-0009").entities, "World Bank"));
}

TEST_CASE("speakers: attribution patterns") {
  CHECK(speakers("John Smith said the plan would work.") == std::vector<std::string>{"John Smith"});
  CHECK(speakers("“We will win,” said Jane Doe, the team captain.") == std::vector<std::string>{"Jane Doe"});
  CHECK(speakers("\"We will win,\" said Jane Doe.") == std::vector<std::string>{"Jane Doe"});
  CHECK(speakers("Peter Olsen told reporters the talks had failed.") == std::vector<std::string>{"Peter Olsen"});
  CHECK(speakers("The deal is done, according to Maria Costa, the company's chairwoman.") ==
        std::vector<std::string>{"Maria Costa"});
  CHECK(speakers("Anna Berg, the Swedish finance minister, said rates would rise.") ==
        std::vector<std::string>{"Anna Berg"});
  CHECK(speakers("Anna Berg, 54, said rates would rise.") == std::vector<std::string>{"Anna Berg"});
  CHECK(speakers("Their coach, Declan Byrne, said the team had learned a lot.") ==
        std::vector<std::string>{"Declan Byrne"});
  CHECK(speakers("Tom Hale met the board. Later, Hale added that costs were falling.") ==
        std::vector<std::string>{"Tom Hale"});
  CHECK(speakers("Olga Petrova warned that prices would climb.") == std::vector<std::string>{"Olga Petrova"});
  CHECK(speakers("Olga Petrova warned investors.").empty());  // a weak verb needs "that" or a quote
  CHECK(speakers("Ravi Menon was quoted as saying the bank was safe.") == std::vector<std::string>{"Ravi Menon"});
  CHECK(speakers("The paper quoted Ajax Motors president Kenji Sato as saying sales would rise.") ==
        std::vector<std::string>{"Kenji Sato"});
  CHECK(speakers("Ines Duarte on Tuesday said exports had doubled.") == std::vector<std::string>{"Ines Duarte"});
  CHECK(speakers("Ines Duarte has also said exports had doubled.") == std::vector<std::string>{"Ines Duarte"});
}

TEST_CASE("speakers: unnamed sources and organisations are not speakers") {
  CHECK(speakers("A senior official said the talks would continue.").empty());
  CHECK(speakers("Analysts said the market had peaked.").empty());
  CHECK(speakers("Officials told reporters nothing had been decided.").empty());
  CHECK(speakers("NATO said it would respond.").empty());
  CHECK(speakers("The ministry said the figures were provisional.").empty());
  CHECK(speakers("The World Health Organization said cases were rising.").empty());
  CHECK(speakers("Texaco said it had filed an appeal.").empty());  // a bare name without a title
  CHECK(speakers("Russia said the sanctions were illegal.").empty());
  CHECK(speakers("On Monday, the company said profits fell.").empty());
  CHECK(speakers("He said nothing. They said it was over. It said so.").empty());
  CHECK(speakers("Merrill Lynch and Co said on Monday it would expand. Merrill Lynch said jobs would follow.").empty());
  CHECK(speakers("Harcourt Brace Jovanovich Inc made an offer. Harcourt said it would wait.").empty());
  CHECK(speakers("American Honda said exports would rise.").empty());
  // An apposition whose head is an organisation's noun, "one of the ..." in the plural too.
  CHECK(speakers("Huon Bay Aquaculture, one of the three operators in the harbour, said it would comply.").empty());
  CHECK(speakers("Atlas Botanica, a Casablanca-based exporter that ships bulk oil, said it would pay.").empty());
  CHECK(speakers("Nordhav Line, the world's eighth-largest container carrier, said profit fell.").empty());
  CHECK(speakers("Profits held up, and Swedish builder Svea Bygg said it would start fewer homes.").empty());
  CHECK(speakers("British publisher Robert Maxwell said the plan was inconsistent.") ==
        std::vector<std::string>{"Robert Maxwell"});  // a trade that people have too
  CHECK(speakers("Amina Tazi, one of the three founders, said it would pay.") == std::vector<std::string>{"Amina Tazi"});
  CHECK(speakers("My colleague Rosaura Cruz Mendoza warned at a conference in Guadalajara in March that the aquifer was sinking.") ==
        std::vector<std::string>{"Rosaura Cruz Mendoza"});
  CHECK(speakers("My colleague Rosaura Cruz Mendoza warned at a meeting in Paris in March that was attended by many.").empty());
  CHECK(as_set(speakers("Coach Guillaume Ferrand-Diallo and his captain, Yanis Belkacem, both said the team was slow.")) ==
        std::set<std::string>{"Guillaume Ferrand-Diallo", "Yanis Belkacem"});
  CHECK(speakers("Kenji Ishikawa-Varga, the Japanese-born former Hungary international, told reporters the team was tired.") ==
        std::vector<std::string>{"Kenji Ishikawa-Varga"});  // an organisation word as an adjective or a player
}

TEST_CASE("speakers: the subject of a relative clause, a person of a known organisation") {
  CHECK(speakers("The strongest opposition came from Cllr Declan Rourke, who said the council was wrong.") ==
        std::vector<std::string>{"Declan Rourke"});
  const Article a = extract("The strongest opposition came from Cllr Declan Rourke of Fine Gael, who said the council was wrong.");
  CHECK(a.speakers == std::vector<std::string>{"Declan Rourke"});
  CHECK(has(a.entities, "Fine Gael", EntityType::Organization));
  const Article b = extract("Maria Lopez of Goldman Sachs said rates would rise.");
  CHECK(b.speakers == std::vector<std::string>{"Maria Lopez"});
  CHECK(has(b.entities, "Goldman Sachs", EntityType::Organization));
  CHECK_FALSE(has(b.entities, "Maria Lopez of Goldman Sachs"));
}

TEST_CASE("speakers: surnames and honorifics resolve to the full name") {
  CHECK(speakers("Maria Lopez, the mayor, opened the bridge. Lopez said it had cost too much.") ==
        std::vector<std::string>{"Maria Lopez"});
  CHECK(speakers("Mr. Lopez said the bridge was late. Carlos Lopez is the city engineer.") ==
        std::vector<std::string>{"Carlos Lopez"});  // the full name may come later
  CHECK(speakers("Dr. Anna Kowalski said the vaccine worked.") == std::vector<std::string>{"Anna Kowalski"});
  CHECK(speakers("Prime Minister Jane Doe said the election would be held in May.") ==
        std::vector<std::string>{"Jane Doe"});
  CHECK(speakers("US Secretary of State John Kerry said the talks were useful.") ==
        std::vector<std::string>{"John Kerry"});
  CHECK(speakers("Sir Keir Starmer said the plan was fair.") == std::vector<std::string>{"Keir Starmer"});
  CHECK(as_set(speakers("Sheriff Ray Dunaway said the road was closed. Det Garda Siobhan Kiely told the court it was "
                        "stolen. Alhaji Sani Abdulkadir-Bello said fares would rise. Datuk Seri Fadillah Yusof said it "
                        "would pass. Jimmy Lajunim anak Anggau said the river was low.")) ==
        std::set<std::string>{"Ray Dunaway", "Siobhan Kiely", "Sani Abdulkadir-Bello", "Fadillah Yusof",
                              "Jimmy Lajunim anak Anggau"});
  CHECK(speakers("French President Emmanuel Macron arrived. Mr. Macron said he was pleased.") ==
        std::vector<std::string>{"Emmanuel Macron"});
  CHECK(speakers("President-elect Donald Trump met aides. Trump told reporters he was ready.") ==
        std::vector<std::string>{"Donald Trump"});
  CHECK(speakers("President Reagan said the budget was too big.") == std::vector<std::string>{"Reagan"});
  CHECK(speakers("Pieter van der Berg, chief executive of the port, spoke. Mr. van der Berg said volumes fell.") ==
        std::vector<std::string>{"Pieter van der Berg"});
  CHECK(speakers("Lin Meiyun, an analyst, wrote a note. Ms. Lin said demand was strong.") ==
        std::vector<std::string>{"Lin Meiyun"});
  CHECK(speakers("Søren Kjærgaard, director of the authority, said the rules were clear.") ==
        std::vector<std::string>{"Søren Kjærgaard"});
}

TEST_CASE("speakers: curly quotes, apostrophes and pronoun attribution") {
  auto a = extract(
      "Rutte’s warning came first. Mark Rutte said that “Russia has not won”.\n\n"
      "Jan Novak conceded defeat on Sunday. “The voters have spoken,” he said.\n\n"
      "“It is the only way,” she said.");
  CHECK(a.speakers == std::vector<std::string>{"Mark Rutte", "Jan Novak"});
  CHECK(has(a.entities, "Mark Rutte"));
  CHECK_FALSE(has(a.entities, "Rutte"));
}

namespace {

// The speaker of the quotation whose text is exactly `text`; "?" if there is none.
std::string speaker_of(const Article& a, const std::string& text) {
  for (const Quotation& q : a.quotes)
    if (a.body.substr(q.start, q.end - q.start) == text) return q.speaker_kind == SpeakerKind::Person ? q.speaker : "";
  return "?";
}

}  // namespace

TEST_CASE("pronouns: the nearest person of the pronoun's gender named as a subject") {
  // A person introduced in the paragraph before, after another has spoken.
  const Article a = extract(
      "John Smith said the plan was late.\n\n"
      "Maria Garcia, the city's engineer, drives out to the site every week.\n\n"
      "\"The hard part is the money,\" she said.\n\n"
      "\"We will finish it anyway,\" he said.");
  CHECK(speaker_of(a, "The hard part is the money,") == "Maria Garcia");
  CHECK(speaker_of(a, "We will finish it anyway,") == "John Smith");  // "he" passes over Maria
  // Gender from the pronouns after a subject, for names in no first-name list.
  const Article b = extract(
      "Halyna Marchenko has worked on the night trains for twenty years. She knows every station.\n\n"
      "Ihor Bondarenko drives the locomotive. He started in 1997.\n\n"
      "\"There was a woman with two boys and a cat,\" she said.");
  CHECK(speaker_of(b, "There was a woman with two boys and a cat,") == "Halyna Marchenko");
  // A subject after an opening phrase; an object is passed over for the subject.
  const Article c = extract(
      "Back on the gantry, Khalid al-Hinai looked at the sea. He has run the plant since 2015.\n\n"
      "Demand in Muscat rose sharply, according to Paul Green.\n\n"
      "\"We have solved the problem of water,\" he said.");
  CHECK(speaker_of(c, "We have solved the problem of water,") == "Paul Green");  // a speaker is a candidate too
  const Article d = extract(
      "Sen. Patricia Alvarado met Governor Tom Ruiz on Monday.\n\n"
      "\"We need the money this year,\" she said.");
  CHECK(speaker_of(d, "We need the money this year,") == "Patricia Alvarado");
  // An unnamed source in between: the pronoun may be theirs.
  const Article e = extract(
      "Jane Doe opened the meeting. A senior official said the talks had failed.\n\n\"It is over,\" he said.");
  CHECK(speaker_of(e, "It is over,") != "Jane Doe");
  // No one it can mean: the quotation is still kept, of an unnamed speaker.
  const Article f = extract("Sales fell in March.\n\n\"We expect a better April,\" he said.");
  CHECK(speaker_of(f, "We expect a better April,") == "");
  // A people in the plural with a relative clause is no one the pronoun can mean.
  const Article g = extract(
      "Nandini Raval-Mehta, an economist, said incomes rose but that the poorest Agariyas, who lease their plots, "
      "saw less. \"The pump changes the engine,\" she said.");
  CHECK(speaker_of(g, "The pump changes the engine,") == "Nandini Raval-Mehta");
  // A single name whose next attribution is "she said" is a woman; "he said" after a company may be its spokesman.
  const Article h = extract("Kantaben said the couple spent nothing on fuel. \"Last year we went home with money,\" she said.");
  CHECK(speaker_of(h, "Last year we went home with money,") == "Kantaben");
  CHECK(has(h.entities, "Kantaben", EntityType::Person));
  const Article i = extract("Texaco said profits rose in March. \"We are pleased,\" he said.");
  CHECK(i.speakers.empty());
  // A kinship noun gives a gender ("her husband, Tamaz,"); a participle that starts a sentence is no name.
  const Article j = extract(
      "Manana Kvirikashvili makes wine. \"It is a lot of work,\" she said.\n\n"
      "Her husband, Tamaz, who died in 2016, kept a few qvevri. Trained as a chemist in Soviet times, she "
      "worked in a lab.\n\n\"I wanted to control everything,\" she said.");
  CHECK(speaker_of(j, "I wanted to control everything,") == "Manana Kvirikashvili");
  CHECK_FALSE(has(j.entities, "Trained"));
}

TEST_CASE("pronouns: \"they said\" is the group that spoke before") {
  const Article a = extract(
      "Diplomatic sources said the talks had stalled.\n\nThey said the next round would be in May.\n\n"
      "Andrew Bailey and his deputy Sarah Breeden both said rates would stay high. \"The risks have not gone "
      "away,\" they said.");
  int unnamed = 0, bailey = 0, breeden = 0;
  for (const Quotation& q : a.quotes) {
    const std::string text = a.body.substr(q.start, q.end - q.start);
    if (text == "the next round would be in May") unnamed += q.speaker_kind == SpeakerKind::Unnamed;
    if (text == "The risks have not gone away,") {
      bailey += q.speaker == "Andrew Bailey";
      breeden += q.speaker == "Sarah Breeden";
    }
  }
  CHECK(unnamed == 1);
  CHECK(bailey == 1);
  CHECK(breeden == 1);
}

TEST_CASE("pronouns: single names, surnames with particles, post-nominal honours") {
  // A single name the text calls "he" is a person.
  const Article a = extract(
      "Sutrisno, 27, came to the city four years ago. He works as a crane operator.\n\n"
      "\"The money is real,\" he said.");
  CHECK(speaker_of(a, "The money is real,") == "Sutrisno");
  CHECK(has(a.speakers, "Sutrisno"));
  // A place introduced with an apposition is not a person.
  const Article b = extract(
      "Esther Nakiru is the county's water engineer. She grew up in Kakuma, a town to the north, and still "
      "drives out to the camps.\n\n\"The engineering is not the hard part,\" she said.");
  CHECK(speaker_of(b, "The engineering is not the hard part,") == "Esther Nakiru");
  CHECK_FALSE(has(b.speakers, "Kakuma"));
  CHECK(speakers("Joris van Damme has cut stones for forty years. \"The stone does not care,\" Van Damme said.") ==
        std::vector<std::string>{"Joris van Damme"});
  CHECK(speakers("Eleanor Whitcombe KC, for the prosecution, read the messages. \"Those are his words,\" Ms "
                 "Whitcombe said.") == std::vector<std::string>{"Eleanor Whitcombe"});
  CHECK(speakers("Father Mykola Hrebeniuk runs the kitchen. \"We feed everyone,\" he said.") ==
        std::vector<std::string>{"Mykola Hrebeniuk"});
}

TEST_CASE("quotations: interview transcripts, each answer a direct quotation of the interviewee") {
  Article a;
  a.id = "q";
  a.author = "Kemi Adebanjo";
  a.title = "Q&A: Adaeze Okonkwo on films and diesel";
  a.body =
      "Adaeze Okonkwo has produced eleven films in Lagos. Okonkwo spoke to Kemi Adebanjo in her office.\n\n"
      "Q: What has changed most?\n\n"
      "A: The audience. When I started, we sold films on discs.\n\n"
      "Now we sell to streaming services, and that is useful.\n\n"
      "Q: What do you need from the government?\n\n"
      "A: Electricity, first. After that, faster censors.";
  extract_fields(a);
  CHECK(speaker_of(a, "The audience. When I started, we sold films on discs.") == "Adaeze Okonkwo");
  CHECK(speaker_of(a, "Now we sell to streaming services, and that is useful.") == "Adaeze Okonkwo");  // continued
  CHECK(speaker_of(a, "Electricity, first. After that, faster censors.") == "Adaeze Okonkwo");
  CHECK(speaker_of(a, "What has changed most?") == "?");  // the interviewer's
  for (const Quotation& q : a.quotes)
    if (q.cue == "answer") CHECK(q.kind == QuoteKind::Direct);
  CHECK(has(a.speakers, "Adaeze Okonkwo"));

  // Named labels: a surname in capitals or bold, the host's questions left out.
  const std::string body =
      "Nasrin Akter leads the garment workers' union. Tanvir Chowdhury owns four factories.\n\n"
      "**Moderator:** What should the minimum wage be?\n\n"
      "**Akter:** Twenty-three thousand taka. That is not a luxury.\n\n"
      "**Chowdhury:** And I would like to pay it. But the buyers will leave.\n\n"
      "**Moderator:** Is that true?\n\n"
      "AKTER: Every time we ask for a raise, we hear that.";
  const Article b = extract(body);
  CHECK(speaker_of(b, "Twenty-three thousand taka. That is not a luxury.") == "Nasrin Akter");
  CHECK(speaker_of(b, "And I would like to pay it. But the buyers will leave.") == "Tanvir Chowdhury");
  CHECK(speaker_of(b, "Every time we ask for a raise, we hear that.") == "Nasrin Akter");
  CHECK(speaker_of(b, "Is that true?") == "?");

  // Labels that are not turns: no records.
  const Article c = extract("Update: the road is open again.\n\nNote: figures are provisional.\n\nMore later.");
  CHECK(c.quotes.empty());
}

TEST_CASE("entities: organisations named with \"and\" and commas, or set off by an apposition") {
  const Article a = extract(
      "Officials of the Ministry of Water, Sanitation and Irrigation met the Nigerian Film and Video Censors "
      "Board and researchers from King Abdullah University of Science and Technology. Treasury Secretary James "
      "Baker and Federal Reserve Chairman Paul Volcker did not attend.");
  CHECK(has(a.entities, "Ministry of Water, Sanitation and Irrigation", EntityType::Organization));
  // Parts of more than one word, "the" before one; not a name of its own ("CBT", "... Exchange").
  const Article m = extract(
      "The Ministry of Ecology, Environmental Protection and Climate Change met the Department of Climate Change, "
      "Energy, the Environment and Water. The Chicago Board of Trade, CBT, and the London International Financial "
      "Futures Exchange agreed.");
  CHECK(has(m.entities, "Ministry of Ecology, Environmental Protection and Climate Change", EntityType::Organization));
  CHECK(has(m.entities, "Department of Climate Change, Energy, the Environment and Water", EntityType::Organization));
  CHECK(has(m.entities, "London International Financial Futures Exchange", EntityType::Organization));
  CHECK(has(a.entities, "Nigerian Film and Video Censors Board", EntityType::Organization));
  // (The title "King" is cut off the name: "Abdullah University of Science and Technology".)
  CHECK(std::any_of(a.entities.begin(), a.entities.end(), [](const Entity& e) {
    return e.type == EntityType::Organization && e.name.ends_with("University of Science and Technology");
  }));
  CHECK(has(a.entities, "James Baker", EntityType::Person));  // a person before "and" ends the name
  CHECK(has(a.entities, "Federal Reserve", EntityType::Organization));
  CHECK(has(extract("GTE Corp and Eastman Kodak Co reported results.").entities, "GTE Corp"));  // two names
  // Where a person works is an organisation, not a place; a sentence-initial name set off by "which" is one.
  const Article c = extract("Priya Natarajan, an analyst at Hollister Kemp in New York, said margins fell.\n\n"
                            "Tesla, which buys nickel from the region, did not comment.");
  CHECK(has(c.entities, "Hollister Kemp", EntityType::Organization));
  CHECK(has(c.entities, "Tesla", EntityType::Organization));
  // An acronym of the initials, connectors too, and a corporate suffix; plural acronyms are things.
  const Article d = extract("A senior Petroleos de Venezuela (PDVSA) official said output fell. Limits on CFCs, "
                            "and on the CFC used in aerosols, were agreed.");
  CHECK_FALSE(has(d.entities, "PDVSA"));
  CHECK(has(d.entities, "Petroleos de Venezuela"));
  CHECK_FALSE(has(d.entities, "CFCs"));
  CHECK_FALSE(has(d.entities, "CFC"));
  // A heading in capitals before a colon is no name.
  CHECK(extract("21:41 CEST - FULL TIME: the home side win the cup.").entities.empty());
  // An apposition whose head is an organisation word: the name speaks as an organisation.
  const Article b = extract("Ibama, the federal environment agency, said deforestation alerts had fallen. "
                            "Anna Berg, the bank's deputy governor, said rates would rise.");
  CHECK(b.speakers == std::vector<std::string>{"Anna Berg"});
  CHECK(has(b.entities, "Ibama", EntityType::Organization));
  bool ibama_speaks = false;
  for (const Quotation& q : b.quotes)
    ibama_speaks = ibama_speaks || (q.speaker == "Ibama" && q.speaker_kind == SpeakerKind::Organization);
  CHECK(ibama_speaks);
}

TEST_CASE("entities: long organisation names with lists, foreign bodies, research and media words") {
  const Article a = extract(
      "The Ministry of Food, Agriculture and Light Industry said herds were smaller. The Department for "
      "Environment, Food and Rural Affairs said the same, and the Swiss Agency for Development and Cooperation "
      "agreed. Researchers at the Andean Glacier Observatory said the ice was thinning; Aurora Weekly reported "
      "it first. Associacao dos Corticeiros do Sorraia said cork prices fell.");
  check_typed(a, EntityType::Organization,
              {"Ministry of Food, Agriculture and Light Industry", "Department for Environment, Food and Rural Affairs",
               "Swiss Agency for Development and Cooperation", "Andean Glacier Observatory", "Aurora Weekly",
               "Associacao dos Corticeiros do Sorraia"});
  CHECK_FALSE(has(a.entities, "Light Industry"));
  CHECK_FALSE(has(a.entities, "Rural Affairs"));
  // Not a list of places after a ministry: "Ministry of Finance, Poland and Germany".
  const Article b = extract("Officials from the Ministry of Finance, Poland and New Zealand met on Monday.");
  CHECK(has(b.entities, "New Zealand", EntityType::Place));
  CHECK(has(b.entities, "Poland", EntityType::Place));
}

TEST_CASE("entities: a place's own head word outweighs an organisation cue; events stay untyped") {
  const Article a = extract(
      "Esther Nakiru, Turkana County's chief water engineer, said the canal was late. The Santa River, which "
      "drains the range, carried less water. The Financial Services Act took effect in May.");
  CHECK(has(a.entities, "Turkana County", EntityType::Place));
  CHECK(has(a.entities, "Santa River", EntityType::Place));
  CHECK(has(a.entities, "Financial Services Act", EntityType::Other));  // a law, not an organisation
}

TEST_CASE("entities: datelines with a region, sentence-initial prepositions, dates before names") {
  const Article a = extract(
      "RISHTON, Uzbekistan - The glaze is made from ash.\n\nAcross Argentina's capital, commuters walked.\n\n"
      "In February Faye Wilson said the harvest had failed.");
  check_typed(a, EntityType::Place, {"Rishton", "Uzbekistan", "Argentina"});
  CHECK_FALSE(has(a.entities, "Across Argentina"));
  CHECK(has(a.entities, "Faye Wilson", EntityType::Person));
  CHECK(a.speakers == std::vector<std::string>{"Faye Wilson"});
  // "April Ryan said": a month that starts a sentence may be a first name.
  CHECK(has(extract("April Ryan said the hearing was over.").entities, "April Ryan", EntityType::Person));
  // A place in capitals straight before the dash, prose after it; not a
  // table's heading before figures.
  const Article b = extract("KWAMBOKO — Before dawn on a Tuesday the divers pull on their wetsuits.");
  check_typed(b, EntityType::Place, {"Kwamboko"});
  CHECK_FALSE(has(b.entities, "KWAMBOKO"));
  CHECK_FALSE(has(extract("Prices at noon.\n\nTIN GRADE - Quiet 75 tonnes cash 861.00 nil.").entities, "Tin Grade",
                  EntityType::Place));
}

TEST_CASE("speakers: after the verb, a role in lower case (and an employer) before the name") {
  const Article a = extract(
      "\"Prices will rise,\" said company spokesman Ian Marsh. \"No change,\" said Senate Minority leader Robert Dole. "
      "The notes were priced at par, said lead manager Smith Barney, Harris Upham and Co Inc. \"Better value,\" "
      "said Janney Montgomery analyst Louis Marckesano.");
  CHECK(as_set(a.speakers) == std::set<std::string>{"Ian Marsh", "Robert Dole", "Louis Marckesano"});
  check_typed(a, EntityType::Organization, {"Senate"});
  CHECK_FALSE(has(a.entities, "Senate Minority"));
}

TEST_CASE("speakers: a first name and family name are the one longer name with a second family name") {
  const Article a = extract(
      "Tomás Radić Oyarzún has spent most of the past 25 years looking up. Radić, 52, told the Post that the "
      "project could switch off the sky.",
      "Interview: astronomer Tomás Radić on the plant that could dim the sky");
  CHECK(a.speakers == std::vector<std::string>{"Tomás Radić Oyarzún"});
  CHECK_FALSE(has(a.entities, "Tomás Radić"));
}

TEST_CASE("speakers: 'he says' passes over a place named by its head word; 'Coun.' is a title") {
  const Article a = extract(
      "Before dawn in Asankragwa, a cocoa town in Ghana's Western Region, the only light on Kofi Asare Boateng's "
      "farm comes from a torch. He is 63.\n\n\"You look at the leaves, and you know,\" he says.\n\n"
      "Coun. Devon Whitehawk, who represents Point Douglas, said the vote was wrong.");
  CHECK(as_set(a.speakers) == std::set<std::string>{"Kofi Asare Boateng", "Devon Whitehawk"});
  REQUIRE(a.quotes.size() >= 1);
  CHECK(a.quotes[0].speaker == "Kofi Asare Boateng");
}

TEST_CASE("quotations: an attribution set off by commas inside a reported sentence") {
  const std::string body =
      "Growers know two kinds of harvest. This year, Rivo Andrianasolo said, is one of the second kind. Prices "
      "will rise, he said, as demand grows.";
  const Article a = extract(body);
  CHECK(quotation_of(a, body, "This year, Rivo Andrianasolo said, is one of the second kind") != nullptr);
  CHECK(quotation_of(a, body, "Prices will rise") != nullptr);  // "as demand grows" is the reporter's
}

TEST_CASE("speakers: a post-nominal between the name and the verb ('Eleanor Whitcombe KC said')") {
  const Article a = extract("Eleanor Whitcombe KC said the appeal would fail.");
  CHECK(a.speakers == std::vector<std::string>{"Eleanor Whitcombe"});
}

TEST_CASE("speakers: the subject of a sentence that goes on ', saying ...'") {
  const Article a = extract(
      "Agriculture Secretary Richard Lyng spoke on Monday. Over the weekend Lyng had criticised the plan, saying "
      "that it would cost too much. In talks with Ignaz Kiechle, the minister defended the quota, saying it worked.");
  CHECK(a.speakers == std::vector<std::string>{"Richard Lyng"});
}

TEST_CASE("speakers: a person of an organisation speaks, a spokesman for one is unnamed") {
  const Article a = extract(
      "Siobhan Walsh of the Green Party said the motion was fair. Gene Kimmelman of the Consumer Federation of "
      "America, which represents consumer groups, said prices would rise. A spokesman for the National Logistics "
      "Bureau, which stores sugar, said stocks were ample. But supporters of the bank said it had done well.");
  CHECK(as_set(a.speakers) == std::set<std::string>{"Siobhan Walsh", "Gene Kimmelman"});
  std::vector<std::pair<std::string, SpeakerKind>> got;
  for (const Quotation& q : a.quotes) got.emplace_back(q.speaker, q.speaker_kind);
  CHECK(got == std::vector<std::pair<std::string, SpeakerKind>>{{"Siobhan Walsh", SpeakerKind::Person},
                                                                 {"Gene Kimmelman", SpeakerKind::Person},
                                                                 {"", SpeakerKind::Unnamed},
                                                                 {"", SpeakerKind::Unnamed}});
}

TEST_CASE("entities: party labels without a dot, a country before a unit, bank suffixes, landmarks of accords") {
  const Article a = extract(
      "Senator Paul Simon (D-Ill) and Senator Bob Dole (R-Kan) spoke. The U.S. Dlr fell. Citibank NA said "
      "rates rose. Ministers met under the Louvre accord.");
  CHECK(has(a.entities, "Illinois", EntityType::Place));
  CHECK(has(a.entities, "Kansas", EntityType::Place));
  CHECK_FALSE(has(a.entities, "D-Ill"));
  CHECK(has(a.entities, "United States", EntityType::Place));
  CHECK_FALSE(has(a.entities, "U.S. Dlr"));
  CHECK(has(a.entities, "Citibank NA", EntityType::Organization));
  CHECK(has(a.entities, "Louvre", EntityType::Place));
}

TEST_CASE("speakers: job titles before names, Malay and Spanish names") {
  const Article a = extract(
      "Cllr Siobhan Walsh said the motion was fair. Forecaster Kim Ji-woo told a briefing "
      "that rain would continue. Deputy Public Prosecutor Nur Aisyah binte Rahman told the court the evidence "
      "was clear.\n\nThe director, Alejandro Villanueva de la Torre, said the glacier had shrunk. "
      "\"It hid the problem,\" Villanueva said. Teodoro Huaman Ccori said the mine never asked. "
      "\"They say there is enough water,\" Huaman said.");
  CHECK(as_set(a.speakers) == std::set<std::string>{"Siobhan Walsh", "Kim Ji-woo", "Nur Aisyah binte Rahman",
                                                    "Alejandro Villanueva de la Torre", "Teodoro Huaman Ccori"});
  CHECK_FALSE(has(a.entities, "Villanueva"));
  CHECK_FALSE(has(a.entities, "Huaman"));
  CHECK_FALSE(has(a.entities, "Rahman"));
}

TEST_CASE("speakers: who does not speak") {
  // The subject of what an unnamed aide said is not a speaker (issue 12's example).
  CHECK(speakers("President William Ruto launched the scheme. An aide to the president, who asked not to be named "
                 "because he was not authorised to speak, said Ruto would not back down on the project.")
            .empty());
  CHECK(speakers("A spokesman for Valmir Leao, the mayor of Itaituba, said the town supported legal mining.").empty());
  // A name written with "the", or set off once by "which", is an organisation.
  CHECK(speakers("The Securite Civile said two planes would arrive at first light.").empty());
  CHECK(speakers("De Beers, which mines in Botswana, said it would label stones. De Beers also said it had stopped "
                 "making lab-grown jewellery.")
            .empty());
  // But "the Reagan administration" leaves Reagan a person.
  CHECK(speakers("Officials of the Reagan administration met on Monday. President Reagan told reporters he knew "
                 "nothing of it.") == std::vector<std::string>{"Reagan"});
  // An inverted attribution still names its speaker.
  CHECK(speakers("\"Prices will rise,\" said Mark Rutte on Monday.") == std::vector<std::string>{"Mark Rutte"});
}

TEST_CASE("entities: a short company name is an alias of the full one") {
  const Article a = extract("GTE Corp and Eastman Kodak Co reported results. GTE said sales rose; Kodak said they fell.");
  CHECK(has(a.entities, "GTE Corp", EntityType::Organization));
  CHECK(has(a.entities, "Eastman Kodak Co", EntityType::Organization));
  CHECK_FALSE(has(a.entities, "GTE"));
  CHECK_FALSE(has(a.entities, "Kodak"));
}

TEST_CASE("entities: canonical forms, deduplication, exclusions") {
  auto a = extract(
      "The U.S. and the United States of America and the US are one. The UK and Britain too.\n\n"
      "On Wednesday, in March, the European Union met NATO in Brussels. But Germany objected. "
      "Officials from the Securities and Exchange Commission and Procter & Gamble attended. "
      "Smith Barney and Moody's Investors Service Inc were there, as were Lagos-based bankers.");
  const auto names = entity_names(a.entities);
  CHECK(std::count(names.begin(), names.end(), "United States") == 1);
  CHECK(has(a.entities, "Britain"));
  CHECK(has(a.entities, "European Union"));
  CHECK(has(a.entities, "NATO"));
  CHECK(has(a.entities, "Brussels"));
  CHECK(has(a.entities, "Germany"));
  CHECK(has(a.entities, "Securities and Exchange Commission"));
  CHECK(has(a.entities, "Procter & Gamble"));
  CHECK(has(a.entities, "Moody's Investors Service Inc"));
  CHECK(has(a.entities, "Lagos"));
  for (const char* e : {"U.S.", "US", "UK", "Wednesday", "March", "On", "But", "The", "Officials", "Lagos-based"})
    CHECK_MESSAGE(!has(a.entities, e), e);
  CHECK(as_set(a.entities).size() == a.entities.size());
  CHECK(a.speakers.empty());
}

TEST_CASE("entities: datelines and upper-case headlines") {
  auto a = extract("LOS ANGELES, March 2 - Security Pacific Corp said it completed its merger.",
                   "U.S. BANKS AND JAPAN AGREE");
  CHECK(has(a.entities, "Los Angeles"));
  CHECK(has(a.entities, "Security Pacific Corp"));
  CHECK(has(a.entities, "United States"));  // from the upper-case title
  CHECK(has(a.entities, "Japan"));
  CHECK_FALSE(has(a.entities, "LOS ANGELES"));
  CHECK_FALSE(has(a.entities, "BANKS"));
  auto b = extract("GDAŃSK, April 8 - Zofia Nowak was elected mayor.");
  CHECK(has(b.entities, "Gdańsk"));
  // A Title Case headline gives gazetteer names only.
  auto c = extract("The plant opened on Monday.", "Sakuragawa To Expand Kumamoto Chip Plant In Japan");
  CHECK(entity_names(c.entities) == std::vector<std::string>{"Japan"});
}

TEST_CASE("extract: the input wins over extraction") {
  Article a;
  a.body = "John Smith said NATO would meet in Brussels.";
  a.speakers = {"Given Speaker"};
  a.has_speakers = true;
  a.has_entities = true;  // given, and empty
  extract_fields(a);
  CHECK(a.speakers == std::vector<std::string>{"Given Speaker"});
  CHECK(a.entities.empty());

  Article b;
  b.body = "John Smith said NATO would meet in Brussels.";
  b.has_speakers = true;  // given as empty: stays empty
  extract_fields(b);
  CHECK(b.speakers.empty());
  CHECK(has(b.entities, "NATO"));
  CHECK(has(b.entities, "John Smith"));  // entities are still extracted
}

TEST_CASE("extract: a date from the dateline only when it carries a year") {
  CHECK(extract("STAVANGER, March 3, 2025 - Wind farms were auctioned.").date == day("2025-03-03"));
  CHECK(extract("LONDON, 13 November 2024 (Reuters) - Shares fell.").date == day("2024-11-13"));
  CHECK(extract("BRUSSELS, Nov 13 (Reuters) - Ministers met.").date == kNoDate);
  CHECK(extract("OSLO, March 3 - Rates rose.").date == kNoDate);
  CHECK(extract("KERICHO, Kenya, Sept 9 - Tea growers gathered.").date == kNoDate);
  CHECK(extract("No dateline here, 2024 was a year - said someone.").date == kNoDate);
  CHECK(extract("PARIS, Feb 30, 2024 - Impossible day.").date == kNoDate);
  Article a;
  a.date = day("2020-01-01");
  a.body = "STAVANGER, March 3, 2025 - Text.";
  extract_fields(a);
  CHECK(a.date == day("2020-01-01"));  // a given date is kept
}

TEST_CASE("extract: a long text, one article, is read as its parts are") {
  // 3,000 paragraphs of different people: every speaker and organisation is found once, the
  // surnames resolved (the name lookups are tables, not scans of every name per name).
  std::string body;
  size_t part_quotes = 0;
  const char* first[] = {"Anna", "Boris", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas"};
  for (int i = 0; i < 3000; ++i) {
    const std::string surname = "Quelvar" + std::string(1, static_cast<char>('a' + i / 260)) +
                                std::string(1, static_cast<char>('a' + i / 26 % 10)) +
                                std::string(1, static_cast<char>('a' + i % 26));
    const std::string name = std::string(first[i % 10]) + " " + surname;
    const std::string part = name + ", an analyst at Norvik" + std::string(1, static_cast<char>('A' + i % 20)) +
                             " Corp, said prices would rise. \"We expect more from the market,\" " + surname +
                             " said.\n\n";
    if (i < 3) part_quotes = extract(part).quotes.size();
    body += part;
  }
  REQUIRE(part_quotes > 0);
  const Article a = extract(body);
  CHECK(a.speakers.size() == 3000);
  CHECK(a.quotes.size() == 3000 * part_quotes);
  size_t orgs = 0;
  for (const Entity& e : a.entities) orgs += e.type == EntityType::Organization;
  CHECK(orgs == 20);
}

TEST_CASE("extract: deterministic and robust on any text") {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string s(rng() % 3000, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 4 == 0 ? "“”’'\".,-\n A Z a z"[rng() % 17] : rng());
    Article a;
    a.body = s;
    a.title = s.substr(0, s.size() / 10);
    extract_fields(a);
    Article b;
    b.body = s;
    b.title = a.title;
    extract_fields(b);
    CHECK(a.speakers == b.speakers);
    CHECK(a.entities == b.entities);
  }
  // Pathological shapes.
  std::string caps;
  for (int i = 0; i < 5000; ++i) caps += "Word ";
  extract(caps);
  extract(std::string(100000, '"'));
  extract(std::string(50000, '\n'));
  extract("Mr. Mr. Mr. said said, said “ ” ’s ’s of of and & &");
  extract("");
}

TEST_CASE("extract: all of Reuters-21578") {
  if (!dateline::testing::have_shared()) {
    MESSAGE("skipped: ../shared is not available");
    return;
  }
  if (std::getenv("DATELINE_SKIP_REUTERS")) {  // slow under sanitizers
    MESSAGE("skipped: DATELINE_SKIP_REUTERS is set");
    return;
  }
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dateline::testing::shared_dir() / "corpora" / "reuters21578"))
    if (e.path().extension() == ".sgm") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<Article> articles;
  read_articles(files, [&](Article&& a) { articles.push_back(std::move(a)); }, nullptr);
  REQUIRE(articles.size() == 21578);
  auto t0 = std::chrono::steady_clock::now();
  size_t speakers = 0, entities = 0;
  for (Article& a : articles) {
    extract_fields(a);
    speakers += a.speakers.size();
    entities += a.entities.size();
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("Reuters: ", ms, " ms for 21,578 articles; ", speakers, " speakers, ", entities, " entities");
  CHECK(speakers > 3000);
  CHECK(entities > 50000);
  auto find = [&](const char* id) -> const Article& {
    for (const Article& a : articles)
      if (a.id == id) return a;
    FAIL("missing ", id);
    return articles[0];
  };
  const Article& one = find("reuters-1");
  CHECK(has(one.entities, "Salvador"));  // the dateline place
  CHECK(has(one.entities, "Bahia"));
  CHECK(one.date == day("1987-02-26"));  // the reader's date is kept
}

// ---------------------------------------------------------------------------
// Rule families, with the tricky cases (issue: news field extraction)

namespace {

Article extract_at(const std::string& body, const std::string& origin, const std::string& title = "") {
  Article a;
  a.id = std::string(1, 't');
  a.title = title;
  a.body = body;
  a.file = origin;
  extract_fields(a);
  return a;
}

EntityType type_of(const Article& a, const std::string& name) {
  for (const Entity& e : a.entities)
    if (e.name == name) return e.type;
  return static_cast<EntityType>(255);
}

}  // namespace

TEST_CASE("speakers: quotes that span paragraphs") {
  // Newspaper convention: the first paragraph has no closing quote, the next opens again.
  auto a = extract(
      "Anna Berg, the finance minister, spoke at length. \"We will cut spending where it hurts least,\" she "
      "said. \"The budget is tight.\n\n"
      "\"But we will protect schools.\"\n\n"
      "Critics said the plan was vague.");
  CHECK(a.speakers == std::vector<std::string>{"Anna Berg"});
  // A quote that runs on over a paragraph break, attributed after it.
  auto b = extract(
      "“Prices will fall before the summer, and then the real work starts.\n\n"
      "“Nobody should expect miracles,” said Tomas Lind, an economist at Nordbank.");
  CHECK(b.speakers == std::vector<std::string>{"Tomas Lind"});
  // A quote attributed to the last named speaker of the previous paragraph.
  auto c = extract(
      "Pieter van der Berg, chief executive of the terminal, said volumes fell.\n\n"
      "“We expect a recovery by the end of the year,” he said.");
  CHECK(c.speakers == std::vector<std::string>{"Pieter van der Berg"});
}

TEST_CASE("speakers: nested and curly quotes") {
  CHECK(speakers("“He told me ‘never again’, and he meant it,” said Sara Holm, the team captain.") ==
        std::vector<std::string>{"Sara Holm"});
  CHECK(speakers("\"She called it 'a disaster',\" Lars Dahl told reporters.") == std::vector<std::string>{"Lars Dahl"});
  CHECK(speakers("Lars Dahl told reporters: “The word ‘crisis’ is wrong.”") == std::vector<std::string>{"Lars Dahl"});
  // Names inside a quote are not speakers.
  CHECK(speakers("“Maria Costa said that to me once,” recalled no one in particular.").empty());
  CHECK(speakers("\"Ask Olof Berg what he said,\" the sign read.").empty());
}

TEST_CASE("speakers: \"said\" in uses that are not speech") {
  CHECK(speakers("The said agreement expired in May.").empty());
  CHECK(speakers("Shares of the said company rose 3 percent.").empty());
  CHECK(speakers("Much has been said about John Smith's plan.").empty());
  CHECK(speakers("It is said that the harbour is haunted.").empty());
  CHECK(speakers("A spokesman for Clara Voss said the talks were over.").empty());  // the spokesman spoke
  CHECK(speakers("Nothing was said to Peter Olsen before the vote.").empty());
  CHECK(speakers("GenCorp said it would build a plant in Shelbyville.").empty());  // a company
}

TEST_CASE("speakers and entities: names with particles and hyphens") {
  auto a = extract(
      "Pieter van der Berg, chief executive of the port, said volumes fell. Omar bin Rashid, an analyst, said "
      "prices would stay low. Ana de la Cruz, the mayor, said the plan was fair. Jean-Luc Moreau, France's "
      "ambassador, said talks would go on. Kwame Mensah-Boateng, the envoy, said Africa was ready.\n\n"
      "Mr. van der Berg added that costs were rising. Mr. bin Rashid warned that demand was weak.");
  CHECK(as_set(a.speakers) == std::set<std::string>{"Pieter van der Berg", "Omar bin Rashid", "Ana de la Cruz",
                                                    "Jean-Luc Moreau", "Kwame Mensah-Boateng"});
  for (const char* p : {"Pieter van der Berg", "Omar bin Rashid", "Ana de la Cruz", "Jean-Luc Moreau",
                        "Kwame Mensah-Boateng"})
    CHECK_MESSAGE(has(a.entities, p, EntityType::Person), p);
  CHECK_FALSE(has(a.entities, "Berg"));
  CHECK_FALSE(has(a.entities, "Rashid"));
  auto b = extract("Sheikh Ali al-Khalifa al-Sabah, the oil minister, said output was steady. Sheikh Ali denied "
                   "that Kuwait was over-producing.");
  CHECK(b.speakers == std::vector<std::string>{"Ali al-Khalifa al-Sabah"});
  CHECK_FALSE(has(b.entities, "Ali"));
}

TEST_CASE("entities: all-caps headlines give gazetteer names only") {
  auto a = extract("Texas Instruments Inc marketed a new issue of preferred stock. Texas Instruments common closed up.",
                   "UNUSUAL TEXAS INSTRUMENTS <TXN> PREFERRED PRICED");
  CHECK(has(a.entities, "Texas Instruments Inc", EntityType::Organization));
  CHECK_FALSE(has(a.entities, "Texas"));  // the headline's TEXAS begins the company's name
  CHECK_FALSE(has(a.entities, "UNUSUAL"));
  CHECK_FALSE(has(a.entities, "PREFERRED"));
  auto b = extract("The minister spoke on Monday.", "SAUDI ARABIA REITERATES COMMITMENT TO OPEC PACT");
  CHECK(has(b.entities, "Saudi Arabia", EntityType::Place));
  CHECK(has(b.entities, "OPEC", EntityType::Organization));
  CHECK_FALSE(has(b.entities, "REITERATES"));
  CHECK(b.entities.size() == 2);
}

TEST_CASE("entities: possessives") {
  auto a = extract(
      "French President Emmanuel Macron met reporters. Macron's plan was praised, and Norway's finance "
      "ministry agreed. The Employers' Forum and Moody's Investors Service commented; Sakuragawa "
      "Semiconductor said Sakuragawa's chief executive would retire.");
  CHECK(has(a.entities, "Emmanuel Macron", EntityType::Person));
  CHECK_FALSE(has(a.entities, "Macron's"));
  CHECK_FALSE(has(a.entities, "Macron"));
  CHECK(has(a.entities, "Norway", EntityType::Place));
  CHECK(has(a.entities, "Moody's Investors Service", EntityType::Organization));
  CHECK(has(a.entities, "Sakuragawa Semiconductor", EntityType::Organization));
  CHECK_FALSE(has(a.entities, "Sakuragawa"));
}

TEST_CASE("entities: sentence-initial capitals and title words are not entities") {
  auto a = extract(
      "Meanwhile, prices rose. Speaking in Oslo, the minister said rates would hold. Analysts were surprised. "
      "Despite the rise. Inflation stayed low; inflation expectations fell. President Reagan and Secretary of State "
      "George Shultz met Prime "
      "Minister Yasuhiro Nakasone on Wednesday in March.");
  for (const char* e : {"Meanwhile", "Speaking", "Analysts", "Despite", "Inflation", "President", "Secretary",
                        "Secretary of State", "Prime Minister", "Wednesday", "March", "State"})
    CHECK_MESSAGE(!has(a.entities, e), e);
  CHECK(has(a.entities, "Oslo", EntityType::Place));
  CHECK(has(a.entities, "Reagan", EntityType::Person));
  CHECK(has(a.entities, "George Shultz", EntityType::Person));
  CHECK(has(a.entities, "Yasuhiro Nakasone", EntityType::Person));
}

TEST_CASE("entities: typed by evidence, aliases in one canonical form") {
  auto a = extract(
      "The Commodity Futures Trading Commission (CFTC) and General Motors Corp met. The CFTC said GM would "
      "report. Chrysler Corp said Chrysler shares rose. Growers in Mato Grosso and Goias, the port of Brest, "
      "Kyushu island and Prudhoe Bay were named, as were coach Dragan Vukovic and Anna Berg, 54.");
  CHECK(has(a.entities, "Commodity Futures Trading Commission", EntityType::Organization));
  CHECK_FALSE(has(a.entities, "CFTC"));
  CHECK(has(a.entities, "General Motors Corp", EntityType::Organization));
  CHECK_FALSE(has(a.entities, "GM"));
  CHECK(has(a.entities, "Chrysler Corp", EntityType::Organization));
  CHECK_FALSE(has(a.entities, "Chrysler"));
  for (const char* p : {"Mato Grosso", "Goiás", "Brest", "Kyushu", "Prudhoe Bay"})  // Goias: canonical spelling
    CHECK_MESSAGE(type_of(a, p) == EntityType::Place, p);
  CHECK(has(a.entities, "Dragan Vukovic", EntityType::Person));
  CHECK(has(a.entities, "Anna Berg", EntityType::Person));
  // U.S., US, United States and America are one place; UK and Britain another.
  auto b = extract("The U.S. and the United States of America and America agreed, as did the UK and Britain.");
  CHECK(entity_names(b.entities) == std::vector<std::string>{"United States", "Britain"});
  // Accents do not matter to the gazetteer: one canonical spelling.
  auto c = extract("Officials in Gdansk and Sao Paulo met delegates from Gdańsk.");
  CHECK(entity_names(c.entities) == std::vector<std::string>{"Gdańsk", "São Paulo"});
  // A name without evidence for the rules is kept, typed by the tagger
  // (corpus/ner.h) from how it is written and used.
  auto d = extract("The report mentioned Harlan Quist twice.");
  CHECK(type_of(d, "Harlan Quist") == EntityType::Person);
}

TEST_CASE("speakers: a name whose own words and type say organisation or place is no person") {
  // Nothing but its speaking made "Slaney Valley Dairies" a person; its
  // organisation word and its type make it the organisation that speaks.
  const std::string body =
      "Milk prices fell again. \"We cannot go on like this,\" Slaney Valley Dairies said in a statement. "
      "Slaney Valley Dairies said it would cut jobs.";
  const Article a = extract(body);
  CHECK_FALSE(has(a.speakers, "Slaney Valley Dairies"));
  CHECK(type_of(a, "Slaney Valley Dairies") == EntityType::Organization);
  const Quotation* q = quotation_of(a, body, "We cannot go on like this,");
  REQUIRE(q);
  CHECK(q->speaker_kind == SpeakerKind::Organization);
  CHECK(q->speaker == "Slaney Valley Dairies");
  // A person with the same kind of evidence stays one.
  CHECK(speakers("\"We cannot go on,\" Aoife Brennan said. Brennan said the farm would close.") ==
        std::vector<std::string>{"Aoife Brennan"});
}

TEST_CASE("quotations: an organisation's acronym in brackets between its name and the verb") {
  const std::string body =
      "The World Food Programme (WFP) said it had stored food. Electricidade de Mocambique (EDM), the state "
      "power company, said thousands were without power. Growth will slow, the Institut pour le Developpement "
      "des Entreprises (IPDE) said.";
  const Article a = extract(body);
  CHECK(a.speakers.empty());
  const Quotation* wfp = quotation_of(a, body, "it had stored food");
  REQUIRE(wfp);
  CHECK(wfp->speaker_kind == SpeakerKind::Organization);
  CHECK(wfp->speaker == "World Food Programme");
  const Quotation* edm = quotation_of(a, body, "thousands were without power");
  REQUIRE(edm);
  CHECK(edm->speaker_kind == SpeakerKind::Organization);
  CHECK(edm->speaker == "Electricidade de Mocambique");
  CHECK(has(a.entities, "Electricidade de Mocambique", EntityType::Organization));
}

TEST_CASE("speakers: a party in brackets, a stray comma after a state, a party's members") {
  CHECK(speakers("Senator Mary Quill (Democrat) of Vermont said the bill would pass.") ==
        std::vector<std::string>{"Mary Quill"});
  CHECK(speakers("Assistant Leader Tom Brack of Nevada, said he backed the plan.") ==
        std::vector<std::string>{"Tom Brack"});
  CHECK(speakers("Some House Democrats said they would wait.").empty());
  // An affiliation that is no place keeps the person before the title.
  CHECK(speakers("But Anna Perl, Professor of Food Science at Ridgeway University, said the oil was safe.") ==
        std::vector<std::string>{"Anna Perl"});
}

TEST_CASE("speakers: given names before a patronymic, a person of an organisation") {
  // "Dr Nurul Aina" is "Nurul Aina binti Kamarudin", introduced before.
  const Article a = extract(
      "Nurul Aina binti Kamarudin, a hydrologist, has measured the rivers. According to Dr Nurul Aina, the rules "
      "require an erosion plan.");
  CHECK(a.speakers == std::vector<std::string>{"Nurul Aina binti Kamarudin"});
  CHECK_FALSE(has(a.entities, "Nurul Aina"));
  // "Sarah Nguyen-Bell of Murray River Council": a person, then her council.
  const Article b = extract(
      "Two mayors, Sarah Nguyen-Bell of Murray River Council and Colin Abernethy of Edward River Council, were "
      "not consulted. Nguyen-Bell said her council had asked for a study.");
  CHECK(b.speakers == std::vector<std::string>{"Sarah Nguyen-Bell"});
  CHECK(has(b.entities, "Sarah Nguyen-Bell", EntityType::Person));
  CHECK(has(b.entities, "Murray River Council", EntityType::Organization));
  CHECK(has(b.entities, "Colin Abernethy", EntityType::Person));
  // A family name first, two short given names: "Lim" is "Lim Chee Keong"; a
  // particle inside a name: "Kiprono arap Langat".
  CHECK(speakers("Lim Chee Keong runs a farm near Raub. \"The rain comes faster now,\" Lim said.") ==
        std::vector<std::string>{"Lim Chee Keong"});
  CHECK(speakers("Kiprono arap Langat, a farmer, spoke. Langat said the river had dried.") ==
        std::vector<std::string>{"Kiprono arap Langat"});
  // A family name alone is the family member named first, the article's subject.
  const Article f = extract(
      "Mariam Beridze makes clay jars. She learned from her father, Giorgi Beridze, who worked through the war. "
      "\"The clay decides,\" Beridze said.");
  CHECK(f.speakers == std::vector<std::string>{"Mariam Beridze"});
  // Not a company's longer name: "Rank" is not "Rank Film Distributors".
  const Article c = extract("Rank Film Distributors was sold. Rank said profits rose. Film sales fell.");
  CHECK(c.speakers.empty());
}

TEST_CASE("entities: people of companies, nationalities before people, a fixed name after \"The\"") {
  const Article b = extract(
      "Executives of First Boston Inc met Swiss Bank Corp on Monday. Belgian Willy de Clercq, 64, spoke. The Office of the "
      "Comptroller of the Currency said banks were sound.");
  check_typed(b, EntityType::Organization, {"First Boston Inc", "Swiss Bank Corp", "Comptroller of the Currency"});
  CHECK(has(b.entities, "Willy de Clercq", EntityType::Person));
  CHECK_FALSE(has(b.entities, "Currency"));
  // Partners' names with commas and "and Co"; an abbreviated suffix in lower case ends a name.
  const Article c = extract(
      "The auditors, Peat, Marwick, Mitchell and Co, resigned. Profits at Barclays Bank plc rose. The Koether "
      "group said it would bid.");
  CHECK(has(c.entities, "Peat, Marwick, Mitchell and Co", EntityType::Organization));
  CHECK(has(c.entities, "Barclays Bank plc", EntityType::Organization));
  CHECK_FALSE(has(c.entities, "Koether group"));
  // An acronym right after its name, holding its initials in order, is the name ("KUNA");
  // a corporate suffix is not ("Prudential Corp PLC").
  const Article d = extract(
      "The Kuwait News Agency KUNA said output rose. KUNA said exports fell. Prudential Corp PLC bought shares.");
  CHECK(has(d.entities, "Kuwait News Agency", EntityType::Organization));
  CHECK_FALSE(has(d.entities, "KUNA"));
  CHECK(has(d.entities, "Prudential Corp PLC", EntityType::Organization));
  CHECK(dateline::corpus_detail::acronym_of("kuna", "kna"));
  CHECK_FALSE(dateline::corpus_detail::acronym_of("plc", "pc"));
  // A registered suffix ends a company's name before "of" and a place; the same organisation word
  // starting both sides of "and" makes two names.
  const Article q = extract(
      "Chase Manhattan Asia Ltd of Hong Kong lent it with Bank of Taiwan and Bank of Communications. Aluminum Co of "
      "America said profits rose. The Securities and Exchange Commission agreed.");
  check_typed(q, EntityType::Organization,
              {"Chase Manhattan Asia Ltd", "Bank of Taiwan", "Bank of Communications", "Aluminum Co of America",
               "Securities and Exchange Commission"});
  CHECK(has(q.entities, "Hong Kong", EntityType::Place));
  // A headline's word in capitals is a company's longer name in the body, not an acronym; not another body's.
  const Article h = extract(
      "NV Philips Gloeilampenfabrieken and GEC agreed. Philips said it would invest. The Senate Finance Committee met.",
      "PHILIPS AND GEC FORM VENTURE AS SENATE WAITS");
  CHECK(has(h.entities, "NV Philips Gloeilampenfabrieken", EntityType::Organization));
  CHECK_FALSE(has(h.entities, "Philips"));
  CHECK(has(h.entities, "Senate", EntityType::Organization));
  // "X's Y": an organisation's own organisation is a second one; a plural before the apostrophe is the name's own.
  const Article p = extract(
      "Researchers at the University of Tartu's Estonian Marine Institute counted ducks. The Kericho Tea Growers' "
      "Association met. Moody's Investors Service cut the rating.");
  check_typed(p, EntityType::Organization,
              {"University of Tartu", "Estonian Marine Institute", "Kericho Tea Growers' Association",
               "Moody's Investors Service"});
  // A sentence that starts with an organisation word and a name: "Bank of Korea said".
  const Article e = extract("Rates rose. Bank of Korea said it would act. Company Alcoa said nothing.");
  CHECK(has(e.entities, "Bank of Korea", EntityType::Organization));
  CHECK_FALSE(has(e.entities, "Company Alcoa"));
}

TEST_CASE("entities: the article's own publication, where the text names it, is an organisation") {
  Article a;
  a.id = "pub";
  a.source = "The Harbour Lantern (podcast, Quay Media)";
  a.body = "Its director, Joseph Rotich, told The Harbour Lantern that the canal would move. Lantern fish were seen.";
  extract_fields(a);
  CHECK(has(a.entities, "The Harbour Lantern", EntityType::Organization));
  CHECK_FALSE(has(a.entities, "Harbour Lantern"));
  CHECK(has(a.entities, "Joseph Rotich", EntityType::Person));
  // Not named in the text: not an entity; a part of the name is not the name.
  Article b;
  b.id = "pub2";
  b.source = "The Harbour Lantern";
  b.body = "Joseph Rotich said the Harbour would close. Lanterns were lit.";
  extract_fields(b);
  CHECK_FALSE(has(b.entities, "The Harbour Lantern"));
}

TEST_CASE("entities: 'House' alone stays 'House'; a one-word body is the one 'House of ...', 'European ...' named") {
  const Article a = extract("Democrats said the House would vote on the aid package next week.");
  CHECK(has(a.entities, "House", EntityType::Organization));
  CHECK_FALSE(has(a.entities, "House of Representatives"));
  const Article b = extract(
      "In the House of Commons earlier today, Emma Blake told reporters that leaders in the House had decided "
      "to push for a moratorium.");
  CHECK(has(b.entities, "House of Commons", EntityType::Organization));
  CHECK_FALSE(has(b.entities, "House"));
  CHECK_FALSE(has(b.entities, "House of Representatives"));
  // "Parliament" is one; after "the European Parliament", it is that one.
  CHECK(has(extract("Parliament is expected to approve the deal next week.").entities, "Parliament",
            EntityType::Organization));
  const Article c = extract(
      "Anna Nowak, a member of the European Parliament, told us Parliament would insist on a vote. The White "
      "House and the House of Lords were silent.");
  CHECK(has(c.entities, "European Parliament", EntityType::Organization));
  CHECK_FALSE(has(c.entities, "Parliament"));
  check_typed(c, EntityType::Organization, {"White House", "House of Lords"});
  // The Senate is not its committee.
  const Article d = extract(
      "The cut was proposed by Senate Budget Committee chairman Lawton Chiles. The bill may not be considered by "
      "the Senate for another 10 days.");
  check_typed(d, EntityType::Organization, {"Senate Budget Committee", "Senate"});
}

TEST_CASE("entities: a name whose share price moves is a company") {
  const Article a = extract(
      "Interlisted issues led the Toronto market lower. Seagram fell 2-1/8 to 100-3/8, Northern Telecom slid 1-1/2 "
      "to 58-1/2. Base metal stocks turned lower. Falconbridge eased 1/8, Inco slipped 0.25 to 21.50. Imports rose "
      "5.2 pct to 10 billion dlrs. Wheat fell 1/4 as wheat stocks grew.");
  check_typed(a, EntityType::Organization, {"Seagram", "Northern Telecom", "Falconbridge", "Inco"});
  CHECK_FALSE(has(a.entities, "Imports"));
  CHECK_FALSE(has(a.entities, "Wheat"));
}

TEST_CASE("entities: company words of other languages, and heads such as Carriers and Guard, make organisations") {
  const Article a = extract(
      "Traghetti Peloro said the ferries would run. Panificadora del Valle said bread prices would rise. "
      "Ravi Looms said orders had doubled.");
  check_typed(a, EntityType::Organization, {"Traghetti Peloro", "Panificadora del Valle", "Ravi Looms"});
  CHECK(a.speakers.empty());
  const Article b = extract(
      "Halvorsen Bulk Carriers said two ships were delayed. The Swedish Coast Guard said the fog would lift.");
  check_typed(b, EntityType::Organization, {"Halvorsen Bulk Carriers", "Swedish Coast Guard"});
  CHECK(b.speakers.empty());
}

TEST_CASE("speakers: a headline's kicker ('Profile:') is no name for a pronoun to take") {
  const Article a = extract(
      "At six in the morning she walks the tubing lines. \"The sap runs when the nights freeze,\" she said.",
      "Profile: The woman who reads the weather in her maple trees");
  CHECK(a.speakers.empty());
  CHECK(a.entities.empty());
}

TEST_CASE("entities: a first name written with accents starts a person's name the tagger left untyped") {
  const Article a = extract(
      "The rail union said the train's driver, Iñigo Zubiri, had been treated for smoke inhalation. The economist "
      "Álvaro Techera at the Universidad de la República has written that.");
  check_typed(a, EntityType::Person, {"Iñigo Zubiri", "Álvaro Techera"});
}

TEST_CASE("entities: the people of a place, days in the plural, spans of months are no entities") {
  const Article a = extract(
      "Victorians and Aucklanders cheered, as did Parisians in Paris. The market in Lahore opens on Mondays and "
      "Fridays.");
  CHECK(as_set(a.entities) == std::set<std::string>{"Paris", "Lahore"});
  // A figure after the comma is an age ("Sutrisno, 27, came"), not a distance.
  const Article b = extract(
      "The nearest counter is now in Dowra, 14 kilometres away. Later, Sutrisno, 27, came to the counter and said "
      "it was closed.");
  check_typed(b, EntityType::Place, {"Dowra"});
  check_typed(b, EntityType::Person, {"Sutrisno"});
  // Nor a group named by a plural acronym: "Tasmanian MPs", "IBM PCs".
  CHECK(extract("Tasmanian MPs voted on the moratorium, and IBM PCs sold well.").entities.empty());
  // Nor a span of months: "in April-June".
  CHECK(as_set(extract("Sales rose in April-June, and on the Shanghai-Rotterdam route.").entities) ==
        std::set<std::string>{"Shanghai", "Rotterdam"});
}

TEST_CASE("extract: a dateline without a year takes the year from the file name") {
  CHECK(extract_at("BRUSSELS, Nov 13 (Reuters) - Ministers met.", "news/2024-archive.jsonl:7").date ==
        day("2024-11-13"));
  CHECK(extract_at("BRUSSELS, Nov 13 (Reuters) - Ministers met.", "text/2024-11-14-nato.txt").date ==
        day("2024-11-13"));
  // The year nearest to a full date in the name: Dec 31 in a file of 2025-01-02 is 2024.
  CHECK(extract_at("OSLO, Dec 31 - Fireworks.", "2025-01-02-oslo.txt").date == day("2024-12-31"));
  CHECK(extract_at("OSLO, 3 March - Rates rose.", "archive-1987.sgm:12").date == day("1987-03-03"));
  CHECK(extract_at("OSLO, March 3 - Rates rose.", "notes.txt").date == kNoDate);  // no year anywhere
  CHECK(extract_at("No dateline here - none.", "2024.txt").date == kNoDate);
}

TEST_CASE("extract: JSONL entities typed by the gazetteer or given as objects") {
  dateline::testing::TempDir dir;
  fs::path f = dir.path() / "e.jsonl";
  {
    std::FILE* out = std::fopen(f.c_str(), "wb");
    std::fputs(
        R"({"id":"e1","title":"t","body":"b","speakers":["Mark Rutte"],"entities":["NATO","Norway","Mark Rutte","Zylvaria",)"
        R"({"name":"Harmattan Securities","type":"org"},{"name":"Lagos","type":"place"},{"name":"X","type":"other"}]})"
        "\n"
        R"({"id":"e2","title":"t","entities":[{"name":"Y","type":"planet"}]})" "\n"
        R"({"id":"e3","title":"t","entities":[{"type":"org"}]})" "\n",
        out);
    std::fclose(out);
  }
  std::vector<Article> got;
  std::vector<Diagnostic> diags;
  read_articles({f.string()}, [&](Article&& a) { got.push_back(std::move(a)); },
                [&](const Diagnostic& d) { diags.push_back(d); });
  REQUIRE(got.size() == 1);
  const Article& a = got[0];
  CHECK(a.entities == std::vector<Entity>{{"NATO", EntityType::Organization},
                                          {"Norway", EntityType::Place},
                                          {"Mark Rutte", EntityType::Person},  // a given speaker
                                          {"Zylvaria", EntityType::Other},
                                          {"Harmattan Securities", EntityType::Organization},
                                          {"Lagos", EntityType::Place},
                                          {"X", EntityType::Other}});
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].where == f.string() + ":2");
  CHECK(diags[0].message.find("\"type\"") != std::string::npos);
  CHECK(diags[1].where == f.string() + ":3");
}

TEST_CASE("data files: comments, blanks and empty lines skipped, fields trimmed") {
  using namespace dateline::corpus_detail;
  const DataFile f{"test.txt", "# a comment\n\n  said \t\r\nUS | United States | upper  # the country\n   # \nlast"};
  const std::vector<DataEntry> e = data_entries(f);
  REQUIRE(e.size() == 3);
  CHECK(e[0].text == "said");
  CHECK(e[0].line == 3);
  CHECK(e[1].text == "US | United States | upper");
  CHECK(e[1].line == 4);
  CHECK(e[2].text == "last");
  CHECK(e[2].line == 6);
  CHECK(data_fields(e[1].text) == std::vector<std::string_view>{"US", "United States", "upper"});
  CHECK(data_fields("GATT | | upper") == std::vector<std::string_view>{"GATT", "", "upper"});
  CHECK(data_fields("Norway") == std::vector<std::string_view>{"Norway"});
}

TEST_CASE("data files: all compiled in, word lists hold lower-case words, each once") {
  using namespace dateline::corpus_detail;
  size_t word_lists = 0, gazetteer_files = 0;
  for (const DataFile* f : all_data_files()) {
    CAPTURE(f->path);
    const std::vector<DataEntry> entries = data_entries(*f);
    CHECK(!entries.empty());
    if (f->path.starts_with("words/")) {
      ++word_lists;
      std::set<std::string_view> seen;
      for (const DataEntry& e : entries) {
        CAPTURE(e.line);
        CHECK(seen.insert(e.text).second);
        CHECK(std::none_of(e.text.begin(), e.text.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
        CHECK(e.text.find_first_of(" \t|") == std::string_view::npos);
      }
    } else {
      ++gazetteer_files;
      CHECK(f->path.starts_with("gazetteer/"));
    }
  }
  CHECK(word_lists == 45);
  CHECK(gazetteer_files == 8);
  // Each file is read: a word of each list, a name of each gazetteer file.
  CHECK(is_stopword("meanwhile"));
  CHECK(speech_verb("told") == VerbKind::Strong);
  CHECK(speech_verb("warned") == VerbKind::Weak);
  CHECK(is_speech_filler("also"));
  CHECK((word_flags("gmbh") & (kWOrg | kWCorpSuffix)) == (kWOrg | kWCorpSuffix));
  const GazEntry* us = gazetteer_lookup("us", true);
  REQUIRE(us);
  CHECK(us->canonical == "United States");
  CHECK(us->country);
  CHECK(!gazetteer_lookup("us", false));
  REQUIRE(gazetteer_lookup("ill.", false));
  CHECK(gazetteer_lookup("ill.", false)->canonical == "Illinois");
  CHECK(!gazetteer_lookup("gdansk", false)->country);
  CHECK(gazetteer_lookup("philippines", false)->kind == GazKind::Place);  // the place row comes first
  CHECK(gazetteer_lookup("norwegians", false)->kind == GazKind::Nationality);
  CHECK(gazetteer_lookup("gatt", true)->kind == GazKind::Org);
  CHECK(gazetteer_lookup("world athletics", false)->kind == GazKind::Org);  // companies.txt's last row
  CHECK(gazetteer_lookup("sinn fein", false)->canonical == "Sinn Féin");  // looked up accent-folded
  CHECK(gazetteer_phrases().back().canonical == "Comptroller of the Currency");
  // The lists the entity typer reads, and the city list (accents ignored, several words).
  CHECK(is_role_noun("analyst"));
  CHECK(is_role_noun("president"));  // a title word is a role too
  CHECK(is_org_cue_after("shares"));
  CHECK(is_org_cue_before("carmaker"));
  CHECK(is_place_preposition("near"));
  CHECK(is_place_noun("province"));
  CHECK(is_place_head_first("cordillera"));
  CHECK(is_place_head_last("river"));
  CHECK(is_club_word("sporting"));
  CHECK(is_time_preposition("since"));
  CHECK(is_city("rishton"));
  CHECK(is_city("sao jose dos campos"));
  CHECK(is_city("são josé dos campos"));
  CHECK(starts_city("sao"));
  CHECK(!is_city("of"));
  CHECK(!is_city("norway"));  // in the gazetteer proper, so not repeated here
}
