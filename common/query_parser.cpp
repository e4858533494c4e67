// parse_query: lexer + recursive-descent parser for the query language
// described in common/query.h, producing the analysed Query tree.
//
// Grammar (tokens are separated by whitespace where needed):
//   or_expr  := and_expr ('OR' and_expr)*
//   and_expr := seq ('AND' seq)*
//   seq      := clause+                 adjacent clauses, default operator
//   clause   := 'NOT' clause | '+' primary | '-' primary | primary
//   primary  := '(' or_expr ')' | [field ':'] (word | word '*' | phrase ['~' N])
//             | 'date:' datespec | word ('NEAR/' N word)+
//
// The lexer is pulled lazily by the parser so that errors are reported in
// left-to-right order.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/analyzer.h"
#include "common/date.h"
#include "common/fields.h"
#include "common/query.h"

namespace dateline {

namespace {

constexpr int kMaxDepth = 100;               // nesting of '(' and NOT
constexpr uint32_t kMaxDistance = 1000000;   // largest ~N and NEAR/N
constexpr uint32_t kDefaultNear = 10;        // NEAR without /N
constexpr DayNumber kOpenLo = INT32_MIN + 1; // date:..B
constexpr DayNumber kOpenHi = INT32_MAX;     // date:A..

inline unsigned char byte_at(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }

// Byte length of the whitespace character at s[i], 0 if it is not one.
// ASCII whitespace and control characters, C1 controls, NBSP and the Unicode
// space separators all separate query tokens.
size_t space_len(std::string_view s, size_t i) {
  const unsigned char c = byte_at(s, i);
  if (c <= 0x20 || c == 0x7F) return 1;
  if (c < 0x80) return 0;
  if (c == 0xC2 && i + 1 < s.size()) {
    const unsigned char d = byte_at(s, i + 1);
    return (d >= 0x80 && d <= 0xA0) ? 2 : 0;  // C1 controls (NEL...) and NBSP
  }
  if (i + 2 >= s.size()) return 0;
  const unsigned char d = byte_at(s, i + 1), e = byte_at(s, i + 2);
  if (c == 0xE1 && d == 0x9A && e == 0x80) return 3;  // U+1680
  if (c == 0xE2 && d == 0x80 && ((e >= 0x80 && e <= 0x8A) || e == 0xA8 || e == 0xA9 || e == 0xAF))
    return 3;                                          // U+2000..200A, U+2028/9, U+202F
  if (c == 0xE2 && d == 0x81 && e == 0x9F) return 3;  // U+205F
  if (c == 0xE3 && d == 0x80 && e == 0x80) return 3;  // U+3000
  return 0;
}

// Byte length of the phrase quote at s[i], 0 if none: " and the typographic
// double quotes “ ” „ ‟ (U+201C..U+201F), « » (U+00AB, U+00BB) and ＂ (U+FF02),
// any of which opens or closes a phrase.
size_t quote_len(std::string_view s, size_t i) {
  if (s[i] == '"') return 1;
  const unsigned char c = byte_at(s, i);
  if (c == 0xC2 && i + 1 < s.size() && (byte_at(s, i + 1) == 0xAB || byte_at(s, i + 1) == 0xBB)) return 2;
  if (i + 2 >= s.size()) return 0;
  const unsigned char d = byte_at(s, i + 1), e = byte_at(s, i + 2);
  if (c == 0xE2 && d == 0x80 && e >= 0x9C && e <= 0x9F) return 3;
  if (c == 0xEF && d == 0xBC && e == 0x82) return 3;
  return 0;
}

// True at the end of the text or at a character that ends a word.
bool is_delim(std::string_view s, size_t i) {
  if (i >= s.size()) return true;
  return s[i] == '(' || s[i] == ')' || space_len(s, i) || quote_len(s, i);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (x != y) return false;
  }
  return true;
}

// Parses a whole decimal number in [0, kMaxDistance].
std::optional<uint32_t> parse_distance(std::string_view s) {
  if (s.empty() || s.size() > 7) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v > kMaxDistance) return std::nullopt;
  return v;
}

// The fields of the query language and the names that select them.
struct FieldName {
  std::string_view name;
  Field field;
};
constexpr FieldName kFieldNames[] = {
    {"title", Field::Title},         {"speaker", Field::Speaker},           {"entity", Field::Entity},
    {"person", Field::Person},       {"org", Field::Organization},          {"organization", Field::Organization},
    {"organisation", Field::Organization}, {"place", Field::Place},         {"location", Field::Place},
    {"id", Field::Id},
};

