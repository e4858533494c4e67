// dateline extract: print each article's extracted fields as JSON Lines.
#include <cstdio>

#include "cli/article_output.h"
#include "cli/commands.h"
#include "common/json.h"
#include "corpus/duplicate_ids.h"
#include "corpus/extract.h"
#include "corpus/reader.h"

namespace dateline::cli {

namespace {

struct ExtractArgs {
  std::vector<std::string> paths;
  bool body = false;
};

// [{"alias":"CFTC","name":"Commodity Futures Trading Commission","type":"org"}, ...]
std::string aliases_json(const std::vector<NameAlias>& aliases) {
  std::string out = "[";
  for (const NameAlias& al : aliases) {
    JsonObject o;
    o.field("alias", al.alias).field("name", al.name).field("type", entity_type_name(al.type));
    out += (out.size() > 1 ? "," : "") + o.str();
  }
  return out + "]";
}

int run_extract(const ExtractArgs& a) {
  DuplicateIds ids;
  ReadStats stats = read_articles(
      a.paths,
      [&](Article&& art) {
        if (auto d = ids.check(art, "both are printed")) print_diagnostic(*d);
        extract_fields(art);
        JsonObject o;
        o.field("id", art.id);
        add_article_fields(o, art);
        o.raw_field("aliases", aliases_json(art.aliases));
        o.raw_field("quotes", quotes_json(art));
        if (a.body) o.field("body", art.body);
        o.field("origin", art.origin());
        std::fputs((o.str() + "\n").c_str(), stdout);
      },
      print_diagnostic);
  return stats.errors ? 1 : 0;
}

}  // namespace

Runner add_extract_command(CLI::App& app) {
  auto a = std::make_shared<ExtractArgs>();
  auto* sub = app.add_subcommand(
      "extract",
      "Print each article's date, speakers and entities as JSON Lines (id, date, title, speakers, entities, "
      "people, organizations, places, url, source, author, file, line, aliases, quotes (attributed quotations: speaker, speaker_kind, kind, cue, byte start and end in the body, text), body with --body, origin); "
      "the output can be indexed again with the types kept");
  sub->add_option("paths", a->paths, "Files or directories (same formats as 'index'); '-' reads standard input")
      ->required();
  sub->add_flag("--body", a->body, "Include the article body");
  return [a] { return run_extract(*a); };
}

}  // namespace dateline::cli
