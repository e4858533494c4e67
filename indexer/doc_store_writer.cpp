#include "indexer/doc_store_writer.h"

#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

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

DocStoreWriter::DocStoreWriter(const std::string& path) : path_(path) {
  f_ = std::fopen(path.c_str(), "wb");
  if (!f_) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  std::string header;
  put_u32(header, format::kDocStoreMagic);
  put_u32(header, format::kFormatVersion);
  write(header);
}

DocStoreWriter::~DocStoreWriter() {
  if (f_) std::fclose(f_);
}

void DocStoreWriter::write(const std::string& bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size())
    throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
  offset_ += bytes.size();
}

void DocStoreWriter::add(const Article& a) {
  encode_stored_article(a, block_);
  ++docs_;
  if (block_.size() >= format::kDocBlockBytes) flush_block();
}

void DocStoreWriter::flush_block() {
  if (docs_ == block_first_doc_) return;
  std::string z(ZSTD_compressBound(block_.size()), '\0');
  size_t n = ZSTD_compress(z.data(), z.size(), block_.data(), block_.size(), 3);
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  z.resize(n);
  blocks_.push_back({block_first_doc_, offset_, static_cast<uint32_t>(n)});
  write(z);
  block_.clear();
  block_first_doc_ = docs_;
}

uint64_t DocStoreWriter::finish() {
  flush_block();
  std::string index;
  const uint64_t index_offset = offset_;
  put_u32(index, static_cast<uint32_t>(blocks_.size()));
  for (const auto& b : blocks_) {
    put_u32(index, b.first_doc);
    put_u64(index, b.offset);
    put_u32(index, b.size);
  }
  put_u64(index, index_offset);
  put_u32(index, docs_);
  put_u32(index, format::kDocStoreMagic);
  write(index);
  if (std::fflush(f_) != 0 || ::fsync(fileno(f_)) != 0)
    throw std::runtime_error("cannot flush " + path_ + ": " + std::strerror(errno));
  std::fclose(f_);
  f_ = nullptr;
  return offset_;
}

}  // namespace dateline
