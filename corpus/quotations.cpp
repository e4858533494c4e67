// Quotations: what each attribution of speech says, as a byte span of the
// body (the rules are corpus/gold/README.md's "Quotation guidelines").
//
// Direct: a passage in double quotation marks right before the attribution
// ("“...,” she said", "“...”, said X") or right after it ("X said: “...”"),
// holding a clause (three words or more); the passages that continue it
// without an attribution of their own (the next sentences of the paragraph,
// and the next paragraphs that open with a mark) are direct records of the
// same speaker. Reported: otherwise, the clause after the attribution (after
// "that") to the end of its sentence, or the sentence before it ("Prices will
// rise, she said.").
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include "corpus/nlp.h"

namespace dateline::corpus_detail {

namespace {

bool ends_sentence(const Tok& t) { return is_punct(t, '.') || is_punct(t, '!') || is_punct(t, '?'); }

// The lemma of an attribution verb: "said" -> "say", "admitted" -> "admit",
// "noted" -> "note" (the base forms of the speech verbs that nlp.h knows).
std::string cue_lemma(const std::vector<Tok>& toks, uint32_t verb) {
  const std::string& w = toks[verb].lower;
  if (w == "according") return "according to";
  if (w == "saying" && verb >= 2 && toks[verb - 1].lower == "as") return "quote as saying";
  if (w == "said" || w == "says") return "say";  // irregular forms
  if (w == "told" || w == "tells") return "tell";
  if (w == "wrote" || w == "writes") return "write";
  auto known = [](const std::string& c) { return is_cue_lemma(c); };
  std::string_view v = w;
  if (v.ends_with("ied") || v.ends_with("ies")) return std::string(v.substr(0, v.size() - 3)) + "y";
  const std::string candidates[] = {
      v.ends_with("ed") ? std::string(v.substr(0, v.size() - 2)) : "",   // warned
      v.ends_with("d") ? std::string(v.substr(0, v.size() - 1)) : "",    // noted
      v.ends_with("ed") && v.size() > 4 ? std::string(v.substr(0, v.size() - 3)) : "",  // admitted
      v.ends_with("s") ? std::string(v.substr(0, v.size() - 1)) : "",    // warns, notes
      v.ends_with("es") ? std::string(v.substr(0, v.size() - 2)) : "",   // stresses
      v.ends_with("ing") ? std::string(v.substr(0, v.size() - 3)) : "",  // adding
      v.ends_with("ing") ? std::string(v.substr(0, v.size() - 3)) + "e" : ""};  // noting
  for (const std::string& c : candidates)
    if (!c.empty() && known(c)) return c;
  return w;
}

class QuotationFinder {
 public:
  QuotationFinder(const Doc& doc, const std::vector<Attribution>& attributions, uint32_t body_from,
                  std::vector<Quotation>& out)
      : toks_(doc.toks), text_(doc.text), attributions_(attributions), body_from_(body_from), out_(out) {}

  void run() {
    add_conjoined();
    owner_.assign(toks_.size(), -1);
    for (size_t a = 0; a < attributions_.size(); ++a) {
      for (uint32_t k = attributions_[a].first; k <= attributions_[a].last && k < toks_.size(); ++k)
        owner_[k] = static_cast<int32_t>(a);
      starts_.push_back(attributions_[a].first);
    }
    std::sort(starts_.begin(), starts_.end());
    for (const Attribution& a : attributions_) {
      if (toks_[a.verb].begin < body_from_) continue;  // the title is not annotated
      quote(a);
    }
    std::stable_sort(out_.begin(), out_.end(), [](const Quotation& x, const Quotation& y) { return x.start < y.start; });
  }

