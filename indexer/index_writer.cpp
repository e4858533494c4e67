#include "indexer/index_writer.h"

#include <fcntl.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "common/fault_point.h"
#include "common/fields.h"
#include "common/file_util.h"
#include "common/memory_size.h"
#include "indexer/deletes.h"
#include "indexer/document_terms.h"
#include "indexer/format.h"
#include "indexer/segment_merger.h"
#include "indexer/segment_writer.h"

namespace dateline {

namespace fs = std::filesystem;

namespace {

// Files a writer itself leaves in an index directory, even before the first
// commit: the lock, segment directories and a manifest being written.
bool is_dateline_file(const std::string& name) {
  return name == "LOCK" || name == "MANIFEST" || name == "MANIFEST.tmp" || name.rfind("seg-", 0) == 0;
}

bool only_dateline_files(const std::string& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (!is_dateline_file(e.path().filename().string())) return false;
  return true;
}

}  // namespace

IndexWriter::Lock::~Lock() {
  if (fd >= 0) ::close(fd);
}

IndexWriter::IndexWriter(const std::string& dir, const IndexWriterOptions& options)
    : dir_(dir), options_(options) {
  std::error_code ec;
  if (fs::exists(dir_) && !fs::is_directory(dir_))
    throw std::runtime_error(dir_ + " exists and is not a directory");
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("cannot create index directory " + dir_ + ": " + ec.message());
  if (!index_exists(dir_) && !only_dateline_files(dir_) && !options_.overwrite)
    throw std::runtime_error(dir_ + " is a non-empty directory that is not a dateline index; "
                             "choose an empty or new directory");

  const std::string lock = (fs::path(dir_) / "LOCK").string();
  lock_.fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_.fd < 0) throw std::runtime_error("cannot create " + lock + ": " + std::strerror(errno));
  if (::flock(lock_.fd, LOCK_EX | LOCK_NB) != 0)
    throw std::runtime_error(dir_ + " is being written by another dateline process");

  if (index_exists(dir_)) {
    Manifest old = read_manifest(dir_, options_.overwrite);
    for (const auto& s : old.segments) {
      unsigned n = 0;
      if (std::sscanf(s.name.c_str(), "seg-%u", &n) == 1 && n >= next_segment_) next_segment_ = n + 1;
    }
    if (options_.overwrite) {
      for (const auto& s : old.segments) obsolete_.push_back(s.name);
      manifest_.generation = old.generation;
    } else {
      if (!options_.stemmer.empty() && options_.stemmer != old.stemmer)
        throw std::runtime_error(dir_ + " was indexed with stemmer '" + old.stemmer +
                                 "'; cannot add articles with stemmer '" + options_.stemmer +
                                 "' (use --overwrite to rebuild, or the same --stemmer)");
      if (options_.fold_accents && *options_.fold_accents != old.fold_accents)
        throw std::runtime_error(dir_ + " was indexed with accent folding " + (old.fold_accents ? "on" : "off") +
                                 "; cannot add articles with --fold-accents " +
                                 (*options_.fold_accents ? "yes" : "no") + " (use --overwrite to rebuild)");
      manifest_ = old;
    }
  }

  manifest_.format = format::kFormatVersion;
  if (manifest_.stemmer.empty()) {  // a new index, or --overwrite
    manifest_.stemmer = options_.stemmer.empty() ? "english" : options_.stemmer;
    manifest_.fold_accents = options_.fold_accents.value_or(true);
  }
  try {
    analyzer_ = std::make_unique<Analyzer>(manifest_.stemmer, manifest_.fold_accents);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(e.what());
  }
  remove_unreferenced();
  update_segment_budget();
  const unsigned n_threads = std::max(1u, options_.threads);
  for (unsigned t = 0; t < n_threads; ++t) {
    IndexingThread::Config c;
    c.index_dir = dir_;
    c.stemmer = manifest_.stemmer;
    c.fold_accents = manifest_.fold_accents;
    c.prepare = options_.prepare;
    c.new_segment_name = [this] { return next_segment_name(); };
    c.segment_budget = &segment_budget_;
    threads_.push_back(std::make_unique<IndexingThread>(std::move(c)));
  }
  submitted_.assign(n_threads, 0);
}

