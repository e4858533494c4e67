// Capitalised name sequences, cut into segments: titles removed, gazetteer
// names canonicalised, sentence-initial common words dropped.
#include <algorithm>
#include <string>
#include <unordered_set>

#include <utf8proc.h>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

using WordSet = std::unordered_set<std::string_view>;

enum WordClass : uint8_t { kName, kTitle, kModifier, kConnector };

// Title words, including hyphenated ones ("President-elect", "Secretary-General").
WordClass title_class(std::string_view lower) {
  if (is_title_core(lower)) return kTitle;
  if (is_title_modifier(lower)) return lower == "of" || lower == "for" ? kConnector : kModifier;
  if (lower.find('-') == std::string_view::npos) return kName;
  bool core = false;
  size_t pos = 0;
  while (pos <= lower.size()) {
    size_t dash = lower.find('-', pos);
    if (dash == std::string_view::npos) dash = lower.size();
    std::string_view part = lower.substr(pos, dash - pos);
    if (is_title_core(part)) {
      core = true;
    } else if (!is_title_modifier(part) && part != "ex") {
      return kName;
    }
    pos = dash + 1;
  }
  return core ? kTitle : kModifier;
}

// Unicode lower case (simple case mapping per code point).
std::string unicode_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp;
    size_t len = decode_utf8(s, i, cp);
    if (len == 0) {
      ++i;
      continue;
    }
    append_utf8(out, static_cast<uint32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
    i += len;
  }
  return out;
}

// Upper-cases the first letter of each word of a lower-case string.
std::string title_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool word_start = true;
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp;
    size_t len = decode_utf8(s, i, cp);
    if (len == 0) {
      ++i;
      continue;
    }
    append_utf8(out, word_start ? static_cast<uint32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(cp))) : cp);
    word_start = cp == ' ' || cp == '-' || cp == '.';
    i += len;
  }
  return out;
}

// Places that do not make "Pacific Bell" or "Gulf Oil" a mention of themselves.
bool is_sea_or_region(std::string_view canonical) {
  return canonical == "Pacific" || canonical == "Atlantic" || canonical == "Gulf" || canonical == "Arctic" ||
         canonical == "Caribbean" || canonical == "Mediterranean" || canonical == "Baltic" ||
         canonical == "Asia-Pacific" || canonical == "Indo-Pacific" || canonical == "Far East" ||
         canonical == "Middle East" || canonical == "Wall Street" || canonical == "Silicon Valley";
}

// Titles that, standing alone at the end of a name, are part of it ("Burger King").
bool ambiguous_trailing_title(std::string_view lower) {
  return lower == "king" || lower == "queen" || lower == "prince" || lower == "leader" || lower == "speaker" ||
         lower == "judge" || lower == "justice" || lower == "director" || lower == "executive" ||
         lower == "chief" || lower == "officer";
}

class Analyzer {
 public:
  Analyzer(Doc& doc, bool headline) : doc_(doc), toks_(doc.toks), headline_(headline) {}

