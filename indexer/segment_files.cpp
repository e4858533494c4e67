#include "indexer/segment_files.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "common/block_codec.h"
#include "common/checksum.h"
#include "common/varint.h"
#include "indexer/format.h"
#include "indexer/segment_writer.h"

namespace dateline {

namespace {

static_assert(format::kBlockSize == 128, "PostingsWriter's block arrays hold kBlockSize documents");

// Every binary file starts with its magic and the format version.
void write_header(FileWriter& out, uint32_t magic) {
  std::string h;
  put_u32(h, magic);
  put_u32(h, format::kFormatVersion);
  out.write(h);
}

// The block's impacts: the (frequency, length) pairs of its documents that
// no other document beats on both (higher or equal frequency and shorter or
// equal length), by decreasing frequency; the BM25 score of any document of
// the block is at most the best score among them. Beyond kMaxImpacts, the
// weakest ones are merged into one pair that dominates them all. Only the
// shortest length of each frequency can be on the frontier.
void put_impacts(const uint32_t* freqs, const uint32_t* lengths, uint32_t n, std::string& out) {
  std::pair<uint32_t, uint32_t> shortest[format::kBlockSize];  // (freq, its shortest length)
  uint32_t distinct = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t j = 0;
    while (j < distinct && shortest[j].first != freqs[i]) ++j;
    if (j == distinct) shortest[distinct++] = {freqs[i], lengths[i]};
    else shortest[j].second = std::min(shortest[j].second, lengths[i]);
  }
  std::sort(shortest, shortest + distinct, [](const auto& a, const auto& b) { return a.first > b.first; });
  std::pair<uint32_t, uint32_t> frontier[format::kBlockSize];
  uint32_t k = 0;
  for (uint32_t j = 0; j < distinct; ++j)
    if (k == 0 || shortest[j].second < frontier[k - 1].second) frontier[k++] = shortest[j];
  if (k > format::kMaxImpacts) {
    // Frequencies and lengths both decrease along the frontier.
    frontier[format::kMaxImpacts - 1].second = frontier[k - 1].second;
    k = format::kMaxImpacts;
  }
  put_varint(out, k);
  for (uint32_t j = 0; j < k; ++j) {
    put_varint(out, frontier[j].first);
    put_varint(out, frontier[j].second);
  }
}

}  // namespace

PostingsWriter::PostingsWriter(const std::string& dir)
    : postings_(dir + "/" + format::kPostingsFile), positions_(dir + "/" + format::kPositionsFile) {
  write_header(postings_, format::kPostingsMagic);
  write_header(positions_, format::kPositionsMagic);
}

void PostingsWriter::add(uint32_t doc, uint32_t freq, uint32_t length, const uint32_t* positions) {
  if (df_ == 0) positions_offset_ = positions_.offset();
  ++df_;
  docs_[n_] = doc;
  freqs_[n_] = freq;
  lengths_[n_] = length;
  ++n_;
  if (positions) {
    uint32_t last = 0;
    for (uint32_t j = 0; j < freq; ++j) {
      put_varint(block_positions_, positions[j] - last);
      last = positions[j];
    }
    positions_count_ += freq;
  }
  if (n_ == format::kBlockSize) flush_block();
}

// The open block's skip entry [varint last_doc, varint doc_bytes, varint
// freq_bytes, varint position_bytes, u32 checksum of the doc and freq bytes,
// u32 checksum of the positions, impacts]; its doc and freq bytes go to the
// term's data, its positions to positions.bin.
void PostingsWriter::flush_block() {
  const size_t data_before = data_.size();
  const size_t doc_bytes = encode_doc_block(docs_, n_, prev_doc_, data_);
  const size_t freq_bytes = encode_value_block(freqs_, n_, data_);
  prev_doc_ = docs_[n_ - 1];
  put_varint(skip_, prev_doc_);
  put_varint(skip_, doc_bytes);
  put_varint(skip_, freq_bytes);
  put_varint(skip_, block_positions_.size());
  put_u32(skip_, checksum32(std::string_view(data_).substr(data_before)));
  put_u32(skip_, checksum32(block_positions_));
  put_impacts(freqs_, lengths_, n_, skip_);
  positions_.write(block_positions_);
  block_positions_.clear();
  n_ = 0;
  ++blocks_;
}

