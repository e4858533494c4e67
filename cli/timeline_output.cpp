#include "cli/timeline_output.h"

#include "common/json.h"

namespace dateline::cli {

namespace {

std::string counts_json(const std::vector<uint64_t>& counts) {
  std::string out = "[";
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(counts[i]);
  }
  return out + "]";
}

}  // namespace

std::string timeline_json(const Timeline& t) {
  std::vector<std::string> periods;
  for (const DayNumber d : t.starts) periods.push_back(period_label(d, t.period));
  std::string series = "[";
  for (size_t s = 0; s < t.series.size(); ++s) {
    JsonObject o;
    o.field("name", t.series[s].name)
        .field("total", static_cast<long long>(t.series[s].total))
        .field("undated", static_cast<long long>(t.series[s].undated))
        .raw_field("counts", counts_json(t.series[s].counts));
    if (s) series += ',';
    series += o.str();
  }
  series += ']';
  JsonObject out;
  out.field("by", date_period_name(t.period)).field("periods", periods).raw_field("series", series);
  return out.str();
}

}  // namespace dateline::cli
