// Scoring extracted speakers and typed entities against gold annotations.
#include "corpus/extract_eval.h"

#include <simdjson.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "corpus/extract.h"
#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline {

using namespace corpus_detail;

const char* eval_field_name(EvalField f) {
  switch (f) {
    case EvalField::Speakers: return "speakers";
    case EvalField::People: return "people";
    case EvalField::Organizations: return "organizations";
    case EvalField::Places: return "places";
  }
  return "?";
}

std::string normalize_eval_name(std::string_view name) {
  const std::string c = collapse_whitespace(name);
  // U+2019 apostrophes compare equal to ASCII ones.
  std::string s;
  s.reserve(c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    if (c.compare(i, 3, "\xE2\x80\x99") == 0) {
      s.push_back('\'');
      i += 2;
    } else {
      s.push_back(c[i]);
    }
  }
  if (!s.empty() && s.back() == '.') s.pop_back();
  // Accents folded, as the index folds them by default ("Montréal" = "Montreal"; corpus_detail::fold_key).
  return corpus_detail::fold_key(ascii_lower(s));
}

// ---------------------------------------------------------------------------
// Gold files

namespace {

void read_gold_quotes(simdjson::dom::element v, const std::string& where, std::vector<Quotation>& out) {
  const std::string expect = where + ": \"quotes\" must be an array of {speaker, speaker_kind, kind, cue, start, end}";
  simdjson::dom::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) throw std::runtime_error(expect);
  for (auto item : arr) {
    std::string_view speaker, speaker_kind, kind, cue;
    uint64_t start = 0, end = 0;
    if (item["speaker"].get_string().get(speaker) != simdjson::SUCCESS ||
        item["speaker_kind"].get_string().get(speaker_kind) != simdjson::SUCCESS ||
        item["kind"].get_string().get(kind) != simdjson::SUCCESS || item["cue"].get_string().get(cue) != simdjson::SUCCESS ||
        item["start"].get_uint64().get(start) != simdjson::SUCCESS || item["end"].get_uint64().get(end) != simdjson::SUCCESS)
      throw std::runtime_error(expect);
    const auto sk = parse_speaker_kind(speaker_kind);
    const auto qk = parse_quote_kind(kind);
    if (!sk || !qk || start >= end) throw std::runtime_error(expect + " (a bad kind or an empty span)");
    out.push_back({std::string(speaker), *sk, *qk, std::string(cue), static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
  }
}

}  // namespace

std::vector<GoldArticle> read_gold_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  simdjson::dom::parser parser;
  std::vector<GoldArticle> out;
  std::unordered_map<std::string, std::string> seen;
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string where = path + ":" + std::to_string(line_no);
    std::string_view text = trim(line);
    if (text.empty()) continue;
    simdjson::dom::element doc;
    if (auto e = parser.parse(text.data(), text.size()).get(doc); e != simdjson::SUCCESS)
      throw std::runtime_error(where + ": invalid JSON: " + simdjson::error_message(e));
    simdjson::dom::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) throw std::runtime_error(where + ": not a JSON object");
    GoldArticle g;
    g.where = where;
    for (auto field : obj) {
      std::string_view key = field.key;
      if (key == "id") {
        std::string_view id;
        if (field.value.get_string().get(id) != simdjson::SUCCESS)
          throw std::runtime_error(where + ": \"id\" must be a string");
        g.id = std::string(trim(id));
        continue;
      }
      if (key == "quotes") {
        g.has_quotes = true;
        read_gold_quotes(field.value, where, g.quotes);
        continue;
      }
      int f = -1;
      for (size_t k = 0; k < kEvalFields; ++k)
        if (key == eval_field_name(static_cast<EvalField>(k))) f = static_cast<int>(k);
      if (f < 0) continue;  // other keys ("note", ...) are comments
      simdjson::dom::array arr;
      if (field.value.get_array().get(arr) != simdjson::SUCCESS)
        throw std::runtime_error(where + ": \"" + std::string(key) + "\" must be an array of strings");
      g.present[f] = true;
      for (auto item : arr) {
        std::string_view s;
        if (item.get_string().get(s) != simdjson::SUCCESS)
          throw std::runtime_error(where + ": \"" + std::string(key) + "\" must be an array of strings");
        std::vector<std::string> forms;
        size_t pos = 0;
        while (pos <= s.size()) {
          size_t bar = s.find('|', pos);
          if (bar == std::string_view::npos) bar = s.size();
          std::string form = normalize_eval_name(s.substr(pos, bar - pos));
          if (!form.empty()) forms.push_back(std::move(form));
          pos = bar + 1;
        }
        if (!forms.empty()) {
          g.names[f].push_back(std::move(forms));
          g.display[f].emplace_back(trim(s));
        }
      }
    }
    if (g.id.empty()) throw std::runtime_error(where + ": record has no \"id\"");
    if (auto [it, inserted] = seen.emplace(g.id, where); !inserted)
      throw std::runtime_error(where + ": duplicate id \"" + g.id + "\" (first at " + it->second + ")");
    out.push_back(std::move(g));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Source labels (Reuters-21578 codes)

