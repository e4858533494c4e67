// A publication date from the dateline at the start of a body:
// "WASHINGTON, March 3, 1987 -", "LONDON, 13 November 2024 (Reuters) -".
// Datelines without a year ("OSLO, March 3 -") give no date.
#include <array>
#include <string>
#include <vector>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {

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

std::optional<DayNumber> date_from_dateline(std::string_view body) {
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
  return std::nullopt;
}

}  // namespace dateline::corpus_detail
