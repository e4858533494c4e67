// dateline show: print stored articles by id, with what was extracted.
#include <cstdio>

#include "cli/article_output.h"
#include "cli/commands.h"
#include "searcher/searcher.h"

namespace dateline::cli {

namespace {

struct ShowArgs {
  std::vector<std::string> indexes;
  std::vector<std::string> ids;
  bool json = false;
};

void print_human(const Article& a) {
  const std::string date = a.date == kNoDate ? "(no date)" : format_iso_date(a.date);
  std::printf("%s\n%s  %s\n", display_title(a).c_str(), date.c_str(), a.id.c_str());
  std::printf("from: %s\n", a.origin().c_str());
  if (!a.source.empty()) std::printf("source: %s\n", a.source.c_str());
  if (!a.author.empty()) std::printf("author: %s\n", a.author.c_str());
  if (!a.url.empty()) std::printf("url: %s\n", a.url.c_str());
  std::string speakers;
  for (const std::string& s : a.speakers) speakers += (speakers.empty() ? "" : ", ") + s;
  if (!speakers.empty()) std::printf("speakers: %s\n", speakers.c_str());
  for (EntityType t : {EntityType::Person, EntityType::Organization, EntityType::Place, EntityType::Other}) {
    std::string names;
    for (const std::string& n : entity_names(a.entities, t)) names += (names.empty() ? "" : ", ") + n;
    if (!names.empty()) std::printf("%s: %s\n", std::string(entity_type_name(t)).c_str(), names.c_str());
  }
  if (!a.quotes.empty()) {
    std::printf("quotations:\n");
    for (const Quotation& q : a.quotes) std::printf("  %s\n", quote_line(a, q, 160).c_str());
  }
  std::printf("\n%s\n", a.body.c_str());
}

int run_show(const ShowArgs& a) {
  Searcher searcher(a.indexes);
  int missing = 0;
  bool first = true;
  for (const std::string& id : a.ids) {
    const std::vector<ScoredDoc> docs = searcher.find_id(id);
    if (docs.empty()) {
      std::fprintf(stderr, "dateline show: no article with id \"%s\" in %s\n", id.c_str(), join_indexes(a.indexes).c_str());
      ++missing;
    }
    for (const ScoredDoc& d : docs) {
      const Article art = searcher.document(d);
      if (a.json) {
        std::puts(article_json(art).c_str());
        continue;
      }
      if (!first) std::printf("\n----------------------------------------\n\n");
      first = false;
      print_human(art);
    }
  }
  return missing ? 1 : 0;
}

}  // namespace

Runner add_show_command(CLI::App& app) {
  auto a = std::make_shared<ShowArgs>();
  auto* sub = app.add_subcommand("show", "Print stored articles by id, with their date, speakers and entities");
  add_index_option(sub, a->indexes);
  sub->add_option("ids", a->ids, "Article ids (as search prints them)")->required();
  sub->add_flag("--json", a->json,
                "One JSON object per article: id, date, title, speakers, entities, people, organizations, "
                "places, url, source, author, file, line, quotes, body");
  sub->footer("Exit code 1 if an id is not in the index (the others are still printed).\n"
              "Example: dateline show --index news-idx dl-2024-0008");
  return [a] { return run_show(*a); };
}

}  // namespace dateline::cli
