// A timeline (searcher/timeline.h) as a standalone SVG line chart: one line
// per series, period labels on the x axis, counts on the y axis with round
// ticks, and a legend naming each series with its total.
#pragma once

#include <string>

#include "searcher/timeline.h"

namespace dateline::cli {

// The whole SVG document; `title` goes above the plot.
std::string timeline_svg(const Timeline& t, const std::string& title);

// Round tick steps for an axis from 0 to `max`: 1, 2 or 5 times a power of
// ten, so that about `ticks` of them span it (at least 1).
uint64_t nice_step(uint64_t max, unsigned ticks);

}  // namespace dateline::cli
