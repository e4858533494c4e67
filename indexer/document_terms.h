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

struct DocumentTerms {
  // (term, ascending positions) for every distinct term, in no particular order.
  std::vector<std::pair<std::string, std::vector<uint32_t>>> terms;
  uint32_t text_length = 0;  // number of title + body tokens (the BM25 length)
};

// Analyses title and body (stemmed, unprefixed: the Text field; title also
// T-prefixed), speakers (S-prefixed) and entities (E-prefixed, and typed ones
// also P-, O- or L-prefixed for people, organisations, places; names are not
// stemmed). Body positions start kPositionGap after the last title position;
// consecutive values of a name field are kPositionGap apart.
DocumentTerms analyze_article(const Article& article, Analyzer& analyzer);

}  // namespace dateline
