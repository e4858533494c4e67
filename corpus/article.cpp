#include "corpus/article.h"

#include "corpus/text_util.h"

namespace dateline {

std::optional<EntityType> parse_entity_type(std::string_view name) {
  using corpus_detail::iequals_ascii;
  if (iequals_ascii(name, "person")) return EntityType::Person;
  if (iequals_ascii(name, "org") || iequals_ascii(name, "organization") || iequals_ascii(name, "organisation"))
    return EntityType::Organization;
  if (iequals_ascii(name, "place") || iequals_ascii(name, "location")) return EntityType::Place;
  if (iequals_ascii(name, "other")) return EntityType::Other;
  return std::nullopt;
}

std::string_view speaker_kind_name(SpeakerKind k) {
  switch (k) {
    case SpeakerKind::Person: return "person";
    case SpeakerKind::Organization: return "organization";
    case SpeakerKind::Unnamed: return "unnamed";
  }
  return "unnamed";
}

std::string_view quote_kind_name(QuoteKind k) { return k == QuoteKind::Direct ? "direct" : "reported"; }

std::optional<SpeakerKind> parse_speaker_kind(std::string_view name) {
  using corpus_detail::iequals_ascii;
  if (iequals_ascii(name, "person")) return SpeakerKind::Person;
  if (iequals_ascii(name, "organization") || iequals_ascii(name, "organisation") || iequals_ascii(name, "org"))
    return SpeakerKind::Organization;
  if (iequals_ascii(name, "unnamed")) return SpeakerKind::Unnamed;
  return std::nullopt;
}

std::optional<QuoteKind> parse_quote_kind(std::string_view name) {
  using corpus_detail::iequals_ascii;
  if (iequals_ascii(name, "direct")) return QuoteKind::Direct;
  if (iequals_ascii(name, "reported")) return QuoteKind::Reported;
  return std::nullopt;
}

std::vector<std::string> entity_names(const std::vector<Entity>& entities, std::optional<EntityType> type) {
  std::vector<std::string> out;
  out.reserve(entities.size());
  for (const Entity& e : entities)
    if (!type || e.type == *type) out.push_back(e.name);
  return out;
}

}  // namespace dateline
