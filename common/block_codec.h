// Integer block codec for postings: Stream VByte (SIMD-decoded) for doc-id
// deltas and frequencies. Separate from the writer and the reader so codecs
// can be benchmarked and swapped alone.
#pragma once

#include <cstdint>
#include <string>

namespace dateline {

// Appends `n` ascending doc ids, delta-coded from `prev`, to `out`.
// Returns the number of bytes appended.
size_t encode_doc_block(const uint32_t* docs, uint32_t n, uint32_t prev, std::string& out);

// Appends `n` unsigned values (frequencies) to `out`; returns bytes appended.
size_t encode_value_block(const uint32_t* values, uint32_t n, std::string& out);

// Decodes `n` doc ids encoded by encode_doc_block from [in, in+avail).
// Never reads outside [in, in+avail): when the block might be damaged and
// the fast decoder could over-read, it decodes from a padded copy instead.
// Returns bytes consumed, or SIZE_MAX when the data is inconsistent.
size_t decode_doc_block(const char* in, size_t avail, uint32_t n, uint32_t prev, uint32_t* out);

// Decodes `n` values encoded by encode_value_block (same guarantees).
size_t decode_value_block(const char* in, size_t avail, uint32_t n, uint32_t* out);

// The decoders above use an SSSE3 decoder when the CPU has it (checked once,
// at run time; release builds stay baseline x86-64) and libstreamvbyte's
// portable decoder otherwise. True when the SSSE3 path is in use.
bool block_codec_uses_simd();

// libstreamvbyte's decoder behind the same checks: the reference the SIMD
// decoder is tested and benchmarked against.
size_t reference_decode_doc_block(const char* in, size_t avail, uint32_t n, uint32_t prev, uint32_t* out);
size_t reference_decode_value_block(const char* in, size_t avail, uint32_t n, uint32_t* out);

}  // namespace dateline
