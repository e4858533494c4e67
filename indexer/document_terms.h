// Turning an article into indexed terms with positions, per field.
//
// This is the single definition of what gets indexed; the Xapian oracle in the
// tests feeds Xapian from the same function so both see identical terms.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/analyzer.h"
#include "corpus/article.h"

namespace dateline {

// A written-form term (common/fields.h: "W" + field prefix + folded word) and
// how often the article writes it.
struct WrittenForm {
  std::string term;
  uint32_t freq = 0;
  uint32_t stem = 0;  // index in DocumentTerms::terms of the stemmed term it indexes as
};

struct DocumentTerms {
  // (term, ascending positions) for every distinct term, in no particular order.
  std::vector<std::pair<std::string, std::vector<uint32_t>>> terms;
  // With a stemmer: every distinct written form of the title and body words.
  std::vector<WrittenForm> written;
  // Terms without positions, frequency 1: the article's id term, then its
  // alias terms (common/fields.h), each once.
  std::vector<std::string> markers;
  uint32_t text_length = 0;  // number of title + body tokens (the BM25 length)
};

// Analyses title and body (stemmed, unprefixed: the Text field; title also
// T-prefixed; with a stemmer, their written forms W- and WT-prefixed),
// speakers (S-prefixed) and entities (E-prefixed, and typed ones also P-, O-
// or L-prefixed for people, organisations, places; names are not stemmed),
// the article's id and its name aliases. Body positions start kPositionGap after the
// last title position; consecutive values of a name field are kPositionGap apart.
DocumentTerms analyze_article(const Article& article, Analyzer& analyzer);

// The alias term of `a` (common/fields.h), or "" when the alias analyses to
// no token. Shared with the searcher, which parses these terms back.
std::string alias_term(const NameAlias& a, Analyzer& analyzer);

// The type letter of alias terms: P, O, L, or E for Other.
char alias_type_letter(EntityType t);

}  // namespace dateline
