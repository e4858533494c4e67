// Field extraction: date, quoted speakers and named entities of an article.
#pragma once

#include <optional>
#include <string_view>

#include "corpus/article.h"

namespace dateline {

// Fills the fields the input did not give: speakers (unless has_speakers),
// entities and the aliases resolved among them (unless has_entities; given
// entities of type Other take the type found for the same name in the
// text), and the date from a dateline at the start of
// the body when `date` is kNoDate. A dateline without a year ("BRUSSELS, Nov
// 13 (Reuters) -") takes the year from context: a date or year in the file
// name of `origin` ("2024-11-13-cable.txt", "news-2024.jsonl"). Deterministic;
// never throws on any text.
void extract_fields(Article& article);

// The type of a name by the gazetteer alone (countries, cities, regions,
// international organisations): "Norway" -> Place, "NATO" -> Organization,
// anything else Other. Used for entities given as bare strings.
EntityType entity_type_of_name(std::string_view name);

// The entity the gazetteer knows `name` as, whatever its case, accents or a
// final '.': "fed" -> {"Federal Reserve", org}, "us", "U.S." and "america" ->
// {"United States", place}, "gdansk" -> {"Gdańsk", place}. Acronyms that the
// extractor only takes in capitals ("US", "WHO") are found in any case here.
// nullopt for names it does not know and for nationality words ("French").
std::optional<Entity> gazetteer_entity(std::string_view name);

}  // namespace dateline
