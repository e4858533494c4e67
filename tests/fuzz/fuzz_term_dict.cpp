// Fuzz target: the term dictionary (terms.dict body) read from any bytes.
// Input: the body, then a line with a term to look up and a prefix to scan.
#include <cstdint>
#include <string>

#include "common/varint.h"
#include "indexer/term_dict.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto parts = dateline::fuzz::split_parts(std::string_view(reinterpret_cast<const char*>(data), size), 3);
  try {
    const dateline::TermDict dict(parts[0]);
    dict.find(parts[1]);
    size_t n = 0;
    dict.for_each_prefix(parts[2], [&](std::string_view, const dateline::TermInfo&) { ++n; });
    dict.for_each([&](std::string_view, const dateline::TermInfo&) { ++n; });
  } catch (const dateline::CorruptIndex&) {
  }
  return 0;
}
