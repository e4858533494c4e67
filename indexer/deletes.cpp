#include "indexer/deletes.h"

#include <cstdio>

#include "common/file_util.h"
#include "common/varint.h"
#include "indexer/file_footer.h"
#include "indexer/format.h"

namespace dateline {

std::string deletes_file_name(uint64_t generation) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "deletes-%06llu.bin", static_cast<unsigned long long>(generation));
  return buf;
}

void write_deletes(const std::string& path, const DeletedDocs& deleted) {
  std::string out;
  put_u32(out, format::kDeletesMagic);
  put_u32(out, format::kFormatVersion);
  put_u32(out, deleted.docs());
  put_u32(out, deleted.count());
  for (uint64_t w : deleted.words()) put_u64(out, w);
  append_footer(out, format::kDeletesMagic);
  write_file_durable(path, out);
}

}  // namespace dateline
