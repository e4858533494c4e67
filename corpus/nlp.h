// Internal to corpus/: the light-weight text analysis behind extract_fields().
//
// One pass tokenises the text; capitalised name sequences are then split into
// segments (title runs such as "US Secretary of State" are cut out, gazetteer
// names are canonicalised); speakers and entities are read off the segments.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/date.h"
#include "corpus/article.h"

namespace dateline::corpus_detail {

// ---------------------------------------------------------------------------
// Word lists and the gazetteer (gazetteer.cpp)

enum class GazKind : uint8_t { Place, Org, Nationality };

struct GazEntry {
  std::string_view canonical;  // display form ("United States")
  GazKind kind;
  bool country = false;        // a Place that is a country ("U.S.", "Norway"), not a city or region
};

// Looks up a name by its lower-cased form ("north korea", "u.s"); accents
// and the apostrophe U+2019 do not matter ("gdansk" finds "Gdańsk").
// `surface_upper` tells whether the text was all upper case: short acronym
// entries ("us", "who") only match upper-case text.
const GazEntry* gazetteer_lookup(std::string_view lower, bool surface_upper);
// `lower` without accents, U+2019 as "'", for gazetteer keys ("gdańsk" -> "gdansk").
std::string fold_key(std::string_view lower);
// Every key (lower case, accent-folded) whose canonical form is `canonical`,
// and whether it only matches upper-case text ("us" for "United States").
std::vector<std::pair<std::string, bool>> gazetteer_forms(std::string_view canonical);
// Longest gazetteer entry, in words.
size_t gazetteer_max_words();

// The cities of gazetteer/cities.txt (GeoNames, at least 5,000 people; the
// names the other gazetteer files do not hold), by their lower-cased form,
// accents ignored: weaker evidence than the gazetteer ("Aurora" is also a
// first name), so only the tagger's features and the last typing step use it.
bool is_city(std::string_view lower);
// Whether a city name starts with this lower-cased word ("san" of "San Pedro").
bool starts_city(std::string_view lower);
// Longest city name, in words.
size_t city_max_words();

// Fixed names that contain lower-case words, matched token by token.
struct Phrase {
  std::vector<std::string> words;  // lower-cased tokens
  std::string_view canonical;
};
const std::vector<Phrase>& gazetteer_phrases();

// Word classes, all looked up by ASCII-lower-cased word.
bool is_stopword(std::string_view lower);        // capitalised only at a sentence start
bool is_function_word(std::string_view lower);   // articles, pronouns, prepositions, conjunctions
bool is_month_or_day(std::string_view lower);    // "march", "wed", "sept"
// 1..12 for an English month name, full or abbreviated ("Sept", "MAR", "may"), any case; else 0.
unsigned month_number(std::string_view word);   // dateline_date.cpp
bool is_title_core(std::string_view lower);      // "president", "minister", "mr"
bool is_title_modifier(std::string_view lower);  // "prime", "foreign", "general" (need a core)
bool is_org_word(std::string_view lower);        // "ministry", "bank", "corp"
bool is_corporate_suffix(std::string_view lower);  // "co", "inc", "corp", "ltd", "service"
bool is_name_connector(std::string_view lower);  // "of", "de", "van", "bin"
bool is_not_entity(std::string_view lower);      // capitalised adjectives: "transatlantic"
bool is_event_word(std::string_view lower);      // "cup", "treaty", "summit": events, documents
bool is_direction(std::string_view lower);       // "northern", "south": before a place
bool is_unnamed_source(std::string_view lower);  // "officials", "analysts", "sources"
bool is_source_group(std::string_view lower);    // "negotiators", "exporters": speak unnamed
bool is_speaking_org_noun(std::string_view lower);  // "company" in "the company said"
bool is_first_name(std::string_view lower);      // "angela", "peter": common first names (a tagger feature)
enum class Gender : uint8_t { Unknown, Female, Male };
// The gender of a first name found in only one of the two lists ("angela":
// Female); Unknown for a name in both ("jordan") or in neither.
Gender first_name_gender(std::string_view lower);
Gender title_gender(std::string_view lower);        // "ms": Female, "mr": Male
// The entity typer's word lists (corpus/data/words/, README.md there):
bool is_role_noun(std::string_view lower);          // "analyst", "coach", and the title words
bool is_org_cue_after(std::string_view lower);      // "shares" in "Sakuragawa shares"
bool is_stock_move(std::string_view lower);         // "fell" in "Seagram fell 2-1/8"
bool is_org_cue_before(std::string_view lower);     // "carmaker" in "carmaker Zorva"
bool is_place_preposition(std::string_view lower);  // "near" in "near Kumamoto"
bool is_place_noun(std::string_view lower);         // "island" in "Kyushu island"
bool is_place_head_first(std::string_view lower);   // "lake" in "Lake Turkana"
bool is_place_head_last(std::string_view lower);    // "river" in "Santa River"
bool is_club_word(std::string_view lower);          // "sporting" in "Sporting Lisbon"
bool is_time_preposition(std::string_view lower);   // "in" of "In February Faye Wilson said"
bool is_place_head_of(std::string_view lower);      // "bay" of "Bay of Biscay": a place name with "of"
bool is_object_preposition(std::string_view lower); // "for" of "a spokesman for Yeutter said"
bool is_apposition_start(std::string_view lower);   // "the", "former" after "Name," (an apposition)
bool is_number_word(std::string_view lower);        // "three", "third"
bool is_clause_opener(std::string_view lower);      // "but" of "But Smith said"
bool is_phrase_opener(std::string_view lower);      // "in" of "In Muscat, X said"
bool is_location_preposition(std::string_view lower);  // "in" of "grew up in Kakuma, a town"
bool is_after_speaker(std::string_view lower);      // "on" of "said Smith on Monday": no clause of his
bool is_place_first_name(std::string_view lower);   // "jordan" of "Jordan Peterson": a place and a first name
bool is_org_adjective(std::string_view lower);      // "international": an organisation word, no apposition's head
bool is_registered_suffix(std::string_view lower);  // "ltd", "inc": a company name ends with it before "of"
bool is_post_nominal(std::string_view lower);       // "kc", "mp": honours after a name
bool is_cue_lemma(std::string_view lower);       // "warn", "admit": base forms of attribution verbs

// All the word classes of a lower-cased word at once (one lookup; the
// tokenizer stores them in Tok::flags). kWGazFirst: the first word of a
// gazetteer name (accent-folded), kWPhraseFirst: of a fixed phrase.
enum WordFlag : uint32_t {
  kWStop = 1u << 0, kWFunction = 1u << 1, kWMonthDay = 1u << 2, kWTitleCore = 1u << 3, kWTitleMod = 1u << 4,
  kWOrg = 1u << 5, kWCorpSuffix = 1u << 6, kWConnector = 1u << 7, kWNotEntity = 1u << 8, kWUnnamed = 1u << 9,
  kWSpeechStrong = 1u << 10, kWSpeechWeak = 1u << 11, kWInversion = 1u << 12, kWFiller = 1u << 13,
  kWEvent = 1u << 14, kWDirection = 1u << 15, kWGazFirst = 1u << 16, kWPhraseFirst = 1u << 17,
};
uint32_t word_flags(std::string_view lower);
// The same, for a word whose word_hash() is known.
uint32_t word_flags(std::string_view lower, uint64_t hash);

// 64-bit FNV-1a of a word, never 0.
inline uint64_t word_hash(std::string_view w) {
  uint64_t h = 1469598103934665603ull;
  for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h | 1;
}

// Speech verbs. Strong ones ("said", "told") attribute on their own; weak
// ones ("warned", "stated") need "that", a colon or a quote after them.
enum class VerbKind : uint8_t { None, Strong, Weak };
VerbKind speech_verb(std::string_view lower);
// Verbs that may come before the speaker: "..., said Mark Rutte".
bool is_inversion_verb(std::string_view lower);
// Words that may stand between a speaker and the verb: "has", "also", "later".
bool is_speech_filler(std::string_view lower);

// ---------------------------------------------------------------------------
// Tokens (tokenizer.cpp)

enum class TokKind : uint8_t {
  Word,        // letters/digits, with inner hyphens and apostrophes ("Indo-Pacific", "O'Neill")
  Number,      // starts with a digit
  Punct,       // `punct` holds the ASCII character ('-' for dashes)
  OpenQuote,
  CloseQuote,
  Possessive,  // "'s" / "’s" split off a word
  Break,       // paragraph break
};

struct Tok {
  uint32_t begin = 0, end = 0;  // byte range of the word (without an abbreviation dot)
  TokKind kind = TokKind::Punct;
  char punct = 0;
  bool cap = false;         // starts with an upper-case letter
  bool upper = false;       // every letter upper case, at least two letters
  bool abbrev = false;      // followed by its own '.': "Mr.", "U.S.", "J."
  bool sent_start = false;  // first word of a sentence
  bool in_quote = false;
  uint32_t flags = 0;       // word_flags(lower), words only
  uint64_t hash = 0;        // word_hash(lower), words only
  std::string lower;        // ASCII-lower-cased text (words only)
};

// Token t is the punctuation mark c.
inline bool is_punct(const Tok& t, char c) { return t.kind == TokKind::Punct && t.punct == c; }
// A word written in lower case.
inline bool is_lower_word(const Tok& t) { return t.kind == TokKind::Word && !t.cap && !t.upper; }

// Splits `text` into tokens. Never throws; invalid UTF-8 bytes are skipped.
void tokenize(std::string_view text, std::vector<Tok>& out);

// True if most letters of `text` are upper case (a headline or a telex table).
bool is_shouting(std::string_view text);

// ---------------------------------------------------------------------------
// Name sequences and segments (names.cpp)

enum class SegKind : uint8_t {
  Name,     // an unclassified capitalised name: a person, company, place...
  Place,    // gazetteer place
  Org,      // gazetteer organisation, acronym, or contains an org word
};

struct Segment {
  uint32_t first = 0, last = 0;  // token range, inclusive
  SegKind kind = SegKind::Name;
  bool after_title = false;      // directly follows a title run ("President X")
  bool weak = false;             // an unknown capitalised word at a sentence start
  bool shout = false;            // found in upper-case or Title Case text (a headline)
  uint32_t words = 0;            // number of name words (connectors excluded)
  std::string text;              // display form (canonical for gazetteer names)
  std::string place;             // a place the name starts with ("U.S. Treasury" -> "United States")
};

// Lookups over a document's segments, made once by analyze() so that
// resolving a name costs the same in a long text as in a short one.
struct NameIndex {
  // Name segments (indexes, ascending) by the lower-cased last word of their
  // text, and of its head before " of " ("Thom Brown of Butcher" under "brown").
  std::unordered_map<std::string, std::vector<int32_t>> by_last_word;
  // Name segments by their first token (lower case).
  std::unordered_map<std::string, std::vector<int32_t>> by_first_word;
  // Name segments of four words or more by each capitalised inner token.
  std::unordered_map<std::string, std::vector<int32_t>> by_inner_word;
  // Every text that an organisation segment's text starts with, up to a space.
  std::unordered_set<std::string> org_prefixes;
};

// `acr` (lower case) is the acronym of a name with these initials (lower
// case, one per capitalised word): the initials themselves, or, for three
// initials or more, letters that start with the first and hold the rest in
// order ("kuna" of "kna", Kuwait News Agency; not "plc" of "Prudential Corp").
inline bool acronym_of(std::string_view acr, std::string_view initials) {
  if (acr == initials) return true;
  if (acr.size() < 3 || initials.size() < 3 || acr.size() > initials.size() + 2 || acr[0] != initials[0])
    return false;
  size_t k = 0;
  for (char c : acr)
    if (k < initials.size() && c == initials[k]) ++k;
  return k == initials.size();
}

// A set of words by their hashes (Tok::hash, word_hash()): open addressing.
struct WordBag {
  std::vector<uint64_t> slots = std::vector<uint64_t>(256, 0);
  size_t used = 0;
  void insert(const Tok& t) {
    if ((used + 1) * 2 > slots.size()) grow();
    const uint64_t h = t.hash;
    for (size_t k = h & (slots.size() - 1);; k = (k + 1) & (slots.size() - 1)) {
      if (slots[k] == h) return;
      if (slots[k] == 0) {
        slots[k] = h;
        ++used;
        return;
      }
    }
  }
  void grow() {
    std::vector<uint64_t> old(slots.size() * 2, 0);
    old.swap(slots);
    for (uint64_t h : old)
      if (h)
        for (size_t k = h & (slots.size() - 1);; k = (k + 1) & (slots.size() - 1))
          if (slots[k] == 0) {
            slots[k] = h;
            break;
          }
  }
  void seal() {}
  size_t count(std::string_view w) const { return count_hash(word_hash(w)); }
  size_t count(const Tok& t) const { return count_hash(t.hash); }
  size_t count_hash(uint64_t h) const {
    for (size_t k = h & (slots.size() - 1);; k = (k + 1) & (slots.size() - 1)) {
      if (slots[k] == h) return 1;
      if (slots[k] == 0) return 0;
    }
  }
};

struct Doc {
  std::string_view text;
  std::vector<Tok> toks;
  WordBag lower_words;  // the words written in lower case somewhere in the text
  std::vector<Segment> segs;
  // For each token: the index of the (last) segment containing it, or -1.
  std::vector<int32_t> seg_of_tok;
  NameIndex names;  // made by analyze()
};

// Tokenises and segments `text`. With `headline`, the first paragraph is a
// title: written in Title Case it is matched against the gazetteer only (as
// upper-case text always is).
void analyze(std::string_view text, Doc& doc, bool headline = false);

// True if most longer words of `text` are capitalised ("Sakuragawa To Expand Chip Plant").
bool is_title_case(std::string_view text);

// Index of the full name that a short mention ("Rutte", "Mr. Rutte") refers
// to: the nearest earlier multi-word Name segment ending in the same word,
// else the first later one. -1 if none.
int32_t resolve_surname(const Doc& doc, const Segment& seg);

// True if the segment may name a person (a Name, not a stopword etc.).
bool person_like(const Doc& doc, const Segment& seg);
// An apposition after the name makes it an organisation: "X, the federal
// agency, said", "X, the French company that ...", "X, which mines ...".
bool org_apposition(const Doc& doc, const Segment& seg);
// "Seagram fell 2-1/8 to 100-3/8": a share-price verb and a figure right
// after the name (words/stock-moves.txt), so it is a listed company.
bool share_price_moves(const Doc& doc, const Segment& seg);
// What makes a weak name (an unknown capitalised word starting a sentence)
// an organisation all the same: org_apposition() or share_price_moves().
inline bool weak_org_sign(const Doc& doc, const Segment& seg) {
  return org_apposition(doc, seg) || share_price_moves(doc, seg);
}

// ---------------------------------------------------------------------------
// Extractors

// An attribution of speech: its verb token ("said", "according"), the token
// range of the speaker and the verb together, and who speaks.
struct Attribution {
  uint32_t verb = 0;
  uint32_t first = 0, last = 0;
  SpeakerKind kind = SpeakerKind::Person;
  std::string speaker;  // canonical; "" for an unnamed source
};

// The people quoted, each once; with `attributions`, also every attribution
// (people, organisations, unnamed sources) in the order found.
void find_speakers(const Doc& doc, std::vector<std::string>& out,
                   std::vector<Attribution>* attributions = nullptr);  // speakers.cpp
// Who "he" or "she" at a token is (pronouns.cpp): the people the text names
// outside quotations, the gender it gives each (titles, first names, the
// pronouns after their mentions), and the nearest one a pronoun can mean.
class PronounResolver {
 public:
  explicit PronounResolver(const Doc& doc);
  // The segment naming the person that "he"/"she" at token v refers to: the
  // nearest person of its gender (or of unknown gender) named as a subject,
  // or as a speaker in `speakers` ((segment, token) of each attribution), in
  // its paragraph or the three before; else the last such speaker; else the
  // nearest such name. -1 if none, or if an unnamed source speaks between
  // that name and the pronoun ("A senior official said ... he said").
  int32_t antecedent(size_t v, const std::vector<std::pair<int32_t, size_t>>& speakers) const;
  // Female, Male or Unknown, for a person's full name.
  Gender gender_of(const std::string& person) const;
  // The gender of the pronoun of the next attribution after the name of
  // segment `s` ("Kantaben said ... \"...,\" she said"), in the rest of its
  // sentence or the next, in its paragraph, with no other name between;
  // Unknown if none.
  Gender next_attribution_gender(int32_t s) const;

