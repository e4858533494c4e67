#include "searcher/searcher.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "common/fields.h"
#include "indexer/document_terms.h"
#include "indexer/posting_cursor.h"
#include "searcher/collector/collect.h"
#include "searcher/collector/facet_collector.h"
#include "searcher/facet_ordinals.h"
#include "searcher/name_aliases.h"
#include "searcher/query/query_weight.h"

namespace dateline {


Searcher::Searcher(const std::string& dir) : Searcher(std::vector<std::string>{dir}) {}

Searcher::Searcher(const std::vector<std::string>& dirs) {
  if (dirs.empty()) throw std::runtime_error("no index given");
  for (size_t i = 0; i < dirs.size(); ++i)
    for (size_t j = 0; j < i; ++j) {
      std::error_code ec;
      if (dirs[i] == dirs[j] || std::filesystem::equivalent(dirs[i], dirs[j], ec))
        throw std::runtime_error(dirs[i] + ": the same index is given twice (as " + dirs[j] + " and " + dirs[i] + ")");
    }
  for (const std::string& dir : dirs) open_index(dir);
  const Manifest& first = parts_[0].manifest;
  for (const Part& p : parts_)
    if (p.manifest.stemmer != first.stemmer || p.manifest.fold_accents != first.fold_accents) {
      auto analysis = [](const Manifest& m) {
        return "stemmer " + m.stemmer + ", accents " + (m.fold_accents ? "folded" : "kept");
      };
      throw std::runtime_error("indexes analysed differently cannot be searched together: " + parts_[0].dir + " (" +
                               analysis(first) + ") and " + p.dir + " (" + analysis(p.manifest) + ")");
    }
  try {
    analyzer_ = std::make_unique<Analyzer>(first.stemmer, first.fold_accents);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(parts_[0].dir + "/MANIFEST: " + e.what());
  }
  uint64_t tokens = 0;
  for (const Part& p : parts_)
    for (const auto& s : p.manifest.segments) {
      bm25_.docs += s.docs;
      tokens += s.text_tokens;
    }
  bm25_.avg_length = bm25_.docs ? std::max(1.0, static_cast<double>(tokens) / bm25_.docs) : 1.0;
  names_ = std::make_unique<NameAliases>(segments_, *analyzer_);
}

void Searcher::open_index(const std::string& dir) {
  // A commit may replace the MANIFEST and remove the files of the one read
  // here before they are open: then the newer one is read. Once open, the
  // files stay readable (they are mapped) whatever later commits remove.
  const size_t first = segments_.size();
  Part part{dir, {}};
  for (int attempt = 0;; ++attempt) {
    part.manifest = read_manifest(dir);
    try {
      segments_.resize(first);
      for (const auto& s : part.manifest.segments) segments_.push_back(std::make_unique<SegmentReader>(dir, s));
      break;
    } catch (const std::runtime_error&) {
      if (attempt >= 50 || read_manifest(dir).generation == part.manifest.generation) throw;
    }
  }
  segment_index_.resize(segments_.size(), parts_.size());
  parts_.push_back(std::move(part));
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

uint64_t Searcher::docs() const {
  uint64_t n = 0;
  for (const auto& seg : segments_) n += seg->live_docs();
  return n;
}

std::vector<const SegmentReader*> Searcher::segment_list() const {
  std::vector<const SegmentReader*> out;
  for (const auto& seg : segments_) out.push_back(seg.get());
  return out;
}

uint64_t Searcher::count(const Query& q) {
  const QueryWeight weight(q, segment_list(), bm25_, false, &live_df_);
  uint64_t n = 0;
  for (size_t s = 0; s < segments_.size(); ++s) n += weight.count(s);
  return n;
}

const FacetOrdinals& Searcher::facet_ordinals(FacetField f) {
  std::unique_ptr<FacetOrdinals>& slot = facet_ordinals_[static_cast<size_t>(f)];
  if (!slot) slot = std::make_unique<FacetOrdinals>(segment_list(), f);
  return *slot;
}

const SegmentFacetCounts& Searcher::facet_totals(size_t s) {
  if (facet_totals_.size() != segments_.size()) facet_totals_.resize(segments_.size());
  std::unique_ptr<SegmentFacetCounts>& slot = facet_totals_[s];
  if (!slot) slot = std::make_unique<SegmentFacetCounts>(count_live_documents(*segments_[s]));
  return *slot;
}

const FacetRows& Searcher::facet_rows(size_t s) {
  if (facet_rows_.size() != segments_.size()) facet_rows_.resize(segments_.size());
  std::unique_ptr<FacetRows>& slot = facet_rows_[s];
  if (!slot) slot = std::make_unique<FacetRows>(build_facet_rows(*segments_[s]));
  return *slot;
}

void Searcher::for_each_segment(const Query& q, const std::function<void(const SegmentRun&)>& visit) {
  const QueryWeight weight(q, segment_list(), bm25_, false, &live_df_);
  for (size_t s = 0; s < segments_.size(); ++s) {
    ScorerPtr root = weight.scorer(s);
    visit(SegmentRun{s, *segments_[s], *root, weight});
  }
}

std::vector<ScoredDoc> Searcher::all_hits(const Query& q) {
  const QueryWeight weight(q, segment_list(), bm25_, true, &live_df_);
  std::vector<ScoredDoc> hits;
  struct AllCollector {
    uint32_t s;
    const SegmentReader& seg;
    Scorer& root;
    std::vector<ScoredDoc>& hits;
    bool collect(uint32_t d) {
      hits.push_back(ScoredDoc{s, d, root.score(), seg.date(d)});
      return true;
    }
  };
  for (uint32_t s = 0; s < segments_.size(); ++s) {
    ScorerPtr root = weight.scorer(s);
    AllCollector c{s, *segments_[s], *root, hits};
    collect_segment(*root, *segments_[s], c);
  }
  return hits;
}

void sort_hits(std::vector<ScoredDoc>& hits, SearchOptions::Sort sort) {
  HitOrder order;
  if (sort == SearchOptions::Sort::Newest) order.by = HitOrder::By::Newest;
  if (sort == SearchOptions::Sort::Oldest) order.by = HitOrder::By::Oldest;
  std::sort(hits.begin(), hits.end(), order);
}

std::vector<std::string> Searcher::matching_ids(const Query& q) {
  const QueryWeight weight(q, segment_list(), bm25_, false);
  std::vector<std::string> ids;
  struct IdCollector {
    const SegmentReader& seg;
    std::vector<std::string>& ids;
    bool collect(uint32_t d) {
      ids.emplace_back(seg.doc_id(d));
      return true;
    }
  };
  for (size_t s = 0; s < segments_.size(); ++s) {
    ScorerPtr root = weight.scorer(s);
    IdCollector c{*segments_[s], ids};
    collect_segment(*root, *segments_[s], c);
  }
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

Snippet Searcher::snippet(const ScoredDoc& h, const Article& a, const std::unordered_set<std::string>& terms,
                          const std::vector<std::string>& prefixes, size_t max_words) const {
  const std::string& text = a.body.empty() ? a.title : a.body;
  if (!prefixes.empty()) return make_snippet(text, terms, *analyzer_, max_words, prefixes);
  uint32_t base = 0;
  if (!a.body.empty()) {
    std::vector<std::pair<uint32_t, uint32_t>> title;
    analyzer_->token_spans(a.title, title);
    base = body_position_base(static_cast<uint32_t>(title.size()));
  }
  std::vector<std::string_view> words(terms.begin(), terms.end());
  std::sort(words.begin(), words.end());
  const SegmentReader& seg = *segments_.at(h.segment);
  std::vector<WordHit> hits;
  for (size_t w = 0; w < words.size(); ++w) {
    const auto info = seg.term(words[w]);
    if (!info) continue;
    PostingCursor c = seg.cursor(*info);
    c.advance(h.doc);
    if (c.doc() != h.doc) continue;
    for (const uint32_t p : c.positions())
      if (p >= base) hits.push_back(WordHit{p - base, static_cast<uint32_t>(w)});
  }
  return make_snippet_at(text, hits, *analyzer_, max_words);
}

SearchResults Searcher::search(const Query& q, const SearchOptions& opts) {
  // Keep the best offset+limit hits.
  const size_t keep = opts.limit > SIZE_MAX - opts.offset ? SIZE_MAX : opts.offset + opts.limit;
  SearchResults res;
  if (keep == 0) {
    res.total = opts.count_total ? count(q) : 0;
    res.total_exact = opts.count_total;
    return res;
  }
  HitOrder order;
  if (opts.sort == SearchOptions::Sort::Newest) order.by = HitOrder::By::Newest;
  if (opts.sort == SearchOptions::Sort::Oldest) order.by = HitOrder::By::Oldest;
  const QueryWeight weight(q, segment_list(), bm25_, true, &live_df_);
  TopDocsCollector top(keep, order);
  // By date, the segments newest (or oldest) first: the heap fills with the
  // best dates early, and later segments can be skipped whole.
  std::vector<uint32_t> visit(segments_.size());
  for (uint32_t s = 0; s < visit.size(); ++s) visit[s] = s;
  if (order.by != HitOrder::By::Score)
    std::stable_sort(visit.begin(), visit.end(), [&](uint32_t a, uint32_t b) {
      const SegmentInfo& x = segments_[a]->info();
      const SegmentInfo& y = segments_[b]->info();
      const DayNumber dx = order.by == HitOrder::By::Newest ? x.max_date : x.min_date;
      const DayNumber dy = order.by == HitOrder::By::Newest ? y.max_date : y.min_date;
      return order.date_before(dx, dy);
    });
  for (const uint32_t s : visit) {
    const SegmentReader& seg = *segments_[s];
    // Pruning skips matches, so it runs only where they need no counting.
    const int64_t known = opts.count_total ? weight.known_count(s) : -1;
    const bool prune = !opts.exhaustive && (!opts.count_total || known >= 0);
    if (prune && !top.segment_competitive(seg.info().min_date, seg.info().max_date)) {
      res.total += known >= 0 ? static_cast<uint64_t>(known) : 0;
      continue;
    }
    ScorerPtr root = weight.scorer(s);
    const uint64_t before = top.collected();
    top.set_segment(s, seg, *root, prune);
    if (prune && order.by != HitOrder::By::Score)
      top.collect_by_date(*root);
    else if (prune && root->scores_blocks())
      top.collect_blocks(*root);
    else
      collect_segment(*root, seg, top);
    res.total += known >= 0 ? static_cast<uint64_t>(known) : top.collected() - before;
  }
  res.total_exact = opts.count_total;
  if (!opts.count_total) res.total = 0;
  std::vector<ScoredDoc> best = top.take_sorted();
  for (size_t i = opts.offset; i < best.size(); ++i) res.hits.push_back(best[i]);
  return res;
}

Article Searcher::document(const ScoredDoc& d) const { return segments_.at(d.segment)->document(d.doc); }

std::string Searcher::doc_id(const ScoredDoc& d) const {
  return std::string(segments_.at(d.segment)->doc_id(d.doc));
}

}  // namespace dateline
