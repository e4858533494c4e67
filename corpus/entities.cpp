// Entities: people, organisations and places named in the article, in order
// of first mention, each once, in its fullest form ("Rutte" -> "Mark Rutte",
// "U.S." -> "United States", "Chrysler" -> "Chrysler Corp", "CFTC" ->
// "Commodity Futures Trading Commission"), each typed.
//
// Gazetteer names and names with organisation words are typed by the
// segmenter. Other capitalised names are typed by the evidence around their
// mentions: a title or role ("President X", "coach X", "X, 54,", "X, the
// finance minister,"), being quoted, a preposition or geographic word ("in
// X", "X province", "Cape X", "X, Kenya"), an organisation cue ("X shares",
// "X's chairman", "daily X", "X said" for a bare name), the type of names
// listed with it ("in Mato Grosso and Goias"). A name without evidence is
// kept with type Other.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

// A name the gazetteer holds as an organisation ("Senate", "Treasury").
bool is_gazetteer_org(std::string_view name) {
  const GazEntry* g = gazetteer_lookup(ascii_lower(name), false);
  return g && g->kind == GazKind::Org;
}

// kPlaceHead: the name's own words make it a place ("Santa River", "Lake Turkana"), which
// outweighs what the context says of an organisation ("the Santa River, which ...").
enum Evidence : uint8_t { kPerson = 1, kOrg = 2, kPlace = 4, kEvent = 8, kPlaceHead = 16 };

class Typer {
 public:
  Typer(const Doc& doc, const std::vector<std::string>& speakers, std::vector<Entity>& out,
        std::vector<NameAlias>* aliases, std::vector<std::string>* unsure)
      : doc_(doc), toks_(doc.toks), segs_(doc.segs), speakers_(speakers), out_(out), aliases_(aliases),
        unsure_(unsure) {}

