#include "indexer/segment_reader.h"

#include <zstd.h>

#include <algorithm>
#include <filesystem>

#include "common/checksum.h"
#include "common/varint.h"
#include "indexer/file_footer.h"
#include "indexer/format.h"

namespace dateline {

namespace {

// The body of a mapped file after checking its trailer (with the checksum
// when `verify`) and its header.
std::string_view open_body(const MappedFile& f, uint32_t magic, const std::string& path, bool verify) {
  const std::string_view body = checked_body(f.view(), magic, path, verify);
  if (body.size() < 8) throw CorruptIndex(path + ": truncated header");
  ByteReader r(body);
  if (r.u32() != magic) throw CorruptIndex(path + ": bad magic at byte 0");
  if (r.u32() != format::kFormatVersion) throw CorruptIndex(path + ": unknown version at byte 4");
  return body;
}

}  // namespace

SegmentReader::SegmentReader(const std::string& index_dir, const SegmentInfo& info)
    : dir_((std::filesystem::path(index_dir) / info.name).string()), info_(info) {
  terms_ = MappedFile(path(format::kTermsFile));
  postings_ = MappedFile(path(format::kPostingsFile));
  positions_ = MappedFile(path(format::kPositionsFile));
  columns_ = MappedFile(path(format::kColumnsFile));
  store_ = MappedFile(path(format::kDocStoreFile));
  facets_path_ = path(format::kFacetsFile);
  facets_file_ = MappedFile(facets_path_);
  // The small files are verified whole; postings, positions and stored
  // records are verified block by block as they are read.
  dict_ = TermDict(open_body(terms_, format::kTermsMagic, path(format::kTermsFile), true));
  postings_body_ = open_body(postings_, format::kPostingsMagic, path(format::kPostingsFile), false);
  positions_body_ = open_body(positions_, format::kPositionsMagic, path(format::kPositionsFile), false);
  open_columns(open_body(columns_, format::kColumnsMagic, path(format::kColumnsFile), true));
  open_store(open_body(store_, format::kDocStoreMagic, path(format::kDocStoreFile), false));
  if (!info_.deletes.empty()) open_deletes();
}

std::string SegmentReader::path(const char* file) const { return dir_ + "/" + file; }

const FacetColumns& SegmentReader::facets() const {
  std::call_once(facets_once_, [&] {
    facets_ = FacetColumns(open_body(facets_file_, format::kFacetsMagic, facets_path_, true), info_.docs, &facets_path_);
  });
  return facets_;
}

void SegmentReader::open_columns(std::string_view cols_body) {
  const std::string where = path(format::kColumnsFile);
  ByteReader cols(cols_body);
  cols.bytes(8);
  const uint64_t fixed = static_cast<uint64_t>(info_.docs) * 12;
  if (cols.u32() != info_.docs || cols.remaining() < fixed)
    throw CorruptIndex(where + ": document count at byte 8 does not match the manifest");
  // The columns start at byte 12, so they are 4-byte aligned in the map.
  const size_t n = info_.docs;
  dates_ = reinterpret_cast<const int32_t*>(cols_body.data() + 12);
  lengths_ = reinterpret_cast<const uint32_t*>(cols_body.data() + 12 + 4 * n);
  id_ends_ = reinterpret_cast<const uint32_t*>(cols_body.data() + 12 + 8 * n);
  ids_ = cols_body.substr(12 + 12 * n);
  date_blocks_.assign((n + kDateBlockDocs - 1) / kDateBlockDocs, DateBlock{INT32_MAX, INT32_MIN});
  for (size_t d = 0; d < n; ++d) {
    if (dates_[d] == kNoDate) continue;
    DateBlock& b = date_blocks_[d / kDateBlockDocs];
    b.min = std::min(b.min, dates_[d]);
    b.max = std::max(b.max, dates_[d]);
  }
  if ((n > 0 && id_ends_[n - 1] != ids_.size()) || (n == 0 && !ids_.empty()))
    throw CorruptIndex(where + ": id column size mismatch at byte " + std::to_string(12 + 8 * n));
}

int64_t SegmentReader::count_dated(DayNumber lo, DayNumber hi) const {
  std::call_once(days_once_, [&] {
    DayNumber first = INT32_MAX, last = INT32_MIN;
    for (const DateBlock& b : date_blocks_)
      if (b.min <= b.max) first = std::min(first, b.min), last = std::max(last, b.max);
    if (first > last) return;  // no dated documents
    // A count per day costs memory by the days spanned: bounded by the
    // documents (a damaged or odd column may span millions of years).
    if (int64_t{last} - first > 4 * int64_t{info_.docs} + 65536) {
      days_too_wide_ = true;
      return;
    }
    first_day_ = first;
    std::vector<uint32_t> before(static_cast<size_t>(int64_t{last} - first) + 2, 0);
    for (size_t d = 0; d < info_.docs; ++d)
      if (dates_[d] != kNoDate) ++before[static_cast<size_t>(dates_[d] - first) + 1];
    for (size_t i = 1; i < before.size(); ++i) before[i] += before[i - 1];
    dated_before_ = std::move(before);
  });
  if (days_too_wide_) return -1;
  if (dated_before_.empty() || lo > hi) return 0;
  int64_t n = int64_t{dated_before_[day_index(int64_t{hi} + 1)]} - dated_before_[day_index(lo)];
  for (uint32_t d : deleted_list_) n -= dates_[d] != kNoDate && dates_[d] >= lo && dates_[d] <= hi;
  return n;
}

// Clamped to the days the column spans: index i counts the days before first_day_ + i.
size_t SegmentReader::day_index(int64_t day) const {
  return static_cast<size_t>(std::clamp<int64_t>(day - first_day_, 0, int64_t(dated_before_.size()) - 1));
}

std::optional<std::span<const uint32_t>> SegmentReader::docs_dated(DayNumber lo, DayNumber hi) const {
  if (count_dated(lo, lo) < 0) return std::nullopt;  // builds the day counts
  std::call_once(by_date_once_, [&] {
    if (dated_before_.empty()) return;
    std::vector<uint32_t> order(dated_before_.back());
    std::vector<uint32_t> next(dated_before_.begin(), dated_before_.end() - 1);
    for (uint32_t d = 0; d < info_.docs; ++d)
      if (dates_[d] != kNoDate) order[next[static_cast<size_t>(dates_[d] - first_day_)]++] = d;
    docs_by_date_ = std::move(order);
  });
  if (dated_before_.empty() || lo > hi) return std::span<const uint32_t>();
  const size_t from = dated_before_[day_index(lo)], to = dated_before_[day_index(int64_t{hi} + 1)];
  return std::span<const uint32_t>(docs_by_date_).subspan(from, to - from);
}

void SegmentReader::ZstdFree::operator()(ZSTD_DDict_s* d) const { ZSTD_freeDDict(d); }
void SegmentReader::ZstdFree::operator()(ZSTD_DCtx_s* c) const { ZSTD_freeDCtx(c); }

void SegmentReader::open_store(std::string_view body) {
  const std::string where = path(format::kDocStoreFile);
  if (body.size() < 8 + 20) throw CorruptIndex(where + ": truncated");
  const size_t tail_at = body.size() - 20;
  ByteReader tail(body.substr(tail_at));
  const uint64_t index_offset = tail.u64();
  const uint32_t n_docs = tail.u32();
  const uint64_t index_sum = tail.u64();
  if (n_docs != info_.docs || index_offset < 8 || index_offset > tail_at)
    throw CorruptIndex(where + ": bad block index reference at byte " + std::to_string(tail_at));
  const std::string_view index = body.substr(index_offset, tail_at - index_offset);
  if (!inner_checksum_matches(index_sum, checksum64(index)))
    throw CorruptIndex(where + ": block index at byte " + std::to_string(index_offset) + " is damaged (checksum mismatch)");
  ByteReader idx(index);
  // Dictionaries and blocks lie between the header and the index.
  const auto in_body = [&](uint64_t offset, uint64_t size) {
    return offset >= 8 && offset <= index_offset && size <= index_offset - offset;
  };
  const std::string in_index = " in the index at byte " + std::to_string(index_offset);
  const uint32_t n_dicts = idx.u32();
  if (n_dicts > idx.remaining() / 20) throw CorruptIndex(where + ": bad dictionary count" + in_index);
  for (uint32_t i = 0; i < n_dicts; ++i) {
    const uint64_t offset = idx.u64();
    const uint32_t size = idx.u32();
    const uint64_t sum = idx.u64();
    if (!in_body(offset, size)) throw CorruptIndex(where + ": bad dictionary " + std::to_string(i) + in_index);
    const std::string_view bytes = body.substr(offset, size);
    if (!inner_checksum_matches(sum, checksum64(bytes)))
      throw CorruptIndex(where + ": dictionary at byte " + std::to_string(offset) + " is damaged (checksum mismatch)");
    store_dicts_.push_back({bytes, offset, nullptr});
  }
  store_raw_bytes_ = idx.u64();
  const uint32_t n_blocks = idx.u32();
  if (n_blocks > idx.remaining() / 20) throw CorruptIndex(where + ": bad block count" + in_index);
  for (uint32_t b = 0; b < n_blocks; ++b) {
    StoreBlock sb{idx.u32(), idx.u64(), idx.u32(), idx.u32()};
    if (!in_body(sb.offset, sb.size) || (sb.dict >= n_dicts && sb.dict != format::kNoStoreDictionary) ||
        (b > 0 && sb.first_doc <= store_blocks_.back().first_doc) || (b == 0 && sb.first_doc != 0) || sb.first_doc >= n_docs)
      throw CorruptIndex(where + ": bad block " + std::to_string(b) + in_index);
    store_blocks_.push_back(sb);
  }
  if (n_docs > 0 && store_blocks_.empty()) throw CorruptIndex(where + ": no blocks for " + std::to_string(n_docs) + " documents");
  if (!store_context_) store_context_.reset(ZSTD_createDCtx());
  store_body_ = body;
}

void SegmentReader::open_deletes() {
  const std::string where = path(info_.deletes.c_str());
  deletes_file_ = MappedFile(where);
  const std::string_view body = open_body(deletes_file_, format::kDeletesMagic, where, true);
  ByteReader r(body.substr(8));
  const uint32_t n_docs = r.u32();
  const uint32_t n_deleted = r.u32();
  const uint64_t words = (static_cast<uint64_t>(info_.docs) + 63) / 64;
  if (n_docs != info_.docs || r.remaining() != 8 * words)
    throw CorruptIndex(where + ": document count at byte 8 does not match the segment");
  deleted_bits_ = reinterpret_cast<const uint64_t*>(r.pos());
  for (uint32_t d = 0; d < info_.docs; ++d)
    if ((deleted_bits_[d >> 6] >> (d & 63)) & 1) deleted_list_.push_back(d);
  const uint64_t counted = deleted_list_.size();
  if (counted != n_deleted || n_deleted != info_.deleted || (words > 0 && info_.docs % 64 != 0 &&
                                                              deleted_bits_[words - 1] >> (info_.docs % 64) != 0))
    throw CorruptIndex(where + ": deleted count at byte 12 does not match the bitmap or the manifest");
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
  for (uint64_t n = r.varint(); n > 0; --n) {
    Quotation q;
    q.speaker = std::string(r.string());
    const auto sk = static_cast<uint8_t>(r.bytes(1)[0]);
    const auto k = static_cast<uint8_t>(r.bytes(1)[0]);
    q.speaker_kind = sk <= static_cast<uint8_t>(SpeakerKind::Unnamed) ? static_cast<SpeakerKind>(sk) : SpeakerKind::Unnamed;
    q.kind = k == static_cast<uint8_t>(QuoteKind::Direct) ? QuoteKind::Direct : QuoteKind::Reported;
    q.cue = std::string(r.string());
    const uint64_t start = r.varint(), len = r.varint();
    if (start > a.body.size() || len > a.body.size() - start) throw CorruptIndex("docs.store: a quotation outside its body");
    q.start = static_cast<uint32_t>(start);
    q.end = static_cast<uint32_t>(start + len);
    a.quotes.push_back(std::move(q));
  }
  a.has_quotes = true;
  return a;
}

std::string_view SegmentReader::record(uint32_t doc) const {
  if (doc >= info_.docs) throw CorruptIndex(path(format::kDocStoreFile) + ": document id out of range");
  auto it = std::upper_bound(store_blocks_.begin(), store_blocks_.end(), doc,
                             [](uint32_t d, const StoreBlock& b) { return d < b.first_doc; });
  if (it == store_blocks_.begin()) throw CorruptIndex(path(format::kDocStoreFile) + ": no block for document");
  const size_t b = static_cast<size_t>(it - store_blocks_.begin() - 1);
  if (cached_block_ != static_cast<int64_t>(b)) {
    const StoreBlock& sb = store_blocks_[b];
    const char* src = store_body_.data() + sb.offset;
    auto damaged = [&] {
      return CorruptIndex(path(format::kDocStoreFile) + ": damaged block at byte " + std::to_string(sb.offset));
    };
    const unsigned long long raw = ZSTD_getFrameContentSize(src, sb.size);
    if (raw == ZSTD_CONTENTSIZE_ERROR || raw == ZSTD_CONTENTSIZE_UNKNOWN || raw > (1u << 30)) throw damaged();
    cached_.resize(raw);
    cached_block_ = -1;
    // The frame carries a checksum of its content, which zstd verifies.
    ZSTD_DCtx* dctx = store_context_.get();
    const ZSTD_DDict* dict = sb.dict == format::kNoStoreDictionary ? nullptr : digested_dictionary(sb.dict);
    const size_t n = dict ? ZSTD_decompress_usingDDict(dctx, cached_.data(), cached_.size(), src, sb.size, dict)
                          : ZSTD_decompressDCtx(dctx, cached_.data(), cached_.size(), src, sb.size);
    if (ZSTD_isError(n) || n != raw) throw damaged();
    cached_block_ = static_cast<int64_t>(b);
  }
  try {
    ByteReader r(cached_);
    for (uint32_t d = store_blocks_[b].first_doc; d < doc; ++d) r.string();
    return r.string();
  } catch (const CorruptIndex&) {
    throw CorruptIndex(path(format::kDocStoreFile) + ": block at byte " + std::to_string(store_blocks_[b].offset) +
                       " holds fewer records than its index says");
  }
}

const ZSTD_DDict* SegmentReader::digested_dictionary(uint32_t i) const {
  const StoreDict& d = store_dicts_[i];
  if (!d.digested) {
    d.digested.reset(ZSTD_createDDict(d.bytes.data(), d.bytes.size()));
    if (!d.digested)
      throw CorruptIndex(path(format::kDocStoreFile) + ": dictionary at byte " + std::to_string(d.offset) +
                         " is not a zstd dictionary");
  }
  return d.digested.get();
}

SegmentReader::StoredBlock SegmentReader::store_block(size_t b) const {
  const StoreBlock& sb = store_blocks_.at(b);
  const std::string_view frame = store_body_.substr(sb.offset, sb.size);
  const unsigned long long raw = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (raw == ZSTD_CONTENTSIZE_ERROR || raw == ZSTD_CONTENTSIZE_UNKNOWN)
    throw CorruptIndex(path(format::kDocStoreFile) + ": damaged block at byte " + std::to_string(sb.offset));
  const uint32_t end = b + 1 < store_blocks_.size() ? store_blocks_[b + 1].first_doc : info_.docs;
  return {sb.first_doc, end, sb.dict, raw, frame};
}

Article SegmentReader::document(uint32_t doc) const {
  try {
    return decode_stored_article(record(doc));
  } catch (const CorruptIndex& e) {
    const std::string what = e.what();
    if (what.find(path(format::kDocStoreFile)) != std::string::npos) throw;
    throw CorruptIndex(path(format::kDocStoreFile) + ": damaged record of document " + std::to_string(doc) + " (" + what + ")");
  }
}

std::string_view SegmentReader::doc_id(uint32_t doc) const {
  if (doc >= info_.docs) throw CorruptIndex(path(format::kColumnsFile) + ": document id out of range");
  const uint32_t begin = doc == 0 ? 0 : id_ends_[doc - 1];
  const uint32_t end = id_ends_[doc];
  if (begin > end || end > ids_.size()) throw CorruptIndex(path(format::kColumnsFile) + ": damaged id column");
  return ids_.substr(begin, end - begin);
}

std::vector<std::pair<std::string, uint64_t>> SegmentReader::file_sizes() const {
  return {{"terms", terms_.size()},
          {"postings", postings_.size()},
          {"positions", positions_.size()},
          {"columns", columns_.size()},
          {"facets", facets_file_.size()},
          {"docstore", store_.size()}};
}

void SegmentReader::release_pages() const {
  for (const MappedFile* f : {&terms_, &postings_, &positions_, &columns_, &store_, &deletes_file_, &facets_file_})
    f->release_pages();
}

}  // namespace dateline
