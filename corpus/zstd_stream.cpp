// zstd-compressed JSON Lines, decompressed as a stream (never whole in memory).
#include <memory>
#include <string>
#include <vector>

#include <zstd.h>

#include "corpus/formats.h"

namespace dateline::corpus_detail {

namespace {

// How many of the input's articles a damaged stream left:
// " after 41 articles; those 41 were kept", "; 0 articles were kept".
std::string kept(uint64_t n) {
  if (n == 0) return "; 0 articles were kept";
  if (n == 1) return " after 1 article; that one was kept";
  return " after " + std::to_string(n) + " articles; those " + std::to_string(n) + " were kept";
}

}  // namespace

void read_jsonl_zstd(const Source& src, InputStream& in, ReadContext& ctx) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!dctx) {
    ctx.error(src.display, "cannot create a zstd decompression context");
    return;
  }
  JsonlParser parser(src, ctx);
  const uint64_t before = ctx.articles();
  // A damaged stream: what was read is kept, the partial last line dropped.
  auto damaged = [&](const std::string& what) {
    ctx.error(src.display + ":" + std::to_string(parser.lines() + 1), what + kept(ctx.articles() - before));
    parser.finish(false);
  };

  std::vector<char> in_buf(ZSTD_DStreamInSize());
  std::vector<char> out_buf(ZSTD_DStreamOutSize());
  size_t last_ret = 0;
  bool any_input = false;
  size_t n;
  while ((n = in.read(in_buf.data(), in_buf.size())) > 0) {
    any_input = true;
    ZSTD_inBuffer zin{in_buf.data(), n, 0};
    while (zin.pos < zin.size) {
      ZSTD_outBuffer zout{out_buf.data(), out_buf.size(), 0};
      const size_t ret = ZSTD_decompressStream(dctx.get(), &zout, &zin);
      if (ZSTD_isError(ret)) return damaged(std::string("corrupt zstd data (") + ZSTD_getErrorName(ret) + ")");
      ctx.add_bytes(zout.pos);
      parser.feed(out_buf.data(), zout.pos);
      last_ret = ret;
    }
  }
  if (!in.error().empty()) return damaged("read error (" + in.error() + ")");
  if (any_input && last_ret != 0) return damaged("truncated zstd stream");
  parser.finish();
}

}  // namespace dateline::corpus_detail
