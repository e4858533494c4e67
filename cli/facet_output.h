// Printing facet counts (searcher/facets.h) for people and for scripts,
// shared by `search --facets`, its batch FACETS request and `serve`.
#pragma once

#include <string>

#include "searcher/facets.h"

namespace dateline::cli {

// {"total":N,"facets":{"speaker":{"distinct":D,"articles":A,"values":[{"value":V,"count":C},...]},...}}
std::string facets_json(const FacetsResult& r);

// A block per facet: its name, how many values and articles, then one line
// per value with its count.
std::string facets_text(const FacetsResult& r);

// The facets `search` counts when asked without a list.
inline constexpr const char* kDefaultFacets = "speaker,person,org,place,month";

}  // namespace dateline::cli
