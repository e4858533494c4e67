#include "indexer/index_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "common/file_util.h"
#include "indexer/document_terms.h"
#include "indexer/format.h"
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
}

IndexWriter::~IndexWriter() {
  // Discard what was never committed.
  std::error_code ec;
  if (segment_) {
    segment_.reset();
    fs::remove_all(current_segment_dir_, ec);
  }
  for (const auto& s : flushed_) fs::remove_all(fs::path(dir_) / s.name, ec);
}

std::string IndexWriter::next_segment_name() {
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
}

void IndexWriter::add(const Article& article) {
  if (!segment_) {
    const std::string name = next_segment_name();
    current_segment_dir_ = (fs::path(dir_) / name).string();
    segment_ = std::make_unique<SegmentWriter>(current_segment_dir_, name);
  }
  segment_->add(article, analyze_article(article, *analyzer_));
  ++pending_;
  if (segment_->memory_bytes() >= options_.ram_budget_bytes) flush_segment();
}

void IndexWriter::flush_segment() {
  if (!segment_) return;
  if (segment_->docs() > 0) flushed_.push_back(segment_->finish());
  segment_.reset();
}

void IndexWriter::commit() {
  flush_segment();
  Manifest next = manifest_;
  for (auto& s : flushed_) next.segments.push_back(s);
  ++next.generation;
  fsync_directory(dir_);
  write_manifest(dir_, next);
  manifest_ = std::move(next);
  flushed_.clear();
  pending_ = 0;
  std::error_code ec;
  for (const auto& s : obsolete_) fs::remove_all(fs::path(dir_) / s, ec);
  obsolete_.clear();
}

uint64_t IndexWriter::pending_docs() const { return pending_; }

}  // namespace dateline
