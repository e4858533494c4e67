// Typing the names the rules cannot type: the NER tagger (corpus/ner.h)
// reads the text as one document, and a name the rules left as "other"
// takes the type the tagger gives its mentions most often (people,
// organisations, places; MISC and no vote leave it "other", unless it is a
// city of the gazetteer's city list).
#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include "corpus/ner.h"
#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

// The tagger's words for the tokens of a text: words and numbers as
// written, punctuation as its character, quotes as '"', "'s" as itself.
std::string tagger_word(const Doc& doc, const Tok& t) {
  switch (t.kind) {
    case TokKind::Word:
    case TokKind::Number:
    case TokKind::Possessive: {
      std::string w(doc.text.substr(t.begin, t.end - t.begin));
      if (t.abbrev) w.push_back('.');
      return w;
    }
    case TokKind::OpenQuote:
    case TokKind::CloseQuote: return "\"";
    case TokKind::Punct: return std::string(1, t.punct == '<' ? '(' : t.punct);
    case TokKind::Break: return "";
  }
  return "";
}

std::string name_key(std::string_view s) { return fold_key(ascii_lower(s)); }

// A name of two words or more ending with an event word names an event, a
// law or a document ("Financial Services Act", "Offshore Technology
// Conference"): the rules leave it "other", and so does the tagger.
bool names_event(std::string_view name) {
  const size_t sp = name.rfind(' ');
  return sp != std::string_view::npos && is_event_word(ascii_lower(name.substr(sp + 1)));
}

// Two or three words, the first a common first name written with accents
// ("Álvaro Techera", "Iñigo Zubiri": the tagger, trained on English news,
// seldom saw such words) and none an organisation's or a place's word: a
// person the tagger left untyped.
bool given_name_first(std::string_view name) {
  std::vector<std::string> words;
  for (size_t at = 0; at <= name.size();) {
    size_t sp = name.find(' ', at);
    if (sp == std::string_view::npos) sp = name.size();
    words.push_back(ascii_lower(name.substr(at, sp - at)));
    at = sp + 1;
  }
  const bool accented = std::any_of(words[0].begin(), words[0].end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  if (words.size() < 2 || words.size() > 3 || !accented || !is_first_name(fold_key(words[0]))) return false;
  for (const std::string& w : words)
    if (w.empty() || is_org_word(w) || is_corporate_suffix(w) || is_place_head_last(w) || is_place_head_first(w))
      return false;
  return true;
}

}  // namespace

void type_by_tagger(const Doc& doc, std::vector<Entity>& entities) {
  const NerModel& model = NerModel::builtin();
  if (model.empty()) return;
  // Only the sentences that mention a name still untyped are read.
  std::unordered_map<std::string, bool> others;
  for (const Entity& e : entities)
    if (e.type == EntityType::Other) others.emplace(e.name, true);
  if (others.empty()) return;
  std::vector<bool> wanted(doc.toks.size(), false);
  for (const Segment& seg : doc.segs)
    if (others.count(seg.text))
      for (uint32_t k = seg.first; k <= seg.last && k < wanted.size(); ++k) wanted[k] = true;
  // The sentences (a paragraph break, or a word starting a sentence after
  // . ? !) that mention a name still untyped.
  std::vector<std::vector<std::string>> sentences;
  size_t from = 0;
  bool need = false;
  for (size_t k = 0; k <= doc.toks.size(); ++k) {
    const bool end = k == doc.toks.size() || doc.toks[k].kind == TokKind::Break ||
                     (doc.toks[k].kind == TokKind::Word && doc.toks[k].sent_start && k > from &&
                      doc.toks[k - 1].kind == TokKind::Punct &&
                      (doc.toks[k - 1].punct == '.' || doc.toks[k - 1].punct == '?' || doc.toks[k - 1].punct == '!'));
    if (end && need) {
      std::vector<std::string> words;
      for (size_t j = from; j < k; ++j)
        if (doc.toks[j].kind != TokKind::Break) words.push_back(tagger_word(doc, doc.toks[j]));
      if (!words.empty()) sentences.push_back(std::move(words));
    }
    if (end) {
      from = k;
      need = false;
    }
    if (k < doc.toks.size()) need = need || wanted[k];
  }
  // The tagger reads them as one document (its second pass sees how it
  // labelled a word in the others; reading the whole article would make
  // extraction half of indexing's CPU time). Votes per name (and per last
  // word of a name): PER, ORG, LOC, MISC.
  std::unordered_map<std::string, std::array<uint32_t, 4>> votes, last_word_votes;
  const std::vector<std::vector<NerLabel>> labels = model.tag_document(sentences);
  for (size_t si = 0; si < sentences.size(); ++si) {
    const std::vector<std::string>& words = sentences[si];
    for (const NerSpan& e : ner_spans(labels[si])) {
      std::string name = words[e.first];
      for (uint32_t j = e.first + 1; j <= e.last; ++j) name += " " + words[j];
      ++votes[name_key(name)][static_cast<size_t>(e.type)];
      ++last_word_votes[name_key(words[e.last])][static_cast<size_t>(e.type)];
      // A person's name that a hyphenated surname ends, which the tagger leaves out ("Claire"
      // of "Claire Dufresne-Moulin": CoNLL-2003 has few such surnames).
      if (e.type == 0 && e.last + 1 < words.size() && labels[si][e.last + 1] == NerLabel::O) {
        const std::string& next = words[e.last + 1];
        if (next.size() > 3 && next[0] >= 'A' && next[0] <= 'Z' && next.find('-') != std::string::npos)
          ++votes[name_key(name + " " + next)][0];
      }
    }
  }
  for (Entity& e : entities) {
    if (e.type != EntityType::Other || names_event(e.name)) continue;
    const std::array<uint32_t, 4>* v = nullptr;
    if (auto it = votes.find(name_key(e.name)); it != votes.end()) v = &it->second;
    // A one-word name, or a longer one whose last word the tagger always
    // gives one type ("Telikos" of "Zorvan Telikos", twice a person).
    if (!v) {
      const size_t sp = e.name.rfind(' ');
      if (auto it = last_word_votes.find(name_key(sp == std::string::npos ? e.name : e.name.substr(sp + 1)));
          it != last_word_votes.end()) {
        const auto& lv = it->second;
        const uint32_t total = lv[0] + lv[1] + lv[2] + lv[3];
        const bool unanimous = std::any_of(lv.begin(), lv.end(), [&](uint32_t n) { return n == total; });
        if (sp == std::string::npos || (total >= 2 && unanimous)) v = &lv;
      }
    }
    size_t best = 3;
    if (v) {
      best = 0;
      for (size_t k = 1; k < 4; ++k)
        if ((*v)[k] > (*v)[best]) best = k;
      if ((*v)[best] == 0) best = 3;
    }
    if (best < 3) {
      e.type = best == 0 ? EntityType::Person : best == 1 ? EntityType::Organization : EntityType::Place;
    } else if (is_city(name_key(e.name))) {  // no vote, or MISC: a city of the gazetteer is a place
      e.type = EntityType::Place;
    } else if (given_name_first(e.name)) {
      e.type = EntityType::Person;
    }
  }
}

}  // namespace dateline::corpus_detail
