#include "cli/facet_output.h"

#include <algorithm>

#include "common/json.h"

namespace dateline::cli {

std::string facets_json(const FacetsResult& r) {
  std::string facets = "{";
  for (size_t i = 0; i < r.facets.size(); ++i) {
    const FacetResult& f = r.facets[i];
    std::string values = "[";
    for (size_t v = 0; v < f.top.size(); ++v) {
      if (v) values += ',';
      JsonObject o;
      o.field("value", f.top[v].value).field("count", static_cast<long long>(f.top[v].count));
      values += o.str();
    }
    values += ']';
    JsonObject o;
    o.field("distinct", static_cast<long long>(f.distinct))
        .field("articles", static_cast<long long>(f.articles))
        .raw_field("values", values);
    if (i) facets += ',';
    json_append_string(facets, facet_kind_name(f.kind));
    facets += ':';
    facets += o.str();
  }
  facets += '}';
  JsonObject out;
  out.field("total", static_cast<long long>(r.total)).raw_field("facets", facets);
  return out.str();
}

std::string facets_text(const FacetsResult& r) {
  std::string out;
  for (const FacetResult& f : r.facets) {
    out += facet_kind_name(f.kind);
    out += ": " + std::to_string(f.distinct) + (f.distinct == 1 ? " value" : " values") + " in " +
           std::to_string(f.articles) + (f.articles == 1 ? " article" : " articles") + "\n";
    size_t width = 0;
    for (const FacetCount& c : f.top) width = std::max(width, c.value.size());
    width = std::min<size_t>(width, 40);
    for (const FacetCount& c : f.top) {
      std::string line = "  " + c.value;
      if (c.value.size() < width) line.append(width - c.value.size(), ' ');
      out += line + "  " + std::to_string(c.count) + "\n";
    }
  }
  return out;
}

}  // namespace dateline::cli
