// The trailer every binary index file ends with, and the streaming writer
// that produces it (docs/format.md, "Checksums").
//
//   body                 the file's header and data
//   u32 chunk_check[n]   checksum32 of each 4 KiB chunk of the body (the
//                        last one may be shorter): lets `check` name where
//                        a file is damaged
//   u32 n                number of chunks
//   u32 magic            the file's own magic, as in its header
//   u32 version          the format version
//   u64 checksum         XXH64 of every byte before it
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "common/checksum.h"

namespace dateline {

inline constexpr size_t kChunkBytes = 4096;

// Appends the trailer of `data` (a file with magic `magic`) to `data`.
void append_footer(std::string& data, uint32_t magic);

// Checks the trailer of `file` (the whole file) and returns its body. The
// magic, version and chunk count are always checked; with `verify`, the
// checksum too, which reads every byte. Throws CorruptIndex naming `path`.
std::string_view checked_body(std::string_view file, uint32_t magic, const std::string& path, bool verify);

// The offset of the first 4 KiB chunk of `file`'s body whose checksum does
// not match, or of the trailer when the chunks match but the whole-file
// checksum does not; nullopt when the file is intact. Throws CorruptIndex
// when the trailer itself cannot be read.
std::optional<uint64_t> first_damaged_byte(std::string_view file, uint32_t magic, const std::string& path);

// Writes a file as a stream, through a buffer, computing its checksums on
// the way; finish() appends the trailer and makes the file durable.
class FileWriter {
 public:
  explicit FileWriter(std::string path);  // creates the file; throws std::runtime_error
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void write(std::string_view bytes);
  uint64_t offset() const { return offset_; }  // body bytes written so far
  // Appends the trailer, flushes, fsyncs and closes. Returns the file size.
  uint64_t finish(uint32_t magic);
  const std::string& path() const { return path_; }

 private:
  void emit(std::string_view bytes);  // to the buffer and the whole-file checksum
  void flush();
  std::string path_;
  FILE* f_ = nullptr;
  std::string buffer_;
  uint64_t offset_ = 0;
  Checksum64 sum_;
  std::string chunk_;        // the body's current chunk
  std::string chunk_table_;  // u32 checksums of the finished chunks
};

}  // namespace dateline
