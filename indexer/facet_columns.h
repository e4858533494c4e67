// facets.bin: for each facet field (speaker, person, organisation, place,
// source), the segment's distinct values in byte order and, per document,
// the ordinals of its values. Facet counting reads it instead of the
// stored articles (searcher/facets.h). The builder (used by SegmentWriter
// and SegmentMerger) and the reader share this header; the layout is in
// docs/format.md, "facets.bin".
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/varint.h"
#include "corpus/article.h"

namespace dateline {

enum class FacetField : uint8_t { Speaker, Person, Organization, Place, Source };
inline constexpr size_t kFacetFields = 5;
inline constexpr std::array<FacetField, kFacetFields> kAllFacetFields{
    FacetField::Speaker, FacetField::Person, FacetField::Organization, FacetField::Place, FacetField::Source};

// "speaker", "person", "org", "place", "source".
std::string_view facet_field_name(FacetField f);

// The values of `a` in field `f`, as stored: speakers, the entities of one
// type (their canonical names), the source; each once, in article order.
std::vector<std::string_view> article_facet_values(const Article& a, FacetField f);

// Collects the values of a segment's documents, in doc order, and writes
// facets.bin. Values are interned per field; write() sorts them.
class FacetColumnsBuilder {
 public:
  // Starts the next document (call once per document, even without values).
  void begin_doc();
  // Adds a value of the current document (duplicates are dropped at write).
  void add(FacetField f, std::string_view value) { add_id(f, value_id(f, value)); }
  // The builder's id of a value (interning it); add_id() adds it by id.
  uint32_t value_id(FacetField f, std::string_view value);
  void add_id(FacetField f, uint32_t id) { fields_[static_cast<size_t>(f)].refs.push_back(id); }
  // begin_doc() and every value of the article.
  void add_article(const Article& a);

  uint32_t docs() const { return docs_; }
  // Heap bytes held (approximately); constant time.
  size_t memory_bytes() const;
  // Writes the file (checksummed trailer, fsynced). Throws std::runtime_error.
  void write(const std::string& path) const;

 private:
  struct Field {
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<const std::string*> names;  // by id (the map's keys)
    std::vector<uint32_t> refs;             // ids of every document's values
    std::vector<uint32_t> doc_ends;         // end of each document's refs
  };
  std::array<Field, kFacetFields> fields_;
  uint32_t docs_ = 0;
  size_t value_bytes_ = 0;  // heap bytes of the interned values
};

// A bit-packed array of fixed-width values (LSB first), followed on disk by
// 8 zero bytes so that any value is read with one 8-byte load.
class PackedArray {
 public:
  PackedArray() = default;
  PackedArray(const char* data, uint32_t bits) : data_(data), bits_(bits), mask_((uint64_t{1} << bits) - 1) {}
  uint32_t operator[](uint64_t i) const {
    const uint64_t bit = i * bits_;
    uint64_t w;
    std::memcpy(&w, data_ + (bit >> 3), 8);
    return static_cast<uint32_t>((w >> (bit & 7)) & mask_);
  }
  uint32_t bits() const { return bits_; }
  const char* data() const { return data_; }
  // Bytes that n values of `bits` bits take on disk, padding included.
  static uint64_t stored_bytes(uint64_t n, uint32_t bits) { return (n * bits + 7) / 8 + 8; }

 private:
  const char* data_ = nullptr;
  uint32_t bits_ = 0;
  uint64_t mask_ = 0;
};

// A packed array whose width is a whole number of bytes: value i is the
// little-endian T at byte i * sizeof(T).
template <class T>
class AlignedArray {
 public:
  explicit AlignedArray(const char* data) : data_(data) {}
  uint32_t operator[](uint64_t i) const {
    T v;
    std::memcpy(&v, data_ + i * sizeof(T), sizeof(T));
    return v;
  }

