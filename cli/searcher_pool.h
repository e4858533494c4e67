// Searchers for the threads of `serve`: a Searcher is not thread-safe, so
// each request borrows one of its own from the pool and gives it back.
// Before a Searcher is lent, the indexes' MANIFESTs are checked (a stat
// each); when a commit has replaced one since the Searcher was opened, it
// is reopened on the newest generation. A request therefore sees one
// consistent generation from start to end, and a running server picks up
// new commits without a restart.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "searcher/searcher.h"

namespace dateline::cli {

class SearcherPool {
 public:
  // Opens a first Searcher now, so that a bad index fails at start-up
  // (std::runtime_error with the Searcher's message).
  explicit SearcherPool(std::vector<std::string> dirs);

  class Lease {
   public:
    Lease(SearcherPool& pool, std::unique_ptr<Searcher> s, std::string version)
        : pool_(pool), searcher_(std::move(s)), version_(std::move(version)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.give_back(std::move(searcher_), std::move(version_)); }
    Searcher& operator*() { return *searcher_; }
    Searcher* operator->() { return searcher_.get(); }

   private:
    SearcherPool& pool_;
    std::unique_ptr<Searcher> searcher_;
    std::string version_;
  };

  // A Searcher that sees the newest committed generation of every index.
  Lease borrow();

 private:
  struct Idle {
    std::unique_ptr<Searcher> searcher;
    std::string version;  // manifest_version() when it was opened
  };
  // What identifies the MANIFESTs on disk now: inode, modification time and
  // size of each (a commit replaces the file by renaming a new one over it).
  std::string manifest_version() const;
  void give_back(std::unique_ptr<Searcher> s, std::string version);

  std::vector<std::string> dirs_;
  std::mutex mu_;
  std::vector<Idle> idle_;
};

}  // namespace dateline::cli