  void run() {
    const size_t n = toks_.size();
    doc_.seg_of_tok.assign(n, -1);
    skip_.assign(n, 0);
    shout_.assign(n, 0);
    mark_paragraphs();
    auto cap_word = [&](size_t k) {
      return k < n && toks_[k].kind == TokKind::Word && (toks_[k].cap || toks_[k].upper);
    };
    for (size_t k = 0; k < n; ++k) {
      const Tok& t = toks_[k];
      if (t.kind != TokKind::Word) continue;
      if (!t.cap && !t.upper) {
        lower_seen_.insert(t.lower);
        continue;
      }
      if (t.sent_start) continue;
      known_cap_.insert(t.lower);
      bool next = cap_word(k + 1) && !toks_[k + 1].sent_start;
      if (!next) known_single_.insert(t.lower);  // alone ("Rutte’s") or last ("Emmanuel Macron")
    }
    mark_based();
    size_t i = 0;
    while (i < n) {
      const Tok& t = toks_[i];
      if (skip_[i] || t.kind != TokKind::Word) {
        ++i;
        continue;
      }
      if (shout_[i]) {
        i = shouting_match(i);
        continue;
      }
      if (!t.cap && !t.upper) {
        ++i;
        continue;
      }
      if (size_t next = phrase_match(i); next != i) {
        i = next;
        continue;
      }
      size_t e = i, j = i + 1;
      while (j < n && !skip_[j] && !shout_[j]) {
        const Tok& u = toks_[j];
        if (u.kind != TokKind::Word || u.sent_start) break;
        if (u.cap || u.upper) {
          e = j++;
          continue;
        }
        if (u.lower == "for" && (title_class(toks_[j - 1].lower) != kName || is_org_word(toks_[j - 1].lower)) &&
            continues_name(j + 1)) {
          e = j + 1;
          j += 2;
          continue;
        }
        if (size_t c = connectors_at(j); c > 0) {  // "van der", "de la", "bin"
          e = j + c;
          j += c + 1;
          continue;
        }
        break;
      }
      // Joins across "and", "&" and "'s" inside organisation names:
      // "Securities and Exchange Commission", "Procter & Gamble", "Moody's Investors Service".
      while (e + 2 < n && continues_name(e + 2)) {
        const Tok& u = toks_[e + 1];
        size_t f = run_end(e + 2);
        bool join = false;
        if (u.kind == TokKind::Punct && u.punct == '&') {
          join = true;
        } else if (u.kind == TokKind::Word && u.lower == "and") {
          // The following name part (before any title): "... and Exchange Commission Chairman X".
          size_t g = e + 2;
          while (g < f && title_class(toks_[g + 1].lower) != kTitle) ++g;
          bool before_org = false;
          for (size_t k = i; k <= e; ++k) before_org = before_org || is_org_word(toks_[k].lower);
          // Not "Baker and Federal Reserve Chairman Volcker": a person, then an organisation's officer.
          join = is_org_word(toks_[i].lower) || (is_org_word(toks_[g].lower) && (before_org || g == f));
        } else if (u.kind == TokKind::Possessive) {
          // "Moody's Investors Service", "North Sea Offshore Workers' Union", not "Norway's Finance Ministry".
          join = is_org_word(toks_[f].lower) && !gazetteer_lookup(key_of(i, e), all_upper(i, e)) &&
                 !(i == e && known_single_.count(toks_[i].lower) && !is_org_word(toks_[i].lower) &&
                   title_class(toks_[f].lower) == kName && f == e + 2);
        }
        if (!join) break;
        e = f;
      }
      sequence(i, e);
      i = e + 1;
    }
  }

 private:
  // Paragraph ranges: shouting paragraphs, and datelines at the start of the
  // first paragraphs ("SALVADOR, Feb 26 -", "BRUSSELS (Reuters) -").
  void mark_paragraphs() {
    const size_t n = toks_.size();
    size_t p = 0, para = 0;
    while (p < n) {
      size_t q = p;
      while (q < n && toks_[q].kind != TokKind::Break) ++q;
      if (q > p) {
        std::string_view slice = doc_.text.substr(toks_[p].begin, toks_[q - 1].end - toks_[p].begin);
        if (is_shouting(slice) || (para == 0 && headline_ && is_title_case(slice))) {
          for (size_t k = p; k < q; ++k) shout_[k] = 1;
        } else if (para < 3) {
          dateline(p, q);
        }
        ++para;
      }
      p = q + 1;
    }
  }

