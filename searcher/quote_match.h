// Which stored quotations a quotation query (`quote:`, `said:`) matches: the
// check behind `dateline quotes` and the "quotes" of JSON hits, made on the
// quotation's own text, analysed like the index.
#pragma once

#include <vector>

#include "common/analyzer.h"
#include "common/query.h"
#include "corpus/article.h"

namespace dateline {

// The Within nodes of `q` that a match must satisfy or may (not those under
// a NOT), in query order.
std::vector<const Query*> within_nodes(const Query& q);

// Whether quotation `quote` of `a` matches `within` (a Within node): the
// speaker's name, analysed as a name, has every marker's word ("QS" + word;
// the marker "Q" takes any speaker), and the operand holds among the
// quotation's words (a phrase's words adjacent, NOT words absent).
bool quotation_matches(const Query& within, const Article& a, const Quotation& quote, Analyzer& analyzer);

// The indexes of the quotations of `a` that match one of `nodes`.
std::vector<size_t> matching_quotations(const std::vector<const Query*>& nodes, const Article& a, Analyzer& analyzer);

}  // namespace dateline
