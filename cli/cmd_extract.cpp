// dateline extract: print each article's extracted fields as JSON Lines.
#include <cstdio>

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

void print_diagnostic(const Diagnostic& d) {
  std::fprintf(stderr, "%s: %s: %s\n", d.level == Diagnostic::Level::Error ? "error" : "warning", d.where.c_str(),
               d.message.c_str());
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
        if (art.date == kNoDate) o.null_field("date");
        else o.field("date", format_iso_date(art.date));
        o.field("title", art.title).field("speakers", art.speakers).field("entities", entity_names(art.entities));
        o.field("people", entity_names(art.entities, EntityType::Person))
            .field("organizations", entity_names(art.entities, EntityType::Organization))
            .field("places", entity_names(art.entities, EntityType::Place));
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
  auto* sub = app.add_subcommand("extract", "Print each article's date, speakers and entities as JSON Lines");
  sub->add_option("paths", a->paths, "Files or directories (same formats as 'index'); '-' reads standard input")
      ->required();
  sub->add_flag("--body", a->body, "Include the article body");
  return [a] { return run_extract(*a); };
}

}  // namespace dateline::cli
