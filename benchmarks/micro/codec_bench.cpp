// Posting block codecs: decode 128 doc ids (PFOR gaps or a bitset) and a
// PFOR block at several widths, SIMD (run-time dispatch) beside the scalar
// reference.
#include <benchmark/benchmark.h>

#include "benchmarks/micro/micro_util.h"
#include "common/bit_packing.h"
#include "common/block_codec.h"

namespace {

// Decodes one block of 128 doc ids whose gaps average state.range(0).
void BM_DecodeDocBlock(benchmark::State& state) {
  const auto docs = dateline::micro::ascending_docs(128, static_cast<uint32_t>(state.range(0)));
  std::string buf;
  dateline::encode_doc_block(docs.data(), 0, buf);
  uint32_t out[128];
  for (auto _ : state) {
    benchmark::DoNotOptimize(dateline::decode_doc_block(buf.data(), buf.size(), 0, docs.back(), out));
    benchmark::ClobberMemory();
  }
  state.SetLabel(dateline::block_codec_target());
  state.SetItemsProcessed(state.iterations() * 128);
}
BENCHMARK(BM_DecodeDocBlock)->Arg(2)->Arg(4)->Arg(64)->Arg(4096);

template <void (*Unpack)(const char*, uint32_t, uint32_t*)>
void unpack_bench(benchmark::State& state) {
  const auto bits = static_cast<uint32_t>(state.range(0));
  std::vector<uint32_t> v(128);
  for (uint32_t i = 0; i < 128; ++i) v[i] = (i * 2654435761u) & (bits == 32 ? ~0u : (1u << bits) - 1);
  uint32_t words[128];
  dateline::pack_block(v.data(), bits, words);
  uint32_t out[128];
  for (auto _ : state) {
    Unpack(reinterpret_cast<const char*>(words), bits, out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * 128);
}

// The unpacker the index uses, and the scalar definition, for the ratio.
void BM_Unpack(benchmark::State& state) { unpack_bench<dateline::unpack_block>(state); }
void BM_UnpackReference(benchmark::State& state) { unpack_bench<dateline::reference_unpack_block>(state); }
BENCHMARK(BM_Unpack)->Arg(3)->Arg(7)->Arg(12)->Arg(20);
BENCHMARK(BM_UnpackReference)->Arg(3)->Arg(7)->Arg(12)->Arg(20);

void BM_EncodeDocBlock(benchmark::State& state) {
  const auto docs = dateline::micro::ascending_docs(128, 64);
  std::string buf;
  for (auto _ : state) {
    buf.clear();
    benchmark::DoNotOptimize(dateline::encode_doc_block(docs.data(), 0, buf));
  }
  state.SetItemsProcessed(state.iterations() * 128);
}
BENCHMARK(BM_EncodeDocBlock);

}  // namespace
