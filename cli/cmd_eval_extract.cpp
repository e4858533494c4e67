// dateline eval-extract: precision, recall and F1 of the extractor against gold annotations.
#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "cli/commands.h"
#include "corpus/extract_eval.h"
#include "corpus/ner.h"

namespace dateline::cli {

namespace {

struct EvalArgs {
  std::string gold;
  std::vector<std::string> paths;
  bool verbose = false;
  bool use_given = false;
  bool no_labels = false;
  std::string conll;
};

// The compiled-in tagger on a CoNLL file, exact spans (conlleval).
// -v: each sentence the tagger gets wrong, its false positives and
// negatives ("FP ORG Leeds", "FN ORG Leeds United"), then the sentence.
void print_conll_mistakes(const std::vector<NerSentence>& gold, const std::vector<std::vector<NerLabel>>& tagged) {
  static const char* kTypes[] = {"PER", "ORG", "LOC", "MISC"};
  for (size_t si = 0; si < gold.size(); ++si) {
    const auto g = ner_spans(gold[si].labels), p = ner_spans(tagged[si]);
    const auto words = [&](const NerSpan& x) {
      std::string out;
      for (uint32_t k = x.first; k <= x.last; ++k) out += (k > x.first ? " " : "") + gold[si].words[k];
      return out;
    };
    bool any = false;
    for (const auto& [mine, theirs, what] : {std::tuple{&p, &g, "FP"}, std::tuple{&g, &p, "FN"}})
      for (const NerSpan& x : *mine)
        if (std::find(theirs->begin(), theirs->end(), x) == theirs->end()) {
          std::printf("  %s %-4s %s\n", what, kTypes[x.type], words(x).c_str());
          any = true;
        }
    if (!any) continue;
    std::printf("    sentence %zu:", si + 1);
    for (const std::string& w : gold[si].words) std::printf(" %s", w.c_str());
    std::printf("\n");
  }
}

int run_conll(const std::string& path, bool verbose) {
  std::vector<NerSentence> gold;
  try {
    gold = read_conll(path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dateline eval-extract: error: %s\n", e.what());
    return 1;
  }
  if (NerModel::builtin().empty()) {
    std::fprintf(stderr, "dateline eval-extract: error: this build has no NER model (corpus/data/ner/model.bin)\n");
    return 1;
  }
  if (verbose) print_conll_mistakes(gold, tag_sentences(NerModel::builtin(), gold));
  const std::vector<NerSpanScore> s = score_ner(NerModel::builtin(), gold);
  std::printf("conll: %s: %zu sentences; exact spans (an entity counts when its type and both ends are right)\n",
              path.c_str(), gold.size());
  std::printf("%-14s %6s %6s %6s  %9s %7s %7s\n", "type", "TP", "FP", "FN", "precision", "recall", "F1");
  static const char* kTypes[] = {"PER", "ORG", "LOC", "MISC", "PER+ORG+LOC"};
  for (size_t t = 0; t < s.size(); ++t)
    std::printf("%-14s %6llu %6llu %6llu  %9.3f %7.3f %7.3f\n", kTypes[t], static_cast<unsigned long long>(s[t].tp),
                static_cast<unsigned long long>(s[t].fp), static_cast<unsigned long long>(s[t].fn), s[t].precision(),
                s[t].recall(), s[t].f1());
  return 0;
}

int run_eval(const EvalArgs& a) {
  if (!a.conll.empty()) return run_conll(a.conll, a.verbose);
  if (a.gold.empty() || a.paths.empty()) {
    std::fprintf(stderr, "dateline eval-extract: error: give a gold file and the paths of its articles, or --conll FILE\n");
    return 2;
  }
  std::vector<GoldArticle> gold;
  try {
    gold = read_gold_file(a.gold);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dateline eval-extract: error: %s\n", e.what());
    return 2;
  }
  uint64_t read_errors = 0;
  EvalOptions opts;
  opts.use_given = a.use_given;
  opts.label_agreement = !a.no_labels;
  const ExtractEvaluation ev = evaluate_extraction(gold, a.paths, opts, [&](const Diagnostic& d) {
    read_errors += d.level == Diagnostic::Level::Error;
    std::fprintf(stderr, "%s: %s: %s\n", d.level == Diagnostic::Level::Error ? "error" : "warning", d.where.c_str(),
                 d.message.c_str());
  });
  for (const std::string& id : ev.missing)
    std::fprintf(stderr, "warning: %s: gold article \"%s\" not found in the input\n", a.gold.c_str(), id.c_str());

  std::printf("gold: %s: %llu articles, %llu found among %llu read%s\n", a.gold.c_str(),
              static_cast<unsigned long long>(ev.gold_articles), static_cast<unsigned long long>(ev.evaluated_articles),
              static_cast<unsigned long long>(ev.articles_read), a.use_given ? " (given speakers/entities kept)" : "");
  std::printf("%-14s %6s %6s %6s  %9s %7s %7s\n", "field", "TP", "FP", "FN", "precision", "recall", "F1");
  for (size_t k = 0; k < kEvalFields; ++k) {
    const FieldScore& s = ev.scores[k];
    std::printf("%-14s %6llu %6llu %6llu  %9.3f %7.3f %7.3f\n", eval_field_name(static_cast<EvalField>(k)),
                static_cast<unsigned long long>(s.tp), static_cast<unsigned long long>(s.fp),
                static_cast<unsigned long long>(s.fn), s.precision(), s.recall(), s.f1());
  }
  if (ev.quotes.articles > 0) {
    const QuoteScore& q = ev.quotes;
    const FieldScore s = q.spans();
    auto share = [](uint64_t n, uint64_t d) { return d ? static_cast<double>(n) / static_cast<double>(d) : 0.0; };
    std::printf("\nquotations (%llu articles): %llu gold (%llu direct), %llu extracted\n",
                static_cast<unsigned long long>(q.articles), static_cast<unsigned long long>(q.gold),
                static_cast<unsigned long long>(q.gold_direct), static_cast<unsigned long long>(q.predicted));
    std::printf("%-14s %6llu %6llu %6llu  %9.3f %7.3f %7.3f   (a span shares half of the longer; exact %.3f)\n",
                "quote spans", static_cast<unsigned long long>(s.tp), static_cast<unsigned long long>(s.fp),
                static_cast<unsigned long long>(s.fn), s.precision(), s.recall(), s.f1(), share(q.exact, q.matched));
    std::printf("direct quotes: %llu of %llu found; speaker right for %.3f of those found (all found quotes: %.3f; "
                "direct/reported right: %.3f)\n",
                static_cast<unsigned long long>(q.direct_matched), static_cast<unsigned long long>(q.gold_direct),
                share(q.direct_speaker_right, q.direct_matched), share(q.matched_speaker_right, q.matched),
                share(q.kind_right, q.matched));
  }
  if (!ev.labels.empty()) {
    std::printf("\nsource labels (%llu labelled articles): share of label values that an extracted entity names\n",
                static_cast<unsigned long long>(ev.labelled_articles));
    std::printf("%-8s %7s %15s %15s %15s %16s\n", "label", "values", "named in text", "extracted,type", "extracted,any",
                "type/named-in-text");
    for (const LabelAgreement& l : ev.labels) {
      auto pct = [](uint64_t n, uint64_t d) {
        return d ? 100.0 * static_cast<double>(n) / static_cast<double>(d) : 0.0;
      };
      std::printf("%-8s %7llu %7llu %5.1f%% %7llu %5.1f%% %7llu %5.1f%% %15.1f%%\n", l.kind.c_str(),
                  static_cast<unsigned long long>(l.values), static_cast<unsigned long long>(l.in_text),
                  pct(l.in_text, l.values), static_cast<unsigned long long>(l.matched_typed),
                  pct(l.matched_typed, l.values), static_cast<unsigned long long>(l.matched_any),
                  pct(l.matched_any, l.values), pct(l.matched_typed, l.in_text));
    }
    std::printf(
        "(a label is matched when an extracted entity names it: codes go through the gazetteer and a\n"
        " small alias table, \"usa\" ~ \"United States\", \"ec\" ~ \"European Community\"; a people label\n"
        " matches a name ending with its words, \"james-baker\" ~ \"James Baker\", \"reagan\" ~ \"Reagan\")\n");
  }
  if (a.verbose) {
    std::printf("\ndisagreements (FP: extracted, not in gold; FN: in gold, not extracted):\n");
    for (const EvalMismatch& m : ev.mismatches)
      std::printf("  %s  %-13s %s  %s\n", m.id.c_str(), eval_field_name(m.field), m.false_positive ? "FP" : "FN",
                  m.name.c_str());
    for (const QuoteMismatch& m : ev.quote_mismatches)
      std::printf("  %s  quote %-7s %s %s [%u,%u) %s%s%s\n", m.id.c_str(), m.what.c_str(),
                  std::string(quote_kind_name(m.quote.kind)).c_str(),
                  m.quote.speaker.empty() ? "(unnamed)" : m.quote.speaker.c_str(), m.quote.start, m.quote.end,
                  m.quote.cue.c_str(), m.other.empty() ? "" : " extracted: ", m.other.c_str());
    for (const LabelAgreement& l : ev.labels)
      for (const std::string& u : l.unmatched) std::printf("  label %-6s unmatched  %s\n", l.kind.c_str(), u.c_str());
  }
  std::printf("\nextract_fields() CPU time: %.2f s\n", ev.extract_seconds);
  return read_errors || !ev.missing.empty() ? 1 : 0;
}

}  // namespace

Runner add_eval_extract_command(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  auto* sub =
      app.add_subcommand("eval-extract", "Score extracted speakers and typed entities against gold annotations");
  sub->add_option("gold", a->gold,
                  "Gold file: JSON Lines {\"id\",\"speakers\",\"people\",\"organizations\",\"places\",\"quotes\"}");
  sub->add_option("paths", a->paths, "Files or directories holding the annotated articles (same formats as 'index')");
  sub->add_option("--conll", a->conll,
                  "Instead: score the compiled-in NER tagger on a CoNLL file (TOKEN TAG), exact spans per type");
  sub->add_flag("--verbose,-v", a->verbose, "List every false positive and false negative per article (with --conll: per sentence, and the sentence)");
  sub->add_flag("--use-given", a->use_given,
                "Score the speakers/entities given in JSONL input instead of re-extracting");
  sub->add_flag("--no-labels", a->no_labels,
                "Skip the agreement with source labels (Reuters <PEOPLE>/<ORGS>/<PLACES>)");
  sub->footer(
      "Names match case- and accent-insensitively after whitespace normalisation; a gold name may list\n"
      "alternatives as \"United States|U.S.\". Figures are micro-averaged over the gold articles.\n"
      "Example: dateline eval-extract corpus/gold/samples.gold.jsonl corpus/samples\n"
      "         dateline eval-extract --conll ../shared/corpora/conll2003/dev.txt");
  return [a] { return run_eval(*a); };
}

}  // namespace dateline::cli
