// The query language: parse_query, Query::to_string and format_query_error.
#include <doctest/doctest.h>

#include <climits>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/analyzer.h"
#include "common/query.h"

using dateline::Analyzer;
using dateline::parse_query;
using dateline::ParseOptions;
using dateline::Query;
using dateline::QueryError;

namespace {

Analyzer& english() {
  static Analyzer a("english");
  return a;
}

// The S-expression of `q` parsed with the English analyzer.
std::string P(std::string_view q, bool default_or = false) {
  ParseOptions o;
  o.default_or = default_or;
  return parse_query(q, english(), o).to_string();
}
std::string OR(std::string_view q) { return P(q, true); }

struct Err {
  bool thrown = false;
  size_t column = 0;
  std::string message;
};

Err parse_error(std::string_view q, bool default_or = false) {
  ParseOptions o;
  o.default_or = default_or;
  Err e;
  try {
    parse_query(q, english(), o);
  } catch (const QueryError& ex) {
    e.thrown = true;
    e.column = ex.column();
    e.message = ex.what();
  }
  return e;
}

// Checks that `q` is rejected at byte column `col` with a message containing `msg`.
#define CHECK_ERR(q, col, msg)                                 \
  do {                                                         \
    Err e_ = parse_error(q);                                   \
    INFO("query: " << (q) << "  message: " << e_.message);     \
    CHECK(e_.thrown);                                          \
    CHECK(e_.column == static_cast<size_t>(col));              \
    CHECK(e_.message.find(msg) != std::string::npos);          \
  } while (0)

// Structural invariants every parsed tree must satisfy.
bool well_formed(const Query& q, bool all_ok = false) {
  using Op = Query::Op;
  switch (q.op) {
    case Op::MatchAll: return all_ok && q.children.empty();
    case Op::MatchNothing: return false;  // the parser never produces it
    case Op::Term:
    case Op::Prefix: return q.terms.size() == 1 && !q.terms[0].empty() && q.children.empty();
    case Op::Phrase:
    case Op::Near: return q.terms.size() >= 2 && q.window >= q.terms.size() && q.children.empty();
    case Op::DateRange: return q.date_lo <= q.date_hi && q.date_lo != dateline::kNoDate;
    case Op::Within: return !q.terms.empty() && q.children.size() == 1 && well_formed(q.children[0]);
    case Op::And:
    case Op::Or:
      if (q.children.size() < 2) return false;
      for (auto& c : q.children)
        if (c.op == q.op || !well_formed(c)) return false;
      return true;
    case Op::AndMaybe:
      if (q.children.size() < 2) return false;
      for (auto& c : q.children)
        if (!well_formed(c)) return false;
      return true;
    case Op::AndNot:
      return q.children.size() == 2 && well_formed(q.children[0], true) && well_formed(q.children[1]);
  }
  return false;
}

}  // namespace

TEST_CASE("words are analysed like the index") {
  CHECK(P("rates") == "rate");
  CHECK(P("Rates") == "rate");
  CHECK(P("RATES rising") == "(AND rate rise)");
  CHECK(P("  rates  ") == "rate");
  // Lower-case operators are ordinary words.
  CHECK(P("rate and tax") == "(AND rate and tax)");
  CHECK(P("rate or tax") == "(AND rate or tax)");
  CHECK(P("rate not tax") == "(AND rate not tax)");
  CHECK(P("rate near tax") == "(AND rate near tax)");
  // A word the tokenizer splits becomes an exact phrase.
  CHECK(P("e-mail") == "(PHRASE/2 e mail)");
  CHECK(P("a+b") == "(PHRASE/2 a b)");
  CHECK(P("10:30") == "(PHRASE/2 10 30)");
  CHECK(P("3.5") == "3.5");
  // A colon after a word alone is punctuation.
  CHECK(P("rates:") == "rate");
  // Words that analyse to nothing are dropped.
  CHECK(P(". rate") == "rate");
  CHECK(P("rate ...") == "rate");
  CHECK(P("rate AND .") == "rate");
  CHECK(P("rate OR .") == "rate");
  CHECK(P("rate -.") == "rate");
  CHECK(P("rate (. ,)") == "rate");
  // Unicode whitespace separates words.
  CHECK(P("rate\xC2\xA0tax") == "(AND rate tax)");
  CHECK(P("rate\xE3\x80\x80tax") == "(AND rate tax)");
  CHECK(P("rate\ttax\nAND\roil") == "(AND rate tax oil)");
}

