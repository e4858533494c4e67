// The query language (the reference for every feature) and its analysed form.
//
//   word            in title or body, analysed like the index
//   word*           prefix: any word the articles write that starts with the
//                   folded word (written forms, common/fields.h), whatever the
//                   stemmer; a prefix that expands to more than
//                   kMaxPrefixExpansions words in a segment is refused
//   "w1 w2"         phrase;  "w1 w2"~N: same words in order, at most N other
//                   words inside the span
//   a NEAR/N b      both words within N words of each other, any order
//                   (chains a NEAR/N b NEAR/N c need the same N)
//   AND OR NOT      upper case; precedence NOT > AND > OR; parentheses group
//   +word -word     required / excluded clause
//   a b             adjacent clauses combine with the default operator (AND,
//                   or OR with ParseOptions::default_or); '+' clauses are
//                   required and '-'/NOT clauses excluded in either mode
//   title: speaker: entity:   field with a word, word* or "phrase"
//   person: org: place:       typed entities (organization:/organisation: are
//                             org:, location: is place:), word, word* or "phrase";
//                             any other name before ':' is an error
//   name values (speaker: entity: person: org: place:) go through a
//   NameResolver when one is given: org:fed matches what org:"federal reserve" does
//   date:2024  date:2024-11  date:2024-11-13  date:A..B  date:A..  date:..B
//   id:VALUE  id:"VALUE"  id:VALUE*   the article id as written (not analysed)
//   quote:word  quote:"phrase"  quote:(query)   inside one quotation; the
//                   query holds words, phrases, NEAR, AND, OR and NOT only
//   said:name(query)  said:"full name"(query)   inside one quotation of a
//                   speaker whose name has these words (resolved like name
//                   values: said:fed is the Federal Reserve's)
//
// A clause list that has only excluded clauses means "all articles except".
// Speaker and entity values (all name fields) are folded but never stemmed.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/fields.h"

namespace dateline {

class Analyzer;

// Analysed query tree. Terms carry their field prefix (see common/fields.h).
struct Query {
  enum class Op {
    MatchAll,      // every article
    MatchNothing,  // no article
    Term,          // terms[0]
    Prefix,        // any term starting with terms[0] (field prefix included)
    Phrase,        // terms in order; last.pos - first.pos + 1 <= window;
                   // window == terms.size() means an exact phrase
    Near,          // all terms, any order, max.pos - min.pos + 1 <= window
    DateRange,     // date_lo <= article date <= date_hi; undated never match
    And,           // all children
    Or,            // any child
    AndNot,        // children[0] and not children[1]
    AndMaybe,      // children[0]; children[1..] only add to the score
    Within,        // children[0] (words, phrases, NEAR, AND, OR, NOT) inside one
                   // quotation whose span every marker of `terms` has
                   // (common/fields.h: "Q" any, "QS" + a speaker's word);
                   // no children: any such quotation
  };
  Op op = Op::MatchNothing;
  std::vector<std::string> terms;
  uint32_t window = 0;
  DayNumber date_lo = 0, date_hi = 0;
  std::vector<Query> children;
  size_t column = 0;  // Prefix leaves: byte column of the word in the query text


  // Compact S-expression, e.g. (AND rutte (PHRASE/2 north korea)), for tests.
  std::string to_string() const;
};

// Resolves a value of a name field (speaker:, entity:, person:, org:,
// place:) to the names it stands for.
class NameResolver {
 public:
  virtual ~NameResolver() = default;
  // `value` as written in the query (inside the quotes for a phrase). Returns
  // the names to match instead of it: first the name the value stands for
  // ("Federal Reserve" for "fed"), then that name's aliases; or nothing, to
  // match the value as written. The parser analyses each name like a value.
  virtual std::vector<std::string> resolve(Field field, std::string_view value) const = 0;
};

struct ParseOptions {
  bool default_or = false;               // adjacent clauses are ORed instead of ANDed
  const NameResolver* names = nullptr;   // resolves name-field values (not phrases with ~N)
};

// Something the user may want to know about how a query was read: a name
// resolved to another, or a lower-case "or" searched as a word. One line.
struct QueryNote {
  std::string message;
  size_t column = 0;  // byte column in the query text
};

// A prefix that expands to more written forms than this in one segment is
// refused (a QueryError from the searcher, at the prefix's column).
inline constexpr size_t kMaxPrefixExpansions = 10000;

// A syntax error: what is wrong and the 0-based byte column where it is.
class QueryError : public std::runtime_error {
 public:
  QueryError(const std::string& message, size_t column)
      : std::runtime_error(message), column_(column) {}
  size_t column() const { return column_; }

 private:
  size_t column_;
};

// Parses and analyses `text`. Throws QueryError on any syntax error (never
// crashes or loops, whatever the input). A query with no searchable term at
// all (e.g. only punctuation) is an error too, and so is an unknown field
// ("foo:bar"). Notes, if asked for, are appended to `notes`.
Query parse_query(std::string_view text, Analyzer& analyzer, const ParseOptions& opts = {},
                  std::vector<QueryNote>* notes = nullptr);

// The field names of the query language, as the error for an unknown field lists them.
std::string known_field_names();

// Formats an error for a terminal: the message, the query, and a caret under
// the column, e.g. "error: expected ')'\n  (a OR b\n          ^\n".
std::string format_query_error(std::string_view text, const QueryError& e);

}  // namespace dateline
