#include "searcher/quote_match.h"

#include <algorithm>
#include <string>

#include "common/fields.h"
#include "searcher/query/span_node.h"

namespace dateline {

namespace {

void collect_within(const Query& q, std::vector<const Query*>& out) {
  if (q.op == Query::Op::Within) {
    out.push_back(&q);
    return;
  }
  if (q.op == Query::Op::AndNot) {
    if (!q.children.empty()) collect_within(q.children[0], out);
    return;
  }
  for (const Query& c : q.children) collect_within(c, out);
}

bool speaker_has_markers(const Query& within, const Quotation& quote, Analyzer& analyzer) {
  std::vector<Token> name;
  for (const std::string& m : within.terms) {
    if (m == kQuoteMarker) continue;
    if (name.empty()) analyzer.analyze(quote.speaker, false, name);
    if (std::none_of(name.begin(), name.end(), [&](const Token& t) { return quote_speaker_marker(t.term) == m; }))
      return false;
  }
  return true;
}

}  // namespace

std::vector<const Query*> within_nodes(const Query& q) {
  std::vector<const Query*> out;
  collect_within(q, out);
  return out;
}

bool quotation_matches(const Query& within, const Article& a, const Quotation& quote, Analyzer& analyzer) {
  if (quote.end > a.body.size() || quote.start >= quote.end) return false;
  if (!speaker_has_markers(within, quote, analyzer)) return false;
  std::vector<std::string> words;
  const SpanNode tree = span_tree(within, words);
  std::vector<Token> tokens;
  analyzer.analyze(std::string_view(a.body).substr(quote.start, quote.end - quote.start), false, tokens);
  std::vector<std::vector<uint32_t>> at(words.size());
  for (uint32_t i = 0; i < tokens.size(); ++i) {
    const std::string term = analyzer.stems() ? analyzer.stem(tokens[i].term) : tokens[i].term;
    for (size_t w = 0; w < words.size(); ++w)
      if (words[w] == term) at[w].push_back(i);
  }
  std::vector<PositionList> positions(at.begin(), at.end());
  return !tokens.empty() && span_matches(tree, positions, 0, static_cast<uint32_t>(tokens.size() - 1));
}

std::vector<size_t> matching_quotations(const std::vector<const Query*>& nodes, const Article& a, Analyzer& analyzer) {
  std::vector<size_t> out;
  for (size_t i = 0; i < a.quotes.size(); ++i)
    for (const Query* n : nodes)
      if (quotation_matches(*n, a, a.quotes[i], analyzer)) {
        out.push_back(i);
        break;
      }
  return out;
}

}  // namespace dateline
