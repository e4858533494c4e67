#include "indexer/document_terms.h"

#include <unordered_map>

#include "common/fields.h"

namespace dateline {

namespace {

class TermCollector {
 public:
  void add(std::string term, uint32_t pos) {
    auto [it, inserted] = index_.try_emplace(std::move(term), out_.size());
    if (inserted) out_.emplace_back(it->first, std::vector<uint32_t>{});
    out_[it->second].second.push_back(pos);
  }
  // Adds one field value; returns the position after its last token.
  uint32_t add_text(Analyzer& a, Field f, const std::string& text, bool stem, uint32_t base) {
    tokens_.clear();
    a.analyze(text, stem, tokens_);
    const auto prefix = field_prefix(f);
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (prefix.empty()) add(std::move(tokens_[i].term), base + static_cast<uint32_t>(i));
      else add(std::string(prefix) + tokens_[i].term, base + static_cast<uint32_t>(i));
    }
    return base + static_cast<uint32_t>(tokens_.size());
  }
  void add_values(Analyzer& a, Field f, const std::vector<std::string>& values) {
    uint32_t pos = 0;
    for (const auto& v : values) pos = add_text(a, f, v, false, pos) + kPositionGap;
  }
  // Every entity under Entity; typed ones also under their own field.
  void add_entities(Analyzer& a, const std::vector<Entity>& entities) {
    uint32_t pos = 0, person = 0, org = 0, place = 0;
    for (const Entity& e : entities) {
      pos = add_text(a, Field::Entity, e.name, false, pos) + kPositionGap;
      switch (e.type) {
        case EntityType::Person: person = add_text(a, Field::Person, e.name, false, person) + kPositionGap; break;
        case EntityType::Organization: org = add_text(a, Field::Organization, e.name, false, org) + kPositionGap; break;
        case EntityType::Place: place = add_text(a, Field::Place, e.name, false, place) + kPositionGap; break;
        case EntityType::Other: break;
      }
    }
  }
  std::vector<std::pair<std::string, std::vector<uint32_t>>> take() { return std::move(out_); }

 private:
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::pair<std::string, std::vector<uint32_t>>> out_;
  std::vector<Token> tokens_;
};

}  // namespace

DocumentTerms analyze_article(const Article& article, Analyzer& analyzer) {
  TermCollector c;
  const uint32_t title_end = c.add_text(analyzer, Field::Text, article.title, true, 0);
  const uint32_t body_base = title_end == 0 ? 0 : title_end + kPositionGap;
  const uint32_t body_end = c.add_text(analyzer, Field::Text, article.body, true, body_base);
  c.add_text(analyzer, Field::Title, article.title, true, 0);
  c.add_values(analyzer, Field::Speaker, article.speakers);
  c.add_entities(analyzer, article.entities);
  DocumentTerms d;
  d.text_length = title_end + (body_end - body_base);
  d.terms = c.take();
  return d;
}

}  // namespace dateline