TEST_CASE("fields") {
  CHECK(P("title:rates") == "Trate");
  CHECK(P("Title:Rates") == "Trate");
  CHECK(P("TITLE:rates") == "Trate");
  // Speaker and entity values are folded but not stemmed.
  CHECK(P("speaker:Ruttes") == "Sruttes");
  CHECK(P("SPEAKER:Rutte") == "Srutte");
  CHECK(P("entity:Banks") == "Ebanks");
  CHECK(P("speaker:Straße") == "Sstrasse");
  CHECK(P("title:e-mail") == "(PHRASE/2 Te Tmail)");
  CHECK(P("speaker:\"Mark Rutte\"") == "(PHRASE/2 Smark Srutte)");
  CHECK(P("entity:“North Korea”") == "(PHRASE/2 Enorth Ekorea)");
  CHECK(P("title:\"interest rates\"~1") == "(PHRASE/3 Tinterest Trate)");
  CHECK(P("title:\"rates\"") == "Trate");
  CHECK(P("title:AND") == "Tand");
  CHECK(P("title:rate:x") == "(PHRASE/2 Trate Tx)");
  CHECK(P("title:rate date:2024 -speaker:rutte") ==
        "(AND_NOT (AND Trate (DATE 2024-01-01 2024-12-31)) Srutte)");
  CHECK_ERR("title:...", 0, "no searchable terms");
}

TEST_CASE("typed entity fields: person:, org:, place:") {
  CHECK(P("person:Ruttes") == "Pruttes");  // folded, never stemmed
  CHECK(P("PERSON:\"Mark Rutte\"") == "(PHRASE/2 Pmark Prutte)");
  CHECK(P("org:NATO") == "Onato");
  CHECK(P("organization:\"World Bank\"") == "(PHRASE/2 Oworld Obank)");
  CHECK(P("organisation:opec") == "Oopec");
  CHECK(P("place:\"North Korea\"") == "(PHRASE/2 Lnorth Lkorea)");
  CHECK(P("location:Oslo") == "Loslo");
  CHECK(P("place:Gdańsk") == "Lgdansk");  // accents folded
  CHECK(P("person:rut*") == "Prut*");
  CHECK(P("person:rutte -org:nato place:oslo") == "(AND_NOT (AND Prutte Loslo) Onato)");
  CHECK_ERR("(org:)", 5, "field takes a word or a phrase");
  CHECK_ERR("place:", 6, "field takes a word or a phrase");
}

TEST_CASE("unknown fields are errors that list the fields") {
  CHECK_ERR("xyz:rates", 0, "unknown field 'xyz:'");
  CHECK_ERR("rates foo:bar", 6, "quote them: \"foo:bar\"");
  CHECK_ERR("persons:rutte", 0, "fields: title, speaker, entity, person, org");
  CHECK_ERR("rate Foo:\"north sea\"", 5, "unknown field 'Foo:'");
  CHECK_ERR("http://example.com", 0, "unknown field 'http:'");
  // Not field names: digits, a colon with nothing after it, a quoted colon.
  CHECK(P("10:30") == "(PHRASE/2 10 30)");
  CHECK(P("said: rates") == "(AND said rate)");
  CHECK(P("\"foo:bar\"") == "(PHRASE/2 foo bar)");
  CHECK(dateline::known_field_names().find("date") != std::string::npos);
}

TEST_CASE("quote: and said: search inside quotations, and say what they cannot take") {
  CHECK(P("quote:rates") == "(WITHIN Q rate)");
  CHECK(P("quote:\"north sea\"") == "(WITHIN Q (PHRASE/2 north sea))");
  CHECK(P("quote:(rates OR wind) AND date:2024") == "(AND (WITHIN Q (OR rate wind)) (DATE 2024-01-01 2024-12-31))");
  CHECK(P("said:blinken(korea)") == "(WITHIN QSblinken korea)");
  CHECK(P("said:\"Antony Blinken\"(\"north korea\" OR pyongyang)") ==
        "(WITHIN QSantony QSblinken (OR (PHRASE/2 north korea) pyongyang))");
  CHECK(P("said:rutte(nato NOT russia)") == "(WITHIN QSrutte (AND_NOT nato russia))");
  CHECK(P("NOT quote:rates") == "(AND_NOT * (WITHIN Q rate))");
  CHECK(P("said: rates") == "(AND said rate)");  // a colon with nothing after it: words
  CHECK_ERR("said:blinken korea", 12, "takes its words in parentheses");
  CHECK_ERR("said:blinken", 12, "takes its words in parentheses");
  CHECK_ERR("quote:(date:2024)", 0, "only words and phrases");
  CHECK_ERR("quote:(speaker:rutte)", 0, "only words and phrases");
  CHECK_ERR("quote:rat*", 0, "prefixes");
  CHECK_ERR("quote:(NOT rates)", 0, "NOT needs a word");
  CHECK_ERR("said:rutte(nato", 15, "expected ')'");
  CHECK_ERR("quote:quote:rates", 6, "expected a word");
}

