// The integer codecs of postings (docs/format.md). A block of 128 values is
// bit-packed (common/bit_packing.h) at the width that makes it smallest with
// patched exceptions (PFOR, as Lucene's PForUtil): a value too wide for the
// width keeps its low bits in the packed block and its high bits in a list
// after it. Fewer than 128 values are varints. Doc ids are stored as gaps,
// and a full block of them as a bitset when that is smaller (dense terms).
//
// Every decoder reads only inside [in, in + avail) and returns the bytes it
// consumed, or SIZE_MAX when the bytes are not a valid encoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace dateline {

constexpr uint32_t kCodecBlock = 128;

// One PFOR block of 128 values:
//   u8 bits (0..32)  u8 n_exceptions  packed_bytes(bits) bytes
//   n_exceptions × u8 index   n_exceptions × varint (value >> bits)
void encode_pfor_block(const uint32_t* values, std::string& out);
size_t decode_pfor_block(const char* in, size_t avail, uint32_t* out);
// The same with the scalar unpacker: the reference the SIMD path is tested against.
size_t reference_decode_pfor_block(const char* in, size_t avail, uint32_t* out);
// The bytes of the PFOR block of 128 values at `in` (as decode_pfor_block
// would consume), read from its header and exceptions without unpacking
// (so that a reader can jump to the k-th block of a run); SIZE_MAX when the
// bytes are not a valid block.
size_t skip_pfor_block(const char* in, size_t avail);

// `n` values: each full 128 a PFOR block; the rest, if kShortPforValues or
// more, one PFOR block of that many values packed as a little-endian bit
// stream (same header and exceptions), else varints.
constexpr uint32_t kShortPforValues = 16;
void encode_values(const uint32_t* values, size_t n, std::string& out);
size_t decode_values(const char* in, size_t avail, size_t n, uint32_t* out);

// 128 ascending doc ids, all >= `base` (the previous block's last doc + 1,
// 0 for a term's first block), as gaps: docs[0] - base, then docs[i] -
// docs[i-1] - 1: a PFOR block of the gaps, or, when that saves a quarter of
// it, the byte 0xFF and a bitset of the doc ids from base to docs[127]
// (ceil((docs[127] - base + 1) / 8) bytes). Returns the bytes appended.
size_t encode_doc_block(const uint32_t* docs, uint32_t base, std::string& out);
// Decodes what encode_doc_block wrote; `last` is the block's last doc id
// (from its skip entry): SIZE_MAX unless the decoded block ends there.
size_t decode_doc_block(const char* in, size_t avail, uint32_t base, uint32_t last, uint32_t* out);
// For a block that encode_doc_block wrote as a bitset: sets, in `bits`, bit
// d - bit0 for each of its doc ids d (bit0 <= base; the caller's words
// must reach last - bit0), without decoding them, and returns the bytes
// read; 0 when the block is not a bitset (nothing set), SIZE_MAX when it is
// damaged (it does not hold 128 ids ending at `last`; nothing set).
size_t or_doc_bitset(const char* in, size_t avail, uint32_t base, uint32_t last, uint32_t bit0, uint64_t* bits);
// Whether encode_doc_block wrote the block at `in` as a bitset.
bool is_doc_bitset(const char* in, size_t avail);

// A block of fewer than 128 documents (a term's last) with their
// frequencies, as varints: per document (gap << 1) | (freq == 1), then
// freq - 2 when freq > 1 (Lucene's trick: a frequency of 1 costs nothing).
// Gaps as above. Returns the bytes appended.
size_t encode_tail_block(const uint32_t* docs, const uint32_t* freqs, uint32_t n, uint32_t base, std::string& out);
// Decodes what encode_tail_block wrote (the caller checks the last doc id
// against what it expects).
size_t decode_tail_block(const char* in, size_t avail, uint32_t n, uint32_t base, uint32_t* docs, uint32_t* freqs);

// The SIMD target the decoders use on this CPU.
const char* block_codec_target();

}  // namespace dateline
