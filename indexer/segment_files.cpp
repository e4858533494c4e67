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

// The impacts of some documents: the (frequency, length) pairs that no other
// pair beats on both (higher or equal frequency and shorter or equal length),
// by decreasing frequency; the BM25 score of any of the documents is at most
// the best score among them. Beyond kMaxImpacts, neighbours are merged (see
// cap_frontier). Only the shortest length of each frequency can be on the
// frontier. `mean_length` is the documents' mean length.
std::vector<Impact> frontier_of(const Impact* pairs, size_t n, double mean_length);

// Merges neighbouring pairs of a frontier until kMaxImpacts are left: two
// neighbours become one pair with the higher frequency and the shorter
// length, which dominates both. Each step merges the two whose merged pair
// raises the frontier's best BM25 score least (then its own score least),
// under nominal parameters (k1 1.2, b 0.75, `mean_length` as the average
// length): the strongest pairs, the ones a block-max bound depends on, stay
// exact, and the weak ones are merged among themselves. (Merging the weakest
// tail into one pair, as before, made "the"'s block bounds 1% loose on
// average, enough to keep 4,152 of 7,815 blocks above the top-10 threshold
// where 9 reach it.)
void cap_frontier(std::vector<Impact>& f, double mean_length) {
  const double avg = mean_length > 0 ? mean_length : 1.0;
  auto score = [&](const Impact& p) { return p.freq / (p.freq + 1.2 * (0.25 + 0.75 * p.length / avg)); };
  while (f.size() > format::kMaxImpacts) {
    double best = 0;
    for (const Impact& p : f) best = std::max(best, score(p));
    size_t pick = 0;
    double pick_raise = 0, pick_own = 0;
    for (size_t i = 0; i + 1 < f.size(); ++i) {
      const double merged = score(Impact{f[i].freq, f[i + 1].length});
      const double raise = std::max(0.0, merged - best);
      const double own = merged - std::max(score(f[i]), score(f[i + 1]));
      if (i == 0 || raise < pick_raise || (raise == pick_raise && own < pick_own)) {
        pick = i;
        pick_raise = raise;
        pick_own = own;
      }
    }
    f[pick].length = f[pick + 1].length;
    f.erase(f.begin() + static_cast<std::ptrdiff_t>(pick) + 1);
  }
}

std::vector<Impact> frontier_of(const Impact* pairs, size_t n, double mean_length) {
  // The shortest length of each frequency: small frequencies (nearly all)
  // in an array, larger ones sorted.
  constexpr uint32_t kDirect = 64;
  uint32_t shortest[kDirect];
  std::fill(shortest, shortest + kDirect, UINT32_MAX);
  std::vector<Impact> large;
  for (size_t i = 0; i < n; ++i) {
    const Impact& p = pairs[i];
    if (p.freq < kDirect)
      shortest[p.freq] = std::min(shortest[p.freq], p.length);
    else
      large.push_back(p);
  }
  std::sort(large.begin(), large.end(),
            [](const Impact& a, const Impact& b) { return a.freq != b.freq ? a.freq > b.freq : a.length < b.length; });
  std::vector<Impact> frontier;
  auto offer = [&](const Impact& p) {
    if (frontier.empty() || p.length < frontier.back().length) frontier.push_back(p);
  };
  for (const Impact& p : large) offer(p);
  for (uint32_t f = kDirect; f-- > 0;)
    if (shortest[f] != UINT32_MAX) offer(Impact{f, shortest[f]});
  cap_frontier(frontier, mean_length);  // frequencies and lengths both decrease along it
  return frontier;
}

void put_impacts(const std::vector<Impact>& impacts, std::string& out) {
  put_varint(out, impacts.size());
  for (const Impact& i : impacts) {
    put_varint(out, i.freq);
    put_varint(out, i.length);
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
    // The first position, then each gap less one (positions ascend strictly).
    for (uint32_t j = 0; j < freq; ++j) block_positions_.push_back(j == 0 ? positions[0] : positions[j] - positions[j - 1] - 1);
    positions_count_ += freq;
  }
  if (n_ == format::kBlockSize) flush_block();
}

// The open block: its doc ids and frequencies to the term's data, its
// positions to positions.bin, its skip entry to the term's entries
// (docs/format.md).
void PostingsWriter::flush_block() {
  const size_t data_before = data_.size();
  if (n_ == format::kBlockSize) {
    encode_doc_block(docs_, base_doc_, data_);
    uint32_t less_one[format::kBlockSize];
    for (uint32_t i = 0; i < n_; ++i) less_one[i] = freqs_[i] - 1;
    encode_values(less_one, n_, data_);
  } else {
    encode_tail_block(docs_, freqs_, n_, base_doc_, data_);
  }
  encoded_positions_.clear();
  encode_values(block_positions_.data(), block_positions_.size(), encoded_positions_);
  const uint32_t last = docs_[n_ - 1];
  Impact pairs[format::kBlockSize];
  uint64_t block_length = 0;
  for (uint32_t i = 0; i < n_; ++i) {
    pairs[i] = Impact{freqs_[i], lengths_[i]};
    block_length += lengths_[i];
  }
  term_length_ += block_length;
  std::vector<Impact> impacts = frontier_of(pairs, n_, static_cast<double>(block_length) / n_);
  term_impacts_.insert(term_impacts_.end(), impacts.begin(), impacts.end());

  Entry e;
  e.last_gap = blocks_ == 0 ? last : last - (base_doc_ - 1);
  e.data_bytes = static_cast<uint32_t>(data_.size() - data_before);
  e.pos_bytes = static_cast<uint32_t>(encoded_positions_.size());
  e.data_check = checksum32(std::string_view(data_).substr(data_before));
  e.pos_check = checksum32(encoded_positions_);
  e.impacts = std::move(impacts);
  e.length = block_length;
  e.docs = n_;
  entries_.push_back(std::move(e));
  positions_.write(encoded_positions_);
  block_positions_.clear();
  base_doc_ = last + 1;
  n_ = 0;
  ++blocks_;
}

