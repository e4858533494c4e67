// Fuzz target: the article readers on any bytes. The first byte picks the
// format (JSON Lines, zstd JSON Lines, Reuters SGML, plain text); the rest
// is the file; every article read goes through the extractor.
#include <cstdint>
#include <string>

#include "corpus/extract.h"
#include "corpus/reader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"in.jsonl", "in.jsonl.zst", "in.sgm", "in.txt"};
  const auto& dir = dateline::fuzz::scratch_dir();
  const std::filesystem::path file = dir / kNames[data[0] % 4];
  dateline::fuzz::write_bytes(file, std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  dateline::read_articles({file.string()}, [](dateline::Article&& a) { dateline::extract_fields(a); },
                          [](const dateline::Diagnostic&) {});
  return 0;
}
