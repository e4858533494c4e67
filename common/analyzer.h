// Text analysis: Unicode tokenisation, case folding and Snowball stemming.
//
// The same Analyzer (same stemmer) must be used to index and to query; the
// index records the stemmer name and the searcher builds its Analyzer from it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

// One analysed token: the term text and the byte range it came from.
struct Token {
  std::string term;  // case-folded (and stemmed, if asked) token text
  uint32_t start;    // byte offset of the token's first byte in the input
  uint32_t end;      // byte offset one past its last byte
};

// Splits UTF-8 text into words. A word is a maximal run of letters, marks and
// digits (Unicode categories L*, M*, N*), also joined across a single
// apostrophe (' or U+2019) between letters ("rutte's", "o'neill"), and across
// a single '.' or ',' between digits ("3.5", "1,000"), and across '.' between
// single letters ("u.s"). Invalid UTF-8 bytes separate words. Words longer
// than kMaxTokenBytes after folding are dropped. Tokens holding digits, "."
// or "," (numbers, dotted acronyms) are never stemmed.
class Analyzer {
 public:
  // `stemmer` is "none" or a Snowball language name ("english", "german",
  // ...). Throws std::invalid_argument naming the known stemmers otherwise.
  explicit Analyzer(std::string stemmer = "english");
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  const std::string& stemmer_name() const { return stemmer_name_; }

  // Appends the tokens of `text` to `out`, in order. Tokens are case-folded
  // (Unicode full case folding, NFC) and, when `stem` is true and a stemmer
  // is configured, stemmed. The i-th appended token has position i.
  void analyze(std::string_view text, bool stem, std::vector<Token>& out);

  // Case-folds one word without stemming (used for prefix queries).
  std::string fold(std::string_view word) const;

  // Stems an already folded token (identity when the stemmer is "none").
  std::string stem(std::string_view folded);

  // Names accepted by the constructor: "none" plus Snowball's languages.
  static std::vector<std::string> available_stemmers();

 private:
  struct Impl;
  std::string stemmer_name_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dateline
