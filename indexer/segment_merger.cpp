#include "indexer/segment_merger.h"

#include <algorithm>
#include <bit>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "common/fields.h"
#include "common/file_util.h"
#include "common/varint.h"
#include "indexer/doc_store_writer.h"
#include "indexer/file_footer.h"
#include "indexer/format.h"
#include "indexer/segment_files.h"
#include "indexer/term_dict.h"

namespace dateline {

namespace fs = std::filesystem;

MergeDocMap::MergeDocMap(const std::vector<const SegmentReader*>& sources) {
  uint64_t base = 0;
  for (const SegmentReader* seg : sources) {
    Source s;
    s.base = static_cast<uint32_t>(base);
    s.deleted = seg->deleted_bits();
    if (s.deleted) {
      uint32_t live = 0;
      for (uint32_t w = 0; w < (seg->docs() + 63) / 64; ++w) {
        s.live_before.push_back(live);
        live += 64 - std::popcount(s.deleted[w]);
      }
    }
    base += seg->live_docs();
    if (base >= kDeleted) throw std::runtime_error("a merged segment would hold 2^32 documents or more");
    sources_.push_back(std::move(s));
  }
  docs_ = static_cast<uint32_t>(base);
}

uint32_t MergeDocMap::map(size_t s, uint32_t doc) const {
  const Source& src = sources_[s];
  if (!src.deleted) return src.base + doc;
  const uint64_t word = src.deleted[doc >> 6];
  const uint64_t bit = uint64_t{1} << (doc & 63);
  if (word & bit) return kDeleted;
  return src.base + src.live_before[doc >> 6] + static_cast<uint32_t>(std::popcount(~word & (bit - 1)));
}

std::string written_form_stem(std::string_view term, Analyzer& analyzer) {
  if (!analyzer.stems() || !term.starts_with(kWrittenPrefix)) return {};
  const std::string_view written = term.substr(kWrittenPrefix.size());
  const std::string_view title = field_prefix(Field::Title);
  if (written.starts_with(title)) return field_term(Field::Title, analyzer.stem(written.substr(title.size())));
  return analyzer.stem(written);
}

namespace {

// Stems (of title and body words) are terms of the text field, which have
// no prefix, or of the title field.
bool text_or_title_term(std::string_view term) {
  return term.empty() || term[0] < 'A' || term[0] > 'Z' || term.starts_with(field_prefix(Field::Title));
}

// The union of the sources' dictionaries in term order, from a given term
// on: each step is one term and the sources that hold it.
class TermMerge {
 public:
  TermMerge(const std::vector<const SegmentReader*>& sources, std::string_view from) {
    for (const SegmentReader* s : sources) its_.emplace_back(s->dict(), from);
    gather();
  }
  bool done() const { return holders_.empty(); }
  std::string_view term() const { return term_; }
  // (source, entry) of every source that holds the term, in source order.
  const std::vector<std::pair<size_t, TermInfo>>& holders() const { return holders_; }
  void next() {
    for (const auto& h : holders_) its_[h.first].next();
    gather();
  }

 private:
  void gather() {
    holders_.clear();
    const TermDict::Iterator* least = nullptr;
    for (const auto& it : its_)
      if (!it.done() && (!least || it.term() < least->term())) least = &it;
    if (!least) return;
    term_.assign(least->term());
    for (size_t s = 0; s < its_.size(); ++s)
      if (!its_[s].done() && its_[s].term() == term_) holders_.emplace_back(s, its_[s].info());
  }
  std::vector<TermDict::Iterator> its_;
  std::string term_;
  std::vector<std::pair<size_t, TermInfo>> holders_;
};

// Hash and equality that let a std::string-keyed map be searched by string_view.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// The merged dictionary is written after the postings (a written form
// that shares its stem's postings comes before a lower-case stem, and the
// header counts the terms), so the entries go to this private file first:
// per term [string term, u8 kind]: kind 0 [varint df, varint postings
// offset, varint positions offset], kind 1 (shares its stem's) [string stem].
constexpr const char* kPendingFile = "terms.pending";
constexpr uint32_t kPendingMagic = 0x4d544c44;  // "DLTM", never part of an index
enum : char { kOwnEntry = 0, kSharedEntry = 1 };

// One run of SegmentMerger::merge.
class Merge {
 public:
  Merge(const std::vector<const SegmentReader*>& sources, Analyzer& analyzer, SegmentMerger::Options options,
        std::string dir, std::string name)
      : sources_(sources), analyzer_(analyzer), options_(options), dir_(std::move(dir)), map_(sources) {
    info_.name = std::move(name);
  }

