// Publication dates as archives write them: ISO dates and timestamps, RFC 2822
// (RSS pubDate) dates and Unix times, each to the calendar day it names.
#pragma once

#include <optional>
#include <string_view>

#include "common/date.h"

namespace dateline {

// The day a date value names, or nullopt when it is malformed or not a real
// day. Accepted forms (surrounding whitespace ignored):
//   "2024-11-13", also followed by 'T' or ' ' and a time
//   ("2024-11-13T10:30:00Z", "2024-11-13 10:30"): the date part counts;
//   RFC 2822 / RSS pubDate, "[Weekday[,]] D Mon YYYY [HH:MM[:SS[.frac]]] [zone]":
//   "Tue, 10 Jun 2003 04:00:00 GMT", "10 Jun 2003", "10 June 2003 23:30 -0500",
//   "Tue, 10 Jun 2003 04:00:00 +0200 (CEST)". Weekday and month names are
//   English, full or abbreviated, any case; the weekday is not checked against
//   the date; two-digit years follow RFC 2822 (00-49: 20xx, 50-99: 19xx); the
//   zone is a numeric offset (+hhmm, -hhmm) or a name of up to five letters
//   (GMT, UT, EST, CEST, Z).
// The date part counts as written: a zone is never applied, so the day is the
// one the publisher wrote, not the UTC day ("23:30 -0500" stays on the 10th).
std::optional<DayNumber> parse_date_value(std::string_view text);

// The UTC day of a Unix time as JSON numbers carry it: seconds since
// 1970-01-01T00:00:00Z, or milliseconds when the magnitude exceeds 1e11
// (1e11 seconds would be the year 5138). nullopt when not finite or outside
// the years 1..9999.
std::optional<DayNumber> date_from_unix_time(double value);

}  // namespace dateline