  void run() {
    const size_t n = segs_.size();
    canon_.assign(n, -1);
    for (size_t i = 0; i < n; ++i) canon_[i] = static_cast<int32_t>(i);
    link_aliases();
    drop_headline_prefixes();
    // Plural acronyms name things, not organisations: "CFCs", and then "CFC" too.
    std::unordered_set<std::string> plural_acronyms;
    for (const Segment& s : segs_)
      if (plural_acronym(s)) plural_acronyms.insert(toks_[s.last].lower.substr(0, toks_[s.last].lower.size() - 1));
    auto thing = [&](const Segment& s) {
      return plural_acronym(s) || (s.first == s.last && toks_[s.first].upper && plural_acronyms.count(toks_[s.first].lower));
    };
    // Groups by canonical text, in order of first mention.
    std::unordered_map<std::string, size_t> group_of_text;
    std::vector<size_t> group(n, SIZE_MAX);
    for (size_t i = 0; i < n; ++i) {
      const Segment& s = segs_[i];
      // A capitalised word that starts a sentence is a name only with evidence: "Ford, which ...".
      if ((s.weak && !weak_org_sign(doc_, s)) || thing(s) ||
          std::find(dropped_.begin(), dropped_.end(), i) != dropped_.end())
        continue;
      const Segment& c = segs_[root(i)];
      auto [it, inserted] = group_of_text.try_emplace(c.text, groups_.size());
      if (inserted) groups_.push_back(Group{c.text, &c, 0, EntityType::Other, false});
      group[i] = it->second;
      Group& g = groups_[it->second];
      g.evidence |= evidence(i);
      if (c.kind == SegKind::Place) g.fixed = true, g.type = EntityType::Place;
      if (c.kind == SegKind::Org) g.fixed = true, g.type = EntityType::Organization;
    }
    std::unordered_set<std::string_view> unsure;  // speakers only their speaking makes people
    for (const std::string& sp : speakers_)
      if (auto it = group_of_text.find(sp); it != group_of_text.end()) {
        Group& g = groups_[it->second];
        if (unsure_ && !g.fixed && !(g.evidence & kPerson) && name_may_not_be_person(*g.canonical)) unsure.insert(sp);
        else g.evidence |= kPerson;
      }
    for (Group& g : groups_) decide(g);
    // Names listed with typed names take their type: "in Mato Grosso and Goias", "Irving Trust, Marine Midland,".
    for (int round = 0; round < 2; ++round) {
      for (size_t i = 0; i < n; ++i) {
        if (group[i] == SIZE_MAX) continue;
        Group& g = groups_[group[i]];
        if (g.fixed || g.type != EntityType::Other || (g.evidence & kEvent)) continue;
        // Not "Murray River Council and Colin Abernethy": a first name and more is the tagger's.
        if (g.canonical->words >= 2 && is_first_name(toks_[g.canonical->first].lower)) continue;
        // Not an apposition: "G.D. Searle and Co, Nutrasweet's maker".
        const Tok* after = word_at(static_cast<int64_t>(segs_[i].last) + 1);
        if (after && after->kind == TokKind::Possessive) continue;
        for (int dir : {-1, 1}) {
          int32_t j = neighbour(i, dir);
          if (j < 0 || group[j] == SIZE_MAX) continue;
          const Group& h = groups_[group[j]];
          if (h.type == EntityType::Place || h.type == EntityType::Organization) {
            g.type = h.type;
            break;
          }
        }
      }
    }
    // Places that a name starts with ("U.S. Agriculture Department"), then the names.
    std::unordered_map<std::string, size_t> seen;
    auto put = [&](const std::string& name, EntityType type) {
      auto [it, inserted] = seen.try_emplace(name, out_.size());
      if (inserted) {
        out_.push_back(Entity{name, type});
      } else if (out_[it->second].type == EntityType::Other) {
        out_[it->second].type = type;
      }
    };
    for (size_t i = 0; i < n; ++i) {
      if (group[i] == SIZE_MAX) continue;
      // "U.S. Shoe" for "U.S. Shoe Corp": the place belongs to the name.
      const Segment& c = segs_[root(i)];
      const bool place_in_name = &c != &segs_[i] && c.kind == SegKind::Org && c.place.empty();
      if (!segs_[i].place.empty() && !place_in_name) put(segs_[i].place, EntityType::Place);
      put(groups_[group[i]].name, groups_[group[i]].type);
      if (aliases_ && &c != &segs_[i]) add_alias(segs_[i], c, groups_[group[i]]);
    }
    for (const std::string& s : speakers_) {  // speakers are people mentioned, too
      auto it = seen.find(s);
      if (it == seen.end()) {
        seen.emplace(s, out_.size());
        out_.push_back(Entity{s, EntityType::Person});
      } else if (unsure.count(s)) {
        unsure_->push_back(s);
      } else {
        out_[it->second].type = EntityType::Person;
      }
    }
  }

 private:
  struct Group {
    std::string name;
    const Segment* canonical;
    uint8_t evidence;
    EntityType type;
    bool fixed;  // typed by the gazetteer or by organisation words
  };

  // The words of a name that speaks say it may be no person: an organisation
  // word or corporate suffix ("Slaney Valley Dairies", "Mointeach Power"), a
  // place's head word ("Lough Boora"), a place of the gazetteer after the
  // first word ("Air Mauritius"), or the whole a city ("Sha Tin").
  bool name_may_not_be_person(const Segment& c) const {
    const auto w = words(c);
    if (w.empty()) return false;
    if (is_first_name(w.front())) return false;
    if (is_city(fold_key(ascii_lower(c.text)))) return true;
    if (w.size() >= 2 && (is_place_head_first(w.front()) || is_place_head_last(w.back()))) return true;
    for (size_t k = 0; k < w.size(); ++k) {
      if (is_org_word(w[k]) || is_corporate_suffix(w[k])) return true;
      const GazEntry* g = k > 0 ? gazetteer_lookup(w[k], false) : nullptr;
      if (g && g->kind == GazKind::Place) return true;
    }
    return false;
  }

