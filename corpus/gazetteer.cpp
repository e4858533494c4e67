// The gazetteer (countries, capitals, major cities, regions, international
// organisations, nationality adjectives) and the word lists of the extractor,
// read once from the data files compiled in (corpus/data/, corpus/data_files.h).
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <utf8proc.h>

#include "corpus/data_files.h"
#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

struct GazRow {
  std::string_view name;       // as written in text
  GazKind kind;
  std::string_view canonical;  // the display form: `name` itself, or the name it is another name of
  bool upper_only;             // acronym that must be written in capitals ("US", "WHO")
  bool country_file;           // from gazetteer/countries.txt
};

// Appends the rows of a gazetteer file, all of kind `kind`: each entry is
// NAME, NAME | CANONICAL or NAME | CANONICAL | upper (an empty CANONICAL is NAME).
void append_gaz_rows(const DataFile& file, GazKind kind, std::vector<GazRow>& out) {
  for (const DataEntry& e : data_entries(file)) {
    const std::vector<std::string_view> f = data_fields(e.text);
    if (f.size() > 3 || f[0].empty()) bad_data_entry(file, e, "NAME [| CANONICAL [| upper]]");
    if (f.size() == 3 && f[2] != "upper") bad_data_entry(file, e, "the third field can only be \"upper\"");
    const std::string_view canonical = f.size() > 1 && !f[1].empty() ? f[1] : f[0];
    out.push_back({f[0], kind, canonical, f.size() == 3, &file == &data::gazetteer_countries});
  }
}

// Every gazetteer row, the files in their fixed order (the first row of a key wins).
std::vector<GazRow> gazetteer_rows() {
  std::vector<GazRow> rows;
  append_gaz_rows(data::gazetteer_countries, GazKind::Place, rows);
  append_gaz_rows(data::gazetteer_places, GazKind::Place, rows);
  append_gaz_rows(data::gazetteer_place_abbreviations, GazKind::Place, rows);
  append_gaz_rows(data::gazetteer_organisations, GazKind::Org, rows);
  append_gaz_rows(data::gazetteer_companies, GazKind::Org, rows);
  append_gaz_rows(data::gazetteer_nationalities, GazKind::Nationality, rows);
  return rows;
}

struct Gazetteer {
  struct Value {
    GazEntry entry;
    bool upper_only;
  };
  std::vector<std::string> keys;
  std::unordered_map<std::string_view, Value> map;
  size_t max_words = 1;

  Gazetteer() {
    const std::vector<GazRow> rows = gazetteer_rows();
    const size_t n = rows.size();
    // The display forms of the countries file are the countries; other
    // names of them ("U.S.", "UK") are countries too.
    std::unordered_set<std::string_view> countries;
    for (const GazRow& r : rows)
      if (r.country_file) countries.insert(r.canonical);
    keys.reserve(n);
    for (const GazRow& r : rows) keys.push_back(fold_key(ascii_lower(r.name)));
    map.reserve(n * 2);
    for (size_t i = 0; i < n; ++i) {
      const GazRow& r = rows[i];
      GazEntry e{r.canonical, r.kind};
      e.country = r.kind == GazKind::Place && countries.count(e.canonical) > 0;
      map.emplace(keys[i], Value{e, r.upper_only});  // first entry wins
      size_t words = 1;
      for (char c : keys[i]) words += c == ' ';
      if (words > max_words) max_words = words;
    }
  }
};

const Gazetteer& gazetteer() {
  static const Gazetteer g;
  return g;
}

// A set of words (views of the compiled-in data): open addressing on
// word_hash(), at most half full, the words compared on a hash hit; looked
// up for most words of every article, so no node chasing and no strings
// hashed twice. Iterates in insertion order.
class WordSet {
 public:
  void insert(std::string_view w) {
    if (count(w)) return;
    words_.push_back(w);
    if (words_.size() * 2 > slots_.size()) {
      slots_.assign(std::max<size_t>(16, slots_.size() * 2), Slot{});
      for (std::string_view x : words_) place(x);
    } else {
      place(w);
    }
  }
  size_t count(std::string_view w) const {
    if (slots_.empty()) return 0;
    const uint64_t h = word_hash(w);
    const size_t mask = slots_.size() - 1;
    for (size_t k = h & mask; slots_[k].hash; k = (k + 1) & mask)
      if (slots_[k].hash == h && slots_[k].word == w) return 1;
    return 0;
  }
  auto begin() const { return words_.begin(); }
  auto end() const { return words_.end(); }

