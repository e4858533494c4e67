// zstd-compressed JSON Lines, decompressed as a stream (never whole in memory).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <zstd.h>

#include "corpus/formats.h"

namespace dateline::corpus_detail {

void read_jsonl_zstd_file(const std::string& display, ReadContext& ctx) {
  FILE* f = std::fopen(display.c_str(), "rb");
  if (!f) {
    ctx.error(display, std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  std::unique_ptr<FILE, int (*)(FILE*)> file(f, &std::fclose);
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!dctx) {
    ctx.error(display, "cannot create a zstd decompression context");
    return;
  }

  JsonlParser parser(display, ctx);
  LineSplitter splitter([&](std::string_view line, uint64_t no) { parser.line(line, no); },
                        [&](uint64_t no) { parser.overlong_line(no); });

  std::vector<char> in_buf(ZSTD_DStreamInSize());
  std::vector<char> out_buf(ZSTD_DStreamOutSize());
  size_t last_ret = 0;
  bool any_input = false;
  size_t n;
  while ((n = std::fread(in_buf.data(), 1, in_buf.size(), f)) > 0) {
    any_input = true;
    ZSTD_inBuffer in{in_buf.data(), n, 0};
    while (in.pos < in.size) {
      ZSTD_outBuffer out{out_buf.data(), out_buf.size(), 0};
      size_t ret = ZSTD_decompressStream(dctx.get(), &out, &in);
      if (ZSTD_isError(ret)) {
        // Keep what was read so far; the partial last line is dropped.
        ctx.error(display, std::string("corrupt zstd data (") + ZSTD_getErrorName(ret) +
                               "); articles before the damage were kept");
        return;
      }
      ctx.add_bytes(out.pos);
      splitter.feed(out_buf.data(), out.pos);
      last_ret = ret;
    }
  }
  if (std::ferror(f)) {
    ctx.error(display, std::string("read error: ") + std::strerror(errno));
    return;
  }
  if (any_input && last_ret != 0) {
    ctx.error(display, "truncated zstd stream; articles before the cut were kept");
    return;
  }
  splitter.finish();
  parser.finish();
}

}  // namespace dateline::corpus_detail