namespace {

// Codes whose name is not the code with hyphens as spaces. Sources: the
// category descriptions of Reuters-21578 (cat-descriptions_120396.txt).
const std::unordered_map<std::string_view, std::vector<std::string_view>>& label_aliases() {
  static const std::unordered_map<std::string_view, std::vector<std::string_view>> m = {
      // places
      {"usa", {"united states"}},
      {"uk", {"britain", "united kingdom"}},
      {"ussr", {"soviet union"}},
      {"uae", {"united arab emirates"}},
      {"kampuchea", {"cambodia"}},
      {"trinidad-tobago", {"trinidad and tobago", "trinidad"}},
      {"yemen-arab-republic", {"north yemen", "yemen"}},
      {"yemen-demo-republic", {"south yemen", "yemen"}},
      {"vatican", {"vatican city", "holy see"}},
      {"netherlands", {"holland"}},
      {"us-virgin-islands", {"virgin islands"}},
      {"british-virgin-islands", {"virgin islands"}},
      // organisations
      {"adb-africa", {"african development bank"}},
      {"adb-asia", {"asian development bank"}},
      {"anrpc", {"association of natural rubber producing countries"}},
      {"atpc", {"association of tin producing countries"}},
      {"bis", {"bank for international settlements"}},
      {"cipec", {"intergovernmental council of copper exporting countries"}},
      {"ec", {"european community", "european economic community", "european commission"}},
      {"eca", {"economic commission for africa"}},
      {"ece", {"economic commission for europe"}},
      {"ecla", {"economic commission for latin america"}},
      {"ecsc", {"european coal and steel community"}},
      {"efta", {"european free trade association"}},
      {"eib", {"european investment bank"}},
      {"escap", {"economic and social commission for asia and the pacific"}},
      {"fao", {"food and agriculture organization"}},
      {"gcc", {"gulf cooperation council", "gulf co-operation council"}},
      {"iaea", {"international atomic energy agency"}},
      {"iata", {"international air transport association"}},
      {"icco", {"international cocoa organization"}},
      {"ico-coffee", {"international coffee organization", "ico"}},
      {"ico-islam", {"islamic conference organization", "organization of the islamic conference"}},
      {"ida", {"international development association"}},
      {"iea", {"international energy agency"}},
      {"iisi", {"international iron and steel institute"}},
      {"ilo", {"international labour organisation", "international labor organization"}},
      {"ilzsg", {"international lead and zinc study group"}},
      {"imf", {"international monetary fund"}},
      {"inro", {"international natural rubber organization"}},
      {"irsg", {"international rubber study group"}},
      {"isa", {"international sugar agreement", "international sugar organization"}},
      {"itc", {"international tin council"}},
      {"iwc-wheat", {"international wheat council", "iwc"}},
      {"iwc-whale", {"international whaling commission", "iwc"}},
      {"iwcc", {"international wrought copper council"}},
      {"iws", {"international wool secretariat"}},
      {"iwto", {"international wool textile organisation"}},
      {"lafta", {"latin american free trade association"}},
      {"oapec", {"organization of arab petroleum exporting countries"}},
      {"oecd", {"organisation for economic co-operation and development"}},
      {"opec", {"organization of petroleum exporting countries"}},
      {"un", {"united nations"}},
      {"unctad", {"united nations conference on trade and development"}},
      {"who", {"world health organization"}},
      {"worldbank", {"world bank"}},
  };
  return m;
}

// The gazetteer's canonical form of a normalised name, or the name itself.
std::string canonical(const std::string& norm) {
  if (const GazEntry* g = gazetteer_lookup(norm, true); g && g->kind != GazKind::Nationality)
    return normalize_eval_name(g->canonical);
  return norm;
}

std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '-')) ++pos;
    size_t b = pos;
    while (pos < s.size() && s[pos] != ' ' && s[pos] != '-') ++pos;
    if (pos > b) out.emplace_back(s.substr(b, pos - b));
  }
  return out;
}

}  // namespace

