// The public face of the indexer: add, replace and delete articles, commit
// atomically.
//
// One writer per index at a time (an exclusive lock on DIR/LOCK); any number
// of readers. Nothing added or deleted is visible to readers until commit()
// returns, and a crash or error before that leaves the last committed index
// untouched. Ids are unique: adding an article whose id the index holds
// replaces it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/analyzer.h"
#include "corpus/article.h"
#include "indexer/indexing_thread.h"
#include "indexer/manifest.h"
#include "indexer/merge_policy.h"
#include "indexer/segment_merger.h"
#include "indexer/segment_reader.h"

namespace dateline {

struct IndexWriterOptions {
  // Stemmer for a new index. Appending to an existing index requires the
  // same stemmer (or the empty string: take the index's).
  std::string stemmer = "english";
  // Accent folding for a new index; appending requires the index's choice
  // (nullopt: take the index's, true for a new one).
  std::optional<bool> fold_accents;
  // Start a new index even if DIR already holds one; the old segments are
  // deleted only after the new MANIFEST is committed.
  bool overwrite = false;
  // Memory for indexing: the in-memory segments of all threads, the
  // articles queued for them and the ids of the articles added since the
  // last commit (plus what note_memory() reports) stay within it; a thread's
  // segment is written out when it reaches its share.
  size_t ram_budget_bytes = size_t{512} << 20;
  // Indexing threads (indexer/indexing_thread.h); 1 keeps one segment
  // being built at a time, in the order of add().
  unsigned threads = 1;
  // Articles handed to a thread at a time (fewer with more than 1 MiB of text).
  size_t batch_articles = 64;
  // Run on each article in an indexing thread before it is analysed (field
  // extraction); may be empty.
  std::function<void(Article&)> prepare;
  // Merge segments after each commit, as the policy says (indexer/merge_policy.h).
  bool merge = true;
  MergePolicyOptions merge_policy;
  // How merges copy the doc store (indexer/segment_merger.h).
  SegmentMerger::Options merger;
};

class IndexWriter {
 public:
  // Opens or creates the index in `dir`. Throws std::runtime_error with a
  // message for the user (locked, not an index, stemmer mismatch, ...).
  IndexWriter(const std::string& dir, const IndexWriterOptions& options);
  ~IndexWriter();  // uncommitted documents are discarded

  // Indexes one article (fields already extracted). An article with the
  // same id, in the index or added earlier by this writer, is replaced: it is
  // deleted in the same commit. Returns how many articles it replaced.
  // Articles are indexed by the writer's threads: an error of theirs (a
  // disk full) is thrown from a later add() or commit().
  uint64_t add(Article&& article);
  uint64_t add(const Article& article) { return add(Article(article)); }

  // Deletes every article with one of these ids (at the next commit).
  // Returns how many live articles that is.
  uint64_t remove(const std::vector<std::string>& ids);

  // Writes the pending segment and the new deletions, and publishes
  // everything added and deleted so far; then merges segments as the merge
  // policy asks (when options.merge), each merge a commit of its own that
  // changes no answer.
  void commit();

  // Commits, then merges until at most `max_segments` segments are left,
  // none with deletions. Returns the number of merges.
  size_t optimize(size_t max_segments);

  uint64_t pending_docs() const;
  // Memory the caller holds for the run (a duplicate-id table), counted in
  // the budget.
  void note_memory(size_t bytes);
  // CPU seconds the indexing threads spent per stage so far.
  IndexingTimes indexing_times() const;
  const Manifest& manifest() const { return manifest_; }
  const std::string& stemmer() const { return manifest_.stemmer; }

 private:
  void submit_batch();
  void drain_threads();
  void update_segment_budget();
  std::string next_segment_name();
  void remove_unreferenced();
  const SegmentReader& reader(size_t i);  // of committed segment i, opened on first use
  bool mark_deleted(const std::string& segment, uint32_t doc);
  uint64_t remove_id(const std::string& id);
  bool write_segment_deletes(SegmentInfo& info, const SegmentReader* old, const std::set<uint32_t>& docs,
                             uint64_t generation);
  void publish(Manifest next);
  void apply_merge(const MergeSet& merge);
  void merge_as_policy_says();
  void merge_drained();

  std::string dir_;
  IndexWriterOptions options_;
  Manifest manifest_;                   // last committed, plus flushed segments
  std::vector<std::string> obsolete_;   // segments to delete after commit
  std::vector<std::string> obsolete_files_;  // "seg/deletes-..." files to delete after commit
  std::vector<std::unique_ptr<SegmentReader>> readers_;  // of manifest_.segments, for ids
  // Deletions not yet committed: segment name -> local doc ids.
  std::map<std::string, std::set<uint32_t>> pending_deletes_;
  // Articles added since the last commit, by id: which thread has them and
  // their sequence number there, so that a later one replaces them (the
  // segment and doc are known once the threads are drained at commit).
  struct RunDoc {
    uint32_t thread;
    uint64_t seq;
  };
  std::unordered_map<std::string, RunDoc> run_docs_;
  size_t run_docs_bytes_ = 0;           // estimate of run_docs_'s memory
  std::vector<RunDoc> run_deletes_;     // replaced or deleted articles of this run
  std::vector<SegmentInfo> flushed_;    // written but not yet committed
  std::vector<std::string> drained_;    // of those, the threads' open segments written at the commit
  std::unique_ptr<Analyzer> analyzer_;  // for merges
  std::vector<std::unique_ptr<IndexingThread>> threads_;
  std::vector<uint64_t> submitted_;     // per thread: articles given since the last commit
  std::vector<Article> batch_;          // the next batch, for thread batch_thread_
  size_t batch_bytes_ = 0;
  uint32_t batch_thread_ = 0;
  std::atomic<size_t> segment_budget_{0};
  size_t noted_memory_ = 0;
  uint64_t pending_ = 0;
  std::mutex names_mu_;                 // next_segment_, taken by the threads
  uint32_t next_segment_ = 1;
  // Holds DIR/LOCK (flock) for the writer's lifetime, released even when the
  // constructor throws.
  struct Lock {
    int fd = -1;
    ~Lock();
  } lock_;
};

}  // namespace dateline
