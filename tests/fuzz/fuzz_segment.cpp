// Fuzz target: opening an index whose one segment's files are any bytes,
// then searching it and checking it. Input: the bodies of terms.dict,
// postings.bin, positions.bin, columns.bin, docs.store, the deletions
// file and facets.bin, separated; the harness gives each file the trailer a writer would
// (so the readers behind it are reached) and skips inner checksums. The
// MANIFEST is written from the columns' document count.
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "common/checksum.h"
#include "common/varint.h"
#include "indexer/file_footer.h"
#include "indexer/format.h"
#include "indexer/index_check.h"
#include "indexer/manifest.h"
#include "searcher/facets.h"
#include "searcher/searcher.h"
#include "fuzz_util.h"

using namespace dateline;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  skip_inner_checksums_for_fuzzing();
  const auto parts = fuzz::split_parts(std::string_view(reinterpret_cast<const char*>(data), size), 7);
  const auto& dir = fuzz::scratch_dir();
  std::filesystem::create_directories(dir / "seg-000001");
  const std::pair<const char*, uint32_t> files[] = {
      {format::kTermsFile, format::kTermsMagic},       {format::kPostingsFile, format::kPostingsMagic},
      {format::kPositionsFile, format::kPositionsMagic}, {format::kColumnsFile, format::kColumnsMagic},
      {format::kDocStoreFile, format::kDocStoreMagic},   {"deletes-000001.bin", format::kDeletesMagic},
      {format::kFacetsFile, format::kFacetsMagic}};
  for (size_t i = 0; i < 7; ++i) {
    std::string body(parts[i]);
    append_footer(body, files[i].second);
    fuzz::write_bytes(dir / "seg-000001" / files[i].first, body);
  }
  SegmentInfo info;
  info.name = "seg-000001";
  if (parts[3].size() >= 12) std::memcpy(&info.docs, parts[3].data() + 8, 4);
  if (parts[5].size() >= 16) std::memcpy(&info.deleted, parts[5].data() + 12, 4);
  if (info.deleted > 0) info.deletes = "deletes-000001.bin";
  Manifest m;
  m.format = format::kFormatVersion;
  m.stemmer = "english";
  m.generation = 1;
  m.segments.push_back(info);
  write_manifest(dir.string(), m);
  try {
    Searcher s(dir.string());
    for (const char* q : {"rates", "\"interest rates\"", "bank OR rates", "rat*", "speaker:rutte", "-rates", "date:2024"}) {
      const Query parsed = s.parse(q);
      s.count(parsed);
      SearchOptions o;
      o.limit = 3;
      for (const ScoredDoc& h : s.search(parsed, o).hits) s.document(h);
      o.count_total = false;
      s.search(parsed, o);
      count_facets(s, parsed, parse_facet_list("speaker,person,org,place,source,week,year"), 3);
    }
  } catch (const std::runtime_error&) {
  }
  check_index(dir.string());
  return 0;
}
