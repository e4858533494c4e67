// The correctness oracle: a Xapian database fed exactly the terms and
// positions dateline indexes (written forms and aliases included) (indexer/document_terms.h), and a translation of
// dateline's analysed Query into a Xapian::Query. Xapian is never part of
// dateline itself; it only checks it.
#pragma once

#include <stdexcept>
#include <xapian.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/query.h"
#include "corpus/article.h"
#include "indexer/document_terms.h"

namespace dateline::testing {

inline constexpr Xapian::valueno kDateSlot = 0;

// Adds one article: same terms, positions shifted by one (Xapian positions
// conventionally start at 1; distances are unchanged), the date as a
// sortable value, and the article id as document data.
inline void xapian_add(Xapian::WritableDatabase& db, const Article& a, Analyzer& analyzer) {
  Xapian::Document doc;
  const DocumentTerms dt = analyze_article(a, analyzer);
  for (const DocumentTerms::Entry& t : dt.terms)
    for (uint32_t i = 0; i < t.freq; ++i) doc.add_posting(std::string(dt.name(t)), dt.positions_of(t)[i] + 1);
  // Written forms, the id and aliases carry no positions (what the index stores).
  for (const DocumentTerms::Entry& w : dt.written) doc.add_term(std::string(dt.name(w)), w.freq);
  for (const std::string& marker : dt.markers) doc.add_term(marker);
  if (a.date != kNoDate) doc.add_value(kDateSlot, Xapian::sortable_serialise(a.date));
  doc.set_data(a.id);
  db.add_document(doc);
}

inline Xapian::Query to_xapian(const Query& q) {
  using XQ = Xapian::Query;
  auto children = [&]() {
    std::vector<XQ> v;
    for (const auto& c : q.children) v.push_back(to_xapian(c));
    return v;
  };
  switch (q.op) {
    case Query::Op::MatchAll: return XQ::MatchAll;
    case Query::Op::MatchNothing: return XQ::MatchNothing;
    case Query::Op::Term: return XQ(q.terms[0]);
    case Query::Op::Prefix: return XQ(XQ::OP_WILDCARD, q.terms[0]);
    case Query::Op::Phrase: return XQ(XQ::OP_PHRASE, q.terms.begin(), q.terms.end(), q.window);
    case Query::Op::Near: return XQ(XQ::OP_NEAR, q.terms.begin(), q.terms.end(), q.window);
    case Query::Op::DateRange:
      return XQ(XQ::OP_VALUE_RANGE, kDateSlot, Xapian::sortable_serialise(q.date_lo),
                Xapian::sortable_serialise(q.date_hi));
    case Query::Op::And: { auto v = children(); return XQ(XQ::OP_AND, v.begin(), v.end()); }
    case Query::Op::Or: { auto v = children(); return XQ(XQ::OP_OR, v.begin(), v.end()); }
    case Query::Op::AndNot: { auto v = children(); return XQ(XQ::OP_AND_NOT, v.begin(), v.end()); }
    case Query::Op::AndMaybe: { auto v = children(); return XQ(XQ::OP_AND_MAYBE, v.begin(), v.end()); }
    case Query::Op::Within:  // Xapian has no spans: tests/quote_search_test.cpp checks these by brute force
      throw std::logic_error("no Xapian form for quote: and said:");
  }
  return XQ::MatchNothing;
}

// Sorted ids of every Xapian document matching `q`. `ids[docid - 1]` is the
// article id of each Xapian document (they were added in order).
inline std::vector<std::string> xapian_ids(const Xapian::Database& db, const Query& q,
                                           const std::vector<std::string>& ids_by_docid) {
  Xapian::Enquire enquire(db);
  enquire.set_query(to_xapian(q));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::MSet mset = enquire.get_mset(0, db.get_doccount() + 1);
  std::vector<std::string> ids;
  for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(ids_by_docid.at(*it - 1));
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace dateline::testing
