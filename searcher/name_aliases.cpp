#include "searcher/name_aliases.h"

#include <algorithm>

#include "corpus/extract.h"
#include "indexer/document_terms.h"

namespace dateline {

namespace {

// The alias type letters a field's values may resolve through.
std::string type_letters(Field f) {
  switch (f) {
    case Field::Speaker:
    case Field::Person: return {alias_type_letter(EntityType::Person)};
    case Field::Organization: return {alias_type_letter(EntityType::Organization)};
    case Field::Place: return {alias_type_letter(EntityType::Place)};
    case Field::Entity:
      return {alias_type_letter(EntityType::Person), alias_type_letter(EntityType::Organization),
              alias_type_letter(EntityType::Place), alias_type_letter(EntityType::Other)};
    default: return {};
  }
}

}  // namespace

NameAliases::NameAliases(const std::vector<std::unique_ptr<SegmentReader>>& segments, Analyzer& analyzer)
    : analyzer_(analyzer) {
  // "A" + type letter + alias key + 0x1F + name, df = articles.
  std::map<std::string, std::map<std::string, uint64_t>> counts;
  for (const auto& seg : segments)
    seg->dict().for_each_prefix(kAliasPrefix, [&](std::string_view term, const TermInfo& info) {
      const size_t sep = term.find(kAliasSeparator);
      if (sep == std::string_view::npos || sep < 2) return;
      counts[std::string(term.substr(1, sep - 1))][std::string(term.substr(sep + 1))] += info.df;
    });
  for (auto& [typed_alias, names] : counts) {
    std::vector<Candidate>& c = names_of_alias_[typed_alias];
    for (auto& [name, n] : names) c.push_back(Candidate{name, n});
    learned_ += c.size();
    std::stable_sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) { return a.articles > b.articles; });
    const std::string name_key = typed_alias.substr(0, 1) + key_of(c[0].name);
    aliases_of_name_[name_key].push_back(typed_alias.substr(1));
  }
}

std::string NameAliases::key_of(std::string_view text) const {
  std::vector<Token> tokens;
  analyzer_.analyze(text, false, tokens);
  std::string key;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i) key.push_back(' ');
    key += tokens[i].term;
  }
  return key;
}

const NameAliases::Candidate* NameAliases::learned_name(const std::string& letters, const std::string& key) const {
  const Candidate* best = nullptr;
  for (char t : letters) {
    auto it = names_of_alias_.find(std::string(1, t) + key);
    if (it != names_of_alias_.end() && (!best || it->second[0].articles > best->articles)) best = &it->second[0];
  }
  return best;
}

std::vector<std::string> NameAliases::resolve(Field field, std::string_view value) const {
  const std::string letters = type_letters(field);
  const std::string key = key_of(value);
  if (letters.empty() || key.empty()) return {};
  // The name the value stands for: by the gazetteer (if of a type the field
  // holds), else as learned from the articles, else the value itself.
  std::string name(value);
  if (auto g = gazetteer_entity(value); g && letters.find(alias_type_letter(g->type)) != std::string::npos) {
    name = g->name;
  } else if (const Candidate* c = learned_name(letters, key)) {
    name = c->name;
  }
  std::vector<std::string> out{name};
  const std::string name_key = key_of(name);
  for (char t : letters) {
    auto it = aliases_of_name_.find(std::string(1, t) + name_key);
    if (it == aliases_of_name_.end()) continue;
    for (const std::string& alias : it->second)
      if (alias != name_key && std::find(out.begin(), out.end(), alias) == out.end()) out.push_back(alias);
  }
  if (out.size() == 1 && name_key == key) return {};  // nothing to resolve
  return out;
}

}  // namespace dateline
