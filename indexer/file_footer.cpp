#include "indexer/file_footer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/varint.h"
#include "indexer/format.h"

namespace dateline {

namespace {

constexpr size_t kFixedTrailer = 20;  // n, magic, version, checksum

std::string chunk_table(std::string_view body) {
  std::string table;
  for (size_t at = 0; at < body.size(); at += kChunkBytes) put_u32(table, checksum32(body.substr(at, kChunkBytes)));
  return table;
}

void put_trailer_end(std::string& out, uint64_t n_chunks, uint32_t magic) {
  put_u32(out, static_cast<uint32_t>(n_chunks));
  put_u32(out, magic);
  put_u32(out, format::kFormatVersion);
}

// The parsed trailer of a file.
struct Trailer {
  std::string_view body, table;
  uint64_t checksum = 0;
  size_t checked_size = 0;  // bytes the checksum covers
};

Trailer read_trailer(std::string_view file, uint32_t magic, const std::string& path) {
  if (file.size() < kFixedTrailer)
    throw CorruptIndex(path + ": truncated (" + std::to_string(file.size()) + " bytes, no trailer)");
  const size_t end = file.size() - 16;
  ByteReader r(file.substr(end - 4));
  const uint64_t n = r.u32();
  if (r.u32() != magic)
    throw CorruptIndex(path + ": bad trailer magic at byte " + std::to_string(end) + " (truncated, or not this file)");
  const uint32_t version = r.u32();
  if (version != format::kFormatVersion)
    throw CorruptIndex(path + ": format version " + std::to_string(version) + " in the trailer at byte " +
                       std::to_string(end + 4) + ", expected " + std::to_string(format::kFormatVersion));
  Trailer t;
  t.checksum = r.u64();
  t.checked_size = file.size() - 8;
  const uint64_t table_bytes = 4 * n;
  if (table_bytes > end - 4) throw CorruptIndex(path + ": bad chunk count at byte " + std::to_string(end - 4));
  const size_t body_size = end - 4 - table_bytes;
  if (n != (body_size + kChunkBytes - 1) / kChunkBytes)
    throw CorruptIndex(path + ": chunk count at byte " + std::to_string(end - 4) + " does not match the file size");
  t.body = file.substr(0, body_size);
  t.table = file.substr(body_size, table_bytes);
  return t;
}

}  // namespace

void append_footer(std::string& data, uint32_t magic) {
  const size_t body = data.size();
  data += chunk_table(data);
  put_trailer_end(data, (body + kChunkBytes - 1) / kChunkBytes, magic);
  put_u64(data, checksum64(data));
}

std::string_view checked_body(std::string_view file, uint32_t magic, const std::string& path, bool verify) {
  const Trailer t = read_trailer(file, magic, path);
  if (verify && checksum64(file.substr(0, t.checked_size)) != t.checksum) {
    const auto at = first_damaged_byte(file, magic, path);
    throw CorruptIndex(path + ": checksum mismatch, damaged at byte " + std::to_string(at.value_or(0)));
  }
  return t.body;
}

std::optional<uint64_t> first_damaged_byte(std::string_view file, uint32_t magic, const std::string& path) {
  const Trailer t = read_trailer(file, magic, path);
  ByteReader table(t.table);
  for (size_t at = 0; at < t.body.size(); at += kChunkBytes)
    if (table.u32() != checksum32(t.body.substr(at, kChunkBytes))) return at;
  if (checksum64(file.substr(0, t.checked_size)) != t.checksum) return t.body.size();
  return std::nullopt;
}

FileWriter::FileWriter(std::string path) : path_(std::move(path)) {
  f_ = std::fopen(path_.c_str(), "wb");
  if (!f_) throw std::runtime_error("cannot create " + path_ + ": " + std::strerror(errno));
  buffer_.reserve(1 << 20);
}

FileWriter::~FileWriter() {
  if (f_) std::fclose(f_);
}

void FileWriter::emit(std::string_view bytes) {
  sum_.update(bytes);
  buffer_.append(bytes);
  if (buffer_.size() >= (1u << 20)) flush();
}

void FileWriter::write(std::string_view bytes) {
  offset_ += bytes.size();
  emit(bytes);
  while (!bytes.empty()) {
    const size_t take = std::min(bytes.size(), kChunkBytes - chunk_.size());
    chunk_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (chunk_.size() == kChunkBytes) {
      put_u32(chunk_table_, checksum32(chunk_));
      chunk_.clear();
    }
  }
}

void FileWriter::flush() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), f_) != buffer_.size())
    throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
  buffer_.clear();
}

uint64_t FileWriter::finish(uint32_t magic) {
  if (!chunk_.empty()) put_u32(chunk_table_, checksum32(chunk_));
  std::string trailer = chunk_table_;
  put_trailer_end(trailer, chunk_table_.size() / 4, magic);
  emit(trailer);
  std::string sum;
  put_u64(sum, sum_.digest());
  buffer_ += sum;
  flush();
  if (std::fflush(f_) != 0 || ::fsync(fileno(f_)) != 0)
    throw std::runtime_error("cannot flush " + path_ + ": " + std::strerror(errno));
  std::fclose(f_);
  f_ = nullptr;
  return offset_ + trailer.size() + 8;
}

}  // namespace dateline