  // One token of two or more capitals and a final "s": "CFCs", "ATMs".
  // Or a name that ends with one: "Tasmanian MPs", "Opposition MPs" (a group of people).
  bool plural_acronym(const Segment& s) const {
    if (toks_[s.last].kind != TokKind::Word) return false;
    const std::string_view w = doc_.text.substr(toks_[s.last].begin, toks_[s.last].end - toks_[s.last].begin);
    if (w.size() < 3 || w.back() != 's') return false;
    return std::all_of(w.begin(), w.end() - 1, [](char c) { return c >= 'A' && c <= 'Z'; });
  }

  // `s` names the entity of group `g` (canonical segment `c`) in other words.
  void add_alias(const Segment& s, const Segment& c, const Group& g) {
    const auto alias_words = words(s), name_words = words(c);
    const bool contained = std::all_of(alias_words.begin(), alias_words.end(), [&](std::string_view w) {
      return std::find(name_words.begin(), name_words.end(), w) != name_words.end();
    });
    if (contained || s.text.empty() || s.text == g.name) return;
    NameAlias a{s.text, g.name, g.type};
    if (std::find(aliases_->begin(), aliases_->end(), a) == aliases_->end()) aliases_->push_back(std::move(a));
  }

  int32_t root(size_t i) const {
    int32_t r = static_cast<int32_t>(i);
    for (int guard = 0; guard < 8 && canon_[r] != r; ++guard) r = canon_[r];
    return r;
  }

  // Capitalised words of a segment (lower case), without connectors.
  std::vector<std::string_view> words(const Segment& s) const {
    std::vector<std::string_view> w;
    for (uint32_t k = s.first; k <= s.last; ++k)
      if (toks_[k].kind == TokKind::Word && (toks_[k].cap || toks_[k].upper)) w.push_back(toks_[k].lower);
    return w;
  }