// Names a label value may be written as (lower case): "usa" -> "united states", "u.s", "us" (upper only), ...
std::vector<std::pair<std::string, bool>> label_forms(std::string_view kind, std::string_view value) {
  std::vector<std::pair<std::string, bool>> out;
  const std::string v = normalize_eval_name(value);
  if (kind == "people") {  // the surname: the last word of the label
    std::vector<std::string> w = words_of(v);
    if (!w.empty()) out.emplace_back(w.back(), false);
    return out;
  }
  std::vector<std::string> names;
  std::string spaced = v;
  for (char& c : spaced)
    if (c == '-') c = ' ';
  names.push_back(spaced);
  if (auto it = label_aliases().find(v); it != label_aliases().end())
    for (std::string_view a : it->second) names.emplace_back(a);
  for (const std::string& n : names) {
    out.emplace_back(n, false);
    if (const GazEntry* g = gazetteer_lookup(n, true); g && g->kind != GazKind::Nationality)
      for (auto& f : gazetteer_forms(g->canonical)) out.push_back(std::move(f));
  }
  return out;
}

// `form` occurs in `text` as whole words: case-insensitively, or exactly in
// upper case when `upper_only` ("US", not "us").
bool text_has(std::string_view text, std::string_view lower_text, const std::string& form, bool upper_only) {
  if (form.empty()) return false;
  std::string needle = form;
  std::string_view hay = lower_text;
  if (upper_only) {
    for (char& c : needle) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    hay = text;
  }
  for (size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) {
    const bool start_ok = p == 0 || !std::isalnum(static_cast<unsigned char>(hay[p - 1]));
    const size_t e = p + needle.size();
    const bool end_ok = e >= hay.size() || !std::isalnum(static_cast<unsigned char>(hay[e]));
    if (start_ok && end_ok) return true;
  }
  return false;
}

