// The article model: what every reader produces and the indexer consumes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/date.h"

namespace dateline {

// What a named entity is. Stored as one byte in the doc store (docs/format.md).
enum class EntityType : uint8_t { Other = 0, Person = 1, Organization = 2, Place = 3 };

struct Entity {
  std::string name;                       // canonical form: the fullest name ("Mark Rutte", "United States")
  EntityType type = EntityType::Other;
  bool operator==(const Entity&) const = default;
};

// A name the extractor resolved to a different entity in one article: "CFTC"
// to "Commodity Futures Trading Commission", "Fannie Mae" to "Federal
// National Mortgage Association". Only aliases that the entity's own words do
// not already contain are kept (a surname is not an alias of the full name).
struct NameAlias {
  std::string alias;                      // as written ("CFTC")
  std::string name;                       // the entity's canonical name
  EntityType type = EntityType::Other;    // the entity's type
  bool operator==(const NameAlias&) const = default;
};

// "person", "org", "place", "other".
constexpr std::string_view entity_type_name(EntityType t) {
  switch (t) {
    case EntityType::Person: return "person";
    case EntityType::Organization: return "org";
    case EntityType::Place: return "place";
    case EntityType::Other: return "other";
  }
  return "other";
}

// The inverse of entity_type_name(), also accepting "organization",
// "organisation", "location" (ASCII case-insensitive); nullopt if unknown.
std::optional<EntityType> parse_entity_type(std::string_view name);

// The names of `entities`, in order; only those of type `type` if given.
std::vector<std::string> entity_names(const std::vector<Entity>& entities,
                                      std::optional<EntityType> type = std::nullopt);

// Who a quotation is attributed to. Stored as one byte (docs/format.md).
enum class SpeakerKind : uint8_t { Person = 0, Organization = 1, Unnamed = 2 };
// Direct: the speaker's words in quotation marks; reported: "X said (that) ...",
// "according to X, ...".
enum class QuoteKind : uint8_t { Direct = 0, Reported = 1 };

// "person", "organization", "unnamed" / "direct", "reported".
std::string_view speaker_kind_name(SpeakerKind k);
std::string_view quote_kind_name(QuoteKind k);
std::optional<SpeakerKind> parse_speaker_kind(std::string_view name);
std::optional<QuoteKind> parse_quote_kind(std::string_view name);

// One attributed quotation of an article's body (corpus/gold/README.md gives
// the rules: one per attribution verb, continued quotes and each paragraph of
// a long quote their own record).
struct Quotation {
  std::string speaker;                        // canonical name; "" for an unnamed source
  SpeakerKind speaker_kind = SpeakerKind::Person;
  QuoteKind kind = QuoteKind::Direct;
  std::string cue;                            // lemma of the attribution: "say", "tell", "according to"
  uint32_t start = 0, end = 0;                // UTF-8 byte range in the body, half-open, marks excluded
  bool operator==(const Quotation&) const = default;
};

struct Article {
  std::string id;                     // unique within an archive; never empty after reading
  DayNumber date = kNoDate;           // publication date, kNoDate when unknown
  std::string title;
  std::string body;                   // paragraphs separated by "\n\n"
  std::vector<std::string> speakers;  // full names of quoted people
  std::vector<Entity> entities;       // people, organisations, places mentioned, each once
  std::vector<NameAlias> aliases;     // extracted with the entities; indexed, not stored
  std::vector<Quotation> quotes;      // in body order (by start)
  std::string url;
  std::string source;
  std::string author;                 // JSONL "author" / "byline"; stored, not indexed
  // Source metadata that is not indexed, as (kind, value): Reuters-21578's
  // <PEOPLE>, <ORGS> and <PLACES> tags become ("people", "reagan"),
  // ("orgs", "opec"), ("places", "usa"). Used to evaluate the extractor.
  std::vector<std::pair<std::string, std::string>> labels;
  // Where the article came from: the file path as given on the command line
  // (a walked directory's files as the directory joined with their relative
  // path; "-" for standard input) and the 1-based line the record starts on
  // (0 when the format has no lines to speak of: a whole .txt file). Stored in
  // the index, so every hit leads back to its file.
  std::string file;
  uint64_t line = 0;
  // "file:line", or "file" when line is 0, with standard input shown as
  // "<stdin>": for messages.
  std::string origin() const {
    const std::string f = file == "-" ? "<stdin>" : file;
    return line ? f + ":" + std::to_string(line) : f;
  }
  // True when the input gave speakers / entities explicitly (they win over
  // extraction, even when empty).
  bool has_speakers = false;
  bool has_entities = false;
  bool has_quotes = false;
};

}  // namespace dateline
