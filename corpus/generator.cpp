// The synthetic corpus generator: see corpus/generator.h for what it promises.
#include "corpus/generator.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <string_view>

#include "common/date.h"
#include "common/json.h"
#include "corpus/markov_model.h"

namespace dateline {

using corpus_detail::MarkovModel;
using corpus_detail::mix64;
using corpus_detail::Rng;

namespace {

// ---------------------------------------------------------------------------
// Built-in name lists (invented combinations; no text from any corpus).

constexpr std::string_view kFirstNames[] = {
    "James",    "Maria",     "Mohammed", "Wei",      "Olga",      "Kwame",    "Priya",     "Lars",
    "Sofia",    "Hiroshi",   "Amara",    "Carlos",   "Ingrid",    "Ahmed",    "Elena",     "Tomasz",
    "Aisha",    "Pierre",    "Nadia",    "Rahul",    "Anna",      "Juan",     "Fatima",    "Dmitri",
    "Yuki",     "Samuel",    "Chen",     "Leila",    "Jonas",     "Isabel",   "Kofi",      "Mei",
    "Andreas",  "Zainab",    "Luca",     "Sara",     "Ivan",      "Ngozi",    "Hans",      "Carmen",
    "Ali",      "Emma",      "Rafael",   "Hana",     "Oliver",    "Amina",    "Mateo",     "Ewa",
    "Kenji",    "Grace",     "Omar",     "Freya",    "Diego",     "Minjun",   "Astrid",    "Tariq",
    "Lucia",    "Erik",      "Chiara",   "Viktor",   "Nkechi",    "Paulo",    "Ayesha",    "Henrik",
    "Ines",     "Arjun",     "Marta",    "Felipe",   "Sakura",    "Youssef",  "Clara",     "Sipho",
    "Katarzyna", "Mikhail",  "Beatriz",  "Thabo",    "Julia",     "Ravi",     "Eva",       "Mustafa",
    "Helena",   "Jin",       "Agnieszka", "Gabriel", "Noura",     "Stefan",   "Ana",       "Kojo",
    "Lina",     "Bjørn",     "Rosa",     "Hassan",   "Camille",   "Sergei",   "Yasmin",    "Thomas",
    "Adaeze",   "Marco",     "Leena",    "Pablo",    "Ilse",      "Daniel",   "Zeynep",    "Takeshi",
    "Elif",     "Nikolai",   "Ama",      "Antoine",  "Mariam",    "Jakob",    "Shreya",    "Fernando",
    "Anja",     "Kwabena",   "Laura",    "Emre",     "Siobhan",   "Patrick",  "Chloé",     "Vikram",
    "Greta",    "João",      "Ruth",     "Bongani",  "Natalia",   "Javier",   "Aiko",      "Karim",
    "Hannah",   "Mehmet",    "Ayodele",  "Martin",   "Irina",     "Alejandro", "Nomvula",  "David",
    "Sunita",   "Matteo",    "Esther",   "Rustam",   "Li",        "Kateryna", "Lukas",     "Abena",
    "Francesco", "Sigrid",   "Yusuf",    "Paula",    "Anders",    "Chidi",    "Elisa",     "Rashid",
    "Margrethe", "Bruno",    "Olena",    "Hamza",    "Valentina", "Kaito",    "Nadine",    "Emeka",
    "Petra",    "Alberto",   "Divya",    "Mikkel",   "Amal",      "George",   "Xin",       "Teresa",
    "Moses",    "Daria",     "Ricardo",  "Noor",     "Johan",     "Ifeoma",   "Robert",    "Lin",
    "Ayumi",    "Kaveh",     "Simone",   "Tendai",   "Catherine", "Rui",      "Farah",     "Oskar",
    "Wanjiru",  "Michael",   "Magdalena", "Hussein", "Ying",      "Florian",  "Adriana",   "Kenneth",
    "Aylin",    "Dong",      "Charlotte", "Jamal",   "Vera",      "Akira",    "Precious",  "Benjamin",
    "Milica",   "Sanjay",    "Mirela",   "Nils",     "Yara",      "Edward",   "Folake",    "Sven",
};

constexpr std::string_view kLastNames[] = {
    "Smith",     "Okafor",    "Lindqvist", "Tanaka",    "Kowalski",  "Haddad",    "Mensah",    "Petrov",
    "Nguyen",    "Fernandes", "Schmidt",   "Rossi",     "Kim",       "Andersen",  "Dubois",    "Singh",
    "Okonkwo",   "Johansson", "Sato",      "Novak",     "Ibrahim",   "Costa",     "Patel",     "Moreau",
    "Yilmaz",    "Kariuki",   "Chen",      "Larsen",    "Romero",    "Wójcik",    "Hoffmann",  "Bianchi",
    "Osei",      "Nakamura",  "Fischer",   "Khan",      "Alvarez",   "Eriksson",  "Abubakar",  "Lopez",
    "Weber",     "Conti",     "Park",      "Hansen",    "Mwangi",    "Kuznetsov", "Ortiz",     "Bakker",
    "Suzuki",    "Rahman",    "Jensen",    "Kaya",      "Morales",   "Dijkstra",  "Takahashi", "Nowak",
    "Mahlangu",  "Ferrari",   "Lee",       "Nielsen",   "Lambert",   "Gupta",     "Adeyemi",   "Volkov",
    "Santos",    "Meyer",     "Greco",     "Choi",      "Olsen",     "Girard",    "Sharma",    "Boateng",
    "Sokolov",   "Pereira",   "Wagner",    "Marino",    "Jung",      "Berg",      "Bonnet",    "Reddy",
    "Eze",       "Popescu",   "Ramos",     "Becker",    "Ricci",     "Yamamoto",  "Lund",      "Fontaine",
    "Iyer",      "Achebe",    "Horvath",   "Torres",    "Schulz",    "Gallo",     "Watanabe",  "Holm",
    "Rousseau",  "Menon",     "Asante",    "Kovac",     "Vargas",    "Koch",      "Esposito",  "Ito",
    "Dahl",      "Leclerc",   "Bose",      "Owusu",     "Babic",     "Castro",    "Richter",   "Romano",
    "Kobayashi", "Strand",    "Mercier",   "Nair",      "Ndlovu",    "Marin",     "Herrera",   "Wolf",
    "Colombo",   "Kato",      "Aalto",     "Laurent",   "Das",       "Otieno",    "Pavlov",    "Medina",
    "Schröder",  "Moretti",   "Yoshida",   "Virtanen",  "Blanc",     "Pillai",    "Banda",     "Stoica",
    "Guerrero",  "Neumann",   "Barbieri",  "Yamada",    "Korhonen",  "Chevalier", "Joshi",     "Phiri",
    "Lazarev",   "Cruz",      "Schwarz",   "Lombardi",  "Sasaki",    "Nieminen",  "Perrin",    "Kapoor",
    "Tembo",     "Radu",      "Flores",    "Zimmermann", "Mancini",  "Yamaguchi", "Mäkinen",   "Roux",
    "Malik",     "Zulu",      "Dimitrov",  "Rivera",    "Krüger",    "Fabbri",    "Matsumoto", "Heikkinen",
    "Fournier",  "Chowdhury", "Moyo",      "Georgiou",  "Gomez",     "Hartmann",  "Caruso",    "Inoue",
    "Sørensen",  "Gonçalves", "Çelik",     "Dvořák",    "Abdi",      "Haile",     "Tesfaye",   "Bekele",
    "Karimi",    "Hosseini",  "Farouk",    "Nasser",    "Salazar",   "Quispe",    "Mendoza",   "Aguilar",
    "Walsh",     "Murphy",    "O'Brien",   "Kelly",     "Byrne",     "Ryan",      "Brennan",   "Doyle",
    "Tran",      "Pham",      "Hoang",     "Wong",      "Liu",       "Zhang",     "Huang",     "Zhou",
};

// Real places and institutions: rank 0 and up are the most frequent.
constexpr std::string_view kRealEntities[] = {
    "United States", "China", "European Union", "Russia", "Germany", "Japan", "United Kingdom", "France",
    "India", "Brazil", "United Nations", "Ukraine", "International Monetary Fund", "World Bank", "Canada",
    "Italy", "Iran", "Israel", "Turkey", "Saudi Arabia", "OPEC", "NATO", "Mexico", "South Korea", "Australia",
    "Spain", "European Central Bank", "Federal Reserve", "World Trade Organization", "Indonesia",
    "South Africa", "Nigeria", "Egypt", "Poland", "Netherlands", "Argentina", "Switzerland", "Sweden",
    "Norway", "Pakistan", "Taiwan", "North Korea", "Brussels", "Washington", "Beijing", "Moscow", "London",
    "Paris", "Berlin", "Tokyo", "New Delhi", "Kenya", "Ethiopia", "Vietnam", "Thailand", "Philippines",
    "Malaysia", "Singapore", "Qatar", "United Arab Emirates", "Iraq", "Syria", "Lebanon", "Jordan", "Greece",
    "Portugal", "Belgium", "Austria", "Denmark", "Finland", "Ireland", "Czech Republic", "Hungary", "Romania",
    "Chile", "Colombia", "Peru", "Venezuela", "New Zealand", "Bangladesh", "Ghana", "Morocco", "Algeria",
    "Tanzania", "Uganda", "Angola", "Kazakhstan", "Afghanistan", "World Health Organization", "African Union",
    "Group of Seven", "Group of 20", "Asian Development Bank", "Bank of England", "Bank of Japan",
    "International Energy Agency", "Red Cross", "Amnesty International", "Interpol", "UNESCO", "UNICEF",
    "World Food Programme", "Organisation for Economic Co-operation and Development", "ASEAN", "Mercosur",
    "Arab League", "Council of Europe", "European Commission", "European Parliament", "Gulf Cooperation Council",
    "Rome", "Madrid", "Warsaw", "Kyiv", "Ankara", "Tehran", "Riyadh", "Cairo", "Nairobi", "Lagos", "Abuja",
    "Johannesburg", "Pretoria", "Ottawa", "Mexico City", "Brasilia", "Buenos Aires", "Santiago", "Lima",
    "Bogota", "Canberra", "Jakarta", "Seoul", "Manila", "Hanoi", "Bangkok", "Islamabad", "Dhaka", "Doha",
    "Dubai", "Abu Dhabi", "Baghdad", "Damascus", "Beirut", "Amman", "Athens", "Lisbon", "Vienna", "Prague",
    "Budapest", "Bucharest", "Stockholm", "Oslo", "Copenhagen", "Helsinki", "Dublin", "Amsterdam", "Geneva",
    "Zurich", "Frankfurt", "Hong Kong", "Shanghai", "Mumbai", "Sao Paulo", "Istanbul", "Singapore Exchange",
    "Addis Ababa", "Accra", "Dakar", "Kinshasa", "Luanda", "Algiers", "Rabat", "Tunis", "Tripoli", "Khartoum",
    "Senegal", "Ivory Coast", "Cameroon", "Zambia", "Zimbabwe", "Mozambique", "Sudan", "Libya", "Tunisia",
    "Sri Lanka", "Nepal", "Myanmar", "Cambodia", "Mongolia", "Uzbekistan", "Azerbaijan", "Georgia", "Armenia",
    "Belarus", "Serbia", "Croatia", "Bulgaria", "Slovakia", "Slovenia", "Lithuania", "Latvia", "Estonia",
    "Iceland", "Luxembourg", "Cyprus", "Malta", "Ecuador", "Bolivia", "Paraguay", "Uruguay", "Cuba",
    "Panama", "Costa Rica", "Guatemala", "Honduras", "Jamaica", "Haiti", "Dominican Republic", "Yemen",
    "Oman", "Kuwait", "Bahrain", "Red Sea", "North Sea", "Baltic Sea", "Black Sea", "Arctic Council",
    "International Atomic Energy Agency", "International Criminal Court", "Bank for International Settlements",
};

// The organisations among kRealEntities (the others are places).
constexpr std::string_view kRealOrganizations[] = {
    "European Union", "United Nations", "International Monetary Fund", "World Bank", "OPEC", "NATO",
    "European Central Bank", "Federal Reserve", "World Trade Organization", "World Health Organization",
    "African Union", "Group of Seven", "Group of 20", "Asian Development Bank", "Bank of England",
    "Bank of Japan", "International Energy Agency", "Red Cross", "Amnesty International", "Interpol", "UNESCO",
    "UNICEF", "World Food Programme", "Organisation for Economic Co-operation and Development", "ASEAN",
    "Mercosur", "Arab League", "Council of Europe", "European Commission", "European Parliament",
    "Gulf Cooperation Council", "Singapore Exchange", "Arctic Council", "International Atomic Energy Agency",
    "International Criminal Court", "Bank for International Settlements",
};

constexpr std::string_view kOrgSuffixes[] = {
    "Holdings", "Group", "Bank", "Energy", "Capital", "Partners", "Industries", "Logistics", "Foods",
    "Mining", "Shipping", "Telecom", "Motors", "Pharma", "Insurance", "Airlines", "Steel", "Systems",
    "Foundation", "Institute", "Union", "Council", "Petroleum", "Chemicals", "Electric", "Media",
    "Securities", "Resources", "Textiles", "Construction",
};

constexpr std::string_view kSyllables[] = {
    "ka", "lo", "ven", "mi", "tra", "sor", "bel", "den", "ri", "ma", "no", "tal", "ves", "qui", "dor", "an",
    "el", "fi", "gar", "hol", "is", "jun", "kel", "lun", "mor", "nel", "or", "pa", "ras", "sel", "tor", "ul",
    "var", "wen", "zan", "bra", "cor", "dra", "fen", "gil", "han", "ix", "jo", "kro", "lim", "mar", "nor",
    "ost", "pel", "rin", "sta", "tun", "umb", "vik", "wal", "yor", "zel", "ber", "cal", "dun", "ek", "fal",
    "gor", "hel", "ing", "kas", "lar", "men", "nik", "ol", "pra", "ros", "sun", "tes", "ur", "vol", "ar",
    "bo", "ce", "da", "e", "fo", "ga", "he", "i", "ju", "ko", "la", "me", "ni", "o", "pe", "ra", "si",
    "te", "u", "vi", "wa", "ya", "zo", "sha", "che", "tho", "phi", "gra", "ste", "pro", "lan", "ter", "min",
};

constexpr std::string_view kRoles[] = {
    "a spokesman for the ministry", "a senior economist", "the chief executive", "a government spokeswoman",
    "an analyst", "the central bank governor", "a union leader", "the finance minister", "a company spokesman",
    "a senior official", "the trade minister", "a portfolio manager", "the mayor", "a diplomat",
    "the chairman", "a researcher", "the prime minister", "a lawyer for the group", "a farmer", "the director",
};

// Capitalised words that do not start a proper-noun span an entity may replace.
constexpr std::string_view kNotNames[] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "The", "A", "An", "I",
    "It", "He", "She", "They", "We", "In", "On", "At", "But", "And", "This", "That",
};

constexpr int kMaxSentenceWords = 40;
constexpr uint32_t kRareMaxCount = 3;
// Synthetic words: rank k >= kRareK0 drawn with P(K >= k) = (k / kRareK0)^-kRareAlpha.
constexpr double kRareK0 = 1000.0;
constexpr double kRareAlpha = 0.4;

// Token classes.
enum : uint16_t {
  kWord = 1,        // counts as a word
  kSpanStart = 2,   // Title-case word that may start a replaced proper-noun span
  kCapital = 4,     // capitalised: continues a span
  kRare = 8,        // may be replaced by a synthetic word
  kTerminal = 16,   // . ! ?
  kAttach = 32,     // no space before: , . ; : ! ? ) ]
  kOpen = 64,       // no space after: ( [
  kQuote = 128,     // opening "
  kQuoteClose = 256,  // closing "
};

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
char to_upper(char c) { return is_lower(c) ? static_cast<char>(c - 32) : c; }

uint16_t classify(std::string_view t, uint32_t count) {
  uint16_t f = 0;
  const unsigned char c0 = static_cast<unsigned char>(t[0]);
  if (t == corpus_detail::markov_detail::kOpenQuote || t == "\"") return kQuote;
  if (t == corpus_detail::markov_detail::kCloseQuote) return kQuoteClose;
  if (t.size() == 1 && (c0 == '.' || c0 == '!' || c0 == '?')) return kTerminal | kAttach;
  if (t.size() == 1 && (c0 == ',' || c0 == ';' || c0 == ':' || c0 == ')' || c0 == ']')) return kAttach;
  if (t.size() == 1 && (c0 == '(' || c0 == '[')) return kOpen;
  if (std::isalnum(c0) || c0 >= 0x80) f |= kWord;
  if (is_upper(t[0])) {
    f |= kCapital;
    bool not_name = false;
    for (auto w : kNotNames) not_name |= (t == w);
    if (t.size() >= 3 && is_lower(t[1]) && !not_name) f |= kSpanStart;
  }
  bool letters = t.size() >= 3;
  for (size_t i = 0; i < t.size() && letters; ++i) {
    const char c = t[i];
    letters = is_upper(c) || is_lower(c) || (i > 0 && (c == '-' || c == '\''));
  }
  if (letters && count <= kRareMaxCount) f |= kRare;
  return f;
}

// Zipf(s) over ranks 0..n-1 as a cumulative table.
std::vector<double> zipf_table(size_t n, double s) {
  std::vector<double> cum(n);
  double sum = 0;
  for (size_t k = 0; k < n; ++k) cum[k] = (sum += std::pow(static_cast<double>(k + 1), -s));
  for (auto& c : cum) c /= sum;
  cum.back() = 1.0;
  return cum;
}

size_t sample_table(const std::vector<double>& cum, Rng& rng) {
  const double u = rng.uniform();
  auto it = std::upper_bound(cum.begin(), cum.end(), u);
  return std::min(static_cast<size_t>(it - cum.begin()), cum.size() - 1);
}

std::string capitalised(std::string s) {
  if (!s.empty()) s[0] = to_upper(s[0]);
  return s;
}

// A synthetic word from syllables, fixed for `key`.
void synthetic_word(uint64_t key, std::string& out) {
  uint64_t h = mix64(key ^ 0x6A09E667F3BCC909ULL);
  const int syllables = 2 + static_cast<int>(h % 3);
  h >>= 2;
  constexpr size_t kS = std::size(kSyllables);
  for (int i = 0; i < syllables; ++i) {
    out.append(kSyllables[h % kS]);
    h /= kS;
  }
}

// Writes tokens with the spacing rules of English text.
class TextWriter {
 public:
  explicit TextWriter(std::string& out) : out_(out) {}

