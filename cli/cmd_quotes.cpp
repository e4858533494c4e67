// dateline quotes: the quotations that match a query, newest first ("what
// did X say about Y, and when").
#include <cstdio>

#include "cli/article_output.h"
#include "cli/commands.h"
#include "common/fields.h"
#include "searcher/quote_match.h"
#include "searcher/searcher.h"

namespace dateline::cli {

namespace {

struct QuotesArgs {
  std::vector<std::string> indexes;
  std::vector<std::string> query_words;
  size_t limit = 20;
  bool json = false;
};

bool is_field_term(const std::string& t) { return !t.empty() && t[0] >= 'A' && t[0] <= 'Z'; }

// Words and phrases of the text only: what may stand inside a quotation.
bool is_text(const Query& q) {
  switch (q.op) {
    case Query::Op::Term:
    case Query::Op::Phrase:
    case Query::Op::Near:
      for (const std::string& t : q.terms)
        if (is_field_term(t)) return false;
      return true;
    case Query::Op::And:
    case Query::Op::Or:
    case Query::Op::AndNot:
      for (const Query& c : q.children)
        if (!is_text(c)) return false;
      return true;
    default:
      return false;
  }
}

// speaker:NAME (a word, a phrase, or the names it was resolved to): the
// quotation markers of each name.
bool speaker_markers(const Query& q, std::vector<std::vector<std::string>>& out) {
  const std::string prefix(field_prefix(Field::Speaker));
  if (q.op == Query::Op::Term || (q.op == Query::Op::Phrase && q.window == q.terms.size())) {
    std::vector<std::string> markers;
    for (const std::string& t : q.terms) {
      if (!t.starts_with(prefix)) return false;
      markers.push_back(quote_speaker_marker(std::string_view(t).substr(prefix.size())));
    }
    out.push_back(std::move(markers));
    return true;
  }
  if (q.op != Query::Op::Or) return false;
  for (const Query& c : q.children)
    if (!speaker_markers(c, out)) return false;
  return true;
}

// The query as `dateline quotes` reads it: its words and phrases inside one
// quotation, speaker: the quotation's speaker, everything else (date:,
// entity:, ...) about the article.
Query quotation_query(const Query& q) {
  Query root = q;
  std::vector<Query> excluded_text;
  std::optional<Query> excluded_other;
  if (root.op == Query::Op::AndNot) {
    Query rest = root.children[0];
    if (is_text(root.children[1])) excluded_text.push_back(root.children[1]);
    else excluded_other = root.children[1];
    root = std::move(rest);
  }
  std::vector<Query> clauses;
  if (root.op == Query::Op::And) clauses = root.children;
  else if (root.op != Query::Op::MatchAll) clauses.push_back(root);
  std::vector<Query> text, article;
  std::vector<std::vector<std::string>> speakers;
  for (Query& c : clauses) {
    if (is_text(c)) text.push_back(std::move(c));
    else if (!speaker_markers(c, speakers)) article.push_back(std::move(c));
  }
  if (text.empty() && speakers.empty())
    throw QueryError("give words to find in quotations, or speaker:NAME, or both", 0);
  std::optional<Query> operand;
  if (!text.empty()) {
    Query t;
    if (text.size() == 1) {
      t = std::move(text[0]);
    } else {
      t.op = Query::Op::And;
      t.children = std::move(text);
    }
    if (!excluded_text.empty()) {
      Query n;
      n.op = Query::Op::AndNot;
      n.children = {std::move(t), std::move(excluded_text[0])};
      t = std::move(n);
    }
    operand = std::move(t);
  }
  if (speakers.empty()) speakers.push_back({std::string(kQuoteMarker)});
  std::vector<Query> withins;
  for (auto& markers : speakers) {
    Query w;
    w.op = Query::Op::Within;
    w.terms = std::move(markers);
    if (operand) w.children.push_back(*operand);
    withins.push_back(std::move(w));
  }
  Query within;
  if (withins.size() == 1) {
    within = std::move(withins[0]);
  } else {
    within.op = Query::Op::Or;
    within.children = std::move(withins);
  }
  Query out;
  if (article.empty()) {
    out = std::move(within);
  } else {
    out.op = Query::Op::And;
    out.children = std::move(article);
    out.children.push_back(std::move(within));
  }
  if (excluded_other) {
    Query n;
    n.op = Query::Op::AndNot;
    n.children = {std::move(out), std::move(*excluded_other)};
    out = std::move(n);
  }
  return out;
}

void print_quote(const Article& a, const Quotation& q, bool json) {
  const std::string date = a.date == kNoDate ? "(no date) " : format_iso_date(a.date);
  if (!json) {
    std::printf("%s  %s\n            %s\n", date.c_str(), quote_line(a, q, 600).c_str(), a.id.c_str());
    return;
  }
  JsonObject o;
  if (a.date == kNoDate) o.null_field("date");
  else o.field("date", date);
  o.field("speaker", q.speaker).field("speaker_kind", speaker_kind_name(q.speaker_kind));
  o.field("kind", quote_kind_name(q.kind)).field("cue", q.cue);
  o.field("text", std::string_view(a.body).substr(q.start, q.end - q.start));
  o.field("id", a.id).field("title", a.title);
  o.field("start", static_cast<long long>(q.start)).field("end", static_cast<long long>(q.end));
  std::fputs((o.str() + "\n").c_str(), stdout);
}

int run_quotes(const QuotesArgs& a) {
  Searcher searcher(a.indexes);
  std::string text;
  for (const std::string& w : a.query_words) text += (text.empty() ? "" : " ") + w;
  Query q;
  try {
    q = quotation_query(searcher.parse(text, {}));
  } catch (const QueryError& e) {
    std::fputs(format_query_error(text, e).c_str(), stderr);
    return 2;
  }
  const std::vector<const Query*> nodes = within_nodes(q);
  size_t shown = 0, articles = 0;
  constexpr size_t kPage = 100;
  SearchOptions opts;
  opts.sort = SearchOptions::Sort::Newest;
  opts.limit = kPage;
  for (opts.offset = 0; shown < a.limit; opts.offset += kPage) {
    const SearchResults res = searcher.search(q, opts);
    for (const ScoredDoc& h : res.hits) {
      const Article art = searcher.document(h);
      const std::vector<size_t> matched = matching_quotations(nodes, art, searcher.analyzer());
      articles += !matched.empty();
      for (const size_t i : matched) {
        if (shown == a.limit) break;
        print_quote(art, art.quotes[i], a.json);
        ++shown;
      }
      if (shown == a.limit) break;
    }
    if (res.hits.size() < kPage) break;
  }
  if (!a.json) {
    if (shown == 0) std::printf("No quotations match %s\n", text.c_str());
    else std::fprintf(stderr, "%zu quotations from %zu articles, newest first%s\n", shown, articles,
                      shown == a.limit ? " (--limit reached)" : "");
  }
  return 0;
}

}  // namespace

Runner add_quotes_command(CLI::App& app) {
  auto a = std::make_shared<QuotesArgs>();
  auto* sub = app.add_subcommand("quotes", "List the quotations that match a query, newest first: who said what, and when");
  add_index_option(sub, a->indexes);
  sub->add_option("query", a->query_words,
                  "Words and phrases to find inside one quotation; speaker:NAME its speaker; date:, entity: and the "
                  "other fields the article")
      ->required();
  sub->add_option("--limit,-n", a->limit, "Quotations to list (default 20)")->check(CLI::PositiveNumber);
  sub->add_flag("--json", a->json,
                "One JSON object per quotation: date, speaker, speaker_kind, kind, cue, text, id, title, start, end");
  sub->footer("Example: dateline quotes --index news-idx speaker:lindqvist inflation date:2024");
  return [a] { return run_quotes(*a); };
}

}  // namespace dateline::cli
