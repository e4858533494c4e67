// extract_fields(): date from the dateline, quoted speakers, named entities.
#include "corpus/extract.h"

#include <algorithm>
#include <string>

#include "corpus/nlp.h"

namespace dateline {

void extract_fields(Article& article) {
  using namespace corpus_detail;
  try {
    if (article.date == kNoDate) {
      if (auto d = date_from_dateline(article.body)) article.date = *d;
    }
    if (article.has_speakers && article.has_entities) return;

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
    if (!article.has_entities) {
      std::vector<std::string> entities;
      find_entities(doc, entities);
      for (const std::string& s : article.speakers)  // speakers are people mentioned, too
        if (std::find(entities.begin(), entities.end(), s) == entities.end()) entities.push_back(s);
      article.entities = std::move(entities);
    }
  } catch (...) {
    // Only allocation failure can get here; leave the article as it is.
  }
}

}  // namespace dateline