  void begin_sentence() {
    sentence_start_ = out_.size();
    words_ = 0;
    quote_open_ = false;
    prev_word_ = false;
  }
  // Quotes are balanced within a sentence: a second opening or an
  // unmatched closing quote is dropped.
  void token(std::string_view t, uint16_t flags) {
    if (flags & (kQuote | kQuoteClose)) {
      if ((flags & kQuote) && !quote_open_) {
        space();
        out_.push_back('"');
        need_space_ = false;
        quote_open_ = true;
      } else if ((flags & kQuoteClose) && quote_open_) {
        out_.push_back('"');
        need_space_ = true;
        quote_open_ = false;
      }
      prev_word_ = prev_capital_ = false;
      return;
    }
    if (!(flags & kAttach)) space();
    out_.append(t);
    need_space_ = !(flags & kOpen);
    prev_word_ = flags & kWord;
    prev_capital_ = is_upper(t[0]);
    if (prev_word_) ++words_;
  }
  void word(std::string_view t) { token(t, kWord); }
  // Ends the sentence with `terminal` after dropping dangling punctuation,
  // and closes an open quote. An empty sentence stays empty.
  void end_sentence(std::string_view terminal) {
    while (out_.size() > sentence_start_) {
      const char c = out_.back();
      if (c == ',' || c == ';' || c == ':' || c == '(' || c == '[' || c == ' ' || c == '-') {
        out_.pop_back();
      } else if (c == '"' && quote_open_) {
        out_.pop_back();
        quote_open_ = false;
      } else {
        break;
      }
    }
    if (out_.size() > sentence_start_) {
      if (!(terminal == "." && out_.back() == '.')) out_.append(terminal);
      if (quote_open_) out_.push_back('"');
      need_space_ = true;
    }
    quote_open_ = false;
    prev_word_ = prev_capital_ = false;
  }
  void paragraph_break() {
    out_.append("\n\n");
    need_space_ = false;
  }
  int words() const { return words_; }
  bool prev_word() const { return prev_word_; }
  bool prev_capital() const { return prev_capital_; }
  bool quote_open() const { return quote_open_; }