namespace {

// One group-index entry (docs/format.md): where group g starts, as the last
// doc before it and the offsets of its skip entries (from the first
// group), of its blocks' data (from the first block's), of their
// positions (from the term's) and of its impacts (from group 0's).
void put_group_index_entry(uint64_t last_doc, uint64_t skip_at, uint64_t data_at, uint64_t pos_at, uint64_t impacts_at,
                           std::string& out) {
  if (last_doc > UINT32_MAX || skip_at > UINT32_MAX || data_at > UINT32_MAX || pos_at > UINT32_MAX ||
      impacts_at > UINT32_MAX)
    throw std::runtime_error("postings.bin: a term's postings exceed 4 GiB in one segment");
  put_u32(out, static_cast<uint32_t>(last_doc));
  put_u32(out, static_cast<uint32_t>(skip_at));
  put_u32(out, static_cast<uint32_t>(data_at));
  put_u32(out, static_cast<uint32_t>(pos_at));
  put_u32(out, static_cast<uint32_t>(impacts_at));
}

}  // namespace

// A term's postings (docs/format.md): the term's impacts and, for one
// block, its entry and data and one checksum of all that; for more, the size of the skip
// entries and a checksum of the head, then the entries in groups of
// kSkipGroup, each with its checksum, and with more than one group the
// group index and its checksum; then the blocks' data.
TermInfo PostingsWriter::finish_term() {
  if (df_ == 0) throw std::logic_error("PostingsWriter: a term without documents");
  if (n_ > 0) flush_block();
  const TermInfo info{df_, postings_.offset(), positions_offset_};
  std::string head;
  put_impacts(frontier_of(term_impacts_.data(), term_impacts_.size(), static_cast<double>(term_length_) / df_), head);
  term_impacts_.clear();
  term_length_ = 0;
  if (blocks_ == 1) {
    // The last doc only for a full block (its decoder needs it); a term
    // without positions has no positions checksum.
    const Entry& e = entries_[0];
    if (df_ == format::kBlockSize) put_varint(head, e.last_gap);
    put_varint(head, e.data_bytes);
    put_varint(head, e.pos_bytes);
    if (e.pos_bytes > 0) put_u32(head, e.pos_check);
    // The one check of head and data follows the data.
    head += data_;
    put_u32(head, checksum32(head));
    data_.clear();
  } else {
    std::string skip, group, index, group_impacts;
    std::vector<Impact> pairs;  // the impacts of the group's blocks
    uint64_t group_length = 0, group_docs = 0;
    uint64_t last_doc = 0, data_at = 0, pos_at = 0;  // before block b
    for (size_t b = 0; b < entries_.size(); ++b) {
      const Entry& e = entries_[b];
      if (b > 0 && b % format::kSkipGroup == 0)
        put_group_index_entry(last_doc, skip.size(), data_at, pos_at, group_impacts.size(), index);
      pairs.insert(pairs.end(), e.impacts.begin(), e.impacts.end());
      group_length += e.length;
      group_docs += e.docs;
      last_doc = b == 0 ? e.last_gap : last_doc + e.last_gap;
      data_at += e.data_bytes;
      pos_at += e.pos_bytes;
      put_varint(group, e.last_gap);
      put_varint(group, e.data_bytes);
      put_varint(group, e.pos_bytes);
      put_u32(group, e.data_check);
      if (e.pos_bytes > 0) put_u32(group, e.pos_check);
      put_impacts(e.impacts, group);
      if ((b + 1) % format::kSkipGroup == 0 || b + 1 == entries_.size()) {
        put_u32(group, checksum32(group));
        skip += group;
        group.clear();
        // The group's impacts: the frontier of its blocks' (each of which
        // dominates its block's documents), so they bound the group's.
        put_impacts(frontier_of(pairs.data(), pairs.size(), static_cast<double>(group_length) / group_docs),
                    group_impacts);
        pairs.clear();
        group_length = group_docs = 0;
      }
    }
    const bool indexed = !index.empty();
    if (indexed) {
      index += group_impacts;
      put_u32(index, checksum32(index));
      skip += index;
    }
    put_varint(head, skip.size());
    if (indexed) put_varint(head, index.size());
    put_u32(head, checksum32(head));
    head += skip;
  }
  postings_.write(head);
  postings_.write(data_);
  postings_count_ += df_;
  entries_.clear();
  term_impacts_.clear();
  data_.clear();
  df_ = 0;
  blocks_ = 0;
  base_doc_ = 0;
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
// varint df, zigzag postings_offset delta, zigzag positions_offset delta]
// (docs/format.md); every kTermBlockSize-th term restarts (shares nothing,
// offsets from 0).
void DictionaryWriter::add(std::string_view term, const TermInfo& info) {
  if (added_++ % format::kTermBlockSize == 0) {
    block_offsets_.push_back(out_.offset());
    prev_.clear();
    prev_info_ = TermInfo{};
  }
  size_t shared = 0;
  while (shared < prev_.size() && shared < term.size() && prev_[shared] == term[shared]) ++shared;
  entry_.clear();
  put_varint(entry_, shared);
  put_string(entry_, term.substr(shared));
  put_varint(entry_, info.df);
  put_varint(entry_, zigzag(info.postings_offset - prev_info_.postings_offset));
  put_varint(entry_, zigzag(info.positions_offset - prev_info_.positions_offset));
  out_.write(entry_);
  prev_.assign(term);
  prev_info_ = info;
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