TEST_CASE("prefix queries match written forms in title and body") {
  // With a stemmer, stemmed fields are matched on their written (unstemmed) forms.
  CHECK(P("rut*") == "Wrut*");
  CHECK(P("Rut*") == "Wrut*");
  CHECK(P("rates*") == "Wrates*");  // never stemmed
  CHECK(P("Straß*") == "Wstrass*");
  CHECK(P("Gdańsk*") == "Wgdansk*");
  CHECK(P("title:Rut*") == "WTrut*");
  CHECK(P("speaker:rut*") == "Srut*");  // name fields are never stemmed
  CHECK(P("o'neill*") == "Wo'neill*");
  CHECK(P("o’neill*") == "Wo'neill*");
  CHECK(P("u.s*") == "Wu.s*");
  CHECK(P("rut* -rutte") == "(AND_NOT Wrut* rutt)");
  // Without a stemmer the terms are the written forms.
  dateline::Analyzer none("none");
  CHECK(parse_query("rut*", none).to_string() == "rut*");
  CHECK(parse_query("title:rut*", none).to_string() == "Trut*");
  CHECK(parse_query("  rut*", none).column == 2);
  // '*' inside a word is just a separator.
  CHECK(P("ru*tte") == "(PHRASE/2 ru tte)");
  CHECK_ERR("*", 0, "empty prefix");
  CHECK_ERR("rate title:*", 11, "empty prefix");
  CHECK_ERR("rut**", 0, "single word");
  CHECK_ERR("rate e-ma*", 5, "single word");
  CHECK_ERR(".*", 0, "single word");
  CHECK_ERR(std::string(70, 'x') + "*", 0, "too long");
}

TEST_CASE("phrases") {
  CHECK(P("\"north korea\"") == "(PHRASE/2 north korea)");
  CHECK(P("\"North Korean rates\"") == "(PHRASE/3 north korean rate)");
  CHECK(P("“north korea”") == "(PHRASE/2 north korea)");
  CHECK(P("”north korea”") == "(PHRASE/2 north korea)");
  CHECK(P("\"north korea”") == "(PHRASE/2 north korea)");
  CHECK(P("\"rates\"") == "rate");
  CHECK(P("\"rates\"~3") == "rate");
  CHECK(P("\"north korea\"~0") == "(PHRASE/2 north korea)");
  CHECK(P("\"north korea\"~3") == "(PHRASE/5 north korea)");
  CHECK(P("“north korea”~2") == "(PHRASE/4 north korea)");
  CHECK(P("\"a b\"~1000000") == "(PHRASE/1000002 a b)");
  CHECK(P("\"north korea\" rates") == "(AND (PHRASE/2 north korea) rate)");
  CHECK(P("rate \"...\"") == "rate");
  // A '-' right after a phrase or ')' is part of a word, not a modifier.
  CHECK(P("\"a b\"-c") == "(AND (PHRASE/2 a b) c)");
  CHECK(P("(a)-b") == "(AND a b)");
  CHECK(P("\"a\"\"b\"") == "(AND a b)");
  CHECK_ERR("\"north korea", 0, "unterminated quote");
  CHECK_ERR("rate “north korea", 5, "unterminated quote");
  CHECK_ERR("rate title:\"a b", 11, "unterminated quote");
  CHECK_ERR("\"a b\"~", 6, "~");
  CHECK_ERR("\"a b\"~x", 6, "~");
  CHECK_ERR("\"a b\"~2x", 6, "~");
  CHECK_ERR("\"a b\"~-1", 6, "~");
  CHECK_ERR("\"a b\"~1000001", 6, "~");
  CHECK_ERR("rate “a b”~99999999999", 15, "~");
}

TEST_CASE("NEAR") {
  CHECK(P("rate NEAR tax") == "(NEAR/12 rate tax)");
  CHECK(P("rates NEAR/2 rising") == "(NEAR/4 rate rise)");
  CHECK(P("a NEAR/0 b") == "(NEAR/2 a b)");
  CHECK(P("rate NEAR/3 tax NEAR/3 oil") == "(NEAR/6 rate tax oil)");
  CHECK(P("rate NEAR tax NEAR/10 oil") == "(NEAR/13 rate tax oil)");
  CHECK(P("rate NEAR/3 tax oil") == "(AND (NEAR/5 rate tax) oil)");
  CHECK(P("-rate NEAR/3 tax oil") == "(AND_NOT oil (NEAR/5 rate tax))");
  CHECK(P("+rate NEAR/3 tax oil", true) == "(AND_MAYBE (NEAR/5 rate tax) oil)");
  CHECK(P("(rate NEAR/3 tax) OR oil") == "(OR (NEAR/5 rate tax) oil)");
  CHECK_ERR("rate NEAR/3 tax NEAR/4 oil", 16, "same distance");
  CHECK_ERR("rate NEAR/x tax", 10, "NEAR/");
  CHECK_ERR("rate NEAR/ tax", 10, "NEAR/");
  CHECK_ERR("rate NEAR/1000001 tax", 10, "NEAR/");
  CHECK_ERR("rate NEAR", 5, "NEAR needs a word after");
  CHECK_ERR("rate NEAR AND tax", 5, "NEAR needs a word after");
  CHECK_ERR("rate NEAR)", 5, "NEAR needs a word after");
  CHECK_ERR("NEAR rate", 0, "NEAR needs a word before");
  CHECK_ERR("rate AND NEAR tax", 5, "AND needs an operand after");
  CHECK_ERR("title:rate NEAR tax", 0, "NEAR takes plain words");
  CHECK_ERR("rate NEAR title:tax", 10, "NEAR takes plain words");
  CHECK_ERR("rate NEAR \"a b\"", 10, "NEAR takes plain words");
  CHECK_ERR("\"a b\" NEAR c", 0, "NEAR takes plain words");
  CHECK_ERR("x (a) NEAR b", 2, "NEAR takes plain words");
  CHECK_ERR("rat* NEAR b", 0, "NEAR takes plain words");
  CHECK_ERR("b NEAR rat*", 7, "NEAR takes plain words");
  CHECK_ERR("b NEAR -c", 7, "NEAR takes plain words");
  CHECK_ERR("b NEAR (c)", 7, "NEAR takes plain words");
  CHECK_ERR("b NEAR date:2024", 7, "NEAR takes plain words");
  CHECK_ERR("rate NEAR e-mail", 10, "NEAR takes single words");
  CHECK_ERR("... NEAR rate", 0, "NEAR takes single words");
}

