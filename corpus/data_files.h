// Internal to corpus/: the data files of corpus/data/ (word lists, the
// gazetteer), compiled into the binary. corpus/data/embed.cmake generates
// their definitions (corpus_data.cpp in the build tree) at build time, so a
// file's text is a constant: nothing is read from disk at run time.
// corpus/data/README.md describes the files and their formats.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace dateline::corpus_detail {

struct DataFile {
  std::string_view path;  // relative to corpus/data/: "words/stopwords.txt"
  std::string_view text;  // the file's bytes (UTF-8)
};

// One DataFile per file, named after its path without ".txt".
namespace data {
extern const DataFile gazetteer_countries, gazetteer_places, gazetteer_place_abbreviations,
    gazetteer_organisations, gazetteer_companies, gazetteer_nationalities, gazetteer_phrases, gazetteer_cities;
extern const DataFile words_stopwords, words_function_words, words_months_days, words_title_cores,
    words_title_modifiers, words_org_words, words_corporate_suffixes, words_name_connectors, words_not_entities,
    words_event_words, words_directions, words_unnamed_sources, words_speech_verbs_strong, words_speech_verbs_weak,
    words_inversion_verbs, words_speech_fillers, words_source_groups, words_speaking_org_nouns, words_cue_lemmas,
    words_first_names_female, words_first_names_male, words_titles_female, words_titles_male,
    words_post_nominals, words_role_nouns, words_org_cues_after, words_org_cues_before, words_place_prepositions, words_place_nouns, words_place_heads_first, words_place_heads_last, words_club_words, words_time_prepositions,
    words_place_heads_of, words_object_prepositions, words_apposition_starts, words_number_words,
    words_clause_openers, words_phrase_openers, words_location_prepositions, words_after_speaker,
    words_place_first_names, words_org_adjectives, words_registered_suffixes, words_stock_moves;
}  // namespace data

// Every compiled-in data file, in the order corpus/CMakeLists.txt lists them.
std::span<const DataFile* const> all_data_files();

// A line of a data file that holds an entry.
struct DataEntry {
  std::string_view text;  // the line without its `#` comment and the blanks around it; never empty
  uint32_t line;          // 1-based line number
};

// The entries of a data file in order: each line without its `#` comment and
// the spaces and tabs around it; lines left empty are skipped. Views into file.text.
std::vector<DataEntry> data_entries(const DataFile& file);

// The `|`-separated fields of an entry, each without the spaces and tabs
// around it: "US | United States | upper" -> "US", "United States", "upper".
std::vector<std::string_view> data_fields(std::string_view entry);

// Prints "corpus/data/PATH:LINE: malformed entry (WHAT): TEXT" on stderr and
// aborts: the data files are part of the program, so a bad entry is a build defect.
[[noreturn]] void bad_data_entry(const DataFile& file, const DataEntry& entry, std::string_view what);

}  // namespace dateline::corpus_detail