// A term's postings: varint n_blocks, the skip entries, u32 checksum of
// both, then the blocks' doc and freq bytes.
TermInfo PostingsWriter::finish_term() {
  if (df_ == 0) throw std::logic_error("PostingsWriter: a term without documents");
  if (n_ > 0) flush_block();
  const TermInfo info{df_, postings_.offset(), positions_offset_};
  std::string head;
  put_varint(head, blocks_);
  head += skip_;
  put_u32(head, checksum32(head));
  postings_.write(head);
  postings_.write(data_);
  postings_count_ += df_;
  skip_.clear();
  data_.clear();
  df_ = 0;
  blocks_ = 0;
  prev_doc_ = 0;
  return info;
}

void PostingsWriter::finish() {
  const std::string padding(format::kTailPadding, '\0');
  postings_.write(padding);
  positions_.write(padding);
  postings_.finish(format::kPostingsMagic);
  positions_.finish(format::kPositionsMagic);
}

DictionaryWriter::DictionaryWriter(const std::string& path, uint64_t n_terms) : out_(path), n_terms_(n_terms) {
  if (n_terms > UINT32_MAX) throw std::runtime_error(path + ": more than 2^32 terms");
  write_header(out_, format::kTermsMagic);
  std::string h;
  put_u32(h, static_cast<uint32_t>(n_terms));
  put_u32(h, format::kTermBlockSize);
  out_.write(h);
}

// Front-coded entry [varint shared_prefix_len, varint suffix_len, suffix,
// varint df, varint postings_offset, varint positions_offset]; every
// kTermBlockSize-th term restarts (shares nothing).
void DictionaryWriter::add(std::string_view term, const TermInfo& info) {
  if (added_++ % format::kTermBlockSize == 0) {
    block_offsets_.push_back(out_.offset());
    prev_.clear();
  }
  size_t shared = 0;
  while (shared < prev_.size() && shared < term.size() && prev_[shared] == term[shared]) ++shared;
  entry_.clear();
  put_varint(entry_, shared);
  put_string(entry_, term.substr(shared));
  put_varint(entry_, info.df);
  put_varint(entry_, info.postings_offset);
  put_varint(entry_, info.positions_offset);
  out_.write(entry_);
  prev_.assign(term);
}

// The tail: the offset of each block, then where they start and their count.
void DictionaryWriter::finish() {
  if (added_ != n_terms_) throw std::logic_error("DictionaryWriter: term count differs from the header");
  std::string tail;
  const uint64_t index_offset = out_.offset();
  for (uint64_t off : block_offsets_) put_u64(tail, off);
  put_u64(tail, index_offset);
  put_u32(tail, static_cast<uint32_t>(block_offsets_.size()));
  out_.write(tail);
  out_.finish(format::kTermsMagic);
}

// [u32 n_docs] i32 date[n] u32 length[n] u32 id_end[n] id bytes, one pass
// over the documents per column.
void write_columns(const std::string& path, uint32_t n_docs,
                   const std::function<void(const DocColumnsVisitor&)>& for_each_doc) {
  FileWriter out(path);
  write_header(out, format::kColumnsMagic);
  std::string buf;
  put_u32(buf, n_docs);
  uint64_t seen = 0, id_end = 0;
  auto column = [&](const DocColumnsVisitor& put) {
    seen = 0;
    for_each_doc([&](const DocColumns& d) {
      ++seen;
      put(d);
      if (buf.size() >= (1u << 16)) {
        out.write(buf);
        buf.clear();
      }
    });
    if (seen != n_docs) throw std::logic_error("write_columns: document count differs");
  };
  column([&](const DocColumns& d) { put_u32(buf, static_cast<uint32_t>(d.date)); });
  column([&](const DocColumns& d) { put_u32(buf, d.length); });
  column([&](const DocColumns& d) {
    id_end += d.id.size();
    if (id_end > UINT32_MAX) throw std::runtime_error("segment ids exceed 4 GiB");
    put_u32(buf, static_cast<uint32_t>(id_end));
  });
  column([&](const DocColumns& d) { buf += d.id; });
  out.write(buf);
  out.finish(format::kColumnsMagic);
}

void count_document(SegmentInfo& info, DayNumber date, uint32_t length) {
  ++info.docs;
  info.text_tokens += length;
  if (date == kNoDate) return;
  if (info.min_date == kNoDate || date < info.min_date) info.min_date = date;
  if (info.max_date == kNoDate || date > info.max_date) info.max_date = date;
}

}  // namespace dateline
