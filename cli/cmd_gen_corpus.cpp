// dateline gen-corpus: write a synthetic news corpus as JSON Lines (see
// corpus/generator.h for the model and what it promises).
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "corpus/generator.h"
#include "corpus/reader.h"

namespace dateline::cli {

namespace {

namespace fs = std::filesystem;

struct GenArgs {
  uint64_t docs = 0;
  uint64_t seed = 1;
  std::vector<std::string> train;
  std::string output = "-";
};

// The default training corpus: Reuters-21578 next to the repository, else the
// sample corpus; both relative to the current directory.
std::vector<std::string> default_training() {
  std::error_code ec;
  const fs::path reuters = "../shared/corpora/reuters21578";
  if (fs::is_directory(reuters, ec)) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(reuters, ec)) {
      const std::string name = e.path().filename().string();
      if (e.is_regular_file(ec) && name.size() > 4 && name.compare(name.size() - 4, 4, ".sgm") == 0)
        files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (!files.empty()) return files;
  }
  if (fs::is_directory("corpus/samples", ec)) return {"corpus/samples"};
  return {};
}

// Plain or zstd-compressed output, buffered.
class Output {
 public:
  explicit Output(const std::string& path) : path_(path) {
    if (path == "-") {
      f_ = stdout;
    } else {
      f_ = std::fopen(path.c_str(), "wb");
      if (!f_) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
      owned_ = true;
    }
    if (path.size() > 4 && path.compare(path.size() - 4, 4, ".zst") == 0) {
      cctx_ = ZSTD_createCCtx();
      if (!cctx_) throw std::runtime_error("cannot create a zstd compression context");
      ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 3);
      ZSTD_CCtx_setParameter(cctx_, ZSTD_c_nbWorkers, 0);
      zbuf_.resize(ZSTD_CStreamOutSize());
    }
    buf_.reserve(kBuffer + 65536);
  }
  ~Output() {
    if (cctx_) ZSTD_freeCCtx(cctx_);
    if (owned_ && f_) std::fclose(f_);
  }

  void write(const std::string& s) {
    buf_.append(s);
    raw_bytes_ += s.size();
    if (buf_.size() >= kBuffer) flush(false);
  }
  // Flushes everything and closes the file; throws on any write error.
  void finish() {
    flush(true);
    if (std::fflush(f_) != 0 || std::ferror(f_)) fail();
    if (owned_) {
      FILE* f = f_;
      f_ = nullptr;
      if (std::fclose(f) != 0) fail();
    }
  }
  uint64_t raw_bytes() const { return raw_bytes_; }
  uint64_t written_bytes() const { return written_; }

 private:
  static constexpr size_t kBuffer = 1 << 20;

  [[noreturn]] void fail() { throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno)); }
  void put(const char* p, size_t n) {
    if (n && std::fwrite(p, 1, n, f_) != n) fail();
    written_ += n;
  }
  void flush(bool end) {
    if (!cctx_) {
      put(buf_.data(), buf_.size());
      buf_.clear();
      return;
    }
    ZSTD_inBuffer in{buf_.data(), buf_.size(), 0};
    const ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
    for (;;) {
      ZSTD_outBuffer out{zbuf_.data(), zbuf_.size(), 0};
      const size_t left = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(left)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(left));
      put(zbuf_.data(), out.pos);
      if (end ? left == 0 : in.pos == in.size) break;
    }
    buf_.clear();
  }

  std::string path_;
  FILE* f_ = nullptr;
  bool owned_ = false;
  ZSTD_CCtx* cctx_ = nullptr;
  std::string buf_;
  std::vector<char> zbuf_;
  uint64_t raw_bytes_ = 0, written_ = 0;
};

int run_gen_corpus(const GenArgs& a) {
  GeneratorOptions opt;
  opt.docs = a.docs;
  opt.seed = a.seed;
  opt.train_paths = a.train.empty() ? default_training() : a.train;
  if (opt.train_paths.empty()) {
    std::fprintf(stderr, "dateline: error: no training corpus; pass --train PATH\n");
    return 2;
  }
  uint64_t train_warnings = 0;
  CorpusGenerator gen(opt, [&](const Diagnostic& d) {
    if (d.level == Diagnostic::Level::Warning) {
      ++train_warnings;
      return;
    }
    std::fprintf(stderr, "error: %s: %s\n", d.where.c_str(), d.message.c_str());
  });
  const TrainingStats& ts = gen.training();

  const auto t0 = std::chrono::steady_clock::now();
  const bool tty = isatty(STDERR_FILENO);
  auto last = t0;
  Output out(a.output);
  std::string line;
  uint64_t done = 0;
  gen.generate_all([&](const Article& art) {
    line = article_to_jsonl(art);
    line.push_back('\n');
    out.write(line);
    ++done;
    if (tty && (done & 255) == 0) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last >= std::chrono::seconds(1)) {
        last = now;
        const double s = std::chrono::duration<double>(now - t0).count();
        std::fprintf(stderr, "\rgen-corpus: %llu / %llu docs, %.1f MB, %.0f docs/s   ",
                     static_cast<unsigned long long>(done), static_cast<unsigned long long>(a.docs),
                     out.raw_bytes() / 1e6, done / s);
      }
    }
  });
  out.finish();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (tty) std::fprintf(stderr, "\r%78s\r", "");
  std::fprintf(stderr,
               "gen-corpus: %llu docs, %.1f MB JSONL (%.1f MB written) in %.1f s (%.1f MB/s); trained on %llu "
               "articles, %llu tokens, %llu distinct training tokens in %.1f s\n",
               static_cast<unsigned long long>(done), out.raw_bytes() / 1e6, out.written_bytes() / 1e6, secs,
               secs > 0 ? out.raw_bytes() / 1e6 / secs : 0.0, static_cast<unsigned long long>(ts.articles),
               static_cast<unsigned long long>(ts.tokens), static_cast<unsigned long long>(ts.distinct_tokens),
               ts.seconds);
  return ts.read_errors ? 1 : 0;
}

}  // namespace

Runner add_gen_corpus_command(CLI::App& app) {
  auto a = std::make_shared<GenArgs>();
  auto* sub = app.add_subcommand(
      "gen-corpus",
      "Write a synthetic news corpus (JSON Lines) learnt from a real one; same seed and training files, "
      "same bytes");
  sub->add_option("--docs", a->docs, "Number of articles")->required();
  sub->add_option("--seed", a->seed, "Random seed (ids are syn-<seed>-<n>)")->capture_default_str();
  sub->add_option("--train", a->train,
                  "Training corpus: files or directories, any input format (default: the *.sgm files of "
                  "../shared/corpora/reuters21578, else corpus/samples, relative to the current directory)");
  sub->add_option("-o,--output", a->output, "Output file, '-' for stdout; *.zst is zstd-compressed")
      ->capture_default_str();
  return [a] { return run_gen_corpus(*a); };
}

}  // namespace dateline::cli
