// Speakers: named people to whom a quote or reported speech is attributed.
//
// Patterns: "X said", "X, the ... minister, said", "X also told reporters",
// "X warned that ...", "“...,” said X", "according to X", "X was quoted as
// saying". X must be a person-like name (not a place, organisation, acronym or
// unnamed source); a surname or "Mr. Surname" resolves to the full name used
// elsewhere in the article.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

bool ends_with_ly(std::string_view w) { return w.size() > 4 && w.substr(w.size() - 2) == "ly"; }

bool is_punct_comma(const Tok& t) { return t.kind == TokKind::Punct && t.punct == ','; }

bool sentence_punct(const Tok& t) {
  return t.kind == TokKind::Punct && (t.punct == '.' || t.punct == '!' || t.punct == '?' || t.punct == ';');
}

class SpeakerFinder {
 public:
  SpeakerFinder(const Doc& doc, std::vector<std::string>& out, std::vector<Attribution>* attributions)
      : doc_(doc), toks_(doc.toks), out_(out), attributions_(attributions) {}

  void run() {
    const size_t n = toks_.size();
    for (size_t v = 0; v < n; ++v) {
      const Tok& t = toks_[v];
      if (t.kind != TokKind::Word || t.in_quote || t.upper) continue;
      if (t.cap && !(t.sent_start && t.lower == "according")) continue;  // "According to X, ..."
      if (t.lower == "according") {
        if (v + 1 < n && toks_[v + 1].lower == "to") {
          const int32_t s = speaker_after(v + 1);
          if (!take(s, v)) attribute_other(s, v, v);
        }
        continue;
      }
      size_t verb = v;
      if (!(t.flags & (kWSpeechStrong | kWSpeechWeak)) && t.lower != "saying") continue;
      VerbKind kind = (t.flags & kWSpeechStrong) ? VerbKind::Strong
                      : (t.flags & kWSpeechWeak) ? VerbKind::Weak
                                                 : VerbKind::None;
      if (t.lower == "saying" && v >= 2 && toks_[v - 1].lower == "as") {
        if (toks_[v - 2].lower == "quoted") {
          verb = v - 2;  // "X was quoted as saying"
          kind = VerbKind::Strong;
        } else if (int32_t s = segment_ending_at(v - 2); s >= 0) {
          // "... quoted American Honda president Tetsuo Chino as saying"
          for (size_t k = v - 2; k-- > 0 && v - k <= 12;) {
            if (toks_[k].lower == "quoted" || toks_[k].lower == "quotes") {
              take(s, v);
              break;
            }
            if (toks_[k].kind == TokKind::Break || sentence_punct(toks_[k])) break;
          }
          continue;
        }
      }
      // "Baker had criticised West German policies, saying that ...": the subject speaks.
      if (t.lower == "saying" && v > 0 && is_punct_comma(toks_[v - 1])) {
        take(sentence_subject(v), v);
        continue;
      }
      if (kind == VerbKind::None) continue;
      if (t.lower == "asked" || t.lower == "asks") kind = VerbKind::Weak;
      if (kind == VerbKind::Weak && !introduces_speech(v)) continue;
      int32_t s = speaker_before(verb);
      if (s < 0 && is_inversion_verb(t.lower) && v > 0 &&
          (toks_[v - 1].kind == TokKind::CloseQuote ||
           (toks_[v - 1].kind == TokKind::Punct && toks_[v - 1].punct == ','))) {
        s = speaker_after(v);
        // "..., said Ruto would not back down": the name is the subject of what was said.
        if (s >= 0 && starts_clause_after(doc_.segs[s])) s = -1;
      }
      if (!take(s, v)) attribute_other(s, verb, v);
      // "Shultz and Weinberger have said", "Bailey and his deputy Sarah
      // Breeden both said": both.
      if (s >= 0) {
        uint32_t first = title_start(doc_.segs[s].first);
        // "and his captain, Yanis Belkacem, both said": the role set off by commas.
        const bool comma_before = first >= 3 && is_punct_comma(toks_[first - 1]) && is_lower_word(toks_[first - 2]) &&
                                  (toks_[first - 3].lower == "his" || toks_[first - 3].lower == "her");
        if (comma_before) --first;
        // "and his deputy", "and her colleague": a role between "and" and the name.
        for (int k = 0; k < 2 && first >= 2 && is_lower_word(toks_[first - 1]) && toks_[first - 1].lower != "and"; ++k) {
          if (toks_[first - 1].lower == "his" || toks_[first - 1].lower == "her") {
            --first;
            break;
          }
          if (toks_[first - 2].lower != "his" && toks_[first - 2].lower != "her") break;
          --first;
        }
        if (first >= 2 && toks_[first - 1].lower == "and" && !toks_[first - 1].cap)
          if (int32_t o = segment_ending_at(first - 2); o >= 0 && !object_of_preposition(doc_.segs[o])) take(o, v);
      }
    }
    // "“...,” he said", "He said: “...”", "She told reporters ...": the person the
    // passage is about.
    for (size_t v = 0; v + 1 < n; ++v) {
      const Tok& t = toks_[v];
      if (t.kind != TokKind::Word || (t.lower != "he" && t.lower != "she") || t.in_quote) continue;
      size_t w = v + 1;
      while (w + 1 < n && is_lower_word(toks_[w]) &&
             (is_speech_filler(toks_[w].lower) || ends_with_ly(toks_[w].lower)) && w < v + 3)
        ++w;
      const Tok& verb = toks_[w];
      if (verb.kind != TokKind::Word || verb.cap) continue;
      VerbKind kind = speech_verb(verb.lower);
      if (kind == VerbKind::None || verb.lower == "asked") continue;
      if (kind == VerbKind::Weak && !introduces_speech(w)) continue;
      const bool after_quote = v > 0 && (toks_[v - 1].kind == TokKind::CloseQuote ||
                                         (toks_[v - 1].kind == TokKind::Punct && toks_[v - 1].punct == ','));
      // "But he said", "And she added"
      const bool after_conjunction = v > 0 && toks_[v - 1].sent_start &&
                                     (toks_[v - 1].lower == "but" || toks_[v - 1].lower == "and");
      if (!after_quote && !t.sent_start && !after_conjunction) continue;
      // No one to resolve it to: still an attribution, of an unnamed speaker.
      if (!take(pronouns().antecedent(v, mentions_), v, w) && attributions_)
        attributions_->push_back({static_cast<uint32_t>(w), static_cast<uint32_t>(v), static_cast<uint32_t>(w),
                                  SpeakerKind::Unnamed, ""});
    }
  }

