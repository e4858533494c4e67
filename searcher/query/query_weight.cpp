#include "searcher/query/query_weight.h"

#include <algorithm>
#include <map>

#include "searcher/query/bitset_scorer.h"
#include "searcher/query/date_range.h"
#include "searcher/query/exclusion.h"
#include "searcher/query/intersection.h"
#include "searcher/query/match_all.h"
#include "searcher/query/optional.h"
#include "searcher/query/phrase_scorer.h"
#include "searcher/query/term_scorer.h"
#include "searcher/query/union.h"

namespace dateline {

namespace {

// Rare expansions of a prefix that do not score are gathered in a bitset
// once there are more than this many (a union of cursors costs per cursor).
constexpr size_t kMaxUnionedExpansions = 16;

bool is_empty(const ScorerPtr& s) { return s->doc() == Scorer::kEnd && s->cost() == 0; }

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

QueryWeight::QueryWeight(const Query& q, const std::vector<const SegmentReader*>& segments, const Bm25Scorer& bm25,
                         bool scoring)
    : query_(q), bm25_(bm25), scoring_(scoring) {
  if (!scoring_) return;
  std::vector<const Query*> leaves;
  collect_scoring(q, leaves);
  for (const Query* leaf : leaves) add_stats(*leaf, segments);
}

void collect_scoring(const Query& q, std::vector<const Query*>& leaves) {
  switch (q.op) {
    case Query::Op::Term:
    case Query::Op::Prefix:
    case Query::Op::Phrase:
    case Query::Op::Near:
      leaves.push_back(&q);
      return;
    case Query::Op::AndNot:
      if (!q.children.empty()) collect_scoring(q.children[0], leaves);
      return;
    default:
      for (const auto& c : q.children) collect_scoring(c, leaves);
  }
}

// The idf of a scoring leaf's words, from their document frequencies over
// all segments.
void QueryWeight::add_stats(const Query& q, const std::vector<const SegmentReader*>& segments) {
  auto df = [&](const std::string& t) {
    uint64_t n = 0;
    for (const SegmentReader* seg : segments)
      if (auto info = seg->term(t)) n += info->df;
    return n;
  };
  switch (q.op) {
    case Query::Op::Term:
    case Query::Op::Phrase:
    case Query::Op::Near:
      for (const auto& t : q.terms)
        if (!idf_.count(t)) idf_[t] = bm25_.idf(df(t));
      return;
    case Query::Op::Prefix: {
      std::map<std::string, uint64_t, std::less<>> expanded;
      for (const SegmentReader* seg : segments)
        for_each_expansion(q, *seg, [&](std::string_view t, const TermInfo& info) {
          auto it = expanded.find(t);
          if (it == expanded.end()) it = expanded.emplace(std::string(t), 0).first;
          it->second += info.df;
        });
      std::vector<std::pair<uint64_t, std::string>> by_df;
      for (auto& [t, n] : expanded) by_df.emplace_back(n, t);
      std::sort(by_df.begin(), by_df.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      auto& scored = scored_expansions_[&q];
      for (size_t i = 0; i < by_df.size() && i < kMaxScoredExpansions; ++i) {
        scored.insert(by_df[i].second);
        idf_[by_df[i].second] = bm25_.idf(by_df[i].first);
      }
      return;
    }
    default:
      return;
  }
}

ScorerPtr QueryWeight::scorer(const SegmentReader& seg) const { return build(query_, seg, scoring_); }

ScorerPtr QueryWeight::term(const std::string& t, const SegmentReader& seg, bool scoring) const {
  auto info = seg.term(t);
  if (!info) return std::make_unique<EmptyScorer>();
  double idf = 0;
  if (scoring)
    if (auto it = idf_.find(t); it != idf_.end()) idf = it->second;
  return std::make_unique<TermScorer>(seg.cursor(*info), idf, bm25_, seg.lengths());
}

ScorerPtr QueryWeight::prefix(const Query& q, const SegmentReader& seg, bool scoring) const {
  const std::unordered_set<std::string>* scored = nullptr;
  if (scoring)
    if (auto it = scored_expansions_.find(&q); it != scored_expansions_.end()) scored = &it->second;
  std::vector<ScorerPtr> clauses;
  std::vector<TermInfo> others;
  for_each_expansion(q, seg, [&](std::string_view t, const TermInfo& info) {
    if (scored && scored->count(std::string(t)))
      clauses.push_back(std::make_unique<TermScorer>(seg.cursor(info), idf_.at(std::string(t)), bm25_, seg.lengths()));
    else
      others.push_back(info);
  });
  if (others.size() <= kMaxUnionedExpansions) {
    for (const TermInfo& info : others)
      clauses.push_back(std::make_unique<TermScorer>(seg.cursor(info), 0.0, bm25_, seg.lengths()));
  } else {
    std::vector<uint64_t> bits((seg.docs() + 63) / 64);
    uint64_t count = 0;
    for (const TermInfo& info : others)
      for (PostingCursor c = seg.cursor(info); c.doc() != PostingCursor::kEnd; c.next()) {
        uint64_t& w = bits[c.doc() / 64];
        const uint64_t bit = uint64_t{1} << (c.doc() % 64);
        count += (w & bit) == 0;
        w |= bit;
      }
    clauses.push_back(std::make_unique<BitsetScorer>(std::move(bits), count));
  }
  if (clauses.empty()) return std::make_unique<EmptyScorer>();
  if (clauses.size() == 1) return std::move(clauses[0]);
  return std::make_unique<Union>(std::move(clauses));
}

ScorerPtr QueryWeight::positional(const Query& q, const SegmentReader& seg, bool scoring) const {
  std::vector<std::string> distinct;
  std::vector<size_t> word_of;
  for (const auto& t : q.terms) {
    auto at = std::find(distinct.begin(), distinct.end(), t);
    word_of.push_back(static_cast<size_t>(at - distinct.begin()));
    if (at == distinct.end()) distinct.push_back(t);
  }
  std::vector<std::unique_ptr<TermScorer>> words;
  for (const auto& t : distinct) {
    auto info = seg.term(t);
    if (!info) return std::make_unique<EmptyScorer>();
    double idf = 0;
    if (scoring)
      if (auto it = idf_.find(t); it != idf_.end()) idf = it->second;
    words.push_back(std::make_unique<TermScorer>(seg.cursor(*info), idf, bm25_, seg.lengths()));
  }
  PhraseScorer::Kind kind = q.op == Query::Op::Near ? PhraseScorer::Kind::Unordered
                            : q.window == q.terms.size() ? PhraseScorer::Kind::Exact
                                                         : PhraseScorer::Kind::Ordered;
  return std::make_unique<PhraseScorer>(std::move(words), std::move(word_of), kind, q.window);
}

ScorerPtr QueryWeight::build(const Query& q, const SegmentReader& seg, bool scoring) const {
  switch (q.op) {
    case Query::Op::MatchAll:
      return std::make_unique<MatchAllScorer>(seg.docs());
    case Query::Op::MatchNothing:
      return std::make_unique<EmptyScorer>();
    case Query::Op::Term:
      return term(q.terms.at(0), seg, scoring);
    case Query::Op::Prefix:
      return prefix(q, seg, scoring);
    case Query::Op::Phrase:
    case Query::Op::Near:
      return positional(q, seg, scoring);
    case Query::Op::DateRange: {
      const SegmentInfo& info = seg.info();
      if (info.min_date != kNoDate && (info.min_date > q.date_hi || info.max_date < q.date_lo))
        return std::make_unique<EmptyScorer>();  // the whole segment is outside the range
      return std::make_unique<DateRangeScorer>(seg, q.date_lo, q.date_hi);
    }
    case Query::Op::And: {
      std::vector<ScorerPtr> clauses;
      for (const auto& c : q.children) {
        ScorerPtr s = build(c, seg, scoring);
        if (is_empty(s)) return std::make_unique<EmptyScorer>();
        if (c.op == Query::Op::MatchAll) continue;  // matches everything, scores 0
        clauses.push_back(std::move(s));
      }
      if (clauses.empty()) return q.children.empty() ? std::make_unique<EmptyScorer>() : build(q.children[0], seg, scoring);
      if (clauses.size() == 1) return std::move(clauses[0]);
      return std::make_unique<Intersection>(std::move(clauses));
    }
    case Query::Op::Or: {
      std::vector<ScorerPtr> clauses;
      for (const auto& c : q.children) {
        ScorerPtr s = build(c, seg, scoring);
        if (!is_empty(s)) clauses.push_back(std::move(s));
      }
      if (clauses.empty()) return std::make_unique<EmptyScorer>();
      if (clauses.size() == 1) return std::move(clauses[0]);
      return std::make_unique<Union>(std::move(clauses));
    }
    case Query::Op::AndNot: {
      ScorerPtr required = build(q.children.at(0), seg, scoring);
      if (is_empty(required)) return required;
      ScorerPtr excluded = build(q.children.at(1), seg, false);
      if (is_empty(excluded)) return required;
      return std::make_unique<Exclusion>(std::move(required), std::move(excluded));
    }
    case Query::Op::AndMaybe: {
      ScorerPtr required = build(q.children.at(0), seg, scoring);
      if (is_empty(required) || !scoring) return required;
      std::vector<ScorerPtr> optional;
      for (size_t i = 1; i < q.children.size(); ++i) {
        ScorerPtr s = build(q.children[i], seg, scoring);
        if (!is_empty(s)) optional.push_back(std::move(s));
      }
      if (optional.empty()) return required;
      return std::make_unique<Optional>(std::move(required), std::move(optional));
    }
  }
  return std::make_unique<EmptyScorer>();
}

}  // namespace dateline