  // Documents first (doc store, columns), then the written forms of each
  // stem, the postings (with the dictionary entries put aside), and the
  // dictionary.
  SegmentInfo run() {
    copy_documents();
    if (analyzer_.stems()) count_forms();
    write_dictionary(write_postings());
    fsync_directory(dir_);
    return info_;
  }

 private:
  // What the merged segment holds of a stem's written forms.
  struct StemForms {
    uint32_t forms = 0;  // forms with live documents: 1, or 2 for two or more
    bool written = false;
    TermInfo postings;   // the stem's merged entry, once written (only one form: it shares them)
  };

  std::string path(const char* file) const { return dir_ + "/" + file; }

  // Every so many terms or documents the sources' pages read so far are let
  // go, so that the merge's resident memory does not grow with its sources.
  static constexpr uint32_t kReleaseEvery = 16384;
  uint64_t copied_ = 0;  // documents copied so far
  void release_source_pages() const {
    for (const SegmentReader* s : sources_) s->release_pages();
  }

  // Calls fn(source, doc) for every live document, in merged order.
  void for_each_live(const std::function<void(const SegmentReader&, uint32_t)>& fn) const {
    for (const SegmentReader* s : sources_)
      for (uint32_t d = 0; d < s->docs(); ++d)
        if (!s->is_deleted(d)) fn(*s, d);
  }

  // docs.store and columns.bin. A large source's blocks are copied as
  // stored, with its dictionaries (no zstd work: recompressing was three
  // quarters of a merge's time); a block with deleted documents, and the
  // records of small sources, are recompressed with the new store's own
  // dictionary, trained on them. A small source's dictionary would cost
  // more than training one for them all, and bounding the dictionaries a
  // store gathers keeps merges of merges from carrying every ancestor's.
  void copy_documents() {
    DocStoreWriter store(path(format::kDocStoreFile));
    uint32_t dicts = 0;
    for (const SegmentReader* s : sources_) {
      const bool copy = s->stored_raw_bytes() >= options_.copy_store_min_bytes &&
                        dicts + s->store_dictionary_count() <= options_.max_store_dictionaries;
      if (copy) dicts += static_cast<uint32_t>(s->store_dictionary_count());
      copy_store(*s, copy, store);
    }
    store.finish();
    copy_facets();
    write_columns(path(format::kColumnsFile), info_.docs, [&](const DocColumnsVisitor& fn) {
      for_each_live([&](const SegmentReader& s, uint32_t d) { fn(DocColumns{s.date(d), s.text_length(d), s.doc_id(d)}); });
    });
  }