 private:
  // A weak verb reports speech when "that", a colon, a quote or "whether"
  // follows within a few tokens: "warned that", "assured NATO that".
  bool introduces_speech(size_t v) const {
    // "urged Congress to approve ...": a request, an object then an infinitive.
    const std::string& verb = toks_[v].lower;
    if (verb == "urged" || verb == "urges" || verb == "urge" || verb == "requested" || verb == "requests")
      for (size_t k = v + 2; k + 1 < toks_.size() && k <= v + 10; ++k) {
        const Tok& t = toks_[k];
        if (t.kind == TokKind::Break || sentence_punct(t) || t.kind == TokKind::OpenQuote || is_punct_comma(t)) break;
        if (t.kind == TokKind::Word && t.lower == "to" && toks_[k + 1].kind == TokKind::Word && !toks_[k + 1].cap &&
            !toks_[k + 1].upper)
          return true;
      }
    for (size_t k = v + 1; k < toks_.size() && k <= v + 4; ++k) {
      const Tok& t = toks_[k];
      if (t.kind == TokKind::Break || sentence_punct(t)) return false;
      if (t.kind == TokKind::OpenQuote) return true;
      if (t.kind == TokKind::Punct && t.punct == ':') return true;
      if (t.kind == TokKind::Word && (t.lower == "that" || t.lower == "whether")) return true;
      // "admitted he was wrong": a clause with a pronoun subject right after the verb.
      if (k == v + 1 && t.kind == TokKind::Word &&
          (t.lower == "he" || t.lower == "she" || t.lower == "it" || t.lower == "they" || t.lower == "we"))
        return true;
    }
    // "warned at a conference in Guadalajara in March that the aquifer ...": prepositional
    // phrases, then "that" and the start of a clause (not "a conference that was held").
    if (v + 1 >= toks_.size()) return false;
    const Tok& after = toks_[v + 1];
    if (is_lower_word(after) && (after.lower == "at" || after.lower == "in" || after.lower == "on" || after.lower == "during"))
      for (size_t k = v + 2; k + 1 < toks_.size() && k <= v + 12; ++k) {
        const Tok& t = toks_[k];
        if (t.kind != TokKind::Word || t.in_quote) return false;
        if (t.lower != "that" || t.cap) continue;
        const Tok& u = toks_[k + 1];
        return u.kind == TokKind::Word && (u.cap || u.lower == "the" || u.lower == "a" || u.lower == "an" ||
                                           u.lower == "it" || u.lower == "he" || u.lower == "she" || u.lower == "they" ||
                                           u.lower == "we" || u.lower == "its" || u.lower == "their");
      }
    return false;
  }