 private:
  void space() {
    if (need_space_) out_.push_back(' ');
  }
  std::string& out_;
  size_t sentence_start_ = 0;
  int words_ = 0;
  bool need_space_ = false;
  bool quote_open_ = false;
  bool prev_word_ = false;
  bool prev_capital_ = false;
};

}  // namespace

// ---------------------------------------------------------------------------

struct CorpusGenerator::Impl {
  MarkovModel model;
  std::vector<uint16_t> flags;
  uint32_t said = MarkovModel::kNone;
  std::vector<std::string> speakers;  // by rank
  std::vector<Entity> entities;       // by rank
  std::vector<double> speaker_cum, entity_cum;
  DayNumber first_day = 0, days = 1;
  double rare_rate = 0;
  uint64_t seed = 0;

  std::vector<std::string> titles;  // training titles, added after the bodies

  void add_training(const Article& art) {
    model.add_body(art.body);
    titles.push_back(art.title);
  }
  std::string title_case_from_bodies(std::string_view title) const;
  void build_pools();
  void prepare(const GeneratorOptions& o);
  void fill(uint64_t index, Article& a) const;

  // Per-article generation state.
  struct Work {
    Rng rng;
    Article& a;
    TextWriter w;
    std::vector<uint8_t> entity_done;
    size_t entities_left = 0;
    std::string scratch;
    Work(uint64_t s, Article& art) : rng(s), a(art), w(art.body) {}
  };
  void emit(Work& k, TextWriter& w, uint32_t tok) const;
  // Writes chain tokens until a sentence ends (returns the terminal token
  // text, "" when cut or at the end of a chain sequence; `st` is then
  // restarted). Proper-noun spans may be replaced by entities when
  // `entities` is set; quote tokens are dropped when `quotes` is false.
  std::string_view chain_sentence(Work& k, MarkovModel::State& st, bool entities, bool quotes) const;
  void speaker_sentence(Work& k, const std::string& name) const;
  void entity_sentence(Work& k, size_t entity) const;
  void title(Work& k) const;
  void body(Work& k) const;
};