  // Surnames to full names, short company names to full ones, acronyms to
  // what they stand for, "Full Name (Alias)" aliases.
  void link_aliases() {
    const size_t n = segs_.size();
    // Each segment's words once, and tables of the candidates each rule below looks for, so
    // that a long text costs no more per name than a short one.
    std::vector<std::vector<std::string_view>> seg_words(n);
    for (size_t j = 0; j < n; ++j) seg_words[j] = words(segs_[j]);
    // The word before the corporate suffixes of each longer name ("kodak" of "Eastman Kodak Co").
    std::unordered_map<std::string_view, int32_t> before_suffix;
    // Organisations by each word that may start them past leading corporate suffixes ("philips"
    // and "nv" of "NV Philips Gloeilampenfabrieken").
    std::unordered_map<std::string_view, std::vector<int32_t>> org_by_word;
    // Initials of multi-word names, with a final corporate suffix's letter or without, connectors
    // counted or not: the first segment of each.
    std::unordered_map<std::string, int32_t> by_initials, by_all_initials;
    std::unordered_map<std::string, int32_t> by_acronym;  // acronyms linked where they follow their name
    std::unordered_set<std::string> first_of_words;
    for (size_t j = 0; j < n; ++j) {
      const Segment& o = segs_[j];
      const auto& ow = seg_words[j];
      const auto jj = static_cast<int32_t>(j);
      // (The first segment of each sequence of words only: the rule takes the first of the
      // longest. Not of each text: a gazetteer name's text is its canonical form.)
      std::string key;
      for (std::string_view x : ow) key.append(x).push_back(' ');
      if (o.kind == SegKind::Org && !o.weak && first_of_words.insert(std::move(key)).second) {
        for (size_t k = 0; k < ow.size(); ++k) {
          org_by_word[ow[k]].push_back(jj);
          if (!is_corporate_suffix(ow[k])) break;
        }
      }
      if (o.kind == SegKind::Place || o.weak || o.first == o.last) continue;
      size_t end = ow.size();
      while (end > 0 && is_corporate_suffix(ow[end - 1])) --end;
      if (end >= 2 && end < ow.size()) before_suffix.try_emplace(ow[end - 1], jj);
      std::string ini;
      for (std::string_view x : ow) ini.push_back(x[0]);
      by_initials.try_emplace(ini, jj);
      if (ow.size() > 2 && is_corporate_suffix(ow.back())) by_initials.try_emplace(ini.substr(0, ini.size() - 1), jj);
      if (ow.size() >= 2) {
        std::string all;
        for (uint32_t k = o.first; k <= o.last; ++k)
          if (toks_[k].kind == TokKind::Word) all.push_back(toks_[k].lower[0]);
        by_all_initials.try_emplace(ini, jj);
        by_all_initials.try_emplace(all, jj);
      }
    }
    for (size_t i = 0; i < n; ++i) {
      const Segment& s = segs_[i];
      if (s.weak && !weak_org_sign(doc_, s)) continue;
      if (s.kind == SegKind::Name) {
        if (int32_t f = resolve_surname(doc_, s); f >= 0) {
          canon_[i] = f;
          continue;
        }
      }
      if (s.kind == SegKind::Place) continue;
      // "Chrysler" / "Chrysler Corp", "Philips" / "NV Philips Gloeilampenfabrieken",
      // "Sakuragawa" / "Sakuragawa Semiconductor": the longer organisation name.
      const auto& w = seg_words[i];
      // (A word of a headline in capitals is no acronym: "PHILIPS" / "NV Philips Gloeilampenfabrieken".)
      const bool acronym = s.first == s.last && toks_[s.first].upper && !s.shout;
      if (!w.empty()) {
        int32_t best = -1;
        size_t best_len = 0;
        static const std::vector<int32_t> kNone;
        const auto cands = org_by_word.find(w[0]);
        for (const int32_t jj : cands == org_by_word.end() ? kNone : cands->second) {
          const auto j = static_cast<size_t>(jj);
          const Segment& o = segs_[j];
          if (j == i || o.kind != SegKind::Org || o.weak) continue;
          const auto& ow = seg_words[j];
          size_t skip = 0;
          while (skip < ow.size() && skip + w.size() < ow.size() && is_corporate_suffix(ow[skip])) ++skip;
          if (ow.size() <= w.size() + skip) continue;
          if (!std::equal(w.begin(), w.end(), ow.begin() + static_cast<std::ptrdiff_t>(skip))) continue;
          // An acronym only before corporate suffixes: "GTE" / "GTE Corp", not "AM" / "AM General Corp".
          if (acronym && !std::all_of(ow.begin() + static_cast<std::ptrdiff_t>(skip + w.size()), ow.end(),
                                      [](std::string_view x) { return is_corporate_suffix(x); }))
            continue;
          // A headline's name only for a company's longer name (a corporate suffix in it), not
          // another body's: "SENATE" is not the "Senate Finance Committee"; "HOUSE" is "House of
          // Fabrics Inc" where the text names it. In the body too, a body the gazetteer knows
          // is not its committees: "the Senate" is not the "Senate Budget Committee".
          const bool sub_body = std::any_of(ow.begin() + static_cast<std::ptrdiff_t>(skip + w.size()), ow.end(),
                                            [](std::string_view x) { return is_org_word(x) && !is_corporate_suffix(x); });
          if (s.shout && s.first == s.last &&
              (sub_body || std::none_of(ow.begin(), ow.end(), [](std::string_view x) { return is_corporate_suffix(x); })))
            continue;
          if (!s.shout && s.first == s.last && is_gazetteer_org(s.text) &&
              std::any_of(ow.begin(), ow.end(), [](std::string_view x) { return x == "committee" || x == "subcommittee"; }))
            continue;
          if (ow.size() > best_len) best = static_cast<int32_t>(j), best_len = ow.size();
        }
        // "Kodak" / "Eastman Kodak Co": the word before the corporate suffixes of a longer name.
        if (best < 0 && !acronym && w.size() == 1 && !is_org_word(w[0])) {
          if (const auto it = before_suffix.find(w[0]); it != before_suffix.end()) best = it->second;
        }
        // "in the Cerrado" is the region even when "Cerrado Growers' Cooperative" exists; "in Nova"
        // is still "Nova Corp".
        if (best >= 0 && (evidence(i) & kPlace) && !is_corporate_suffix(seg_words[best].back())) best = -1;
        if (best >= 0) {
          canon_[i] = best;
          continue;
        }
      }
      // Acronyms: "CFTC" for "Commodity Futures Trading Commission", "GM" for "General Motors Corp".
      if (s.first == s.last && toks_[s.first].upper && !gazetteer_lookup(toks_[s.first].lower, true)) {
        const std::string& acr = toks_[s.first].lower;
        const bool in_parens =
            s.first >= 1 && toks_[s.first - 1].kind == TokKind::Punct && toks_[s.first - 1].punct == '(';
        // The first name whose initials are the acronym's (PDVSA: the initials, connectors too,
        // then a corporate suffix).
        int32_t found = -1;
        auto consider = [&](const std::unordered_map<std::string, int32_t>& m, const std::string& key) {
          if (const auto it = m.find(key); it != m.end() && (found < 0 || it->second < found)) found = it->second;
        };
        consider(by_initials, acr);
        consider(by_acronym, acr);
        for (size_t cut = 1; cut < acr.size(); ++cut)
          if (is_corporate_suffix(std::string_view(acr).substr(cut))) consider(by_all_initials, acr.substr(0, cut));
        // "Department of Housing and Urban Development (HUD)": in parentheses right after it,
        // the letters may skip words.
        if (in_parens && s.first >= 2) {
          const int32_t j = doc_.seg_of_tok[s.first - 2];
          if (j >= 0 && segs_[j].last + 2 == s.first && segs_[j].first != segs_[j].last && !segs_[j].weak &&
              segs_[j].kind != SegKind::Place) {
            size_t p = 0;
            for (std::string_view x : seg_words[j])
              if (p < acr.size() && acr[p] == x[0]) ++p;
            if (p == acr.size() && acr.size() >= 2 && (found < 0 || j < found)) found = j;
          }
        }
        // "Kuwait News Agency KUNA": right after it, holding its initials in order.
        if (found < 0 && s.first >= 1) {
          const int32_t j = doc_.seg_of_tok[s.first - 1];
          if (j >= 0 && segs_[j].last + 1 == s.first && segs_[j].kind == SegKind::Org) {
            std::string init;
            for (std::string_view x : seg_words[j]) init.push_back(x[0]);
            if (acronym_of(acr, init)) found = by_acronym.emplace(acr, j).first->second;
          }
        }
        if (found >= 0) canon_[i] = found;
        if (canon_[i] != static_cast<int32_t>(i)) continue;
      }
      // "Federal National Mortgage Association -- better known as Fannie Mae".
      if (s.first >= 3 && toks_[s.first - 1].lower == "as" && toks_[s.first - 2].lower == "known") {
        for (int64_t k = static_cast<int64_t>(s.first) - 3; k >= 0 && k + 6 >= static_cast<int64_t>(s.first); --k) {
          int32_t o = doc_.seg_of_tok[static_cast<size_t>(k)];
          if (o >= 0 && segs_[o].last == k && (segs_[o].kind == SegKind::Org || segs_[o].kind == SegKind::Name)) {
            canon_[i] = o;
            break;
          }
          if (toks_[static_cast<size_t>(k)].kind == TokKind::Word && toks_[static_cast<size_t>(k)].lower != "better" &&
              toks_[static_cast<size_t>(k)].lower != "also")
            break;
        }
        if (canon_[i] != static_cast<int32_t>(i)) continue;
      }
      // "Federation of Economic Organisations (Keidanren)": a one-word alias in parentheses.
      if (s.first == s.last && s.first >= 2 && toks_[s.first - 1].kind == TokKind::Punct &&
          toks_[s.first - 1].punct == '(' && s.last + 1 < toks_.size() && toks_[s.last + 1].kind == TokKind::Punct &&
          toks_[s.last + 1].punct == ')') {
        int32_t before = doc_.seg_of_tok[s.first - 2];
        if (before >= 0 && segs_[before].last == s.first - 2 && segs_[before].kind == SegKind::Org &&
            segs_[before].first < segs_[before].last)
          canon_[i] = before;
      }
    }
  }

