// Posting block codec: encode/decode 128 doc ids (Stream VByte, delta-coded).
#include <benchmark/benchmark.h>

#include "benchmarks/micro/micro_util.h"
#include "common/block_codec.h"

namespace {

// Decodes one block of 128 doc ids whose gaps average state.range(0).
template <size_t (*Decode)(const char*, size_t, uint32_t, uint32_t, uint32_t*)>
void decode_doc_block_bench(benchmark::State& state) {
  const auto docs = dateline::micro::ascending_docs(128, static_cast<uint32_t>(state.range(0)));
  std::string buf;
  dateline::encode_doc_block(docs.data(), 128, 0, buf);
  buf.append(64, '\0');
  uint32_t out[128];
  for (auto _ : state) {
    benchmark::DoNotOptimize(Decode(buf.data(), buf.size(), 128, 0, out));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * 128);
}

// The decoder the index uses (SSSE3 when the CPU has it).
void BM_DecodeDocBlock(benchmark::State& state) { decode_doc_block_bench<dateline::decode_doc_block>(state); }
BENCHMARK(BM_DecodeDocBlock)->Arg(4)->Arg(64)->Arg(4096);

// libstreamvbyte's own (portable, byte-at-a-time in Debian's build) decoder,
// for the ratio against the one above.
void BM_DecodeDocBlockReference(benchmark::State& state) {
  decode_doc_block_bench<dateline::reference_decode_doc_block>(state);
}
BENCHMARK(BM_DecodeDocBlockReference)->Arg(4)->Arg(64)->Arg(4096);

void BM_EncodeDocBlock(benchmark::State& state) {
  const auto docs = dateline::micro::ascending_docs(128, 64);
  std::string buf;
  for (auto _ : state) {
    buf.clear();
    benchmark::DoNotOptimize(dateline::encode_doc_block(docs.data(), 128, 0, buf));
  }
  state.SetItemsProcessed(state.iterations() * 128);
}
BENCHMARK(BM_EncodeDocBlock);

}  // namespace
