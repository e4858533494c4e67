// Fuzz target: a posting cursor over any postings and positions bytes, for
// any term entry. Input: 16 bytes (df, postings offset, positions offset,
// document count), then postings bytes, separator, positions bytes. Inner
// checksums are skipped so that the structure behind them is reached.
#include <cstdint>
#include <cstring>
#include <string>

#include "common/checksum.h"
#include "common/varint.h"
#include "indexer/posting_cursor.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dateline::skip_inner_checksums_for_fuzzing();
  if (size < 16) return 0;
  uint32_t head[4];
  std::memcpy(head, data, 16);
  const auto parts = dateline::fuzz::split_parts(std::string_view(reinterpret_cast<const char*>(data) + 16, size - 16), 2);
  // The reader's view of a file body ends in padding (as the writer leaves it).
  const std::string postings = std::string(parts[0]) + std::string(64, '\0');
  const std::string positions = std::string(parts[1]) + std::string(64, '\0');
  dateline::TermInfo info;
  info.df = head[0] % 100000;
  info.postings_offset = head[1] % (postings.size() + 8);
  info.positions_offset = head[2] % (positions.size() + 8);
  try {
    dateline::PostingCursor c(postings, positions, info, head[3]);
    uint32_t steps = 0;
    while (c.doc() != dateline::PostingCursor::kEnd && steps++ < 100000) {
      if (steps % 3 == 0) c.positions();
      if (steps % 7 == 0) c.advance(c.doc() + 5);
      else if (steps % 11 == 0) c.advance(c.doc() + 3000);  // over whole groups, by the group index
      else c.next();
    }
    dateline::PostingCursor::Impact impacts[8];
    for (size_t b = 0; b < c.block_count(); ++b) c.block_impacts(b, impacts);
    // Far ahead, then back behind the jump; then the check's walk.
    dateline::PostingCursor d(postings, positions, info, head[3]);
    const size_t far = d.block_at(head[3] / 2 + 1, 0);
    for (size_t b = d.block_count(); b-- > 0;)
      if (b % 5 == 0 || b == far) d.block_impacts(b, impacts);
    d.verify_group_index();
  } catch (const dateline::CorruptIndex&) {
  }
  return 0;
}
