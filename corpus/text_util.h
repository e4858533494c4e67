// Internal to corpus/: small text helpers shared by the readers and the extractor.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dateline::corpus_detail {

inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_ascii_alpha(char c) { return is_ascii_upper(c) || is_ascii_lower(c); }
inline char ascii_lower(char c) { return is_ascii_upper(c) ? static_cast<char>(c + 32) : c; }

std::string_view trim(std::string_view s);
std::string ascii_lower(std::string_view s);
bool iequals_ascii(std::string_view a, std::string_view b);
bool istarts_with_ascii(std::string_view s, std::string_view prefix);

// The last path component ("dir/a.txt" -> "a.txt").
std::string file_name_of(std::string_view path);

// Appends the UTF-8 encoding of `cp` (U+FFFD for invalid code points).
void append_utf8(std::string& out, uint32_t cp);

// Decodes one UTF-8 sequence at s[i]; returns its length (0 if invalid) and
// sets cp.
size_t decode_utf8(std::string_view s, size_t i, uint32_t& cp);

// Calls on_cp(cp, i, len) for each well-formed code point of `s` and
// on_invalid(i) for each byte that does not start one.
template <typename OnCodePoint, typename OnInvalid>
void for_each_code_point(std::string_view s, OnCodePoint&& on_cp, OnInvalid&& on_invalid) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    const size_t len = decode_utf8(s, i, cp);
    if (len == 0) {
      on_invalid(i);
      ++i;
    } else {
      on_cp(cp, i, len);
      i += len;
    }
  }
}

bool is_valid_utf8(std::string_view s);
// Latin-1 bytes to UTF-8.
std::string latin1_to_utf8(std::string_view s);
// Replaces invalid UTF-8 bytes by U+FFFD.
std::string sanitize_utf8(std::string_view s);

// "\r\n" and lone "\r" become "\n".
std::string normalize_newlines(std::string_view s);

// Collapses runs of whitespace (ASCII, and U+00A0) to one space and trims.
std::string collapse_whitespace(std::string_view s);

}  // namespace dateline::corpus_detail
