#include "indexer/term_dict.h"

#include <algorithm>

#include "common/varint.h"
#include "indexer/format.h"

namespace dateline {

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
  }
}

size_t TermDict::block_for(std::string_view term) const {
  auto it = std::upper_bound(first_terms_.begin(), first_terms_.end(), term,
                             [](std::string_view t, std::string_view f) { return t < f; });
  return it == first_terms_.begin() ? 0 : static_cast<size_t>(it - first_terms_.begin() - 1);
}

namespace {

// Reads the entry at r into `term` and `info`, which hold the entry before
// it in the block (empty and zero at a block start).
void read_entry(ByteReader& r, std::string& term, TermInfo& info) {
  const uint64_t shared = r.varint();
  if (shared > term.size()) throw CorruptIndex("terms.dict: bad prefix length");
  term.resize(shared);
  term.append(r.string());
  info.df = r.varint32();
  info.postings_offset += unzigzag(r.varint());
  info.positions_offset += unzigzag(r.varint());
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

std::optional<TermInfo> TermDict::find(std::string_view term) const {
  if (first_terms_.empty()) return std::nullopt;
  std::optional<TermInfo> found;
  scan_block(block_for(term), [&](std::string_view t, const TermInfo& info) {
    if (t == term) found = info;
    return t < term;
  });
  return found;
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