  int32_t segment_ending_at(size_t j) const {
    int32_t s = doc_.seg_of_tok[j];
    if (s < 0 || doc_.segs[s].last != j) return -1;
    return s;
  }

  // The name before a speech verb at v.
  int32_t speaker_before(size_t v) const {
    if (v == 0) return -1;
    size_t j = v - 1;
    for (int fillers = 0; fillers < 3; ++fillers) {
      const Tok& t = toks_[j];
      if (is_lower_word(t) && (is_speech_filler(t.lower) || ends_with_ly(t.lower))) {
        if (j == 0) return -1;
        --j;
        continue;
      }
      // "Rutte on Wednesday said"
      if (t.kind == TokKind::Word && is_month_or_day(t.lower) && j >= 2 && toks_[j - 1].lower == "on") {
        j -= 2;
        continue;
      }
      break;
    }
    // A relative clause: "opposition came from Cllr Declan Rourke, who said the council ...":
    // the name is its subject, even after a preposition; "X of Fine Gael, who said": X.
    if (j >= 2 && is_lower_word(toks_[j]) && toks_[j].lower == "who" && is_punct_comma(toks_[j - 1])) {
      const int32_t s = segment_ending_at(j - 2);
      if (s >= 0 && !person_like(doc_, doc_.segs[s])) return person_before_affiliation(doc_.segs[s], true);
      return s;
    }
    // A short parenthesis after the name: "The World Food Programme (WFP) said".
    j = before_parenthesis(j);
    if (j == SIZE_MAX) return -1;
    // A post-nominal after it: "Eleanor Whitcombe KC said".
    if (j > 0 && toks_[j].kind == TokKind::Word && toks_[j].upper && is_post_nominal(toks_[j].lower) &&
        doc_.seg_of_tok[j] < 0)
      --j;
    const Tok& t = toks_[j];
    if (t.kind == TokKind::Word) {
      const int32_t s = segment_ending_at(j);
      // Not the object of a preposition: "a spokesman for Yeutter said"; but the person
      // before "of", "at" or "from" is: "Siobhan Walsh of the Green Party said".
      if (s >= 0 && object_of_preposition(doc_.segs[s])) return person_before_affiliation(doc_.segs[s]);
      return s;
    }
    if (t.kind != TokKind::Punct || t.punct != ',' || j == 0) return -1;
    // A stray comma after a politician's place: "Trent Lott of Mississippi, said".
    if (int32_t s = segment_ending_at(j - 1);
        s >= 0 && doc_.segs[s].kind == SegKind::Place && object_of_preposition(doc_.segs[s]))
      if (const int32_t p = person_before_affiliation(doc_.segs[s]); p >= 0) return p;
    // The name set off by commas: "Their coach, Declan Fitzgibbon, said",
    // "Kuwait's Oil Minister, Sheikh Ali al-Khalifa al-Sabah, said".
    if (int32_t s = segment_ending_at(j - 1); s >= 0 && person_like(doc_, doc_.segs[s])) {
      uint32_t first = doc_.segs[s].first;
      first = title_start(first);
      if (first > 0 && toks_[first - 1].kind == TokKind::Punct && toks_[first - 1].punct == ',') return s;
    }
    // An apposition between commas: "X, the ... minister, said", "X, 45, said".
    bool has_lower = false;
    for (size_t k = j; k-- > 0 && j - k <= 24;) {
      const Tok& u = toks_[k];
      if (u.kind == TokKind::Break || u.kind == TokKind::OpenQuote || u.kind == TokKind::CloseQuote ||
          sentence_punct(u) || (u.kind == TokKind::Punct && u.punct == ':'))
        return -1;
      if (u.kind == TokKind::Word && speech_verb(u.lower) != VerbKind::None) return -1;
      if (u.kind == TokKind::Punct && u.punct == ',') {
        // "Electricidade de Mocambique (EDM), the state power company, said"
        const size_t name_end = k == 0 ? SIZE_MAX : before_parenthesis(k - 1);
        if (!has_lower || name_end == SIZE_MAX || toks_[name_end].kind != TokKind::Word) return -1;
        const int32_t s = segment_ending_at(name_end);
        // "A spokesman for X, the mayor, said": none; "Gene Kimmelman of the Consumer Federation,
        // which ..., said": the person.
        return s >= 0 && object_of_preposition(doc_.segs[s]) ? person_before_affiliation(doc_.segs[s]) : s;
      }
      if (is_lower_word(u) || u.kind == TokKind::Number) has_lower = true;  // "X, the minister,", "X, 54,"
    }
    return -1;
  }

