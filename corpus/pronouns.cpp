// Who "he" or "she" is. The people the text names outside quotations, each
// under the full name a surname resolves to; the gender the text gives each
// person (a title such as "Ms" or "Father", a first name found in one of
// the two first-name lists, and the first "he"/"his" or "she"/"her" after a
// mention, before anyone else is named); and for a pronoun, the nearest
// person of that gender named as a subject or a speaker in its paragraph or
// the three before it.
#include <algorithm>
#include <map>
#include <cstdint>
#include <string>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

Gender pronoun_gender(const std::string& w) {
  if (w == "he" || w == "him" || w == "his" || w == "himself") return Gender::Male;
  if (w == "she" || w == "her" || w == "hers" || w == "herself") return Gender::Female;
  return Gender::Unknown;
}

// Sentence-initial words after which a name is still the subject: "But Smith said".
bool opens_clause(const std::string& w) { return is_clause_opener(w); }

// Words that lead a sentence's opening phrase before its subject: "Back on
// the gantry, X", "In Muscat, X", "Asked about it, X", "Its director, X".
bool opens_phrase(const std::string& w) { return is_phrase_opener(w); }

constexpr size_t kParagraphsBack = 3;

}  // namespace

PronounResolver::PronounResolver(const Doc& doc) : doc_(doc), toks_(doc.toks) {
  para_.resize(toks_.size());
  uint32_t p = 0;
  for (size_t k = 0; k < toks_.size(); ++k) {
    if (toks_[k].kind == TokKind::Break) ++p;
    para_[k] = p;
  }
  for (int32_t s = 0; s < static_cast<int32_t>(doc.segs.size()); ++s) {
    const Segment& seg = doc.segs[s];
    if (seg.kind != SegKind::Name || toks_[seg.first].in_quote || !person_like(doc, seg)) continue;
    // Not a place by its head word: "Ghana's Western Region, the only light ...".
    if (seg.last > seg.first &&
        (is_place_head_last(toks_[seg.last].lower) || is_place_head_first(toks_[seg.first].lower)))
      continue;
    std::string person = person_key(s);
    const bool is_subject = subject(seg);
    // A lone word that is no one's surname ("in Thuwal", "her husband, Serhiy") may be no person.
    const bool lone = seg.words == 1 && person == seg.text && !seg.after_title;
    if (lone && !is_subject) continue;
    // "World trade is ...": a lone capitalised word that starts a sentence is a person only if it speaks.
    mentions_.push_back({s, std::move(person), is_subject, lone && seg.weak});
  }
  std::map<std::string, int> votes;  // > 0: female, < 0: male
  auto vote = [&](const std::string& person, Gender g, int weight) {
    if (g == Gender::Female) votes[person] += weight;
    if (g == Gender::Male) votes[person] -= weight;
  };
  for (size_t m = 0; m < mentions_.size(); ++m) {
    const Mention& x = mentions_[m];
    const Segment& seg = doc.segs[x.segment];
    if (seg.first > 0 && toks_[seg.first - 1].kind == TokKind::Word && toks_[seg.first - 1].cap)
      vote(x.person, title_gender(toks_[seg.first - 1].lower), 2);
    // "her husband Tamaz", "her husband, Tamaz,": a kinship noun in lower case.
    if (size_t k = seg.first; k > 0) {
      if (k > 1 && toks_[k - 1].kind == TokKind::Punct && toks_[k - 1].punct == ',') --k;
      if (is_lower_word(toks_[k - 1])) vote(x.person, title_gender(toks_[k - 1].lower), 2);
    }
    if (const size_t space = x.person.find(' '); space != std::string::npos)  // "Harper" alone is a surname
      vote(x.person, first_name_gender(ascii_lower(x.person.substr(0, space))), 2);
    if (x.subject)  // the pronouns after an object are as likely the subject's
      vote(x.person, pronoun_after(seg.last, m + 1 < mentions_.size() ? doc.segs[mentions_[m + 1].segment].first
                                                                      : toks_.size()),
           1);
  }
  for (const auto& [person, v] : votes) genders_[person] = v > 0 ? Gender::Female : v < 0 ? Gender::Male : Gender::Unknown;
}

// The full name a mention stands for: itself, or the longer name its surname resolves to.
const std::string& PronounResolver::person_key(int32_t segment) const {
  auto [it, fresh] = keys_.try_emplace(segment);
  if (fresh) it->second = full_name(segment);
  return it->second;
}

