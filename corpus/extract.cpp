// extract_fields(): date from the dateline, quoted speakers, named entities.
#include "corpus/extract.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline {

namespace {

// `words` is a run of whole words of `name`: "Kodak" of "Eastman Kodak Co".
bool contains_words(std::string_view name, std::string_view words) {
  for (size_t at = name.find(words); at != std::string_view::npos; at = name.find(words, at + 1))
    if ((at == 0 || name[at - 1] == ' ') && (at + words.size() == name.size() || name[at + words.size()] == ' '))
      return true;
  return false;
}

// The article's own publication ("source": "The Meridian Review", or "The
// Long Haul (podcast, ...)"), where the text names it ("told The Meridian
// Review"), is an organisation, whatever the rules made of its words.
void type_own_publication(const std::string& source, std::string_view text, std::vector<Entity>& entities) {
  std::string_view name = source;
  if (const size_t p = name.find(" ("); p != std::string_view::npos) name = name.substr(0, p);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  const std::string_view core = name.starts_with("The ") ? name.substr(4) : name;
  if (core.size() < 3 || !(core[0] >= 'A' && core[0] <= 'Z')) return;
  const auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
  };
  bool named = false;
  for (size_t at = text.find(core); at != std::string_view::npos && !named; at = text.find(core, at + 1))
    named = (at == 0 || !word_char(text[at - 1])) && (at + core.size() == text.size() || !word_char(text[at + core.size()]));
  if (!named) return;
  const auto is_it = [&](const Entity& e) { return e.name == name || e.name == core || e.name == "The " + std::string(core); };
  const auto first = std::find_if(entities.begin(), entities.end(), is_it);
  if (first == entities.end()) {
    entities.push_back(Entity{std::string(name), EntityType::Organization});
    return;
  }
  *first = Entity{std::string(name), EntityType::Organization};
  entities.erase(std::remove_if(first + 1, entities.end(), is_it), entities.end());
}

// Whether `longer` is `name` of something ("House of Commons") or a
// nationality's ("European Parliament", not "White House").
bool names_one_of(std::string_view longer, std::string_view name) {
  using namespace corpus_detail;
  if (longer.size() > name.size() + 4 && longer.starts_with(name) && longer.substr(name.size()).starts_with(" of "))
    return true;
  if (longer.size() <= name.size() + 1 || !longer.ends_with(name) || longer[longer.size() - name.size() - 1] != ' ')
    return false;
  const GazEntry* g = gazetteer_lookup(ascii_lower(longer.substr(0, longer.size() - name.size() - 1)), false);
  return g && g->kind == GazKind::Nationality;
}

// A one-word organisation of the gazetteer ("House", "Parliament") is the
// one longer organisation of the article that names one of it ("House of
// Representatives", "House of Commons", "European Parliament"), wherever
// the rules left it apart ("Democratic leaders in the House", "She told
// us Parliament would insist"); with none or several, it stays.
void join_short_org_names(std::vector<Entity>& entities, std::vector<NameAlias>& aliases) {
  for (size_t i = 0; i < entities.size(); ++i) {
    const Entity& e = entities[i];
    if (e.type != EntityType::Organization || e.name.find(' ') != std::string::npos ||
        entity_type_of_name(e.name) != EntityType::Organization)
      continue;
    size_t longer = entities.size(), found = 0;
    for (size_t j = 0; j < entities.size(); ++j)
      if (entities[j].type == EntityType::Organization && names_one_of(entities[j].name, e.name)) longer = j, ++found;
    if (found != 1) continue;
    aliases.push_back(NameAlias{e.name, entities[longer].name, EntityType::Organization});
    entities.erase(entities.begin() + static_cast<std::ptrdiff_t>(i--));
  }
}

