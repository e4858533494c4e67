#include "searcher/query_eval.h"

#include <algorithm>
#include <numeric>

#include "searcher/position_match.h"

namespace dateline {

namespace {

using DocSet = std::vector<uint32_t>;

DocSet evaluate_all(const Query& q, const SegmentReader& seg);

DocSet all_docs(const SegmentReader& seg) {
  DocSet d(seg.docs());
  std::iota(d.begin(), d.end(), 0u);
  return d;
}

DocSet term_docs(const SegmentReader& seg, const TermInfo& info) {
  DocSet out;
  out.reserve(info.df);
  for (PostingCursor c = seg.cursor(info); c.doc() != PostingCursor::kEnd; c.next()) out.push_back(c.doc());
  return out;
}

DocSet intersect(const DocSet& a, const DocSet& b) {
  DocSet out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

DocSet unite(const DocSet& a, const DocSet& b) {
  DocSet out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

DocSet subtract(const DocSet& a, const DocSet& b) {
  DocSet out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

DocSet prefix_docs(const Query& q, const SegmentReader& seg) {
  DocSet out;
  for_each_expansion(q, seg, [&](std::string_view, const TermInfo& info) {
    DocSet d = term_docs(seg, info);
    out.insert(out.end(), d.begin(), d.end());
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Exact phrase test at the cursors' common document: is there a start p with
// term i at p + i for every i? (The same as ordered_within with window ==
// number of terms.) Terms are checked in order of their frequency in this
// document, so the positions of a frequent word such as "the" are decoded
// only when the rarer words already line up. `starts` is scratch space.
bool exact_phrase_here(std::vector<PostingCursor>& cursors, const std::vector<size_t>& cursor_of,
                       std::vector<size_t>& order, std::vector<uint32_t>& starts) {
  const size_t k = cursor_of.size();
  order.resize(k);
  for (size_t i = 0; i < k; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return cursors[cursor_of[a]].freq() < cursors[cursor_of[b]].freq();
  });
  starts.clear();
  const uint32_t off0 = static_cast<uint32_t>(order[0]);
  for (const uint32_t p : cursors[cursor_of[order[0]]].positions())
    if (p >= off0) starts.push_back(p - off0);
  for (size_t j = 1; j < k && !starts.empty(); ++j) {
    const uint64_t off = order[j];
    const std::vector<uint32_t>& l = cursors[cursor_of[order[j]]].positions();
    size_t kept = 0, x = 0;
    for (const uint32_t s : starts) {
      const uint64_t want = s + off;
      while (x < l.size() && l[x] < want) ++x;
      if (x == l.size()) break;
      if (l[x] == want) starts[kept++] = s;
    }
    starts.resize(kept);
  }
  return !starts.empty();
}

}  // namespace

void for_each_expansion(const Query& q, const SegmentReader& seg, const TermVisitor& fn) {
  const std::string& prefix = q.terms.at(0);
  size_t n = 0;
  seg.dict().for_each_prefix(prefix, [&](std::string_view term, const TermInfo& info) {
    if (++n > kMaxPrefixExpansions) {
      // The word as typed: the term without its field prefix (upper-case ASCII).
      size_t word = 0;
      while (word < prefix.size() && prefix[word] >= 'A' && prefix[word] <= 'Z') ++word;
      throw QueryError("'" + prefix.substr(word) + "*' matches more than " + std::to_string(kMaxPrefixExpansions) +
                           " different words; make the prefix longer",
                       q.column);
    }
    fn(term, info);
  });
}

void for_each_positional_match(const Query& q, const SegmentReader& seg, const PositionalMatch& on_match) {
  std::vector<PostingCursor> cursors;
  std::vector<uint32_t> group;  // equal terms share a group (and a cursor's positions)
  std::vector<size_t> cursor_of;
  for (size_t i = 0; i < q.terms.size(); ++i) {
    size_t same = i;
    for (size_t j = 0; j < i; ++j)
      if (q.terms[j] == q.terms[i]) {
        same = j;
        break;
      }
    group.push_back(static_cast<uint32_t>(same));
    if (same != i) {
      cursor_of.push_back(cursor_of[same]);
      continue;
    }
    auto info = seg.term(q.terms[i]);
    if (!info) return;
    cursor_of.push_back(cursors.size());
    cursors.push_back(seg.cursor(*info));
  }
  std::vector<const std::vector<uint32_t>*> lists(q.terms.size());
  const bool exact = q.op == Query::Op::Phrase && q.window == q.terms.size();
  std::vector<size_t> order;
  std::vector<uint32_t> starts;
  uint32_t target = 0;
  for (;;) {
    // Leapfrog: move every cursor to the largest current doc until all agree.
    bool agreed = false;
    while (!agreed) {
      agreed = true;
      for (auto& c : cursors) {
        c.advance(target);
        if (c.doc() == PostingCursor::kEnd) return;
        if (c.doc() > target) {
          target = c.doc();
          agreed = false;
        }
      }
    }
    bool ok;
    if (exact) {
      ok = exact_phrase_here(cursors, cursor_of, order, starts);
    } else {
      for (size_t i = 0; i < q.terms.size(); ++i) lists[i] = &cursors[cursor_of[i]].positions();
      ok = q.op == Query::Op::Phrase ? ordered_within(lists, q.window) : unordered_within(lists, group, q.window);
    }
    if (ok) on_match(target, cursors);
    if (target == UINT32_MAX - 1) return;
    ++target;
  }
}

namespace {

// Documents containing all terms whose positions satisfy the phrase/near test.
DocSet positional_docs(const Query& q, const SegmentReader& seg) {
  DocSet out;
  for_each_positional_match(q, seg, [&](uint32_t doc, std::vector<PostingCursor>&) { out.push_back(doc); });
  return out;
}

// Conjunction with term children: the other children are evaluated as sets
// and intersected; the terms' postings are then only probed (rarest first,
// by advance(), which skips whole blocks) instead of being decoded into sets.
DocSet and_docs(const Query& q, const SegmentReader& seg) {
  std::vector<PostingCursor> terms;
  std::vector<const Query*> others;
  for (const auto& c : q.children) {
    if (c.op != Query::Op::Term) {
      others.push_back(&c);
      continue;
    }
    auto info = seg.term(c.terms.at(0));
    if (!info) return {};
    terms.push_back(seg.cursor(*info));
  }
  std::sort(terms.begin(), terms.end(), [](const PostingCursor& a, const PostingCursor& b) { return a.df() < b.df(); });
  DocSet out;
  if (others.empty()) {
    // Leapfrog: the rarest term proposes, the others must follow.
    if (terms.empty()) return out;
    uint32_t target = terms[0].doc();
    while (target != PostingCursor::kEnd) {
      bool all = true;
      for (auto& c : terms) {
        c.advance(target);
        if (c.doc() != target) {
          target = c.doc();
          all = false;
          break;
        }
      }
      if (!all) continue;
      out.push_back(target);
      terms[0].next();
      target = terms[0].doc();
    }
    return out;
  }
  DocSet acc = evaluate_all(*others[0], seg);
  for (size_t i = 1; i < others.size() && !acc.empty(); ++i) acc = intersect(acc, evaluate_all(*others[i], seg));
  for (const uint32_t d : acc) {
    bool all = true;
    for (auto& c : terms) {
      c.advance(d);
      if (c.doc() != d) {
        all = false;
        break;
      }
    }
    if (all) out.push_back(d);
  }
  return out;
}

DocSet date_docs(const Query& q, const SegmentReader& seg) {
  DocSet out;
  const int32_t* dates = seg.dates();
  for (uint32_t d = 0; d < seg.docs(); ++d) {
    const int32_t v = dates[d];
    if (v != kNoDate && v >= q.date_lo && v <= q.date_hi) out.push_back(d);
  }
  return out;
}

}  // namespace

namespace {

// Every matching document, deleted ones included (they are left out once,
// at the top: whether a document is deleted does not depend on the query).
DocSet evaluate_all(const Query& q, const SegmentReader& seg) {
  switch (q.op) {
    case Query::Op::MatchAll:
      return all_docs(seg);
    case Query::Op::MatchNothing:
      return {};
    case Query::Op::Term: {
      auto info = seg.term(q.terms.at(0));
      return info ? term_docs(seg, *info) : DocSet{};
    }
    case Query::Op::Prefix:
      return prefix_docs(q, seg);
    case Query::Op::Phrase:
    case Query::Op::Near:
      return positional_docs(q, seg);
    case Query::Op::DateRange:
      return date_docs(q, seg);
    case Query::Op::And:
      return q.children.empty() ? DocSet{} : and_docs(q, seg);
    case Query::Op::Or: {
      DocSet acc;
      for (const auto& c : q.children) acc = unite(acc, evaluate_all(c, seg));
      return acc;
    }
    case Query::Op::AndNot: {
      DocSet pos = evaluate_all(q.children.at(0), seg);
      if (pos.empty()) return pos;
      return subtract(pos, evaluate_all(q.children.at(1), seg));
    }
    case Query::Op::AndMaybe:
      return evaluate_all(q.children.at(0), seg);
  }
  return {};
}

}  // namespace

DocSet evaluate(const Query& q, const SegmentReader& seg) {
  DocSet docs = evaluate_all(q, seg);
  if (seg.has_deletions())
    docs.erase(std::remove_if(docs.begin(), docs.end(), [&](uint32_t d) { return seg.is_deleted(d); }), docs.end());
  return docs;
}

}  // namespace dateline