  // "TEXAS INSTRUMENTS <TXN> PREFERRED PRICED": a headline place that begins the
  // name of an organisation of the body is not a mention of the place.
  void drop_headline_prefixes() {
    for (size_t i = 0; i < segs_.size(); ++i) {
      const Segment& s = segs_[i];
      if (!s.shout || s.kind != SegKind::Place) continue;
      std::vector<std::string_view> hw;
      for (uint32_t k = s.first; k < toks_.size() && hw.size() < 6; ++k) {
        if (toks_[k].kind != TokKind::Word) break;
        hw.push_back(toks_[k].lower);
      }
      if (hw.size() <= s.last - s.first + 1) continue;
      for (const Segment& o : segs_) {
        if (o.shout || o.kind != SegKind::Org) continue;
        const auto ow = words(o);
        const size_t m = std::min(ow.size(), hw.size());
        if (m > s.last - s.first + 1 &&
            std::equal(ow.begin(), ow.begin() + static_cast<std::ptrdiff_t>(m), hw.begin())) {
          dropped_.push_back(i);
          break;
        }
      }
    }
  }

  const Tok* word_at(int64_t k) const {
    if (k < 0 || k >= static_cast<int64_t>(toks_.size())) return nullptr;
    return &toks_[static_cast<size_t>(k)];
  }
  bool lower_word(const Tok* t) const { return t && t->kind == TokKind::Word && !t->cap && !t->upper; }
  bool punct(const Tok* t, char c) const { return t && t->kind == TokKind::Punct && t->punct == c; }

