// The article model: what every reader produces and the indexer consumes.
#pragma once

#include <string>
#include <vector>

#include "common/date.h"

namespace dateline {

struct Article {
  std::string id;                     // unique within an archive; never empty after reading
  DayNumber date = kNoDate;           // publication date, kNoDate when unknown
  std::string title;
  std::string body;                   // paragraphs separated by "\n\n"
  std::vector<std::string> speakers;  // full names of quoted people
  std::vector<std::string> entities;  // people, organisations, places mentioned
  std::string url;
  std::string source;
  // Where the article came from, for messages: "file" or "file:line".
  std::string origin;
  // True when the input gave speakers / entities explicitly (they win over
  // extraction, even when empty).
  bool has_speakers = false;
  bool has_entities = false;
};

}  // namespace dateline
