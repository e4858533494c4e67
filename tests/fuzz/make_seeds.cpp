// Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/)
// from a tiny index of invented articles. Run by hand when a format changes:
//   build/tests/fuzz/fuzz_make_seeds tests/fuzz/corpus
#include <zstd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "common/file_util.h"
#include "common/varint.h"
#include "corpus/extract.h"
#include "indexer/file_footer.h"
#include "indexer/format.h"
#include "indexer/index_writer.h"
#include "indexer/manifest.h"
#include "indexer/segment_reader.h"
#include "fuzz_util.h"

using namespace dateline;
namespace fs = std::filesystem;

namespace {

const std::string kSep = "\n--8<--\n";

std::vector<Article> articles() {
  const char* bodies[] = {
      "OSLO, March 3, 2025 - Norway's central bank held interest rates, finance minister Ingrid Halvorsen said. "
      "\"Rates will stay where they are,\" she told reporters.",
      "The Commodity Futures Trading Commission (CFTC) fined two brokers. The CFTC said rates were misreported.",
      "Gdańsk port officials said grain exports rose; Mark Rutte said NATO would help. Rutte also met bankers.",
      "Ferry crews went on strike in Tromsø as wind and rates rose again, the union said."};
  std::vector<Article> out;
  for (int i = 0; i < 4; ++i) {
    Article a;
    a.id = std::string("seed-").append(std::to_string(i));
    a.title = i % 2 ? "Rates rise" : "Harbour news";
    a.body = bodies[i];
    a.date = 20000 + i;
    a.file = "seeds.jsonl";
    a.line = static_cast<uint64_t>(i + 1);
    extract_fields(a);
    out.push_back(a);
  }
  return out;
}

std::string body_of(const fs::path& p, uint32_t magic) {
  const std::string file = read_file(p.string());
  return std::string(checked_body(file, magic, p.string(), true));
}

void put(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  fuzz::write_bytes(dir / name, bytes);
}

void postings_seeds(const fs::path& out, const fs::path& idx, const std::string& tag,
                    const std::vector<const char*>& terms);

void index_seeds(const fs::path& out, const fs::path& idx, const std::string& tag) {
  const Manifest m = read_manifest(idx.string());
  const SegmentInfo& info = m.segments.at(0);
  const fs::path seg = idx / info.name;
  const std::string terms = body_of(seg / format::kTermsFile, format::kTermsMagic);
  const std::string postings = body_of(seg / format::kPostingsFile, format::kPostingsMagic);
  const std::string positions = body_of(seg / format::kPositionsFile, format::kPositionsMagic);
  const std::string columns = body_of(seg / format::kColumnsFile, format::kColumnsMagic);
  const std::string store = body_of(seg / format::kDocStoreFile, format::kDocStoreMagic);
  const std::string deletes = info.deletes.empty() ? "" : body_of(seg / info.deletes, format::kDeletesMagic);
  const std::string facets = body_of(seg / format::kFacetsFile, format::kFacetsMagic);
  put(out / "fuzz_segment", tag,
      terms + kSep + postings + kSep + positions + kSep + columns + kSep + store + kSep + deletes + kSep + facets);
  put(out / "fuzz_term_dict", tag, terms + kSep + "rate" + kSep + "ra");
  std::string json = read_file((idx / "MANIFEST").string());
  json = json.substr(0, json.rfind("xxh64 "));
  put(out / "fuzz_manifest", tag, json);
  postings_seeds(out, idx, tag, {"rate", "Wrates", "Srutte", "said"});
}

// fuzz_postings inputs: the term entry's numbers, then the postings and
// positions bodies of the index's one segment.
void postings_seeds(const fs::path& out, const fs::path& idx, const std::string& tag,
                    const std::vector<const char*>& terms) {
  const Manifest m = read_manifest(idx.string());
  const SegmentInfo& info = m.segments.at(0);
  const fs::path seg = idx / info.name;
  const std::string postings = body_of(seg / format::kPostingsFile, format::kPostingsMagic);
  const std::string positions = body_of(seg / format::kPositionsFile, format::kPositionsMagic);
  const SegmentReader reader(idx.string(), info);
  int n = 0;
  for (const char* term : terms) {
    const auto ti = reader.term(term);
    if (!ti) continue;
    std::string head;
    put_u32(head, ti->df);
    put_u32(head, static_cast<uint32_t>(ti->postings_offset));
    put_u32(head, static_cast<uint32_t>(ti->positions_offset));
    put_u32(head, info.docs);
    put(out / "fuzz_postings", tag + "-" + std::to_string(n++), head + postings + kSep + positions);
  }
}

void reader_seeds(const fs::path& out) {
  const std::string jsonl =
      R"({"id":"a","date":"2024-11-13","title":"Rates","body":"The bank said rates rose.","speakers":["Ann Lee"]})" "\n"
      R"({"headline":"Ferry","text":"Crews struck.","pubDate":"Tue, 10 Jun 2003 04:00:00 GMT","entities":[{"name":"Oslo","type":"place"}]})" "\n";
  put(out / "fuzz_reader", "jsonl", std::string(1, '\0') + jsonl);
  std::string z(ZSTD_compressBound(jsonl.size()), '\0');
  z.resize(ZSTD_compress(z.data(), z.size(), jsonl.data(), jsonl.size(), 3));
  put(out / "fuzz_reader", "zst", std::string(1, '\1') + z);
  put(out / "fuzz_reader", "sgml",
      std::string(1, '\2') + "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS NEWID=\"1\">\n<DATE> 2-MAR-1987 10:00:00.00</DATE>\n"
                             "<TEXT><TITLE>RATES RISE</TITLE><DATELINE> OSLO, March 2 - </DATELINE><BODY>Rates rose, "
                             "the bank said.\n&#3;</BODY></TEXT>\n</REUTERS>\n");
  put(out / "fuzz_reader", "text", std::string(1, '\3') + " date 2024-11-13 title: Harbour\n\nThe harbour reopened, Mr. Lee said.\n");
}

void query_seeds(const fs::path& out) {
  const char* queries[] = {"speaker:halvorsen \"interest rates\" date:2024", "(bank OR rates) AND NOT \"central bank\"~2",
                           "negotiat* org:fed place:us", "a NEAR/3 b NEAR/3 c", "id:dl-2024-0008 title:rates or wind",
                           "date:2024-11-01..2024-11-30 -rates +bank", "quote:(rates NOT \"bank rate\") OR quote:wind",
                           "said:\"ingrid halvorsen\"(rates AND stay) said:rutte(nato NEAR/2 help)"};
  int i = 0;
  for (const char* q : queries) put(out / "fuzz_query", std::string("q").append(std::to_string(i++)), q);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds OUT_DIR\n");
    return 2;
  }
  const fs::path out = argv[1];
  const fs::path tmp = fs::temp_directory_path() / ("dateline-seeds-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  {
    IndexWriter w((tmp / "plain").string(), IndexWriterOptions{});
    for (const Article& a : articles()) w.add(a);
    w.commit();
  }
  fs::copy(tmp / "plain", tmp / "deleted", fs::copy_options::recursive);
  {
    IndexWriter w((tmp / "deleted").string(), IndexWriterOptions{});
    w.remove({"seed-1"});
    w.commit();
  }
  {
    // A term in 2,100 documents: 17 blocks, two groups of skip entries and
    // the group index between them and the data (docs/format.md).
    IndexWriterOptions o;
    o.threads = 1;
    IndexWriter w((tmp / "long").string(), o);
    for (int i = 0; i < 2100; ++i) {
      Article a;
      a.id = std::string("l").append(std::to_string(i));
      a.body = i % 2 ? "rate rate" : "rate";
      a.date = 20000;
      w.add(a);
    }
    w.commit();
  }
  postings_seeds(out, tmp / "long", "long", {"rate"});
  index_seeds(out, tmp / "plain", "plain");
  index_seeds(out, tmp / "deleted", "deleted");
  reader_seeds(out);
  query_seeds(out);
  fs::remove_all(tmp);
  std::printf("seeds written to %s\n", out.c_str());
  return 0;
}
