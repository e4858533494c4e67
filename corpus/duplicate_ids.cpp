#include "corpus/duplicate_ids.h"

#include "common/memory_size.h"

namespace dateline {

std::optional<Diagnostic> DuplicateIds::check(const Article& a, std::string_view consequence) {
  if (files_.empty() || files_.back() != a.file) {
    files_.push_back(a.file);
    bytes_ += 48 + a.file.size();
  }
  const Place here{static_cast<uint32_t>(files_.size() - 1), a.line};
  auto [it, inserted] = first_.try_emplace(a.id, here);
  if (inserted) {
    // The node (key, place, link, hash, allocation header), its bucket and a long id's own block.
    bytes_ += 88 + string_heap_bytes(a.id);
    return std::nullopt;
  }
  ++duplicates_;
  std::string message = "id \"" + a.id + "\" also at " + origin_of(it->second);
  if (!consequence.empty()) message.append(" (").append(consequence).append(")");
  return Diagnostic{Diagnostic::Level::Warning, a.origin(), std::move(message)};
}

std::string DuplicateIds::origin_of(const Place& p) const {
  const std::string& file = files_[p.file];
  return p.line ? file + ":" + std::to_string(p.line) : file;
}

}  // namespace dateline
