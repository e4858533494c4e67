#include "indexer/indexing_thread.h"

#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <filesystem>

#include "common/analyzer.h"
#include "common/fault_point.h"
#include "indexer/document_terms.h"

namespace dateline {

namespace fs = std::filesystem;

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Adds the thread CPU time since the last lap to `into`.
class Stopwatch {
 public:
  Stopwatch() : last_(thread_cpu_seconds()) {}
  void lap(double& into) {
    const double now = thread_cpu_seconds();
    into += now - last_;
    last_ = now;
  }

 private:
  double last_;
};

}  // namespace

IndexingTimes& IndexingTimes::operator+=(const IndexingTimes& o) {
  preparing += o.preparing;
  analysing += o.analysing;
  building += o.building;
  writing += o.writing;
  return *this;
}

IndexingThread::IndexingThread(Config config) : config_(std::move(config)) {
  analyzer_ = std::make_unique<Analyzer>(config_.stemmer, config_.fold_accents);
  documents_ = std::make_unique<DocumentAnalyzer>(*analyzer_);
  thread_ = std::thread([this] { run(); });
}

IndexingThread::~IndexingThread() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  remove_written();
}

void IndexingThread::submit(std::vector<Article> batch) {
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return queue_.size() < kMaxQueued || failure_; });
  if (failure_) std::rethrow_exception(failure_);
  queue_.push_back(std::move(batch));
  lock.unlock();
  work_cv_.notify_one();
}

IndexingThread::Written IndexingThread::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  flush_requested_ = true;
  work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return (!flush_requested_ && queue_.empty() && !busy_) || failure_; });
  if (failure_) {
    // The thread has stopped at its failure (run() returned): what it wrote
    // is incomplete.
    const std::exception_ptr e = failure_;
    lock.unlock();
    if (thread_.joinable()) thread_.join();
    remove_written();
    std::rethrow_exception(e);
  }
  Written out = std::move(written_);
  written_ = Written{};
  seq_ = 0;
  return out;
}

size_t IndexingThread::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

IndexingTimes IndexingThread::times() const {
  std::lock_guard<std::mutex> lock(mu_);
  return times_;
}

void IndexingThread::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    work_cv_.wait(lock, [&] { return stop_ || !queue_.empty() || flush_requested_; });
    if (stop_ || failure_) return;
    busy_ = true;
    const bool flush = queue_.empty();  // a drain() waits for the batches before it
    std::vector<Article> batch;
    if (!flush) {
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    done_cv_.notify_all();  // room in the queue
    try {
      if (flush) written_.drained = write_segment();
      else index_batch(batch);
    } catch (...) {
      lock.lock();
      failure_ = std::current_exception();
      busy_ = false;
      done_cv_.notify_all();
      return;
    }
    lock.lock();
    if (flush) flush_requested_ = false;
    busy_ = false;
    done_cv_.notify_all();
  }
}

void IndexingThread::index_batch(std::vector<Article>& batch) {
  IndexingTimes t;
  Stopwatch watch;
  for (Article& article : batch) {
    if (config_.prepare) config_.prepare(article);
    watch.lap(t.preparing);
    const DocumentTerms& terms = documents_->analyze(article);
    watch.lap(t.analysing);
    if (!segment_) {
      const std::string name = config_.new_segment_name();
      segment_dir_ = (fs::path(config_.index_dir) / name).string();
      segment_ = std::make_unique<SegmentWriter>(segment_dir_, name);
      written_.first_seq.push_back(seq_);
    }
    segment_->add(article, terms);
    ++seq_;
    const size_t memory = segment_->memory_bytes();
    memory_.store(memory, std::memory_order_relaxed);
    watch.lap(t.building);
    if (memory >= config_.segment_budget->load(std::memory_order_relaxed) || segment_->nearly_full()) {
      write_segment();  // times itself
      double counted = 0;
      watch.lap(counted);
    }
    article = Article{};  // its memory goes back now, not with the batch
  }
  std::lock_guard<std::mutex> lock(mu_);
  times_ += t;
}

bool IndexingThread::write_segment() {
  if (!segment_) return false;
  IndexingTimes t;
  Stopwatch watch;
  SegmentInfo info = segment_->finish();
  segment_.reset();
#if defined(__GLIBC__)
  // The segment's memory goes back to the system, not to a fragmented heap
  // that the next segment would grow past.
  malloc_trim(0);
#endif
  memory_.store(0, std::memory_order_relaxed);
  written_.segments.push_back(std::move(info));
  segment_dir_.clear();
  fault_point("segment-written");
  watch.lap(t.writing);
  std::lock_guard<std::mutex> lock(mu_);
  times_ += t;
  return true;
}

void IndexingThread::remove_written() {
  std::error_code ec;
  segment_.reset();
  if (!segment_dir_.empty()) fs::remove_all(segment_dir_, ec);
  segment_dir_.clear();
  for (const SegmentInfo& s : written_.segments) fs::remove_all(fs::path(config_.index_dir) / s.name, ec);
  written_ = Written{};
}

}  // namespace dateline