TEST_CASE("dates") {
  CHECK(P("date:2024") == "(DATE 2024-01-01 2024-12-31)");
  CHECK(P("Date:2024") == "(DATE 2024-01-01 2024-12-31)");
  CHECK(P("date:2024-11") == "(DATE 2024-11-01 2024-11-30)");
  CHECK(P("date:2024-02") == "(DATE 2024-02-01 2024-02-29)");
  CHECK(P("date:2023-02") == "(DATE 2023-02-01 2023-02-28)");
  CHECK(P("date:2024-11-13") == "(DATE 2024-11-13 2024-11-13)");
  CHECK(P("date:2024-02-29") == "(DATE 2024-02-29 2024-02-29)");
  CHECK(P("date:2024-2-5") == "(DATE 2024-02-05 2024-02-05)");
  CHECK(P("date:2024..2025") == "(DATE 2024-01-01 2025-12-31)");
  CHECK(P("date:2024..2024") == "(DATE 2024-01-01 2024-12-31)");
  CHECK(P("date:2024-11..2025") == "(DATE 2024-11-01 2025-12-31)");
  CHECK(P("date:2024-11-13..2024-11-20") == "(DATE 2024-11-13 2024-11-20)");
  CHECK(P("date:2024..2024-03") == "(DATE 2024-01-01 2024-03-31)");
  CHECK(P("date:2024-11-01..") == "(DATE 2024-11-01 ..)");
  CHECK(P("date:..2024-11-30") == "(DATE .. 2024-11-30)");
  CHECK(P("date:..2024") == "(DATE .. 2024-12-31)");
  CHECK(P("rate date:2024-11") == "(AND rate (DATE 2024-11-01 2024-11-30))");
  CHECK(P("rate -date:2024") == "(AND_NOT rate (DATE 2024-01-01 2024-12-31))");
  CHECK(P("(date:2024)") == "(DATE 2024-01-01 2024-12-31)");

  Query lo = parse_query("date:2024-11-01..", english());
  CHECK(lo.op == Query::Op::DateRange);
  CHECK(lo.date_lo == dateline::days_from_civil(2024, 11, 1));
  CHECK(lo.date_hi == INT32_MAX);
  Query hi = parse_query("date:..2024-11-30", english());
  CHECK(hi.date_lo == INT32_MIN + 1);
  CHECK(hi.date_lo != dateline::kNoDate);
  CHECK(hi.date_hi == dateline::days_from_civil(2024, 11, 30));
  Query day = parse_query("date:1970-01-01", english());
  CHECK(day.date_lo == 0);
  CHECK(day.date_hi == 0);

  CHECK_ERR("date:", 5, "date");
  CHECK_ERR("rate date:", 10, "date");
  CHECK_ERR("date:\"2024\"", 5, "date");
  CHECK_ERR("date:..", 5, "at least one end");
  CHECK_ERR("date:abc", 5, "expected a date");
  CHECK_ERR("date:20240", 5, "expected a date");
  CHECK_ERR("date:24", 5, "expected a date");
  CHECK_ERR("date:2024-11-13x", 5, "expected a date");
  CHECK_ERR("date:2024-11-", 5, "expected a date");
  CHECK_ERR("date:2024/11", 5, "expected a date");
  CHECK_ERR("date:2024...2025", 11, "expected a date");
  CHECK_ERR("date:0000", 5, "year");
  CHECK_ERR("date:2024-13", 10, "month");
  CHECK_ERR("date:2024-00", 10, "month");
  CHECK_ERR("date:2024-02-30", 13, "day");
  CHECK_ERR("date:2023-02-29", 13, "day");
  CHECK_ERR("date:2024-11-31", 13, "day");
  CHECK_ERR("date:2024..2024-13", 16, "month");
  CHECK_ERR("date:2024-01..2024-01-32", 22, "day");
  CHECK_ERR("date:2025..2024", 11, "ends before it starts");
  CHECK_ERR("rate date:2024-11-01..2024-10-31", 22, "ends before it starts");
}