  // The evidence around one mention.
  uint8_t evidence(size_t i) const {
    const Segment& s = segs_[i];
    uint8_t ev = 0;
    const int64_t first = s.first, last = s.last;
    const auto w = words(s);
    if (w.empty()) return 0;
    // --- person
    if (s.after_title) ev |= kPerson;
    const Tok* prev = word_at(first - 1);
    const Tok* next = word_at(last + 1);
    if (lower_word(prev) && is_role_noun(prev->lower)) ev |= kPerson;  // "coach X"
    if (punct(prev, ',') && word_at(first - 2) && title_class_is_title(*word_at(first - 2)))
      ev |= kPerson;  // "Minister, X"
    if (punct(next, ',') &&
        appositive_start(last + 2)) {  // "X, 54,", "X, the finance minister,", "X, chief executive of Y,"
      for (int64_t k = last + 2; k < last + 9 && k < static_cast<int64_t>(toks_.size()); ++k) {
        const Tok& t = toks_[static_cast<size_t>(k)];
        if (t.kind == TokKind::Punct || t.kind == TokKind::Break || t.kind == TokKind::OpenQuote ||
            t.kind == TokKind::CloseQuote)
          break;
        if (t.kind == TokKind::Number && k == last + 2) {
          // An age ("X, 54, said"), not a distance ("in Dowra, 14 kilometres away").
          const Tok* after = word_at(k + 1);
          if (!after || after->kind != TokKind::Word) ev |= kPerson;
          break;
        }
        if (t.kind == TokKind::Word && !t.cap && !t.upper && is_role_noun(t.lower) && t.lower != "head") {
          ev |= kPerson;
          break;
        }
        if (t.kind == TokKind::Word && !t.cap && !t.upper && speech_verb(t.lower) != VerbKind::None) break;
      }
    }
    if (next && next->kind == TokKind::Word && next->lower == "administration" && w.size() == 1) ev |= kPerson;
    if (org_apposition(doc_, s)) ev |= kOrg;
    // --- organisation
    if (w.size() == 1 && w[0].size() > 5 && w[0].compare(w[0].size() - 4, 4, "bank") == 0) ev |= kOrg;  // "Riksbank"
    if (is_club_word(w[0])) ev |= kOrg;
    {
      const Tok* after = next;
      int64_t k = last + 1;
      if (after && after->kind == TokKind::Possessive) after = word_at(++k);
      if (lower_word(after) && is_org_cue_after(after->lower)) {
        // Not "X, the president": only right after the name.
        ev |= kOrg;
      }
    }
    if (lower_word(prev) && is_org_cue_before(prev->lower)) ev |= kOrg;
    if (share_price_moves(doc_, s)) ev |= kOrg;  // "Seagram fell 2-1/8 to 100-3/8"
    // "GenCorp said": a bare name that speaks is a company unless titled elsewhere
    // (only as a subject: not "officials in Kumamoto said").
    if (w.size() == 1 && !s.after_title && lower_word(next) &&
        (next->lower == "said" || next->lower == "says" || next->lower == "announced" || next->lower == "reported") &&
        (!prev || prev->kind != TokKind::Word || prev->lower == "the" || toks_[first].sent_start))
      ev |= kOrg;
    // --- place
    {
      int64_t k = first - 1;
      const Tok* p = prev;
      if (p && p->kind == TokKind::Word && p->lower == "the") p = word_at(--k);
      const bool acronym = w.size() == 1 && toks_[first].upper;
      // "an analyst at Hollister Kemp", "managing director at Shearson": where a person works.
      const Tok* role = word_at(k - 1);
      const bool employer = lower_word(p) && (p->lower == "at" || p->lower == "with") && role &&
                            role->kind == TokKind::Word && (is_role_noun(role->lower) || is_title_core(role->lower));
      if (employer) {
        ev |= kOrg;
      } else if (lower_word(p) && is_place_preposition(p->lower) && !(next && next->kind == TokKind::Possessive) &&
                 !acronym) {
        ev |= kPlace;
      }
      if (lower_word(p) && p->lower == "from" && w.size() == 1 && !(next && next->kind == TokKind::Possessive))
        ev |= kPlace;
      // "the town of Brest", "the port of Gdansk"
      if (p && p->lower == "of" && lower_word(word_at(k - 1)) && is_place_noun(word_at(k - 1)->lower)) ev |= kPlace;
      // "between Kuwait and X", "in X, Y and Z": handled by the coordination pass.
    }
    if (lower_word(next) && is_place_noun(next->lower)) ev |= kPlace;
    if (w.size() >= 2 && (is_place_head_first(w.front()) || is_place_head_last(w.back()))) ev |= kPlace | kPlaceHead;
    if (punct(next, ',') || (next && next->kind == TokKind::Word && next->lower == "in")) {
      // "Punta del Este, Uruguay", "Punta del Este in Uruguay", "Shelbyville, Ind."
      int32_t j = doc_.seg_of_tok.size() > static_cast<size_t>(last + 2) ? doc_.seg_of_tok[last + 2] : -1;
      const bool comma = punct(next, ',');
      if (j >= 0 && segs_[j].first == last + 2 && segs_[j].kind == SegKind::Place && (comma || is_country(segs_[j]))) {
        const Tok* after = word_at(segs_[j].last + 1);
        if (!after || after->kind != TokKind::Word || !(after->cap || after->upper)) ev |= kPlace;
      }
    }
    // --- events, documents
    if (w.size() >= 2 && is_event_word(w.back())) ev |= kEvent;
    return ev;
  }