  // The person who starts the sentence that holds token v ("But Clark defended
  // the rules, saying"): its first name, when no comma comes before it and no
  // preposition governs it; -1 if none.
  int32_t sentence_subject(size_t v) const {
    size_t k = v;
    while (k > 0 && toks_[k - 1].kind != TokKind::Break && !sentence_punct(toks_[k - 1]) &&
           toks_[k - 1].kind != TokKind::OpenQuote && toks_[k - 1].kind != TokKind::CloseQuote)
      --k;
    // (A short phrase before the subject may come first: "Over the weekend Baker had ...";
    // not past a comma: "In talks with Baker, ...".)
    for (size_t j = k; j < v && j <= k + 6 && toks_[j].kind == TokKind::Word; ++j)
      if (const int32_t s = doc_.seg_of_tok[j]; s >= 0)
        return person_like(doc_, doc_.segs[s]) && !object_of_preposition(doc_.segs[s]) ? s : -1;
    return -1;
  }

  // Token j, or, if it closes a short parenthesis ("(WFP)"), the token before
  // the parenthesis; SIZE_MAX if there is none.
  size_t before_parenthesis(size_t j) const {
    if (toks_[j].kind != TokKind::Punct || toks_[j].punct != ')') return j;
    for (size_t k = j; k-- > 0 && j - k < 6;)
      if (toks_[k].kind == TokKind::Punct && toks_[k].punct == '(') return k == 0 ? SIZE_MAX : k - 1;
    return SIZE_MAX;
  }

  // The first token of the title run before token `first` ("Secretary of State"
  // before "John Kerry"), or `first` itself.
  uint32_t title_start(uint32_t first) const {
    while (first > 0) {
      const Tok& p = toks_[first - 1];
      if (p.kind == TokKind::Word && p.cap && (is_title_core(p.lower) || is_title_modifier(p.lower))) {
        --first;
      } else if (first >= 2 && p.kind == TokKind::Word && !p.cap && p.lower == "of" && toks_[first - 2].cap &&
                 (is_title_core(toks_[first - 2].lower) || is_title_modifier(toks_[first - 2].lower))) {
        first -= 2;
      } else {
        break;
      }
    }
    return first;
  }

  // The person named right before "of", "at" or "from" (and "the") that introduces the
  // segment: "Siobhan Walsh" of "Siobhan Walsh of the Green Party"; -1 if none.
  // (`relative`: the subject of a relative clause after them, "came from X of Fine Gael, who
  // said", though the person follows a preposition.)
  int32_t person_before_affiliation(const Segment& seg, bool relative = false) const {
    uint32_t k = seg.first;
    if (k > 0 && toks_[k - 1].kind == TokKind::Word && toks_[k - 1].lower == "the") --k;
    if (k < 2 || !is_lower_word(toks_[k - 1])) return -1;
    const std::string& prep = toks_[k - 1].lower;
    if (prep != "of" && prep != "at" && prep != "from") return -1;
    // "Robert Byrd (Democrat) of West Virginia"
    const size_t name_end = before_parenthesis(k - 2);
    if (name_end == SIZE_MAX) return -1;
    const int32_t p = segment_ending_at(name_end);
    return p >= 0 && person_like(doc_, doc_.segs[p]) && (relative || !object_of_preposition(doc_.segs[p])) ? p : -1;
  }

  // The segment follows a preposition ("for", "of", "to", ...), so it is not a subject.
  bool object_of_preposition(const Segment& seg) const {
    uint32_t first = seg.first;
    first = title_start(first);
    // (An article between: "a spokesman for the Treasury", "Jane Doe of the Green Party".)
    if (first >= 2 && is_lower_word(toks_[first - 1]) && toks_[first - 1].lower == "the") --first;
    if (first == 0) return false;
    const Tok& p = toks_[first - 1];
    if (!is_lower_word(p)) return false;
    return is_object_preposition(p.lower);
  }