void CorpusGenerator::Impl::build_pools() {
  // Speakers: 20,000 distinct first + last name pairs in a fixed order.
  Rng rng(0x5EED5EED5EEDULL);
  const size_t nf = std::size(kFirstNames), nl = std::size(kLastNames);
  const size_t want = std::min<size_t>(20000, nf * nl / 2);
  std::vector<uint8_t> used(nf * nl, 0);
  while (speakers.size() < want) {
    const size_t f = rng.below(static_cast<uint32_t>(nf)), l = rng.below(static_cast<uint32_t>(nl));
    if (used[f * nl + l]) continue;
    used[f * nl + l] = 1;
    speakers.push_back(std::string(kFirstNames[f]) + " " + std::string(kLastNames[l]));
  }
  // Entities: real ones spread over the top ranks, synthetic companies after.
  std::set<std::string> seen;
  std::vector<std::string> synthetic;
  while (synthetic.size() < 9700) {
    std::string name;
    synthetic_word(rng.next(), name);
    name = capitalised(name) + " " + std::string(kOrgSuffixes[rng.below(std::size(kOrgSuffixes))]);
    if (seen.insert(name).second) synthetic.push_back(std::move(name));
  }
  size_t ri = 0, si = 0;
  for (size_t rank = 0; ri < std::size(kRealEntities) || si < synthetic.size(); ++rank) {
    if (ri < std::size(kRealEntities) && (rank % 4 != 3 || si >= synthetic.size())) {
      const std::string_view name = kRealEntities[ri++];
      const bool org = std::find(std::begin(kRealOrganizations), std::end(kRealOrganizations), name) !=
                       std::end(kRealOrganizations);
      entities.push_back(Entity{std::string(name), org ? EntityType::Organization : EntityType::Place});
    } else {
      entities.push_back(Entity{synthetic[si++], EntityType::Organization});
    }
  }
  speaker_cum = zipf_table(speakers.size(), 1.1);
  entity_cum = zipf_table(entities.size(), 1.1);
}