 private:
  struct Mention {
    int32_t segment;
    std::string person;  // the full name
    bool subject;
    bool weak;           // a lone word that starts its sentence ("Eyskens said", "World trade")
  };
  const std::string& person_key(int32_t segment) const;  // full_name(), computed once
  std::string full_name(int32_t segment) const;
  Gender pronoun_after(size_t last, size_t stop) const;
  bool subject(const Segment& seg) const;
  bool introduced(const Segment& seg) const;
  bool unnamed_between(size_t from, size_t v) const;

  const Doc& doc_;
  const std::vector<Tok>& toks_;
  std::vector<uint32_t> para_;     // paragraph number of each token
  std::vector<Mention> mentions_;  // in text order
  std::map<std::string, Gender> genders_;
  mutable std::map<int32_t, std::string> keys_;  // person_key() by segment
};

// The quotations of the text from byte `body_from` on (the body after a
// title), offsets made relative to it, in body order.
void find_quotations(const Doc& doc, const std::vector<Attribution>& attributions, uint32_t body_from,
                     std::vector<Quotation>& out);  // quotations.cpp
// An interview transcript's answers ("A: ...", "**Jane Doe:** ...", "DOE: ..."
// and the unlabelled paragraphs that continue them): direct quotations of
// the interviewee with the cue "answer", offsets relative to `body_from`;
// their speakers join `speakers`. Nothing unless the text has turns (three
// labelled paragraphs, two speakers). `author`: the byline, who asks.
void find_transcript_quotations(const Doc& doc, uint32_t body_from, std::string_view author,
                                const std::vector<Attribution>& attributions, std::vector<std::string>& speakers,
                                std::vector<Quotation>& out);  // transcripts.cpp
// Entities in order of first mention, each once under its canonical form;
// `speakers` (already found) are people. With `aliases`, also every other
// name of an entity that its canonical name's words do not contain
// ("CFTC" for "Commodity Futures Trading Commission"), each once. With
// `unsure`, a speaker that nothing but its speaking makes a person (no
// title, role, age, pronoun...: "Nimbus Data Parks said") is typed like any
// other name, and its name appended to `unsure`, for the caller to decide.
void find_entities(const Doc& doc, const std::vector<std::string>& speakers, std::vector<Entity>& out,
                   std::vector<NameAlias>* aliases = nullptr,
                   std::vector<std::string>* unsure = nullptr);  // entities.cpp
// Types the entities the rules left as Other by the NER tagger's reading of
// the text (corpus/ner.h; entity_typing.cpp): the type its mentions get most.
void type_by_tagger(const Doc& doc, std::vector<Entity>& entities);
// What is known about an article's date besides its text: a year, and maybe a
// day, from the file name ("news-2024.jsonl", "2024-11-13-cable.txt").
struct DateContext {
  int year = 0;            // 0: unknown
  DayNumber day = kNoDate;
};
DateContext date_context_of(std::string_view origin);                  // dateline_date.cpp
std::optional<DayNumber> date_from_dateline(std::string_view body, const DateContext& context = {});

}  // namespace dateline::corpus_detail
