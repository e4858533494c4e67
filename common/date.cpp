#include "common/date.h"

#include <cstdio>

namespace dateline {

// Howard Hinnant's algorithms (public domain), valid for the whole int32 range we use.
DayNumber days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void civil_from_days(DayNumber z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

unsigned days_in_month(int y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[m - 1];
}

bool valid_civil(int y, unsigned m, unsigned d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::optional<DayNumber> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t n, int& out) {
    out = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (!valid_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string format_iso_date(DayNumber days) {
  if (days == kNoDate) return {};
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m % 100, d % 100);
  return buf;
}

std::string_view date_period_name(DatePeriod p) {
  switch (p) {
    case DatePeriod::Day: return "day";
    case DatePeriod::Week: return "week";
    case DatePeriod::Month: return "month";
    case DatePeriod::Year: return "year";
  }
  return "";
}

std::optional<DatePeriod> parse_date_period(std::string_view name) {
  for (const DatePeriod p : {DatePeriod::Day, DatePeriod::Week, DatePeriod::Month, DatePeriod::Year})
    if (name == date_period_name(p)) return p;
  return std::nullopt;
}

DayNumber period_start(DayNumber d, DatePeriod p) {
  int y;
  unsigned m, day;
  switch (p) {
    case DatePeriod::Day: return d;
    case DatePeriod::Week: return d - ((d % 7 + 7 + 3) % 7);  // 1970-01-01 was a Thursday
    case DatePeriod::Month: civil_from_days(d, y, m, day); return days_from_civil(y, m, 1);
    case DatePeriod::Year: civil_from_days(d, y, m, day); return days_from_civil(y, 1, 1);
  }
  return d;
}

DayNumber next_period(DayNumber start, DatePeriod p) {
  int y;
  unsigned m, day;
  switch (p) {
    case DatePeriod::Day: return start + 1;
    case DatePeriod::Week: return start + 7;
    case DatePeriod::Month:
      civil_from_days(start, y, m, day);
      return m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
    case DatePeriod::Year: civil_from_days(start, y, m, day); return days_from_civil(y + 1, 1, 1);
  }
  return start + 1;
}

std::string period_label(DayNumber start, DatePeriod p) {
  const std::string iso = format_iso_date(start);
  if (p == DatePeriod::Month) return iso.substr(0, 7);
  if (p == DatePeriod::Year) return iso.substr(0, 4);
  return iso;
}

}  // namespace dateline
