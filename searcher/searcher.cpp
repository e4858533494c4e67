#include "searcher/searcher.h"

#include <algorithm>
#include <map>

#include "common/fields.h"
#include "indexer/posting_cursor.h"
#include "indexer/format.h"
#include "searcher/name_aliases.h"
#include "searcher/query_eval.h"

namespace dateline {

namespace {

// Terms that contribute to the score: every term outside a NOT, with the
// expansions of prefix terms.
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

// The best `keep` hits under the order `better` (a strict "ranks higher"),
// in a heap whose front is the worst hit kept.
template <class Better>
class TopHits {
 public:
  TopHits(size_t keep, Better better) : keep_(keep), better_(better) {}
  bool wanted() const { return keep_ > 0; }
  bool full() const { return heap_.size() >= keep_; }
  const ScoredDoc& worst() const { return heap_.front(); }
  void offer(const ScoredDoc& d) {
    if (keep_ == 0) return;
    if (heap_.size() < keep_) {
      heap_.push_back(d);
      std::push_heap(heap_.begin(), heap_.end(), better_);
    } else if (better_(d, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better_);
      heap_.back() = d;
      std::push_heap(heap_.begin(), heap_.end(), better_);
    }
  }
  // The kept hits, best first (empties the collector).
  std::vector<ScoredDoc> take_sorted() {
    std::sort_heap(heap_.begin(), heap_.end(), better_);
    return std::move(heap_);
  }