// An ALL-CAPS title (Reuters) in the casing its words have in the bodies:
// "USDA CORRECTS SIZE OF COLORADO INC" -> "USDA corrects size of Colorado Inc".
// Other titles are returned as they are.
std::string CorpusGenerator::Impl::title_case_from_bodies(std::string_view title) const {
  int upper = 0;
  for (char c : title) {
    if (is_lower(c)) return std::string(title);
    upper += is_upper(c);
  }
  if (upper < 2) return std::string(title);
  auto count_of = [&](std::string_view w) {
    const uint32_t id = model.id_of(w);
    return id == MarkovModel::kNone ? 0u : model.count(id);
  };
  std::string out, form, best;
  bool first = true;
  size_t i = 0;
  while (i < title.size()) {
    size_t j = i;
    while (j < title.size() && title[j] != ' ') ++j;
    std::string_view chunk = title.substr(i, j - i);
    size_t a = 0, b = chunk.size();
    auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    while (a < b && !alnum(chunk[a])) ++a;
    while (b > a && !alnum(chunk[b - 1])) --b;
    std::string_view core = chunk.substr(a, b - a);
    best.assign(core);
    if (!core.empty()) {
      uint32_t best_count = count_of(core);
      for (int variant = 0; variant < 2; ++variant) {
        form.clear();
        for (size_t k = 0; k < core.size(); ++k)
          form.push_back(variant == 1 && k == 0 ? core[k] : static_cast<char>(std::tolower(static_cast<unsigned char>(core[k]))));
        const uint32_t c = count_of(form);
        if (c > best_count) best_count = c, best = form;
      }
      if (best_count == 0 && core.size() > 4)
        for (char& c : best) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (first && !best.empty()) best[0] = to_upper(best[0]);
      first = false;
    }
    if (!out.empty()) out.push_back(' ');
    out.append(chunk.substr(0, a)).append(best).append(chunk.substr(b));
    i = j;
    while (i < title.size() && title[i] == ' ') ++i;
  }
  return out;
}