bool label_matches(std::string_view kind, std::string_view value, std::string_view name) {
  const std::string norm_name = normalize_eval_name(name);
  const std::string v = normalize_eval_name(value);
  if (kind == "people") {
    // All words of the label end the name: "reagan" ~ "Ronald Reagan", "de-clercq" ~ "Willy De Clercq".
    std::vector<std::string> lw = words_of(v), nw = words_of(norm_name);
    if (lw.empty() || lw.size() > nw.size()) return false;
    for (size_t i = 0; i < lw.size(); ++i)
      if (lw[lw.size() - 1 - i] != nw[nw.size() - 1 - i]) return false;
    return true;
  }
  std::vector<std::string> candidates;
  std::string spaced = v;
  for (char& c : spaced)
    if (c == '-') c = ' ';
  candidates.push_back(spaced);
  if (auto it = label_aliases().find(v); it != label_aliases().end())
    for (std::string_view a : it->second) candidates.emplace_back(a);
  if (size_t dash = v.find('-'); dash != std::string::npos && kind == "orgs") candidates.push_back(v.substr(0, dash));
  const std::string canon_name = canonical(norm_name);
  for (const std::string& c : candidates) {
    if (c == norm_name || c == canon_name) return true;
    if (canonical(c) == canon_name) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Evaluation

namespace {

std::vector<std::string> predicted(const Article& a, EvalField f) {
  switch (f) {
    case EvalField::Speakers: return a.speakers;
    case EvalField::People: return entity_names(a.entities, EntityType::Person);
    case EvalField::Organizations: return entity_names(a.entities, EntityType::Organization);
    case EvalField::Places: return entity_names(a.entities, EntityType::Place);
  }
  return {};
}

void score_article(const GoldArticle& g, const Article& a, ExtractEvaluation& ev) {
  for (size_t k = 0; k < kEvalFields; ++k) {
    if (!g.present[k]) continue;
    const auto field = static_cast<EvalField>(k);
    FieldScore& sc = ev.scores[k];
    const auto& gold = g.names[k];
    std::vector<bool> used(gold.size(), false);
    std::unordered_set<std::string> seen;
    for (const std::string& p : predicted(a, field)) {
      const std::string n = normalize_eval_name(p);
      if (!seen.insert(n).second) continue;  // a duplicate prediction counts once
      bool hit = false;
      for (size_t i = 0; i < gold.size() && !hit; ++i) {
        if (used[i]) continue;
        for (const std::string& form : gold[i])
          if (form == n) {
            used[i] = hit = true;
            break;
          }
      }
      if (hit) {
        ++sc.tp;
      } else {
        ++sc.fp;
        ev.mismatches.push_back({a.id, field, p, true});
      }
    }
    for (size_t i = 0; i < gold.size(); ++i)
      if (!used[i]) {
        ++sc.fn;
        ev.mismatches.push_back({a.id, field, g.display[k][i], false});
      }
  }
}

// Whether two quotations name the same speaker: both unnamed, or the same
// kind and normalised name.
bool same_speaker(const Quotation& a, const Quotation& b) {
  if (a.speaker_kind != b.speaker_kind) return false;
  return a.speaker_kind == SpeakerKind::Unnamed || normalize_eval_name(a.speaker) == normalize_eval_name(b.speaker);
}

void score_quotes(const GoldArticle& g, const Article& a, ExtractEvaluation& ev) {
  QuoteScore& sc = ev.quotes;
  ++sc.articles;
  sc.gold += g.quotes.size();
  sc.predicted += a.quotes.size();
  // Candidate pairs by overlap, best first; each quotation matched once.
  struct Pair {
    double overlap;
    size_t gi, pi;
  };
  std::vector<Pair> pairs;
  for (size_t gi = 0; gi < g.quotes.size(); ++gi)
    for (size_t pi = 0; pi < a.quotes.size(); ++pi) {
      const Quotation &x = g.quotes[gi], &y = a.quotes[pi];
      const uint32_t lo = std::max(x.start, y.start), hi = std::min(x.end, y.end);
      if (hi <= lo) continue;
      const double longer = std::max(x.end - x.start, y.end - y.start);
      const double share = (hi - lo) / longer;
      // Same-span joint statements: prefer the pair with the right speaker.
      if (share >= 0.5) pairs.push_back({share + (same_speaker(x, y) ? 1.0 : 0.0), gi, pi});
    }
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) { return x.overlap > y.overlap; });
  std::vector<bool> gold_used(g.quotes.size()), pred_used(a.quotes.size());
  for (const Pair& p : pairs) {
    if (gold_used[p.gi] || pred_used[p.pi]) continue;
    gold_used[p.gi] = pred_used[p.pi] = true;
    const Quotation &x = g.quotes[p.gi], &y = a.quotes[p.pi];
    ++sc.matched;
    sc.exact += x.start == y.start && x.end == y.end;
    sc.kind_right += x.kind == y.kind;
    const bool right = same_speaker(x, y);
    sc.matched_speaker_right += right;
    if (x.kind == QuoteKind::Direct) {
      ++sc.direct_matched;
      sc.direct_speaker_right += right;
    }
    if (!right) ev.quote_mismatches.push_back({a.id, "speaker", x, y.speaker.empty() ? "(unnamed)" : y.speaker});
  }
  for (const Quotation& q : g.quotes) sc.gold_direct += q.kind == QuoteKind::Direct;
  for (size_t i = 0; i < g.quotes.size(); ++i)
    if (!gold_used[i]) ev.quote_mismatches.push_back({a.id, "FN", g.quotes[i], ""});
  for (size_t i = 0; i < a.quotes.size(); ++i)
    if (!pred_used[i]) ev.quote_mismatches.push_back({a.id, "FP", a.quotes[i], ""});
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

EntityType label_type(std::string_view kind) {
  if (kind == "people") return EntityType::Person;
  if (kind == "orgs") return EntityType::Organization;
  return EntityType::Place;
}

}  // namespace

ExtractEvaluation evaluate_extraction(const std::vector<GoldArticle>& gold, const std::vector<std::string>& paths,
                                      const EvalOptions& options, const DiagnosticSink& diag) {
  ExtractEvaluation ev;
  ev.gold_articles = gold.size();
  std::unordered_map<std::string, const GoldArticle*> by_id;
  for (const GoldArticle& g : gold) by_id.emplace(g.id, &g);
  std::unordered_set<std::string> found;
  std::vector<LabelAgreement> labels;
  auto label_slot = [&](const std::string& kind) -> LabelAgreement& {
    for (LabelAgreement& l : labels)
      if (l.kind == kind) return l;
    LabelAgreement l;
    l.kind = kind;
    labels.push_back(std::move(l));
    return labels.back();
  };
  for (const char* k : {"places", "people", "orgs"}) label_slot(k);
  double extract_time = 0;

  read_articles(
      paths,
      [&](Article&& a) {
        ++ev.articles_read;
        auto it = by_id.find(a.id);
        const bool is_gold = it != by_id.end();
        if (!is_gold && !(options.label_agreement && !a.labels.empty())) return;
        if (!options.use_given) {
          a.speakers.clear();
          a.entities.clear();
          a.quotes.clear();
          a.has_speakers = a.has_entities = a.has_quotes = false;
        }
        const double t0 = thread_cpu_seconds();
        extract_fields(a);
        extract_time += thread_cpu_seconds() - t0;
        if (is_gold && found.insert(a.id).second) {
          ++ev.evaluated_articles;
          score_article(*it->second, a, ev);
          if (it->second->has_quotes) score_quotes(*it->second, a, ev);
        }
        if (options.label_agreement && !a.labels.empty()) {
          ++ev.labelled_articles;
          const std::string text = a.title + "\n" + a.body;
          std::string lower_text = ascii_lower(text);
          for (char& c : lower_text)
            if (c == '\n') c = ' ';
          for (const auto& [kind, value] : a.labels) {
            LabelAgreement& l = label_slot(kind);
            ++l.values;
            bool in_text = false;
            for (const auto& [form, upper_only] : label_forms(kind, value))
              if (text_has(text, lower_text, fold_key(form), upper_only)) {
                in_text = true;
                break;
              }
            l.in_text += in_text;
            bool typed = false, any = false;
            for (const Entity& e : a.entities) {
              if (!label_matches(kind, value, e.name)) continue;
              any = true;
              if (e.type == label_type(kind)) typed = true;
            }
            if (kind == "people" && !typed)
              for (const std::string& s : a.speakers)
                if (label_matches(kind, value, s)) typed = any = true;
            l.matched_typed += typed;
            l.matched_any += any;
            if (!any) l.unmatched.push_back(a.id + ": " + value);
          }
        }
      },
      diag);
  for (const GoldArticle& g : gold)
    if (!found.count(g.id)) ev.missing.push_back(g.id);
  if (ev.labelled_articles > 0) ev.labels = std::move(labels);
  ev.extract_seconds = extract_time;
  return ev;
}

}  // namespace dateline
