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
         allocation_bytes(held_docs_.capacity() * sizeof(uint32_t)) +
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

// `record` is length-prefixed, as blocks hold it; it is document docs_.
void DocStoreWriter::take(std::string_view record) {
  raw_bytes_ += record.size();
  if (!compressing_) {
    held_.append(record);
    held_sizes_.push_back(record.size());
    held_docs_.push_back(docs_++);
    if (held_.size() >= format::kDocDictSampleBytes) start_compressing();
    return;
  }
  append_to_block(record, docs_++);
}

// A block holds consecutive documents: one that does not follow the
// block's last (a copied block came between them) starts the next block.
void DocStoreWriter::append_to_block(std::string_view record, uint32_t doc) {
  if (block_docs_ > 0 && doc != block_first_doc_ + block_docs_) flush_block();
  if (block_docs_ == 0) block_first_doc_ = doc;
  block_.append(record);
  ++block_docs_;
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
  if (cdict_) {
    ZSTD_CCtx_refCDict(c, static_cast<ZSTD_CDict*>(cdict_));
    own_dict_ = add_dictionary(dictionary_);
  }
  compressing_ = true;
  // The held records become blocks, as if they came now.
  size_t at = 0;
  for (size_t i = 0; i < held_sizes_.size(); ++i) {
    append_to_block(std::string_view(held_).substr(at, held_sizes_[i]), held_docs_[i]);
    at += held_sizes_[i];
  }
  std::string().swap(held_);
  std::vector<size_t>().swap(held_sizes_);
  std::vector<uint32_t>().swap(held_docs_);
}

uint32_t DocStoreWriter::add_dictionary(std::string_view dictionary) {
  dicts_.push_back({out_.offset(), static_cast<uint32_t>(dictionary.size()), checksum64(dictionary)});
  out_.write(dictionary);
  return static_cast<uint32_t>(dicts_.size() - 1);
}

// Records still held for training keep their document numbers and are
// blocked later; blocks are put in document order at finish().
void DocStoreWriter::add_compressed_block(uint32_t dict, uint32_t docs, uint64_t raw_bytes, std::string_view frame) {
  if (dict != kNoDictionary && dict >= dicts_.size()) throw std::logic_error("DocStoreWriter: no such dictionary");
  if (docs == 0) throw std::logic_error("DocStoreWriter: a block without documents");
  flush_block();
  blocks_.push_back({docs_, out_.offset(), static_cast<uint32_t>(frame.size()), dict});
  out_.write(frame);
  docs_ += docs;
  raw_bytes_ += raw_bytes;
}

void DocStoreWriter::flush_block() {
  if (block_docs_ == 0) return;
  compressed_.resize(ZSTD_compressBound(block_.size()));
  const size_t n = ZSTD_compress2(static_cast<ZSTD_CCtx*>(cctx_), compressed_.data(), compressed_.size(), block_.data(),
                                  block_.size());
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  blocks_.push_back({block_first_doc_, out_.offset(), static_cast<uint32_t>(n), own_dict_});
  out_.write(std::string_view(compressed_.data(), n));
  block_.clear();
  block_docs_ = 0;
}

uint64_t DocStoreWriter::finish() {
  if (!compressing_) start_compressing();
  flush_block();
  std::sort(blocks_.begin(), blocks_.end(), [](const BlockRef& a, const BlockRef& b) { return a.first_doc < b.first_doc; });
  std::string index;
  const uint64_t index_offset = out_.offset();
  put_u32(index, static_cast<uint32_t>(dicts_.size()));
  for (const DictRef& d : dicts_) {
    put_u64(index, d.offset);
    put_u32(index, d.size);
    put_u64(index, d.sum);
  }
  put_u64(index, raw_bytes_);
  put_u32(index, static_cast<uint32_t>(blocks_.size()));
  for (const auto& b : blocks_) {
    put_u32(index, b.first_doc);
    put_u64(index, b.offset);
    put_u32(index, b.size);
    put_u32(index, b.dict);
  }
  const uint64_t index_sum = checksum64(index);
  put_u64(index, index_offset);
  put_u32(index, docs_);
  put_u64(index, index_sum);
  out_.write(index);
  return out_.finish(format::kDocStoreMagic);
}

}  // namespace dateline
