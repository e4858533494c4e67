// Files: whole-file reads, durable atomic writes, read-only memory maps.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dateline {

// Reads a whole file. Throws std::runtime_error naming the file on failure.
std::string read_file(const std::string& path);

// Writes `data` to `path` durably: write to path.tmp, fsync, rename over
// `path`, fsync the directory. Readers see the old or the new file, never a mix.
void write_file_atomic(const std::string& path, std::string_view data);

// Writes `data` to a new file and fsyncs it (no rename).
void write_file_durable(const std::string& path, std::string_view data);

// fsyncs a directory so renames and creations inside it are durable.
void fsync_directory(const std::string& dir);

// A read-only memory map of a whole file (empty files map to an empty view).
class MappedFile {
 public:
  MappedFile() = default;
  explicit MappedFile(const std::string& path);  // throws std::runtime_error
  ~MappedFile();
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  std::string_view view() const { return {data_, size_}; }
  // Lets go of the pages this process has touched (they stay in the page
  // cache; a later read maps them again): keeps a long sequential read,
  // such as a merge's, from growing the resident set by the file's size.
  void release_pages() const;

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace dateline
