#include "cli/searcher_pool.h"

#include <sys/stat.h>

namespace dateline::cli {

SearcherPool::SearcherPool(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {
  std::string version = manifest_version();
  idle_.push_back({std::make_unique<Searcher>(dirs_), std::move(version)});
}

std::string SearcherPool::manifest_version() const {
  std::string out;
  for (const std::string& dir : dirs_) {
    struct stat st {};
    const std::string path = dir + "/MANIFEST";
    if (::stat(path.c_str(), &st) != 0) {
      out += "missing;";
      continue;
    }
    out += std::to_string(st.st_ino) + ':' + std::to_string(st.st_mtim.tv_sec) + '.' +
           std::to_string(st.st_mtim.tv_nsec) + ':' + std::to_string(st.st_size) + ';';
  }
  return out;
}

SearcherPool::Lease SearcherPool::borrow() {
  std::string now = manifest_version();
  {
    std::lock_guard lock(mu_);
    while (!idle_.empty()) {
      Idle s = std::move(idle_.back());
      idle_.pop_back();
      if (s.version == now) return Lease(*this, std::move(s.searcher), std::move(s.version));
      // Stale: dropped here; the others are checked (and dropped) in turn.
    }
  }
  // Opened outside the lock: other requests go on meanwhile.
  return Lease(*this, std::make_unique<Searcher>(dirs_), std::move(now));
}

void SearcherPool::give_back(std::unique_ptr<Searcher> s, std::string version) {
  if (!s) return;
  std::lock_guard lock(mu_);
  idle_.push_back({std::move(s), std::move(version)});
}

}  // namespace dateline::cli
