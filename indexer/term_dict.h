// Reads the front-coded term dictionary (terms.dict, see docs/format.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

// Where a term's postings live and how many documents contain it.
struct TermInfo {
  uint32_t df = 0;
  uint64_t postings_offset = 0;
  uint64_t positions_offset = 0;
};

class TermDict {
 public:
  TermDict() = default;
  // `data` must outlive the dictionary (it is a memory map). Throws CorruptIndex.
  explicit TermDict(std::string_view data);

  uint64_t size() const { return n_terms_; }

  // Exact lookup.
  std::optional<TermInfo> find(std::string_view term) const;

  // Calls fn(term, info) for every term starting with `prefix`, in order.
  void for_each_prefix(std::string_view prefix,
                       const std::function<void(std::string_view, const TermInfo&)>& fn) const;

  // Calls fn(term, info) for every term, in order.
  void for_each(const std::function<void(std::string_view, const TermInfo&)>& fn) const;

 private:
  // Index of the last block whose first term is <= term (0 if none).
  size_t block_for(std::string_view term) const;
  // Scans block b from its start; fn returns false to stop. Returns false if stopped.
  bool scan_block(size_t b, const std::function<bool(std::string_view, const TermInfo&)>& fn) const;

  std::string_view data_;
  uint64_t n_terms_ = 0;
  uint32_t block_size_ = 0;
  std::vector<uint64_t> block_offsets_;
  std::vector<std::string> first_terms_;
  uint64_t entries_end_ = 0;
};

}  // namespace dateline
