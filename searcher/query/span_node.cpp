#include "searcher/query/span_node.h"

#include <algorithm>

namespace dateline {

namespace {

SpanNode operand_tree(const Query& q, std::vector<std::string>& words) {
  SpanNode n;
  auto word = [&](const std::string& t) {
    auto at = std::find(words.begin(), words.end(), t);
    if (at == words.end()) at = words.insert(words.end(), t);
    return static_cast<uint32_t>(at - words.begin());
  };
  switch (q.op) {
    case Query::Op::Term:
      n.words.push_back(word(q.terms.at(0)));
      break;
    case Query::Op::Phrase:
    case Query::Op::Near:
      n.kind = q.op == Query::Op::Near ? SpanNode::Kind::Near
               : q.window == q.terms.size() ? SpanNode::Kind::Phrase
                                            : SpanNode::Kind::Ordered;
      n.window = q.window;
      for (size_t i = 0; i < q.terms.size(); ++i) {
        n.words.push_back(word(q.terms[i]));
        uint32_t first = static_cast<uint32_t>(i);
        for (size_t j = 0; j < i; ++j)
          if (q.terms[j] == q.terms[i]) {
            first = static_cast<uint32_t>(j);
            break;
          }
        n.group.push_back(first);
      }
      break;
    default:
      n.kind = q.op == Query::Op::And ? SpanNode::Kind::And
               : q.op == Query::Op::Or ? SpanNode::Kind::Or
                                       : SpanNode::Kind::AndNot;
      for (const Query& c : q.children) n.kids.push_back(operand_tree(c, words));
  }
  return n;
}

}  // namespace

SpanNode span_tree(const Query& within, std::vector<std::string>& words) {
  if (within.children.empty()) return SpanNode{SpanNode::Kind::Any, {}, {}, 0, {}};
  return operand_tree(within.children[0], words);
}

Query positive_part(const Query& q) {
  if (q.op == Query::Op::AndNot) return positive_part(q.children.at(0));
  Query out = q;
  for (Query& c : out.children) c = positive_part(c);
  return out;
}

namespace {

PositionList clip(PositionList p, uint32_t lo, uint32_t hi) {
  const auto b = std::lower_bound(p.begin(), p.end(), lo);
  const auto e = std::upper_bound(b, p.end(), hi);
  return p.subspan(static_cast<size_t>(b - p.begin()), static_cast<size_t>(e - b));
}

}  // namespace

bool span_matches(const SpanNode& n, const std::vector<PositionList>& positions, uint32_t lo, uint32_t hi) {
  switch (n.kind) {
    case SpanNode::Kind::Any:
      return true;
    case SpanNode::Kind::Term:
      return !clip(positions[n.words[0]], lo, hi).empty();
    case SpanNode::Kind::Phrase:
    case SpanNode::Kind::Ordered:
    case SpanNode::Kind::Near: {
      std::vector<PositionList> lists;
      for (const uint32_t w : n.words) {
        lists.push_back(clip(positions[w], lo, hi));
        if (lists.back().empty()) return false;
      }
      if (n.kind == SpanNode::Kind::Phrase) return exact_phrase(lists);
      if (n.kind == SpanNode::Kind::Ordered) return ordered_within(lists, n.window);
      return unordered_within(lists, n.group, n.window);
    }
    case SpanNode::Kind::And:
      for (const SpanNode& k : n.kids)
        if (!span_matches(k, positions, lo, hi)) return false;
      return true;
    case SpanNode::Kind::Or:
      for (const SpanNode& k : n.kids)
        if (span_matches(k, positions, lo, hi)) return true;
      return false;
    case SpanNode::Kind::AndNot:
      return span_matches(n.kids[0], positions, lo, hi) && !span_matches(n.kids[1], positions, lo, hi);
  }
  return false;
}

}  // namespace dateline