  // The first person-like name right after token v ("said French President Emmanuel Macron").
  int32_t speaker_after(size_t v) const {
    bool role = false;  // a role in lower case passed
    for (size_t k = v + 1; k < toks_.size() && k <= v + 8; ++k) {
      const Tok& t = toks_[k];
      if (t.kind != TokKind::Word) break;
      // A role in lower case before the name: "said company spokesman John Smith", "said Fed
      // chairman Paul Volcker", "said Senate Minority leader Robert Dole".
      if (!t.cap && !t.upper && !is_name_connector(t.lower)) {
        const bool before_role = k + 1 < toks_.size() && is_lower_word(toks_[k + 1]) && is_role_noun(toks_[k + 1].lower);
        if (!is_role_noun(t.lower) && !is_title_modifier(t.lower) && !before_role) break;
        role = true;
        continue;
      }
      int32_t s = doc_.seg_of_tok[k];
      // "said Janney Montgomery analyst Louis Marckesano": the employer, then the role.
      if (s >= 0 && doc_.segs[s].last + 1 < toks_.size() && is_lower_word(toks_[doc_.segs[s].last + 1]) &&
          is_role_noun(toks_[doc_.segs[s].last + 1].lower)) {
        k = doc_.segs[s].last;
        continue;
      }
      if (s >= 0 && person_like(doc_, doc_.segs[s])) return role && firm_continues(doc_.segs[s].last) ? -1 : s;
    }
    return -1;
  }

  // The name that ends at token `last` goes on to a company's ("said lead manager Smith
  // Barney, Harris Upham and Co Inc"): a comma, then capitalised words and "and" up to a
  // corporate suffix.
  bool firm_continues(size_t last) const {
    if (last + 1 >= toks_.size() || !is_punct_comma(toks_[last + 1])) return false;
    for (size_t k = last + 2; k < toks_.size() && k <= last + 10; ++k) {
      const Tok& t = toks_[k];
      if (t.kind == TokKind::Punct && t.punct == ',') continue;
      if (t.kind != TokKind::Word || (!t.cap && !t.upper && t.lower != "and")) return false;
      if (is_corporate_suffix(t.lower)) return true;
    }
    return false;
  }

  // Makes the person of segment `s` a speaker, mentioned at token `at`
  // (the verb, or a pronoun whose verb is token `verb`); false if `s` is no
  // person.
  bool take(int32_t s, size_t at, size_t verb = SIZE_MAX) {
    if (s < 0) return false;
    const Segment& seg = doc_.segs[s];
    if (!person_like(doc_, seg) || spoken_of_as_org(seg)) return false;
    std::string name = seg.text;
    if (int32_t full = resolve_surname(doc_, seg); full >= 0) {
      if (!person_like(doc_, doc_.segs[full])) return false;  // "Harcourt" -> "Harcourt Brace" (a company)
      name = doc_.segs[full].text;
    } else if (seg.words == 1 && !titled(seg) &&
               ((pronouns().gender_of(seg.text) == Gender::Unknown &&
                 pronouns().next_attribution_gender(s) != Gender::Female) ||
                starts_org(seg))) {
      // A bare single name is as likely a company ("Texaco said") as a
      // person; it counts only with a title somewhere ("Mr. Lawson"), or
      // when the text calls it "he" or "she" ("Sutrisno, 27, came ... He
      // works"), or when the next attribution is "she said" ("Kantaben said
      // ... \"...,\" she said"; not "he said": after "Texaco said" that is
      // as often its spokesman, unnamed: 20 more Reuters-21578 speakers,
      // a quarter of them companies, against one for "she").
      return false;
    }
    name = person_of_firm(name);
    mentions_.emplace_back(s, at);
    if (attributions_) {
      const auto a = static_cast<uint32_t>(at);
      if (verb != SIZE_MAX)  // "he said": the pronoun and its verb
        attributions_->push_back({static_cast<uint32_t>(verb), a, static_cast<uint32_t>(verb), SpeakerKind::Person, name});
      else
        attributions_->push_back({a, std::min(title_start(seg.first), a), std::max(seg.last, a), SpeakerKind::Person, name});
    }
    if (std::find(out_.begin(), out_.end(), name) == out_.end()) out_.push_back(std::move(name));
    return true;
  }