std::string PronounResolver::full_name(int32_t segment) const {
  const Segment& seg = doc_.segs[segment];
  std::string name = seg.text;
  if (const int32_t full = resolve_surname(doc_, seg); full >= 0 && person_like(doc_, doc_.segs[full]))
    name = doc_.segs[full].text;
  if (const size_t of = name.find(" of "); of != std::string::npos) name.resize(of);  // "Thom Brown of Butcher and Singer"
  return name;
}

Gender PronounResolver::gender_of(const std::string& person) const {
  const auto it = genders_.find(person);
  return it == genders_.end() ? Gender::Unknown : it->second;
}

// The gender of the first he/she/his/her after token `last`, outside
// quotations, in the rest of its sentence and the next, before token `stop`.
Gender PronounResolver::pronoun_after(size_t last, size_t stop) const {
  int sentences = 0;
  for (size_t k = last + 1; k < toks_.size() && k < stop; ++k) {
    const Tok& t = toks_[k];
    if (t.kind == TokKind::Break) return Gender::Unknown;
    if (t.in_quote) continue;
    if (t.kind == TokKind::Punct && (t.punct == '.' || t.punct == '!' || t.punct == '?') && ++sentences == 2)
      return Gender::Unknown;
    // Not "he said", the pronoun of an attribution: that is what the gender is for.
    if (t.kind == TokKind::Word && !(k + 1 < toks_.size() && speech_verb(toks_[k + 1].lower) != VerbKind::None))
      if (const Gender g = pronoun_gender(t.lower); g != Gender::Unknown) return g;
  }
  return Gender::Unknown;
}

Gender PronounResolver::next_attribution_gender(int32_t s) const {
  int sentences = 0;
  for (size_t k = doc_.segs[s].last + 1; k + 1 < toks_.size(); ++k) {
    const Tok& t = toks_[k];
    if (t.kind == TokKind::Break) return Gender::Unknown;
    if (t.in_quote) continue;
    if (doc_.seg_of_tok[k] >= 0) return Gender::Unknown;  // another name first
    if (t.kind == TokKind::Punct && (t.punct == '.' || t.punct == '!' || t.punct == '?') && ++sentences == 2)
      return Gender::Unknown;
    if (t.kind == TokKind::Word && speech_verb(toks_[k + 1].lower) != VerbKind::None) {
      if (const Gender g = pronoun_gender(t.lower); g != Gender::Unknown) return g;
    }
  }
  return Gender::Unknown;
}

// The name is the subject of its sentence: it starts the sentence (after a
// title, "But" or "When"), or follows an opening phrase and its comma ("Back
// on the gantry, al-Hinai looked"); not "Baker's statements", "asked Jones",
// "and Weinberger", or a subject inside a clause ("said Nakasone will").
bool PronounResolver::subject(const Segment& seg) const {
  if (seg.last + 1 < toks_.size() && toks_[seg.last + 1].kind == TokKind::Possessive) return false;
  if (introduced(seg)) return true;
  // Back over the capitalised words and possessives before the name: "Belgian Finance Minister",
  // "Kenya's President", "U.S. Secretary of Commerce".
  uint32_t first = seg.first;
  while (first > 0 && !toks_[first].sent_start) {
    const Tok& p = toks_[first - 1];
    const bool of = first >= 2 && p.kind == TokKind::Word && p.lower == "of" && toks_[first - 2].cap;
    if (!((p.kind == TokKind::Word && p.cap && !p.in_quote) || p.kind == TokKind::Possessive || of)) break;
    --first;
  }
  if (first == 0 || toks_[first].sent_start) return true;
  const Tok& p = toks_[first - 1];
  if (p.kind == TokKind::Word && p.sent_start && p.cap && opens_clause(p.lower)) return true;  // "But Smith said"
  if (!(p.kind == TokKind::Punct && p.punct == ',')) return false;
  // An opening phrase: a few words from the sentence's start, no other
  // comma, led by a preposition or an adverb ("Back on the gantry,", "In
  // Muscat,", "Asked about it,", "Its director,").
  for (size_t k = first - 1, n = 0; k-- > 0 && n < 8; ++n) {
    const Tok& t = toks_[k];
    if (t.kind == TokKind::Break || t.in_quote || (t.kind == TokKind::Punct && t.punct != '-')) return false;
    if (t.sent_start) return t.kind == TokKind::Word && (opens_phrase(t.lower) || t.lower.ends_with("ly"));
  }
  return false;
}

