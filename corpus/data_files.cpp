// Reading the compiled-in data files (corpus/data_files.h).
#include "corpus/data_files.h"

#include <cstdio>
#include <cstdlib>

namespace dateline::corpus_detail {

namespace {

// `s` without the spaces, tabs and carriage returns around it.
std::string_view trim_blanks(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<DataEntry> data_entries(const DataFile& file) {
  std::vector<DataEntry> out;
  std::string_view text = file.text;
  uint32_t line = 0;
  while (!text.empty()) {
    ++line;
    const size_t nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    l = trim_blanks(l.substr(0, l.find('#')));
    if (!l.empty()) out.push_back({l, line});
  }
  return out;
}

std::vector<std::string_view> data_fields(std::string_view entry) {
  std::vector<std::string_view> out;
  for (size_t pos = 0;;) {
    const size_t bar = entry.find('|', pos);
    out.push_back(trim_blanks(entry.substr(pos, bar == std::string_view::npos ? std::string_view::npos : bar - pos)));
    if (bar == std::string_view::npos) return out;
    pos = bar + 1;
  }
}

void bad_data_entry(const DataFile& file, const DataEntry& entry, std::string_view what) {
  std::fprintf(stderr, "corpus/data/%.*s:%u: malformed entry (%.*s): %.*s\n", static_cast<int>(file.path.size()),
               file.path.data(), entry.line, static_cast<int>(what.size()), what.data(),
               static_cast<int>(entry.text.size()), entry.text.data());
  std::abort();
}

}  // namespace dateline::corpus_detail