  // The first token of a subject before the verb at `verb` that names an
  // unnamed source: a noun phrase of the clause, up to the verb, holding
  // "officials", "analysts", "negotiators" ("Local officials in Kumamoto",
  // "A spokesperson for the energy department"); SIZE_MAX if none.
  size_t unnamed_subject(size_t verb) const {
    size_t j = verb;
    while (j > 0 && is_lower_word(toks_[j - 1]) && (is_speech_filler(toks_[j - 1].lower) || ends_with_ly(toks_[j - 1].lower)))
      --j;
    // A relative clause set off by commas before the verb is skipped: "A spokesman for
    // the bureau, which stores sugar, said".
    if (j >= 2 && is_punct_comma(toks_[j - 1]))
      for (size_t k = j - 1; k-- > 1 && j - k <= 25;) {
        const Tok& t = toks_[k];
        if (t.kind == TokKind::Break || sentence_punct(t) || t.kind == TokKind::OpenQuote) break;
        if (is_punct_comma(toks_[k - 1]) && is_lower_word(t) &&
            (t.lower == "which" || t.lower == "who" || t.lower == "whose" || t.lower == "where")) {
          j = k - 1;
          break;
        }
      }
    size_t found = SIZE_MAX, leftmost = j;
    for (size_t k = j; k-- > 0 && j - k <= 10;) {
      const Tok& t = toks_[k];
      if (t.kind == TokKind::Possessive || t.kind == TokKind::Number) {
        leftmost = k;
        continue;
      }
      // A comma or a quote before the subject: it starts at the word after ("...," one
      // official said): the whole noun phrase is the attribution's.
      if (t.kind != TokKind::Word || t.in_quote) return found == SIZE_MAX ? SIZE_MAX : leftmost;
      if (!t.cap && !t.upper && (t.flags & (kWSpeechStrong | kWSpeechWeak))) break;
      const bool lowerish = !t.upper && (!t.cap || t.sent_start);
      if (lowerish && (is_unnamed_source(t.lower) || is_source_group(t.lower))) found = k;
      if (t.sent_start) return found == SIZE_MAX ? SIZE_MAX : k;
      if (found != SIZE_MAX && (t.lower == "and" || t.lower == "but" || t.lower == "while")) return found;
      leftmost = k;
    }
    return found;
  }