TEST_CASE("precedence and explicit operators") {
  CHECK(P("a OR b AND c") == "(OR a (AND b c))");
  CHECK(P("a AND b OR c") == "(OR (AND a b) c)");
  CHECK(P("(a OR b) AND c") == "(AND (OR a b) c)");
  CHECK(P("rate AND tax AND oil") == "(AND rate tax oil)");
  CHECK(P("rate OR tax OR oil") == "(OR rate tax oil)");
  CHECK(P("(rate AND tax) AND oil") == "(AND rate tax oil)");
  CHECK(P("rate OR (tax OR oil)") == "(OR rate tax oil)");
  CHECK(P("rate (tax OR oil)") == "(AND rate (OR tax oil))");
  CHECK(P("((rate))") == "rate");
  // Adjacent clauses bind tighter than AND / OR.
  CHECK(P("rate tax OR oil") == "(OR (AND rate tax) oil)");
  CHECK(P("rate tax AND oil gas") == "(AND rate tax oil gas)");
  CHECK(P("rate tax AND oil gas", true) == "(AND (OR rate tax) (OR oil gas))");
  // NOT binds tighter than AND.
  CHECK(P("rate AND NOT tax") == "(AND_NOT rate tax)");
  CHECK(P("NOT tax AND rate") == "(AND_NOT rate tax)");
  CHECK(P("rate AND NOT tax AND NOT oil") == "(AND_NOT rate (OR tax oil))");
  CHECK(P("rate AND gas AND NOT tax") == "(AND_NOT (AND rate gas) tax)");
  CHECK(P("NOT rate AND NOT tax") == "(AND_NOT * (OR rate tax))");
  CHECK(P("rate AND -tax") == "(AND_NOT rate tax)");
  CHECK(P("rate OR NOT tax") == "(OR rate (AND_NOT * tax))");
  CHECK(P("NOT rate OR tax") == "(OR (AND_NOT * rate) tax)");
  CHECK(P("NOT (rate tax)") == "(AND_NOT * (AND rate tax))");
  CHECK(P("NOT NOT rate") == "rate");
  CHECK(P("NOT -rate") == "rate");
  CHECK(P("NOT(rate)") == "(AND_NOT * rate)");
  CHECK(P("rate AND(tax)") == "(AND rate tax)");
  CHECK(P("(a OR b) (c OR d)") == "(AND (OR a b) (OR c d))");
}

TEST_CASE("default operator AND") {
  CHECK(P("rate tax oil") == "(AND rate tax oil)");
  CHECK(P("+rate tax") == "(AND rate tax)");
  CHECK(P("+rate +tax") == "(AND rate tax)");
  CHECK(P("rate -tax") == "(AND_NOT rate tax)");
  CHECK(P("rate NOT tax") == "(AND_NOT rate tax)");
  CHECK(P("rate -tax -oil") == "(AND_NOT rate (OR tax oil))");
  CHECK(P("rate tax -oil") == "(AND_NOT (AND rate tax) oil)");
  CHECK(P("-tax rate") == "(AND_NOT rate tax)");
  CHECK(P("+rate") == "rate");
  CHECK(P("-(rate tax) oil") == "(AND_NOT oil (AND rate tax))");
  CHECK(P("+(rate OR tax) -\"north korea\"") == "(AND_NOT (OR rate tax) (PHRASE/2 north korea))");
  CHECK(P("(rate -tax) -oil") == "(AND_NOT rate (OR tax oil))");
  CHECK(P("(+a -b)") == "(AND_NOT a b)");
  CHECK(P("+\"a b\" -title:c") == "(AND_NOT (PHRASE/2 a b) Tc)");
  // '+'/'-' inside a word are part of it.
  CHECK(P("--rate") == "(AND_NOT * rate)");
  CHECK(P("+-rate") == "rate");
}

TEST_CASE("default operator OR") {
  CHECK(OR("rate") == "rate");
  CHECK(OR("rate tax oil") == "(OR rate tax oil)");
  CHECK(OR("rate tax -oil") == "(AND_NOT (OR rate tax) oil)");
  CHECK(OR("+rate tax") == "(AND_MAYBE rate tax)");
  CHECK(OR("+rate tax oil") == "(AND_MAYBE rate tax oil)");
  CHECK(OR("+rate +tax") == "(AND rate tax)");
  CHECK(OR("+rate +tax oil -gas") == "(AND_NOT (AND_MAYBE (AND rate tax) oil) gas)");
  CHECK(OR("rate tax AND oil") == "(AND (OR rate tax) oil)");
  CHECK(OR("rate OR tax -oil") == "(OR rate (AND_NOT tax oil))");
  CHECK(OR("rate NOT tax") == "(AND_NOT rate tax)");
  CHECK(OR("rate AND NOT tax") == "(AND_NOT rate tax)");
  CHECK(OR("-rate") == "(AND_NOT * rate)");
  CHECK(OR("-rate -tax") == "(AND_NOT * (OR rate tax))");
  CHECK(OR("NOT NOT rate tax") == "(OR rate tax)");
  CHECK(OR("(rate tax) oil") == "(OR rate tax oil)");
}

