// facets.bin's columns (indexer/facet_columns.h) read back at every width:
// the widths of whole bytes the writer makes (read with plain loads), and
// any other width a packed array may hold (read bit by bit), from a body
// written here from docs/format.md's description, bit by bit.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/file_util.h"
#include "common/varint.h"
#include "indexer/facet_columns.h"
#include "indexer/format.h"
#include "test_util.h"

using namespace dateline;
using namespace dateline::testing;

namespace {

// Appends values at `bits` bits each, least significant bit first, then
// the 8 bytes of padding (docs/format.md, "facets.bin").
void put_packed(std::string& out, const std::vector<uint64_t>& values, uint32_t bits) {
  std::vector<bool> stream;
  for (const uint64_t v : values)
    for (uint32_t b = 0; b < bits; ++b) stream.push_back((v >> b) & 1);
  for (size_t at = 0; at < stream.size(); at += 8) {
    unsigned char byte = 0;
    for (size_t b = 0; b < 8 && at + b < stream.size(); ++b) byte |= static_cast<unsigned char>(stream[at + b] << b);
    out.push_back(static_cast<char>(byte));
  }
  out.append(8, '\0');
}

// A field of `values` (sorted) whose documents hold `docs` (ordinals).
void put_field(std::string& out, const std::vector<std::string>& values, const std::vector<std::vector<uint32_t>>& docs,
               uint32_t offset_bits, uint32_t ordinal_bits) {
  put_u32(out, static_cast<uint32_t>(values.size()));
  uint32_t bytes = 0;
  for (const std::string& v : values) bytes += static_cast<uint32_t>(v.size());
  put_u32(out, bytes);
  uint32_t end = 0;
  for (const std::string& v : values) put_u32(out, end += static_cast<uint32_t>(v.size()));
  for (const std::string& v : values) out += v;
  std::vector<uint64_t> offsets{0}, ordinals;
  for (const std::vector<uint32_t>& d : docs) {
    ordinals.insert(ordinals.end(), d.begin(), d.end());
    offsets.push_back(ordinals.size());
  }
  put_u64(out, ordinals.size());
  out.push_back(static_cast<char>(offset_bits));
  out.push_back(static_cast<char>(ordinal_bits));
  out.append(2, '\0');
  put_packed(out, offsets, offset_bits);
  put_packed(out, ordinals, ordinal_bits);
}

// Each document's values in field f, through for_each() and, for all the
// documents at once, for_each_of().
std::vector<std::vector<std::string>> read_back(const FacetColumns& c, FacetField f, uint32_t docs, uint64_t& with_value) {
  const FacetColumn& col = c.field(f);
  std::vector<std::vector<std::string>> out(docs);
  for (uint32_t d = 0; d < docs; ++d) col.for_each(d, [&](uint32_t o) { out[d].emplace_back(col.value(o)); });
  std::vector<uint32_t> all(docs);
  for (uint32_t d = 0; d < docs; ++d) all[d] = d;
  size_t seen = 0;
  with_value = col.for_each_of(all.data(), all.size(), [&](uint32_t) { ++seen; });
  CHECK(seen == col.refs());
  return out;
}

}  // namespace

TEST_CASE("facet columns read back at odd widths (indexes written before whole-byte widths) and at whole bytes") {
  const std::vector<std::string> people{"Ada", "Bo", "Cy", "Di", "Ed"};
  const std::vector<std::vector<uint32_t>> docs{{0, 3}, {}, {1, 2, 4}, {4}, {}, {0}};
  const std::vector<std::vector<std::string>> expected{{"Ada", "Di"}, {}, {"Bo", "Cy", "Ed"}, {"Ed"}, {}, {"Ada"}};
  const uint32_t n = static_cast<uint32_t>(docs.size());
  const std::string where = "test facets.bin";
  for (const auto& [offset_bits, ordinal_bits] : std::vector<std::pair<uint32_t, uint32_t>>{
           {3, 3}, {5, 7}, {8, 8}, {16, 16}, {32, 32}, {8, 32}, {33, 3}}) {
    CAPTURE(offset_bits);
    CAPTURE(ordinal_bits);
    std::string body;
    put_u32(body, format::kFacetsMagic);
    put_u32(body, format::kFormatVersion);
    put_u32(body, n);
    put_u32(body, static_cast<uint32_t>(kFacetFields));
    for (const FacetField f : kAllFacetFields) {
      if (f == FacetField::Person) put_field(body, people, docs, offset_bits, ordinal_bits);
      else put_field(body, {}, std::vector<std::vector<uint32_t>>(n), offset_bits, ordinal_bits);
    }
    const FacetColumns columns(body, n, &where);
    uint64_t with_value = 0;
    CHECK(read_back(columns, FacetField::Person, n, with_value) == expected);
    CHECK(with_value == 4);
    CHECK(read_back(columns, FacetField::Place, n, with_value) == std::vector<std::vector<std::string>>(n));
    CHECK(with_value == 0);
  }
}

TEST_CASE("an ordinal past a column's values is a corrupt index at every width") {
  const std::string where = "test facets.bin";
  for (const uint32_t bits : {3u, 8u, 16u}) {
    CAPTURE(bits);
    std::string body;
    put_u32(body, format::kFacetsMagic);
    put_u32(body, format::kFormatVersion);
    put_u32(body, 1);
    put_u32(body, static_cast<uint32_t>(kFacetFields));
    for (const FacetField f : kAllFacetFields) {
      if (f == FacetField::Speaker) put_field(body, {"A", "B"}, {{5}}, bits, bits);
      else put_field(body, {}, {{}}, bits, bits);
    }
    const FacetColumns columns(body, 1, &where);
    CHECK_THROWS_AS(columns.field(FacetField::Speaker).for_each(0, [](uint32_t) {}), CorruptIndex);
  }
}

TEST_CASE("the writer packs facet columns at whole bytes") {
  FacetColumnsBuilder b;
  for (int d = 0; d < 300; ++d) {
    b.begin_doc();
    b.add(FacetField::Speaker, "Speaker " + std::to_string(d % 260));
    if (d % 3 == 0) b.add(FacetField::Place, "Place " + std::to_string(d % 5));
  }
  TempDir dir;
  const std::string path = (dir.path() / "facets.bin").string();
  b.write(path);
  const std::string file = read_file(path);
  // The speaker field: 260 values (ordinals need 9 bits: 16), 300 refs
  // (offsets need 9 bits: 16).
  ByteReader r(std::string_view(file).substr(16));
  const uint32_t values = r.u32();
  CHECK(values == 260);
  const uint32_t bytes = r.u32();
  r.bytes(4 * uint64_t{values} + bytes);
  CHECK(r.u64() == 300);
  CHECK(static_cast<uint8_t>(r.bytes(1)[0]) == 16);
  CHECK(static_cast<uint8_t>(r.bytes(1)[0]) == 16);
}