 private:
  struct Slot {
    uint64_t hash = 0;  // word_hash() is never 0
    std::string_view word;
  };
  void place(std::string_view w) {
    const uint64_t h = word_hash(w);
    const size_t mask = slots_.size() - 1;
    size_t k = h & mask;
    while (slots_[k].hash) k = (k + 1) & mask;
    slots_[k] = Slot{h, w};
  }
  std::vector<Slot> slots_;
  std::vector<std::string_view> words_;
};

// The words of a word list file, one lower-case word per entry.
WordSet make_set(const DataFile& file) {
  WordSet s;
  for (const DataEntry& e : data_entries(file)) {
    if (e.text.find_first_of(" \t|") != std::string_view::npos) bad_data_entry(file, e, "one word");
    s.insert(e.text);
  }
  return s;
}

// The words of the list file F, read on first use.
template <const DataFile& F>
bool in_list(std::string_view w) {
  static const WordSet s = make_set(F);
  return s.count(w) > 0;
}

}  // namespace

std::string fold_key(std::string_view lower) {
  bool plain = true;
  for (char c : lower) plain = plain && static_cast<unsigned char>(c) < 0x80;
  if (plain) return std::string(lower);
  std::string out;
  out.reserve(lower.size());
  size_t i = 0;
  while (i < lower.size()) {
    uint32_t cp;
    size_t len = decode_utf8(lower, i, cp);
    if (len == 0) {
      out.push_back(lower[i++]);
      continue;
    }
    i += len;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    switch (cp) {  // letters without a decomposition
      case 0x2019: case 0x2018: out.push_back('\''); continue;
      case 0x0141: case 0x0142: out.push_back('l'); continue;   // Ł ł
      case 0x00D8: case 0x00F8: out.push_back('o'); continue;   // Ø ø
      case 0x00C6: case 0x00E6: out.append("ae"); continue;     // Æ æ
      case 0x00DF: out.append("ss"); continue;                  // ß
      case 0x0110: case 0x0111: out.push_back('d'); continue;   // Đ đ
      case 0x0131: out.push_back('i'); continue;                // ı
      default: break;
    }
    utf8proc_int32_t buf[8];
    utf8proc_ssize_t m = utf8proc_decompose_char(
        static_cast<utf8proc_int32_t>(cp), buf, 8,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD), nullptr);
    if (m <= 0 || m > 8) {
      append_utf8(out, cp);
      continue;
    }
    for (utf8proc_ssize_t k = 0; k < m; ++k) append_utf8(out, static_cast<uint32_t>(buf[k]));
  }
  return out;
}

namespace {

// `lower` as a key: itself when it is ASCII, else fold_key(lower) in `buf`.
std::string_view key_of(std::string_view lower, std::string& buf) {
  for (char c : lower)
    if (static_cast<unsigned char>(c) >= 0x80) return buf = fold_key(lower);
  return lower;
}

}  // namespace

const GazEntry* gazetteer_lookup(std::string_view lower, bool surface_upper) {
  const Gazetteer& g = gazetteer();
  std::string buf;
  auto it = g.map.find(key_of(lower, buf));
  if (it == g.map.end()) return nullptr;
  if (it->second.upper_only && !surface_upper) return nullptr;
  return &it->second.entry;
}

size_t gazetteer_max_words() { return gazetteer().max_words; }

namespace {

// A set of 64-bit word_hash() values in an open-addressing table (no strings:
// two of the 44,000 city names sharing a 64-bit hash is not to be expected).
class HashSet64 {
 public:
  void build(const std::vector<uint64_t>& hashes) {
    size_t cap = 16;
    while (cap < hashes.size() * 2) cap <<= 1;
    slots_.assign(cap, 0);
    for (uint64_t h : hashes) {
      size_t k = h & (cap - 1);
      while (slots_[k] != 0 && slots_[k] != h) k = (k + 1) & (cap - 1);
      slots_[k] = h;
    }
  }
  bool contains(uint64_t h) const {
    const size_t mask = slots_.size() - 1;
    for (size_t k = h & mask;; k = (k + 1) & mask) {
      if (slots_[k] == h) return true;
      if (slots_[k] == 0) return false;
    }
  }

 private:
  std::vector<uint64_t> slots_;  // 0: empty (word_hash() is never 0)
};

struct CityNames {
  HashSet64 names, first_words;  // word_hash() of the folded lower-case names and of their first words
  size_t max_words = 1;