 private:
  const char* data_;
};

// One field of a segment's facets.bin. Every read is bounds-checked: a
// document's values outside the file, or an ordinal past the values, throw
// CorruptIndex naming the file.
class FacetColumn {
 public:
  uint32_t values() const { return n_values_; }
  // The value of ordinal `ord` (< values()).
  std::string_view value(uint32_t ord) const {
    const uint32_t begin = ord == 0 ? 0 : end_of(ord - 1);
    return value_bytes_.substr(begin, end_of(ord) - begin);
  }
  // Values of all documents together.
  uint64_t refs() const { return n_refs_; }
  // Calls fn(ordinal) for each value of document `doc`, ascending.
  template <class Fn>
  void for_each(uint32_t doc, Fn&& fn) const {
    for_each_of(&doc, 1, fn);
  }
  // Calls fn(ordinal) for each value of each of the n documents, in turn;
  // returns how many of them have a value. Widths of whole bytes (what the
  // writer makes) are read with plain loads; any other width bit by bit.
  template <class Fn>
  uint64_t for_each_of(const uint32_t* docs, size_t n, Fn&& fn) const {
    switch (offsets_.bits()) {
      case 8: return by_ordinal_width<uint8_t>(docs, n, fn);
      case 16: return by_ordinal_width<uint16_t>(docs, n, fn);
      case 32: return by_ordinal_width<uint32_t>(docs, n, fn);
      default: return each_of<PackedArray, PackedArray>(offsets_, ordinals_, docs, n, fn);
    }
  }
  // Reads one field at `r` (see docs/format.md); `where` names the file.
  void open(ByteReader& r, uint32_t docs, const std::string* where);

 private:
  uint32_t end_of(uint32_t ord) const {
    uint32_t e;
    std::memcpy(&e, value_ends_ + 4 * static_cast<size_t>(ord), 4);
    return e;
  }
  [[noreturn]] void corrupt(uint32_t doc) const;

  template <class Offset, class Fn>
  uint64_t by_ordinal_width(const uint32_t* docs, size_t n, Fn& fn) const {
    const AlignedArray<Offset> offsets(offsets_.data());
    switch (ordinals_.bits()) {
      case 8: return each_of(offsets, AlignedArray<uint8_t>(ordinals_.data()), docs, n, fn);
      case 16: return each_of(offsets, AlignedArray<uint16_t>(ordinals_.data()), docs, n, fn);
      case 32: return each_of(offsets, AlignedArray<uint32_t>(ordinals_.data()), docs, n, fn);
      default: return each_of(offsets, ordinals_, docs, n, fn);
    }
  }
  // The loop itself, over local copies of the arrays and bounds, so that
  // stores made by fn (counters) need not be assumed to change them.
  template <class Offsets, class Ordinals, class Fn>
  uint64_t each_of(const Offsets offsets, const Ordinals ordinals, const uint32_t* docs, size_t n, Fn& fn) const {
    const uint64_t n_refs = n_refs_;
    const uint32_t n_values = n_values_;
    uint64_t with_value = 0;
    for (size_t k = 0; k < n; ++k) {
      const uint64_t begin = offsets[docs[k]], end = offsets[docs[k] + 1];
      if (begin > end || end > n_refs) corrupt(docs[k]);
      with_value += end > begin;
      for (uint64_t i = begin; i < end; ++i) {
        const uint32_t ord = ordinals[i];
        if (ord >= n_values) corrupt(docs[k]);
        fn(ord);
      }
    }
    return with_value;
  }

  uint32_t n_values_ = 0;
  uint64_t n_refs_ = 0;
  const char* value_ends_ = nullptr;
  std::string_view value_bytes_;
  PackedArray offsets_, ordinals_;
  const std::string* where_ = nullptr;
};

// The fields of a segment's facets.bin (its body, after the trailer check).
class FacetColumns {
 public:
  FacetColumns() = default;
  // Throws CorruptIndex naming `where` (which must outlive this object).
  FacetColumns(std::string_view body, uint32_t docs, const std::string* where);
  const FacetColumn& field(FacetField f) const { return fields_[static_cast<size_t>(f)]; }

 private:
  std::array<FacetColumn, kFacetFields> fields_;
};

}  // namespace dateline