  // An apposition after "X," starts with a determiner, a role, a number or "Country's".
  bool appositive_start(int64_t k) const {
    const Tok* t = word_at(k);
    if (!t) return false;
    if (t->kind == TokKind::Number) return true;
    if (t->kind != TokKind::Word) return false;
    if (!t->cap && !t->upper)
      return is_apposition_start(t->lower) || is_role_noun(t->lower) || is_title_modifier(t->lower);
    const Tok* after = word_at(k + 1);
    return after && after->kind == TokKind::Possessive;  // "X, Norway's finance minister,"
  }

  static bool is_country(const Segment& s) {
    const GazEntry* g = gazetteer_lookup(ascii_lower(s.text), false);
    return g && g->country;
  }

  static bool title_class_is_title(const Tok& t) {
    return t.kind == TokKind::Word && (t.cap || t.upper) && is_title_core(t.lower);
  }

  void decide(Group& g) const {
    if (g.fixed) return;
    const Segment& c = *g.canonical;
    const bool can_be_person = person_like(doc_, c);
    if ((g.evidence & kEvent) && !(g.evidence & kPerson)) {
      g.type = EntityType::Other;
    } else if ((g.evidence & kPerson) && can_be_person) {
      g.type = EntityType::Person;
    } else if ((g.evidence & kOrg) && !(g.evidence & kPlaceHead)) {
      g.type = EntityType::Organization;
    } else if (g.evidence & kPlace) {
      g.type = EntityType::Place;
    } else {
      g.type = EntityType::Other;
    }
  }

