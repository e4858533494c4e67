#include "cli/timeline_chart.h"

#include <algorithm>
#include <cstdio>

namespace dateline::cli {

namespace {

constexpr double kWidth = 960, kHeight = 420;
constexpr double kLeft = 64, kRight = 24, kTop = 48, kBottom = 64;
constexpr double kLegendRow = 20;
// Ten colours that stay apart for readers with common colour blindness (Tableau 10).
constexpr const char* kColours[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

std::string xml_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string text(double x, double y, const std::string& s, const char* anchor, const char* extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\"" + extra + ">" +
         xml_escape(s) + "</text>\n";
}

}  // namespace

uint64_t nice_step(uint64_t max, unsigned ticks) {
  if (max == 0 || ticks == 0) return 1;
  const double raw = static_cast<double>(max) / ticks;
  uint64_t power = 1;
  while (static_cast<double>(power) * 10 <= raw) power *= 10;
  for (const uint64_t m : {1, 2, 5, 10})
    if (static_cast<double>(power * m) >= raw) return power * m;
  return power * 10;
}

std::string timeline_svg(const Timeline& t, const std::string& title) {
  const size_t n = t.starts.size();
  uint64_t max = 0;
  for (const auto& s : t.series)
    for (const uint64_t c : s.counts) max = std::max(max, c);
  const uint64_t step = nice_step(max, 5);
  const uint64_t top = std::max<uint64_t>(step, (max + step - 1) / step * step);
  const double legend = kLegendRow * static_cast<double>((t.series.size() + 2) / 3);
  const double height = kHeight + legend;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto x_at = [&](size_t i) { return kLeft + (n <= 1 ? plot_w / 2 : plot_w * static_cast<double>(i) / static_cast<double>(n - 1)); };
  auto y_at = [&](uint64_t v) { return kTop + plot_h * (1.0 - static_cast<double>(v) / static_cast<double>(top)); };

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" + num(height) +
                    "\" viewBox=\"0 0 " + num(kWidth) + " " + num(height) +
                    "\" font-family=\"sans-serif\" font-size=\"12\">\n"
                    "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += text(kWidth / 2, 24, title, "middle", " font-size=\"15\" font-weight=\"bold\"");
  // The y axis: grid lines at round counts.
  for (uint64_t v = 0; v <= top; v += step) {
    const double y = y_at(v);
    svg += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + plot_w) + "\" y1=\"" + num(y) + "\" y2=\"" + num(y) +
           "\" stroke=\"#ddd\"/>\n";
    svg += text(kLeft - 8, y + 4, std::to_string(v), "end");
  }
  svg += text(16, kTop + plot_h / 2, "articles", "middle",
              (" transform=\"rotate(-90 16 " + num(kTop + plot_h / 2) + ")\"").c_str());
  // The x axis: at most about 12 labels, evenly thinned.
  const size_t every = std::max<size_t>(1, (n + 11) / 12);
  svg += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + plot_w) + "\" y1=\"" + num(kTop + plot_h) + "\" y2=\"" +
         num(kTop + plot_h) + "\" stroke=\"#333\"/>\n";
  for (size_t i = 0; i < n; i += every) {
    const double x = x_at(i);
    svg += "<line x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(kTop + plot_h) + "\" y2=\"" +
           num(kTop + plot_h + 5) + "\" stroke=\"#333\"/>\n";
    svg += text(x, kTop + plot_h + 20, period_label(t.starts[i], t.period), "middle");
  }
  svg += text(kLeft + plot_w / 2, kTop + plot_h + 44, std::string(date_period_name(t.period)), "middle");
  if (n == 0) svg += text(kLeft + plot_w / 2, kTop + plot_h / 2, "No dated articles match", "middle");
  // One line (and its points) per series.
  for (size_t s = 0; s < t.series.size(); ++s) {
    const char* colour = kColours[s % std::size(kColours)];
    std::string points;
    for (size_t i = 0; i < n; ++i) {
      if (i) points += ' ';
      points += num(x_at(i)) + "," + num(y_at(t.series[s].counts[i]));
    }
    svg += "<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"" + std::string(colour) +
           "\" points=\"" + points + "\"/>\n";
    if (n <= 60)
      for (size_t i = 0; i < n; ++i)
        svg += "<circle cx=\"" + num(x_at(i)) + "\" cy=\"" + num(y_at(t.series[s].counts[i])) + "\" r=\"2.5\" fill=\"" +
               colour + "\"><title>" + xml_escape(t.series[s].name) + ", " + period_label(t.starts[i], t.period) +
               ": " + std::to_string(t.series[s].counts[i]) + "</title></circle>\n";
  }
  // The legend, three series to a row.
  for (size_t s = 0; s < t.series.size(); ++s) {
    const double x = kLeft + plot_w / 3 * static_cast<double>(s % 3);
    const double y = kHeight - 8 + kLegendRow * static_cast<double>(s / 3);
    svg += "<rect x=\"" + num(x) + "\" y=\"" + num(y - 10) + "\" width=\"14\" height=\"4\" fill=\"" +
           kColours[s % std::size(kColours)] + "\"/>\n";
    svg += text(x + 20, y - 4, t.series[s].name + " (" + std::to_string(t.series[s].total) + ")", "start",
                " class=\"legend\"");
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace dateline::cli
