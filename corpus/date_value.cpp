// parse_date_value() and date_from_unix_time(): see date_value.h.
#include "corpus/date_value.h"

#include <cmath>
#include <string>
#include <vector>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline {

namespace {

using namespace corpus_detail;

// The whitespace-separated words of `s`.
std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_ascii_space(s[i])) ++i;
    const size_t b = i;
    while (i < s.size() && !is_ascii_space(s[i])) ++i;
    if (i > b) words.push_back(s.substr(b, i - b));
  }
  return words;
}

// A run of 1..max_digits ASCII digits as a number, else -1.
int digits_value(std::string_view w, size_t max_digits) {
  if (w.empty() || w.size() > max_digits) return -1;
  int v = 0;
  for (char c : w) {
    if (!is_ascii_digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool is_weekday(std::string_view w) {
  const std::string lower = ascii_lower(w);
  return is_month_or_day(lower) && month_number(lower) == 0;
}

bool is_two_digits(std::string_view w) { return w.size() == 2 && digits_value(w, 2) >= 0; }

// "04:00", "4:00:00", "04:00:00.123".
bool is_time(std::string_view w) {
  if (const size_t dot = w.find('.'); dot != std::string_view::npos) {
    if (digits_value(w.substr(dot + 1), 9) < 0) return false;
    w = w.substr(0, dot);
  }
  const size_t c1 = w.find(':');
  if (c1 == std::string_view::npos || digits_value(w.substr(0, c1), 2) < 0) return false;
  const std::string_view rest = w.substr(c1 + 1);
  const size_t c2 = rest.find(':');
  return is_two_digits(rest.substr(0, c2)) && (c2 == std::string_view::npos || is_two_digits(rest.substr(c2 + 1)));
}

// "+0200", "-0500", "GMT", "UT", "Z", "CEST"; a "(comment)" may follow.
bool is_zone(std::string_view w) {
  if ((w[0] == '+' || w[0] == '-') && w.size() == 5) return digits_value(w.substr(1), 4) >= 0;
  if (w.size() > 5) return false;
  for (char c : w)
    if (!is_ascii_alpha(c)) return false;
  return true;
}

std::optional<DayNumber> civil_day(int year, unsigned month, int day) {
  if (day < 1 || !valid_civil(year, month, static_cast<unsigned>(day))) return std::nullopt;
  return days_from_civil(year, month, static_cast<unsigned>(day));
}

// "[Weekday[,]] D Mon YYYY [time] [zone] [(comment)]".
std::optional<DayNumber> parse_rfc2822(std::string_view text) {
  std::vector<std::string_view> w = split_words(text);
  size_t i = 0;
  if (!w.empty()) {
    std::string_view first = w[0];
    if (first.size() > 1 && first.back() == ',') first.remove_suffix(1);
    if (is_weekday(first)) i = 1;
  }
  if (i + 3 > w.size()) return std::nullopt;
  const int day = digits_value(w[i], 2);
  const unsigned month = month_number(w[i + 1]);
  int year = digits_value(w[i + 2], 4);
  if (w[i + 2].size() == 2) year += year < 50 ? 2000 : 1900;
  if (day < 0 || month == 0 || year < 0 || w[i + 2].size() == 1 || w[i + 2].size() == 3) return std::nullopt;
  i += 3;
  if (i < w.size() && is_time(w[i])) ++i;
  if (i < w.size() && is_zone(w[i])) ++i;
  if (i < w.size() && w[i].front() == '(' && w.back().back() == ')') i = w.size();
  if (i != w.size()) return std::nullopt;
  return civil_day(year, month, day);
}

}  // namespace

std::optional<DayNumber> parse_date_value(std::string_view text) {
  const std::string_view d = trim(text);
  if (auto day = parse_iso_date(d)) return day;
  if (d.size() > 10 && (d[10] == 'T' || d[10] == ' '))
    if (auto day = parse_iso_date(d.substr(0, 10))) return day;
  return parse_rfc2822(d);
}

std::optional<DayNumber> date_from_unix_time(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  const double seconds = std::fabs(value) > 1e11 ? value / 1000 : value;
  const double days = std::floor(seconds / 86400);
  static const DayNumber kFirst = days_from_civil(1, 1, 1), kLast = days_from_civil(9999, 12, 31);
  if (days < kFirst || days > kLast) return std::nullopt;
  return static_cast<DayNumber>(days);
}

}  // namespace dateline
