#include "cli/article_output.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace dateline::cli {

void add_article_fields(JsonObject& o, const Article& a) {
  if (a.date == kNoDate) o.null_field("date");
  else o.field("date", format_iso_date(a.date));
  o.field("title", a.title).field("speakers", a.speakers).field("entities", entity_names(a.entities));
  o.field("people", entity_names(a.entities, EntityType::Person))
      .field("organizations", entity_names(a.entities, EntityType::Organization))
      .field("places", entity_names(a.entities, EntityType::Place));
  if (!a.url.empty()) o.field("url", a.url);
  if (!a.source.empty()) o.field("source", a.source);
  if (!a.author.empty()) o.field("author", a.author);
  o.field("file", a.file);
  if (a.line) o.field("line", static_cast<long long>(a.line));
  else o.null_field("line");
}

std::string article_json(const Article& a) {
  JsonObject o;
  o.field("id", a.id);
  add_article_fields(o, a);
  o.raw_field("quotes", quotes_json(a));
  o.field("body", a.body);
  return o.str();
}

std::string quotes_json(const Article& a, const std::vector<size_t>* only) {
  std::string out = "[";
  for (size_t i = 0; i < a.quotes.size(); ++i) {
    if (only && std::find(only->begin(), only->end(), i) == only->end()) continue;
    const Quotation& q = a.quotes[i];
    JsonObject o;
    o.field("speaker", q.speaker).field("speaker_kind", speaker_kind_name(q.speaker_kind));
    o.field("kind", quote_kind_name(q.kind)).field("cue", q.cue);
    o.field("start", static_cast<long long>(q.start)).field("end", static_cast<long long>(q.end));
    if (q.end <= a.body.size() && q.start < q.end) o.field("text", std::string_view(a.body).substr(q.start, q.end - q.start));
    if (out.size() > 1) out += ',';
    out += o.str();
  }
  return out + "]";
}

std::string quote_line(const Article& a, const Quotation& q, size_t max) {
  std::string who = q.speaker_kind == SpeakerKind::Unnamed ? "(unnamed source)" : q.speaker;
  std::string text;
  if (q.end <= a.body.size() && q.start < q.end)
    for (char c : std::string_view(a.body).substr(q.start, q.end - q.start)) text.push_back(c == '\n' ? ' ' : c);
  if (text.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    text += "\xE2\x80\xA6";
  }
  const bool direct = q.kind == QuoteKind::Direct;
  return who + " (" + q.cue + "): " + (direct ? "\xE2\x80\x9C" : "") + text + (direct ? "\xE2\x80\x9D" : "");
}

std::string display_title(const Article& a) {
  if (!a.title.empty()) return a.title;
  std::string t;
  for (char c : a.body.substr(0, 400)) t.push_back(c == '\n' ? ' ' : c);
  if (t.empty()) return "(untitled)";
  if (t.size() > 90) {
    size_t cut = t.rfind(' ', 90);
    if (cut == std::string::npos || cut < 40) {
      cut = 90;  // no space near the end: cut at a code point boundary
      while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    }
    t.resize(cut);
    t += "\xE2\x80\xA6";
  }
  return t;
}

std::string entity_summary(const Article& a, size_t max) {
  std::string line;
  size_t shown = 0;
  for (EntityType t : {EntityType::Person, EntityType::Organization, EntityType::Place, EntityType::Other})
    for (const Entity& e : a.entities)
      if (e.type == t && shown < max) line += (shown++ ? ", " : "") + e.name;
  if (a.entities.size() > max) line += ", ... (" + std::to_string(a.entities.size()) + ")";
  return line;
}

void print_diagnostic(const Diagnostic& d) {
  std::fprintf(stderr, "%s: %s: %s\n", d.level == Diagnostic::Level::Error ? "error" : "warning", d.where.c_str(),
               d.message.c_str());
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out = prefix;
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += prefix;
  }
  return out;
}

std::string counted(uint64_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace dateline::cli
