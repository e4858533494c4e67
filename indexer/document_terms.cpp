#include "indexer/document_terms.h"

#include <algorithm>
#include <unordered_map>

#include "common/fields.h"

namespace dateline {

namespace {

class TermCollector {
 public:
  // Adds one occurrence; returns the term's index in the output.
  size_t add(const std::string& term, uint32_t pos) {
    auto [it, inserted] = index_.try_emplace(term, out_.size());
    if (inserted) {
      out_.emplace_back(it->first, std::vector<uint32_t>{});
      forms_.emplace_back();
    }
    out_[it->second].second.push_back(pos);
    return it->second;
  }
  // One occurrence of `folded`, written in field `f`, of the stemmed term
  // `stem`. A stem has few forms: they are kept with it, not in a map.
  void add_written(Field f, const std::string& folded, size_t stem) {
    for (Form& form : forms_[stem])
      if (form.folded == folded) {
        ++form.freq;
        return;
      }
    forms_[stem].push_back(Form{folded, f, 1});
  }
  // Adds one field value; returns the position after its last token. Title
  // and body words are stemmed when the analyzer stems, and then also
  // recorded in their written form.
  uint32_t add_text(Analyzer& a, Field f, const std::string& text, uint32_t base) {
    tokens_.clear();
    const bool stem = is_stemmed_field(f) && a.stems();
    a.analyze(text, false, tokens_);
    const auto prefix = field_prefix(f);
    for (size_t i = 0; i < tokens_.size(); ++i) {
      const uint32_t pos = base + static_cast<uint32_t>(i);
      const std::string& folded = tokens_[i].term;
      key_.assign(prefix);
      if (!stem) {
        add(key_.append(folded), pos);
        continue;
      }
      add_written(f, folded, add(key_.append(a.stem(folded)), pos));
    }
    return base + static_cast<uint32_t>(tokens_.size());
  }
  void add_values(Analyzer& a, Field f, const std::vector<std::string>& values) {
    uint32_t pos = 0;
    for (const auto& v : values) pos = add_text(a, f, v, pos) + kPositionGap;
  }
  // Every entity under Entity; typed ones also under their own field.
  void add_entities(Analyzer& a, const std::vector<Entity>& entities) {
    uint32_t pos = 0, person = 0, org = 0, place = 0;
    for (const Entity& e : entities) {
      pos = add_text(a, Field::Entity, e.name, pos) + kPositionGap;
      switch (e.type) {
        case EntityType::Person: person = add_text(a, Field::Person, e.name, person) + kPositionGap; break;
        case EntityType::Organization: org = add_text(a, Field::Organization, e.name, org) + kPositionGap; break;
        case EntityType::Place: place = add_text(a, Field::Place, e.name, place) + kPositionGap; break;
        case EntityType::Other: break;
      }
    }
  }
  void take(DocumentTerms& d) {
    for (size_t t = 0; t < forms_.size(); ++t)
      for (const Form& form : forms_[t])
        d.written.push_back(WrittenForm{written_term(form.field, form.folded), form.freq, static_cast<uint32_t>(t)});
    d.terms = std::move(out_);
  }

 private:
  struct Form {
    std::string folded;
    Field field;
    uint32_t freq;
  };
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::pair<std::string, std::vector<uint32_t>>> out_;
  std::vector<std::vector<Form>> forms_;  // by term index: its written forms
  std::vector<Token> tokens_;
  std::string key_;  // scratch: the term being added
};

}  // namespace

char alias_type_letter(EntityType t) {
  switch (t) {
    case EntityType::Person: return field_prefix(Field::Person)[0];
    case EntityType::Organization: return field_prefix(Field::Organization)[0];
    case EntityType::Place: return field_prefix(Field::Place)[0];
    case EntityType::Other: break;
  }
  return field_prefix(Field::Entity)[0];
}

std::string alias_term(const NameAlias& a, Analyzer& analyzer) {
  std::vector<Token> tokens;
  analyzer.analyze(a.alias, false, tokens);
  if (tokens.empty() || a.name.empty()) return {};
  std::string t(kAliasPrefix);
  t.push_back(alias_type_letter(a.type));
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i) t.push_back(' ');
    t += tokens[i].term;
  }
  t.push_back(kAliasSeparator);
  t += a.name;
  return t;
}

DocumentTerms analyze_article(const Article& article, Analyzer& analyzer) {
  TermCollector c;
  const uint32_t title_end = c.add_text(analyzer, Field::Text, article.title, 0);
  const uint32_t body_base = title_end == 0 ? 0 : title_end + kPositionGap;
  const uint32_t body_end = c.add_text(analyzer, Field::Text, article.body, body_base);
  c.add_text(analyzer, Field::Title, article.title, 0);
  c.add_values(analyzer, Field::Speaker, article.speakers);
  c.add_entities(analyzer, article.entities);
  DocumentTerms d;
  d.text_length = title_end + (body_end - body_base);
  c.take(d);
  d.markers.push_back(id_term(article.id));
  for (const NameAlias& a : article.aliases) {
    std::string t = alias_term(a, analyzer);
    if (!t.empty() && std::find(d.markers.begin(), d.markers.end(), t) == d.markers.end())
      d.markers.push_back(std::move(t));
  }
  return d;
}

}  // namespace dateline