  // The attribution at verb token `v` whose speaker is no person: a named
  // organisation (segment `s`, or "the company" for the last one named), or
  // an unnamed source ("a spokesman said", "officials said").
  void attribute_other(int32_t s, size_t verb, size_t v) {
    if (!attributions_) return;
    const auto at = static_cast<uint32_t>(v);
    const bool according = toks_[v].lower == "according";
    if (!according) {
      if (const size_t from = unnamed_subject(verb); from != SIZE_MAX) {  // "Local officials in Kumamoto said"
        attributions_->push_back({at, static_cast<uint32_t>(from), at, SpeakerKind::Unnamed, ""});
        return;
      }
    } else if (s < 0) {
      // "according to Statistics Norway": any name after "to" (the).
      size_t k = v + 2;
      if (k + 1 < toks_.size() && toks_[k].lower == "the") ++k;
      if (k < toks_.size() && doc_.seg_of_tok[k] >= 0 && doc_.segs[doc_.seg_of_tok[k]].first == k) s = doc_.seg_of_tok[k];
    }
    if (s >= 0) {
      const Segment& seg = doc_.segs[s];
      if (seg.words == 1 && is_unnamed_source(toks_[seg.last].lower)) {  // "Analysts said"
        attributions_->push_back({at, std::min<uint32_t>(seg.first, at), std::max<uint32_t>(seg.last, at),
                                  SpeakerKind::Unnamed, ""});
      } else if (seg.kind == SegKind::Org || seg.kind == SegKind::Place || seg.words == 1 || !person_like(doc_, seg) ||
                 org_apposition(doc_, seg)) {
        attributions_->push_back({at, std::min<uint32_t>(seg.first, at), std::max<uint32_t>(seg.last, at),
                                  SpeakerKind::Organization, seg.text});
      }
      return;
    }
    // "“...,” said one bond trader": an unnamed source after the verb.
    if (v > 0 && (toks_[v - 1].kind == TokKind::CloseQuote || is_punct_comma(toks_[v - 1]))) {
      for (size_t k = v + 1; k < toks_.size() && k <= v + 5; ++k) {
        const Tok& u = toks_[k];
        if (u.kind != TokKind::Word) break;
        if (is_unnamed_source(u.lower) || is_source_group(u.lower)) {
          attributions_->push_back({at, at, static_cast<uint32_t>(k), SpeakerKind::Unnamed, ""});
          return;
        }
      }
    }
    // "They said": the group that spoke last (unnamed sources, an organisation), else unnamed.
    // (A strong verb only: not "they agreed with that".)
    if (verb > 0 && toks_[verb - 1].lower == "they" && !toks_[verb - 1].in_quote &&
        (toks_[verb].flags & kWSpeechStrong)) {
      for (size_t i = attributions_->size(); i-- > 0;) {
        const Attribution prev = (*attributions_)[i];
        if (prev.verb >= verb) continue;
        if (prev.kind == SpeakerKind::Person) {
          // "Bailey and Breeden both said ... they said": each of them again.
          std::vector<std::string> joint;
          for (const Attribution& x : *attributions_)
            if (x.verb == prev.verb && x.kind == SpeakerKind::Person) joint.push_back(x.speaker);
          if (joint.size() < 2) break;
          for (const std::string& name : joint)
            attributions_->push_back({at, static_cast<uint32_t>(verb - 1), at, SpeakerKind::Person, name});
          return;
        }
        const std::string name = prev.speaker;
        attributions_->push_back({at, static_cast<uint32_t>(verb - 1), at, prev.kind, name});
        return;
      }
      attributions_->push_back({at, static_cast<uint32_t>(verb - 1), at, SpeakerKind::Unnamed, ""});
      return;
    }
    // "It said": the organisation that spoke last, else the last one named;
    // "“...,” it said": only one that spoke.
    const bool after_quote = verb >= 2 && (toks_[verb - 2].kind == TokKind::CloseQuote ||
                                           (is_punct_comma(toks_[verb - 2]) && verb >= 3 &&
                                            toks_[verb - 3].kind == TokKind::CloseQuote));
    if (verb > 0 && toks_[verb - 1].lower == "it" && (toks_[verb - 1].sent_start || after_quote)) {
      if (std::optional<std::string> org = referent_org(verb - 1, !after_quote)) {
        attributions_->push_back({at, static_cast<uint32_t>(verb - 1), at, SpeakerKind::Organization, std::move(*org)});
        return;
      }
    }
    // The noun right before the verb (fillers skipped), or after "according
    // to" (an article skipped): "the company said", "according to officials".
    size_t noun = 0;
    if (toks_[v].lower == "according") {
      noun = v + 2;
      if (noun + 1 < toks_.size() && (toks_[noun].lower == "the" || toks_[noun].lower == "a")) ++noun;
    } else {
      size_t j = verb;
      while (j > 0 && is_lower_word(toks_[j - 1]) &&
             (is_speech_filler(toks_[j - 1].lower) || ends_with_ly(toks_[j - 1].lower)))
        --j;
      if (j == 0) return;
      noun = j - 1;
    }
    if (noun >= toks_.size() || toks_[noun].kind != TokKind::Word || toks_[noun].upper ||
        (toks_[noun].cap && !toks_[noun].sent_start))
      return;
    const auto lo = static_cast<uint32_t>(std::min(noun, v)), hi = static_cast<uint32_t>(std::max(noun, v));
    const std::string& w = toks_[noun].lower;
    if (is_unnamed_source(w)) {
      attributions_->push_back({at, lo, hi, SpeakerKind::Unnamed, ""});
      return;
    }
    if (!is_speaking_org_noun(w)) return;
    // "the HUD report": the organisation (or acronym) named right before the noun.
    if (noun > 0) {
      const int32_t o = doc_.seg_of_tok[noun - 1];
      const bool acronym = o >= 0 && doc_.segs[o].first == doc_.segs[o].last && toks_[noun - 1].upper;
      if (o >= 0 && (doc_.segs[o].kind == SegKind::Org || acronym) && doc_.segs[o].last == noun - 1) {
        attributions_->push_back({at, std::min(lo, doc_.segs[o].first), hi, SpeakerKind::Organization,
                                  doc_.segs[o].text});
        return;
      }
    }
    // "the company": the organisation that spoke last, else the one named last before it.
    if (noun > 0 && toks_[noun - 1].lower == "the")
      if (std::optional<std::string> org = referent_org(noun, true)) {
        attributions_->push_back({at, std::min(lo, static_cast<uint32_t>(noun - 1)), hi, SpeakerKind::Organization,
                                  std::move(*org)});
        return;
      }
    // "The Koether group said", or no organisation named before: a body the article does not name.
    const size_t from = noun > 0 && toks_[noun - 1].kind == TokKind::Word && !toks_[noun - 1].in_quote ? noun - 1 : noun;
    attributions_->push_back({at, std::min(lo, static_cast<uint32_t>(from)), hi, SpeakerKind::Unnamed, ""});
  }

  // What "it" or "the company" before token k stands for: the organisation
  // of the last attribution to one; else, if `named_too`, the organisation
  // named last before k; else none.
  std::optional<std::string> referent_org(size_t k, bool named_too) const {
    for (size_t i = attributions_->size(); i-- > 0;)
      if ((*attributions_)[i].kind == SpeakerKind::Organization) return (*attributions_)[i].speaker;
    if (named_too)
      while (k-- > 0) {
        const int32_t o = doc_.seg_of_tok[k];
        if (o >= 0 && doc_.segs[o].kind == SegKind::Org && doc_.segs[o].last == k) return doc_.segs[o].text;
      }
    return std::nullopt;
  }

