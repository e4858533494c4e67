#include "cli/web_api.h"

#include <charconv>

#include "cli/article_output.h"
#include "cli/facet_output.h"
#include "cli/hit_output.h"
#include "cli/timeline_output.h"
#include "common/json.h"
#include "searcher/facets.h"
#include "searcher/timeline.h"

namespace dateline::cli {

namespace {

// Thrown by the parameter readers: the reply to send instead.
struct ApiFailure {
  ApiReply reply;
};

std::string param(const ApiParams& p, const std::string& name, const std::string& fallback = "") {
  const auto it = p.find(name);
  if (it == p.end()) return fallback;
  if (it->second.size() > kMaxQueryBytes)
    throw ApiFailure{api_error(414, name + " is longer than " + std::to_string(kMaxQueryBytes) + " bytes")};
  return it->second;
}

// A whole number in [lo, hi]; `fallback` when absent or empty.
size_t number_param(const ApiParams& p, const std::string& name, size_t fallback, size_t lo, size_t hi) {
  const std::string v = param(p, name);
  if (v.empty()) return fallback;
  size_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi)
    throw ApiFailure{api_error(400, name + " must be a whole number from " + std::to_string(lo) + " to " +
                                        std::to_string(hi) + " (got '" + v + "')")};
  return n;
}

// The query text `q`: required, at most kMaxQueryBytes.
std::string query_text(const ApiParams& p) {
  std::string q = param(p, "q");
  if (q.find_first_not_of(" \t\r\n") == std::string::npos) throw ApiFailure{api_error(400, "a query is required: q=...")};
  return q;
}

// Runs an endpoint, turning its failures into error replies.
template <class F>
ApiReply guarded(F&& answer) {
  try {
    return answer();
  } catch (const ApiFailure& f) {
    return f.reply;
  } catch (const QueryError& e) {
    return api_error(400, e.what(), static_cast<long long>(e.column()));
  } catch (const std::invalid_argument& e) {
    return api_error(400, e.what());
  }
}

SearchOptions::Sort sort_param(const ApiParams& p) {
  const std::string s = param(p, "sort", "relevance");
  if (s == "relevance" || s.empty()) return SearchOptions::Sort::Relevance;
  if (s == "newest") return SearchOptions::Sort::Newest;
  if (s == "oldest") return SearchOptions::Sort::Oldest;
  throw ApiFailure{api_error(400, "sort must be relevance, newest or oldest (got '" + s + "')")};
}

std::string notes_json(const std::vector<QueryNote>& notes) {
  std::string out = "[";
  for (const QueryNote& n : notes) {
    if (out.size() > 1) out += ',';
    json_append_string(out, n.message);
  }
  return out + "]";
}

std::string hits_json(Searcher& searcher, const Query& q, const SearchResults& res) {
  const Highlights highlights = highlights_of(searcher, q);
  std::string out = "[";
  for (const ScoredDoc& h : res.hits) {
    if (out.size() > 1) out += ',';
    const Article a = searcher.document(h);
    JsonObject o;
    add_hit_fields(o, searcher, h, a, highlights);
    o.field("display_title", display_title(a));  // the title, or the body's opening words
    out += o.str();
  }
  return out + "]";
}

}  // namespace

ApiReply api_error(int status, const std::string& message, long long column) {
  JsonObject o;
  o.field("error", message);
  if (column >= 0) o.field("column", column);
  return {status, o.str()};
}

ApiReply api_search(Searcher& searcher, const ApiParams& params) {
  return guarded([&] {
    const std::string text = query_text(params);
    const size_t page = number_param(params, "page", 1, 1, 1000);
    const size_t per_page = number_param(params, "per_page", 10, 1, kMaxPerPage);
    SearchOptions so;
    so.sort = sort_param(params);
    so.limit = per_page;
    so.offset = (page - 1) * per_page;
    std::vector<QueryNote> notes;
    const Query q = searcher.parse(text, {}, &notes);
    const SearchResults res = searcher.search(q, so);
    JsonObject o;
    o.field("query", text).field("total", static_cast<long long>(res.total));
    o.field("page", static_cast<long long>(page)).field("per_page", static_cast<long long>(per_page));
    o.raw_field("notes", notes_json(notes)).raw_field("hits", hits_json(searcher, q, res));
    return ApiReply{200, o.str()};
  });
}

ApiReply api_facets(Searcher& searcher, const ApiParams& params) {
  return guarded([&] {
    const std::string text = query_text(params);
    const std::vector<FacetKind> kinds = parse_facet_list(param(params, "fields", kDefaultFacets));
    const size_t limit = number_param(params, "limit", 10, 1, 1000);
    const Query q = searcher.parse(text);
    return ApiReply{200, facets_json(count_facets(searcher, q, kinds, limit))};
  });
}

ApiReply api_timeline(Searcher& searcher, const ApiParams& params) {
  return guarded([&] {
    const std::string text = query_text(params);
    const std::optional<DatePeriod> period = parse_date_period(param(params, "by", "month"));
    if (!period) return api_error(400, "by must be day, week, month or year");
    const std::string split = param(params, "split");
    const size_t top = number_param(params, "top", 5, 1, 50);
    const Query q = searcher.parse(text);
    if (split.empty()) return ApiReply{200, timeline_json(query_timeline(searcher, {{text, q}}, *period))};
    const std::optional<FacetKind> kind = parse_facet_kind(split);
    if (!kind || kind->is_date) return api_error(400, "split must be speaker, person, org, place or source");
    return ApiReply{200, timeline_json(split_timeline(searcher, q, kind->field, top, *period))};
  });
}

ApiReply api_article(Searcher& searcher, const std::string& id) {
  if (id.empty() || id.size() > kMaxQueryBytes) return api_error(404, "no article with this id");
  const std::vector<ScoredDoc> found = searcher.find_id(id);
  if (found.empty()) return api_error(404, "no article with id " + id);
  return ApiReply{200, article_json(searcher.document(found.front()))};
}

}  // namespace dateline::cli
