#include "indexer/index_check.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "common/fields.h"
#include "common/file_util.h"
#include "common/varint.h"
#include "indexer/file_footer.h"
#include "indexer/format.h"
#include "indexer/manifest.h"
#include "indexer/segment_reader.h"

namespace dateline {

namespace fs = std::filesystem;

namespace {

// A structural fault found by the checks below (the message names the file).
struct Fault {
  std::string what;
};

[[noreturn]] void fault(const std::string& what) { throw Fault{what}; }

// Every file's trailer: chunk checksums first, to say where a file is damaged.
void check_checksums(const std::string& seg_dir, const SegmentInfo& info) {
  const std::pair<const char*, uint32_t> files[] = {
      {format::kTermsFile, format::kTermsMagic},       {format::kPostingsFile, format::kPostingsMagic},
      {format::kPositionsFile, format::kPositionsMagic}, {format::kColumnsFile, format::kColumnsMagic},
      {format::kDocStoreFile, format::kDocStoreMagic}, {format::kFacetsFile, format::kFacetsMagic}};
  auto check_one = [&](const std::string& name, uint32_t magic) {
    const std::string path = seg_dir + "/" + name;
    if (!fs::exists(path)) fault(path + ": missing");
    const MappedFile f(path);
    if (auto at = first_damaged_byte(f.view(), magic, path)) fault(path + ": damaged (checksum mismatch) at byte " + std::to_string(*at));
  };
  for (const auto& [name, magic] : files) check_one(name, magic);
  if (!info.deletes.empty()) check_one(info.deletes, format::kDeletesMagic);
}

// One term's postings: the group index, ascending docs, frequencies, positions.
void check_postings(const SegmentReader& seg, std::string_view term, const TermInfo& info, CheckReport& r,
                    uint64_t& positions) {
  const bool positional = term_has_positions(term);
  uint32_t n = 0;
  int64_t prev = -1;
  PostingCursor c = seg.cursor(info);
  c.verify_group_index();  // queries jump by it; reading in order below does not
  for (; c.doc() != PostingCursor::kEnd; c.next()) {
    if (static_cast<int64_t>(c.doc()) <= prev) fault(seg.info().name + "/postings.bin: documents not ascending for term " + std::string(term));
    prev = c.doc();
    if (c.freq() == 0) fault(seg.info().name + "/postings.bin: zero frequency for term " + std::string(term));
    ++n;
    if (!positional) continue;
    const std::span<const uint32_t> p = c.positions();
    for (size_t i = 1; i < p.size(); ++i)
      if (p[i] <= p[i - 1]) fault(seg.info().name + "/positions.bin: positions not ascending for term " + std::string(term));
    // Quotation markers hold spans: pairs 2*first, 2*last+1 (common/fields.h).
    if (term[0] == kQuoteMarker[0])
      for (size_t i = 0; i < p.size(); i += 2)
        if (i + 1 >= p.size() || p[i] % 2 != 0 || p[i + 1] % 2 != 1)
          fault(seg.info().name + "/positions.bin: quotation spans of term " + std::string(term) + " are not pairs");
    positions += p.size();
  }
  if (n != info.df)
    fault(seg.info().name + "/terms.dict: term " + std::string(term) + " has df " + std::to_string(info.df) + " but " +
          std::to_string(n) + " postings");
  r.postings += n;
}

// Ids: every document appears under exactly one id term, the one its column names.
void check_ids(const SegmentReader& seg, const std::map<uint64_t, std::string>& id_terms) {
  std::vector<uint8_t> seen(seg.docs(), 0);
  for (const auto& [offset, term] : id_terms) {
    const auto info = seg.term(term);
    for (PostingCursor c = seg.cursor(*info); c.doc() != PostingCursor::kEnd; c.next()) {
      if (seen[c.doc()]++) fault(seg.info().name + "/terms.dict: document " + std::to_string(c.doc()) + " has two ids");
      if (seg.doc_id(c.doc()) != std::string_view(term).substr(1))
        fault(seg.info().name + "/columns.bin: the id of document " + std::to_string(c.doc()) + " is not its id term");
    }
  }
  for (uint32_t d = 0; d < seg.docs(); ++d)
    if (!seen[d]) fault(seg.info().name + "/terms.dict: document " + std::to_string(d) + " has no id term");
}

void check_dictionary(const SegmentReader& seg, CheckReport& r) {
  const SegmentInfo& info = seg.info();
  std::string prev;
  bool first = true;
  uint64_t n_terms = 0, positions = 0;
  // Postings offset -> the term that owns the postings and its entry; a
  // written form that is its stem's only one points at the stem's postings.
  std::map<uint64_t, std::pair<std::string, TermInfo>> owners;
  std::map<uint64_t, std::string> id_terms;
  seg.dict().for_each([&](std::string_view term, const TermInfo& ti) {
    if (!first && !(prev < term)) fault(info.name + "/terms.dict: terms not ascending at " + std::string(term));
    first = false;
    prev = term;
    ++n_terms;
    const bool written = !term.empty() && term[0] == 'W';
    auto [it, fresh] = owners.try_emplace(ti.postings_offset, std::string(term), ti);
    if (!fresh) {
      const bool owner_written = !it->second.first.empty() && it->second.first[0] == 'W';
      if (written == owner_written || it->second.second.df != ti.df)
        fault(info.name + "/terms.dict: terms " + it->second.first + " and " + std::string(term) + " share postings");
      if (owner_written) it->second = {std::string(term), ti};  // the stem owns them
    }
    if (!term.empty() && term[0] == 'I') id_terms.emplace(ti.postings_offset, std::string(term));
  });
  if (n_terms != info.terms)
    fault(info.name + "/terms.dict: " + std::to_string(n_terms) + " terms, the MANIFEST says " + std::to_string(info.terms));
  uint64_t owned = 0;
  for (const auto& [off, owner] : owners) {
    check_postings(seg, owner.first, owner.second, r, positions);
    owned += owner.second.df;
  }
  if (owned != info.postings || positions != info.positions)
    fault(info.name + ": postings or positions do not add up to the MANIFEST's counts");
  r.terms += n_terms;
  r.positions += positions;
  check_ids(seg, id_terms);
}

// Each facet field's values are distinct and in byte order.
void check_facet_values(const SegmentReader& seg) {
  for (const FacetField f : kAllFacetFields) {
    const FacetColumn& col = seg.facets().field(f);
    for (uint32_t o = 1; o < col.values(); ++o)
      if (!(col.value(o - 1) < col.value(o)))
        fault(seg.info().name + "/facets.bin: " + std::string(facet_field_name(f)) + " values out of order at ordinal " +
              std::to_string(o));
  }
}

// A document's facet values are those of its stored article.
void check_facets(const SegmentReader& seg, uint32_t d, const Article& a) {
  for (const FacetField f : kAllFacetFields) {
    const FacetColumn& col = seg.facets().field(f);
    std::vector<std::string_view> stored = article_facet_values(a, f), indexed;
    col.for_each(d, [&](uint32_t o) { indexed.push_back(col.value(o)); });
    std::sort(stored.begin(), stored.end());
    if (stored != indexed)
      fault(seg.info().name + "/facets.bin: the " + std::string(facet_field_name(f)) + " values of document " +
            std::to_string(d) + " are not those of its stored record");
  }
}

void check_records(const SegmentReader& seg, CheckReport& r) {
  uint64_t tokens = 0;
  check_facet_values(seg);
  for (uint32_t d = 0; d < seg.docs(); ++d) {
    const Article a = seg.document(d);
    check_facets(seg, d, a);
    if (a.id != seg.doc_id(d)) fault(seg.info().name + "/docs.store: record " + std::to_string(d) + " has another id than its column");
    if (a.date != seg.date(d)) fault(seg.info().name + "/docs.store: record " + std::to_string(d) + " has another date than its column");
    tokens += seg.text_length(d);
    ++r.records;
  }
  if (tokens != seg.info().text_tokens) fault(seg.info().name + "/columns.bin: document lengths do not add up to the MANIFEST's");
}

void check_segment(const std::string& dir, const SegmentInfo& info, CheckReport& r) {
  const std::string seg_dir = (fs::path(dir) / info.name).string();
  check_checksums(seg_dir, info);
  const SegmentReader seg(dir, info);
  check_dictionary(seg, r);
  check_records(seg, r);
  ++r.segments;
  r.docs += seg.live_docs();
  r.deleted += info.deleted;
}

}  // namespace

CheckReport check_index(const std::string& dir) {
  CheckReport r;
  if (!fs::is_directory(dir)) throw std::runtime_error(dir + ": no such directory");
  try {
    const Manifest m = read_manifest(dir);
    for (const SegmentInfo& info : m.segments) check_segment(dir, info, r);
  } catch (const Fault& f) {
    r.ok = false;
    r.fault = f.what;
  } catch (const CorruptIndex& e) {
    r.ok = false;
    r.fault = e.what();
  } catch (const std::runtime_error& e) {  // unreadable manifest or segment
    r.ok = false;
    r.fault = e.what();
  }
  return r;
}

}  // namespace dateline
