// Shared by the libFuzzer targets (tests/fuzz/README.md): splitting one
// input into parts, and a scratch directory per process.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::fuzz {

// Splits `data` at each occurrence of the separator "\n--8<--\n" (so seed
// inputs are readable). Missing parts are empty.
inline std::vector<std::string_view> split_parts(std::string_view data, size_t n) {
  static constexpr std::string_view kSep = "\n--8<--\n";
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < n) {
    const size_t at = data.find(kSep);
    if (at == std::string_view::npos) break;
    parts.push_back(data.substr(0, at));
    data.remove_prefix(at + kSep.size());
  }
  parts.push_back(data);
  parts.resize(n);
  return parts;
}

// A directory of this process's own, emptied on each call.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                           ("dateline-fuzz-" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_bytes(const std::filesystem::path& p, std::string_view bytes) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace dateline::fuzz