  // "Lagos-based", "Abu Dhabi-based": the place is an entity, the word is not a name.
  void mark_based() {
    static constexpr std::string_view kSuffixes[] = {"-based", "-born", "-led", "-backed", "-owned", "-listed",
                                                     "-headquartered", "-registered", "-bound", "-made"};
    for (size_t i = 0; i < toks_.size(); ++i) {
      const Tok& t = toks_[i];
      if (t.kind != TokKind::Word || !t.cap) continue;
      for (std::string_view suf : kSuffixes) {
        if (t.lower.size() <= suf.size() || t.lower.compare(t.lower.size() - suf.size(), suf.size(), suf) != 0)
          continue;
        skip_[i] = 1;
        std::string prefix = t.lower.substr(0, t.lower.size() - suf.size());
        size_t first = i;
        const GazEntry* g = nullptr;
        if (i > 0 && toks_[i - 1].kind == TokKind::Word && toks_[i - 1].cap && !skip_[i - 1] &&
            (g = gazetteer_lookup(toks_[i - 1].lower + " " + prefix, false)))
          first = i - 1;
        if (!g) g = gazetteer_lookup(prefix, false);
        if (g && g->kind != GazKind::Nationality) {
          for (size_t k = first; k <= i; ++k) skip_[k] = 1;
          Segment s;
          s.first = static_cast<uint32_t>(first);
          s.last = static_cast<uint32_t>(i);
          s.kind = g->kind == GazKind::Org ? SegKind::Org : SegKind::Place;
          s.words = static_cast<uint32_t>(i - first + 1);
          s.text = std::string(g->canonical);
          add(std::move(s));
        }
        break;
      }
    }
  }

  void dateline(size_t p, size_t q) {
    size_t k = p;
    while (k < q && k < p + 5 && toks_[k].kind == TokKind::Word && toks_[k].upper) ++k;
    if (k == p || k >= q || toks_[k].kind != TokKind::Punct || (toks_[k].punct != ',' && toks_[k].punct != '('))
      return;
    size_t dash = k + 1;
    while (dash < q && dash < k + 16 && !(toks_[dash].kind == TokKind::Punct && toks_[dash].punct == '-')) ++dash;
    if (dash >= q || dash >= k + 16) return;
    for (size_t m = p; m <= dash; ++m) skip_[m] = 1;
    std::string key = unicode_lower(doc_.text.substr(toks_[p].begin, toks_[k - 1].end - toks_[p].begin));
    Segment s;
    s.first = static_cast<uint32_t>(p);
    s.last = static_cast<uint32_t>(k - 1);
    s.kind = SegKind::Place;
    s.words = static_cast<uint32_t>(k - p);
    if (const GazEntry* g = gazetteer_lookup(key, true); g && g->kind != GazKind::Nationality) {
      s.text = std::string(g->canonical);
      s.kind = g->kind == GazKind::Org ? SegKind::Org : SegKind::Place;
    } else {
      s.text = title_case(key);  // "LOS ANGELES" -> "Los Angeles", "GDAŃSK" -> "Gdańsk"
    }
    add(std::move(s));
  }

  // Gazetteer names in upper-case text ("U.S. TAX WRITERS SEEK ...").
  size_t shouting_match(size_t i) {
    const size_t n = toks_.size();
    size_t maxw = gazetteer_max_words();
    std::string key;
    for (size_t k = maxw; k >= 1; --k) {
      if (i + k > n) continue;
      key.clear();
      bool ok = true;
      for (size_t m = i; m < i + k; ++m) {
        if (toks_[m].kind != TokKind::Word || !shout_[m]) {
          ok = false;
          break;
        }
        if (m > i) key.push_back(' ');
        key += toks_[m].lower;
      }
      if (!ok) continue;
      if (k == 1 && (key == "who" || key == "it")) continue;
      const GazEntry* g = gazetteer_lookup(key, true);
      if (!g || g->kind == GazKind::Nationality) continue;
      Segment s;
      s.first = static_cast<uint32_t>(i);
      s.last = static_cast<uint32_t>(i + k - 1);
      s.kind = g->kind == GazKind::Org ? SegKind::Org : SegKind::Place;
      s.words = static_cast<uint32_t>(k);
      s.text = std::string(g->canonical);
      add(std::move(s));
      return i + k;
    }
    return i + 1;
  }

  bool known(std::string_view lower) const { return known_cap_.count(lower) > 0; }