std::optional<Field> field_named(std::string_view name) {
  for (const FieldName& f : kFieldNames)
    if (iequals(name, f.name)) return f.field;
  return std::nullopt;
}

// True for a name that can only be meant as a field: ASCII letters.
bool looks_like_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

// ---------------------------------------------------------------------------
// Lexer

enum class Tok {
  End,
  Word,       // text = the raw word (may end with '*')
  FieldWord,  // field + text = the raw value after "field:"
  Phrase,     // field + text = inside the quotes; slop
  Date,       // text = the spec after "date:"
  LParen,
  RParen,
  Plus,
  Minus,
  And,
  Or,
  Not,
  Near,  // near = N
  Within,  // quote: (field Text) or said:NAME (field Speaker, text = the name); its operand follows
};

struct LexToken {
  Tok kind = Tok::End;
  size_t col = 0;          // byte column of the token's first byte
  std::string_view text;   // see Tok
  size_t text_col = 0;     // byte column of `text`
  Field field = Field::Text;
  uint32_t slop = 0;
  uint32_t near = 0;
};

bool starts_clause(Tok k) {
  switch (k) {
    case Tok::Word:
    case Tok::FieldWord:
    case Tok::Phrase:
    case Tok::Date:
    case Tok::LParen:
    case Tok::Plus:
    case Tok::Minus:
    case Tok::Not:
    case Tok::Within:
      return true;
    default:
      return false;
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  const LexToken& peek() {
    if (!buffered_) {
      tok_ = lex();
      buffered_ = true;
    }
    return tok_;
  }
  LexToken next() {
    peek();
    buffered_ = false;
    return tok_;
  }

 private:
  LexToken lex() {
    // Skip whitespace; a clause modifier may only follow whitespace, '(' or
    // the start of the query.
    while (pos_ < s_.size()) {
      const size_t n = space_len(s_, pos_);
      if (!n) break;
      pos_ += n;
      clause_start_ = true;
    }
    LexToken t;
    t.col = pos_;
    if (pos_ >= s_.size()) {
      t.kind = Tok::End;
      return t;
    }
    const char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      clause_start_ = true;
      t.kind = Tok::LParen;
      return t;
    }
    if (c == ')') {
      ++pos_;
      clause_start_ = false;
      t.kind = Tok::RParen;
      return t;
    }
    if (quote_len(s_, pos_)) {
      clause_start_ = false;
      lex_phrase(t, Field::Text);
      return t;
    }
    if ((c == '+' || c == '-') && clause_start_) {
      if (is_delim(s_, pos_ + 1) && !(pos_ + 1 < s_.size() && (s_[pos_ + 1] == '(' || quote_len(s_, pos_ + 1))))
        throw QueryError(std::string("'") + c + "' must be followed by a word, a phrase or '('", pos_);
      ++pos_;
      clause_start_ = false;
      t.kind = c == '+' ? Tok::Plus : Tok::Minus;
      return t;
    }
    clause_start_ = false;
    const size_t start = pos_;
    while (!is_delim(s_, pos_)) ++pos_;
    const std::string_view w = s_.substr(start, pos_ - start);
    t.text = w;
    t.text_col = start;
    if (w == "AND") {
      t.kind = Tok::And;
      return t;
    }
    if (w == "OR") {
      t.kind = Tok::Or;
      return t;
    }
    if (w == "NOT") {
      t.kind = Tok::Not;
      return t;
    }
    if (w == "NEAR") {
      t.kind = Tok::Near;
      t.near = kDefaultNear;
      return t;
    }
    if (w.starts_with("NEAR/")) {
      auto n = parse_distance(w.substr(5));
      if (!n) throw QueryError("NEAR/ needs a whole number from 0 to 1000000", start + 5);
      t.kind = Tok::Near;
      t.near = *n;
      return t;
    }
    const size_t colon = w.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view name = w.substr(0, colon);
      const std::string_view rest = w.substr(colon + 1);
      const size_t rest_col = start + colon + 1;
      if (iequals(name, "date")) {
        if (rest.empty()) throw QueryError("date: needs a date like 2024, 2024-11 or 2024-11-13", rest_col);
        t.kind = Tok::Date;
        t.text = rest;
        t.text_col = rest_col;
        return t;
      }
      // quote:/said: with something right after the colon ("said: rates" stays two words).
      const bool operand_follows = !rest.empty() || (pos_ < s_.size() && (quote_len(s_, pos_) || s_[pos_] == '('));
      if ((iequals(name, "quote") || iequals(name, "said")) && operand_follows)
        return lex_within(t, name, rest, start, rest_col);
      const std::optional<Field> field = field_named(name);
      // "foo:bar" and foo:"..." name a field that does not exist; "said:" alone stays a word.
      if (!field && looks_like_field_name(name) && (!rest.empty() || (pos_ < s_.size() && quote_len(s_, pos_))))
        throw QueryError("unknown field '" + std::string(name) + ":' (fields: " + known_field_names() + ")" +
                             (rest.empty() ? "" : "; to search the words, quote them: \"" + std::string(w) + "\""),
                         start);
      if (field) {
        if (!rest.empty()) {
          t.kind = Tok::FieldWord;
          t.field = *field;
          t.text = rest;
          t.text_col = rest_col;
          return t;
        }
        if (pos_ < s_.size() && quote_len(s_, pos_)) {
          lex_phrase(t, *field);
          t.col = start;
          return t;
        }
        if (pos_ < s_.size() && s_[pos_] == '(')
          throw QueryError("field takes a word or a phrase", rest_col);
        throw QueryError("field takes a word or a phrase, found nothing after ':'", rest_col);
      }
    }
    t.kind = Tok::Word;
    return t;
  }

  // Lexes a quoted phrase at pos_ and an optional ~N right after it.
  // quote:OPERAND, said:NAME(...), said:"FULL NAME"(...): the token, then
  // the operand is lexed as the next tokens.
  LexToken lex_within(LexToken& t, std::string_view name, std::string_view rest, size_t start, size_t rest_col) {
    t.kind = Tok::Within;
    t.col = start;
    if (iequals(name, "quote")) {
      t.field = Field::Text;
      pos_ = rest_col;  // the operand starts right after the colon
      return t;
    }
    t.field = Field::Speaker;
    if (rest.empty()) {
      if (!quote_len(s_, pos_)) throw QueryError("said: takes a name, then (words): said:name(words)", rest_col);
      LexToken name_tok;
      lex_phrase(name_tok, Field::Speaker);
      t.text = name_tok.text;
      t.text_col = name_tok.text_col;
    } else {
      t.text = rest;
      t.text_col = rest_col;
    }
    if (pos_ >= s_.size() || s_[pos_] != '(')
      throw QueryError("said:" + std::string(t.text) + " takes its words in parentheses: said:name(words)", pos_);
    return t;
  }

  void lex_phrase(LexToken& t, Field field) {
    const size_t open = pos_;
    size_t i = pos_ + quote_len(s_, pos_);
    const size_t content = i;
    size_t qlen = 0;
    while (i < s_.size() && !(qlen = quote_len(s_, i))) ++i;
    if (i >= s_.size()) throw QueryError("unterminated quote", open);
    t.kind = Tok::Phrase;
    t.col = open;
    t.field = field;
    t.text = s_.substr(content, i - content);
    t.text_col = content;
    pos_ = i + qlen;
    if (pos_ < s_.size() && s_[pos_] == '~') {
      const size_t num = pos_ + 1;
      size_t e = num;
      while (!is_delim(s_, e)) ++e;
      auto n = parse_distance(s_.substr(num, e - num));
      if (!n) throw QueryError("~ needs a whole number from 0 to 1000000", num);
      t.slop = *n;
      pos_ = e;
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  bool clause_start_ = true;
  bool buffered_ = false;
  LexToken tok_;
};

// ---------------------------------------------------------------------------
// Tree building

Query make_leaf(Query::Op op, std::vector<std::string> terms, uint32_t window = 0) {
  Query q;
  q.op = op;
  q.terms = std::move(terms);
  q.window = window;
  return q;
}

Query make_node(Query::Op op, std::vector<Query> kids) {
  Query q;
  q.op = op;
  q.children = std::move(kids);
  return q;
}

// n-ary Or, flattening nested Ors; one child collapses to the child.
Query make_or(std::vector<Query> kids) {
  std::vector<Query> flat;
  for (auto& k : kids) {
    if (k.op == Query::Op::Or)
      for (auto& c : k.children) flat.push_back(std::move(c));
    else
      flat.push_back(std::move(k));
  }
  if (flat.size() == 1) return std::move(flat[0]);
  return make_node(Query::Op::Or, std::move(flat));
}

// AndNot(pos, neg), merging AndNot(AndNot(x, y), z) into AndNot(x, Or(y, z)).
Query make_and_not(Query pos, Query neg) {
  if (pos.op == Query::Op::AndNot) {
    std::vector<Query> negs;
    negs.push_back(std::move(pos.children[1]));
    negs.push_back(std::move(neg));
    pos.children[1] = make_or(std::move(negs));
    return pos;
  }
  std::vector<Query> kids;
  kids.push_back(std::move(pos));
  kids.push_back(std::move(neg));
  return make_node(Query::Op::AndNot, std::move(kids));
}

Query match_all() {
  Query q;
  q.op = Query::Op::MatchAll;
  return q;
}

// n-ary And, flattening nested Ands; children "all except y"
// (AndNot(MatchAll, y)) become exclusions: And(x, AndNot(*, y)) -> AndNot(x, y).
Query make_and(std::vector<Query> kids) {
  std::vector<Query> flat;
  for (auto& k : kids) {
    if (k.op == Query::Op::And)
      for (auto& c : k.children) flat.push_back(std::move(c));
    else
      flat.push_back(std::move(k));
  }
  std::vector<Query> pos, negs;
  for (auto& k : flat) {
    if (k.op == Query::Op::AndNot && k.children[0].op == Query::Op::MatchAll)
      negs.push_back(std::move(k.children[1]));
    else if (k.op != Query::Op::MatchAll)
      pos.push_back(std::move(k));
  }
  Query p;
  if (pos.empty())
    p = match_all();
  else if (pos.size() == 1)
    p = std::move(pos[0]);
  else
    p = make_node(Query::Op::And, std::move(pos));
  if (negs.empty()) return p;
  return make_and_not(std::move(p), make_or(std::move(negs)));
}

// ---------------------------------------------------------------------------
// Parser

enum class Occur { Default, Must, MustNot };

struct Clause {
  Occur occur = Occur::Default;
  std::optional<Query> q;  // nullopt: the clause analysed to nothing
};

// A word that reads as an operator but is not one: "or", "And", "not".
bool looks_like_operator(std::string_view w) {
  return (iequals(w, "and") || iequals(w, "or") || iequals(w, "not")) && w != "AND" && w != "OR" && w != "NOT";
}

std::string field_display_name(Field f) {
  for (const FieldName& n : kFieldNames)
    if (n.field == f) return std::string(n.name);
  return "";
}

std::string quoted_if_spaced(const std::string& name) {
  return name.find(' ') == std::string::npos ? name : "\"" + name + "\"";
}

const char* op_name(Tok k) {
  switch (k) {
    case Tok::And: return "AND";
    case Tok::Or: return "OR";
    case Tok::Not: return "NOT";
    case Tok::Near: return "NEAR";
    default: return "?";
  }
}

class Parser {
 public:
  Parser(std::string_view text, Analyzer& analyzer, const ParseOptions& opts, std::vector<QueryNote>* notes)
      : text_(text), lex_(text), analyzer_(analyzer), opts_(opts), notes_(notes) {}

  Query parse() {
    if (lex_.peek().kind == Tok::End) throw QueryError("empty query", 0);
    std::optional<Query> q = parse_or(0);
    const LexToken& t = lex_.peek();
    if (t.kind == Tok::RParen) throw QueryError("unbalanced ')'", t.col);
    if (t.kind != Tok::End) throw QueryError("unexpected input", t.col);  // not reachable
    if (!q) throw QueryError("query has no searchable terms", 0);
    return std::move(*q);
  }

 private:
  std::optional<Query> parse_or(int depth) {
    std::vector<Query> kids;
    if (auto q = parse_and(depth)) kids.push_back(std::move(*q));
    while (lex_.peek().kind == Tok::Or) {
      const LexToken op = lex_.next();
      if (!starts_clause(lex_.peek().kind)) throw QueryError("OR needs an operand after it", op.col);
      if (auto q = parse_and(depth)) kids.push_back(std::move(*q));
    }
    if (kids.empty()) return std::nullopt;
    return make_or(std::move(kids));
  }

  std::optional<Query> parse_and(int depth) {
    std::vector<Query> kids;
    if (auto q = parse_seq(depth)) kids.push_back(std::move(*q));
    while (lex_.peek().kind == Tok::And) {
      const LexToken op = lex_.next();
      if (!starts_clause(lex_.peek().kind)) throw QueryError("AND needs an operand after it", op.col);
      if (auto q = parse_seq(depth)) kids.push_back(std::move(*q));
    }
    if (kids.empty()) return std::nullopt;
    return make_and(std::move(kids));
  }

  std::optional<Query> parse_seq(int depth) {
    const LexToken& first = lex_.peek();
    if (!starts_clause(first.kind)) {
      switch (first.kind) {
        case Tok::And:
        case Tok::Or:
          throw QueryError(std::string(op_name(first.kind)) + " needs an operand before it", first.col);
        case Tok::Near:
          throw QueryError("NEAR needs a word before it", first.col);
        case Tok::RParen:
          throw QueryError("unbalanced ')'", first.col);
        default:
          throw QueryError("expected a word, a phrase or '('", first.col);
      }
    }
    std::vector<Query> musts, shoulds, nots;
    bool after_clause = false;
    while (starts_clause(lex_.peek().kind)) {
      const LexToken head = lex_.peek();
      Clause c = parse_clause(depth);
      if (head.kind == Tok::Word && after_clause && starts_clause(lex_.peek().kind) && looks_like_operator(head.text))
        note_operator_word(head);
      after_clause = true;
      if (!c.q) continue;
      Occur occ = c.occur;
      if (occ == Occur::MustNot)
        nots.push_back(std::move(*c.q));
      else if (occ == Occur::Must || !opts_.default_or)
        musts.push_back(std::move(*c.q));
      else
        shoulds.push_back(std::move(*c.q));
    }
    if (musts.empty() && shoulds.empty() && nots.empty()) return std::nullopt;
    if (musts.empty() && shoulds.empty()) return make_and_not(match_all(), make_or(std::move(nots)));
    Query pos;
    if (!musts.empty()) {
      pos = make_and(std::move(musts));
      if (!shoulds.empty()) {
        std::vector<Query> kids;
        kids.push_back(std::move(pos));
        for (auto& s : shoulds) kids.push_back(std::move(s));
        pos = make_node(Query::Op::AndMaybe, std::move(kids));
      }
    } else {
      pos = make_or(std::move(shoulds));
    }
    if (!nots.empty()) pos = make_and_not(std::move(pos), make_or(std::move(nots)));
    return pos;
  }

  Clause parse_clause(int depth) {
    const LexToken t = lex_.peek();
    if (t.kind == Tok::Not) {
      if (depth >= kMaxDepth) throw QueryError("query is nested too deeply", t.col);
      lex_.next();
      if (!starts_clause(lex_.peek().kind)) throw QueryError("NOT needs an operand after it", t.col);
      Clause c = parse_clause(depth + 1);
      // NOT NOT x is x.
      c.occur = c.occur == Occur::MustNot ? Occur::Default : Occur::MustNot;
      return c;
    }
    if (t.kind == Tok::Plus || t.kind == Tok::Minus) {
      lex_.next();
      const Tok k = lex_.peek().kind;
      if (k != Tok::Word && k != Tok::FieldWord && k != Tok::Phrase && k != Tok::Date && k != Tok::LParen && k != Tok::Within)
        throw QueryError(std::string("'") + (t.kind == Tok::Plus ? '+' : '-') +
                             "' must be followed by a word, a phrase or '('",
                         t.col);
      Clause c;
      c.occur = t.kind == Tok::Plus ? Occur::Must : Occur::MustNot;
      c.q = parse_primary(depth);
      return c;
    }
    Clause c;
    c.q = parse_primary(depth);
    return c;
  }

  void note(std::string message, size_t column) {
    if (notes_) notes_->push_back(QueryNote{std::move(message), column});
  }

  void note_operator_word(const LexToken& t) {
    std::string upper(t.text);
    for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    const std::string w(t.text);
    if (upper == "OR")
      note("'" + w + "' is searched as a word; to match either side, write OR", t.col);
    else if (upper == "AND")
      note("'" + w + "' is searched as a word; adjacent words must all match anyway (AND is the operator)", t.col);
    else
      note("'" + w + "' is searched as a word; to exclude what follows, write NOT", t.col);
  }

  // After a primary that is not a plain word: NEAR may not follow it.
  void reject_near(size_t col) {
    if (lex_.peek().kind == Tok::Near) throw QueryError("NEAR takes plain words", col);
  }

  std::optional<Query> parse_primary(int depth) {
    const LexToken t = lex_.next();
    switch (t.kind) {
      case Tok::LParen: {
        if (depth >= kMaxDepth) throw QueryError("query is nested too deeply", t.col);
        const Tok k = lex_.peek().kind;
        if (k == Tok::RParen) throw QueryError("empty parentheses", t.col);
        if (k == Tok::End) throw QueryError("expected ')'", text_.size());
        std::optional<Query> q = parse_or(depth + 1);
        if (lex_.peek().kind != Tok::RParen) throw QueryError("expected ')'", text_.size());
        lex_.next();
        reject_near(t.col);
        return q;
      }
      case Tok::Phrase: {
        std::optional<Query> q = phrase(t);
        reject_near(t.col);
        return q;
      }
      case Tok::Date: {
        Query q = date_range(t.text, t.text_col);
        reject_near(t.col);
        return q;
      }
      case Tok::Within: {
        if (depth >= kMaxDepth) throw QueryError("query is nested too deeply", t.col);
        if (!starts_clause(lex_.peek().kind) || lex_.peek().kind == Tok::Within)
          throw QueryError("expected a word, a phrase or '(' after ':'", lex_.peek().col);
        std::optional<Query> operand = parse_primary(depth + 1);
        reject_near(t.col);
        return within(t, std::move(operand));
      }
      case Tok::FieldWord: {
        std::optional<Query> q = word(t.field, t.text, t.text_col, t.col);
        reject_near(t.col);
        return q;
      }
      case Tok::Word: {
        if (t.text.ends_with('*')) {
          std::optional<Query> q = word(Field::Text, t.text, t.col, t.col);
          reject_near(t.col);
          return q;
        }
        if (lex_.peek().kind == Tok::Near) return near_chain(t);
        return word(Field::Text, t.text, t.col, t.col);
      }
      default:
        // Callers check starts_clause / the modifier's operand first.
        throw QueryError("expected a word, a phrase or '('", t.col);
    }
  }

  // A word or word* in `field`; nullopt when it analyses to nothing. `col`
  // is the word's column, `clause_col` that of the clause (field name included).
  std::optional<Query> word(Field field, std::string_view w, size_t col, size_t clause_col) {
    if (field == Field::Id) return id_value(w, clause_col);
    if (w.ends_with('*')) {
      const std::string_view raw = w.substr(0, w.size() - 1);
      if (raw.empty()) throw QueryError("empty prefix before '*'", col);
      tokens_.clear();
      analyzer_.analyze(raw, false, tokens_);
      if (tokens_.size() != 1 || tokens_[0].start != 0 || tokens_[0].end != raw.size()) {
        std::string folded = analyzer_.fold(raw);
        if (tokens_.empty() && folded.size() > kMaxTokenBytes)
          throw QueryError("prefix is too long", col);
        throw QueryError("a prefix must be a single word", col);
      }
      // Stemmed fields are matched on their written forms.
      const std::string folded = analyzer_.fold(raw);
      Query q = make_leaf(Query::Op::Prefix, {is_stemmed_field(field) && analyzer_.stems()
                                                  ? written_term(field, folded)
                                                  : field_term(field, folded)});
      q.column = clause_col;
      return q;
    }
    if (is_name_field(field) && opts_.names) return resolved_name(field, w, clause_col);
    return analysed(field, w, 0);
  }

  // quote:/said: around an analysed operand: the markers of the quotations
  // it must lie in.
  Query within(const LexToken& t, std::optional<Query> operand) {
    if (!operand) throw QueryError("nothing to search inside the quotations", t.col);
    check_within_operand(*operand, t.col);
    if (t.field == Field::Text) return within_node({std::string(kQuoteMarker)}, std::move(*operand), t.col);
    // A speaker's name as written, or the names it stands for (said:fed ->
    // the Federal Reserve's quotations), each name's words on one quotation.
    std::vector<std::string> names;
    if (opts_.names) names = opts_.names->resolve(Field::Entity, t.text);  // people, organisations, places speak
    if (names.empty()) names.emplace_back(t.text);
    std::vector<Query> kids;
    for (const std::string& name : names) {
      tokens_.clear();
      analyzer_.analyze(name, false, tokens_);
      std::vector<std::string> markers;
      for (const Token& tok : tokens_)
        if (std::find(markers.begin(), markers.end(), quote_speaker_marker(tok.term)) == markers.end())
          markers.push_back(quote_speaker_marker(tok.term));
      if (!markers.empty()) kids.push_back(within_node(std::move(markers), *operand, t.col));
    }
    if (kids.empty()) throw QueryError("said: needs a speaker's name", t.text_col);
    if (names.size() > 1 || names[0] != t.text)
      note("said:" + quoted_if_spaced(std::string(t.text)) + " is read as said:" + quoted_if_spaced(names[0]) +
               (names.size() > 1 ? " and its aliases" : ""),
           t.col);
    if (kids.size() == 1) return std::move(kids[0]);
    return make_or(std::move(kids));
  }

  static Query within_node(std::vector<std::string> markers, Query operand, size_t col) {
    Query q = make_node(Query::Op::Within, {});
    q.terms = std::move(markers);
    q.children.push_back(std::move(operand));
    q.column = col;
    return q;
  }

  // Inside a quotation: words and phrases of the text, NEAR, AND, OR, NOT.
  static void check_within_operand(const Query& q, size_t col) {
    switch (q.op) {
      case Query::Op::Term:
      case Query::Op::Phrase:
      case Query::Op::Near:
        for (const std::string& term : q.terms)
          if (!term.empty() && term[0] >= 'A' && term[0] <= 'Z')
            throw QueryError("inside quote: and said: only words and phrases of the text can be searched", col);
        return;
      case Query::Op::And:
      case Query::Op::Or:
      case Query::Op::AndNot:
        for (const Query& c : q.children) check_within_operand(c, col);
        return;
      case Query::Op::MatchAll:
        throw QueryError("inside quote: and said:, NOT needs a word to find beside it", col);
      case Query::Op::Prefix:
        throw QueryError("inside quote: and said:, prefixes (word*) are not supported", col);
      default:
        throw QueryError("inside quote: and said: only words and phrases of the text can be searched", col);
    }
  }

  // id:VALUE is the id as written (not analysed); id:VALUE* its prefix.
  Query id_value(std::string_view v, size_t col) {
    const bool prefix = v.ends_with('*');
    if (prefix) v.remove_suffix(1);
    if (v.empty()) throw QueryError("id: needs an article id", col);
    Query q = make_leaf(prefix ? Query::Op::Prefix : Query::Op::Term, {id_term(v)});
    q.column = col;
    return q;
  }

  std::optional<Query> phrase(const LexToken& t) {
    if (t.field == Field::Id) return id_value(t.text, t.col);
    if (is_name_field(t.field) && opts_.names && t.slop == 0) return resolved_name(t.field, t.text, t.col);
    return analysed(t.field, t.text, t.slop);
  }

  // A name value through the NameResolver: the names it stands for, ORed.
  std::optional<Query> resolved_name(Field field, std::string_view value, size_t col) {
    const std::vector<std::string> names = opts_.names->resolve(field, value);
    if (names.empty()) return analysed(field, value, 0);
    std::vector<Query> kids;
    std::vector<std::string> key_of_value = analysed_terms(field, value);
    bool same = false;
    for (const std::string& n : names) {
      std::vector<std::string> terms = analysed_terms(field, n);
      if (terms.empty()) continue;
      if (kids.empty()) same = terms == key_of_value;
      if (terms.size() == 1) {
        kids.push_back(make_leaf(Query::Op::Term, std::move(terms)));
      } else {
        const auto window = static_cast<uint32_t>(terms.size());
        kids.push_back(make_leaf(Query::Op::Phrase, std::move(terms), window));
      }
    }
    if (kids.empty()) return analysed(field, value, 0);
    std::string message = field_display_name(field) + ":" + quoted_if_spaced(std::string(value));
    if (!same) message += " is read as " + field_display_name(field) + ":" + quoted_if_spaced(names[0]);
    if (names.size() > 1) {
      message += same ? " also matches the aliases" : " and its aliases";
      for (size_t i = 1; i < names.size(); ++i) message += (i > 1 ? ", " : " ") + quoted_if_spaced(names[i]);
    }
    if (!same || names.size() > 1) note(message, col);
    return make_or(std::move(kids));
  }

  // The field terms of `text`, analysed like the index.
  std::vector<std::string> analysed_terms(Field field, std::string_view text) {
    tokens_.clear();
    analyzer_.analyze(text, is_stemmed_field(field), tokens_);
    std::vector<std::string> terms;
    terms.reserve(tokens_.size());
    for (auto& tok : tokens_) terms.push_back(field_term(field, tok.term));
    return terms;
  }

  // Analyses `text`: 0 tokens -> nullopt, 1 -> Term, more -> Phrase.
  std::optional<Query> analysed(Field field, std::string_view text, uint32_t slop) {
    std::vector<std::string> terms = analysed_terms(field, text);
    if (terms.empty()) return std::nullopt;
    if (terms.size() == 1) return make_leaf(Query::Op::Term, std::move(terms));
    const auto window = static_cast<uint32_t>(terms.size()) + slop;
    return make_leaf(Query::Op::Phrase, std::move(terms), window);
  }

  // The one term of a NEAR operand.
  std::string near_term(std::string_view w, size_t col) {
    tokens_.clear();
    analyzer_.analyze(w, true, tokens_);
    if (tokens_.size() != 1) throw QueryError("NEAR takes single words", col);
    return std::move(tokens_[0].term);
  }

  Query near_chain(const LexToken& first) {
    std::vector<std::string> terms;
    terms.push_back(near_term(first.text, first.col));
    std::optional<uint32_t> n;
    while (lex_.peek().kind == Tok::Near) {
      const LexToken op = lex_.next();
      if (n && *n != op.near) throw QueryError("a NEAR chain needs the same distance throughout", op.col);
      n = op.near;
      const LexToken& operand = lex_.peek();
      switch (operand.kind) {
        case Tok::Word:
          if (operand.text.ends_with('*')) throw QueryError("NEAR takes plain words", operand.col);
          terms.push_back(near_term(operand.text, operand.col));
          lex_.next();
          break;
        case Tok::FieldWord:
        case Tok::Phrase:
        case Tok::Date:
        case Tok::LParen:
        case Tok::Plus:
        case Tok::Minus:
          throw QueryError("NEAR takes plain words", operand.col);
        default:
          throw QueryError("NEAR needs a word after it", op.col);
      }
    }
    return make_leaf(Query::Op::Near, std::move(terms), static_cast<uint32_t>(terms.size()) + *n);
  }

  // One date bound: YYYY, YYYY-MM or YYYY-MM-DD; `last` picks the last day
  // of the period instead of the first.
  DayNumber date_bound(std::string_view s, size_t col, bool last) {
    auto malformed = [&]() {
      return QueryError("expected a date like 2024, 2024-11 or 2024-11-13", col);
    };
    auto digits = [&](size_t from, size_t max, size_t& end, int& value) {
      end = from;
      value = 0;
      while (end < s.size() && end - from < max && s[end] >= '0' && s[end] <= '9')
        value = value * 10 + (s[end++] - '0');
      return end > from;
    };
    size_t e = 0;
    int y = 0, m = 0, d = 0;
    if (!digits(0, 4, e, y) || e != 4) throw malformed();
    if (e == s.size()) {
      if (y < 1) throw QueryError("year out of range (0001-9999)", col);
      return last ? days_from_civil(y, 12, 31) : days_from_civil(y, 1, 1);
    }
    if (s[e] != '-') throw malformed();
    const size_t mcol = e + 1;
    if (!digits(mcol, 2, e, m)) throw malformed();
    const bool has_day = e < s.size();
    size_t dcol = 0;
    if (has_day) {
      if (s[e] != '-') throw malformed();
      dcol = e + 1;
      if (!digits(dcol, 2, e, d) || e != s.size()) throw malformed();
    }
    if (y < 1) throw QueryError("year out of range (0001-9999)", col);
    if (m < 1 || m > 12) throw QueryError("invalid month", col + mcol);
    const auto um = static_cast<unsigned>(m);
    if (!has_day) return days_from_civil(y, um, last ? days_in_month(y, um) : 1);
    if (!valid_civil(y, um, static_cast<unsigned>(d))) throw QueryError("invalid day of the month", col + dcol);
    return days_from_civil(y, um, static_cast<unsigned>(d));
  }

  Query date_range(std::string_view spec, size_t col) {
    Query q;
    q.op = Query::Op::DateRange;
    const size_t dots = spec.find("..");
    if (dots == std::string_view::npos) {
      q.date_lo = date_bound(spec, col, false);
      q.date_hi = date_bound(spec, col, true);
      return q;
    }
    const std::string_view a = spec.substr(0, dots), b = spec.substr(dots + 2);
    const size_t bcol = col + dots + 2;
    if (a.empty() && b.empty()) throw QueryError("a date range needs at least one end", col);
    q.date_lo = a.empty() ? kOpenLo : date_bound(a, col, false);
    q.date_hi = b.empty() ? kOpenHi : date_bound(b, bcol, true);
    if (q.date_hi < q.date_lo) throw QueryError("the date range ends before it starts", bcol);
    return q;
  }

  std::string_view text_;
  Lexer lex_;
  Analyzer& analyzer_;
  const ParseOptions& opts_;
  std::vector<QueryNote>* notes_;
  std::vector<Token> tokens_;
};

}  // namespace

Query parse_query(std::string_view text, Analyzer& analyzer, const ParseOptions& opts, std::vector<QueryNote>* notes) {
  Parser p(text, analyzer, opts, notes);
  return p.parse();
}

std::string known_field_names() {
  return "title, speaker, entity, person, org (organization, organisation), place (location), date, id, quote, said";
}

}  // namespace dateline
