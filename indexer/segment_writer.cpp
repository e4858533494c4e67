#include "indexer/segment_writer.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "common/file_util.h"
#include "common/memory_size.h"
#include "indexer/format.h"
#include "indexer/segment_files.h"

namespace dateline {

namespace fs = std::filesystem;

namespace {

template <class T>
size_t allocated(const std::vector<T>& v) {
  return allocation_bytes(v.capacity() * sizeof(T));
}

// The next document of a term's doc stream (SegmentWriter::TermPostings):
// adds its delta to `doc` and returns its frequency.
uint32_t next_doc(ByteSlicePool::Reader& in, uint32_t& doc) {
  const uint32_t code = in.read_vbyte();
  doc += code >> 1;
  return (code & 1) ? 1 : in.read_vbyte();
}

// Leaves room for one more article's postings (an article of hundreds of MB).
constexpr uint64_t kPoolHeadroom = uint64_t{512} << 20;

}  // namespace

SegmentWriter::SegmentWriter(std::string dir, std::string name) : dir_(std::move(dir)) {
  info_.name = std::move(name);
  if (!fs::create_directory(dir_)) throw std::runtime_error("segment directory exists: " + dir_);
  store_ = std::make_unique<DocStoreWriter>(dir_ + "/" + format::kDocStoreFile);
}

SegmentWriter::~SegmentWriter() = default;

size_t SegmentWriter::memory_bytes() const {
  return pool_.memory_bytes() + terms_.memory_bytes() + allocated(lists_) + allocated(dates_) + allocated(lengths_) +
         allocated(id_ends_) + allocation_bytes(ids_.capacity()) + store_->memory_bytes() +
         facets_.memory_bytes();
}

bool SegmentWriter::nearly_full() const {
  return pool_.memory_bytes() + kPoolHeadroom >= ByteSlicePool::kMaxBytes || info_.docs >= (1u << 30);
}

uint32_t SegmentWriter::term_id(std::string_view term, uint64_t hash, bool positional, bool& inserted) {
  const uint32_t id = terms_.find_or_add(term, hash, inserted);
  if (inserted) {
    TermPostings& t = lists_.emplace_back();
    t.doc_start = t.doc_upto = pool_.new_stream();
    if (positional) t.pos_start = t.pos_upto = pool_.new_stream();
  }
  return id;
}

void SegmentWriter::add_doc(TermPostings& t, uint32_t doc, uint32_t freq) {
  const uint32_t delta = doc - t.last_doc;
  pool_.write_vbyte(t.doc_upto, delta << 1 | (freq == 1 ? 1 : 0));
  if (freq != 1) pool_.write_vbyte(t.doc_upto, freq);
  t.last_doc = doc;
  ++t.df;
}

// `to` gets the documents and frequencies `from` has so far.
void SegmentWriter::copy_docs(const TermPostings& from, TermPostings& to) {
  ByteSlicePool::Reader in(pool_, from.doc_start, from.doc_upto);
  uint32_t doc = 0;
  for (uint32_t i = 0; i < from.df; ++i) {
    const uint32_t freq = next_doc(in, doc);
    add_doc(to, doc, freq);
  }
}

// Written forms, in two passes: first every new form is registered with its
// stem (a stem's second form makes the first one build its own postings, a
// copy of the stem's so far: they were all that form's), then the forms that
// have their own postings get this document.
void SegmentWriter::add_written(uint32_t doc, const DocumentTerms& terms) {
  written_ids_.clear();
  for (const DocumentTerms::Entry& w : terms.written) {
    const uint32_t stem_id = doc_term_ids_[terms.stem_of(w)];
    bool inserted = false;
    const uint32_t id = term_id(terms.name(w), w.hash, false, inserted);
    written_ids_.push_back(id);
    if (!inserted) continue;
    lists_[id].link = stem_id;
    TermPostings& stem = lists_[stem_id];
    if (stem.link == kNoTerm) {
      stem.link = id;
      lists_[id].shared = true;
      continue;
    }
    if (stem.link != kManyForms) {
      TermPostings& first = lists_[stem.link];
      copy_docs(stem, first);
      first.shared = false;
      stem.link = kManyForms;
    }
  }
  for (size_t i = 0; i < terms.written.size(); ++i) {
    TermPostings& form = lists_[written_ids_[i]];
    if (!form.shared) add_doc(form, doc, terms.written[i].freq);
  }
}

// The lookups and appends of one article's terms touch memory all over the
// segment's tables and pool; each is prefetched a few terms ahead, so the
// cache misses overlap instead of coming one after the other.
void SegmentWriter::add(const Article& article, const DocumentTerms& terms) {
  constexpr size_t kAhead = 8;
  const uint32_t doc = info_.docs;
  const size_t n = terms.terms.size();
  doc_term_ids_.clear();
  bool inserted = false;
  for (size_t i = 0; i < std::min(n, kAhead); ++i) terms_.prefetch(terms.terms[i].hash);
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) terms_.prefetch(terms.terms[i + kAhead].hash);
    const DocumentTerms::Entry& e = terms.terms[i];
    doc_term_ids_.push_back(term_id(terms.name(e), e.hash, true, inserted));
  }
  add_written(doc, terms);
  for (size_t i = 0; i < std::min(n, 2 * kAhead); ++i) __builtin_prefetch(&lists_[doc_term_ids_[i]]);
  for (size_t i = 0; i < n; ++i) {
    if (i + 2 * kAhead < n) __builtin_prefetch(&lists_[doc_term_ids_[i + 2 * kAhead]]);
    if (i + kAhead < n) {
      const TermPostings& ahead = lists_[doc_term_ids_[i + kAhead]];
      pool_.prefetch(ahead.doc_upto);
      pool_.prefetch(ahead.pos_upto);
    }
    const DocumentTerms::Entry& e = terms.terms[i];
    TermPostings& t = lists_[doc_term_ids_[i]];
    add_doc(t, doc, e.freq);
    const uint32_t* positions = terms.positions_of(e);
    uint32_t last = 0;
    for (uint32_t p = 0; p < e.freq; ++p) {
      pool_.write_vbyte(t.pos_upto, positions[p] - last);
      last = positions[p];
    }
  }
  for (const std::string& marker : terms.markers) add_doc(lists_[term_id(marker, TermTable::hash(marker), false, inserted)], doc, 1);
  dates_.push_back(static_cast<int32_t>(article.date));
  lengths_.push_back(terms.text_length);
  ids_ += article.id;
  if (ids_.size() > UINT32_MAX) throw std::runtime_error("segment ids exceed 4 GiB");
  id_ends_.push_back(static_cast<uint32_t>(ids_.size()));
  count_document(info_, article.date, terms.text_length);
  store_->add(article);
  facets_.add_article(article);
}

