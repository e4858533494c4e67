// Minimal JSON output: string escaping and a one-line object writer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dateline {

// Appends `s` to `out` as a quoted JSON string. Invalid UTF-8 bytes become
// U+FFFD so the output is always valid JSON.
void json_append_string(std::string& out, std::string_view s);

// Builds one JSON object on a single line: {"a":1,"b":"x"}.
class JsonObject {
 public:
  JsonObject& field(std::string_view key, std::string_view value);
  JsonObject& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
  JsonObject& field(std::string_view key, double value);
  JsonObject& field(std::string_view key, long long value);
  JsonObject& field(std::string_view key, const std::vector<std::string>& values);
  JsonObject& null_field(std::string_view key);
  // Inserts already-serialised JSON as the value.
  JsonObject& raw_field(std::string_view key, std::string_view json);
  std::string str() const { return buf_ + "}"; }

 private:
  void key(std::string_view k);
  std::string buf_ = "{";
};

}  // namespace dateline