IndexWriter::~IndexWriter() {
  // Discard what was never committed.
  std::error_code ec;
  readers_.clear();
  threads_.clear();  // each removes the segments it wrote
  for (const auto& s : flushed_) fs::remove_all(fs::path(dir_) / s.name, ec);
}

std::string IndexWriter::next_segment_name() {
  std::lock_guard<std::mutex> lock(names_mu_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "seg-%06u", next_segment_++);
  return buf;
}

void IndexWriter::remove_unreferenced() {
  std::set<std::string> keep;
  for (const auto& s : manifest_.segments) keep.insert(s.name);
  for (const auto& s : obsolete_) keep.insert(s);  // still live until the commit
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("seg-", 0) == 0 && !keep.count(name)) fs::remove_all(e.path(), ec);
  }
  // Deletions files of a commit that never happened.
  for (const auto& s : manifest_.segments)
    for (const auto& e : fs::directory_iterator(fs::path(dir_) / s.name, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("deletes-", 0) == 0 && name != s.deletes) fs::remove(e.path(), ec);
    }
}

const SegmentReader& IndexWriter::reader(size_t i) {
  if (readers_.size() != manifest_.segments.size()) readers_.resize(manifest_.segments.size());
  if (!readers_[i]) readers_[i] = std::make_unique<SegmentReader>(dir_, manifest_.segments[i]);
  return *readers_[i];
}

bool IndexWriter::mark_deleted(const std::string& segment, uint32_t doc) {
  return pending_deletes_[segment].insert(doc).second;
}

uint64_t IndexWriter::remove_id(const std::string& id) {
  uint64_t n = 0;
  if (auto it = run_docs_.find(id); it != run_docs_.end()) {
    run_deletes_.push_back(it->second);
    ++n;
    run_docs_.erase(it);  // its bytes stay counted until the commit clears the table
  }
  const std::string term = id_term(id);
  for (size_t i = 0; i < manifest_.segments.size(); ++i) {
    const SegmentReader& seg = reader(i);
    const auto info = seg.term(term);
    if (!info) continue;
    for (PostingCursor c = seg.cursor(*info); c.doc() != PostingCursor::kEnd; c.next())
      if (!seg.is_deleted(c.doc()) && mark_deleted(seg.info().name, c.doc())) ++n;
  }
  return n;
}

namespace {

// The most text handed to a thread at a time.
constexpr size_t kBatchBytes = size_t{1} << 20;
// What a run's id table costs per article, beyond the id's own heap bytes.
constexpr size_t kRunDocBytes = 80;

}  // namespace

uint64_t IndexWriter::add(Article&& article) {
  const uint64_t replaced = remove_id(article.id);
  if (batch_.empty()) {
    // The next batch goes to the thread with the fewest waiting, the next
    // one in turn on a tie.
    const size_t n = threads_.size();
    uint32_t best = (batch_thread_ + 1) % n;
    for (size_t k = 1; k < n; ++k) {
      const uint32_t t = static_cast<uint32_t>((batch_thread_ + 1 + k) % n);
      if (threads_[t]->queued() < threads_[best]->queued()) best = t;
    }
    batch_thread_ = best;
  }
  const RunDoc at{batch_thread_, submitted_[batch_thread_] + batch_.size()};
  auto [it, inserted] = run_docs_.insert_or_assign(article.id, at);
  if (inserted) run_docs_bytes_ += kRunDocBytes + string_heap_bytes(article.id);
  batch_bytes_ += article.title.size() + article.body.size();
  batch_.push_back(std::move(article));
  ++pending_;
  if (batch_.size() >= std::max<size_t>(1, options_.batch_articles) || batch_bytes_ >= kBatchBytes) submit_batch();
  return replaced;
}

void IndexWriter::submit_batch() {
  if (batch_.empty()) return;
  update_segment_budget();
  submitted_[batch_thread_] += batch_.size();
  std::vector<Article> batch = std::move(batch_);
  batch_.clear();
  batch_bytes_ = 0;
  threads_[batch_thread_]->submit(std::move(batch));
}

