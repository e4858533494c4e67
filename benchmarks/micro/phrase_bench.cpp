// Position matching for phrases (ordered) and NEAR (unordered).
#include <benchmark/benchmark.h>

#include <random>

#include "searcher/position_match.h"

namespace {

std::vector<uint32_t> positions(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint32_t> v(n);
  uint32_t x = 0;
  for (auto& p : v) p = x += 1 + rng() % 40;
  return v;
}

void BM_OrderedWithin(benchmark::State& state) {
  const auto a = positions(static_cast<size_t>(state.range(0)), 1), b = positions(static_cast<size_t>(state.range(0)), 2);
  const std::vector<dateline::PositionList> lists{a, b};
  for (auto _ : state) benchmark::DoNotOptimize(dateline::ordered_within(lists, 2));
}
BENCHMARK(BM_OrderedWithin)->Arg(4)->Arg(64);

void BM_ExactPhrase(benchmark::State& state) {
  const auto a = positions(static_cast<size_t>(state.range(0)), 1), b = positions(static_cast<size_t>(state.range(0)), 2);
  const std::vector<dateline::PositionList> lists{a, b};
  for (auto _ : state) benchmark::DoNotOptimize(dateline::exact_phrase(lists));
}
BENCHMARK(BM_ExactPhrase)->Arg(4)->Arg(64);

void BM_UnorderedWithin(benchmark::State& state) {
  const auto a = positions(static_cast<size_t>(state.range(0)), 1), b = positions(static_cast<size_t>(state.range(0)), 2);
  const std::vector<dateline::PositionList> lists{a, b};
  const std::vector<uint32_t> groups{0, 1};
  for (auto _ : state) benchmark::DoNotOptimize(dateline::unordered_within(lists, groups, 3));
}
BENCHMARK(BM_UnorderedWithin)->Arg(4)->Arg(64);

}  // namespace
