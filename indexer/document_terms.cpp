#include "indexer/document_terms.h"

#include <algorithm>

#include "common/fields.h"

namespace dateline {


char alias_type_letter(EntityType t) {
  switch (t) {
    case EntityType::Person: return field_prefix(Field::Person)[0];
    case EntityType::Organization: return field_prefix(Field::Organization)[0];
    case EntityType::Place: return field_prefix(Field::Place)[0];
    case EntityType::Other: break;
  }
  return field_prefix(Field::Entity)[0];
}

std::string alias_term(const NameAlias& a, Analyzer& analyzer) {
  std::vector<Token> tokens;
  analyzer.analyze(a.alias, false, tokens);
  if (tokens.empty() || a.name.empty()) return {};
  std::string t(kAliasPrefix);
  t.push_back(alias_type_letter(a.type));
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i) t.push_back(' ');
    t += tokens[i].term;
  }
  t.push_back(kAliasSeparator);
  t += a.name;
  return t;
}

uint32_t DocumentAnalyzer::add(std::string_view term, uint32_t pos) {
  const uint64_t h = TermTable::hash(term);
  bool inserted = false;
  const uint32_t id = terms_.find_or_add(term, h, inserted);
  if (inserted) term_hashes_.push_back(h);
  occurrence_terms_.push_back(id);
  occurrence_positions_.push_back(pos);
  return id;
}

// One occurrence of `folded`, written in field `f`, of the stemmed term `stem`.
void DocumentAnalyzer::add_written(Field f, std::string_view folded, uint32_t stem) {
  key_.clear();
  key_.append(kWrittenPrefix).append(field_prefix(f)).append(folded);
  const uint64_t h = TermTable::hash(key_);
  bool inserted = false;
  const uint32_t id = forms_.find_or_add(key_, h, inserted);
  if (!inserted) {
    ++form_freqs_[id];
    return;
  }
  form_hashes_.push_back(h);
  form_stems_.push_back(stem);
  form_freqs_.push_back(1);
}

// A name pair (common/fields.h), once per article.
void DocumentAnalyzer::add_name_pair(std::string pair) {
  if (std::find(name_pairs_.begin(), name_pairs_.end(), pair) == name_pairs_.end()) name_pairs_.push_back(std::move(pair));
}

// Adds one field value; returns the position after its last token. Title
// and body words are stemmed when the analyzer stems, and then also
// recorded in their written form.
uint32_t DocumentAnalyzer::add_text(Field f, const std::string& text, uint32_t base) {
  tokens_.clear();
  const bool stem = is_stemmed_field(f) && analyzer_.stems();
  analyzer_.analyze(text, false, tokens_);
  const auto prefix = field_prefix(f);
  const bool pairs = is_name_field(f);
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const uint32_t pos = base + static_cast<uint32_t>(i);
    const std::string& folded = tokens_[i].term;
    if (pairs && i > 0) add_name_pair(name_pair_term(f, tokens_[i - 1].term, folded));
    term_.clear();
    term_.append(prefix);
    if (!stem) {
      add(term_.append(folded), pos);
      continue;
    }
    add_written(f, folded, add(term_.append(analyzer_.stem(folded)), pos));
  }
  return base + static_cast<uint32_t>(tokens_.size());
}

void DocumentAnalyzer::add_values(Field f, const std::vector<std::string>& values) {
  uint32_t pos = 0;
  for (const auto& v : values) pos = add_text(f, v, pos) + kPositionGap;
}

// Every entity under Entity; typed ones also under their own field.
void DocumentAnalyzer::add_entities(const std::vector<Entity>& entities) {
  uint32_t pos = 0, person = 0, org = 0, place = 0;
  for (const Entity& e : entities) {
    pos = add_text(Field::Entity, e.name, pos) + kPositionGap;
    switch (e.type) {
      case EntityType::Person: person = add_text(Field::Person, e.name, person) + kPositionGap; break;
      case EntityType::Organization: org = add_text(Field::Organization, e.name, org) + kPositionGap; break;
      case EntityType::Place: place = add_text(Field::Place, e.name, place) + kPositionGap; break;
      case EntityType::Other: break;
    }
  }
}

