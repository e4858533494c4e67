// Fuzz target: the query parser on any bytes, with and without default OR.
#include <cstdint>
#include <string_view>

#include "common/analyzer.h"
#include "common/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static dateline::Analyzer analyzer("english");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool default_or : {false, true}) {
    try {
      dateline::ParseOptions o;
      o.default_or = default_or;
      std::vector<dateline::QueryNote> notes;
      dateline::parse_query(text, analyzer, o, &notes).to_string();
    } catch (const dateline::QueryError& e) {
      dateline::format_query_error(text, e);
    }
  }
  return 0;
}
