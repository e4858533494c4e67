// Turning an article into indexed terms with positions, per field.
//
// This is the single definition of what gets indexed; the Xapian oracle in the
// tests feeds Xapian from the same function so both see identical terms.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/analyzer.h"
#include "common/fields.h"
#include "corpus/article.h"
#include "indexer/term_table.h"

namespace dateline {

// The terms of one article, flat: term names end to end in one buffer,
// every term's positions in one array (no allocation per term).
struct DocumentTerms {
  struct Entry {
    uint64_t hash = 0;  // TermTable::hash of the term
    uint32_t name_begin = 0, name_end = 0;
    uint32_t freq = 0;
    // Positional terms: where its freq positions start in `positions`.
    // Written forms: the index in `terms` of the stemmed term it indexes as.
    uint32_t pos_begin_or_stem = 0;
  };
  // Every distinct positional term, in order of first occurrence.
  std::vector<Entry> terms;
  std::vector<uint32_t> positions;  // each term's ascending positions, term after term
  // With a stemmer: every distinct written form of the title and body words
  // (common/fields.h: "W" + field prefix + folded word), with its frequency.
  std::vector<Entry> written;
  std::string names;
  // Terms without positions, frequency 1: the article's id term, then its
  // alias terms, then its name pairs (common/fields.h), each once.
  std::vector<std::string> markers;
  uint32_t text_length = 0;  // number of title + body tokens (the BM25 length)

  std::string_view name(const Entry& e) const {
    return std::string_view(names).substr(e.name_begin, e.name_end - e.name_begin);
  }
  const uint32_t* positions_of(const Entry& e) const { return positions.data() + e.pos_begin_or_stem; }
  uint32_t stem_of(const Entry& written_form) const { return written_form.pos_begin_or_stem; }
};

// Analyses title and body (stemmed, unprefixed: the Text field; title also
// T-prefixed; with a stemmer, their written forms W- and WT-prefixed),
// speakers (S-prefixed) and entities (E-prefixed, and typed ones also P-, O-
// or L-prefixed for people, organisations, places; names are not stemmed),
// the article's id, its name aliases and name pairs, and the quotation markers (common/fields.h:
// kQuoteMarker) over the body's token positions. Body positions start kPositionGap after the
// last title position; consecutive values of a name field are kPositionGap apart.
//
// The position of the body's first token in the Text field, after a title
// of `title_tokens` tokens (0 when there is no title).
inline uint32_t body_position_base(uint32_t title_tokens) {
  return title_tokens == 0 ? 0 : title_tokens + kPositionGap;
}

// One DocumentAnalyzer serves one thread, article after article, reusing
// its memory; the terms it returns stay valid until its next analyze().
class DocumentAnalyzer {
 public:
  explicit DocumentAnalyzer(Analyzer& analyzer) : analyzer_(analyzer) {}
  const DocumentTerms& analyze(const Article& article);

 private:
  uint32_t add_text(Field f, const std::string& text, uint32_t base);
  void add_values(Field f, const std::vector<std::string>& values);
  void add_entities(const std::vector<Entity>& entities);
  void add_quote_markers(const std::vector<Quotation>& quotes, uint32_t body_base);
  void add_spans(std::string_view marker, std::vector<std::pair<uint32_t, uint32_t>>& spans);
  uint32_t add(std::string_view term, uint32_t pos);
  void add_written(Field f, std::string_view folded, uint32_t stem);
  void add_name_pair(std::string pair);
  void finish();

  Analyzer& analyzer_;
  DocumentTerms out_;
  TermTable terms_, forms_;
  std::vector<uint64_t> term_hashes_, form_hashes_;
  std::vector<uint32_t> occurrence_terms_, occurrence_positions_;  // in token order
  std::vector<uint32_t> form_stems_, form_freqs_;
  std::vector<uint32_t> fill_;  // scratch: positions placed so far, by term
  std::vector<Token> tokens_, name_tokens_;
  std::vector<std::string> name_pairs_;  // this article's, each once
  std::vector<std::pair<std::string, std::vector<std::pair<uint32_t, uint32_t>>>> speaker_spans_;
  std::vector<std::pair<uint32_t, uint32_t>> quote_spans_;
  std::string term_, key_;  // scratch: the term and the written form being added
};

// The same, for one article (tests and tools).
DocumentTerms analyze_article(const Article& article, Analyzer& analyzer);

// The alias term of `a` (common/fields.h), or "" when the alias analyses to
// no token. Shared with the searcher, which parses these terms back.
std::string alias_term(const NameAlias& a, Analyzer& analyzer);

// The type letter of alias terms: P, O, L, or E for Other.
char alias_type_letter(EntityType t);

}  // namespace dateline