TEST_CASE("purely negative queries") {
  CHECK(P("-tax") == "(AND_NOT * tax)");
  CHECK(P("NOT tax") == "(AND_NOT * tax)");
  CHECK(P("-tax -oil") == "(AND_NOT * (OR tax oil))");
  CHECK(P("NOT tax NOT oil") == "(AND_NOT * (OR tax oil))");
  CHECK(P("-tax .") == "(AND_NOT * tax)");
  CHECK(P("-\"north korea\"") == "(AND_NOT * (PHRASE/2 north korea))");
  CHECK(P("-date:2024") == "(AND_NOT * (DATE 2024-01-01 2024-12-31))");
  CHECK(P("(-tax)") == "(AND_NOT * tax)");
  CHECK(P("(-tax) AND (-oil)") == "(AND_NOT * (OR tax oil))");
}

TEST_CASE("syntax errors and their columns") {
  CHECK_ERR("", 0, "empty query");
  CHECK_ERR("   ", 0, "empty query");
  CHECK_ERR("\t\n", 0, "empty query");
  CHECK_ERR(".", 0, "no searchable terms");
  CHECK_ERR("... ,,,", 0, "no searchable terms");
  CHECK_ERR("(.)", 0, "no searchable terms");
  CHECK_ERR("-.", 0, "no searchable terms");
  CHECK_ERR("NOT .", 0, "no searchable terms");
  CHECK_ERR(". OR .", 0, "no searchable terms");
  CHECK_ERR("\"...\"", 0, "no searchable terms");
  // Parentheses.
  CHECK_ERR("(a OR b", 7, "expected ')'");
  CHECK_ERR("((a) b", 6, "expected ')'");
  CHECK_ERR("(", 1, "expected ')'");
  CHECK_ERR("a OR b)", 6, "unbalanced ')'");
  CHECK_ERR(")", 0, "unbalanced ')'");
  CHECK_ERR("a ) b", 2, "unbalanced ')'");
  CHECK_ERR("(a))", 3, "unbalanced ')'");
  CHECK_ERR("()", 0, "empty parentheses");
  CHECK_ERR("rate ( )", 5, "empty parentheses");
  // Operators missing an operand.
  CHECK_ERR("a AND", 2, "AND needs an operand after");
  CHECK_ERR("a AND)", 2, "AND needs an operand after");
  CHECK_ERR("(a AND) b", 3, "AND needs an operand after");
  CHECK_ERR("a OR", 2, "OR needs an operand after");
  CHECK_ERR("rate AND (tax OR", 14, "OR needs an operand after");
  CHECK_ERR("OR b", 0, "OR needs an operand before");
  CHECK_ERR("AND b", 0, "AND needs an operand before");
  CHECK_ERR("(OR b)", 1, "OR needs an operand before");
  CHECK_ERR("a AND OR b", 2, "AND needs an operand after");
  CHECK_ERR("a OR AND b", 2, "OR needs an operand after");
  CHECK_ERR("NOT", 0, "NOT needs an operand");
  CHECK_ERR("a NOT", 2, "NOT needs an operand");
  CHECK_ERR("a AND NOT", 6, "NOT needs an operand");
  CHECK_ERR("NOT AND a", 0, "NOT needs an operand");
  CHECK_ERR("NOT)", 0, "NOT needs an operand");
  // Modifiers must be followed directly by a word, phrase or group.
  CHECK_ERR("+", 0, "'+' must be followed");
  CHECK_ERR("-", 0, "'-' must be followed");
  CHECK_ERR("a -", 2, "'-' must be followed");
  CHECK_ERR("a - b", 2, "'-' must be followed");
  CHECK_ERR("(a +)", 3, "'+' must be followed");
  CHECK_ERR("a +NOT b", 2, "'+' must be followed");
  CHECK_ERR("a -OR b", 2, "'-' must be followed");
  // Fields.
  CHECK_ERR("title:", 6, "field takes a word or a phrase");
  CHECK_ERR("rate title: tax", 11, "field takes a word or a phrase");
  CHECK_ERR("title:(a b)", 6, "field takes a word or a phrase");
  CHECK_ERR("(speaker:)", 9, "field takes a word or a phrase");
  CHECK_ERR("Entity:", 7, "field takes a word or a phrase");
}

TEST_CASE("deep nesting and long queries") {
  std::string ok = std::string(100, '(') + "rate" + std::string(100, ')');
  CHECK(P(ok) == "rate");
  std::string deep = std::string(101, '(') + "rate" + std::string(101, ')');
  CHECK_ERR(deep, 100, "nested too deeply");
  CHECK_ERR(std::string(100000, '('), 100, "nested too deeply");
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  CHECK_ERR(nots + "rate", 400, "nested too deeply");

  // 64 KB queries parse quickly.
  std::string many;
  while (many.size() < 65536) many += "rate ";
  Query q = parse_query(many, english());
  CHECK(q.op == Query::Op::And);
  CHECK(q.children.size() == 13108);
  std::string ors;
  while (ors.size() < 65536) ors += "tax OR ";
  ors += "oil";
  CHECK(parse_query(ors, english()).op == Query::Op::Or);
  std::string phrase = "\"" + std::string(65536, 'a').replace(1, 65534, std::string(65534, ' ')) + "\"";
  CHECK(P(phrase) == "(PHRASE/2 a a)");
  CHECK_ERR(std::string(65536, '"'), 0, "no searchable terms");
  CHECK_ERR(std::string(65537, '"'), 65536, "unterminated quote");
}