  // Token k is a capitalised word that may continue a name.
  bool continues_name(size_t k) const {
    return k < toks_.size() && toks_[k].kind == TokKind::Word && (toks_[k].cap || toks_[k].upper) &&
           !toks_[k].sent_start && !skip_[k] && !shout_[k];
  }

  // One or two lower-case name connectors at k followed by a capitalised word:
  // returns the number of connectors (0 if none).
  size_t connectors_at(size_t k) const {
    size_t c = 0;
    while (c < 2 && k + c < toks_.size() && toks_[k + c].kind == TokKind::Word && !toks_[k + c].cap &&
           is_name_connector(toks_[k + c].lower))
      ++c;
    return c > 0 && continues_name(k + c) ? c : 0;
  }

  // The last token of the run of capitalised words (and inner connectors) starting at k.
  size_t run_end(size_t k) const {
    size_t e = k;
    while (true) {
      if (continues_name(e + 1)) {
        ++e;
      } else if (size_t c = connectors_at(e + 1); c > 0) {
        e += c + 1;
      } else {
        return e;
      }
    }
  }

  // Fixed names with lower-case words ("General Agreement on Tariffs and Trade").
  size_t phrase_match(size_t i) {
    for (const Phrase& ph : gazetteer_phrases()) {
      if (i + ph.words.size() > toks_.size()) continue;
      bool ok = true;
      for (size_t k = 0; k < ph.words.size() && ok; ++k)
        ok = toks_[i + k].kind == TokKind::Word && toks_[i + k].lower == ph.words[k] && !skip_[i + k];
      if (!ok) continue;
      Segment s;
      s.first = static_cast<uint32_t>(i);
      s.last = static_cast<uint32_t>(i + ph.words.size() - 1);
      s.kind = SegKind::Org;
      s.words = static_cast<uint32_t>(ph.words.size());
      s.text = std::string(ph.canonical);
      add(std::move(s));
      return i + ph.words.size();
    }
    return i;
  }

  std::string key_of(size_t a, size_t b) const {
    std::string key;
    for (size_t m = a; m <= b; ++m) {
      if (m > a) key.push_back(' ');
      key += toks_[m].lower;
    }
    return key;
  }

  bool all_upper(size_t a, size_t b) const {
    for (size_t m = a; m <= b; ++m)
      if (!toks_[m].upper && !(toks_[m].abbrev && toks_[m].cap)) return false;
    return true;
  }

