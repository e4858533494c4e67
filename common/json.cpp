#include "common/json.h"

#include <cmath>
#include <cstdio>

namespace dateline {

namespace {

// Length of the well-formed UTF-8 sequence starting at s[i] (Unicode table
// 3-7: no overlongs, no surrogates, nothing above U+10FFFF), or 0.
size_t utf8_seq_len(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c >= 0xE1 && c <= 0xEF) n = 3;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  const auto c1 = static_cast<unsigned char>(s[i + 1]);
  if (c1 < lo || c1 > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

}  // namespace

void json_append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_seq_len(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

void JsonObject::key(std::string_view k) {
  if (buf_.size() > 1) buf_.push_back(',');
  json_append_string(buf_, k);
  buf_.push_back(':');
}

JsonObject& JsonObject::field(std::string_view k, std::string_view v) {
  key(k);
  json_append_string(buf_, v);
  return *this;
}

JsonObject& JsonObject::field(std::string_view k, double v) {
  key(k);
  if (!std::isfinite(v)) {
    buf_ += "null";
  } else {
    char b[32];
    std::snprintf(b, sizeof b, "%.6g", v);
    buf_ += b;
  }
  return *this;
}

JsonObject& JsonObject::field(std::string_view k, long long v) {
  key(k);
  buf_ += std::to_string(v);
  return *this;
}

JsonObject& JsonObject::field(std::string_view k, const std::vector<std::string>& vs) {
  key(k);
  buf_.push_back('[');
  for (size_t i = 0; i < vs.size(); ++i) {
    if (i) buf_.push_back(',');
    json_append_string(buf_, vs[i]);
  }
  buf_.push_back(']');
  return *this;
}

JsonObject& JsonObject::null_field(std::string_view k) {
  key(k);
  buf_ += "null";
  return *this;
}

JsonObject& JsonObject::raw_field(std::string_view k, std::string_view json) {
  key(k);
  buf_.append(json);
  return *this;
}

}  // namespace dateline