  // One pass over the file's text (44,000 lines, read on first use by every
  // process that tags): each line's hash and its first word's hash as the
  // bytes go by; only the few lines with a letter left to fold are folded.
  CityNames() {
    std::vector<uint64_t> name_hashes, first_hashes;
    std::string_view text = data::gazetteer_cities.text;
    uint32_t line_no = 0;
    while (!text.empty()) {
      const size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
      ++line_no;
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.remove_suffix(1);
      if (line.empty() || line[0] == '#') continue;
      uint64_t h = 1469598103934665603ull, first = 0;  // word_hash()'s FNV-1a, as it goes
      size_t words = 1;
      bool plain = true;
      for (char c : line) {
        if (is_ascii_upper(c) || c == '|' || c == '#' || c == '\t')
          bad_data_entry(data::gazetteer_cities, DataEntry{line, line_no}, "one name in lower case");
        if (c == ' ') {
          if (first == 0) first = h | 1;
          ++words;
        }
        plain = plain && static_cast<unsigned char>(c) < 0x80;
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
      }
      if (!plain) {  // ("hafnarfjorður": as lookups fold it)
        const std::string k = fold_key(line);
        h = word_hash(k);
        first = word_hash(std::string_view(k).substr(0, k.find(' ')));
      } else {
        h |= 1;
        if (first == 0) first = h;
      }
      name_hashes.push_back(h);
      first_hashes.push_back(first);
      max_words = std::max(max_words, words);
    }
    names.build(name_hashes);
    first_words.build(first_hashes);
  }
};

const CityNames& city_names() {
  static const CityNames c;
  return c;
}

}  // namespace

bool is_city(std::string_view lower) {
  std::string buf;
  return city_names().names.contains(word_hash(key_of(lower, buf)));
}

bool starts_city(std::string_view lower) {
  std::string buf;
  return city_names().first_words.contains(word_hash(key_of(lower, buf)));
}

size_t city_max_words() { return city_names().max_words; }

std::vector<std::pair<std::string, bool>> gazetteer_forms(std::string_view canonical) {
  std::vector<std::pair<std::string, bool>> out;
  const Gazetteer& g = gazetteer();
  for (size_t i = 0; i < g.keys.size(); ++i) {
    auto it = g.map.find(g.keys[i]);
    if (it == g.map.end() || it->second.entry.canonical != canonical) continue;
    out.emplace_back(g.keys[i], it->second.upper_only);
  }
  return out;
}

const WordSet& is_stopword_set() {
  static const WordSet s = make_set(data::words_stopwords);
  return s;
}

bool is_stopword(std::string_view w) { return is_stopword_set().count(w) > 0; }

const WordSet& is_function_word_set() {
  static const WordSet s = make_set(data::words_function_words);
  return s;
}

bool is_function_word(std::string_view w) { return is_function_word_set().count(w) > 0; }

const WordSet& is_month_or_day_set() {
  static const WordSet s = make_set(data::words_months_days);
  return s;
}

bool is_month_or_day(std::string_view w) { return is_month_or_day_set().count(w) > 0; }

const WordSet& is_title_core_set() {
  static const WordSet s = make_set(data::words_title_cores);
  return s;
}

bool is_title_core(std::string_view w) { return is_title_core_set().count(w) > 0; }

const WordSet& is_title_modifier_set() {
  static const WordSet s = make_set(data::words_title_modifiers);
  return s;
}

bool is_title_modifier(std::string_view w) { return is_title_modifier_set().count(w) > 0; }

const WordSet& is_org_word_set() {
  static const WordSet s = make_set(data::words_org_words);
  return s;
}

bool is_org_word(std::string_view w) { return is_corporate_suffix(w) || is_org_word_set().count(w) > 0; }

const WordSet& is_corporate_suffix_set() {
  static const WordSet s = make_set(data::words_corporate_suffixes);
  return s;
}

bool is_corporate_suffix(std::string_view w) { return is_corporate_suffix_set().count(w) > 0; }

const std::vector<Phrase>& gazetteer_phrases() {
  static const std::vector<Phrase> phrases = [] {
    std::vector<Phrase> out;
    for (const DataEntry& e : data_entries(data::gazetteer_phrases)) {
      const std::vector<std::string_view> f = data_fields(e.text);
      if (f.size() != 2 || f[0].empty() || f[1].empty())
        bad_data_entry(data::gazetteer_phrases, e, "lower-case words | CANONICAL");
      Phrase p;
      p.canonical = f[1];
      std::string_view t = f[0];
      size_t pos = 0;
      while (pos <= t.size()) {
        size_t sp = t.find(' ', pos);
        if (sp == std::string_view::npos) sp = t.size();
        p.words.emplace_back(t.substr(pos, sp - pos));
        pos = sp + 1;
      }
      out.push_back(std::move(p));
    }
    return out;
  }();
  return phrases;
}