// The token span of each quotation (the body's tokens that lie inside its
// bytes), under the any-quotation marker and under each word of its
// speaker's name.
void DocumentAnalyzer::add_quote_markers(const std::vector<Quotation>& quotes, uint32_t body_base) {
  if (quotes.empty()) return;
  quote_spans_.clear();
  for (auto& [word, spans] : speaker_spans_) spans.clear();
  size_t speakers = 0;
  for (const Quotation& q : quotes) {
    // Tokens are in byte order: the first that starts at or after q.start.
    auto first = std::lower_bound(tokens_.begin(), tokens_.end(), q.start,
                                  [](const Token& t, uint32_t at) { return t.start < at; });
    auto last = first;
    while (last != tokens_.end() && last->end <= q.end) ++last;
    if (last == first) continue;
    const std::pair<uint32_t, uint32_t> span{body_base + static_cast<uint32_t>(first - tokens_.begin()),
                                             body_base + static_cast<uint32_t>(last - tokens_.begin()) - 1};
    quote_spans_.push_back(span);
    name_tokens_.clear();
    analyzer_.analyze(q.speaker, false, name_tokens_);
    for (const Token& t : name_tokens_) {
      size_t i = 0;
      while (i < speakers && speaker_spans_[i].first != t.term) ++i;
      if (i == speakers) {
        if (speakers == speaker_spans_.size()) speaker_spans_.emplace_back();
        speaker_spans_[speakers].first = t.term;
        speaker_spans_[speakers++].second.clear();
      }
      speaker_spans_[i].second.push_back(span);
    }
  }
  add_spans(kQuoteMarker, quote_spans_);
  for (size_t i = 0; i < speakers; ++i) add_spans(quote_speaker_marker(speaker_spans_[i].first), speaker_spans_[i].second);
}

// Adds `marker` with the spans, sorted and overlapping ones merged, each
// as the positions 2*first and 2*last+1.
void DocumentAnalyzer::add_spans(std::string_view marker, std::vector<std::pair<uint32_t, uint32_t>>& spans) {
  if (spans.empty()) return;
  std::sort(spans.begin(), spans.end());
  const std::string term(marker);
  uint32_t lo = spans[0].first, hi = spans[0].second;
  for (size_t i = 1; i <= spans.size(); ++i) {
    if (i < spans.size() && spans[i].first <= hi) {
      hi = std::max(hi, spans[i].second);
      continue;
    }
    add(term, 2 * lo);
    add(term, 2 * hi + 1);
    if (i < spans.size()) lo = spans[i].first, hi = spans[i].second;
  }
}

// Groups the occurrences by term (a counting sort, which keeps each term's
// positions in token order: ascending) and lays out names and forms.
void DocumentAnalyzer::finish() {
  DocumentTerms& d = out_;
  const size_t n = terms_.size();
  d.terms.assign(n, DocumentTerms::Entry{});
  for (const uint32_t t : occurrence_terms_) ++d.terms[t].freq;
  uint32_t begin = 0;
  d.names.clear();
  for (uint32_t t = 0; t < n; ++t) {
    DocumentTerms::Entry& e = d.terms[t];
    e.hash = term_hashes_[t];
    e.pos_begin_or_stem = begin;
    begin += e.freq;
    e.name_begin = static_cast<uint32_t>(d.names.size());
    d.names.append(terms_.name(t));
    e.name_end = static_cast<uint32_t>(d.names.size());
  }
  d.positions.resize(begin);
  fill_.assign(n, 0);
  for (size_t i = 0; i < occurrence_terms_.size(); ++i) {
    const uint32_t t = occurrence_terms_[i];
    d.positions[d.terms[t].pos_begin_or_stem + fill_[t]++] = occurrence_positions_[i];
  }
  d.written.assign(forms_.size(), DocumentTerms::Entry{});
  for (uint32_t f = 0; f < forms_.size(); ++f) {
    DocumentTerms::Entry& e = d.written[f];
    e.hash = form_hashes_[f];
    e.freq = form_freqs_[f];
    e.pos_begin_or_stem = form_stems_[f];
    e.name_begin = static_cast<uint32_t>(d.names.size());
    d.names.append(forms_.name(f));
    e.name_end = static_cast<uint32_t>(d.names.size());
  }
}

const DocumentTerms& DocumentAnalyzer::analyze(const Article& article) {
  terms_.clear();
  forms_.clear();
  term_hashes_.clear();
  form_hashes_.clear();
  occurrence_terms_.clear();
  occurrence_positions_.clear();
  form_stems_.clear();
  form_freqs_.clear();
  name_pairs_.clear();
  const uint32_t title_end = add_text(Field::Text, article.title, 0);
  const uint32_t body_base = body_position_base(title_end);
  const uint32_t body_end = add_text(Field::Text, article.body, body_base);
  add_quote_markers(article.quotes, body_base);  // tokens_ still holds the body's tokens
  add_text(Field::Title, article.title, 0);
  add_values(Field::Speaker, article.speakers);
  add_entities(article.entities);
  finish();
  out_.text_length = title_end + (body_end - body_base);
  out_.markers.clear();
  out_.markers.push_back(id_term(article.id));
  for (const NameAlias& a : article.aliases) {
    std::string t = alias_term(a, analyzer_);
    if (!t.empty() && std::find(out_.markers.begin(), out_.markers.end(), t) == out_.markers.end())
      out_.markers.push_back(std::move(t));
  }
  for (std::string& p : name_pairs_) out_.markers.push_back(std::move(p));
  return out_;
}

DocumentTerms analyze_article(const Article& article, Analyzer& analyzer) {
  DocumentAnalyzer a(analyzer);
  return a.analyze(article);
}

}  // namespace dateline