// The people of a place ("Victorians", "Aucklanders", "Parisians") are no
// organisation or place: a one-word name that is a place of the article or
// of the gazetteer with "ns", "ers" or "ians" after it is left out.
void drop_place_demonyms(std::vector<Entity>& entities) {
  using namespace corpus_detail;
  const auto is_place = [&](std::string_view stem) {
    for (const Entity& e : entities)
      if (e.type == EntityType::Place && e.name == stem) return true;
    const GazEntry* g = gazetteer_lookup(ascii_lower(stem), false);
    return (g && g->kind == GazKind::Place) || is_city(fold_key(ascii_lower(stem)));
  };
  std::erase_if(entities, [&](const Entity& e) {
    if (e.type == EntityType::Person || e.name.find(' ') != std::string::npos) return false;
    const std::string_view n = e.name;
    for (const std::string_view suffix : {"ns", "ers", "ians"})
      if (n.size() > suffix.size() + 2 && n.ends_with(suffix) && is_place(n.substr(0, n.size() - suffix.size())))
        return true;
    return false;
  });
}

// The speakers that nothing but their speaking made people ("Nimbus Data
// Parks said"), once the rules and the tagger have typed every name: an
// organisation speaks as one (its records too), a place is no speaker (its
// records lose the name: who spoke is not known), anything else is a person.
void confirm_speakers(const std::vector<std::string>& unsure, std::vector<Entity>& entities, Article& article) {
  for (const std::string& name : unsure) {
    const auto e = std::find_if(entities.begin(), entities.end(), [&](const Entity& x) { return x.name == name; });
    if (e == entities.end()) continue;
    if (e->type != EntityType::Organization && e->type != EntityType::Place) {
      e->type = EntityType::Person;
      continue;
    }
    std::erase(article.speakers, name);
    if (article.has_quotes) continue;  // quotations the input gave stay as given
    for (Quotation& q : article.quotes)
      if (q.speaker == name && q.speaker_kind == SpeakerKind::Person) {
        q.speaker_kind = e->type == EntityType::Organization ? SpeakerKind::Organization : SpeakerKind::Unnamed;
        if (q.speaker_kind == SpeakerKind::Unnamed) q.speaker.clear();
      }
  }
}

}  // namespace