 private:
  // "X said A but added B", "..., adding that B": a verb of saying joined to
  // an attribution's sentence shares its speaker, and is an attribution too.
  void add_conjoined() {
    const size_t n = attributions_.size();
    std::vector<bool> is_verb(toks_.size(), false);
    for (const Attribution& a : attributions_) is_verb[a.verb] = true;
    for (size_t i = 0; i < n; ++i) {
      const Attribution a = attributions_[i];
      for (size_t k = a.last + 1; k + 1 < toks_.size(); ++k) {
        const Tok& t = toks_[k];
        if (t.kind == TokKind::Break || (ends_sentence(t) && !t.in_quote)) break;
        if (is_verb[k]) break;  // another attribution's verb: what follows is its own
        if (t.kind != TokKind::Word || t.in_quote || t.cap) continue;
        const bool speech = (t.flags & (kWSpeechStrong | kWSpeechWeak)) ||
                            (t.lower.ends_with("ing") && t.lower.size() > 5 && is_cue_lemma(cue_lemma(toks_, static_cast<uint32_t>(k))));
        if (!speech) continue;
        const Tok& p = toks_[k - 1];
        const bool joined = is_punct(p, ',') || (p.kind == TokKind::Word && (p.lower == "but" || p.lower == "and"));
        if (!joined) continue;
        // It must introduce speech: "that", a clause, a colon or a quotation after it.
        const Tok& next = toks_[k + 1];
        // ("..., adding, “...”": a comma then a quotation.)
        const bool comma_quote = is_punct(next, ',') && k + 2 < toks_.size() && toks_[k + 2].kind == TokKind::OpenQuote;
        if (!(next.kind == TokKind::OpenQuote || is_punct(next, ':') || comma_quote ||
              (next.kind == TokKind::Word && (next.lower == "that" || next.lower == "he" || next.lower == "she" ||
                                              next.lower == "it" || next.lower == "they" || next.lower == "the"))))
          continue;
        const auto first = static_cast<uint32_t>(is_punct(p, ',') ? k : k - 1);
        own_.push_back({static_cast<uint32_t>(k), first, static_cast<uint32_t>(k), a.kind, a.speaker});
        is_verb[k] = true;
        conjoined_.push_back(first);
      }
    }
  }

  void quote(const Attribution& a) {
    const std::string cue = cue_lemma(toks_, a.verb);
    bool direct = false;
    // "“...,” she said" / "“...”, said X" / "“...,” the minister, Jane Doe, said"
    if (const size_t k = close_before(a); k != SIZE_MAX) {
      const size_t open = opening_of(k);
      if (open != SIZE_MAX && clause(open + 1, k)) {
        emit(a, cue, QuoteKind::Direct, toks_[open].end, toks_[k].begin);
        direct = true;
        preceding(a, cue, open);
      }
    }
    // "X said: “...”", "X told reporters, “...”", "“A,” she said, “B.”"
    if (size_t k = after_attribution(a); k < toks_.size() && toks_[k].kind == TokKind::OpenQuote && double_mark(k)) {
      const size_t close = closing_of(k);
      if (clause(k + 1, close)) {
        emit(a, cue, QuoteKind::Direct, toks_[k].end, end_byte(close));
        direct = true;
        continued(a, cue, close);
      }
    }
    if (direct) {
      if (const size_t k = close_before(a); k != SIZE_MAX && !(after_attribution(a) < toks_.size() &&
                                                               toks_[after_attribution(a)].kind == TokKind::OpenQuote))
        continued(a, cue, k);
      return;
    }
    reported(a, cue);
  }

  // The closing mark of a quotation right before the attribution, past a
  // comma and a description of the speaker ("the minister,"); SIZE_MAX if none.
  size_t close_before(const Attribution& a) const {
    size_t k = a.first;
    if (k > 0 && toks_[k - 1].kind == TokKind::Word && toks_[k - 1].lower == "the") --k;  // "“...,” the Fed said"
    for (int n = 0; k > 0 && n < 8; ++n) {
      const Tok& t = toks_[k - 1];
      if (t.kind == TokKind::CloseQuote) return double_mark(k - 1) ? k - 1 : SIZE_MAX;
      const bool between = is_punct(t, ',') || t.kind == TokKind::Possessive ||
                           (t.kind == TokKind::Word && !t.in_quote && n > 0 && !(t.flags & (kWSpeechStrong | kWSpeechWeak)));
      if (!between || (n == 0 && !is_punct(t, ','))) return SIZE_MAX;
      --k;
    }
    return SIZE_MAX;
  }

  // A quotation over several paragraphs, its attribution in the last: the
  // paragraphs before that open with a mark and end unclosed are its own
  // records (`open`: the opening mark of the attributed paragraph).
  void preceding(const Attribution& a, const std::string& cue, size_t open) {
    while (open >= 2 && toks_[open - 1].kind == TokKind::Break) {
      // The previous paragraph: from its first token to the break.
      size_t first = open - 1;
      while (first > 0 && toks_[first - 1].kind != TokKind::Break) --first;
      if (toks_[first].kind != TokKind::OpenQuote || !double_mark(first)) return;
      const size_t end = closing_of(first);
      if (end != open - 1 || attributed(end) || !clause(first + 1, end)) return;  // closed, or its own speaker
      emit(a, cue, QuoteKind::Direct, toks_[first].end, end_byte(end));
      open = first;
    }
  }

