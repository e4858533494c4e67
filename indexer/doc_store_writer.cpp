#include "indexer/doc_store_writer.h"

#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <stdexcept>

#include "common/checksum.h"
#include "common/memory_size.h"
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
  put_varint(rec, a.quotes.size());
  for (const Quotation& q : a.quotes) {
    put_string(rec, q.speaker);
    rec.push_back(static_cast<char>(q.speaker_kind));
    rec.push_back(static_cast<char>(q.kind));
    put_string(rec, q.cue);
    put_varint(rec, q.start);
    put_varint(rec, q.end - q.start);
  }
  put_string(out, rec);
}

DocStoreWriter::DocStoreWriter(const std::string& path) : out_(path), cctx_(ZSTD_createCCtx()) {
  if (!cctx_) throw std::runtime_error("zstd: cannot create a compression context");
  std::string header;
  put_u32(header, format::kDocStoreMagic);
  put_u32(header, format::kFormatVersion);
  out_.write(header);
}

DocStoreWriter::~DocStoreWriter() {
  ZSTD_freeCDict(static_cast<ZSTD_CDict*>(cdict_));
  ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(cctx_));
}

size_t DocStoreWriter::memory_bytes() const {
  return allocation_bytes(held_.capacity()) + allocation_bytes(held_sizes_.capacity() * sizeof(size_t)) +
         allocation_bytes(block_.capacity()) + allocation_bytes(dictionary_.capacity());
}

void DocStoreWriter::add(const Article& a) {
  scratch_.clear();
  encode_stored_article(a, scratch_);
  take(scratch_);
}

void DocStoreWriter::add_record(std::string_view record) {
  scratch_.clear();
  put_string(scratch_, record);
  take(scratch_);
}

// `record` is length-prefixed, as blocks hold it.
void DocStoreWriter::take(std::string_view record) {
  raw_bytes_ += record.size();
  ++docs_;
  if (!compressing_) {
    held_.append(record);
    held_sizes_.push_back(record.size());
    if (held_.size() >= format::kDocDictSampleBytes) start_compressing();
    return;
  }
  block_.append(record);
  if (block_.size() >= format::kDocBlockBytes) flush_block();
}

// Trains the dictionary on the held records (none when they are too few or
// zstd finds nothing to learn), writes it, then blocks them.
void DocStoreWriter::train_dictionary() {
  const size_t capacity = std::min<size_t>(format::kDocDictBytes, held_.size() / 16);
  if (held_sizes_.size() < 16 || capacity < 4096) return;
  dictionary_.resize(capacity);
  const size_t n = ZDICT_trainFromBuffer(dictionary_.data(), capacity, held_.data(), held_sizes_.data(),
                                         static_cast<unsigned>(held_sizes_.size()));
  if (ZDICT_isError(n)) {
    dictionary_.clear();
    return;
  }
  dictionary_.resize(n);
  cdict_ = ZSTD_createCDict(dictionary_.data(), dictionary_.size(), format::kDocStoreLevel);
  if (!cdict_) throw std::runtime_error("zstd: cannot create a compression dictionary");
}

void DocStoreWriter::start_compressing() {
  train_dictionary();
  ZSTD_CCtx* c = static_cast<ZSTD_CCtx*>(cctx_);
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, format::kDocStoreLevel);
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
  if (cdict_) ZSTD_CCtx_refCDict(c, static_cast<ZSTD_CDict*>(cdict_));
  std::string header;
  put_u32(header, static_cast<uint32_t>(dictionary_.size()));
  header += dictionary_;
  out_.write(header);
  compressing_ = true;
  // The held records become blocks, as if they came now.
  const uint32_t docs = docs_;
  docs_ -= static_cast<uint32_t>(held_sizes_.size());
  size_t at = 0;
  for (const size_t size : held_sizes_) {
    block_.append(held_, at, size);
    at += size;
    ++docs_;
    if (block_.size() >= format::kDocBlockBytes) flush_block();
  }
  if (docs_ != docs) throw std::logic_error("DocStoreWriter: held records miscounted");
  std::string().swap(held_);
  std::vector<size_t>().swap(held_sizes_);
}

void DocStoreWriter::flush_block() {
  if (docs_ == block_first_doc_) return;
  compressed_.resize(ZSTD_compressBound(block_.size()));
  const size_t n = ZSTD_compress2(static_cast<ZSTD_CCtx*>(cctx_), compressed_.data(), compressed_.size(), block_.data(),
                                  block_.size());
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  blocks_.push_back({block_first_doc_, out_.offset(), static_cast<uint32_t>(n)});
  out_.write(std::string_view(compressed_.data(), n));
  block_.clear();
  block_first_doc_ = docs_;
}

uint64_t DocStoreWriter::finish() {
  if (!compressing_) start_compressing();
  flush_block();
  std::string index;
  const uint64_t index_offset = out_.offset();
  put_u32(index, static_cast<uint32_t>(dictionary_.size()));
  put_u64(index, checksum64(dictionary_));
  put_u64(index, raw_bytes_);
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
