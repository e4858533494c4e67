#include "searcher/query/query_weight.h"

#include <algorithm>
#include <map>
#include <optional>

#include "searcher/collector/collect.h"
#include "searcher/query/bitset_scorer.h"
#include "searcher/query/date_range.h"
#include "searcher/query/exclusion.h"
#include "searcher/query/intersection.h"
#include "searcher/query/match_all.h"
#include "searcher/query/optional.h"
#include "searcher/query/phrase_scorer.h"
#include "searcher/query/term_scorer.h"
#include "searcher/query/union.h"
#include "searcher/query/within_scorer.h"

namespace dateline {

namespace {

// Rare expansions of a prefix that do not score are gathered in a bitset
// once there are more than this many (a union of cursors costs per cursor).
constexpr size_t kMaxUnionedExpansions = 16;

bool is_empty(const ScorerPtr& s) { return s->doc() == Scorer::kEnd && s->cost() == 0; }

// The name pairs of an exact phrase on a name field (common/fields.h): with
// two words the pair term alone is the phrase; with more, the pairs narrow
// the documents whose positions are read. None for other queries.
std::vector<std::string> name_pairs(const Query& q) {
  if (q.op != Query::Op::Phrase || q.window != q.terms.size()) return {};
  return phrase_name_pairs(q.terms);
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

QueryWeight::QueryWeight(const Query& q, const std::vector<const SegmentReader*>& segments, const Bm25Scorer& bm25,
                         bool scoring, LiveDfCache* live_df)
    : query_(q), segments_(segments), bm25_(bm25), scoring_(scoring), live_df_(live_df) {
  expand_prefixes(q);
  if (!scoring_) return;
  std::vector<const Query*> leaves;
  collect_scoring(q, leaves);
  for (const Query* leaf : leaves) add_stats(*leaf);
}

// Every prefix, scoring or not, once per segment (the too-wide refusal too).
void QueryWeight::expand_prefixes(const Query& q) {
  if (q.op == Query::Op::Prefix && !expansions_.count(&q)) {
    auto& per_segment = expansions_[&q];
    per_segment.resize(segments_.size());
    for (size_t s = 0; s < segments_.size(); ++s)
      for_each_expansion(q, *segments_[s], [&](std::string_view t, const TermInfo& info) {
        per_segment[s].push_back(Expansion{std::string(t), info});
      });
  }
  for (const Query& c : q.children) expand_prefixes(c);
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
void QueryWeight::add_stats(const Query& q) {
  auto df = [&](const std::string& t) {
    uint64_t n = 0;
    for (const SegmentReader* seg : segments_)
      if (auto info = lookup(t, *seg)) n += info->df;
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
      std::map<std::string_view, uint64_t> expanded;
      for (const auto& per_segment : expansions_.at(&q))
        for (const Expansion& e : per_segment) expanded[e.term] += e.info.df;
      std::vector<std::pair<uint64_t, std::string_view>> by_df;
      for (auto& [t, n] : expanded) by_df.emplace_back(n, t);
      std::sort(by_df.begin(), by_df.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      auto& scored = scored_expansions_[&q];
      for (size_t i = 0; i < by_df.size() && i < kMaxScoredExpansions; ++i) {
        const std::string t(by_df[i].second);
        scored.insert(t);
        idf_[t] = bm25_.idf(by_df[i].first);
      }
      return;
    }
    default:
      return;
  }
}

ScorerPtr QueryWeight::scorer(size_t s) const { return build(query_, s, scoring_); }

int64_t QueryWeight::known_count(size_t s) const {
  const SegmentReader& seg = *segments_.at(s);
  // A single term's count is its document frequency: no postings to
  // decode (but deleted documents still have postings).
  auto term_count = [&](const std::string& t) -> int64_t {
    auto info = lookup(t, seg);
    if (!info) return 0;
    if (!seg.has_deletions()) return info->df;
    return live_df_ ? static_cast<int64_t>(live_df_->live_df(seg, t, *info)) : -1;
  };
  switch (query_.op) {
    case Query::Op::Term:
      return term_count(query_.terms[0]);
    case Query::Op::Phrase: {  // two words of a name: its pair term's
      const std::vector<std::string> pairs = name_pairs(query_);
      return pairs.size() == 1 ? term_count(pairs[0]) : -1;
    }
    case Query::Op::MatchAll:
      return seg.live_docs();
    case Query::Op::MatchNothing:
      return 0;
    case Query::Op::DateRange:
      return seg.count_dated(query_.date_lo, query_.date_hi);  // -1: too wide a span, iterate
    default:
      return -1;
  }
}

namespace {

// Counting by bitset windows reads every posting of every clause (less the
// windows a sparse clause of a conjunction leaves empty); iterating visits
// the approximation's documents and moves the other cursors for each, at
// many times a bit's cost. Windows are taken when their cost is at most
// this many times iterating's (decided before any scorer is built: a tree
// of cursors is built once, for the way that counts). Measured on 1M
// articles, a word AND `said` (a term in every article): windows take
// 1.7-1.8 ms whatever the word, iterating 1.55 ms for a word in 31.7k
// articles (a ratio of 32 to said's postings), the same for 41k (25), 2.2
// ms for 71k (15), 2.8 ms for 107k (10).
constexpr uint64_t kWindowCostRatio = 24;

}  // namespace

uint64_t QueryWeight::count(size_t s, CountBy by) const {
  if (by == CountBy::Cheapest)
    if (const int64_t known = known_count(s); known >= 0) return static_cast<uint64_t>(known);
  const SegmentReader& seg = *segments_.at(s);
  if (by != CountBy::Iterating)
    if (auto tree = window_tree(query_, s);
        tree && (by == CountBy::Windows || tree->cost() <= kWindowCostRatio * tree->iteration_cost()))
      return count_windows(*tree, seg);
  ScorerPtr root = scorer(s);
  CountCollector counter;
  collect_segment(*root, seg, counter);
  return counter.count;
}

std::unique_ptr<WindowNode> QueryWeight::window_tree(const Query& q, size_t s) const {
  const SegmentReader& seg = *segments_[s];
  auto all = [&](auto first, auto last) -> std::optional<std::vector<WindowNodePtr>> {
    std::vector<WindowNodePtr> out;
    for (auto it = first; it != last; ++it) {
      WindowNodePtr n = window_tree(*it, s);
      if (!n) return std::nullopt;
      out.push_back(std::move(n));
    }
    return out;
  };
  switch (q.op) {
    case Query::Op::MatchAll:
      return window_all(seg.docs());
    case Query::Op::MatchNothing:
      return window_none();
    case Query::Op::Term: {
      auto info = lookup(q.terms.at(0), seg);
      return info ? window_term(seg.cursor(*info)) : window_none();
    }
    case Query::Op::Prefix: {
      std::vector<WindowNodePtr> terms;
      for (const Expansion& e : expansions_.at(&q)[s]) terms.push_back(window_term(seg.cursor(e.info)));
      return window_or(std::move(terms));
    }
    case Query::Op::DateRange:
      return window_date_range(seg, q.date_lo, q.date_hi);
    case Query::Op::And: {
      auto c = all(q.children.begin(), q.children.end());
      if (!c || c->empty()) return nullptr;
      return window_and(std::move(*c));
    }
    case Query::Op::Or: {
      auto c = all(q.children.begin(), q.children.end());
      if (!c) return nullptr;
      return window_or(std::move(*c));
    }
    case Query::Op::AndNot: {
      WindowNodePtr required = window_tree(q.children.at(0), s);
      WindowNodePtr excluded = required ? window_tree(q.children.at(1), s) : nullptr;
      if (!excluded) return nullptr;
      return window_and_not(std::move(required), std::move(excluded));
    }
    case Query::Op::AndMaybe:
      return window_tree(q.children.at(0), s);  // the optional clauses only score
    case Query::Op::Phrase: {  // two words of a name: the pair's postings
      const std::vector<std::string> pairs = name_pairs(q);
      if (pairs.size() != 1) return nullptr;
      auto info = lookup(pairs[0], seg);
      return info ? window_term(seg.cursor(*info)) : window_none();
    }
    case Query::Op::Near:
    case Query::Op::Within:
      return nullptr;
  }
  return nullptr;
}

std::optional<TermInfo> QueryWeight::lookup(const std::string& t, const SegmentReader& seg) const {
  const size_t s = static_cast<size_t>(std::find(segments_.begin(), segments_.end(), &seg) - segments_.begin());
  if (s == segments_.size()) return seg.term(t);
  auto& per_segment = infos_[t];
  per_segment.resize(segments_.size());
  if (!per_segment[s]) per_segment[s] = seg.term(t);
  return *per_segment[s];
}

ScorerPtr QueryWeight::term(const std::string& t, const SegmentReader& seg, bool scoring) const {
  auto info = lookup(t, seg);
  if (!info) return std::make_unique<EmptyScorer>();
  double idf = 0;
  if (scoring)
    if (auto it = idf_.find(t); it != idf_.end()) idf = it->second;
  return std::make_unique<TermScorer>(seg.cursor(*info), idf, bm25_, seg.lengths());
}

ScorerPtr QueryWeight::prefix(const Query& q, size_t s, bool scoring) const {
  const SegmentReader& seg = *segments_[s];
  const std::unordered_set<std::string>* scored = nullptr;
  if (scoring)
    if (auto it = scored_expansions_.find(&q); it != scored_expansions_.end()) scored = &it->second;
  std::vector<ScorerPtr> clauses;
  std::vector<TermInfo> others;
  for (const Expansion& e : expansions_.at(&q)[s]) {
    if (scored && scored->count(e.term))
      clauses.push_back(std::make_unique<TermScorer>(seg.cursor(e.info), idf_.at(e.term), bm25_, seg.lengths()));
    else
      others.push_back(e.info);
  }
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
    auto info = lookup(t, seg);
    if (!info) return std::make_unique<EmptyScorer>();
    double idf = 0;
    if (scoring)
      if (auto it = idf_.find(t); it != idf_.end()) idf = it->second;
    words.push_back(std::make_unique<TermScorer>(seg.cursor(*info), idf, bm25_, seg.lengths()));
  }
  // A name phrase's pairs (common/fields.h). Two words: the pair term is
  // the phrase, exactly; counted, it alone; ranked, the conjunction of the
  // words (their scores, as the phrase's) and the pair, reading no
  // positions. Three or more: counted, the pairs narrow the conjunction
  // whose positions are read; ranking leaves them out (pruning reads few
  // positions, and more clauses in the conjunction cost more than they
  // save: measured).
  const std::vector<std::string> all_pairs = name_pairs(q);
  if (all_pairs.size() == 1) {
    ScorerPtr pair = term(all_pairs[0], seg, false);
    if (!scoring || is_empty(pair)) return pair;
    std::vector<ScorerPtr> clauses;
    for (auto& w : words) clauses.push_back(std::move(w));
    clauses.push_back(std::move(pair));  // last: it adds 0 to the words' sum
    return std::make_unique<Intersection>(std::move(clauses));
  }
  const std::vector<std::string> pairs = scoring ? std::vector<std::string>{} : all_pairs;
  std::vector<ScorerPtr> filters;
  for (const std::string& p : pairs) {
    ScorerPtr f = term(p, seg, false);
    if (is_empty(f)) return f;
    filters.push_back(std::move(f));
  }
  PhraseScorer::Kind kind = q.op == Query::Op::Near ? PhraseScorer::Kind::Unordered
                            : q.window == q.terms.size() ? PhraseScorer::Kind::Exact
                                                         : PhraseScorer::Kind::Ordered;
  return std::make_unique<PhraseScorer>(std::move(words), std::move(word_of), kind, q.window, std::move(filters));
}

ScorerPtr QueryWeight::within(const Query& q, size_t s, bool scoring) const {
  const SegmentReader& seg = *segments_[s];
  std::vector<ScorerPtr> clauses;
  std::vector<PostingCursor> markers;
  for (const std::string& m : q.terms) {
    auto info = lookup(m, seg);
    if (!info) return std::make_unique<EmptyScorer>();
    markers.push_back(seg.cursor(*info));
    clauses.push_back(term(m, seg, false));
  }
  if (!q.children.empty()) {  // none: any quotation of the speaker (dateline quotes)
    ScorerPtr operand = build(positive_part(q.children[0]), s, scoring);
    if (is_empty(operand)) return operand;
    clauses.push_back(std::move(operand));
  }
  std::vector<std::string> words;
  SpanNode tree = span_tree(q, words);
  ScorerPtr approximation =
      clauses.size() == 1 ? std::move(clauses[0]) : std::make_unique<Intersection>(std::move(clauses));
  std::vector<std::optional<PostingCursor>> cursors;
  for (const std::string& w : words) {
    auto info = lookup(w, seg);
    cursors.push_back(info ? std::optional<PostingCursor>(seg.cursor(*info)) : std::nullopt);
  }
  return std::make_unique<WithinScorer>(std::move(approximation), std::move(markers), std::move(cursors),
                                        std::move(tree));
}

ScorerPtr QueryWeight::build(const Query& q, size_t s, bool scoring) const {
  const SegmentReader& seg = *segments_[s];
  switch (q.op) {
    case Query::Op::MatchAll:
      return std::make_unique<MatchAllScorer>(seg.docs());
    case Query::Op::MatchNothing:
      return std::make_unique<EmptyScorer>();
    case Query::Op::Term:
      return term(q.terms.at(0), seg, scoring);
    case Query::Op::Prefix:
      return prefix(q, s, scoring);
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
        ScorerPtr sc = build(c, s, scoring);
        if (is_empty(sc)) return std::make_unique<EmptyScorer>();
        if (c.op == Query::Op::MatchAll) continue;  // matches everything, scores 0
        clauses.push_back(std::move(sc));
      }
      if (clauses.empty()) return q.children.empty() ? std::make_unique<EmptyScorer>() : build(q.children[0], s, scoring);
      if (clauses.size() == 1) return std::move(clauses[0]);
      return std::make_unique<Intersection>(std::move(clauses));
    }
    case Query::Op::Or: {
      std::vector<ScorerPtr> clauses;
      for (const auto& c : q.children) {
        ScorerPtr sc = build(c, s, scoring);
        if (!is_empty(sc)) clauses.push_back(std::move(sc));
      }
      if (clauses.empty()) return std::make_unique<EmptyScorer>();
      if (clauses.size() == 1) return std::move(clauses[0]);
      return std::make_unique<Union>(std::move(clauses));
    }
    case Query::Op::AndNot: {
      ScorerPtr required = build(q.children.at(0), s, scoring);
      if (is_empty(required)) return required;
      ScorerPtr excluded = build(q.children.at(1), s, false);
      if (is_empty(excluded)) return required;
      return std::make_unique<Exclusion>(std::move(required), std::move(excluded));
    }
    case Query::Op::Within:
      return within(q, s, scoring);
    case Query::Op::AndMaybe: {
      ScorerPtr required = build(q.children.at(0), s, scoring);
      if (is_empty(required) || !scoring) return required;
      std::vector<ScorerPtr> optional;
      for (size_t i = 1; i < q.children.size(); ++i) {
        ScorerPtr sc = build(q.children[i], s, scoring);
        if (!is_empty(sc)) optional.push_back(std::move(sc));
      }
      if (optional.empty()) return required;
      return std::make_unique<Optional>(std::move(required), std::move(optional));
    }
  }
  return std::make_unique<EmptyScorer>();
}

}  // namespace dateline
