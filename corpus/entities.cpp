// Entities: people, organisations and places named in the article, in order
// of first mention, each once, in its fullest form ("Rutte" -> "Mark Rutte",
// "U.S." -> "United States").
#include <string>
#include <unordered_set>

#include "corpus/nlp.h"

namespace dateline::corpus_detail {

void find_entities(const Doc& doc, std::vector<std::string>& out) {
  std::unordered_set<std::string> seen(out.begin(), out.end());
  for (const Segment& s : doc.segs) {
    if (s.weak) continue;
    const std::string* name = &s.text;
    if (s.kind == SegKind::Name) {
      int32_t full = resolve_surname(doc, s);
      if (full >= 0) name = &doc.segs[full].text;
    }
    if (!s.place.empty() && seen.insert(s.place).second) out.push_back(s.place);
    if (seen.insert(*name).second) out.push_back(*name);
  }
}

}  // namespace dateline::corpus_detail
