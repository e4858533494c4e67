// Timelines (searcher/timeline.h) for scripts, shared by `timeline --format
// json` and `serve`'s /api/timeline.
#pragma once

#include <string>

#include "searcher/timeline.h"

namespace dateline::cli {

// {"by":"month","periods":["2024-01",...],"series":[{"name":N,"total":T,"undated":U,"counts":[...]},...]}
std::string timeline_json(const Timeline& t);

}  // namespace dateline::cli