TEST_CASE("to_string of every node type") {
  auto leaf = [](Query::Op op, std::vector<std::string> terms, uint32_t window = 0) {
    Query q;
    q.op = op;
    q.terms = std::move(terms);
    q.window = window;
    return q;
  };
  Query q;
  q.op = Query::Op::MatchAll;
  CHECK(q.to_string() == "*");
  q.op = Query::Op::MatchNothing;
  CHECK(q.to_string() == "(NOTHING)");
  CHECK(leaf(Query::Op::Term, {"Srutte"}).to_string() == "Srutte");
  CHECK(leaf(Query::Op::Prefix, {"rut"}).to_string() == "rut*");
  CHECK(leaf(Query::Op::Phrase, {"north", "korea"}, 2).to_string() == "(PHRASE/2 north korea)");
  CHECK(leaf(Query::Op::Near, {"a", "b", "c"}, 8).to_string() == "(NEAR/8 a b c)");
  Query d;
  d.op = Query::Op::DateRange;
  d.date_lo = dateline::days_from_civil(2024, 11, 1);
  d.date_hi = dateline::days_from_civil(2024, 11, 30);
  CHECK(d.to_string() == "(DATE 2024-11-01 2024-11-30)");
  d.date_lo = INT32_MIN + 1;
  CHECK(d.to_string() == "(DATE .. 2024-11-30)");
  d.date_hi = INT32_MAX;
  CHECK(d.to_string() == "(DATE .. ..)");
  Query n;
  n.op = Query::Op::AndMaybe;
  n.children = {leaf(Query::Op::Term, {"a"}), leaf(Query::Op::Term, {"b"})};
  CHECK(n.to_string() == "(AND_MAYBE a b)");
  n.op = Query::Op::AndNot;
  CHECK(n.to_string() == "(AND_NOT a b)");
  n.op = Query::Op::And;
  CHECK(n.to_string() == "(AND a b)");
  n.op = Query::Op::Or;
  n.children.push_back(d);
  CHECK(n.to_string() == "(OR a b (DATE .. ..))");
}

TEST_CASE("format_query_error") {
  auto fmt = [](std::string_view q) {
    try {
      parse_query(q, english());
    } catch (const QueryError& e) {
      return dateline::format_query_error(q, e);
    }
    return std::string("no error");
  };
  CHECK(fmt("(a OR b") == "error: expected ')'\n  (a OR b\n         ^\n");
  CHECK(fmt("a AND") == "error: AND needs an operand after it\n  a AND\n    ^\n");
  CHECK(fmt("") == "error: empty query\n  \n  ^\n");
  // The caret column counts code points, not bytes.
  CHECK(fmt("café AND") == "error: AND needs an operand after it\n  café AND\n       ^\n");
  CHECK(fmt("“a b") == "error: unterminated quote\n  “a b\n  ^\n");
  CHECK(fmt("日本 date:2024-13") == "error: invalid month\n  日本 date:2024-13\n               ^\n");
  // Control characters and newlines are echoed as spaces.
  CHECK(fmt("a\tb\nAND") == "error: AND needs an operand after it\n  a b AND\n      ^\n");
  // Invalid UTF-8 bytes show as U+FFFD, one column each (here they form a
  // word that analyses to nothing).
  CHECK(fmt("\xff\xfe OR") == "error: OR needs an operand after it\n  \xEF\xBF\xBD\xEF\xBF\xBD OR\n     ^\n");
  // Columns past the end are clamped.
  CHECK(dateline::format_query_error("ab", QueryError("x", 99)) == "error: x\n  ab\n    ^\n");
  CHECK(dateline::format_query_error("ab", QueryError("x", 1)) == "error: x\n  ab\n   ^\n");
}

