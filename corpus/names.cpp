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


enum WordClass : uint8_t { kName, kTitle, kModifier, kConnector };

// Title words, including hyphenated ones ("President-elect", "Secretary-General").
WordClass title_class(std::string_view lower);

// title_class() of a token, from its word flags when it has no hyphen.
WordClass title_class_tok(const Tok& t) {
  if (t.lower.find('-') != std::string::npos) return title_class(t.lower);
  if (t.flags & kWTitleCore) return kTitle;
  if (t.flags & kWTitleMod) return t.lower == "of" || t.lower == "for" ? kConnector : kModifier;
  return kName;
}

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
  for_each_code_point(
      s,
      [&](uint32_t cp, size_t, size_t) {
        append_utf8(out, static_cast<uint32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
      },
      [](size_t) {});
  return out;
}

// Upper-cases the first letter of each word of a lower-case string.
std::string title_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool word_start = true;
  for_each_code_point(
      s,
      [&](uint32_t cp, size_t, size_t) {
        append_utf8(out, word_start ? static_cast<uint32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(cp))) : cp);
        word_start = cp == ' ' || cp == '-' || cp == '.';
      },
      [](size_t) {});
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
        doc_.lower_words.insert(t);
        continue;
      }
      if (t.sent_start) continue;
      known_cap_.insert(t);
      bool next = cap_word(k + 1) && !toks_[k + 1].sent_start;
      if (!next) known_single_.insert(t);  // alone ("Rutte’s") or last ("Emmanuel Macron")
    }
    known_cap_.seal();
    known_single_.seal();
    doc_.lower_words.seal();
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
      // "Japanese Ministry of International Trade and Industry": a nationality before a fixed
      // name; "The Office of the Comptroller of the Currency": a sentence's "The" before one.
      if (const GazEntry* g = (t.flags & kWGazFirst) ? gazetteer_lookup(t.lower, false) : nullptr;
          (g && g->kind == GazKind::Nationality) || t.lower == "the") {
        if (size_t next = phrase_match(i + 1); next != i + 1) {
          i = next;
          continue;
        }
      }
      size_t e = i, j = i + 1;
      while (j < n && !skip_[j] && !shout_[j]) {
        const Tok& u = toks_[j];
        if (u.kind == TokKind::Punct && u.punct == '/' && toks_[j - 1].end == u.begin && continues_name(j + 1) &&
            u.end == toks_[j + 1].begin) {
          e = j + 1;
          j += 2;
          continue;
        }
        if (u.kind != TokKind::Word || u.sent_start) break;
        if (u.cap || u.upper) {
          e = j++;
          continue;
        }
        // An abbreviated corporate suffix in lower case ends a company's name: "Barclays Bank plc".
        if (lower_corp_suffix(u) && e == j - 1) {
          e = j;
          break;
        }
        if (u.lower == "for" && (title_class_tok(toks_[j - 1]) != kName || (toks_[j - 1].flags & kWOrg)) &&
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
        // "Peat, Marwick, Mitchell and Co": partners' single names, then "and Co".
        if (u.kind == TokKind::Punct && u.punct == ',' && i == e) {
          size_t k = e + 2;
          while (k + 2 < n && continues_name(k) && run_end(k) == k &&
                 toks_[k + 1].kind == TokKind::Punct && toks_[k + 1].punct == ',')
            k += 2;
          if (k + 2 < n && continues_name(k) && run_end(k) == k && toks_[k + 1].kind == TokKind::Word &&
              toks_[k + 1].lower == "and" && toks_[k + 2].cap && (toks_[k + 2].flags & kWCorpSuffix)) {
            e = k + 2;
            break;
          }
        }
        // "Ministry of Water, Sanitation and Irrigation", "Department for Environment, Food and
        // Rural Affairs", "Department of Climate Change, Energy, the Environment and Water": after
        // an organisation word and "of" or "for", a list of short parts, the last (one word or
        // more) joined by "and"; no part a place of the gazetteer, an acronym or a name of its
        // own that an organisation word ends ("Central Bank").
        if (u.kind == TokKind::Punct && u.punct == ',' && org_of_before(i, e)) {
          size_t k = list_part_end(e + 2);
          while (k != SIZE_MAX && k + 2 < n && toks_[k + 1].kind == TokKind::Punct && toks_[k + 1].punct == ',') {
            const size_t next = list_part_end(k + 2);
            if (next == SIZE_MAX) break;
            k = next;
          }
          if (k != SIZE_MAX) {
            size_t a = k + 1;
            if (a + 1 < n && toks_[a].kind == TokKind::Punct && toks_[a].punct == ',') ++a;  // ", and"
            if (a + 1 < n && toks_[a].kind == TokKind::Word && toks_[a].lower == "and") {
              size_t b = a + 1;
              if (b + 1 < n && toks_[b].kind == TokKind::Word && toks_[b].lower == "the") ++b;
              const size_t last = run_end(b);
              if (continues_name(b) && !place_at(b, last) && !(last > b && (toks_[last].flags & kWOrg))) {
                e = last;
                break;
              }
            }
          }
        }
        if (u.kind == TokKind::Punct && u.punct == '&') {
          join = true;
        } else if (u.kind == TokKind::Word && u.lower == "and") {
          // The following name part (before any title): "... and Exchange Commission Chairman X".
          size_t g = e + 2;
          while (g < f && title_class_tok(toks_[g + 1]) != kTitle) ++g;
          // "Department of Housing and Urban Development": an organisation word, "of", then the
          // words joined by "and".
          const bool left_of = org_of_before(i, e);
          // "Harris Trust and Savings Bank", "Securities and Exchange Commission": the second part
          // starts and ends with organisation words. Not "Citibank and Chase Manhattan Bank", not
          // "IMF and World Bank" (a known name first), not "Baker and Federal Reserve Chairman Volcker".
          // "Nigerian Film and Video Censors Board": two words or more on each side, the second
          // part ending with one.
          // Not "GTE Corp and Eastman Kodak Co": a left part that ends like a name is one.
          const bool right_org =
              (org_word_at(e + 2) && org_word_at(g)) || (org_word_at(g) && g > e + 2 && e > i && !org_word_at(e));
          // "Bank of Taiwan and Bank of Communications": the same organisation word starts both.
          const bool left_known = gaz(i, e) != nullptr || (org_word_at(i) && toks_[e + 2].lower == toks_[i].lower);
          // "Treasury Secretary James Baker and Office of Management and Budget chief James Miller":
          // a person before "and", or a fixed name after it, ends the name; not "King Abdullah
          // University of Science and Technology", where an organisation word follows the title.
          bool left_person = false, org_after_title = false;
          for (size_t k = i; k <= e; ++k) {
            if (title_class_tok(toks_[k]) == kTitle) {
              left_person = true;
              org_after_title = false;
            } else if (left_person && org_word_at(k)) {
              org_after_title = true;
            }
          }
          left_person = left_person && !org_after_title;
          const bool right_fixed = phrase_at(e + 2);
          join = !left_known && !left_person && !right_fixed && (left_of || right_org);
        } else if (u.kind == TokKind::Possessive) {
          // "Moody's Investors Service", "North Sea Offshore Workers' Union", not "Norway's Finance Ministry",
          // not "the University of Tartu's Estonian Marine Institute" (an organisation's own, after "'s").
          // (A plural before the apostrophe is the name's own: "Kericho Tea Growers' Association".)
          bool left_org = false;
          if (!toks_[e].lower.ends_with('s'))
            for (size_t k = i; k <= e && !left_org; ++k) left_org = org_word_at(k);
          join = (toks_[f].flags & kWOrg) && !gaz(i, e) && !left_org &&
                 !(i == e && known_single_.count(toks_[i].lower) && !(toks_[i].flags & kWOrg) &&
                   title_class_tok(toks_[f]) == kName && f == e + 2);
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
        // A headline's kicker ("Profile: The woman who ...", "Big Read: ...") is no name.
        if (para == 0 && headline_)
          for (size_t k = p; k < q && k < p + 3 && toks_[k].kind == TokKind::Word; ++k)
            if (k + 1 < q && is_punct(toks_[k + 1], ':')) {
              for (size_t j = p; j <= k; ++j) skip_[j] = 1;
              break;
            }
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

  // Hyphenated adjectives: "Lagos-based", "Abu Dhabi-based", "EC-produced",
  // "Reagan-appointed", "Iran-contra". The word is not a name; a gazetteer
  // place or organisation before the hyphen is an entity. Also "(D-Tenn.)":
  // a party and a U.S. state.
  void mark_based() {
    for (size_t i = 0; i < toks_.size(); ++i) {
      const Tok& t = toks_[i];
      if (t.kind != TokKind::Word || !(t.cap || t.upper)) continue;
      const size_t dash = t.lower.rfind('-');
      if (dash == std::string::npos || dash == 0) continue;
      std::string_view tail = std::string_view(t.lower).substr(dash + 1);
      // "April-June", "Mon-Fri": a span of months or days, no name.
      if (is_month_or_day(std::string_view(t.lower).substr(0, t.lower.find('-'))) && is_month_or_day(tail)) {
        skip_[i] = 1;
        continue;
      }
      std::string_view surface = doc_.text.substr(t.begin, t.end - t.begin);
      if (dash == 1 && (t.lower[0] == 'd' || t.lower[0] == 'r' || t.lower[0] == 'i') && is_ascii_upper(surface[0])) {
        // "D-Tenn.", "R-Kan."; in brackets also without the dot: "(D-Ill)", "(R-Kan)".
        const bool bracketed = i > 0 && i + 1 < toks_.size() && is_punct(toks_[i - 1], '(') && is_punct(toks_[i + 1], ')');
        const GazEntry* g = gazetteer_lookup(std::string(tail) + (t.abbrev || bracketed ? "." : ""), false);
        if (!g) g = gazetteer_lookup(tail, false);
        if (g && g->kind == GazKind::Place) {
          skip_[i] = 1;
          Segment s;
          s.first = s.last = static_cast<uint32_t>(i);
          s.kind = SegKind::Place;
          s.words = 1;
          s.text = std::string(g->canonical);
          add(std::move(s));
        }
        continue;
      }
      // The part after the last hyphen must be a lower-case word of three letters or more.
      const size_t tail_pos = t.begin + dash + 1;
      if (tail.size() < 3 || tail_pos >= t.end || !is_ascii_lower(doc_.text[tail_pos])) continue;
      bool letters = true;
      for (char c : tail) letters = letters && is_ascii_lower(c);
      if (!letters) continue;
      // "-based", "-produced", "-appointed", "-contra"; not "Lin Chung-jung", "Lee Teng-hui".
      const bool participle = (tail.size() > 3 && tail.substr(tail.size() - 2) == "ed") || tail == "born" ||
                              tail == "led" || tail == "run" || tail == "bound" || tail == "made" || tail == "wide" ||
                              tail == "style" || tail == "type" || tail == "like" || tail == "contra" ||
                              tail == "era" || tail == "class" || tail == "linked" || tail == "centric";
      if (!participle) continue;
      skip_[i] = 1;
      std::string prefix = t.lower.substr(0, t.lower.find('-'));
      size_t first = i;
      const GazEntry* g = nullptr;
      if (i > 0 && toks_[i - 1].kind == TokKind::Word && toks_[i - 1].cap && !skip_[i - 1] &&
          (g = gazetteer_lookup(toks_[i - 1].lower + " " + prefix, false)))
        first = i - 1;
      if (!g)
        g = gazetteer_lookup(prefix, is_ascii_upper(surface[0]) && surface.size() > 1 && is_ascii_upper(surface[1]));
      if (g && g->kind != GazKind::Nationality) {
        for (size_t k = first; k <= i; ++k) skip_[k] = 1;
        Segment s;
        s.first = static_cast<uint32_t>(first);
        s.last = static_cast<uint32_t>(i);
        s.kind = g->kind == GazKind::Org ? SegKind::Org : SegKind::Place;
        s.words = static_cast<uint32_t>(i - first + 1);
        s.text = std::string(g->canonical);
        add(std::move(s));
      } else if (!g && first == i && (tail == "based" || tail == "headquartered")) {
        // "Kericho-based": an unknown name before "-based" is a place.
        Segment s;
        s.first = s.last = static_cast<uint32_t>(i);
        s.kind = SegKind::Place;
        s.words = 1;
        s.text = std::string(surface.substr(0, t.lower.find('-')));
        add(std::move(s));
      }
    }
  }

  // Whether tokens [i, q) start a sentence: a capitalised word, then at
  // least three lower-case words and no number among the next six (not a
  // price table's "COPPER STANDARD - Quiet 75 tonnes cash").
  bool prose_at(size_t i, size_t q) const {
    if (i >= q || toks_[i].kind != TokKind::Word || !toks_[i].cap) return false;
    int lower = 0;
    for (size_t j = i + 1; j < q && j <= i + 6; ++j) {
      if (toks_[j].kind == TokKind::Number) return false;
      lower += toks_[j].kind == TokKind::Word && !toks_[j].cap && !toks_[j].upper;
    }
    return lower >= 3;
  }

  // "LOS ANGELES, March 2 -", "KUMAMOTO, Japan, May 30 -", "Calgary, Alberta, June 18 -",
  // "RISHTON, Uzbekistan -".
  void dateline(size_t p, size_t q) {
    size_t k = p;
    while (k < q && k < p + 5 && toks_[k].kind == TokKind::Word && toks_[k].upper) ++k;
    bool title_case_place = false;
    if (k == p) {  // Title Case datelines only with a month or "(Reuters)" before the dash
      while (k < q && k < p + 4 && toks_[k].kind == TokKind::Word && toks_[k].cap) ++k;
      title_case_place = k > p;
    }
    if (k == p || k >= q || toks_[k].kind != TokKind::Punct) return;
    // "HERMANUS — Before dawn": a place in capitals straight before the dash,
    // prose after it (not a table's "LEAD - 1550 tonnes").
    const bool bare = !title_case_place && toks_[k].punct == '-' && !is_not_entity(toks_[p].lower) && prose_at(k + 1, q);
    if (!bare && toks_[k].punct != ',' && toks_[k].punct != '(') return;
    size_t dash = bare ? k : k + 1;
    bool month = false;
    while (dash < q && dash < k + 16 && !(toks_[dash].kind == TokKind::Punct && toks_[dash].punct == '-')) {
      month = month || (toks_[dash].flags & kWMonthDay) || toks_[dash].lower == "reuters";
      ++dash;
    }
    if (dash >= q || dash >= k + 16 || (title_case_place && !month)) return;
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
    // A region or country after the place: "KUMAMOTO, Japan, May 30", "AKRON, Ohio, March 26".
    if (toks_[k].punct != ',') return;
    size_t r = k + 1, re = r;
    while (re < dash && re < r + 3 && toks_[re].kind == TokKind::Word && (toks_[re].cap || toks_[re].upper)) ++re;
    // (The region may run up to the dash: "RISHTON, Uzbekistan -".)
    if (re == r || re > dash || toks_[re].kind != TokKind::Punct) return;
    std::string region = unicode_lower(doc_.text.substr(toks_[r].begin, toks_[re - 1].end - toks_[r].begin));
    const GazEntry* g = gazetteer_lookup(region, all_upper(r, re - 1));
    if (!g && toks_[re - 1].abbrev) g = gazetteer_lookup(region + ".", false);  // "Ind."
    if (!g || g->kind != GazKind::Place) return;
    Segment s2;
    s2.first = static_cast<uint32_t>(r);
    s2.last = static_cast<uint32_t>(re - 1);
    s2.kind = SegKind::Place;
    s2.words = static_cast<uint32_t>(re - r);
    s2.text = std::string(g->canonical);
    add(std::move(s2));
  }

  // Gazetteer names in upper-case text ("U.S. TAX WRITERS SEEK ...").
  size_t shouting_match(size_t i) {
    const size_t n = toks_.size();
    if (!(toks_[i].flags & kWGazFirst)) return i + 1;
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
      s.shout = true;
      add(std::move(s));
      return i + k;
    }
    return i + 1;
  }

  bool known(std::string_view lower) const { return known_cap_.count(lower) > 0; }

  // Token k is an organisation word, or a hyphenated word ending in one ("Bank-Houston").
  bool org_word_at(size_t k) const {
    const std::string& w = toks_[k].lower;
    if (is_org_word(w)) return true;
    size_t dash = w.find('-');
    return dash != std::string::npos && (is_org_word(std::string_view(w).substr(0, dash)));
  }

  // An organisation word then "of" or "for" among tokens (i, e): "Department of Housing",
  // "Agency for Development".
  bool org_of_before(size_t i, size_t e) const {
    for (size_t k = i + 1; k < e; ++k)
      if ((toks_[k].lower == "of" || toks_[k].lower == "for") && (toks_[k - 1].flags & kWOrg)) return true;
    return false;
  }

  // A short part of a list inside an organisation's name, from token k ("the" first or not):
  // one to three capitalised words, not a place of the gazetteer, not a name of its own that
  // an organisation word ends ("Central Bank"). Its last token, or SIZE_MAX.
  size_t list_part_end(size_t k) const {
    if (k + 1 < toks_.size() && toks_[k].kind == TokKind::Word && toks_[k].lower == "the") ++k;
    if (!continues_name(k)) return SIZE_MAX;
    size_t e = k;
    while (e - k < 2 && continues_name(e + 1)) ++e;
    if (continues_name(e + 1) || place_at(k, e) || (e > k && (toks_[e].flags & kWOrg)) || (e == k && toks_[k].upper))
      return SIZE_MAX;
    return e;
  }

  // An abbreviated corporate suffix written in lower case: "plc", "ltd", "gmbh" (not "group").
  static bool lower_corp_suffix(const Tok& t) {
    const size_t len = t.end - t.begin;
    return t.kind == TokKind::Word && !t.cap && !t.upper && (t.flags & kWCorpSuffix) && len >= 3 && len <= 4;
  }

  // Token k is a capitalised word that may continue a name.
  bool continues_name(size_t k) const {
    return k < toks_.size() && toks_[k].kind == TokKind::Word && (toks_[k].cap || toks_[k].upper) &&
           !toks_[k].sent_start && !skip_[k] && !shout_[k];
  }

  // One or two lower-case name connectors at k followed by a capitalised word:
  // returns the number of connectors (0 if none).
  size_t connectors_at(size_t k) const {
    // "Chase Manhattan Asia Ltd of Hong Kong": a company's name ends with its registered
    // suffix (not "Aluminum Co of America").
    if (k >= 1 && k < toks_.size() && toks_[k].lower == "of" && is_registered_suffix(toks_[k - 1].lower)) return 0;
    // "Museum of the Vistula Trade", "Organization of the Islamic Conference".
    if (k >= 1 && k + 2 < toks_.size() && toks_[k].lower == "of" && toks_[k + 1].lower == "the" &&
        (toks_[k - 1].flags & kWOrg) && continues_name(k + 2))
      return 2;
    size_t c = 0;
    while (c < 2 && k + c < toks_.size() && toks_[k + c].kind == TokKind::Word && !toks_[k + c].cap &&
           (toks_[k + c].flags & kWConnector))
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

  // A fixed name with lower-case words starts at i.
  bool phrase_at(size_t i) const {
    if (i >= toks_.size() || !(toks_[i].flags & kWPhraseFirst)) return false;
    for (const Phrase& ph : gazetteer_phrases()) {
      if (i + ph.words.size() > toks_.size()) continue;
      bool ok = true;
      for (size_t k = 0; k < ph.words.size() && ok; ++k)
        ok = toks_[i + k].kind == TokKind::Word && toks_[i + k].lower == ph.words[k];
      if (ok) return true;
    }
    return false;
  }

  // Fixed names with lower-case words ("General Agreement on Tariffs and Trade").
  size_t phrase_match(size_t i) {
    if (i >= toks_.size() || !(toks_[i].flags & kWPhraseFirst)) return i;
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

  // The text of tokens [a, b] as written, whitespace collapsed.
  std::string display_text(size_t a, size_t b) const {
    std::string_view raw = doc_.text.substr(toks_[a].begin, toks_[b].end - toks_[a].begin);
    bool plain = true;
    for (size_t k = 0; k < raw.size() && plain; ++k) {
      const auto c = static_cast<unsigned char>(raw[k]);
      plain = c >= 0x20 && c < 0x80 && !(c == ' ' && k + 1 < raw.size() && raw[k + 1] == ' ');
    }
    return plain ? std::string(raw) : collapse_whitespace(raw);
  }

  // The gazetteer entry spelt by tokens [a, b], if any (a quick no when the
  // first word starts no entry).
  const GazEntry* gaz(size_t a, size_t b) const {
    if (!(toks_[a].flags & kWGazFirst)) return nullptr;
    return gazetteer_lookup(key_of(a, b), all_upper(a, b));
  }

  // Tokens [a, b] spell a place of the gazetteer.
  bool place_at(size_t a, size_t b) const {
    const GazEntry* g = gaz(a, b);
    return g && g->kind == GazKind::Place;
  }

  std::string key_of(size_t a, size_t b) const {
    std::string key;
    for (size_t m = a; m <= b; ++m) {
      if (m > a) key.push_back(' ');
      key += toks_[m].lower;
    }
    return key;
  }

  // The first letters of the capitalised words in [a, b], lower case ("saudi press agency" -> "spa").
  std::string initials(size_t a, size_t b) const {
    std::string out;
    for (size_t k = a; k <= b; ++k)
      if (toks_[k].kind == TokKind::Word && (toks_[k].cap || toks_[k].upper)) out.push_back(toks_[k].lower[0]);
    return out;
  }

  // A sentence-initial past participle and a preposition: "Trained as a chemist, she ...",
  // "Asked by reporters, ..." (not a first name: "Ahmed in Cairo").
  bool participle_phrase(size_t k) const {
    const std::string& w = toks_[k].lower;
    if (w.size() < 5 || w.compare(w.size() - 2, 2, "ed") != 0 || is_first_name(w) || k + 1 >= toks_.size()) return false;
    const Tok& n = toks_[k + 1];
    return n.kind == TokKind::Word && !n.cap && !n.upper &&
           (n.lower == "as" || n.lower == "by" || n.lower == "in" || n.lower == "on" || n.lower == "at" ||
            n.lower == "with" || n.lower == "from" || n.lower == "for" || n.lower == "to" || n.lower == "into");
  }

  // A one-letter initial with its dot: "A." in "A. William Reynolds".
  bool is_initial(size_t k) const {
    const Tok& t = toks_[k];
    return t.kind == TokKind::Word && t.abbrev && t.cap && t.end - t.begin == 1;
  }

  static bool is_day_name(std::string_view w) {
    return w == "monday" || w == "tuesday" || w == "wednesday" || w == "thursday" || w == "friday" ||
           w == "saturday" || w == "sunday";
  }

  bool all_upper(size_t a, size_t b) const {
    for (size_t m = a; m <= b; ++m)
      if (!toks_[m].upper && !(toks_[m].abbrev && toks_[m].cap)) return false;
    return true;
  }

  // One maximal capitalised sequence [s, e].
  void sequence(size_t s, size_t e) {
    // "Belgian Willy de Clercq": a nationality before a first name is not part of the name.
    if (s + 1 < e && toks_[s + 1].cap && is_first_name(toks_[s + 1].lower) && (toks_[s].flags & kWGazFirst) &&
        std::none_of(toks_.begin() + static_cast<std::ptrdiff_t>(s + 1), toks_.begin() + static_cast<std::ptrdiff_t>(e + 1),
                     [](const Tok& t) { return (t.flags & kWOrg) != 0; })) {
      const GazEntry* g = gazetteer_lookup(toks_[s].lower, false);
      if (g && g->kind == GazKind::Nationality) ++s;
    }
    const Tok& w0 = toks_[s];
    size_t weak_tok = static_cast<size_t>(-1);  // an unknown sentence-initial word, if kept
    if (w0.sent_start && !w0.upper) {
      const GazEntry* whole = gaz(s, e);
      WordClass c0 = title_class_tok(w0);
      // "First Boston Corp", "Security Pacific Corp": a company name keeps its first word.
      // Not "Executives of First Boston Inc": people of a company.
      // "Bank Al-Maghrib said": an organisation word (not "Company") before a name keeps its place too.
      bool company = s < e && ((toks_[e].flags & kWOrg) || ((w0.flags & kWOrg) && !(w0.flags & kWCorpSuffix))) &&
                     !(w0.flags & kWFunction) &&
                     !((w0.flags & kWUnnamed) && toks_[s + 1].lower == "of");
      // A single word counts as known when it stands alone or ends a name elsewhere.
      bool known_w0 = s == e ? known_single_.count(w0.lower) > 0 : known(w0.lower);
      if (!whole && c0 == kName && !((w0.flags & kWGazFirst) && gazetteer_lookup(w0.lower, false)) && !known_w0 &&
          !company && !is_initial(s)) {
        bool common = (w0.flags & kWStop) || doc_.lower_words.count(w0.lower) > 0 ||
                      (w0.lower.size() > 5 && w0.lower.compare(w0.lower.size() - 3, 3, "ing") == 0) ||
                      participle_phrase(s);
        if (common) {
          ++s;
          while (s <= e && toks_[s].kind != TokKind::Word) ++s;
          while (s <= e && toks_[s].kind == TokKind::Word && !toks_[s].cap && !toks_[s].upper) ++s;  // connector
          if (s > e) return;
        } else {
          weak_tok = s;
        }
      } else if (!whole && !company && (w0.flags & kWStop) && !is_initial(s)) {
        if (++s > e) return;
      }
    }

    // "In February Faye Wilson said": a month or weekday after a preposition of time is a date.
    if (s < e && s > 0 && (toks_[s].flags & kWMonthDay) && toks_[s - 1].kind == TokKind::Word &&
        is_time_preposition(toks_[s - 1].lower))
      ++s;

    // Title runs split the sequence into stretches.
    size_t a = s;
    bool after_title = false;
    size_t m = s;
    while (m <= e) {
      WordClass c = title_class_tok(toks_[m]);
      if (c != kTitle && c != kModifier) {
        ++m;
        continue;
      }
      // The run of title words starting at m (modifiers, cores, "of" between).
      size_t r = m, last = m;
      bool core = false;
      while (r <= e) {
        WordClass cr = title_class_tok(toks_[r]);
        if (cr == kName && r > m && r + 1 <= e && title_class_tok(toks_[r + 1]) != kName) {
          // "Deputy U.S. Trade Representative": a country inside a title.
          const GazEntry* g = gaz(r, r);
          if (g && g->country) cr = kModifier;
        }
        if (cr == kTitle) {
          core = true;
        } else if (cr == kConnector) {
          if (r + 1 > e) break;
          WordClass nx = title_class_tok(toks_[r + 1]);
          if (nx != kTitle && nx != kModifier) break;
        } else if (cr != kModifier) {
          break;
        }
        last = r++;
      }
      bool title = core;
      // "Senate Minority leader Robert Dole": modifiers that end the sequence after a body
      // the gazetteer knows, before a title word in lower case, are the start of that title
      // (not "Treasury secretary", "Department of Agriculture analyst").
      if (!title && last == e && m > a && e + 1 < toks_.size() && toks_[e + 1].kind == TokKind::Word &&
          !toks_[e + 1].cap && !toks_[e + 1].upper && (toks_[e + 1].flags & kWTitleCore)) {
        const GazEntry* body = gaz(a, m - 1);
        title = body && body->kind == GazKind::Org;
      }
      // "Suroor bin Sultan al-Dhahiri": after a name particle, a title word is a name.
      if (title && m > s && toks_[m - 1].kind == TokKind::Word && !toks_[m - 1].cap &&
          (toks_[m - 1].flags & kWConnector) && toks_[m - 1].lower != "of")
        title = false;
      // "Justice Department", "Executive Committee": the words are part of an organisation name.
      if (title && last + 1 <= e && (toks_[last + 1].flags & kWOrg)) title = false;
      // "Burger King": one ambiguous title word ending the sequence after a name.
      if (title && last == e && m == last && m > a && ambiguous_trailing_title(toks_[m].lower)) title = false;
      // Modifiers are names when no core word follows ("General Motors", "State Street").
      if (!title) {
        m = last + 1;
        continue;
      }
      if (m > a) stretch(a, m - 1, after_title, weak_tok);
      for (size_t k = m + 1; k < last; ++k)
        if (title_class_tok(toks_[k]) == kName)
          if (const GazEntry* g = gaz(k, k); g && g->country)
            segment_from_gazetteer(k, k, *g, false);
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
      if (lower_corp_suffix(t)) return false;  // "Bank plc"
      return (!t.cap && !t.upper) || (t.flags & kWMonthDay);
    };
    // Day names never start a name ("Wednesday Dixon said"); months may ("April Ryan").
    // (Not months at the start: "Jan Novak", "April Ryan".)
    auto trimmable = [&](size_t k) {
      const Tok& t = toks_[k];
      if (is_initial(k)) return false;  // "A. William Reynolds"
      return (!t.cap && !t.upper) || ((t.flags & kWFunction) && !t.upper) ||
             ((t.flags & kWMonthDay) && (k == b || !toks_[k + 1].cap || is_day_name(t.lower)));
    };
    if (const GazEntry* g = gaz(a, b)) {
      // "Treasury bonds", "Treasury bill rates": a security, not the department.
      if (a == b && toks_[a].lower == "treasury" && b + 1 < toks_.size() && !toks_[b + 1].cap &&
          (toks_[b + 1].lower.rfind("bond", 0) == 0 || toks_[b + 1].lower.rfind("bill", 0) == 0 ||
           toks_[b + 1].lower.rfind("note", 0) == 0 || toks_[b + 1].lower == "securities" ||
           toks_[b + 1].lower == "yields" || toks_[b + 1].lower == "issues" || toks_[b + 1].lower == "futures"))
        return;
      segment_from_gazetteer(a, b, *g, after_title);
      return;
    }
    while (a <= b && trimmable(a)) ++a;
    while (b >= a && b > 0 && trimmable_end(b)) --b;
    while (b > a && toks_[b].upper && is_post_nominal(toks_[b].lower)) --b;  // "Eleanor Whitcombe KC"
    if (a > b || b == static_cast<size_t>(-1)) return;
    if (const GazEntry* g = gaz(a, b)) {
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
      // "Turkish-Iraqi", "Franco-German": adjectives, not names.
      bool all_nationality = true;
      pos = 0;
      while (pos <= w.size() && all_nationality) {
        size_t dash = w.find('-', pos);
        if (dash == std::string_view::npos) dash = w.size();
        const GazEntry* g = gazetteer_lookup(w.substr(pos, dash - pos), false);
        all_nationality = g && g->kind == GazKind::Nationality;
        pos = dash + 1;
      }
      if (all_nationality) return;
    }
    if (a < b && toks_[a].lower.find('-') != std::string::npos) {
      // "EU-African Union": a name, a hyphen, and a name that continues.
      const std::string& w = toks_[a].lower;
      const size_t dash = w.find('-');
      const GazEntry* left = gazetteer_lookup(std::string_view(w).substr(0, dash), toks_[a].upper || toks_[a].cap);
      std::string right_key = w.substr(dash + 1);
      for (size_t k = a + 1; k <= b; ++k) right_key += " " + toks_[k].lower;
      const GazEntry* right = gazetteer_lookup(right_key, false);
      if (left && right && left->kind != GazKind::Nationality && right->kind != GazKind::Nationality) {
        segment_from_gazetteer(a, a, *left, after_title);
        segment_from_gazetteer(a, b, *right, false);
        return;
      }
    }
    // "Northern Iraq", "southern Japan": a direction before a known place is the place.
    if (a < b && (toks_[a].flags & kWDirection)) {
      if (const GazEntry* g = gaz(a + 1, b); g && g->kind == GazKind::Place) {
        segment_from_gazetteer(a, b, *g, after_title);
        return;
      }
    }
    // "Canada Paris accord": names that are each a known place.
    if (a < b && b - a <= 3) {
      bool all_places = true;
      for (size_t k = a; k <= b && all_places; ++k) {
        const GazEntry* g = gaz(k, k);
        all_places = g && g->kind == GazKind::Place && !(k == a && is_place_first_name(toks_[k].lower));
      }
      if (all_places) {
        for (size_t k = a; k <= b; ++k)
          segment_from_gazetteer(k, k, *gazetteer_lookup(toks_[k].lower, all_upper(k, k)), false);
        return;
      }
    }
    if (a == b && toks_[a].abbrev) {  // "Ill." -> Illinois
      if (const GazEntry* g = gazetteer_lookup(toks_[a].lower + ".", false)) {
        segment_from_gazetteer(a, b, *g, after_title);
        return;
      }
    }
    // "July One", "Effective June One": a date written out ends no name.
    for (size_t m = a; m < b; ++m) {
      if (!(toks_[m].flags & kWMonthDay)) continue;
      bool number_words = true;
      for (size_t k = m + 1; k <= b && number_words; ++k) number_words = is_number_word(toks_[k].lower);
      if (!number_words) continue;
      if (m == a) return;
      b = m - 1;
      break;
    }
    // "96 KM", "100 CWT": a unit after a number.
    if (a == b && toks_[a].upper && a > 0 && toks_[a - 1].kind == TokKind::Number) return;
    // "Saudi Press Agency SPA", "Kuwait News Agency KUNA": a name followed by its own acronym
    // (its initials, or three letters or more holding them in order).
    if (b > a + 1 && toks_[b].upper && !toks_[b - 1].upper && acronym_of(toks_[b].lower, initials(a, b - 1))) {
      stretch(a, b - 1, after_title, weak_tok);
      Segment acr;
      acr.first = acr.last = static_cast<uint32_t>(b);
      acr.kind = SegKind::Org;
      acr.words = 1;
      acr.text = std::string(doc_.text.substr(toks_[b].begin, toks_[b].end - toks_[b].begin));
      add(std::move(acr));
      return;
    }
    // "Sarah Nguyen-Bell of Murray River Council": a first name and a surname,
    // "of", then an organisation.
    if (b > a + 3 && is_first_name(toks_[a].lower) && toks_[a].cap && !org_word_at(a + 1) &&
        toks_[a + 2].lower == "of" && toks_[a + 2].kind == TokKind::Word && !toks_[a + 2].cap && org_word_at(b)) {
      stretch(a, a + 1, after_title, weak_tok);
      stretch(a + 3, b, false, weak_tok);
      return;
    }
    bool has_org_word = false;
    for (size_t k = a; k <= b; ++k) has_org_word = has_org_word || org_word_at(k);
    // "Robert Dole of Kansas": a person, then a place (not "Bay of Gdansk", "Treaty of Rome");
    // "Maria Lopez of Goldman Sachs": a person of two words or more, then a known organisation.
    if (!has_org_word && !is_place_head_of(toks_[a].lower)) {
      for (size_t k = a + 1; k + 1 <= b; ++k) {
        if (toks_[k].lower != "of") continue;
        const GazEntry* g = gaz(k + 1, b);
        if (g && (g->kind == GazKind::Place || (g->kind == GazKind::Org && k >= a + 2))) {
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
      const GazEntry* g = gaz(a, k);
      if (!g || g->kind != GazKind::Place) continue;
      if (k == a && is_place_first_name(toks_[a].lower)) break;  // "Jordan Peterson", "Chad Smith"
      bool generic_rest = k + 1 == b && (doc_.lower_words.count(toks_[b].lower) > 0 ||
                                         (toks_[b].flags & (kWNotEntity | kWStop)));
      if (generic_rest) {  // "the U.S. Currency", "U.S. Dlr"
        segment_from_gazetteer(a, b, *g, after_title);
        return;
      }
      // "U.S. Federal Reserve": a place, then a known organisation.
      if (const GazEntry* rest = gaz(k + 1, b);
          rest && rest->kind == GazKind::Org) {
        if (g->country) segment_from_gazetteer(a, k, *g, after_title);
        segment_from_gazetteer(k + 1, b, *rest, false);
        return;
      }
      // "the Caribbean Rainer Steckhan": a place, then a name of two words or more
      // that is not an organisation's.
      if (!has_org_word && b >= k + 2 && !all_upper(k + 1, b) && toks_[k + 1].cap && toks_[b].cap &&
          title_class_tok(toks_[k + 1]) == kName) {
        segment_from_gazetteer(a, k, *g, false);
        stretch(k + 1, b, after_title, weak_tok);
        return;
      }
      // Only a country before another name is a mention of it ("U.S. Treasury"); a
      // city or region is part of the name ("Texas Instruments", "Beirut Institute"), and
      // so is a country in a company's registered name ("U.S. Shoe Corp").
      if (g->country && !is_sea_or_region(g->canonical) && !(toks_[b].flags & kWCorpSuffix))
        s.place = std::string(g->canonical);
      break;
    }
    bool org = false, all_not_entity = true;
    for (size_t k = a; k <= b; ++k) {
      const Tok& t = toks_[k];
      if (!t.cap && !t.upper) continue;  // connector
      ++s.words;
      if ((t.flags & kWOrg)) org = true;
      if (!(t.flags & kWNotEntity) && t.end - t.begin > 1) all_not_entity = false;
    }
    if (all_not_entity) return;
    bool all_suffix = true;
    for (size_t k = a; k <= b; ++k)
      if ((toks_[k].cap || toks_[k].upper) && !(toks_[k].flags & kWCorpSuffix)) all_suffix = false;
    if (all_suffix) return;  // "Co", "Inc", "Co Inc"
    if (s.words == 1) {
      const Tok& t = toks_[a];
      if (t.end - t.begin < 2 && !t.upper) return;  // a lone initial or "I"
      // "Ba-2", "Prime-3", "HFCS-55": codes, not names.
      if (std::any_of(t.lower.begin(), t.lower.end(), [](char c) { return is_ascii_digit(c); })) return;
      if (!t.upper && (t.flags & kWStop)) return;  // "April One" -> "One"
      // A generic word alone: "the Bank", "the Commission", "Trade", "Treaty".
      if (!t.upper && ((t.flags & kWOrg) || (t.flags & kWTitleMod) || (t.flags & kWEvent))) return;
      s.weak = a == weak_tok;
      // A word that only appears lower case elsewhere is not a name.
      if (t.sent_start && doc_.lower_words.count(t.lower)) return;
    }
    // An unknown acronym is typed by the evidence around it ("BBB grading", "CBOE said").
    if (all_upper(a, b) && s.words > 1) {
      // "FULL TIME: ...", "PENALTY MISSED: ...": a heading in capitals before a colon.
      if (b + 1 < toks_.size() && toks_[b + 1].kind == TokKind::Punct && toks_[b + 1].punct == ':') return;
      org = true;
    }
    // "International Tin Agreement", "Atlantic Cup": an event or a document.
    if (s.words > 1 && (toks_[b].flags & kWEvent)) org = false;
    s.kind = org ? SegKind::Org : SegKind::Name;
    // The text as written (inner dots of initials, "&", "'s" included).
    s.text = display_text(a, b);
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
  // Sets of words by 64-bit hash (open addressing; a false positive needs a
  // full 64-bit collision).
  WordBag known_cap_, known_single_;
};

}  // namespace

namespace {

std::string last_word_lower(std::string_view text) {
  const size_t space = text.rfind(' ');
  return ascii_lower(space == std::string_view::npos ? text : text.substr(space + 1));
}

void index_names(Doc& doc) {
  NameIndex& x = doc.names;
  x = NameIndex{};
  for (int32_t i = 0; i < static_cast<int32_t>(doc.segs.size()); ++i) {
    const Segment& s = doc.segs[i];
    if (s.kind == SegKind::Org) {
      for (size_t sp = s.text.find(' '); sp != std::string::npos; sp = s.text.find(' ', sp + 1))
        x.org_prefixes.insert(s.text.substr(0, sp));
      continue;
    }
    if (s.kind != SegKind::Name) continue;
    if (s.last > s.first) {  // a surname resolves to a name of more tokens
      std::vector<int32_t>& by_last = x.by_last_word[last_word_lower(s.text)];
      by_last.push_back(i);
      if (const size_t of = s.text.find(" of "); of != std::string::npos) {
        std::vector<int32_t>& by_head = x.by_last_word[last_word_lower(std::string_view(s.text).substr(0, of))];
        if (by_head.empty() || by_head.back() != i) by_head.push_back(i);
      }
    }
    x.by_first_word[doc.toks[s.first].lower].push_back(i);
    // Inner words of long names; of three words, the second ("Villanueva" of "Alejandro
    // Villanueva de la Torre", "Huaman" of "Teodoro Huaman Ccori": a first surname).
    if (s.words >= 3)
      for (uint32_t k = s.first + 1; k < s.last && (s.words >= 4 || k == s.first + 1); ++k)
        if (doc.toks[k].cap) {
          std::vector<int32_t>& v = x.by_inner_word[doc.toks[k].lower];
          if (v.empty() || v.back() != i) v.push_back(i);
        }
  }
}

}  // namespace

void analyze(std::string_view text, Doc& doc, bool headline) {
  doc.text = text;
  doc.segs.clear();
  tokenize(text, doc.toks);
  Analyzer(doc, headline).run();
  index_names(doc);
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

// "Seagram fell 2-1/8 to 100-3/8": a share price moves right after the name.
bool share_price_moves(const Doc& doc, const Segment& seg) {
  const std::vector<Tok>& toks = doc.toks;
  const size_t verb = seg.last + 1, figure = verb + 1;
  if (figure >= toks.size() || toks[verb].kind != TokKind::Word || toks[verb].cap || toks[verb].upper ||
      !is_stock_move(toks[verb].lower) || toks[figure].kind != TokKind::Number)
    return false;
  // Not a word the text also writes in lower case ("Wheat rose 1/4": a commodity).
  if (seg.first == seg.last && doc.lower_words.count(toks[seg.first].lower) > 0) return false;
  // A price's change in fractions ("2-1/8", "1/8"), or one figure "to" another ("0.50 to
  // 35.75"): not "Imports rose 5.2 pct", "Wheat rose five cents".
  const size_t after = toks[figure].end;
  if (doc.text.substr(toks[figure].begin, after - toks[figure].begin).find('/') != std::string_view::npos ||
      (after < doc.text.size() && doc.text[after] == '/'))
    return true;
  return figure + 2 < toks.size() && toks[figure + 1].kind == TokKind::Word && toks[figure + 1].lower == "to" &&
         toks[figure + 2].kind == TokKind::Number;
}

// The name is set off by an apposition that makes it an organisation:
// "Ibama, the federal environment agency, said", "Hydrasel, the French
// company that built ...", "De Beers, which mines ..."; not "X, the bank's
// deputy governor".
bool org_apposition(const Doc& doc, const Segment& seg) {
  const std::vector<Tok>& toks = doc.toks;
  // After a short parenthesis too: "Electricidade de Mocambique (EDM), the state power company,".
  size_t end = seg.last;
  if (end + 1 < toks.size() && toks[end + 1].kind == TokKind::Punct && toks[end + 1].punct == '(')
    for (size_t k = end + 2; k < toks.size() && k <= end + 6; ++k)
      if (toks[k].kind == TokKind::Punct && toks[k].punct == ')') {
        // An acronym in it names an organisation: "Developpement des Entreprises (IPECODE)".
        if (k == end + 3 && toks[end + 2].kind == TokKind::Word && toks[end + 2].upper &&
            toks[end + 2].end - toks[end + 2].begin >= 2)
          return true;
        end = k;
        break;
      }
  if (end + 2 >= toks.size() || !(toks[end + 1].kind == TokKind::Punct && toks[end + 1].punct == ','))
    return false;
  size_t from = end + 2;
  const Tok& first = toks[from];
  if (first.kind == TokKind::Word && first.lower == "which" && !first.cap) return true;
  // "one of the three operators in the harbour,": the head in the plural.
  const bool one_of = first.kind == TokKind::Word && first.lower == "one" && from + 2 < toks.size() &&
                      toks[from + 1].lower == "of" && toks[from + 2].lower == "the";
  if (one_of) from += 2;
  const Tok& det = toks[from];
  if (!(det.kind == TokKind::Word && (det.lower == "the" || det.lower == "a" || det.lower == "an"))) return false;
  // The head: the last word of the noun phrase ("the federal environment agency,", "the French
  // company that ...", "the Swedish finance minister,", "the bank's deputy governor,", "a
  // Casablanca-based exporter").
  size_t head = SIZE_MAX;
  for (size_t k = from + 1; k < toks.size() && k <= from + 6; ++k) {
    const Tok& t = toks[k];
    if (t.kind == TokKind::Possessive) {
      head = SIZE_MAX;
      continue;
    }
    if (t.kind != TokKind::Word || t.in_quote) break;
    if (!t.cap && !t.upper &&
        (t.lower == "that" || t.lower == "which" || t.lower == "who" || t.lower == "of" || t.lower == "in" ||
         t.lower == "at" || t.lower == "with" || t.lower == "for" || t.lower == "based" || t.lower == "and"))
      break;
    if (!t.cap && !t.upper) head = k;
  }
  if (head == SIZE_MAX) return false;
  std::string_view noun = toks[head].lower;
  if (one_of && noun.size() > 3 && noun.back() == 's') noun.remove_suffix(1);
  return is_speaking_org_noun(noun) || (is_org_word(noun) && !is_org_adjective(noun)) || is_org_cue_before(noun);
}

bool person_like(const Doc& doc, const Segment& seg) {
  if (seg.kind != SegKind::Name) return false;
  // "House Democrats", "Congressional Republicans": a group.
  if (is_source_group(doc.toks[seg.last].lower)) return false;
  // "American Honda", "Swiss Volksbank": names do not start with a nationality.
  if (seg.words >= 2) {
    const std::string& first = doc.toks[seg.first].lower;
    const GazEntry* g = gazetteer_lookup(first, false);
    if (g && g->kind == GazKind::Nationality && first != "christian") return false;
  }
  // "Merrill Lynch" is a company when "Merrill Lynch and Co" appears too.
  if (seg.words >= 2 && doc.names.org_prefixes.count(seg.text)) return false;
  for (uint32_t k = seg.first; k <= seg.last; ++k) {
    const Tok& t = doc.toks[k];
    if (t.upper && seg.words == 1) return false;
    if (seg.words == 1 && ((t.flags & kWStop) || is_unnamed_source(t.lower) || (t.flags & kWMonthDay)))
      return false;
  }
  return true;
}

namespace {
// `longer` ends with the words of `shorter` ("Fernando Santos Alvite" / "Santos Alvite").
bool ends_with_name(std::string_view longer, std::string_view shorter) {
  if (longer.size() <= shorter.size() + 1 || longer[longer.size() - shorter.size() - 1] != ' ') return false;
  for (size_t i = 0; i < shorter.size(); ++i)
    if (ascii_lower(longer[longer.size() - shorter.size() + i]) != ascii_lower(shorter[i])) return false;
  return true;
}
}  // namespace

namespace {
// A name of three words whose last two are short and never written in lower
// case in the text: a family name and two given names ("Lim Chee Keong",
// "Khoo Teck Puat", "Mobutu Sese Seko"), not "Toyota Motor Sales", "Rank Film
// Distributors".
bool given_names(const Doc& doc, const Segment& s) {
  if (s.words != 3 || s.last != s.first + 2) return false;
  for (const Tok* t : {&doc.toks[s.first + 1], &doc.toks[s.last]})
    if (t->end - t->begin > 5 || doc.lower_words.count(*t)) return false;
  return true;
}
}  // namespace

int32_t resolve_surname(const Doc& doc, const Segment& seg) {
  if (seg.kind != SegKind::Name || seg.words > 2) return -1;
  const auto self = static_cast<int32_t>(&seg - doc.segs.data());
  static const std::vector<int32_t> kNone;
  auto lookup = [](const auto& map, const std::string& key) -> const std::vector<int32_t>& {
    const auto it = map.find(key);
    return it == map.end() ? kNone : it->second;
  };
  // The first longer name before it that ends with it, else the first after it.
  auto fits = [&](int32_t i) {
    const Segment& s = doc.segs[i];
    // Longer in tokens: "Joris van Damme" for "Van Damme" (particles are not counted in `words`).
    if (i == self || s.kind != SegKind::Name || s.last - s.first <= seg.last - seg.first || s.weak) return false;
    // "Thom Brown of Butcher and Singer" ... "Brown".
    if (ends_with_name(s.text, seg.text)) return true;
    const size_t of = s.text.find(" of ");
    return of != std::string::npos && ends_with_name(std::string_view(s.text).substr(0, of), seg.text);
  };
  const std::vector<int32_t>& cands = lookup(doc.names.by_last_word, last_word_lower(seg.text));
  const auto at = std::lower_bound(cands.begin(), cands.end(), self);
  // Of several people of one family name before it, the first named: the article's subject
  // ("Nestan Kiknadze ... her father, Zurab Kiknadze ... Kiknadze said"), as a writer who names
  // a relative names them in full.
  // (A two-word name found may go on elsewhere: "Radić" -> "Tomás Radić" -> "Tomás Radić Oyarzún".)
  auto fuller = [&](int32_t i) {
    const int32_t f = doc.segs[i].words == 2 ? resolve_surname(doc, doc.segs[i]) : -1;
    return f >= 0 ? f : i;
  };
  for (auto it = cands.begin(); it != at; ++it)
    if (fits(*it)) return fuller(*it);
  for (auto it = at; it != cands.end(); ++it)
    if (fits(*it)) return fuller(*it);
  // Given names before a patronymic ("Nurul Aina binti Kamarudin" ... "Dr
  // Nurul Aina"): a longer name that goes on after them with a lower-case
  // particle.
  // A second family name after a first name and a family name ("Tomás Radić" ... "Tomás
  // Radić Oyarzún"): the one three-word name that goes on after them.
  if (seg.words == 2) {
    const std::string& first_word = doc.toks[seg.first].lower;
    const bool given = is_first_name(first_word) || is_first_name(fold_key(first_word));
    int32_t maternal = -1;
    bool several = false;
    for (const int32_t i : lookup(doc.names.by_first_word, doc.toks[seg.first].lower)) {
      const Segment& s = doc.segs[i];
      const uint32_t next = s.first + (seg.last - seg.first) + 1;
      if (i == self || s.kind != SegKind::Name || s.weak || next > s.last || !s.text.starts_with(seg.text)) continue;
      const Tok& particle = doc.toks[next];
      if (next < s.last && particle.kind == TokKind::Word && !particle.cap && !particle.upper) return i;
      if (!given || next != s.last || s.words != 3 || !particle.cap || !person_like(doc, s)) continue;
      if (maternal < 0) maternal = i;
      else several = several || doc.segs[maternal].text != s.text;
    }
    if (maternal >= 0 && !several) return maternal;
  }
  // Family name first ("Lin Meiyun" ... "Ms. Lin"), or a first name after a
  // title ("Sheikh Ali al-Khalifa al-Sabah" ... "Sheikh Ali").
  if (seg.words == 1) {
    const std::string& key = doc.toks[seg.first].lower;
    for (const int32_t i : lookup(doc.names.by_first_word, key)) {
      const Segment& s = doc.segs[i];
      if (i != self && s.kind == SegKind::Name && (s.words == 2 || (seg.after_title && s.words > 2) || given_names(doc, s)) &&
          !s.weak)
        return i;
    }
    // A name from inside a long one ("Luiz Inacio Lula da Silva" ... "Lula").
    for (const int32_t i : lookup(doc.names.by_inner_word, key)) {
      const Segment& s = doc.segs[i];
      if (i != self && s.kind == SegKind::Name && s.words >= 3 && !s.weak) return i;
    }
  }
  return -1;
}

}  // namespace dateline::corpus_detail