// An apposition follows the name, as when a person is introduced: "Rajesh
// Pillai, the plant's operations manager, ...", "to Sandrine Aubert-Lefèvre,
// who runs a campsite", "Sutrisno, 27, came".
bool PronounResolver::introduced(const Segment& seg) const {
  if (seg.last + 2 >= toks_.size()) return false;
  const Tok& comma = toks_[seg.last + 1];
  const Tok& next = toks_[seg.last + 2];
  if (!(comma.kind == TokKind::Punct && comma.punct == ',') || next.in_quote) return false;
  // Not itself an apposition ("her husband, Serhiy, who"), nor a place ("grew up in Kakuma, a town").
  if (seg.first > 0) {
    const Tok& p = toks_[seg.first - 1];
    if (p.kind == TokKind::Punct && p.punct == ',') return false;
    if (is_lower_word(p) && is_location_preposition(p.lower)) return false;
  }
  // Nor a people in the plural: "the poorest Agariyas, who lease their plots".
  if (seg.words == 1 && toks_[seg.last].lower.size() > 3 && toks_[seg.last].lower.back() == 's')
    for (size_t k = seg.first, n = 0; k-- > 0 && n < 3 && is_lower_word(toks_[k]); ++n)
      if (toks_[k].lower == "the") return false;
  if (next.kind == TokKind::Number) return true;
  if (!is_lower_word(next)) return false;
  if (next.lower == "who" || next.lower == "whose" || next.lower == "the" || next.lower == "a" || next.lower == "an")
    return true;
  return !(next.flags & kWFunction) && !opens_clause(next.lower);  // not ", in", ", and", ", which"
}

int32_t PronounResolver::antecedent(size_t v, const std::vector<std::pair<int32_t, size_t>>& speakers) const {
  const Gender want = pronoun_gender(toks_[v].lower);
  auto fits = [&](const std::string& person) {
    const Gender g = gender_of(person);
    return g == Gender::Unknown || g == want;
  };
  auto spoke = [&](int32_t segment) {
    return std::any_of(speakers.begin(), speakers.end(),
                       [&](const auto& sp) { return sp.first == segment && sp.second < v; });
  };
  const uint32_t from_para = para_[v] >= kParagraphsBack ? para_[v] - static_cast<uint32_t>(kParagraphsBack) : 0;
  int32_t nearest = -1;  // the nearest name of the gender, subject or not (one known to be of it first)
  bool nearest_known = false;
  // From the last mention that starts before the pronoun, backwards (mentions are in text order).
  const auto from = std::partition_point(mentions_.begin(), mentions_.end(),
                                         [&](const Mention& x) { return doc_.segs[x.segment].first < v; });
  for (size_t m = static_cast<size_t>(from - mentions_.begin()); m-- > 0;) {
    const Mention& x = mentions_[m];
    const Segment& seg = doc_.segs[x.segment];
    if (seg.last >= v) continue;
    if (para_[seg.first] < from_para) break;
    if (!fits(x.person) || (x.weak && !spoke(x.segment) && gender_of(x.person) == Gender::Unknown)) continue;
    if (x.subject || spoke(x.segment)) return unnamed_between(seg.last, v) ? -1 : x.segment;
    const bool known = gender_of(x.person) == want;
    if (nearest < 0 || (known && !nearest_known)) {
      nearest = x.segment;
      nearest_known = known;
    }
  }
  if (nearest >= 0) return unnamed_between(doc_.segs[nearest].last, v) ? -1 : nearest;
  // No one near: the last speaker of that gender.
  for (size_t i = speakers.size(); i-- > 0;) {
    const auto& [segment, at] = speakers[i];
    if (at < v && fits(person_key(segment))) return unnamed_between(at, v) ? -1 : segment;
  }
  return -1;
}

// An unnamed source speaks between tokens `from` and `v` ("A senior official
// said ... He said", "Officials said"), so the pronoun may be theirs. A
// definite description ("The economist added") names someone already met.
bool PronounResolver::unnamed_between(size_t from, size_t v) const {
  for (size_t k = from + 1; k + 1 < v; ++k) {
    const Tok& t = toks_[k];
    if (t.in_quote || (!is_lower_word(t) && !t.sent_start)) continue;
    if (t.kind != TokKind::Word || !is_unnamed_source(t.lower) || speech_verb(toks_[k + 1].lower) == VerbKind::None)
      continue;
    size_t d = k;
    while (d > from + 1 && d + 3 > k && is_lower_word(toks_[d - 1]) && !(toks_[d - 1].flags & kWFunction)) --d;
    if (d > from + 1 && toks_[d - 1].kind == TokKind::Word && toks_[d - 1].lower == "the") continue;
    return true;
  }
  return false;
}

}  // namespace dateline::corpus_detail
