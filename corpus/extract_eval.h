// Measuring the extractor against hand-made gold annotations
// (`dateline eval-extract`, tests/extract_eval_test.cpp).
//
// Gold files are JSON Lines, one object per annotated article:
//   {"id": "...", "speakers": [...], "people": [...], "organizations": [...], "places": [...]}
// holding names only. A name may list alternative forms separated by '|'
// ("United States|U.S."); a prediction equal to any of them counts. Names are
// compared case-insensitively after whitespace normalisation. A field that is
// absent from a record is not evaluated for that article.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "corpus/article.h"
#include "corpus/prf_counts.h"
#include "corpus/reader.h"

namespace dateline {

// The evaluated fields, in report order.
enum class EvalField : uint8_t { Speakers, People, Organizations, Places };
inline constexpr size_t kEvalFields = 4;
const char* eval_field_name(EvalField f);  // "speakers", "people", "organizations", "places"

struct GoldArticle {
  std::string id;
  std::string where;  // "file:line" of the record
  // Per field: the gold names, each a list of accepted forms. `present` says
  // whether the record gives the field at all.
  std::array<std::vector<std::vector<std::string>>, kEvalFields> names;  // normalised
  std::array<std::vector<std::string>, kEvalFields> display;             // as written, for messages
  std::array<bool, kEvalFields> present{};
  // The record's "quotes" (corpus/gold/README.md), when it has the field.
  bool has_quotes = false;
  std::vector<Quotation> quotes;
};

// Reads a gold file. Throws std::runtime_error naming file:line on a
// malformed record or a duplicate id.
std::vector<GoldArticle> read_gold_file(const std::string& path);

using FieldScore = PrfCounts;

// One disagreement with the gold annotation.
struct EvalMismatch {
  std::string id;
  EvalField field;
  std::string name;
  bool false_positive;  // predicted but not in gold (else: in gold but not predicted)
};

// Agreement with source labels (Reuters-21578 <PLACES>, <PEOPLE>, <ORGS>):
// how many labelled values an extracted entity matches.
struct LabelAgreement {
  std::string kind;                    // "places", "people", "orgs"
  uint64_t values = 0;                 // labelled values over all labelled articles
  uint64_t in_text = 0;                // of those, named in the title or body (a known form of the name
                                       // occurs as words: "U.S.", "United States" for "usa"; the surname for people)
  uint64_t matched_typed = 0;          // matched by an entity of the corresponding type
  uint64_t matched_any = 0;            // matched by an entity of any type
  std::vector<std::string> unmatched;  // "id: value" (for --verbose), labels not matched by any entity
};

// Quotations against the gold's: a predicted span matches a gold span (one to
// one, best overlap first) when they share at least half of the longer one.
struct QuoteScore {
  uint64_t gold = 0, predicted = 0, matched = 0;
  uint64_t exact = 0;                       // of the matched, the same bytes
  uint64_t gold_direct = 0, direct_matched = 0;
  uint64_t direct_speaker_right = 0;        // of the matched gold direct quotes: speaker (and kind of speaker) right
  uint64_t matched_speaker_right = 0;       // the same over all matched
  uint64_t kind_right = 0;                  // of the matched: direct/reported right
  uint64_t articles = 0;                    // gold articles with a "quotes" field
  FieldScore spans() const { return {matched, predicted - matched, gold - matched}; }
};

// One quotation that disagrees with the gold: missed, extra, or matched with
// the wrong speaker (for --verbose).
struct QuoteMismatch {
  std::string id;
  std::string what;  // "FN", "FP", "speaker"
  Quotation quote;   // the gold one for FN and speaker, else the predicted
  std::string other; // the predicted speaker, for "speaker"
};

struct ExtractEvaluation {
  QuoteScore quotes;
  std::vector<QuoteMismatch> quote_mismatches;
  uint64_t gold_articles = 0;                  // records in the gold file
  uint64_t evaluated_articles = 0;             // of those, found among the articles read
  std::vector<std::string> missing;            // gold ids not found
  std::array<FieldScore, kEvalFields> scores;  // micro-averaged over articles
  std::vector<EvalMismatch> mismatches;
  uint64_t articles_read = 0;
  uint64_t labelled_articles = 0;      // articles read that carry labels
  std::vector<LabelAgreement> labels;  // empty when no article carries labels
  double extract_seconds = 0;          // CPU time spent in extract_fields()
};

struct EvalOptions {
  // Evaluate what the input gives (JSONL "speakers"/"entities") instead of
  // re-extracting; off by default, so the extractor itself is measured.
  bool use_given = false;
  // Compare with source labels over every article read (not only gold ones).
  bool label_agreement = true;
};

// Reads the articles under `paths`, runs extract_fields() on each (ignoring
// given speakers/entities unless options.use_given), scores the gold articles
// and the label agreement. Reader diagnostics go to `diag` (may be null).
ExtractEvaluation evaluate_extraction(const std::vector<GoldArticle>& gold, const std::vector<std::string>& paths,
                                      const EvalOptions& options = {}, const DiagnosticSink& diag = nullptr);

// Names normalised for comparison: ASCII-lower-cased, accents folded (as the
// index folds them: "Montréal" = "Montreal"), whitespace collapsed, a
// trailing '.' dropped.
std::string normalize_eval_name(std::string_view name);

// Whether a Reuters-21578 label value ("usa", "james-baker", "worldbank")
// names the entity `name` ("United States", "James Baker", "World Bank").
// Hyphens are spaces; country and organisation codes go through a small alias
// table; a people label matches a name that ends with its words ("reagan" ->
// "Ronald Reagan").
bool label_matches(std::string_view kind, std::string_view value, std::string_view name);

}  // namespace dateline