  // One maximal capitalised sequence [s, e].
  void sequence(size_t s, size_t e) {
    const Tok& w0 = toks_[s];
    size_t weak_tok = static_cast<size_t>(-1);  // an unknown sentence-initial word, if kept
    if (w0.sent_start && !w0.upper) {
      const GazEntry* whole = gazetteer_lookup(key_of(s, e), all_upper(s, e));
      WordClass c0 = title_class(w0.lower);
      // "First Boston Corp", "Security Pacific Corp": a company name keeps its first word.
      bool company = s < e && is_org_word(toks_[e].lower) && !is_function_word(w0.lower);
      // A single word counts as known when it stands alone or ends a name elsewhere.
      bool known_w0 = s == e ? known_single_.count(w0.lower) > 0 : known(w0.lower);
      if (!whole && c0 == kName && !gazetteer_lookup(w0.lower, false) && !known_w0 && !company) {
        bool common = is_stopword(w0.lower) || lower_seen_.count(w0.lower) > 0 ||
                      (w0.lower.size() > 5 && w0.lower.compare(w0.lower.size() - 3, 3, "ing") == 0);
        if (common) {
          ++s;
          while (s <= e && toks_[s].kind != TokKind::Word) ++s;
          while (s <= e && toks_[s].kind == TokKind::Word && !toks_[s].cap && !toks_[s].upper) ++s;  // connector
          if (s > e) return;
        } else {
          weak_tok = s;
        }
      } else if (!whole && !company && is_stopword(w0.lower)) {
        if (++s > e) return;
      }
    }

    // Title runs split the sequence into stretches.
    size_t a = s;
    bool after_title = false;
    size_t m = s;
    while (m <= e) {
      WordClass c = title_class(toks_[m].lower);
      if (c != kTitle && c != kModifier) {
        ++m;
        continue;
      }
      // The run of title words starting at m (modifiers, cores, "of" between).
      size_t r = m, last = m;
      bool core = false;
      while (r <= e) {
        WordClass cr = title_class(toks_[r].lower);
        if (cr == kTitle) {
          core = true;
        } else if (cr == kConnector) {
          if (r + 1 > e) break;
          WordClass nx = title_class(toks_[r + 1].lower);
          if (nx != kTitle && nx != kModifier) break;
        } else if (cr != kModifier) {
          break;
        }
        last = r++;
      }
      bool title = core;
      // "Suroor bin Sultan al-Dhahiri": after a name particle, a title word is a name.
      if (title && m > s && toks_[m - 1].kind == TokKind::Word && !toks_[m - 1].cap &&
          is_name_connector(toks_[m - 1].lower) && toks_[m - 1].lower != "of")
        title = false;
      // "Justice Department", "Executive Committee": the words are part of an organisation name.
      if (title && last + 1 <= e && is_org_word(toks_[last + 1].lower)) title = false;
      // "Burger King": one ambiguous title word ending the sequence after a name.
      if (title && last == e && m == last && m > a && ambiguous_trailing_title(toks_[m].lower)) title = false;
      // Modifiers are names when no core word follows ("General Motors", "State Street").
      if (!title) {
        m = last + 1;
        continue;
      }
      if (m > a) stretch(a, m - 1, after_title, weak_tok);
      after_title = true;
      a = last + 1;
      m = a;
    }
    if (a <= e) stretch(a, e, after_title, weak_tok);
  }

