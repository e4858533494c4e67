// extract_fields(): date from the dateline, quoted speakers, named entities.
#include "corpus/extract.h"

#include <algorithm>
#include <string>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline {

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
    if (article.has_speakers && article.has_entities && !untyped) return;

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
    if (!article.has_speakers) {
      std::vector<std::string> speakers;
      find_speakers(doc, speakers);
      article.speakers = std::move(speakers);
    }
    std::vector<Entity> entities;
    find_entities(doc, article.speakers, entities);
    if (!article.has_entities) {
      article.entities = std::move(entities);
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
