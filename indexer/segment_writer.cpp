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

// Appends `values` to `v`, adding to `memory` what a reallocation adds.
template <class T>
void append(std::vector<T>& v, const T* values, size_t n, size_t& memory) {
  if (v.size() + n <= v.capacity()) {
    v.insert(v.end(), values, values + n);
    return;
  }
  const size_t before = allocated(v);
  v.insert(v.end(), values, values + n);
  memory += allocated(v) - before;
}

template <class T>
void append(std::vector<T>& v, T value, size_t& memory) {
  append(v, &value, 1, memory);
}

}  // namespace

SegmentWriter::SegmentWriter(std::string dir, std::string name) : dir_(std::move(dir)) {
  info_.name = std::move(name);
  if (!fs::create_directory(dir_)) throw std::runtime_error("segment directory exists: " + dir_);
  store_ = std::make_unique<DocStoreWriter>(dir_ + "/" + format::kDocStoreFile);
}

SegmentWriter::~SegmentWriter() = default;

uint32_t SegmentWriter::term_id(const std::string& term) {
  bool inserted = false;
  const uint32_t id = terms_.find_or_add(term, inserted);
  if (inserted) {
    lists_.emplace_back();
    // The name's own block, and what the slots, the names and the lists
    // grew by (they grow only here).
    const size_t tables = terms_.slot_bytes() + terms_.names().capacity() * sizeof(std::string) + allocated(lists_);
    memory_ += string_heap_bytes(term) + tables - tables_bytes_;
    tables_bytes_ = tables;
  }
  return id;
}

// Written forms, in two passes: first every new form is registered with its
// stem (a stem's second form makes the first one build its own postings, a
// copy of the stem's so far: they were all that form's), then the forms that
// have their own postings get this document.
void SegmentWriter::add_written(uint32_t doc, const DocumentTerms& terms, const std::vector<uint32_t>& term_ids) {
  written_ids_.clear();
  for (const WrittenForm& w : terms.written) {
    // A stem's forms are few: look among them before the whole dictionary.
    const uint32_t stem_id = term_ids[w.stem];
    const std::vector<uint32_t>& known = lists_[stem_id].forms;
    auto it = std::find_if(known.begin(), known.end(), [&](uint32_t f) { return terms_.name(f) == w.term; });
    if (it != known.end()) {
      written_ids_.push_back(*it);
      continue;
    }
    const uint32_t id = term_id(w.term);
    written_ids_.push_back(id);
    PostingList& form = lists_[id];
    form.positional = false;
    form.stem = stem_id;
    PostingList& stem = lists_[stem_id];
    append(stem.forms, id, memory_);
    if (stem.written == kNoTerm) {
      stem.written = id;
      form.shared = true;
      continue;
    }
    if (stem.written != kManyForms) {
      PostingList& first = lists_[stem.written];
      first.docs = stem.docs;
      first.freqs = stem.freqs;
      first.shared = false;
      memory_ += allocated(first.docs) + allocated(first.freqs);
      stem.written = kManyForms;
    }
  }
  for (size_t i = 0; i < terms.written.size(); ++i) {
    PostingList& form = lists_[written_ids_[i]];
    if (form.shared) continue;
    append(form.docs, doc, memory_);
    append(form.freqs, terms.written[i].freq, memory_);
  }
}

void SegmentWriter::add(const Article& article, const DocumentTerms& terms) {
  const uint32_t doc = info_.docs;
  doc_term_ids_.clear();
  for (const auto& entry : terms.terms) doc_term_ids_.push_back(term_id(entry.first));
  add_written(doc, terms, doc_term_ids_);
  for (size_t i = 0; i < terms.terms.size(); ++i) {
    const std::vector<uint32_t>& positions = terms.terms[i].second;
    PostingList& pl = lists_[doc_term_ids_[i]];
    append(pl.docs, doc, memory_);
    append(pl.freqs, static_cast<uint32_t>(positions.size()), memory_);
    append(pl.positions, positions.data(), positions.size(), memory_);
  }
  for (const std::string& marker : terms.markers) {
    PostingList& pl = lists_[term_id(marker)];
    pl.positional = false;
    append(pl.docs, doc, memory_);
    append(pl.freqs, uint32_t{1}, memory_);
  }
  append(dates_, static_cast<int32_t>(article.date), memory_);
  append(lengths_, terms.text_length, memory_);
  const size_t ids_before = ids_.capacity();
  ids_ += article.id;
  memory_ += ids_.capacity() - ids_before;
  if (ids_.size() > UINT32_MAX) throw std::runtime_error("segment ids exceed 4 GiB");
  append(id_ends_, static_cast<uint32_t>(ids_.size()), memory_);
  count_document(info_, article.date, terms.text_length);
  store_->add(article);
}

// Postings and positions of every term that owns them, in term order, then
// the dictionary (docs/format.md); a written form that shares its stem's
// postings gets the stem's entry.
void SegmentWriter::write_postings(const std::vector<uint32_t>& order) {
  std::vector<TermInfo> at(lists_.size());
  PostingsWriter out(dir_);
  for (const uint32_t id : order) {
    const PostingList& pl = lists_[id];
    if (pl.shared) continue;
    const uint32_t* positions = pl.positions.data();
    for (size_t i = 0; i < pl.docs.size(); ++i) {
      const uint32_t doc = pl.docs[i];
      out.add(doc, pl.freqs[i], lengths_[doc], pl.positional ? positions : nullptr);
      positions += pl.positional ? pl.freqs[i] : 0;
    }
    at[id] = out.finish_term();
  }
  out.finish();
  info_.postings = out.postings();
  info_.positions = out.positions();
  DictionaryWriter dict(dir_ + "/" + format::kTermsFile, order.size());
  for (const uint32_t id : order) dict.add(terms_.name(id), at[lists_[id].shared ? lists_[id].stem : id]);
  dict.finish();
}

SegmentInfo SegmentWriter::finish() {
  std::vector<uint32_t> order(terms_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  const std::vector<std::string>& names = terms_.names();
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  info_.terms = order.size();
  write_postings(order);
  write_columns(dir_ + "/" + format::kColumnsFile, info_.docs, [&](const DocColumnsVisitor& fn) {
    for (uint32_t d = 0; d < info_.docs; ++d) {
      const uint32_t begin = d == 0 ? 0 : id_ends_[d - 1];
      fn(DocColumns{dates_[d], lengths_[d], std::string_view(ids_).substr(begin, id_ends_[d] - begin)});
    }
  });
  store_->finish();
  fsync_directory(dir_);
  return info_;
}

}  // namespace dateline