  // A stretch of name words [a, b] (no title words).
  void stretch(size_t a, size_t b, bool after_title, size_t weak_tok) {
    // Trim connectors and months / days at either end, stopwords at the start.
    auto trimmable_end = [&](size_t k) {
      const Tok& t = toks_[k];
      return (!t.cap && !t.upper) || is_month_or_day(t.lower);
    };
    // (Not months at the start: "Jan Novak", "April Ryan".)
    auto trimmable = [&](size_t k) {
      const Tok& t = toks_[k];
      return (!t.cap && !t.upper) || (is_function_word(t.lower) && !t.upper) ||
             (is_month_or_day(t.lower) && (k == b || !toks_[k + 1].cap));
    };
    if (const GazEntry* g = gazetteer_lookup(key_of(a, b), all_upper(a, b))) {
      segment_from_gazetteer(a, b, *g, after_title);
      return;
    }
    while (a <= b && trimmable(a)) ++a;
    while (b >= a && b > 0 && trimmable_end(b)) --b;
    if (a > b || b == static_cast<size_t>(-1)) return;
    if (const GazEntry* g = gazetteer_lookup(key_of(a, b), all_upper(a, b))) {
      segment_from_gazetteer(a, b, *g, after_title);
      return;
    }
    if (a == b && toks_[a].lower.find('-') != std::string::npos && !toks_[a].upper) {
      // "Shanghai-Rotterdam", "Asia-Europe": two places.
      std::vector<const GazEntry*> parts;
      std::string_view w = toks_[a].lower;
      size_t pos = 0;
      while (pos <= w.size()) {
        size_t dash = w.find('-', pos);
        if (dash == std::string_view::npos) dash = w.size();
        const GazEntry* g = gazetteer_lookup(w.substr(pos, dash - pos), false);
        if (!g || g->kind == GazKind::Nationality) {
          parts.clear();
          break;
        }
        parts.push_back(g);
        pos = dash + 1;
      }
      if (parts.size() >= 2) {
        for (const GazEntry* g : parts) segment_from_gazetteer(a, b, *g, after_title);
        return;
      }
    }
    if (a == b && toks_[a].abbrev) {  // "Ill." -> Illinois
      if (const GazEntry* g = gazetteer_lookup(toks_[a].lower + ".", false)) {
        segment_from_gazetteer(a, b, *g, after_title);
        return;
      }
    }
    bool has_org_word = false;
    for (size_t k = a; k <= b; ++k) has_org_word = has_org_word || is_org_word(toks_[k].lower);
    // "Robert Dole of Kansas": a person, then a place.
    if (!has_org_word) {
      for (size_t k = a + 1; k + 1 <= b; ++k) {
        if (toks_[k].lower != "of") continue;
        const GazEntry* g = gazetteer_lookup(key_of(k + 1, b), all_upper(k + 1, b));
        if (g && g->kind == GazKind::Place) {
          stretch(a, k - 1, after_title, weak_tok);
          segment_from_gazetteer(k + 1, b, *g, false);
          return;
        }
      }
    }
    Segment s;
    s.first = static_cast<uint32_t>(a);
    s.last = static_cast<uint32_t>(b);
    s.after_title = after_title;
    // A leading place: "U.S. Agriculture Department" also mentions the United States.
    for (size_t k = std::min(b, a + 3); k-- > a;) {
      const GazEntry* g = gazetteer_lookup(key_of(a, k), all_upper(a, k));
      if (!g || g->kind != GazKind::Place || is_sea_or_region(g->canonical)) continue;
      bool generic_rest = k + 1 == b && lower_seen_.count(toks_[b].lower) > 0;
      if (generic_rest) {  // "the U.S. Currency"
        segment_from_gazetteer(a, b, *g, after_title);
        return;
      }
      s.place = std::string(g->canonical);
      break;
    }
    bool org = false, all_not_entity = true;
    for (size_t k = a; k <= b; ++k) {
      const Tok& t = toks_[k];
      if (!t.cap && !t.upper) continue;  // connector
      ++s.words;
      if (is_org_word(t.lower)) org = true;
      if (!is_not_entity(t.lower) && t.end - t.begin > 1) all_not_entity = false;
    }
    if (all_not_entity) return;
    bool all_suffix = true;
    for (size_t k = a; k <= b; ++k)
      if ((toks_[k].cap || toks_[k].upper) && !is_corporate_suffix(toks_[k].lower)) all_suffix = false;
    if (all_suffix) return;  // "Co", "Inc", "Co Inc"
    if (s.words == 1) {
      const Tok& t = toks_[a];
      if (t.end - t.begin < 2 && !t.upper) return;  // a lone initial or "I"
      if (!t.upper && is_stopword(t.lower)) return;  // "April One" -> "One"
      // A generic word alone: "the Bank", "the Commission", "Trade".
      if (!t.upper && (is_org_word(t.lower) || is_title_modifier(t.lower))) return;
      s.weak = a == weak_tok;
      // A word that only appears lower case elsewhere is not a name.
      if (t.sent_start && lower_seen_.count(t.lower)) return;
    }
    if (all_upper(a, b)) org = true;
    s.kind = org ? SegKind::Org : SegKind::Name;
    // The text as written (inner dots of initials, "&", "'s" included).
    s.text = collapse_whitespace(doc_.text.substr(toks_[a].begin, toks_[b].end - toks_[a].begin));
    const Tok& lt = toks_[b];
    if (lt.abbrev && (lt.end - lt.begin == 1 || lt.lower.find('.') != std::string::npos)) s.text.push_back('.');
    add(std::move(s));
  }

  void segment_from_gazetteer(size_t a, size_t b, const GazEntry& g, bool after_title) {
    if (g.kind == GazKind::Nationality) return;
    Segment s;
    s.first = static_cast<uint32_t>(a);
    s.last = static_cast<uint32_t>(b);
    s.kind = g.kind == GazKind::Org ? SegKind::Org : SegKind::Place;
    s.after_title = after_title;
    s.words = static_cast<uint32_t>(b - a + 1);
    s.text = std::string(g.canonical);
    add(std::move(s));
  }

  void add(Segment s) {
    const auto idx = static_cast<int32_t>(doc_.segs.size());
    for (uint32_t k = s.first; k <= s.last; ++k) doc_.seg_of_tok[k] = idx;
    doc_.segs.push_back(std::move(s));
  }