void extract_fields(Article& article) {
  using namespace corpus_detail;
  try {
    if (article.date == kNoDate) {
      if (auto d = date_from_dateline(article.body, date_context_of(article.file))) article.date = *d;
    }
    // Given entities of unknown type ("entities": ["Statistics Norway"]) take
    // the type the extractor finds for the same name in the text.
    const bool untyped = article.has_entities &&
                         std::any_of(article.entities.begin(), article.entities.end(),
                                     [](const Entity& e) { return e.type == EntityType::Other; });
    if (article.has_speakers && article.has_entities && !untyped && article.has_quotes) return;

    // Title and body (the title as its own paragraph), unless the body
    // already starts with the title.
    std::string_view title = article.title;
    std::string text;
    bool headline = false;
    if (!title.empty() && std::string_view(article.body).substr(0, title.size()) != title) {
      text.reserve(article.title.size() + 2 + article.body.size());
      text.append(article.title).append("\n\n").append(article.body);
      headline = true;
    } else {
      text = article.body;
    }

    Doc doc;
    analyze(text, doc, headline);
    std::vector<std::string> speakers;
    std::vector<Attribution> attributions;
    find_speakers(doc, speakers, &attributions);
    const auto body_from = static_cast<uint32_t>(headline ? article.title.size() + 2 : 0);
    std::vector<Quotation> answers;
    find_transcript_quotations(doc, body_from, article.author, attributions, speakers, answers);
    if (!article.has_speakers) article.speakers = std::move(speakers);
    if (!article.has_quotes) {
      article.quotes.clear();
      find_quotations(doc, attributions, body_from, article.quotes);
      article.quotes.insert(article.quotes.end(), answers.begin(), answers.end());
      std::stable_sort(article.quotes.begin(), article.quotes.end(),
                       [](const Quotation& x, const Quotation& y) { return x.start < y.start; });
    }
    if (article.has_speakers && article.has_entities && !untyped) return;
    std::vector<Entity> entities;
    std::vector<NameAlias> aliases;
    std::vector<std::string> unsure;  // speakers only their speaking makes people
    find_entities(doc, article.speakers, entities, &aliases, article.has_speakers ? nullptr : &unsure);
    // An organisation that speaks goes by its canonical name ("The CFTC
    // said" -> "Commodity Futures Trading Commission", "Chrysler said" ->
    // "Chrysler Corp"); one the rules dropped (a sentence-initial "Amazon
    // said") is a name for the tagger to type with the others.
    for (Quotation& q : article.quotes) {
      if (q.speaker_kind != SpeakerKind::Organization) continue;
      for (const NameAlias& al : aliases)
        if (al.alias == q.speaker) q.speaker = al.name;
      // "Chrysler" -> "Chrysler Corp"; "Kodak" -> "Eastman Kodak Co".
      for (const Entity& e : entities)
        if (e.name.size() > q.speaker.size() &&
            ((e.name.starts_with(q.speaker) && e.name[q.speaker.size()] == ' ') ||
             (e.type == EntityType::Organization && contains_words(e.name, q.speaker))))
          q.speaker = e.name;
      if (std::none_of(entities.begin(), entities.end(), [&](const Entity& e) { return e.name == q.speaker; }))
        entities.push_back(Entity{q.speaker, EntityType::Other});
    }
    type_by_tagger(doc, entities);
    confirm_speakers(unsure, entities, article);
    // A name that speaks as an organisation and that neither the rules nor
    // the tagger typed is one ("Sakuragawa said").
    for (const Quotation& q : article.quotes)
      if (q.speaker_kind == SpeakerKind::Organization)
        for (Entity& e : entities)
          if (e.name == q.speaker && e.type == EntityType::Other) e.type = EntityType::Organization;
    type_own_publication(article.source, text, entities);
    join_short_org_names(entities, aliases);
    drop_place_demonyms(entities);
    if (!article.has_entities) {
      article.entities = std::move(entities);
      if (article.aliases.empty()) article.aliases = std::move(aliases);
    } else {
      for (Entity& given : article.entities) {
        if (given.type != EntityType::Other) continue;
        for (const Entity& found : entities)
          if (found.name == given.name && found.type != EntityType::Other) given.type = found.type;
      }
    }
  } catch (...) {
    // Only allocation failure can get here; leave the article as it is.
  }
}

namespace {

// Unicode case folding (NFC); the text unchanged if it is not valid UTF-8.
std::string case_fold(std::string_view s) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                              static_cast<utf8proc_ssize_t>(s.size()), &mapped,
                              static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
  if (n < 0) return std::string(s);
  std::string out(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  return out;
}

}  // namespace

std::optional<Entity> gazetteer_entity(std::string_view name) {
  using namespace corpus_detail;
  std::string key = collapse_whitespace(case_fold(name));
  while (!key.empty() && key.back() == '.') key.pop_back();
  const GazEntry* g = gazetteer_lookup(key, true);
  if (!g) {
    // Fixed names with lower-case words: "organization of petroleum exporting countries" -> OPEC.
    for (const Phrase& p : gazetteer_phrases()) {
      std::string words;
      for (const std::string& w : p.words) words += (words.empty() ? "" : " ") + w;
      if (words == key) {
        g = gazetteer_lookup(ascii_lower(p.canonical), true);
        if (!g) return Entity{std::string(p.canonical), EntityType::Organization};
        break;
      }
    }
  }
  if (!g || g->kind == GazKind::Nationality) return std::nullopt;
  return Entity{std::string(g->canonical), g->kind == GazKind::Place ? EntityType::Place : EntityType::Organization};
}

EntityType entity_type_of_name(std::string_view name) {
  using namespace corpus_detail;
  const GazEntry* g = gazetteer_lookup(ascii_lower(name), true);
  if (!g) return EntityType::Other;
  switch (g->kind) {
    case GazKind::Place: return EntityType::Place;
    case GazKind::Org: return EntityType::Organization;
    case GazKind::Nationality: return EntityType::Other;
  }
  return EntityType::Other;
}

}  // namespace dateline