  // One source's live records into `store`: its blocks as they are
  // (`copy`) unless they hold deleted documents, else record by record.
  void copy_store(const SegmentReader& s, bool copy, DocStoreWriter& store) {
    std::vector<uint32_t> dict_in_store(s.store_dictionary_count(), DocStoreWriter::kNoDictionary);
    for (size_t b = 0; b < s.store_block_count(); ++b) {
      const SegmentReader::StoredBlock blk = s.store_block(b);
      bool whole = copy;
      for (uint32_t d = blk.first_doc; whole && d < blk.end_doc; ++d) whole = !s.is_deleted(d);
      if (whole) {
        uint32_t dict = DocStoreWriter::kNoDictionary;
        if (blk.dict != DocStoreWriter::kNoDictionary) {
          if (dict_in_store[blk.dict] == DocStoreWriter::kNoDictionary)
            dict_in_store[blk.dict] = store.add_dictionary(s.store_dictionary(blk.dict));
          dict = dict_in_store[blk.dict];
        }
        store.add_compressed_block(dict, blk.end_doc - blk.first_doc, blk.raw_bytes, blk.frame);
      }
      for (uint32_t d = blk.first_doc; d < blk.end_doc; ++d) {
        if (s.is_deleted(d)) continue;
        if (!whole) store.add_record(s.record(d));
        count_document(info_, s.date(d), s.text_length(d));
        if (++copied_ % kReleaseEvery == 0) release_source_pages();
      }
    }
  }

  // facets.bin: each live document's values, through a table per source
  // and field from the source's ordinals to the new segment's values.
  void copy_facets() const {
    FacetColumnsBuilder facets;
    for (const SegmentReader* s : sources_) {
      const FacetColumns& cols = s->facets();
      std::array<std::vector<uint32_t>, kFacetFields> to_id;
      for (const FacetField f : kAllFacetFields)
        to_id[static_cast<size_t>(f)].assign(cols.field(f).values(), UINT32_MAX);
      for (uint32_t d = 0; d < s->docs(); ++d) {
        if (s->is_deleted(d)) continue;
        facets.begin_doc();
        for (const FacetField f : kAllFacetFields) {
          const FacetColumn& col = cols.field(f);
          std::vector<uint32_t>& ids = to_id[static_cast<size_t>(f)];
          col.for_each(d, [&](uint32_t ord) {
            if (ids[ord] == UINT32_MAX) ids[ord] = facets.value_id(f, col.value(ord));
            facets.add_id(f, ids[ord]);
          });
        }
      }
    }
    facets.write(path(format::kFacetsFile));
  }

  // True when the term's postings in some source hold a live document.
  bool has_live_doc(const TermMerge& m) const {
    for (const auto& [s, entry] : m.holders()) {
      const SegmentReader& src = *sources_[s];
      if (!src.has_deletions()) return true;
      for (PostingCursor c = src.cursor(entry); c.doc() != PostingCursor::kEnd; c.next())
        if (!src.is_deleted(c.doc())) return true;
    }
    return false;
  }

  // How many written forms with live documents each stem has.
  void count_forms() {
    for (TermMerge m(sources_, kWrittenPrefix); !m.done() && m.term().starts_with(kWrittenPrefix); m.next()) {
      if (!has_live_doc(m)) continue;
      StemForms& e = stems_[written_form_stem(m.term(), analyzer_)];
      e.forms = std::min(e.forms + 1, 2u);
    }
  }

  // Feeds `out` the term's live postings from every source that holds it.
  void copy_postings(const TermMerge& m, bool positional, PostingsWriter& out) const {
    for (const auto& [s, entry] : m.holders()) {
      const SegmentReader& src = *sources_[s];
      for (PostingCursor c = src.cursor(entry); c.doc() != PostingCursor::kEnd; c.next()) {
        const uint32_t doc = map_.map(s, c.doc());
        if (doc == MergeDocMap::kDeleted) continue;
        out.add(doc, c.freq(), src.text_length(c.doc()), positional ? c.positions().data() : nullptr);
      }
    }
  }

  void put_own(std::string_view term, const TermInfo& info) {
    entry_.clear();
    put_string(entry_, term);
    entry_.push_back(kOwnEntry);
    put_varint(entry_, info.df);
    put_varint(entry_, info.postings_offset);
    put_varint(entry_, info.positions_offset);
    pending_->write(entry_);
    ++terms_;
  }