  // The segment right before (dir -1) or after (dir +1) segment i, separated
  // only by a comma, "and" or "or" (and "the"): "Kuwait and Khor Fakkan".
  int32_t neighbour(size_t i, int dir) const {
    const Segment& s = segs_[i];
    int64_t k = dir < 0 ? static_cast<int64_t>(s.first) - 1 : static_cast<int64_t>(s.last) + 1;
    int steps = 0;
    bool sep = false;
    while (k >= 0 && k < static_cast<int64_t>(toks_.size()) && steps < 3) {
      const Tok& t = toks_[static_cast<size_t>(k)];
      if (t.kind == TokKind::Punct && t.punct == ',') {
        sep = true;
      } else if (t.kind == TokKind::Word && !t.cap && !t.upper && (t.lower == "and" || t.lower == "or")) {
        sep = true;
      } else if (t.kind == TokKind::Word && t.lower == "the") {
      } else {
        break;
      }
      k += dir;
      ++steps;
    }
    if (!sep || k < 0 || k >= static_cast<int64_t>(toks_.size())) return -1;
    int32_t j = doc_.seg_of_tok[static_cast<size_t>(k)];
    if (j < 0) return -1;
    const Segment& o = segs_[j];
    if ((dir < 0 && o.last != k) || (dir > 0 && o.first != k)) return -1;
    return j;
  }

  const Doc& doc_;
  const std::vector<Tok>& toks_;
  const std::vector<Segment>& segs_;
  const std::vector<std::string>& speakers_;
  std::vector<Entity>& out_;
  std::vector<NameAlias>* aliases_;
  std::vector<std::string>* unsure_;
  std::vector<int32_t> canon_;
  std::vector<size_t> dropped_;
  std::vector<Group> groups_;
};

}  // namespace

void find_entities(const Doc& doc, const std::vector<std::string>& speakers, std::vector<Entity>& out,
                   std::vector<NameAlias>* aliases, std::vector<std::string>* unsure) {
  Typer(doc, speakers, out, aliases, unsure).run();
}

}  // namespace dateline::corpus_detail