const WordSet& is_name_connector_set() {
  static const WordSet s = make_set(data::words_name_connectors);
  return s;
}

bool is_name_connector(std::string_view w) { return is_name_connector_set().count(w) > 0; }

const WordSet& is_not_entity_set() {
  static const WordSet s = make_set(data::words_not_entities);
  return s;
}

bool is_not_entity(std::string_view w) { return is_not_entity_set().count(w) > 0; }

// Words that end the names of events, documents and products: not people.
const WordSet& is_event_word_set() {
  static const WordSet s = make_set(data::words_event_words);
  return s;
}

bool is_event_word(std::string_view w) { return is_event_word_set().count(w) > 0; }

const WordSet& is_direction_set() {
  static const WordSet s = make_set(data::words_directions);
  return s;
}

bool is_direction(std::string_view w) { return is_direction_set().count(w) > 0; }

const WordSet& is_unnamed_source_set() {
  static const WordSet s = make_set(data::words_unnamed_sources);
  return s;
}

bool is_unnamed_source(std::string_view w) { return is_unnamed_source_set().count(w) > 0; }

bool is_source_group(std::string_view w) { return in_list<data::words_source_groups>(w); }

bool is_speaking_org_noun(std::string_view w) { return in_list<data::words_speaking_org_nouns>(w); }

namespace {
// Each first name of the two lists with the lists it is in: 1 female, 2 male, 3 both. One lookup
// serves the tagger's feature (any list, a probe for every word it tags) and the pronouns' gender
// (one list only): flat tables of word hashes, no strings.
uint8_t first_name_lists(std::string_view w) {
  struct Lists {
    HashSet64 any, female, male;
    Lists() {
      std::vector<uint64_t> f, m;
      for (std::string_view x : make_set(data::words_first_names_female)) f.push_back(word_hash(x));
      for (std::string_view x : make_set(data::words_first_names_male)) m.push_back(word_hash(x));
      female.build(f);
      male.build(m);
      f.insert(f.end(), m.begin(), m.end());
      any.build(f);
    }
  };
  static const Lists lists;
  const uint64_t h = word_hash(w);
  if (!lists.any.contains(h)) return 0;
  return static_cast<uint8_t>((lists.female.contains(h) ? 1 : 0) | (lists.male.contains(h) ? 2 : 0));
}
}  // namespace

bool is_first_name(std::string_view w) { return first_name_lists(w) != 0; }

bool is_role_noun(std::string_view w) { return in_list<data::words_role_nouns>(w) || is_title_core(w); }

bool is_org_cue_after(std::string_view w) { return in_list<data::words_org_cues_after>(w); }
bool is_stock_move(std::string_view w) { return in_list<data::words_stock_moves>(w); }

bool is_org_cue_before(std::string_view w) { return in_list<data::words_org_cues_before>(w); }

bool is_place_preposition(std::string_view w) { return in_list<data::words_place_prepositions>(w); }

bool is_place_noun(std::string_view w) { return in_list<data::words_place_nouns>(w); }

bool is_place_head_first(std::string_view w) { return in_list<data::words_place_heads_first>(w); }

bool is_place_head_last(std::string_view w) { return in_list<data::words_place_heads_last>(w); }

bool is_club_word(std::string_view w) { return in_list<data::words_club_words>(w); }

bool is_time_preposition(std::string_view w) { return in_list<data::words_time_prepositions>(w); }

bool is_place_head_of(std::string_view w) { return in_list<data::words_place_heads_of>(w); }

bool is_object_preposition(std::string_view w) { return in_list<data::words_object_prepositions>(w); }

bool is_apposition_start(std::string_view w) { return in_list<data::words_apposition_starts>(w); }

bool is_number_word(std::string_view w) { return in_list<data::words_number_words>(w); }

bool is_clause_opener(std::string_view w) { return in_list<data::words_clause_openers>(w); }

bool is_phrase_opener(std::string_view w) { return in_list<data::words_phrase_openers>(w); }

bool is_location_preposition(std::string_view w) { return in_list<data::words_location_prepositions>(w); }

bool is_after_speaker(std::string_view w) { return in_list<data::words_after_speaker>(w); }

bool is_place_first_name(std::string_view w) { return in_list<data::words_place_first_names>(w); }
bool is_org_adjective(std::string_view w) { return in_list<data::words_org_adjectives>(w); }
bool is_registered_suffix(std::string_view w) { return in_list<data::words_registered_suffixes>(w); }

