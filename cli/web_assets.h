// The files of the web page `serve` shows (cli/web/: index.html, app.js,
// style.css), compiled into the binary by cli/web/embed.cmake: nothing is
// read from disk or fetched from the network at run time.
#pragma once

#include <optional>
#include <string_view>

namespace dateline::cli {

struct WebAsset {
  std::string_view path;          // "/app.js"; the page itself is "/index.html"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;
};

// The asset served at `path`, if there is one.
std::optional<WebAsset> web_asset(std::string_view path);

}  // namespace dateline::cli