  // The first token after the attribution's words, past a comma or colon,
  // "to reporters", "in a statement", "on Monday".
  size_t after_attribution(const Attribution& a) const {
    size_t k = a.last + 1;
    for (int skipped = 0; k < toks_.size() && skipped < 6; ++skipped) {
      const Tok& t = toks_[k];
      if (is_punct(t, ',') || is_punct(t, ':')) {
        ++k;
        continue;
      }
      if (t.kind == TokKind::Word && !t.in_quote && !t.cap && skipped < 4 &&
          (t.lower == "to" || t.lower == "in" || t.lower == "on" || t.lower == "a" || t.lower == "the" ||
           t.lower == "reporters" || t.lower == "statement" || t.lower == "interview" || t.lower == "later" ||
           t.lower == "also" || t.lower == "then" || t.lower == "journalists")) {
        ++k;
        continue;
      }
      break;
    }
    return k;
  }

  // After a direct passage closing at token `close` (or ending its paragraph
  // unclosed), the passages that continue it with no attribution of their
  // own: the next sentence when it opens with a mark ("“A,” she said. “B.”"),
  // and the next paragraphs that open with one.
  void continued(const Attribution& a, const std::string& cue, size_t close) {
    bool unclosed = close >= toks_.size() || toks_[close].kind != TokKind::CloseQuote;
    size_t k = unclosed ? close : close + 1;
    if (!unclosed && close < a.first) {
      // Past the rest of the attribution's sentence: "she told reporters in Oslo."
      while (k < toks_.size() && toks_[k].kind != TokKind::Break && toks_[k].kind != TokKind::OpenQuote &&
             !(ends_sentence(toks_[k]) && !toks_[k].in_quote)) {
        if (owner_[k] >= 0 && (k < a.first || k > a.last)) return;
        ++k;
      }
    }
    while (k < toks_.size()) {
      while (k < toks_.size() && toks_[k].kind == TokKind::Punct && !toks_[k].in_quote) ++k;
      if (k < toks_.size() && toks_[k].kind == TokKind::Break) ++k;
      if (k >= toks_.size() || toks_[k].kind != TokKind::OpenQuote || !double_mark(k)) return;
      const size_t end = closing_of(k);
      if (attributed(end) || !clause(k + 1, end)) return;
      emit(a, cue, QuoteKind::Direct, toks_[k].end, end_byte(end));
      unclosed = end >= toks_.size() || toks_[end].kind != TokKind::CloseQuote;
      k = unclosed ? end : end + 1;
    }
  }

  // The passage closing at `close` has an attribution of its own after it,
  // in its sentence.
  bool attributed(size_t close) const {
    if (close >= toks_.size() || toks_[close].kind != TokKind::CloseQuote) return false;
    for (size_t k = close + 1; k < toks_.size(); ++k) {
      const Tok& t = toks_[k];
      if (owner_[k] >= 0) return true;
      if (t.kind == TokKind::Break || t.kind == TokKind::OpenQuote || (ends_sentence(t) && !t.in_quote)) return false;
    }
    return false;
  }

  void reported(const Attribution& a, const std::string& cue) {
    // "according to X, ...": the rest of the sentence.
    size_t k = a.last + 1;
    if (toks_[a.verb].lower == "according") {
      if (k < toks_.size() && is_punct(toks_[k], ',')) {
        const size_t end = sentence_end(k + 1);
        if (end > k + 1) emit(a, cue, QuoteKind::Reported, toks_[k + 1].begin, toks_[end - 1].end);
        return;
      }
      before(a, cue);
      return;
    }
    // The clause after: "said (that) ...", "told reporters (that) ...",
    // "said in a statement that ...". Without "that", a clause that ends
    // at the attribution's comma comes first ("Prices will rise, she said on
    // Monday, as ...": what follows is the reporter's).
    k = clause_start(a);
    const bool that = k > a.last + 1 && toks_[k - 1].kind == TokKind::Word && toks_[k - 1].lower == "that";
    // Only a circumstance after it ("said in a statement."): the clause, if any, is before.
    if (!that && ends_clause(a)) {
      if (!parenthetical(a, cue)) before(a, cue);
      return;
    }
    const size_t end = sentence_end(k);
    if (end > k + 1 && words(k, end) >= 2) {
      emit(a, cue, QuoteKind::Reported, toks_[k].begin, toks_[end - 1].end);
      return;
    }
    before(a, cue);
  }

