// Calendar dates as day numbers: the date column, date queries and display.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dateline {

// Days since 1970-01-01 (proleptic Gregorian). kNoDate marks a missing date.
using DayNumber = int32_t;
inline constexpr DayNumber kNoDate = INT32_MIN;

// Converts a valid civil date to a day number.
DayNumber days_from_civil(int year, unsigned month, unsigned day);

// Converts a day number back to year/month/day.
void civil_from_days(DayNumber days, int& year, unsigned& month, unsigned& day);

// True if year/month/day names a real calendar day (years 1..9999).
bool valid_civil(int year, unsigned month, unsigned day);

// Number of days in the month.
unsigned days_in_month(int year, unsigned month);

// Parses exactly "YYYY-MM-DD"; nullopt if malformed or not a real day.
std::optional<DayNumber> parse_iso_date(std::string_view s);

// Formats a day number as "YYYY-MM-DD" ("" for kNoDate).
std::string format_iso_date(DayNumber d);

}  // namespace dateline