  // "James Fry of GM", "Zimmer of Merrill Lynch": the person before "of"
  // (a surname resolved to the full name the article gives), not the firm.
  std::string person_of_firm(const std::string& name) const {
    const size_t of = name.find(" of ");
    if (of == std::string::npos) return name;
    const std::string head = name.substr(0, of);
    const size_t words = static_cast<size_t>(std::count(head.begin(), head.end(), ' ')) + 1;
    if (words > 4 || head.empty() || !(head[0] >= 'A' && head[0] <= 'Z')) return name;
    const std::string first_word = head.substr(0, head.find(' '));
    if (is_title_core(ascii_lower(first_word)) || is_org_word(ascii_lower(first_word))) return name;  // "Secretary of State"
    if (words == 1)
      for (const Segment& o : doc_.segs)
        if (o.kind == SegKind::Name && o.words >= 2 && o.text.size() > head.size() + 1 &&
            o.text.ends_with(" " + head) && o.text.find(" of ") == std::string::npos)
          return o.text;
    return head;
  }

  // Some mention of the name makes it an organisation: an apposition ("De
  // Beers, which mines ...") or an article ("The Sécurité Civile said").
  bool spoken_of_as_org(const Segment& seg) {
    if (!org_texts_) {  // once per text: the names some mention makes organisations
      org_texts_.emplace();
      for (const Segment& o : doc_.segs) {
        const uint32_t first = title_start(o.first);
        // (Not "the Reagan administration": the name as a modifier.)
        const bool modifier = o.last + 1 < toks_.size() && is_lower_word(toks_[o.last + 1]) &&
                              speech_verb(toks_[o.last + 1].lower) == VerbKind::None &&
                              !is_speech_filler(toks_[o.last + 1].lower);
        const bool the = first > 0 && toks_[first - 1].kind == TokKind::Word && toks_[first - 1].lower == "the" &&
                         o.first == first && !modifier;
        // "Danish container carrier Nordhavn Line said": a trade right before the name.
        const bool trade = first > 0 && o.first == first && is_lower_word(toks_[first - 1]) &&
                           is_org_cue_before(toks_[first - 1].lower);
        if (the || trade || org_apposition(doc_, o)) org_texts_->insert(o.text);
      }
    }
    return org_texts_->count(seg.text) > 0;
  }

  // A clause goes on after the name: "said Ruto would not", "said Smith has".
  bool starts_clause_after(const Segment& seg) const {
    if (seg.last + 1 >= toks_.size()) return false;
    const Tok& t = toks_[seg.last + 1];
    if (!is_lower_word(t) || t.in_quote) return false;
    return !is_after_speaker(t.lower);
  }

  // The one-word segment's word starts an organisation's name in the text ("Harper" of "Harper and Row").
  bool starts_org(const Segment& seg) const {
    const std::string& key = toks_[seg.first].lower;
    return std::any_of(doc_.segs.begin(), doc_.segs.end(), [&](const Segment& o) {
      return o.kind == SegKind::Org && o.last > o.first && toks_[o.first].lower == key;
    });
  }

  // The word of a one-word segment appears after a title in the article.
  bool titled(const Segment& seg) {
    if (seg.after_title) return true;
    if (!titled_words_) {  // once per text
      titled_words_.emplace();
      for (const Segment& s : doc_.segs)
        if (s.after_title && s.kind == SegKind::Name) titled_words_->insert(toks_[s.last].lower);
    }
    return titled_words_->count(toks_[seg.last].lower) > 0;
  }

  const Doc& doc_;
  const std::vector<Tok>& toks_;
  std::vector<std::string>& out_;
  std::vector<Attribution>* attributions_;
  std::vector<std::pair<int32_t, size_t>> mentions_;  // (segment, verb token) of each attribution
  std::optional<PronounResolver> pronouns_;  // made when first needed
  std::optional<std::unordered_set<std::string>> org_texts_;     // spoken_of_as_org(), made when first needed
  std::optional<std::unordered_set<std::string>> titled_words_;  // titled(), made when first needed
  const PronounResolver& pronouns() {
    if (!pronouns_) pronouns_.emplace(doc_);
    return *pronouns_;
  }
};

}  // namespace

void find_speakers(const Doc& doc, std::vector<std::string>& out, std::vector<Attribution>* attributions) {
  SpeakerFinder(doc, out, attributions).run();
}

}  // namespace dateline::corpus_detail