  // Where the reported clause after the attribution starts: past a comma or
  // colon, and past "that" when it comes within a few words of a listener
  // or a circumstance ("told the committee that", "said on Monday that").
  size_t clause_start(const Attribution& a) const {
    size_t k = a.last + 1;
    while (k < toks_.size() && (is_punct(toks_[k], ',') || is_punct(toks_[k], ':'))) ++k;
    for (size_t j = k; j < toks_.size() && j <= k + 6; ++j) {
      const Tok& t = toks_[j];
      if (t.kind == TokKind::Word && !t.cap && t.lower == "that") return j + 1;
      if (t.kind != TokKind::Word && t.kind != TokKind::Number && !is_punct(t, ',')) break;
      // A subject: the clause has begun ("said he believes that ...").
      if (t.kind == TokKind::Word && (t.lower == "he" || t.lower == "she" || t.lower == "it" || t.lower == "they" ||
                                      t.lower == "we" || t.lower == "i" || t.lower == "you" || t.lower == "there"))
        break;
      if (t.kind == TokKind::Word && (t.flags & (kWSpeechStrong | kWSpeechWeak))) break;
    }
    return k;
  }

  // Nothing of a clause follows the attribution, only a circumstance: "she
  // said.", "she said on Monday, as ...", "he told a news conference in Oslo."
  bool ends_clause(const Attribution& a) const {
    size_t k = a.last + 1;
    for (int words = 0; k < toks_.size() && words < 8; ++k, ++words) {
      const Tok& t = toks_[k];
      if (t.kind != TokKind::Word && t.kind != TokKind::Number) break;
      if (words == 0 && !(t.lower == "on" || t.lower == "in" || t.lower == "at" || t.lower == "last" ||
                          t.lower == "late" || t.lower == "earlier" || t.lower == "today" || t.lower == "yesterday" ||
                          t.lower == "to" || is_month_or_day(t.lower)))
        return false;
      if (t.lower == "that") return false;
    }
    return k >= toks_.size() || toks_[k].kind == TokKind::Break || is_punct(toks_[k], ',') || ends_sentence(toks_[k]);
  }

  // "This year, he said, is one of the second kind.": an attribution set off
  // by commas inside a short opening and the rest of its sentence (which goes
  // on in lower case, not with "as", "but" ...): the whole sentence is what was
  // said; false if it is not so.
  bool parenthetical(const Attribution& a, const std::string& cue) {
    const size_t after = a.last + 1;
    if (a.first < 2 || after + 1 >= toks_.size() || !is_punct(toks_[a.first - 1], ',') || !is_punct(toks_[after], ','))
      return false;
    const Tok& next = toks_[after + 1];
    if (!is_lower_word(next) || is_clause_opener(next.lower) || next.in_quote) return false;
    size_t s = a.first - 1;
    while (s > 0 && toks_[s - 1].kind != TokKind::Break && !(ends_sentence(toks_[s - 1]) && !toks_[s - 1].in_quote) &&
           !(toks_[s].kind == TokKind::Word && toks_[s].sent_start && s < a.first - 1))
      --s;
    if (const size_t opening = words(s, a.first - 1); opening < 1 || opening > 6) return false;
    const size_t end = sentence_end(after + 1);
    if (end <= after + 2 || words(after + 1, end) < 3) return false;
    emit(a, cue, QuoteKind::Reported, toks_[s].begin, toks_[end - 1].end);
    return true;
  }

  // "Prices will rise, she said.": the sentence up to the attribution's
  // comma; false if there is none.
  bool before(const Attribution& a, const std::string& cue) {
    // The comma may come before a description of the speaker: "..., Bundesbank
    // board member Rainer Steckhan said."
    size_t comma = a.first;
    while (comma > 0 && a.first - comma < 8 &&
           (toks_[comma - 1].kind == TokKind::Word || toks_[comma - 1].kind == TokKind::Possessive) &&
           !toks_[comma - 1].in_quote && !(toks_[comma - 1].flags & (kWSpeechStrong | kWSpeechWeak)))
      --comma;
    if (comma == 0 || !is_punct(toks_[comma - 1], ',')) return false;
    --comma;
    size_t s = comma;
    while (s > 0) {
      if (s < comma && toks_[s].kind == TokKind::Word && toks_[s].sent_start) break;
      const Tok& p = toks_[s - 1];
      if (p.kind == TokKind::Break || (ends_sentence(p) && !p.in_quote)) break;
      --s;
    }
    if (words(s, comma) < 2) return false;
    emit(a, cue, QuoteKind::Reported, toks_[s].begin, toks_[comma - 1].end);
    return true;
  }