TEST_CASE("fuzz: any byte string parses or throws QueryError") {
  std::mt19937 rng(20241113);
  const std::vector<std::string> soup = {
      "a", "rate", "Rates", "AND", "OR", "NOT", "NEAR", "NEAR/3", "NEAR/x", "NEAR/", "(", ")", "\"", "“",
      "”", "+", "-", "*", "~", "~2", "~x", ":", "title:", "Speaker:", "entity:", "date:", "2024", "-11",
      "-13", "..", ".", " ", " ", " ", "  ", "\t", "\n", "é", "日本", "\xff", "\xe2\x80", "\xc2\xa0",
      "e-mail", "x*", "and", "10:30", "'", "’", "3.5", std::string(1, '\0'), "date:2024-11..2025", "xyz:"};
  size_t parsed = 0, errors = 0;
  auto run = [&](const std::string& q) {
    try {
      Query r = parse_query(q, english(), ParseOptions{(rng() & 1) != 0});
      INFO("query: " << q << "  tree: " << r.to_string());
      CHECK(well_formed(r));
      ++parsed;
    } catch (const QueryError& e) {
      INFO("query: " << q);
      CHECK(e.column() <= q.size());
      CHECK(!dateline::format_query_error(q, e).empty());
      ++errors;
    } catch (...) {
      FAIL("unexpected exception type for query: " << q);
    }
  };
  for (int i = 0; i < 10000; ++i) {
    std::string q;
    const size_t len = rng() % 40;
    for (size_t j = 0; j < len; ++j) {
      // Biased towards the bytes the lexer cares about.
      const unsigned r = rng() % 4;
      if (r == 0)
        q += "()\"+-*~: .\xe2\x80\x9c\x9d"[rng() % 15];
      else if (r == 1)
        q += static_cast<char>('a' + rng() % 3);
      else
        q += static_cast<char>(rng() % 256);
    }
    run(q);
  }
  for (int i = 0; i < 10000; ++i) {
    std::string q;
    const size_t n = rng() % 14;
    for (size_t j = 0; j < n; ++j) {
      q += soup[rng() % soup.size()];
      if (rng() % 3 == 0) q += ' ';
    }
    run(q);
  }
  CHECK(parsed > 1000);
  CHECK(errors > 1000);
}

namespace {

std::vector<dateline::QueryNote> notes_of(std::string_view q, const ParseOptions& o = {}) {
  std::vector<dateline::QueryNote> notes;
  parse_query(q, english(), o, &notes);
  return notes;
}

// Resolves like an alias table: "fed" -> Federal Reserve, "frb" an alias of it.
struct FakeNames : dateline::NameResolver {
  std::vector<std::string> resolve(dateline::Field f, std::string_view v) const override {
    if (f != dateline::Field::Organization && f != dateline::Field::Entity) return {};
    if (v == "fed" || v == "Federal Reserve" || v == "federal reserve") return {"Federal Reserve", "FRB"};
    return {};
  }
};

}  // namespace

TEST_CASE("lower-case and/or/not between words give a hint, and are searched as words") {
  auto n = notes_of("rates or wind");
  REQUIRE(n.size() == 1);
  CHECK(n[0].column == 6);
  CHECK(n[0].message.find("'or' is searched as a word") != std::string::npos);
  CHECK(n[0].message.find("write OR") != std::string::npos);
  CHECK(notes_of("rates and wind").at(0).message.find("AND") != std::string::npos);
  CHECK(notes_of("rates Not wind").at(0).message.find("write NOT") != std::string::npos);
  CHECK(P("rates or wind") == "(AND rate or wind)");
  // Not between two clauses, or real operators: no hint.
  CHECK(notes_of("or rates").empty());
  CHECK(notes_of("rates or").empty());
  CHECK(notes_of("rates OR wind").empty());
  CHECK(notes_of("\"rates or wind\"").empty());
  CHECK(notes_of("title:or rates").empty());
  // No notes vector: parsing works the same.
  CHECK(P("a or b") == "(AND a or b)");
}

TEST_CASE("typographic double quotes open and close phrases") {
  CHECK(P("„north sea“") == "(PHRASE/2 north sea)");
  CHECK(P("«north sea»") == "(PHRASE/2 north sea)");
  CHECK(P("＂north sea＂") == "(PHRASE/2 north sea)");
  CHECK(P("entity:«north sea»") == "(PHRASE/2 Enorth Esea)");
}

TEST_CASE("name values go through the NameResolver") {
  FakeNames names;
  ParseOptions o;
  o.names = &names;
  auto parse = [&](std::string_view q) { return parse_query(q, english(), o).to_string(); };
  CHECK(parse("org:fed") == "(OR (PHRASE/2 Ofederal Oreserve) Ofrb)");
  CHECK(parse("org:\"federal reserve\"") == "(OR (PHRASE/2 Ofederal Oreserve) Ofrb)");
  CHECK(parse("entity:fed") == "(OR (PHRASE/2 Efederal Ereserve) Efrb)");
  // Other fields, other values, prefixes and loose phrases are not resolved.
  CHECK(parse("fed") == "fed");
  CHECK(parse("title:fed") == "Tfed");
  CHECK(parse("place:fed") == "Lfed");
  CHECK(parse("org:nato") == "Onato");
  CHECK(parse("org:fed*") == "Ofed*");
  CHECK(parse("org:\"federal reserve\"~1") == "(PHRASE/3 Ofederal Oreserve)");
  std::vector<dateline::QueryNote> notes;
  parse_query("rates org:fed", english(), o, &notes);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].column == 6);
  CHECK(notes[0].message == "org:fed is read as org:\"Federal Reserve\" and its aliases FRB");
  notes.clear();
  parse_query("org:\"federal reserve\"", english(), o, &notes);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].message == "org:\"federal reserve\" also matches the aliases FRB");
}
