// Fuzz target: reading a MANIFEST. The input is the JSON; the harness adds
// the checksum line a writer would (so the parser behind it is reached),
// and also reads the bytes as they are.
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "common/checksum.h"
#include "indexer/manifest.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  char line[32];
  std::snprintf(line, sizeof line, "xxh64 %016llx\n", static_cast<unsigned long long>(dateline::checksum64(json)));
  for (const std::string& file : {json + line, json}) {
    const auto& dir = dateline::fuzz::scratch_dir();
    dateline::fuzz::write_bytes(dir / "MANIFEST", file);
    for (bool any_format : {false, true}) {
      try {
        dateline::read_manifest(dir.string(), any_format);
      } catch (const std::runtime_error&) {
      }
    }
  }
  return 0;
}