  // One past the last token of the sentence that token k is in (a full stop
  // outside quotes, or the paragraph's end), the final full stop left out.
  size_t sentence_end(size_t k) const {
    size_t j = k;
    while (j < toks_.size() && toks_[j].kind != TokKind::Break) {
      // "said A but added B": A ends where the next attribution joins; so
      // does "said A, but he said B".
      if (j > k && (std::find(conjoined_.begin(), conjoined_.end(), j) != conjoined_.end() || joined_attribution(j)))
        break;
      if (ends_sentence(toks_[j]) && !toks_[j].in_quote && j + 1 < toks_.size() &&
          (toks_[j + 1].kind == TokKind::OpenQuote || toks_[j + 1].kind == TokKind::Break || toks_[j + 1].sent_start)) {
        ++j;
        break;
      }
      if (j > k && toks_[j].kind == TokKind::Word && toks_[j].sent_start && !toks_[j].in_quote) break;
      ++j;
    }
    while (j > k && (ends_sentence(toks_[j - 1]) || is_punct(toks_[j - 1], ',') || is_punct(toks_[j - 1], ';') ||
                     (toks_[j - 1].kind == TokKind::Word && (toks_[j - 1].lower == "but" || toks_[j - 1].lower == "and") &&
                      (std::find(conjoined_.begin(), conjoined_.end(), j) != conjoined_.end() ||
                       joined_attribution(j)))))
      --j;
    return j;
  }

  // An attribution starts at token j, right after "but" or "and": "..., but he said B".
  bool joined_attribution(size_t j) const {
    if (j == 0 || !std::binary_search(starts_.begin(), starts_.end(), static_cast<uint32_t>(j))) return false;
    const Tok& p = toks_[j - 1];
    return p.kind == TokKind::Word && !p.in_quote && (p.lower == "but" || p.lower == "and");
  }

  size_t words(size_t from, size_t to) const {
    size_t n = 0;
    for (size_t k = from; k < to && k < toks_.size(); ++k) n += toks_[k].kind == TokKind::Word;
    return n;
  }
  // A passage of three words or more: a clause, not a quoted term.
  bool clause(size_t from, size_t to) const { return words(from, to) >= 3; }

  // The mark of token k is a double one (straight, curly, low or guillemet).
  bool double_mark(size_t k) const {
    const std::string_view m = text_.substr(toks_[k].begin, toks_[k].end - toks_[k].begin);
    return m == "\"" || m == "\xE2\x80\x9C" || m == "\xE2\x80\x9D" || m == "\xE2\x80\x9E" || m == "\xC2\xAB" ||
           m == "\xC2\xBB";
  }
  size_t opening_of(size_t close) const {
    for (size_t k = close; k-- > 0;) {
      if (toks_[k].kind == TokKind::OpenQuote) return k;
      if (toks_[k].kind == TokKind::Break) return SIZE_MAX;
    }
    return SIZE_MAX;
  }
  // The closing mark of the passage opened at `open`, or the paragraph's
  // break (or the end) when it stays open.
  size_t closing_of(size_t open) const {
    size_t k = open + 1;
    while (k < toks_.size() && toks_[k].kind != TokKind::CloseQuote && toks_[k].kind != TokKind::Break) ++k;
    return k;
  }
  // Where the passage ending at token k (a closing mark or a break) ends.
  uint32_t end_byte(size_t k) const {
    if (k < toks_.size() && toks_[k].kind == TokKind::CloseQuote) return toks_[k].begin;
    size_t j = std::min(k, toks_.size());
    return j > 0 ? toks_[j - 1].end : 0;
  }

  void emit(const Attribution& a, const std::string& cue, QuoteKind kind, uint32_t begin, uint32_t end) {
    if (begin < body_from_ || end <= begin) return;
    Quotation q{a.speaker, a.kind, kind, cue, begin - body_from_, end - body_from_};
    if (emitted_.emplace(q.start, q.end, q.speaker, static_cast<int>(q.speaker_kind), static_cast<int>(q.kind), q.cue)
            .second)
      out_.push_back(std::move(q));
  }

  const std::vector<Tok>& toks_;
  std::string_view text_;
  std::vector<Attribution> attributions_;  // the finder's, then the conjoined ones
  std::vector<Attribution>& own_ = attributions_;
  std::vector<uint32_t> conjoined_;  // where each conjoined attribution starts ("but added", ", adding")
  std::vector<uint32_t> starts_;     // where each attribution starts, sorted
  uint32_t body_from_;
  std::vector<Quotation>& out_;
  std::vector<int32_t> owner_;  // for each token, the attribution whose words it is, or -1
  std::set<std::tuple<uint32_t, uint32_t, std::string, int, int, std::string>> emitted_;  // no record twice
};

}  // namespace

void find_quotations(const Doc& doc, const std::vector<Attribution>& attributions, uint32_t body_from,
                     std::vector<Quotation>& out) {
  QuotationFinder(doc, attributions, body_from, out).run();
}

}  // namespace dateline::corpus_detail
