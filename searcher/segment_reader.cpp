#include "searcher/segment_reader.h"

#include <zstd.h>

#include <algorithm>
#include <filesystem>

#include "common/varint.h"
#include "indexer/format.h"

namespace dateline {

namespace {

void check_header(const MappedFile& f, uint32_t magic, const char* name) {
  if (f.size() < 8) throw CorruptIndex(std::string(name) + ": truncated");
  ByteReader r(f.view());
  if (r.u32() != magic) throw CorruptIndex(std::string(name) + ": bad magic");
  if (r.u32() != format::kFormatVersion) throw CorruptIndex(std::string(name) + ": unknown version");
}

}  // namespace

SegmentReader::SegmentReader(const std::string& index_dir, const SegmentInfo& info)
    : dir_((std::filesystem::path(index_dir) / info.name).string()), info_(info) {
  auto path = [&](const char* f) { return dir_ + "/" + f; };
  terms_ = MappedFile(path(format::kTermsFile));
  postings_ = MappedFile(path(format::kPostingsFile));
  positions_ = MappedFile(path(format::kPositionsFile));
  columns_ = MappedFile(path(format::kColumnsFile));
  store_ = MappedFile(path(format::kDocStoreFile));
  check_header(postings_, format::kPostingsMagic, format::kPostingsFile);
  check_header(positions_, format::kPositionsMagic, format::kPositionsFile);
  check_header(columns_, format::kColumnsMagic, format::kColumnsFile);
  check_header(store_, format::kDocStoreMagic, format::kDocStoreFile);
  dict_ = TermDict(terms_.view());

  ByteReader cols(columns_.view());
  cols.bytes(8);
  const uint64_t fixed = static_cast<uint64_t>(info_.docs) * 12;
  if (cols.u32() != info_.docs || cols.remaining() < fixed)
    throw CorruptIndex(path(format::kColumnsFile) + ": document count mismatch");
  // The columns start at byte 12, so they are 4-byte aligned in the map.
  const size_t n = info_.docs;
  dates_ = reinterpret_cast<const int32_t*>(columns_.data() + 12);
  lengths_ = reinterpret_cast<const uint32_t*>(columns_.data() + 12 + 4 * n);
  id_ends_ = reinterpret_cast<const uint32_t*>(columns_.data() + 12 + 8 * n);
  ids_ = columns_.view().substr(12 + 12 * n);
  if (n > 0 && id_ends_[n - 1] != ids_.size())
    throw CorruptIndex(path(format::kColumnsFile) + ": id column size mismatch");

  if (store_.size() < 8 + 16) throw CorruptIndex("docs.store: truncated");
  ByteReader tail(store_.view().substr(store_.size() - 16));
  const uint64_t index_offset = tail.u64();
  const uint32_t n_docs = tail.u32();
  if (tail.u32() != format::kDocStoreMagic || n_docs != info_.docs || index_offset > store_.size() - 16)
    throw CorruptIndex("docs.store: bad footer");
  ByteReader idx(store_.view().substr(index_offset, store_.size() - 16 - index_offset));
  const uint32_t n_blocks = idx.u32();
  for (uint32_t b = 0; b < n_blocks; ++b) {
    StoreBlock sb{idx.u32(), idx.u64(), idx.u32()};
    if (sb.size > index_offset || sb.offset > index_offset - sb.size || (b > 0 && sb.first_doc < store_blocks_.back().first_doc))
      throw CorruptIndex("docs.store: bad block");
    store_blocks_.push_back(sb);
  }
}

Article decode_stored_article(std::string_view record) {
  ByteReader r(record);
  Article a;
  a.id = std::string(r.string());
  a.date = static_cast<DayNumber>(r.u32());
  a.title = std::string(r.string());
  a.body = std::string(r.string());
  a.url = std::string(r.string());
  a.source = std::string(r.string());
  a.author = std::string(r.string());
  a.file = std::string(r.string());
  a.line = r.varint();
  for (uint64_t n = r.varint(); n > 0; --n) a.speakers.emplace_back(r.string());
  for (uint64_t n = r.varint(); n > 0; --n) {
    Entity e;
    e.name = std::string(r.string());
    const auto type = static_cast<uint8_t>(r.bytes(1)[0]);
    e.type = type <= static_cast<uint8_t>(EntityType::Place) ? static_cast<EntityType>(type) : EntityType::Other;
    a.entities.push_back(std::move(e));
  }
  return a;
}

Article SegmentReader::document(uint32_t doc) const {
  if (doc >= info_.docs) throw CorruptIndex("document id out of range");
  auto it = std::upper_bound(store_blocks_.begin(), store_blocks_.end(), doc,
                             [](uint32_t d, const StoreBlock& b) { return d < b.first_doc; });
  if (it == store_blocks_.begin()) throw CorruptIndex("docs.store: no block for document");
  const size_t b = static_cast<size_t>(it - store_blocks_.begin() - 1);
  if (cached_block_ != static_cast<int64_t>(b)) {
    const StoreBlock& sb = store_blocks_[b];
    const char* src = store_.data() + sb.offset;
    const unsigned long long raw = ZSTD_getFrameContentSize(src, sb.size);
    if (raw == ZSTD_CONTENTSIZE_ERROR || raw == ZSTD_CONTENTSIZE_UNKNOWN || raw > (1u << 30))
      throw CorruptIndex("docs.store: damaged block");
    cached_.resize(raw);
    const size_t n = ZSTD_decompress(cached_.data(), cached_.size(), src, sb.size);
    if (ZSTD_isError(n) || n != raw) throw CorruptIndex("docs.store: damaged block");
    cached_block_ = static_cast<int64_t>(b);
  }
  ByteReader r(cached_);
  for (uint32_t d = store_blocks_[b].first_doc; d < doc; ++d) r.string();
  return decode_stored_article(r.string());
}

std::string_view SegmentReader::doc_id(uint32_t doc) const {
  if (doc >= info_.docs) throw CorruptIndex("document id out of range");
  const uint32_t begin = doc == 0 ? 0 : id_ends_[doc - 1];
  const uint32_t end = id_ends_[doc];
  if (begin > end || end > ids_.size()) throw CorruptIndex("columns.bin: damaged id column");
  return ids_.substr(begin, end - begin);
}

std::vector<std::pair<std::string, uint64_t>> SegmentReader::file_sizes() const {
  return {{"terms", terms_.size()},
          {"postings", postings_.size()},
          {"positions", positions_.size()},
          {"columns", columns_.size()},
          {"docstore", store_.size()}};
}

}  // namespace dateline
