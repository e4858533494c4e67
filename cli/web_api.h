// The JSON API of `serve`: each endpoint is a function from the request's
// query parameters to a status and a JSON body, independent of the HTTP
// server (cmd_serve.cpp routes to them).
//   /api/search?q=&page=&per_page=&sort=   ranked hits with snippets
//   /api/facets?q=&fields=&limit=          the facets_json() shape
//   /api/timeline?q=&by=[&split=&top=]     the timeline_json() shape
//   /api/article/ID                        the stored article (`show --json`)
// Errors are {"error":"..."} with 400 (and "column" for a malformed
// query), 404 for an unknown article and 414 for a parameter over the limits.
#pragma once

#include <map>
#include <string>

#include "searcher/searcher.h"

namespace dateline::cli {

using ApiParams = std::multimap<std::string, std::string>;

struct ApiReply {
  int status = 200;
  std::string body;  // JSON
};

// Longest query text accepted (bytes); a longer one is answered 414.
inline constexpr size_t kMaxQueryBytes = 4096;
// Largest page.
inline constexpr size_t kMaxPerPage = 100;

// {"error": message} (with "column" when given).
ApiReply api_error(int status, const std::string& message, long long column = -1);

ApiReply api_search(Searcher& searcher, const ApiParams& params);
ApiReply api_facets(Searcher& searcher, const ApiParams& params);
ApiReply api_timeline(Searcher& searcher, const ApiParams& params);
// `id` is looked up among the indexed ids only (never a file path).
ApiReply api_article(Searcher& searcher, const std::string& id);

}  // namespace dateline::cli