// Postings and positions of every term that owns them, in term order, then
// the dictionary (docs/format.md); a written form that shares its stem's
// postings gets the stem's entry.
void SegmentWriter::write_postings(const std::vector<uint32_t>& order) {
  std::vector<TermInfo> at(lists_.size());
  PostingsWriter out(dir_);
  std::vector<uint32_t> positions;
  for (const uint32_t id : order) {
    const TermPostings& t = lists_[id];
    if (t.shared) continue;
    ByteSlicePool::Reader docs(pool_, t.doc_start, t.doc_upto);
    uint32_t doc = 0;
    if (!t.positional()) {
      for (uint32_t i = 0; i < t.df; ++i) {
        const uint32_t freq = next_doc(docs, doc);
        out.add(doc, freq, lengths_[doc], nullptr);
      }
    } else {
      ByteSlicePool::Reader pos(pool_, t.pos_start, t.pos_upto);
      for (uint32_t i = 0; i < t.df; ++i) {
        const uint32_t freq = next_doc(docs, doc);
        positions.resize(freq);
        uint32_t p = 0;
        for (uint32_t k = 0; k < freq; ++k) positions[k] = p += pos.read_vbyte();
        out.add(doc, freq, lengths_[doc], positions.data());
      }
    }
    at[id] = out.finish_term();
  }
  out.finish();
  info_.postings = out.postings();
  info_.positions = out.positions();
  DictionaryWriter dict(dir_ + "/" + format::kTermsFile, order.size());
  for (const uint32_t id : order) dict.add(terms_.name(id), at[lists_[id].shared ? lists_[id].link : id]);
  dict.finish();
}

SegmentInfo SegmentWriter::finish() {
  std::vector<uint32_t> order(terms_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return terms_.name(a) < terms_.name(b); });
  info_.terms = order.size();
  write_postings(order);
  write_columns(dir_ + "/" + format::kColumnsFile, info_.docs, [&](const DocColumnsVisitor& fn) {
    for (uint32_t d = 0; d < info_.docs; ++d) {
      const uint32_t begin = d == 0 ? 0 : id_ends_[d - 1];
      fn(DocColumns{dates_[d], lengths_[d], std::string_view(ids_).substr(begin, id_ends_[d] - begin)});
    }
  });
  facets_.write(dir_ + "/" + format::kFacetsFile);
  store_->finish();
  fsync_directory(dir_);
  return info_;
}

}  // namespace dateline
