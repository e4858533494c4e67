// One of an IndexWriter's indexing threads, as Lucene's
// DocumentsWriterPerThread: it takes articles in batches, prepares them
// (field extraction), analyses them and adds them to a segment of its own in
// memory, which it writes out when the segment reaches its share of the
// memory budget. The IndexWriter hands batches to its threads, counts the
// articles it gave each one (their sequence numbers) and, at a commit, waits
// for all of them and learns which segment holds which article.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "corpus/article.h"
#include "indexer/segment_writer.h"

namespace dateline {

// CPU seconds one thread, or all of them, spent in each stage.
struct IndexingTimes {
  double preparing = 0;  // the prepare hook (field extraction)
  double analysing = 0;  // analyze_article
  double building = 0;   // SegmentWriter::add (in-memory postings, stored records)
  double writing = 0;    // SegmentWriter::finish (postings, dictionary, columns on disk)
  IndexingTimes& operator+=(const IndexingTimes& o);
};

class IndexingThread {
 public:
  struct Config {
    std::string index_dir;
    std::string stemmer;
    bool fold_accents = true;
    // Run on each article before it is analysed (may be empty).
    std::function<void(Article&)> prepare;
    // A fresh segment name; called from the thread, must be thread-safe.
    std::function<std::string()> new_segment_name;
    // Bytes of in-memory postings after which the thread writes its segment
    // out; read before each article, so the writer may change it.
    const std::atomic<size_t>* segment_budget = nullptr;
  };

  // Starts the thread. Throws std::invalid_argument for an unknown stemmer.
  explicit IndexingThread(Config config);
  // Stops the thread and removes every segment it wrote or was writing that
  // drain() has not handed over.
  ~IndexingThread();
  IndexingThread(const IndexingThread&) = delete;
  IndexingThread& operator=(const IndexingThread&) = delete;

  // Queues articles; they get the next sequence numbers (0, 1, ... from the
  // last drain()). Waits while the thread has kMaxQueued batches waiting.
  // Rethrows the thread's failure, if it had one.
  void submit(std::vector<Article> batch);

  // What the thread wrote since the last drain(): its segments in order,
  // segment k holding the articles of sequence numbers first_seq[k] ..
  // first_seq[k+1]-1 (the last up to the articles submitted).
  // `drained`: the last segment is the one drain() wrote (the thread's
  // open segment, short of its memory budget), not one that filled up.
  struct Written {
    std::vector<SegmentInfo> segments;
    std::vector<uint64_t> first_seq;
    bool drained = false;
  };
  // Waits for every queued article, writes the open segment out and hands
  // over what was written; the segments are then the caller's to publish or
  // remove. Rethrows the thread's failure, if it had one (the segments it
  // wrote are then removed).
  Written drain();

  // Batches queued and not yet taken by the thread.
  size_t queued() const;
  // In-memory bytes of the segment being built (updated per article).
  size_t memory_bytes() const { return memory_.load(std::memory_order_relaxed); }
  // CPU time per stage so far (safe to call while the thread runs).
  IndexingTimes times() const;

  static constexpr size_t kMaxQueued = 2;

 private:
  void run();
  void index_batch(std::vector<Article>& batch);
  // Writes the open segment out, if any; true if it did.
  bool write_segment();
  void fail(std::exception_ptr e);
  void remove_written();

  Config config_;
  std::unique_ptr<class Analyzer> analyzer_;
  std::unique_ptr<class DocumentAnalyzer> documents_;  // over analyzer_
  // Owned by the thread while it runs.
  std::unique_ptr<SegmentWriter> segment_;
  std::string segment_dir_;
  uint64_t seq_ = 0;  // sequence number of the next article the thread indexes
  Written written_;
  IndexingTimes times_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<std::vector<Article>> queue_;
  bool flush_requested_ = false;  // drain(): write the open segment once the queue is empty
  bool busy_ = false;             // the thread is indexing a batch or writing a segment
  bool stop_ = false;
  std::exception_ptr failure_;
  std::atomic<size_t> memory_{0};
  std::thread thread_;
};

}  // namespace dateline