void CorpusGenerator::Impl::prepare(const GeneratorOptions& o) {
  for (const std::string& t : titles) model.add_sequence(MarkovModel::kTitleStart, title_case_from_bodies(t));
  titles.clear();
  titles.shrink_to_fit();
  model.finish();
  flags.resize(model.vocabulary_size() + 3);
  uint64_t rare_mass = 0;
  for (uint32_t id = 3; id < flags.size(); ++id) {
    flags[id] = classify(model.text(id), model.count(id));
    if (flags[id] & kRare) rare_mass += model.count(id);
  }
  said = model.id_of("said");
  build_pools();
  if (o.first_year < 1 || o.last_year > 9999 || o.first_year > o.last_year)
    throw std::runtime_error("invalid year range");
  first_day = days_from_civil(o.first_year, 1, 1);
  days = days_from_civil(o.last_year, 12, 31) - first_day + 1;
  // Replace rare words with the probability that makes about rare_word_rate
  // of all tokens synthetic, whatever the size of the training corpus.
  const double mass = static_cast<double>(rare_mass) / static_cast<double>(model.training_tokens());
  rare_rate = mass > 0 ? std::clamp(o.rare_word_rate / mass, 0.0, 1.0) : 0.0;
  seed = o.seed;
}

void CorpusGenerator::Impl::emit(Work& k, TextWriter& w, uint32_t tok) const {
  const uint16_t f = flags[tok];
  if ((f & kRare) && rare_rate > 0 && k.rng.chance(rare_rate)) {
    // A synthetic word of power-law rank, cased like the word it replaces.
    const double u = 1.0 - k.rng.uniform();  // (0, 1]
    const double r = std::min(kRareK0 * std::pow(u, -1.0 / kRareAlpha), 1e15);
    k.scratch.clear();
    synthetic_word(static_cast<uint64_t>(r), k.scratch);
    const std::string& orig = model.text(tok);
    if (is_upper(orig[0])) {
      if (orig.size() >= 2 && is_upper(orig[1]))
        for (char& c : k.scratch) c = to_upper(c);
      else
        k.scratch[0] = to_upper(k.scratch[0]);
    }
    w.token(k.scratch, kWord);
    return;
  }
  w.token(model.text(tok), f);
}

std::string_view CorpusGenerator::Impl::chain_sentence(Work& k, MarkovModel::State& st, bool entities,
                                                       bool quotes) const {
  bool suppress = false;
  const int start_words = k.w.words();
  for (int steps = 0; steps < 400; ++steps) {
    const uint32_t tok = model.next(st, k.rng);
    if (tok == MarkovModel::kEnd) {
      st = model.start_state(MarkovModel::kStart);
      if (k.w.words() == start_words) continue;
      return "";
    }
    const uint16_t f = flags[tok];
    if (suppress) {
      if (f & kCapital) continue;
      suppress = false;
    }
    if (f & kTerminal) {
      if (k.w.words() == start_words) continue;
      return model.text(tok);
    }
    if ((f & (kQuote | kQuoteClose)) && !quotes) continue;
    if (entities && (f & kSpanStart) && k.w.prev_word() && !k.w.prev_capital()) {
      size_t pick = SIZE_MAX;
      if (k.entities_left > 0) {
        if (k.rng.chance(0.5))
          for (size_t i = 0; i < k.entity_done.size(); ++i)
            if (!k.entity_done[i]) {
              pick = i;
              break;
            }
      } else if (k.rng.chance(0.12)) {
        pick = k.rng.below(static_cast<uint32_t>(k.a.entities.size()));
      }
      if (pick != SIZE_MAX) {
        if (!k.entity_done[pick]) k.entity_done[pick] = 1, --k.entities_left;
        k.w.word(k.a.entities[pick].name);
        suppress = true;
        continue;
      }
    }
    emit(k, k.w, tok);
    if (k.w.words() - start_words >= kMaxSentenceWords) {
      st = model.start_state(MarkovModel::kStart);
      return "";
    }
  }
  st = model.start_state(MarkovModel::kStart);
  return "";
}