  void put_shared(std::string_view term, std::string_view stem) {
    entry_.clear();
    put_string(entry_, term);
    entry_.push_back(kSharedEntry);
    put_string(entry_, stem);
    pending_->write(entry_);
    ++terms_;
  }

  // A written form: the only one of its stem with live documents shares
  // the stem's postings; forms of a stem with several get their own.
  void merge_written(const TermMerge& m, const std::string& stem, PostingsWriter& out) {
    const auto it = stems_.find(stem);
    if (it == stems_.end()) return;  // no live documents
    if (it->second.forms == 1) {
      if (has_live_doc(m)) put_shared(m.term(), stem);
      return;
    }
    copy_postings(m, false, out);
    if (out.term_docs() > 0) put_own(m.term(), out.finish_term());
  }

  void merge_term(const TermMerge& m, PostingsWriter& out) {
    copy_postings(m, term_has_positions(m.term()), out);
    if (out.term_docs() == 0) return;
    const TermInfo info = out.finish_term();
    put_own(m.term(), info);
    if (!text_or_title_term(m.term())) return;
    if (const auto it = stems_.find(m.term()); it != stems_.end() && it->second.forms == 1) {
      it->second.postings = info;
      it->second.written = true;
    }
  }

  // postings.bin and positions.bin, and the entries in the pending file;
  // returns the number of terms.
  uint64_t write_postings() {
    PostingsWriter out(dir_);
    FileWriter pending(path(kPendingFile));
    pending_ = &pending;
    uint64_t merged = 0;
    for (TermMerge m(sources_, {}); !m.done(); m.next()) {
      if (++merged % kReleaseEvery == 0) release_source_pages();
      const std::string stem = written_form_stem(m.term(), analyzer_);
      if (stem.empty()) merge_term(m, out);
      else merge_written(m, stem, out);
    }
    out.finish();
    pending.finish(kPendingMagic);
    pending_ = nullptr;
    info_.terms = terms_;
    info_.postings = out.postings();
    info_.positions = out.positions();
    return terms_;
  }

  // terms.dict from the pending entries; a shared form gets its stem's.
  void write_dictionary(uint64_t n_terms) {
    {
      const MappedFile pending(path(kPendingFile));
      ByteReader r(checked_body(pending.view(), kPendingMagic, path(kPendingFile), true));
      DictionaryWriter dict(path(format::kTermsFile), n_terms);
      while (!r.at_end()) {
        const std::string_view term = r.string();
        if (r.bytes(1)[0] == kOwnEntry) {
          TermInfo info;
          info.df = r.varint32();
          info.postings_offset = r.varint();
          info.positions_offset = r.varint();
          dict.add(term, info);
          continue;
        }
        const std::string_view stem = r.string();
        const auto it = stems_.find(stem);
        if (it == stems_.end() || !it->second.written)
          throw CorruptIndex("merging into " + dir_ + ": written form '" + std::string(term) + "' without its stem '" +
                             std::string(stem) + "' in the sources");
        dict.add(term, it->second.postings);
      }
      dict.finish();
    }
    fs::remove(path(kPendingFile));
  }

  const std::vector<const SegmentReader*>& sources_;
  Analyzer& analyzer_;
  SegmentMerger::Options options_;
  std::string dir_;
  MergeDocMap map_;
  SegmentInfo info_;
  std::unordered_map<std::string, StemForms, StringHash, std::equal_to<>> stems_;
  FileWriter* pending_ = nullptr;
  std::string entry_;  // scratch: one pending entry
  uint64_t terms_ = 0;
};

}  // namespace

SegmentInfo SegmentMerger::merge(const std::vector<const SegmentReader*>& sources, const std::string& dir,
                                 const std::string& name) {
  if (!fs::create_directory(dir)) throw std::runtime_error("segment directory exists: " + dir);
  try {
    return Merge(sources, analyzer_, options_, dir, name).run();
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    throw;
  }
}

}  // namespace dateline
