// Text analysis: Unicode tokenisation, case folding and Snowball stemming.
//
// The same Analyzer (same stemmer) must be used to index and to query; the
// index records the stemmer name and the searcher builds its Analyzer from it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
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
// apostrophe (', U+2019, U+2018, U+02BC, U+FF07) between letters ("rutte's",
// "o’neill"; every apostrophe is indexed as '), and across
// a single '.' or ',' between digits ("3.5", "1,000"), and across '.' between
// single letters ("u.s"). Invalid UTF-8 bytes separate words. Words longer
// than kMaxTokenBytes after folding are dropped. Tokens holding digits, "."
// or "," (numbers, dotted acronyms) are never stemmed.
class Analyzer {
 public:
  // `stemmer` is "none" or a Snowball language name ("english", "german",
  // ...). Throws std::invalid_argument naming the known stemmers otherwise.
  // With `fold_accents`, tokens are also compatibility-decomposed (NFKD) and
  // lose their combining marks, and the letters that have no decomposition
  // are spelled out in ASCII (ø -> o, ł -> l, æ -> ae, þ -> th, ...), as
  // Lucene's ASCIIFoldingFilter does: "Gdańsk", "gdansk" and "GDANSK" are one
  // term, "São" and "Sao" another. Without it, tokens are NFC.
  explicit Analyzer(std::string stemmer = "english", bool fold_accents = true);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  const std::string& stemmer_name() const { return stemmer_name_; }
  // True when a stemmer is configured (not "none").
  bool stems() const;
  bool folds_accents() const { return fold_accents_; }

  // Appends the tokens of `text` to `out`, in order. Tokens are case-folded
  // (Unicode full case folding, NFC) and, when `stem` is true and a stemmer
  // is configured, stemmed. The i-th appended token has position i.
  void analyze(std::string_view text, bool stem, std::vector<Token>& out);

  // The byte ranges [start, end) of the tokens analyze(text, false, ...)
  // appends, in the same order (the i-th range is position i), without
  // building their folded forms: what a snippet needs when the index says
  // where the matches are. Appends to `out`, at most `limit` ranges (the
  // text after them is not read).
  void token_spans(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& out,
                   size_t limit = SIZE_MAX) const;

  // Folds one word as analyze() does (case, accents if configured,
  // apostrophes) without stemming: the written form, as prefix queries match it.
  std::string fold(std::string_view word) const;

  // Stems an already folded token as analyze() does: identity when the
  // stemmer is "none" and for numbers and dotted acronyms ("3.5", "u.s").
  std::string stem(std::string_view folded);

  // The words of `text` as the tokenizer splits them (before folding drops
  // any), appended as byte ranges. word_spans() takes a fast path for
  // ASCII words; word_spans_by_code_point() reads one code point at a time
  // and is its reference (tests).
  static void word_spans(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& out);
  static void word_spans_by_code_point(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& out);

  // Names accepted by the constructor: "none" plus Snowball's languages.
  static std::vector<std::string> available_stemmers();

 private:
  struct Impl;
  std::string stemmer_name_;
  bool fold_accents_ = true;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dateline