 private:
  size_t keep_;
  Better better_;
  std::vector<ScoredDoc> heap_;
};

// An `op` node (And or Or) whose 2..64 children are all plain terms: the df
// map then holds exactly its distinct terms; every match of an And contains
// all of them, every match of an Or at least one.
bool is_node_of_terms(const Query& q, Query::Op op) {
  if (q.op != op || q.children.size() < 2 || q.children.size() > 64) return false;
  for (const auto& c : q.children)
    if (c.op != Query::Op::Term) return false;
  return true;
}

// The highest BM25 score any document of the cursor's block b can have: the
// best of the block's impacts (the score grows with the frequency and
// shrinks with the length).
double impacts_bound(const Bm25Scorer& bm25, const PostingCursor::Impact* impacts, uint32_t n, double idf) {
  double best = 0;
  for (uint32_t i = 0; i < n; ++i) best = std::max(best, bm25.score(idf, impacts[i].freq, impacts[i].length));
  return best;
}

double block_bound(const Bm25Scorer& bm25, PostingCursor& c, size_t b, double idf) {
  PostingCursor::Impact impacts[format::kMaxImpacts];
  return impacts_bound(bm25, impacts, c.block_impacts(b, impacts), idf);
}

// The same for every document of the cursor's term (stored with the term).
double term_bound(const Bm25Scorer& bm25, const PostingCursor& c, double idf) {
  PostingCursor::Impact impacts[format::kMaxImpacts];
  return impacts_bound(bm25, impacts, c.term_impacts(impacts), idf);
}

// The documents of a term that are not deleted: its document frequency,
// less the deleted documents its postings hold (probed one by one).
uint64_t count_live(const SegmentReader& seg, const TermInfo& info) {
  uint64_t dead = 0;
  PostingCursor c = seg.cursor(info);
  for (uint32_t d : seg.deleted_list()) {
    c.advance(d);
    if (c.doc() == PostingCursor::kEnd) break;
    dead += c.doc() == d;
  }
  return info.df - dead;
}

// Relative slack on score bounds, so floating-point rounding can never make
// pruning skip a document that would have entered the top hits.
constexpr double kBoundSlack = 1e-9;

// Prefix expansions used for scoring are capped: a one-letter prefix can
// match thousands of terms, and they all match anyway. The most frequent
// ones score.
constexpr size_t kMaxScoredExpansions = 64;

}  // namespace

Searcher::Searcher(const std::string& dir) : dir_(dir) {
  // A commit may replace the MANIFEST and remove the files of the one read
  // here before they are open: then the newer one is read. Once open, the
  // files stay readable (they are mapped) whatever later commits remove.
  for (int attempt = 0;; ++attempt) {
    manifest_ = read_manifest(dir);
    try {
      segments_.clear();
      for (const auto& s : manifest_.segments) segments_.push_back(std::make_unique<SegmentReader>(dir, s));
      break;
    } catch (const std::runtime_error&) {
      if (attempt >= 50 || read_manifest(dir).generation == manifest_.generation) throw;
    }
  }
  try {
    analyzer_ = std::make_unique<Analyzer>(manifest_.stemmer, manifest_.fold_accents);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(dir + "/MANIFEST: " + e.what());
  }
  uint64_t tokens = 0;
  for (const auto& s : manifest_.segments) {
    bm25_.docs += s.docs;
    tokens += s.text_tokens;
  }
  bm25_.avg_length = bm25_.docs ? std::max(1.0, static_cast<double>(tokens) / bm25_.docs) : 1.0;
  names_ = std::make_unique<NameAliases>(segments_, *analyzer_);
}

Searcher::~Searcher() = default;

Query Searcher::parse(std::string_view text, const ParseOptions& opts, std::vector<QueryNote>* notes) {
  ParseOptions o = opts;
  if (!o.names) o.names = names_.get();
  return parse_query(text, *analyzer_, o, notes);
}

std::vector<ScoredDoc> Searcher::find_id(std::string_view id) const {
  std::vector<ScoredDoc> out;
  const std::string term = id_term(id);
  for (uint32_t s = 0; s < segments_.size(); ++s) {
    const SegmentReader& seg = *segments_[s];
    if (auto info = seg.term(term))
      for (PostingCursor c = seg.cursor(*info); c.doc() != PostingCursor::kEnd; c.next())
        if (!seg.is_deleted(c.doc())) out.push_back(ScoredDoc{s, c.doc(), 0.0, seg.date(c.doc())});
  }
  return out;
}

uint64_t Searcher::live_df(size_t s, const std::string& term, const TermInfo& info) const {
  const SegmentReader& seg = *segments_[s];
  if (!seg.has_deletions()) return info.df;
  if (live_df_cache_.size() != segments_.size()) live_df_cache_.resize(segments_.size());
  auto& cache = live_df_cache_[s];
  if (auto it = cache.find(term); it != cache.end()) return it->second;
  if (cache.size() >= 100000) cache.clear();
  return cache[term] = count_live(seg, info);
}

uint64_t Searcher::docs() const {
  uint64_t n = 0;
  for (const auto& seg : segments_) n += seg->live_docs();
  return n;
}

void Searcher::check_prefixes(const Query& q) const {
  if (q.op == Query::Op::Prefix)
    for (const auto& seg : segments_) for_each_expansion(q, *seg, [](std::string_view, const TermInfo&) {});
  for (const Query& c : q.children) check_prefixes(c);
}

uint64_t Searcher::count(const Query& q) {
  check_prefixes(q);
  uint64_t n = 0;
  for (const auto& seg : segments_) {
    // A single term's count is its document frequency: no postings to decode
    // (but deleted documents still have postings).
    if (q.op == Query::Op::Term) {
      if (auto info = seg->term(q.terms[0])) n += live_df(static_cast<size_t>(&seg - segments_.data()), q.terms[0], *info);
    } else if (q.op == Query::Op::MatchAll) {
      n += seg->live_docs();
    } else {
      n += evaluate(q, *seg).size();
    }
  }
  return n;
}

std::vector<std::string> Searcher::matching_ids(const Query& q) {
  check_prefixes(q);
  std::vector<std::string> ids;
  for (const auto& seg : segments_)
    for (uint32_t d : evaluate(q, *seg)) ids.emplace_back(seg->doc_id(d));
  return ids;
}

std::unordered_set<std::string> Searcher::highlight_terms(const Query& q) const {
  std::vector<const Query*> leaves;
  collect_scoring(q, leaves);
  std::unordered_set<std::string> out;
  for (const Query* l : leaves)
    for (const auto& t : l->terms) {
      // Title terms highlight in the body too; other fields are names.
      if (t.empty()) continue;
      if (l->op == Query::Op::Prefix) continue;
      if (t[0] >= 'A' && t[0] <= 'Z') {
        if (t[0] == field_prefix(Field::Title)[0]) out.insert(t.substr(1));
      } else {
        out.insert(t);
      }
    }
  return out;
}

std::vector<std::string> Searcher::highlight_prefixes(const Query& q) const {
  std::vector<const Query*> leaves;
  collect_scoring(q, leaves);
  std::vector<std::string> out;
  for (const Query* l : leaves) {
    if (l->op != Query::Op::Prefix) continue;
    // Title and body prefixes: "W", "WT" or "" / "T" before the folded word.
    std::string_view t = l->terms.at(0);
    if (t.starts_with(kWrittenPrefix)) t.remove_prefix(kWrittenPrefix.size());
    if (t.starts_with(field_prefix(Field::Title))) t.remove_prefix(1);
    if (!t.empty() && !(t[0] >= 'A' && t[0] <= 'Z')) out.emplace_back(t);
  }
  return out;
}

SearchResults Searcher::search(const Query& q, const SearchOptions& opts) {
  check_prefixes(q);
  // Global statistics of the scoring terms.
  std::vector<const Query*> leaves;
  collect_scoring(q, leaves);
  std::map<std::string, uint64_t> df;  // term -> df over all segments
  for (const Query* l : leaves) {
    if (l->op == Query::Op::Prefix) {
      std::map<std::string, uint64_t, std::less<>> expanded;
      for (const auto& seg : segments_)
        for_each_expansion(*l, *seg, [&](std::string_view t, const TermInfo& info) {
          auto it = expanded.find(t);
          if (it == expanded.end()) it = expanded.emplace(std::string(t), 0).first;
          it->second += info.df;
        });
      std::vector<std::pair<uint64_t, std::string>> by_df;
      for (auto& [t, n] : expanded) by_df.emplace_back(n, t);
      std::sort(by_df.begin(), by_df.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      for (size_t i = 0; i < by_df.size() && i < kMaxScoredExpansions; ++i) df[by_df[i].second];
    } else {
      for (const auto& t : l->terms) df[t];
    }
  }
  for (auto& [term, n] : df)
    for (const auto& seg : segments_)
      if (auto info = seg->term(term)) n += info->df;

  auto by_score = [](const ScoredDoc& a, const ScoredDoc& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.segment != b.segment) return a.segment < b.segment;
    return a.doc < b.doc;
  };
  const bool oldest_first = opts.sort == SearchOptions::Sort::Oldest;
  auto by_date = [&](const ScoredDoc& a, const ScoredDoc& b) {
    if (a.date != b.date) {
      if (a.date == kNoDate) return false;
      if (b.date == kNoDate) return true;
      return oldest_first ? a.date < b.date : a.date > b.date;
    }
    return by_score(a, b);
  };
  const bool date_order = opts.sort != SearchOptions::Sort::Relevance;
  auto better = [&](const ScoredDoc& a, const ScoredDoc& b) { return date_order ? by_date(a, b) : by_score(a, b); };
  // Keep the best offset+limit hits.
  const size_t keep = opts.limit > SIZE_MAX - opts.offset ? SIZE_MAX : opts.offset + opts.limit;
  TopHits top(keep, better);

  SearchResults res;
  if (q.op == Query::Op::Term && !date_order && keep > 0) {
    res.total = rank_term(q.terms[0], df.begin()->second, top, nullptr, opts.count_total);
    res.total_exact = opts.count_total;
  } else if (!opts.count_total && !date_order && keep > 0 && q.op == Query::Op::AndNot &&
             q.children.at(0).op == Query::Op::Term) {
    rank_term(q.children[0].terms[0], df.begin()->second, top, &q.children[1], false);
    res.total_exact = false;
  } else if (keep > 0 && (q.op == Query::Op::Phrase || q.op == Query::Op::Near)) {
    res.total = rank_positional(q, df, top);
  } else if (keep > 0 && is_node_of_terms(q, Query::Op::And)) {
    res.total = rank_conjunction(df, top);
  } else if (!opts.count_total && !date_order && keep > 0 && is_node_of_terms(q, Query::Op::Or)) {
    rank_disjunction(df, top);
    res.total_exact = false;
  } else {
    res.total = rank_matches(q, df, top);
  }
  std::vector<ScoredDoc> best = top.take_sorted();
  for (size_t i = opts.offset; i < best.size(); ++i) res.hits.push_back(best[i]);
  return res;
}

// Block-max ranking of a single term: a block whose bound (the best score
// of its impacts) cannot beat the worst kept hit is skipped undecoded.
// Exact: a skipped document would not have entered the top hits, since later
// documents lose score ties. With `exclude` (the right side of an AND NOT),
// its matches are left out and the returned total is not meaningful;
// otherwise returns the number of matches.
template <class Collector>
uint64_t Searcher::rank_term(const std::string& term, uint64_t df, Collector& top, const Query* exclude,
                             bool count) const {
  uint64_t total = 0;
  const double idf = bm25_.idf(df);
  std::vector<uint32_t> excluded;
  for (uint32_t s = 0; s < segments_.size(); ++s) {
    const SegmentReader& seg = *segments_[s];
    auto info = seg.term(term);
    if (!info) continue;
    if (count && !exclude) total += live_df(s, term, *info);
    if (exclude) excluded = evaluate(*exclude, seg);
    size_t e = 0;  // first excluded doc not yet passed
    PostingCursor c = seg.cursor(*info);
    for (size_t b = 0; b < c.block_count(); ++b) {
      if (top.full()) {
        const double bound = block_bound(bm25_, c, b, idf);
        if (bound * (1 + 1e-9) < top.worst().score) continue;  // margin: rounding never skips a winner
      }
      c.seek_block(b);
      const uint32_t* docs = c.block_docs();
      const uint32_t* freqs = c.block_freqs();
      for (uint32_t i = 0; i < c.block_length(); ++i) {
        const uint32_t d = docs[i];
        while (e < excluded.size() && excluded[e] < d) ++e;
        if ((e < excluded.size() && excluded[e] == d) || seg.is_deleted(d)) continue;
        top.offer({s, d, bm25_.score(idf, freqs[i], seg.text_length(d)), seg.date(d)});
      }
    }
  }
  return total;
}

// A conjunction of terms in one pass: the rarest term proposes documents,
// the others follow by advance() (leapfrog), and each match is scored from
// the same cursors, summed in df (term) order like rank_matches. Returns the
// number of matches.
template <class Collector>
uint64_t Searcher::rank_conjunction(const std::map<std::string, uint64_t>& df, Collector& top) const {
  uint64_t total = 0;
  struct Scorer {
    PostingCursor cursor;
    double idf;
  };
  for (uint32_t s = 0; s < segments_.size(); ++s) {
    const SegmentReader& seg = *segments_[s];
    std::vector<Scorer> ts;  // df order
    for (const auto& [term, n] : df) {
      auto info = seg.term(term);
      if (!info) break;
      ts.push_back({seg.cursor(*info), bm25_.idf(n)});
    }
    if (ts.size() < df.size()) continue;  // a term is missing from this segment
    std::vector<PostingCursor*> lead;      // rarest first
    for (auto& t : ts) lead.push_back(&t.cursor);
    std::sort(lead.begin(), lead.end(), [](const PostingCursor* a, const PostingCursor* b) { return a->df() < b->df(); });
    uint32_t target = lead[0]->doc();
    while (target != PostingCursor::kEnd) {
      bool all = true;
      for (PostingCursor* c : lead) {
        c->advance(target);
        if (c->doc() != target) {
          target = c->doc();
          all = false;
          break;
        }
      }
      if (!all) continue;
      if (!seg.is_deleted(target)) {
        ++total;
        const uint32_t length = seg.text_length(target);
        double score = 0;
        for (auto& t : ts) score += bm25_.score(t.idf, t.cursor.freq(), length);
        top.offer({s, target, score, seg.date(target)});
      }
      lead[0]->next();
      target = lead[0]->doc();
    }
  }
  return total;
}

// A phrase or near query in one pass: each match is scored from the cursors
// that matched it (the df map holds exactly the query's distinct terms),
// summed in df order like rank_matches. Returns the number of matches.
template <class Collector>
uint64_t Searcher::rank_positional(const Query& q, const std::map<std::string, uint64_t>& df, Collector& top) const {
  // Cursor of each distinct term, in order of first occurrence in q.terms.
  std::vector<std::string> distinct;
  for (const auto& t : q.terms)
    if (std::find(distinct.begin(), distinct.end(), t) == distinct.end()) distinct.push_back(t);
  std::vector<size_t> cursor_of;  // df order -> cursor index
  std::vector<double> idf;
  for (const auto& [term, n] : df) {
    cursor_of.push_back(static_cast<size_t>(std::find(distinct.begin(), distinct.end(), term) - distinct.begin()));
    idf.push_back(bm25_.idf(n));
  }
  uint64_t total = 0;
  for (uint32_t s = 0; s < segments_.size(); ++s) {
    const SegmentReader& seg = *segments_[s];
    for_each_positional_match(q, seg, [&](uint32_t doc, std::vector<PostingCursor>& cursors) {
      if (seg.is_deleted(doc)) return;
      ++total;
      const uint32_t length = seg.text_length(doc);
      double score = 0;
      for (size_t i = 0; i < cursor_of.size(); ++i) score += bm25_.score(idf[i], cursors[cursor_of[i]].freq(), length);
      top.offer({s, doc, score, seg.date(doc)});
    });
  }
  return total;
}

// MaxScore (Turtle and Flood 1995) over a disjunction of terms. Per segment,
// each term gets an upper bound (the best of its blocks' bounds); terms are
// ordered by bound, and once the worst kept hit beats the summed bounds of
// the weakest terms, those terms stop proposing candidates and are only
// probed for documents the others propose. A candidate is dropped as soon
// as its partial score plus the remaining bounds cannot beat the worst kept
// hit. Scores are summed in the same (term) order as rank_matches, so hits
// and scores are bit-identical to exhaustive ranking; the total is not counted.
template <class Collector>
void Searcher::rank_disjunction(const std::map<std::string, uint64_t>& df, Collector& top) const {
  struct Scorer {
    PostingCursor cursor;
    double idf;
    double bound;
    size_t order;  // index in df (the canonical summation order)
  };
  std::vector<double> contribution(df.size());
  for (uint32_t s = 0; s < segments_.size(); ++s) {
    const SegmentReader& seg = *segments_[s];
    std::vector<Scorer> ts;
    size_t order = 0;
    for (const auto& [term, n] : df) {
      auto info = seg.term(term);
      if (info && n > 0) {
        Scorer t{seg.cursor(*info), bm25_.idf(n), 0.0, order};
        t.bound = term_bound(bm25_, t.cursor, t.idf);
        ts.push_back(std::move(t));
      }
      ++order;
    }
    std::sort(ts.begin(), ts.end(), [](const Scorer& a, const Scorer& b) { return a.bound < b.bound; });
    std::vector<double> below(ts.size() + 1, 0.0);  // below[i]: summed bounds of ts[0..i)
    for (size_t i = 0; i < ts.size(); ++i) below[i + 1] = below[i] + ts[i].bound;
    for (;;) {
      const double worst = top.full() ? top.worst().score : -1.0;
      // ts[0..first) cannot lift a document into the top hits on their own.
      size_t first = 0;
      while (first < ts.size() && below[first + 1] * (1 + kBoundSlack) < worst) ++first;
      uint32_t d = PostingCursor::kEnd;
      for (size_t i = first; i < ts.size(); ++i) d = std::min(d, ts[i].cursor.doc());
      if (d == PostingCursor::kEnd) break;
      if (seg.is_deleted(d)) {
        for (size_t i = first; i < ts.size(); ++i)
          if (ts[i].cursor.doc() == d) ts[i].cursor.next();
        continue;
      }
      std::fill(contribution.begin(), contribution.end(), 0.0);
      const uint32_t length = seg.text_length(d);
      double partial = 0;
      for (size_t i = first; i < ts.size(); ++i) {
        PostingCursor& c = ts[i].cursor;
        if (c.doc() != d) continue;
        partial += contribution[ts[i].order] = bm25_.score(ts[i].idf, c.freq(), length);
        c.next();
      }
      bool dropped = false;
      for (size_t i = first; i-- > 0;) {
        if ((partial + below[i + 1]) * (1 + kBoundSlack) < worst) {
          dropped = true;
          break;
        }
        PostingCursor& c = ts[i].cursor;
        c.advance(d);
        if (c.doc() == d) partial += contribution[ts[i].order] = bm25_.score(ts[i].idf, c.freq(), length);
      }
      if (dropped) continue;
      double score = 0;
      for (double v : contribution) score += v;
      top.offer({s, d, score, seg.date(d)});
    }
  }
}

// Exhaustive ranking: evaluates the match set of each segment, then scores
// every match. Returns the number of matches.
template <class Collector>
uint64_t Searcher::rank_matches(const Query& q, const std::map<std::string, uint64_t>& df, Collector& top) const {
  uint64_t total = 0;
  std::vector<double> scores;
  for (uint32_t s = 0; s < segments_.size(); ++s) {
    const SegmentReader& seg = *segments_[s];
    const std::vector<uint32_t> matches = evaluate(q, seg);
    total += matches.size();
    if (!top.wanted()) continue;
    scores.assign(matches.size(), 0.0);
    for (const auto& [term, n] : df) {
      auto info = seg.term(term);
      if (!info || n == 0) continue;
      const double idf = bm25_.idf(n);
      PostingCursor c = seg.cursor(*info);
      for (size_t i = 0; i < matches.size() && c.doc() != PostingCursor::kEnd; ++i) {
        c.advance(matches[i]);
        if (c.doc() == matches[i]) scores[i] += bm25_.score(idf, c.freq(), seg.text_length(matches[i]));
      }
    }
    for (size_t i = 0; i < matches.size(); ++i) top.offer({s, matches[i], scores[i], seg.date(matches[i])});
  }
  return total;
}

Article Searcher::document(const ScoredDoc& d) const { return segments_.at(d.segment)->document(d.doc); }

std::string Searcher::doc_id(const ScoredDoc& d) const {
  return std::string(segments_.at(d.segment)->doc_id(d.doc));
}

}  // namespace dateline
