#include "indexer/facet_columns.h"

#include <algorithm>
#include <bit>
#include <numeric>

#include "indexer/file_footer.h"
#include "indexer/format.h"

namespace dateline {

std::string_view facet_field_name(FacetField f) {
  switch (f) {
    case FacetField::Speaker: return "speaker";
    case FacetField::Person: return "person";
    case FacetField::Organization: return "org";
    case FacetField::Place: return "place";
    case FacetField::Source: return "source";
  }
  return "";
}

namespace {

std::optional<EntityType> entity_type_of(FacetField f) {
  switch (f) {
    case FacetField::Person: return EntityType::Person;
    case FacetField::Organization: return EntityType::Organization;
    case FacetField::Place: return EntityType::Place;
    default: return std::nullopt;
  }
}

void add_once(std::vector<std::string_view>& out, std::string_view v) {
  if (!v.empty() && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
}

// Appends n values of `bits` bits, LSB first, then the 8 bytes of padding.
class PackedWriter {
 public:
  PackedWriter(std::string& out, uint32_t bits) : out_(out), bits_(bits) {}
  void put(uint64_t v) {
    acc_ |= v << used_;
    used_ += bits_;
    while (used_ >= 8) {
      out_.push_back(static_cast<char>(acc_ & 0xFF));
      acc_ >>= 8;
      used_ -= 8;
    }
  }
  void finish() {
    if (used_ > 0) out_.push_back(static_cast<char>(acc_ & 0xFF));
    out_.append(8, '\0');
  }

 private:
  std::string& out_;
  uint32_t bits_;
  uint64_t acc_ = 0;
  uint32_t used_ = 0;
};

// The width of a packed array of values up to max_value: a whole number of
// bytes (8, 16 or 32 bits, so that readers load values directly), wider
// than 32 bits only at the width the values need.
uint32_t bits_for(uint64_t max_value) {
  const uint32_t bits = max_value == 0 ? 0 : static_cast<uint32_t>(std::bit_width(max_value));
  if (bits == 0 || bits > 32) return bits;
  return bits <= 8 ? 8 : bits <= 16 ? 16 : 32;
}

}  // namespace

std::vector<std::string_view> article_facet_values(const Article& a, FacetField f) {
  std::vector<std::string_view> out;
  if (f == FacetField::Speaker) {
    for (const std::string& s : a.speakers) add_once(out, s);
  } else if (f == FacetField::Source) {
    add_once(out, a.source);
  } else {
    const EntityType t = *entity_type_of(f);
    for (const Entity& e : a.entities)
      if (e.type == t) add_once(out, e.name);
  }
  return out;
}

void FacetColumnsBuilder::begin_doc() {
  if (docs_ > 0)
    for (Field& f : fields_) f.doc_ends.push_back(static_cast<uint32_t>(f.refs.size()));
  ++docs_;
}

uint32_t FacetColumnsBuilder::value_id(FacetField f, std::string_view value) {
  Field& field = fields_[static_cast<size_t>(f)];
  auto [it, inserted] = field.ids.try_emplace(std::string(value), static_cast<uint32_t>(field.names.size()));
  if (inserted) {
    field.names.push_back(&it->first);
    value_bytes_ += it->first.capacity() > 15 ? it->first.capacity() : 0;
  }
  return it->second;
}

void FacetColumnsBuilder::add_article(const Article& a) {
  begin_doc();
  for (const FacetField f : kAllFacetFields)
    for (std::string_view v : article_facet_values(a, f)) add(f, v);
}

// Constant time: SegmentWriter asks after every article.
size_t FacetColumnsBuilder::memory_bytes() const {
  size_t n = value_bytes_;
  for (const Field& f : fields_) {
    n += (f.refs.capacity() + f.doc_ends.capacity()) * 4 + f.names.capacity() * 8;
    n += f.ids.size() * 64;  // node, key and bucket, roughly
  }
  return n;
}

// Per field: u32 n_values, u32 value_bytes, u32 value_ends[n_values], the
// value bytes, u64 n_refs, u8 offset bits, u8 ordinal bits, u16 zero, the
// packed offsets (docs + 1) and the packed ordinals (docs/format.md).
void FacetColumnsBuilder::write(const std::string& path) const {
  FileWriter out(path);
  std::string buf;
  put_u32(buf, format::kFacetsMagic);
  put_u32(buf, format::kFormatVersion);
  put_u32(buf, docs_);
  put_u32(buf, static_cast<uint32_t>(kFacetFields));
  for (const Field& f : fields_) {
    std::vector<uint32_t> order(f.names.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return *f.names[a] < *f.names[b]; });
    std::vector<uint32_t> ordinal(order.size());
    for (uint32_t i = 0; i < order.size(); ++i) ordinal[order[i]] = i;
    uint64_t value_bytes = 0;
    for (const uint32_t id : order) value_bytes += f.names[id]->size();
    if (value_bytes > UINT32_MAX) throw std::runtime_error(path + ": facet values exceed 4 GiB");
    put_u32(buf, static_cast<uint32_t>(order.size()));
    put_u32(buf, static_cast<uint32_t>(value_bytes));
    uint32_t end = 0;
    for (const uint32_t id : order) put_u32(buf, end += static_cast<uint32_t>(f.names[id]->size()));
    for (const uint32_t id : order) buf += *f.names[id];
    // Each document's ordinals, ascending and distinct.
    std::vector<uint32_t> ords, ends;
    ords.reserve(f.refs.size());
    ends.reserve(docs_);
    for (uint32_t d = 0; d < docs_; ++d) {
      const size_t begin = d == 0 ? 0 : f.doc_ends[d - 1];
      const size_t stop = d + 1 < docs_ ? f.doc_ends[d] : f.refs.size();
      const size_t at = ords.size();
      for (size_t i = begin; i < stop; ++i) ords.push_back(ordinal[f.refs[i]]);
      std::sort(ords.begin() + at, ords.end());
      ords.erase(std::unique(ords.begin() + at, ords.end()), ords.end());
      ends.push_back(static_cast<uint32_t>(ords.size()));
    }
    put_u64(buf, ords.size());
    const uint32_t offset_bits = bits_for(ords.size()), ord_bits = bits_for(order.empty() ? 0 : order.size() - 1);
    buf.push_back(static_cast<char>(offset_bits));
    buf.push_back(static_cast<char>(ord_bits));
    buf.append(2, '\0');
    PackedWriter offsets(buf, offset_bits);
    offsets.put(0);
    for (const uint32_t e : ends) offsets.put(e);
    offsets.finish();
    PackedWriter packed(buf, ord_bits);
    for (const uint32_t o : ords) packed.put(o);
    packed.finish();
    out.write(buf);
    buf.clear();
  }
  out.write(buf);
  out.finish(format::kFacetsMagic);
}

void FacetColumn::open(ByteReader& r, uint32_t docs, const std::string* where) {
  where_ = where;
  n_values_ = r.u32();
  const uint32_t value_bytes = r.u32();
  value_ends_ = r.bytes(4 * static_cast<uint64_t>(n_values_)).data();
  value_bytes_ = r.bytes(value_bytes);
  for (uint32_t i = 0, prev = 0; i < n_values_; prev = end_of(i++))
    if (end_of(i) < prev || end_of(i) > value_bytes) throw CorruptIndex("value ends out of order");
  n_refs_ = r.u64();
  const uint32_t offset_bits = static_cast<uint8_t>(r.bytes(1)[0]);
  const uint32_t ord_bits = static_cast<uint8_t>(r.bytes(1)[0]);
  r.bytes(2);
  if (offset_bits > 40 || ord_bits > 32) throw CorruptIndex("bad bit widths");
  offsets_ = PackedArray(r.bytes(PackedArray::stored_bytes(uint64_t{docs} + 1, offset_bits)).data(), offset_bits);
  ordinals_ = PackedArray(r.bytes(PackedArray::stored_bytes(n_refs_, ord_bits)).data(), ord_bits);
}

void FacetColumn::corrupt(uint32_t doc) const {
  throw CorruptIndex(*where_ + ": values of document " + std::to_string(doc) + " out of bounds");
}

FacetColumns::FacetColumns(std::string_view body, uint32_t docs, const std::string* where) {
  try {
    ByteReader r(body);
    if (r.u32() != format::kFacetsMagic) throw CorruptIndex("bad magic at byte 0");
    if (r.u32() != format::kFormatVersion) throw CorruptIndex("unknown version at byte 4");
    if (r.u32() != docs) throw CorruptIndex("document count at byte 8 does not match the manifest");
    if (r.u32() != kFacetFields) throw CorruptIndex("field count at byte 12 is not " + std::to_string(kFacetFields));
    for (FacetColumn& f : fields_) f.open(r, docs, where);
    if (!r.at_end()) throw CorruptIndex("trailing bytes");
  } catch (const CorruptIndex& e) {
    throw CorruptIndex(*where + ": " + e.what());
  }
}

}  // namespace dateline
