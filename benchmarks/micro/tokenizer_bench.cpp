// Text analysis: tokenise + case-fold (+ stem) news-like text.
#include <benchmark/benchmark.h>

#include "benchmarks/micro/micro_util.h"
#include "common/analyzer.h"

namespace {

void BM_Analyze(benchmark::State& state) {
  const std::string text = dateline::micro::news_text(2000);
  dateline::Analyzer analyzer(state.range(0) ? "english" : "none");
  std::vector<dateline::Token> tokens;
  for (auto _ : state) {
    tokens.clear();
    analyzer.analyze(text, true, tokens);
    benchmark::DoNotOptimize(tokens.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Analyze)->Arg(0)->Arg(1)->ArgName("stem");

}  // namespace
