#include "indexer/doc_store_writer.h"

#include <zstd.h>

#include <stdexcept>

#include "common/checksum.h"
#include "common/varint.h"
#include "indexer/format.h"

namespace dateline {

void encode_stored_article(const Article& a, std::string& out) {
  std::string rec;
  put_string(rec, a.id);
  put_u32(rec, static_cast<uint32_t>(a.date));
  put_string(rec, a.title);
  put_string(rec, a.body);
  put_string(rec, a.url);
  put_string(rec, a.source);
  put_string(rec, a.author);
  put_string(rec, a.file);
  put_varint(rec, a.line);
  put_varint(rec, a.speakers.size());
  for (const auto& s : a.speakers) put_string(rec, s);
  put_varint(rec, a.entities.size());
  for (const auto& e : a.entities) {
    put_string(rec, e.name);
    rec.push_back(static_cast<char>(e.type));
  }
  put_string(out, rec);
}

DocStoreWriter::DocStoreWriter(const std::string& path) : out_(path), cctx_(ZSTD_createCCtx()) {
  if (!cctx_) throw std::runtime_error("zstd: cannot create a compression context");
  ZSTD_CCtx_setParameter(static_cast<ZSTD_CCtx*>(cctx_), ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(static_cast<ZSTD_CCtx*>(cctx_), ZSTD_c_checksumFlag, 1);
  std::string header;
  put_u32(header, format::kDocStoreMagic);
  put_u32(header, format::kFormatVersion);
  out_.write(header);
}

DocStoreWriter::~DocStoreWriter() { ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(cctx_)); }

void DocStoreWriter::add(const Article& a) {
  encode_stored_article(a, block_);
  ++docs_;
  if (block_.size() >= format::kDocBlockBytes) flush_block();
}

void DocStoreWriter::add_record(std::string_view record) {
  put_string(block_, record);
  ++docs_;
  if (block_.size() >= format::kDocBlockBytes) flush_block();
}

void DocStoreWriter::flush_block() {
  if (docs_ == block_first_doc_) return;
  std::string z(ZSTD_compressBound(block_.size()), '\0');
  const size_t n = ZSTD_compress2(static_cast<ZSTD_CCtx*>(cctx_), z.data(), z.size(), block_.data(), block_.size());
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  z.resize(n);
  blocks_.push_back({block_first_doc_, out_.offset(), static_cast<uint32_t>(n)});
  out_.write(z);
  block_.clear();
  block_first_doc_ = docs_;
}

uint64_t DocStoreWriter::finish() {
  flush_block();
  std::string index;
  const uint64_t index_offset = out_.offset();
  put_u32(index, static_cast<uint32_t>(blocks_.size()));
  for (const auto& b : blocks_) {
    put_u32(index, b.first_doc);
    put_u64(index, b.offset);
    put_u32(index, b.size);
  }
  const uint64_t index_sum = checksum64(index);
  put_u64(index, index_offset);
  put_u32(index, docs_);
  put_u64(index, index_sum);
  out_.write(index);
  return out_.finish(format::kDocStoreMagic);
}

}  // namespace dateline
