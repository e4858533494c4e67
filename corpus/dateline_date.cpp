// A publication date from the dateline at the start of a body:
// "WASHINGTON, March 3, 1987 -", "LONDON, 13 November 2024 (Reuters) -".
// Datelines without a year ("BRUSSELS, Nov 13 (Reuters) -") take the year
// from the context (the file name), else give no date.
#include <array>
#include <cstdlib>
#include <string>
#include <vector>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

int number(std::string_view w) {
  if (w.empty() || w.size() > 4) return -1;
  int v = 0;
  for (char c : w) {
    if (!is_ascii_digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

unsigned month_number(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kFull = {"january", "february", "march",     "april",
                                                             "may",     "june",     "july",      "august",
                                                             "september", "october", "november", "december"};
  if (w.size() < 3) return 0;
  std::string l = ascii_lower(w);
  if (l == "sept") return 9;
  for (unsigned m = 0; m < 12; ++m) {
    if (l == kFull[m] || (l.size() == 3 && kFull[m].substr(0, 3) == l)) return m + 1;
  }
  return 0;
}

std::optional<DayNumber> date_from_dateline(std::string_view body, const DateContext& context) {
  std::string_view head = body.substr(0, 160);
  size_t end = std::string_view::npos;
  for (std::string_view dash : {std::string_view(" - "), std::string_view(" -- "), std::string_view(" \xE2\x80\x94"),
                                std::string_view(" \xE2\x80\x93")}) {
    size_t p = head.find(dash);
    if (p != std::string_view::npos && p < end) end = p;
  }
  if (end == std::string_view::npos) return std::nullopt;
  head = head.substr(0, end);
  if (head.find('\n') != std::string_view::npos) return std::nullopt;

  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < head.size()) {
    while (i < head.size() && !is_ascii_alpha(head[i]) && !is_ascii_digit(head[i])) ++i;
    size_t b = i;
    while (i < head.size() && (is_ascii_alpha(head[i]) || is_ascii_digit(head[i]) || head[i] == '-')) ++i;
    if (i > b) words.push_back(head.substr(b, i - b));
  }
  for (std::string_view w : words) {
    if (w.size() == 10 && w[4] == '-' && w[7] == '-')
      if (auto d = parse_iso_date(w)) return d;
  }
  auto is_year = [](int y) { return y >= 1800 && y <= 2200; };
  for (size_t k = 0; k < words.size(); ++k) {
    unsigned m = month_number(words[k]);
    if (m == 0) continue;
    int day = -1, year = -1;
    if (k + 2 < words.size() && number(words[k + 1]) >= 1 && number(words[k + 1]) <= 31 &&
        words[k + 2].size() == 4 && is_year(number(words[k + 2]))) {
      day = number(words[k + 1]), year = number(words[k + 2]);  // March 3, 1987
    } else if (k >= 1 && k + 1 < words.size() && number(words[k - 1]) >= 1 && number(words[k - 1]) <= 31 &&
               words[k + 1].size() == 4 && is_year(number(words[k + 1]))) {
      day = number(words[k - 1]), year = number(words[k + 1]);  // 3 March 1987
    }
    if (day > 0 && valid_civil(year, m, static_cast<unsigned>(day)))
      return days_from_civil(year, m, static_cast<unsigned>(day));
  }
  if (context.year == 0) return std::nullopt;
  // No year: "Nov 13", "13 November", with the year of the context. With a
  // full context date, the year that puts the day nearest to it
  // ("Dec 31" in a file of 2025-01-02 is 2024-12-31).
  for (size_t k = 0; k < words.size(); ++k) {
    unsigned m = month_number(words[k]);
    if (m == 0) continue;
    int day = -1;
    if (k + 1 < words.size() && number(words[k + 1]) >= 1 && number(words[k + 1]) <= 31 && words[k + 1].size() <= 2)
      day = number(words[k + 1]);
    else if (k >= 1 && number(words[k - 1]) >= 1 && number(words[k - 1]) <= 31 && words[k - 1].size() <= 2)
      day = number(words[k - 1]);
    if (day <= 0) continue;
    std::optional<DayNumber> best;
    for (int y : {context.year - 1, context.year, context.year + 1}) {
      if (context.day == kNoDate && y != context.year) continue;
      if (!valid_civil(y, m, static_cast<unsigned>(day))) continue;
      DayNumber d = days_from_civil(y, m, static_cast<unsigned>(day));
      if (!best || (context.day != kNoDate && std::abs(d - context.day) < std::abs(*best - context.day))) best = d;
    }
    return best;
  }
  return std::nullopt;
}

DateContext date_context_of(std::string_view origin) {
  // "dir/2024-11-13-cable.txt:1" -> the file name "2024-11-13-cable.txt".
  size_t colon = origin.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < origin.size()) {
    bool digits = true;
    for (size_t i = colon + 1; i < origin.size(); ++i) digits = digits && is_ascii_digit(origin[i]);
    if (digits) origin = origin.substr(0, colon);
  }
  size_t slash = origin.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? origin : origin.substr(slash + 1);
  DateContext c;
  for (size_t i = 0; i + 4 <= name.size(); ++i) {
    if (i > 0 && is_ascii_digit(name[i - 1])) continue;
    size_t j = i;
    while (j < name.size() && is_ascii_digit(name[j])) ++j;
    if (j - i != 4) continue;
    const int y = (name[i] - '0') * 1000 + (name[i + 1] - '0') * 100 + (name[i + 2] - '0') * 10 + (name[i + 3] - '0');
    if (y < 1900 || y > 2200) continue;
    c.year = y;
    if (name.size() >= i + 10)
      if (auto d = parse_iso_date(name.substr(i, 10))) c.day = *d;
    return c;
  }
  return c;
}

}  // namespace dateline::corpus_detail
