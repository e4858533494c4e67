#include "indexer/term_dict.h"

#include <algorithm>

#include "common/varint.h"
#include "indexer/format.h"

namespace dateline {

namespace {

// A term's first 8 bytes as a big-endian integer, zero-padded: a <= b
// implies key(a) <= key(b) (bytes compare unsigned, as string_view does).
uint64_t key8(std::string_view t) {
  uint64_t k = 0;
  for (size_t i = 0; i < 8; ++i) k = (k << 8) | (i < t.size() ? static_cast<unsigned char>(t[i]) : 0u);
  return k;
}

}  // namespace

TermDict::TermDict(std::string_view data) : data_(data) {
  ByteReader header(data);
  if (header.u32() != format::kTermsMagic) throw CorruptIndex("terms.dict: bad magic");
  if (header.u32() != format::kFormatVersion) throw CorruptIndex("terms.dict: unknown version");
  n_terms_ = header.u32();
  block_size_ = header.u32();
  if (data.size() < 12 + 16) throw CorruptIndex("terms.dict: truncated");
  ByteReader tail(data.substr(data.size() - 12));
  entries_end_ = tail.u64();
  const uint32_t n_blocks = tail.u32();
  if (entries_end_ > data.size() - 12 || (data.size() - 12 - entries_end_) / 8 != n_blocks ||
      n_blocks != (n_terms_ + (block_size_ ? block_size_ - 1 : 0)) / std::max<uint32_t>(block_size_, 1))
    throw CorruptIndex("terms.dict: bad block index");
  ByteReader idx(data.substr(entries_end_, static_cast<size_t>(n_blocks) * 8));
  block_offsets_.resize(n_blocks);
  first_terms_.resize(n_blocks);
  for (uint32_t b = 0; b < n_blocks; ++b) {
    block_offsets_[b] = idx.u64();
    if (block_offsets_[b] >= entries_end_) throw CorruptIndex("terms.dict: bad block offset");
    ByteReader r(data.substr(block_offsets_[b], entries_end_ - block_offsets_[b]));
    if (r.varint() != 0) throw CorruptIndex("terms.dict: block does not restart");
    first_terms_[b] = r.string();
    if (b > 0 && first_terms_[b] <= first_terms_[b - 1]) throw CorruptIndex("terms.dict: blocks out of order");
  }
  first_keys_.reserve(n_blocks);
  for (std::string_view t : first_terms_) first_keys_.push_back(key8(t));
}

size_t TermDict::block_for(std::string_view term) const {
  const auto [lo, hi] = std::equal_range(first_keys_.begin(), first_keys_.end(), key8(term));
  const auto base = first_terms_.begin();
  auto it = std::upper_bound(base + (lo - first_keys_.begin()), base + (hi - first_keys_.begin()), term,
                             [](std::string_view t, std::string_view f) { return t < f; });
  return it == base ? 0 : static_cast<size_t>(it - base - 1);
}

namespace {

// Reads the entry at r as front coding stores it: how many bytes it shares
// with the entry before (of `prev_len` bytes; checked), its own suffix, and
// its info into `info`, which holds the entry before's (zero at a block start).
struct RawEntry {
  uint64_t shared;
  std::string_view suffix;
};
RawEntry read_raw_entry(ByteReader& r, size_t prev_len, TermInfo& info) {
  RawEntry e{r.varint(), {}};
  if (e.shared > prev_len) throw CorruptIndex("terms.dict: bad prefix length");
  e.suffix = r.string();
  info.df = r.varint32();
  info.postings_offset += unzigzag(r.varint());
  info.positions_offset += unzigzag(r.varint());
  return e;
}

// Reads the entry at r into `term` and `info`, which hold the entry before
// it in the block (empty and zero at a block start).
void read_entry(ByteReader& r, std::string& term, TermInfo& info) {
  const RawEntry e = read_raw_entry(r, term.size(), info);
  term.resize(e.shared);
  term.append(e.suffix);
}

}  // namespace

std::string_view TermDict::block(size_t b) const {
  const uint64_t end = b + 1 < block_offsets_.size() ? block_offsets_[b + 1] : entries_end_;
  if (end < block_offsets_[b]) throw CorruptIndex("terms.dict: blocks out of order");
  return data_.substr(block_offsets_[b], end - block_offsets_[b]);
}

bool TermDict::scan_block(size_t b,
                          const std::function<bool(std::string_view, const TermInfo&)>& fn) const {
  ByteReader r(block(b));
  std::string term;
  TermInfo info;
  while (!r.at_end()) {
    read_entry(r, term, info);
    if (!fn(term, info)) return false;
  }
  return true;
}

TermDict::Iterator::Iterator(const TermDict& dict, std::string_view from) : dict_(&dict) {
  if (dict.first_terms_.empty()) {
    done_ = true;
    return;
  }
  open_block(dict.block_for(from));
  while (!done_ && term_ < from) next();
}

void TermDict::Iterator::open_block(size_t b) {
  block_ = b;
  r_ = ByteReader(dict_->block(b));
  term_.clear();
  info_ = TermInfo{};
  read_entry(r_, term_, info_);
}

void TermDict::Iterator::next() {
  if (done_) return;
  if (!r_.at_end()) {
    read_entry(r_, term_, info_);
  } else if (block_ + 1 < dict_->block_offsets_.size()) {
    open_block(block_ + 1);
  } else {
    done_ = true;
  }
}

// Walks the block's front-coded entries without spelling them out: `eq`
// is how many leading bytes the current entry shares with `term`, and the
// current entry is below `term`. An entry sharing more than `eq` bytes with
// the one before is below `term` too; one sharing fewer is above it (the
// entries ascend); only one sharing exactly `eq` bytes is compared, from
// byte `eq` on. A query pays this once per term and segment.
std::optional<TermInfo> TermDict::find(std::string_view term) const {
  if (first_terms_.empty()) return std::nullopt;
  ByteReader r(block(block_for(term)));
  TermInfo info;
  size_t eq = 0, prev_len = 0;
  while (!r.at_end()) {
    const auto [shared, suffix] = read_raw_entry(r, prev_len, info);
    prev_len = shared + suffix.size();
    if (shared > eq) continue;
    if (shared < eq) return std::nullopt;
    const std::string_view rest = term.substr(eq);
    const auto [s_end, r_end] = std::mismatch(suffix.begin(), suffix.end(), rest.begin(), rest.end());
    if (s_end == suffix.end() && r_end == rest.end()) return info;
    const bool below = s_end == suffix.end() || (r_end != rest.end() && static_cast<unsigned char>(*s_end) <
                                                                             static_cast<unsigned char>(*r_end));
    if (!below) return std::nullopt;
    eq += static_cast<size_t>(s_end - suffix.begin());
  }
  return std::nullopt;
}

void TermDict::for_each_prefix(std::string_view prefix,
                               const std::function<void(std::string_view, const TermInfo&)>& fn) const {
  if (first_terms_.empty()) return;
  for (size_t b = block_for(prefix); b < block_offsets_.size(); ++b) {
    bool done = false;
    scan_block(b, [&](std::string_view t, const TermInfo& info) {
      if (t < prefix) return true;
      if (t.substr(0, prefix.size()) != prefix) {
        done = true;
        return false;
      }
      fn(t, info);
      return true;
    });
    if (done) return;
  }
}

void TermDict::for_each(const std::function<void(std::string_view, const TermInfo&)>& fn) const {
  for (size_t b = 0; b < block_offsets_.size(); ++b)
    scan_block(b, [&](std::string_view t, const TermInfo& info) {
      fn(t, info);
      return true;
    });
}

}  // namespace dateline
