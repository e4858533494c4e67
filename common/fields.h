// Field naming shared by the indexer, the searcher and the Xapian oracle.
//
// Every indexed term is a field prefix followed by an analysed token. The
// prefixes are upper-case ASCII; analysed tokens are case-folded, so a prefix
// can never be confused with the start of a token (the Xapian convention).
#pragma once

#include <string>
#include <string_view>

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

// Positions between two values of a multi-valued field (title vs body, one
// speaker vs the next) jump by this gap, so phrases do not match across them.
inline constexpr unsigned kPositionGap = 100;

// Tokens longer than this (in bytes, after case folding) are not indexed.
inline constexpr size_t kMaxTokenBytes = 64;

}  // namespace dateline