// Each thread's segment gets an equal share of what the budget leaves after
// the run's ids, the caller's tables and the batches that can be queued, but
// never less than an eighth of an equal share of the whole budget.
void IndexWriter::update_segment_budget() {
  const size_t n = std::max<size_t>(1, threads_.size());
  // At most this much text waits in batches (less with small articles; a
  // small budget, as in tests, reserves at most a quarter of itself).
  const size_t queued = std::min((n * (IndexingThread::kMaxQueued + 1) + 1) * kBatchBytes, options_.ram_budget_bytes / 4);
  const size_t reserved = run_docs_bytes_ + noted_memory_ + queued;
  const size_t left = options_.ram_budget_bytes > reserved ? options_.ram_budget_bytes - reserved : 0;
  segment_budget_.store(std::max(options_.ram_budget_bytes / (8 * n), left / n), std::memory_order_relaxed);
}

void IndexWriter::note_memory(size_t bytes) { noted_memory_ = bytes; }

IndexingTimes IndexWriter::indexing_times() const {
  IndexingTimes t;
  for (const auto& th : threads_) t += th->times();
  return t;
}

uint64_t IndexWriter::remove(const std::vector<std::string>& ids) {
  uint64_t n = 0;
  for (const std::string& id : ids) n += remove_id(id);
  return n;
}

// Waits for the threads to index everything added and write it out, and
// turns this run's replaced articles into deletions of their segments.
void IndexWriter::drain_threads() {
  submit_batch();
  std::vector<SegmentInfo> written;
  for (size_t t = 0; t < threads_.size(); ++t) {
    IndexingThread::Written w = threads_[t]->drain();
    for (const RunDoc& d : run_deletes_) {
      if (d.thread != t) continue;
      // The segment holding sequence number d.seq: the last starting at or before it.
      const auto k = std::upper_bound(w.first_seq.begin(), w.first_seq.end(), d.seq) - w.first_seq.begin() - 1;
      mark_deleted(w.segments[k].name, static_cast<uint32_t>(d.seq - w.first_seq[k]));
    }
    if (w.drained) drained_.push_back(w.segments.back().name);
    for (SegmentInfo& s : w.segments) written.push_back(std::move(s));
    submitted_[t] = 0;
  }
  // Segments in the order they were started (names are numbered).
  std::sort(written.begin(), written.end(), [](const SegmentInfo& a, const SegmentInfo& b) { return a.name < b.name; });
  for (SegmentInfo& s : written) flushed_.push_back(std::move(s));
  run_deletes_.clear();
}

// Writes the new deletions of `info` (the old ones from `old`, if any) as a
// deletions file of generation `generation`; false when every document of
// the segment is deleted (it is then dropped instead).
bool IndexWriter::write_segment_deletes(SegmentInfo& info, const SegmentReader* old, const std::set<uint32_t>& docs,
                                        uint64_t generation) {
  DeletedDocs deleted(info.docs);
  if (old)
    for (uint32_t d = 0; d < info.docs; ++d)
      if (old->is_deleted(d)) deleted.set(d);
  for (uint32_t d : docs) deleted.set(d);
  if (deleted.count() == info.docs) return false;
  if (!info.deletes.empty()) obsolete_files_.push_back(info.name + "/" + info.deletes);
  info.deletes = deletes_file_name(generation);
  info.deleted = deleted.count();
  const std::string seg_dir = (fs::path(dir_) / info.name).string();
  write_deletes(seg_dir + "/" + info.deletes, deleted);
  fsync_directory(seg_dir);
  fault_point("deletes-written");
  return true;
}

