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
  Entity,   // named entities (people, organisations, places)
};

// Returns the term prefix for a field ("" for Text).
constexpr std::string_view field_prefix(Field f) {
  switch (f) {
    case Field::Text: return "";
    case Field::Title: return "T";
    case Field::Speaker: return "S";
    case Field::Entity: return "E";
  }
  return "";
}

// Builds the indexed term for `token` in field `f`.
inline std::string field_term(Field f, std::string_view token) {
  std::string t(field_prefix(f));
  t.append(token);
  return t;
}

// Positions between two values of a multi-valued field (title vs body, one
// speaker vs the next) jump by this gap, so phrases do not match across them.
inline constexpr unsigned kPositionGap = 100;

// Tokens longer than this (in bytes, after case folding) are not indexed.
inline constexpr size_t kMaxTokenBytes = 64;

}  // namespace dateline