bool is_post_nominal(std::string_view w) { return in_list<data::words_post_nominals>(w); }

Gender title_gender(std::string_view w) {
  static const WordSet f = make_set(data::words_titles_female), m = make_set(data::words_titles_male);
  return f.count(w) ? Gender::Female : m.count(w) ? Gender::Male : Gender::Unknown;
}

Gender first_name_gender(std::string_view w) {
  const uint8_t lists = first_name_lists(w);
  return lists == 1 ? Gender::Female : lists == 2 ? Gender::Male : Gender::Unknown;
}

bool is_cue_lemma(std::string_view w) { return in_list<data::words_cue_lemmas>(w); }

const WordSet& strong_verb_set() {
  static const WordSet s = make_set(data::words_speech_verbs_strong);
  return s;
}

const WordSet& weak_verb_set() {
  static const WordSet s = make_set(data::words_speech_verbs_weak);
  return s;
}

VerbKind speech_verb(std::string_view w) {
  if (strong_verb_set().count(w)) return VerbKind::Strong;
  if (weak_verb_set().count(w)) return VerbKind::Weak;
  return VerbKind::None;
}

const WordSet& is_inversion_verb_set() {
  static const WordSet s = make_set(data::words_inversion_verbs);
  return s;
}

bool is_inversion_verb(std::string_view w) { return is_inversion_verb_set().count(w) > 0; }

const WordSet& is_speech_filler_set() {
  static const WordSet s = make_set(data::words_speech_fillers);
  return s;
}

bool is_speech_filler(std::string_view w) { return is_speech_filler_set().count(w) > 0; }

namespace {

// The lexicon behind word_flags(): an open-addressing table keyed by word_hash().
struct Lexicon {
  struct Slot {
    uint64_t hash = 0;
    std::string_view word;
    uint32_t flags = 0;
  };
  std::vector<Slot> slots;

  Lexicon() {
    std::unordered_map<std::string_view, uint32_t> m;
    m.reserve(4096);
    auto add = [&](const WordSet& set, uint32_t flag) {
      for (std::string_view w : set) m[w] |= flag;
    };
    add(is_stopword_set(), kWStop);
    add(is_function_word_set(), kWFunction);
    add(is_month_or_day_set(), kWMonthDay);
    add(is_title_core_set(), kWTitleCore);
    add(is_title_modifier_set(), kWTitleMod);
    add(is_org_word_set(), kWOrg);
    add(is_corporate_suffix_set(), kWOrg | kWCorpSuffix);
    add(is_name_connector_set(), kWConnector);
    add(is_not_entity_set(), kWNotEntity);
    add(is_event_word_set(), kWEvent);
    add(is_direction_set(), kWDirection);
    add(is_unnamed_source_set(), kWUnnamed);
    add(strong_verb_set(), kWSpeechStrong);
    add(weak_verb_set(), kWSpeechWeak);
    add(is_inversion_verb_set(), kWInversion);
    add(is_speech_filler_set(), kWFiller);
    for (const std::string& key : gazetteer().keys) {
      std::string_view k = key;
      m[k.substr(0, k.find(' '))] |= kWGazFirst;
    }
    for (const Phrase& p : gazetteer_phrases()) m[p.words[0]] |= kWPhraseFirst;
    size_t cap = 1;
    while (cap < m.size() * 2) cap <<= 1;  // at most half full: 8,192 slots (256 KiB) for 2,800 words
    slots.resize(cap);
    for (const auto& [w, f] : m) {
      const uint64_t h = word_hash(w);
      size_t k = h & (cap - 1);
      while (slots[k].hash != 0) k = (k + 1) & (cap - 1);
      slots[k] = Slot{h, w, f};
    }
  }

  uint32_t find(std::string_view w, uint64_t h) const {
    const size_t mask = slots.size() - 1;
    for (size_t k = h & mask;; k = (k + 1) & mask) {
      const Slot& s = slots[k];
      if (s.hash == 0) return 0;
      if (s.hash == h && s.word == w) return s.flags;
    }
  }
};

const Lexicon& lexicon() {
  static const Lexicon lex;
  return lex;
}

}  // namespace

uint32_t word_flags(std::string_view lower, uint64_t hash) { return lexicon().find(lower, hash); }
uint32_t word_flags(std::string_view lower) { return lexicon().find(lower, word_hash(lower)); }

}  // namespace dateline::corpus_detail