void CorpusGenerator::Impl::speaker_sentence(Work& k, const std::string& name) const {
  auto said_state = [&] {
    return said != MarkovModel::kNone ? model.after(said) : model.start_state(MarkovModel::kStart);
  };
  const uint32_t form = k.rng.below(100);
  k.w.begin_sentence();
  if (form < 50) {
    // <Name> said ... / <Name>, <role>, said ...
    k.w.word(name);
    if (form >= 35) {
      k.w.token(",", kAttach);
      const std::string_view role = kRoles[k.rng.below(std::size(kRoles))];
      k.w.word(role);
      k.w.token(",", kAttach);
    }
    k.w.word("said");
    MarkovModel::State st = said_state();
    std::string_view end = chain_sentence(k, st, true, true);
    k.w.end_sentence(end.empty() ? "." : end);
    return;
  }
  // "...," said <Name>.  /  "...," <Name> said.
  k.w.token("\"", kQuote);
  MarkovModel::State st = model.start_state(MarkovModel::kStart);
  std::string_view end = chain_sentence(k, st, true, false);
  k.w.end_sentence(end == "?" || end == "!" ? end : ",");  // also closes the quote
  if (form < 80) {
    k.w.word("said");
    k.w.word(name);
  } else {
    k.w.word(name);
    k.w.word("said");
  }
  k.w.end_sentence(".");
}

void CorpusGenerator::Impl::entity_sentence(Work& k, size_t e) const {
  if (!k.entity_done[e]) k.entity_done[e] = 1, --k.entities_left;
  k.w.begin_sentence();
  if (k.rng.chance(0.5)) {
    k.w.word(k.a.entities[e].name);
    k.w.word("said");
    MarkovModel::State st =
        said != MarkovModel::kNone ? model.after(said) : model.start_state(MarkovModel::kStart);
    std::string_view end = chain_sentence(k, st, false, true);
    k.w.end_sentence(end.empty() ? "." : end);
  } else {
    MarkovModel::State st = model.start_state(MarkovModel::kStart);
    chain_sentence(k, st, false, true);
    k.w.end_sentence(",");
    k.w.word("according to");
    k.w.word(k.a.entities[e].name);
    k.w.end_sentence(".");
  }
}

void CorpusGenerator::Impl::title(Work& k) const {
  std::string& t = k.a.title;
  for (int attempt = 0; attempt < 6; ++attempt) {
    t.clear();
    TextWriter w(t);
    w.begin_sentence();
    const int max_words = k.rng.range(5, 12);
    MarkovModel::State st = model.start_state(MarkovModel::kTitleStart);
    for (int steps = 0; steps < 100 && w.words() < max_words; ++steps) {
      const uint32_t tok = model.next(st, k.rng);
      if (tok == MarkovModel::kEnd) break;
      emit(k, w, tok);
    }
    const bool ok = w.words() >= 5;
    w.end_sentence("");
    // A title ends without a full stop.
    while (!t.empty() && t.back() == '.') t.pop_back();
    if (ok) return;
  }
}

void CorpusGenerator::Impl::body(Work& k) const {
  Rng& rng = k.rng;
  // Length: log-normal around 250 words, clamped to 80..560 (the closing
  // speaker and entity sentences stay under 600).
  const double u1 = 1.0 - rng.uniform(), u2 = rng.uniform();
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  const int target = std::clamp(static_cast<int>(250.0 * std::exp(0.45 * z)), 80, 560);
  const int planned = std::max(3, target / 22);
  struct Slot {
    int sentence;
    bool speaker;
    size_t index;
  };
  std::vector<Slot> slots;
  for (size_t i = 0; i < k.a.speakers.size(); ++i)
    slots.push_back({static_cast<int>(rng.below(static_cast<uint32_t>(planned))), true, i});
  for (size_t i = 0; i < k.a.entities.size(); ++i)
    slots.push_back({static_cast<int>(rng.below(static_cast<uint32_t>(planned))) + 1, false, i});
  std::stable_sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) { return a.sentence < b.sentence; });
  size_t next_slot = 0;

  int words = 0, sentence = 0, in_paragraph = 0;
  int paragraph_size = rng.range(2, 5);
  MarkovModel::State st = model.start_state(MarkovModel::kStart);
  auto count_words = [&](auto&& write) {
    write();
    words += k.w.words();
    ++sentence;
    ++in_paragraph;
  };
  auto run_slot = [&](const Slot& s) {
    if (s.speaker)
      count_words([&] { speaker_sentence(k, k.a.speakers[s.index]); });
    else if (!k.entity_done[s.index])
      count_words([&] { entity_sentence(k, s.index); });
  };
  while (words < target || in_paragraph < 2) {
    if (in_paragraph == paragraph_size) {
      k.w.paragraph_break();
      in_paragraph = 0;
      paragraph_size = rng.range(2, 5);
      st = model.start_state(MarkovModel::kStart);
      if (words >= target) break;
    }
    if (next_slot < slots.size() && slots[next_slot].sentence <= sentence) {
      run_slot(slots[next_slot++]);
      continue;
    }
    count_words([&] {
      k.w.begin_sentence();
      std::string_view end = chain_sentence(k, st, true, true);
      k.w.end_sentence(end.empty() ? "." : end);
    });
  }
  // Whoever was not mentioned yet closes the article.
  while (next_slot < slots.size()) {
    if (in_paragraph == 5) {
      k.w.paragraph_break();
      in_paragraph = 0;
    }
    run_slot(slots[next_slot++]);
  }
  while (k.a.body.size() >= 2 && k.a.body.back() == '\n') k.a.body.pop_back();
}

