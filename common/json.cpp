#include "common/json.h"

#include <cmath>
#include <cstdio>

namespace dateline {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t utf8_seq_len(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) n = 2;
  else if ((c & 0xF0) == 0xE0) n = 3;
  else if ((c & 0xF8) == 0xF0) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  if (n == 2 && c < 0xC2) return 0;  // overlong
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
