// Field naming shared by the indexer, the searcher and the Xapian oracle.
//
// Every indexed term is a field prefix followed by an analysed token. The
// prefixes are upper-case ASCII; analysed tokens are case-folded, so a prefix
// can never be confused with the start of a token (the Xapian convention).
#pragma once

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

enum class Field : unsigned char {
  Text,     // title + body, the default search field (no prefix)
  Title,    // title only
  Speaker,  // names of quoted speakers
  Entity,   // named entities of every type (people, organisations, places, other)
  Person,        // entities typed as people (also indexed under Entity)
  Organization,  // entities typed as organisations (also under Entity)
  Place,         // entities typed as places (also under Entity)
  Id,            // the article's id, as given, not analysed: one term per article
};

// Returns the term prefix for a field ("" for Text).
constexpr std::string_view field_prefix(Field f) {
  switch (f) {
    case Field::Text: return "";
    case Field::Title: return "T";
    case Field::Speaker: return "S";
    case Field::Entity: return "E";
    case Field::Person: return "P";
    case Field::Organization: return "O";
    case Field::Place: return "L";
    case Field::Id: return "I";
  }
  return "";
}

// Builds the indexed term for `token` in field `f`.
inline std::string field_term(Field f, std::string_view token) {
  std::string t(field_prefix(f));
  t.append(token);
  return t;
}

// The term of an article's id ("I" + the id's bytes): no positions, one per
// article; replacing and deleting by id look it up.
inline std::string id_term(std::string_view id) { return field_term(Field::Id, id); }

// True for the fields whose tokens are stemmed (title and body).
constexpr bool is_stemmed_field(Field f) { return f == Field::Text || f == Field::Title; }

// Written forms. With a stemmer, the title and body words are also indexed
// unstemmed, as written (after case and accent folding), under "W" followed
// by the field's prefix: "Wministers", "WTministers". Prefix queries match
// these, so `minister*` finds "ministers" and "ministerial" although their
// stems are "minist" and "ministeri". They carry document frequencies but no
// positions. Name fields are never stemmed: their terms are their written forms.
inline constexpr std::string_view kWrittenPrefix = "W";
inline std::string written_term(Field f, std::string_view token) {
  std::string t(kWrittenPrefix);
  t.append(field_prefix(f));
  t.append(token);
  return t;
}

// Learned name aliases: "A", the type letter of the canonical name (P person,
// O organisation, L place, E other), the alias's folded tokens joined by ' ',
// the byte 0x1F, then the canonical name as the extractor wrote it:
// "AOcftc\x1fCommodity Futures Trading Commission". One per article in which
// the extractor resolved the alias to the name; no positions. Queries on
// name fields use them to resolve aliases (searcher/name_aliases.h).
inline constexpr std::string_view kAliasPrefix = "A";
inline constexpr char kAliasSeparator = '\x1f';

// Quotations (format 9): marker terms whose positions are the token spans
// of the article's quotations in the body, each span [first, last] stored as
// two positions, 2*first and 2*last+1 (so spans that touch stay apart).
// "Q" spans every quotation (overlapping ones merged); "QS" + a folded word
// of the speaker's name ("QSblinken") spans that speaker's quotations. Not
// scored, not counted in lengths; `quote:` and `said:` queries read them.
inline constexpr std::string_view kQuoteMarker = "Q";
inline std::string quote_speaker_marker(std::string_view token) {
  std::string t("QS");
  t.append(token);
  return t;
}

// Name pairs (format 11): every two consecutive tokens of one value of a
// name field (speaker, entity, person, org, place) as one term without
// positions: "N", the field's prefix, the two tokens joined by a space
// ("NEunited states", "NSsigrid wojcik"). An exact two-word phrase on a name
// field matches an article exactly when its pair term does (positions are
// consecutive only inside one value), so it is counted and matched without
// positions; a longer one has its pairs as a cheap approximation that
// positions then check (searcher/query/query_weight.cpp).
inline constexpr std::string_view kNamePairPrefix = "N";
inline constexpr Field kNameFields[] = {Field::Speaker, Field::Entity, Field::Person, Field::Organization,
                                        Field::Place};
constexpr bool is_name_field(Field f) {
  return std::find(std::begin(kNameFields), std::end(kNameFields), f) != std::end(kNameFields);
}
// `first` and `second`: consecutive tokens of one value of name field `f`.
inline std::string name_pair_term(Field f, std::string_view first, std::string_view second) {
  std::string t(kNamePairPrefix);
  t.append(field_prefix(f)).append(first).push_back(' ');
  t.append(second);
  return t;
}
// The name pairs of a phrase given as its field-prefixed terms ("Eunited",
// "Estates": "NEunited states"), in order; none unless it has two terms or
// more, all of one name field.
inline std::vector<std::string> phrase_name_pairs(const std::vector<std::string>& terms) {
  if (terms.size() < 2 || terms[0].empty()) return {};
  const Field* field = std::find_if(std::begin(kNameFields), std::end(kNameFields),
                                    [&](Field f) { return field_prefix(f)[0] == terms[0][0]; });
  if (field == std::end(kNameFields)) return {};
  for (const std::string& t : terms)  // a folded token never starts with an upper-case ASCII letter
    if (t.size() < 2 || t[0] != terms[0][0] || (t[1] >= 'A' && t[1] <= 'Z')) return {};
  std::vector<std::string> pairs;
  for (size_t i = 1; i < terms.size(); ++i)
    pairs.push_back(name_pair_term(*field, std::string_view(terms[i - 1]).substr(1), std::string_view(terms[i]).substr(1)));
  return pairs;
}

// True for the terms whose postings have positions: not written forms, id,
// alias or name-pair terms.
inline bool term_has_positions(std::string_view term) {
  return !term.empty() && !term.starts_with(kWrittenPrefix) && !term.starts_with(field_prefix(Field::Id)) &&
         !term.starts_with(kAliasPrefix) && !term.starts_with(kNamePairPrefix);
}

// Positions between two values of a multi-valued field (title vs body, one
// speaker vs the next) jump by this gap, so phrases do not match across them.
inline constexpr unsigned kPositionGap = 100;

// Tokens longer than this (in bytes, after case folding) are not indexed.
inline constexpr size_t kMaxTokenBytes = 64;

}  // namespace dateline
