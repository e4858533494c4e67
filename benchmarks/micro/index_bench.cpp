// Kernels over a real (small, synthetic) segment: posting iteration,
// intersection via query evaluation, and doc-store reads.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <random>

#include "benchmarks/micro/micro_util.h"
#include "indexer/index_writer.h"
#include "searcher/searcher.h"

namespace {

// A 20,000-article index built once in a temporary directory.
struct Fixture {
  std::string dir;
  std::unique_ptr<dateline::Searcher> searcher;
  Fixture() {
    dir = (std::filesystem::temp_directory_path() / "dateline-micro-index").string();
    std::filesystem::remove_all(dir);
    dateline::IndexWriterOptions o;
    o.stemmer = "none";
    dateline::IndexWriter w(dir, o);
    for (uint32_t i = 0; i < 20000; ++i) {
      dateline::Article a;
      a.id = "doc-" + std::to_string(i);
      a.title = dateline::micro::news_text(8, i);
      a.body = dateline::micro::news_text(200, i + 100000);
      a.date = static_cast<dateline::DayNumber>(18000 + i % 2000);
      w.add(a);
    }
    w.commit();
    searcher = std::make_unique<dateline::Searcher>(dir);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_PostingIterate(benchmark::State& state) {
  auto& seg = fixture().searcher->segment(0);
  auto info = *seg.term("the");
  for (auto _ : state) {
    uint64_t sum = 0;
    for (auto c = seg.cursor(info); c.doc() != dateline::PostingCursor::kEnd; c.next()) sum += c.freq();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * info.df);
}
BENCHMARK(BM_PostingIterate);

void BM_EvaluateQuery(benchmark::State& state, const char* text) {
  auto& f = fixture();
  const dateline::Query q = f.searcher->parse(text);
  for (auto _ : state) benchmark::DoNotOptimize(f.searcher->count(q));
}
BENCHMARK_CAPTURE(BM_EvaluateQuery, and_frequent, "the AND said");
BENCHMARK_CAPTURE(BM_EvaluateQuery, and_rare, "halvorsen AND negotiations");
BENCHMARK_CAPTURE(BM_EvaluateQuery, phrase, "\"north korea\"");
BENCHMARK_CAPTURE(BM_EvaluateQuery, or_three, "bank OR oil OR trade");

void BM_DocStoreRead(benchmark::State& state) {
  auto& seg = fixture().searcher->segment(0);
  std::mt19937 rng(3);
  for (auto _ : state) benchmark::DoNotOptimize(seg.document(rng() % seg.docs()).id.size());
}
BENCHMARK(BM_DocStoreRead);

}  // namespace
