// On-disk format constants shared by the writer (indexer/) and the reader
// (searcher/). The format itself is documented in docs/format.md.
#pragma once

#include <cstdint>

namespace dateline::format {

// Version 2 added the id column (columns.bin); version 3 replaced max_freq in
// skip entries by the block's impacts; version 4 added written-form (W) and
// alias (A) terms, accent folding (MANIFEST "fold_accents") and the stored
// author, file and line of each article; version 5 added checksums (a
// trailer in every file, per-block checksums in postings and positions, zstd
// frame checksums in the doc store), id terms and deletions; version 6
// bit-packed postings and positions (PFOR), bitset blocks, each term's
// impacts, skip entries in checksummed groups read as needed; version 7 a
// zstd dictionary per doc store, trained on its first records; version 8
// a group index after a term's skip entries (where each group starts), so
// advance() jumps to a far target's group instead of reading every group;
// version 9 the quotations of each article in its stored record; version 10
// the facet columns (facets.bin); version 11 the name pairs of name fields
// (common/fields.h), so that a two-word name phrase is one term; version 12
// each group's impacts in the group index, so that ranking skips a group of
// blocks that cannot compete without reading its skip entries; version 13
// several dictionaries per doc store, so merges copy compressed blocks.
inline constexpr uint32_t kFormatVersion = 13;

// File names inside a segment directory.
inline constexpr const char* kTermsFile = "terms.dict";
inline constexpr const char* kPostingsFile = "postings.bin";
inline constexpr const char* kPositionsFile = "positions.bin";
inline constexpr const char* kDocStoreFile = "docs.store";
inline constexpr const char* kColumnsFile = "columns.bin";
inline constexpr const char* kFacetsFile = "facets.bin";
// In the index directory.
inline constexpr const char* kManifestFile = "MANIFEST";

// Magic numbers at the start of each binary file ("DLTD" etc., little-endian).
inline constexpr uint32_t kTermsMagic = 0x44544c44;      // "DLTD"
inline constexpr uint32_t kPostingsMagic = 0x50544c44;   // "DLTP"
inline constexpr uint32_t kPositionsMagic = 0x58544c44;  // "DLTX"
inline constexpr uint32_t kDocStoreMagic = 0x53544c44;   // "DLTS"
inline constexpr uint32_t kColumnsMagic = 0x43544c44;    // "DLTC"
inline constexpr uint32_t kDeletesMagic = 0x4c544c44;    // "DLTL"
inline constexpr uint32_t kFacetsMagic = 0x46544c44;     // "DLTF"

// Postings are cut into blocks of this many documents.
inline constexpr uint32_t kBlockSize = 128;
// Most (frequency, length) impacts kept per postings block and per term.
inline constexpr uint32_t kMaxImpacts = 8;
// Skip entries per checksummed group (a cursor reads the groups it needs).
inline constexpr uint32_t kSkipGroup = 16;
// Bytes per group-index entry: u32 last doc before the group, u32 offsets of
// its skip entries, its blocks' data, their positions and its impacts
// (docs/format.md).
inline constexpr uint32_t kGroupIndexEntry = 20;
// Terms per front-coded block in the term dictionary.
inline constexpr uint32_t kTermBlockSize = 16;
// Target uncompressed size of one doc-store block.
inline constexpr uint32_t kDocBlockBytes = 1024;
// The doc store's zstd dictionary: at most this big (and a sixteenth of the
// sample), trained on the first
// kDocDictSampleBytes of records (or all of a smaller segment's), level
// kDocStoreLevel.
inline constexpr uint32_t kDocDictBytes = 1024 * 1024;
inline constexpr uint32_t kDocDictSampleBytes = 16 * 1024 * 1024;
inline constexpr int kDocStoreLevel = 6;
// A doc-store block compressed without a dictionary names this one.
inline constexpr uint32_t kNoStoreDictionary = UINT32_MAX;
// Zero bytes appended to postings and positions files.
inline constexpr uint32_t kTailPadding = 64;

}  // namespace dateline::format