  Doc& doc_;
  std::vector<Tok>& toks_;
  bool headline_;
  std::vector<uint8_t> skip_, shout_;
  WordSet known_cap_, known_single_, lower_seen_;
};

}  // namespace

void analyze(std::string_view text, Doc& doc, bool headline) {
  doc.text = text;
  doc.segs.clear();
  tokenize(text, doc.toks);
  Analyzer(doc, headline).run();
}

bool is_title_case(std::string_view text) {
  size_t words = 0, caps = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_ascii_alpha(text[i]) && static_cast<unsigned char>(text[i]) < 0x80) ++i;
    size_t b = i;
    while (i < text.size() && (is_ascii_alpha(text[i]) || static_cast<unsigned char>(text[i]) >= 0x80)) ++i;
    if (i - b >= 4) {
      ++words;
      caps += is_ascii_upper(text[b]);
    }
  }
  return words >= 3 && caps * 10 >= words * 7;
}

bool person_like(const Doc& doc, const Segment& seg) {
  if (seg.kind != SegKind::Name) return false;
  // "American Honda", "Swiss Volksbank": names do not start with a nationality.
  if (seg.words >= 2) {
    const std::string& first = doc.toks[seg.first].lower;
    const GazEntry* g = gazetteer_lookup(first, false);
    if (g && g->kind == GazKind::Nationality && first != "christian") return false;
  }
  // "Merrill Lynch" is a company when "Merrill Lynch and Co" appears too.
  if (seg.words >= 2) {
    for (const Segment& o : doc.segs)
      if (o.kind == SegKind::Org && o.text.size() > seg.text.size() && o.text.compare(0, seg.text.size(), seg.text) == 0 &&
          o.text[seg.text.size()] == ' ')
        return false;
  }
  for (uint32_t k = seg.first; k <= seg.last; ++k) {
    const Tok& t = doc.toks[k];
    if (t.upper && seg.words == 1) return false;
    if (seg.words == 1 && (is_stopword(t.lower) || is_unnamed_source(t.lower) || is_month_or_day(t.lower)))
      return false;
  }
  return true;
}

namespace {
// `longer` ends with the words of `shorter` ("Fernando Santos Alvite" / "Santos Alvite").
bool ends_with_name(const std::string& longer, const std::string& shorter) {
  if (longer.size() <= shorter.size() + 1 || longer[longer.size() - shorter.size() - 1] != ' ') return false;
  for (size_t i = 0; i < shorter.size(); ++i)
    if (ascii_lower(longer[longer.size() - shorter.size() + i]) != ascii_lower(shorter[i])) return false;
  return true;
}
}  // namespace

int32_t resolve_surname(const Doc& doc, const Segment& seg) {
  if (seg.kind != SegKind::Name || seg.words > 2) return -1;
  const auto self = static_cast<int32_t>(&seg - doc.segs.data());
  int32_t before = -1, after = -1;
  for (int32_t i = 0; i < static_cast<int32_t>(doc.segs.size()); ++i) {
    const Segment& s = doc.segs[i];
    if (i == self || s.kind != SegKind::Name || s.words <= seg.words || s.weak) continue;
    if (!ends_with_name(s.text, seg.text)) continue;
    if (i < self) {
      before = i;
    } else if (after < 0) {
      after = i;
    }
  }
  if (before >= 0 || after >= 0) return before >= 0 ? before : after;
  // Family name first ("Lin Meiyun" ... "Ms. Lin").
  if (seg.words == 1) {
    const std::string& key = doc.toks[seg.first].lower;
    for (int32_t i = 0; i < static_cast<int32_t>(doc.segs.size()); ++i) {
      const Segment& s = doc.segs[i];
      if (i != self && s.kind == SegKind::Name && s.words == 2 && !s.weak && doc.toks[s.first].lower == key)
        return i;
    }
  }
  return -1;
}

}  // namespace dateline::corpus_detail