void CorpusGenerator::Impl::fill(uint64_t index, Article& a) const {
  a.title.clear();
  a.body.clear();
  a.speakers.clear();
  a.entities.clear();
  a.url.clear();
  a.source.clear();
  a.file.clear();
  a.line = 0;
  a.labels.clear();
  a.has_speakers = a.has_entities = true;
  Work k(mix64(seed * 0x9E3779B97F4A7C15ULL ^ mix64(index)), a);
  Rng& rng = k.rng;

  char id[64];
  std::snprintf(id, sizeof id, "syn-%llu-%08llu", static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(index));
  a.id = id;

  // Date: density rising linearly from c to c + 1 over the range.
  constexpr double c = 0.25;
  const double x = -c + std::sqrt(c * c + 2.0 * rng.uniform() * (c + 0.5));
  a.date = first_day + std::min(days - 1, static_cast<DayNumber>(x * days));

  // Speakers: 0-3, entities: 1-8, distinct within the article.
  auto pick = [&](const auto& pool, const std::vector<double>& cum, int n, auto& out) {
    for (int i = 0; i < n; ++i)
      for (int attempt = 0; attempt < 20; ++attempt) {
        const auto& cand = pool[sample_table(cum, rng)];
        if (std::find(out.begin(), out.end(), cand) == out.end()) {
          out.push_back(cand);
          break;
        }
      }
  };
  const uint32_t sp = rng.below(100);
  pick(speakers, speaker_cum, sp < 30 ? 0 : sp < 65 ? 1 : sp < 85 ? 2 : 3, a.speakers);
  static constexpr int kEntityWeights[] = {20, 22, 20, 14, 10, 7, 4, 3};  // 1..8
  int en = 1;
  for (uint32_t r = rng.below(100); en < 8 && r >= static_cast<uint32_t>(kEntityWeights[en - 1]); ++en)
    r -= kEntityWeights[en - 1];
  pick(entities, entity_cum, en, a.entities);
  k.entity_done.assign(a.entities.size(), 0);
  k.entities_left = a.entities.size();

  title(k);
  body(k);
}

// ---------------------------------------------------------------------------

CorpusGenerator::CorpusGenerator(GeneratorOptions options, const DiagnosticSink& diag)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  const auto t0 = std::chrono::steady_clock::now();
  ReadStats rs = read_articles(
      options_.train_paths,
      [&](Article&& art) { impl_->add_training(art); },
      diag);
  stats_.articles = rs.articles;
  stats_.read_errors = rs.errors;
  impl_->prepare(options_);
  stats_.tokens = impl_->model.training_tokens();
  stats_.distinct_tokens = impl_->model.vocabulary_size();
  stats_.contexts = impl_->model.contexts();
  stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

CorpusGenerator::CorpusGenerator(GeneratorOptions options, const std::vector<Article>& training)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  const auto t0 = std::chrono::steady_clock::now();
  for (const Article& art : training) impl_->add_training(art);
  stats_.articles = training.size();
  impl_->prepare(options_);
  stats_.tokens = impl_->model.training_tokens();
  stats_.distinct_tokens = impl_->model.vocabulary_size();
  stats_.contexts = impl_->model.contexts();
  stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

CorpusGenerator::~CorpusGenerator() = default;

void CorpusGenerator::article(uint64_t index, Article& out) const { impl_->fill(index, out); }

void CorpusGenerator::generate(uint64_t n, const std::function<void(const Article&)>& sink) const {
  Article a;
  for (uint64_t i = 0; i < n; ++i) {
    impl_->fill(i, a);
    sink(a);
  }
}

std::string article_to_jsonl(const Article& a) {
  JsonObject o;
  o.field("id", a.id);
  if (a.date == kNoDate) o.null_field("date");
  else o.field("date", format_iso_date(a.date));
  o.field("title", a.title).field("body", a.body).field("speakers", a.speakers);
  std::string list = "[";
  for (const Entity& e : a.entities) {
    if (list.size() > 1) list.push_back(',');
    JsonObject eo;
    eo.field("name", e.name).field("type", entity_type_name(e.type));
    list += eo.str();
  }
  list.push_back(']');
  o.raw_field("entities", list);
  return o.str();
}

}  // namespace dateline
