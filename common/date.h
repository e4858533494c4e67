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

// Calendar periods for facets and timelines. A week starts on Monday.
enum class DatePeriod : uint8_t { Day, Week, Month, Year };
// "day", "week", "month", "year"; parse_date_period() is its inverse.
std::string_view date_period_name(DatePeriod p);
std::optional<DatePeriod> parse_date_period(std::string_view name);
// The first day of the period that holds `d` (a dated day).
DayNumber period_start(DayNumber d, DatePeriod p);
// The first day of the next period, from the first day of one.
DayNumber next_period(DayNumber start, DatePeriod p);
// The period that starts on `start`, written for people and scripts:
// "2024-03-06" (day), "2024-03-04" (week: its Monday), "2024-03" (month),
// "2024" (year).
std::string period_label(DayNumber start, DatePeriod p);

}  // namespace dateline