void IndexWriter::commit() {
  drain_threads();
#if defined(__GLIBC__)
  // The threads' segments were freed into their malloc arenas: give the
  // memory back before merges need theirs.
  malloc_trim(0);
#endif
  Manifest next = manifest_;
  for (auto& s : flushed_) next.segments.push_back(s);
  ++next.generation;
  // Deletions: a new file for each segment that has new ones.
  std::vector<SegmentInfo> kept;
  for (size_t i = 0; i < next.segments.size(); ++i) {
    SegmentInfo& info = next.segments[i];
    auto it = pending_deletes_.find(info.name);
    if (it == pending_deletes_.end() || it->second.empty()) {
      kept.push_back(std::move(info));
      continue;
    }
    const SegmentReader* old = i < manifest_.segments.size() ? &reader(i) : nullptr;
    if (write_segment_deletes(info, old, it->second, next.generation)) kept.push_back(std::move(info));
    else obsolete_.push_back(info.name);
  }
  next.segments = std::move(kept);
  publish(std::move(next));
  flushed_.clear();
  pending_ = 0;
  pending_deletes_.clear();
  run_docs_.clear();
  run_docs_bytes_ = 0;
  if (options_.merge) {
    merge_drained();
    merge_as_policy_says();
  }
  drained_.clear();
}

// Makes `next` the index: every file it names is durable before the MANIFEST
// is written, and the files it no longer names are removed after.
void IndexWriter::publish(Manifest next) {
  fsync_directory(dir_);
  fault_point("before-manifest");
  write_manifest(dir_, next);
  fault_point("committed");
  manifest_ = std::move(next);
  readers_.clear();
  std::error_code ec;
  for (const auto& s : obsolete_) fs::remove_all(fs::path(dir_) / s, ec);
  for (const auto& f : obsolete_files_) fs::remove(fs::path(dir_) / f, ec);
  obsolete_.clear();
  obsolete_files_.clear();
}

// Merges the committed segments `merge` into a new one, which takes the
// place of the first of them, and commits that.
void IndexWriter::apply_merge(const MergeSet& merge) {
  std::vector<const SegmentReader*> sources;
  for (size_t i : merge) sources.push_back(&reader(i));
  const std::string name = next_segment_name();
  SegmentMerger merger(*analyzer_, options_.merger);
  SegmentInfo merged = merger.merge(sources, (fs::path(dir_) / name).string(), name);
  fault_point("merge-written");
  Manifest next = manifest_;
  next.segments.clear();
  ++next.generation;
  for (size_t i = 0; i < manifest_.segments.size(); ++i) {
    const bool source = std::find(merge.begin(), merge.end(), i) != merge.end();
    if (!source) next.segments.push_back(manifest_.segments[i]);
    else obsolete_.push_back(manifest_.segments[i].name);
    if (i == merge.front() && merged.docs > 0) next.segments.push_back(merged);
  }
  if (merged.docs == 0) obsolete_.push_back(name);
  publish(std::move(next));
}

// The indexing threads' open segments, written at a commit, hold articles
// of the same run split by thread: as one segment they cost queries one
// segment's setup, not one per thread (the tiered policy would leave
// segments of equal size apart). Merging them reads no text again and
// copies their stored blocks as they are.
void IndexWriter::merge_drained() {
  MergeSet merge;
  for (size_t i = 0; i < manifest_.segments.size(); ++i)
    if (std::find(drained_.begin(), drained_.end(), manifest_.segments[i].name) != drained_.end()) merge.push_back(i);
  if (merge.size() > 1) apply_merge(merge);
}

void IndexWriter::merge_as_policy_says() {
  const MergePolicy policy(options_.merge_policy);
  for (int round = 0; round < 100; ++round) {
    const std::vector<MergeSet> merges = policy.find_merges(manifest_.segments);
    if (merges.empty()) return;
    apply_merge(merges.front());  // the others are planned again against the new list
  }
}

size_t IndexWriter::optimize(size_t max_segments) {
  commit();
  const MergePolicy policy(options_.merge_policy);
  size_t n = 0;
  for (int round = 0; round < 1000; ++round) {
    const std::vector<MergeSet> merges = policy.force_merge(manifest_.segments, std::max<size_t>(1, max_segments));
    if (merges.empty()) break;
    apply_merge(merges.front());
    ++n;
  }
  return n;
}

uint64_t IndexWriter::pending_docs() const { return pending_; }

}  // namespace dateline
