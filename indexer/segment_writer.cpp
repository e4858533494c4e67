#include "indexer/segment_writer.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "common/block_codec.h"
#include "common/checksum.h"
#include "common/file_util.h"
#include "common/varint.h"
#include "indexer/file_footer.h"
#include "indexer/format.h"

namespace dateline {

namespace fs = std::filesystem;

SegmentWriter::SegmentWriter(std::string dir, std::string name) : dir_(std::move(dir)) {
  info_.name = std::move(name);
  if (!fs::create_directory(dir_)) throw std::runtime_error("segment directory exists: " + dir_);
  store_ = std::make_unique<DocStoreWriter>(dir_ + "/" + format::kDocStoreFile);
}

SegmentWriter::~SegmentWriter() = default;

uint32_t SegmentWriter::term_id(const std::string& term) {
  auto [it, inserted] = term_ids_.try_emplace(term, static_cast<uint32_t>(lists_.size()));
  if (inserted) {
    term_names_.push_back(term);
    lists_.emplace_back();
    memory_ += term.size() + 96;
  }
  return it->second;
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
    auto it = std::find_if(known.begin(), known.end(), [&](uint32_t f) { return term_names_[f] == w.term; });
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
    stem.forms.push_back(id);
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
      memory_ += 8 * stem.docs.size();
      stem.written = kManyForms;
    }
  }
  for (size_t i = 0; i < terms.written.size(); ++i) {
    PostingList& form = lists_[written_ids_[i]];
    if (form.shared) continue;
    form.docs.push_back(doc);
    form.freqs.push_back(terms.written[i].freq);
    memory_ += 8;
  }
}

void SegmentWriter::add(const Article& article, const DocumentTerms& terms) {
  const uint32_t doc = info_.docs++;
  doc_term_ids_.clear();
  for (const auto& entry : terms.terms) doc_term_ids_.push_back(term_id(entry.first));
  add_written(doc, terms, doc_term_ids_);
  for (size_t i = 0; i < terms.terms.size(); ++i) {
    const std::vector<uint32_t>& positions = terms.terms[i].second;
    PostingList& pl = lists_[doc_term_ids_[i]];
    pl.docs.push_back(doc);
    pl.freqs.push_back(static_cast<uint32_t>(positions.size()));
    pl.positions.insert(pl.positions.end(), positions.begin(), positions.end());
    memory_ += 8 + 4 * positions.size();
  }
  for (const std::string& marker : terms.markers) {
    PostingList& pl = lists_[term_id(marker)];
    pl.positional = false;
    pl.docs.push_back(doc);
    pl.freqs.push_back(1);
    memory_ += 8;
  }
  dates_.push_back(article.date);
  lengths_.push_back(terms.text_length);
  ids_ += article.id;
  memory_ += article.id.size() + 12;
  if (ids_.size() > UINT32_MAX) throw std::runtime_error("segment ids exceed 4 GiB");
  id_ends_.push_back(static_cast<uint32_t>(ids_.size()));
  info_.text_tokens += terms.text_length;
  if (article.date != kNoDate) {
    if (info_.min_date == kNoDate || article.date < info_.min_date) info_.min_date = article.date;
    if (info_.max_date == kNoDate || article.date > info_.max_date) info_.max_date = article.date;
  }
  store_->add(article);
}

// Postings of one term (docs.store, postings.bin, positions.bin, terms.dict
// are described in docs/format.md):
//   postings: varint n_blocks, then per block the skip entry
//             [varint last_doc, varint doc_bytes, varint freq_bytes,
//              varint position_bytes, impacts],
//             then per block the doc bytes and the freq bytes.
//   positions: per doc, varint deltas of its positions (first from 0).
// The block's impacts: the (frequency, length) pairs of its documents that
// no other document beats on both (higher or equal frequency and shorter or
// equal length), by decreasing frequency; the BM25 score of any document of
// the block is at most the best score among them. Beyond kMaxImpacts, the
// weakest ones are merged into one pair that dominates them all.
void SegmentWriter::put_impacts(const uint32_t* freqs, const uint32_t* docs, uint32_t n, std::string& out) const {
  std::vector<std::pair<uint32_t, uint32_t>> all(n);  // (freq, length)
  for (uint32_t i = 0; i < n; ++i) all[i] = {freqs[i], lengths_[docs[i]]};
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::pair<uint32_t, uint32_t>> frontier;
  for (const auto& e : all)
    if (frontier.empty() || e.second < frontier.back().second) frontier.push_back(e);
  if (frontier.size() > format::kMaxImpacts) {
    // Frequencies and lengths both decrease along the frontier.
    frontier[format::kMaxImpacts - 1].second = frontier.back().second;
    frontier.resize(format::kMaxImpacts);
  }
  put_varint(out, frontier.size());
  for (const auto& [f, len] : frontier) {
    put_varint(out, f);
    put_varint(out, len);
  }
}

// Postings and positions of every term that owns them, in term order;
// returns where each term's postings went (by term id).
std::vector<SegmentWriter::Written> SegmentWriter::write_lists(const std::vector<uint32_t>& order,
                                                               std::string& postings, std::string& positions) {
  std::vector<Written> at(lists_.size());
  std::string skip, data;
  for (const uint32_t id : order) {
    const PostingList& pl = lists_[id];
    if (pl.shared) continue;
    const uint32_t df = static_cast<uint32_t>(pl.docs.size());
    at[id] = Written{df, postings.size(), positions.size()};
    skip.clear();
    data.clear();
    const uint32_t n_blocks = (df + format::kBlockSize - 1) / format::kBlockSize;
    put_varint(skip, n_blocks);
    size_t data_before = 0;
    size_t pos_index = 0;
    uint32_t prev_doc = 0;
    for (uint32_t b = 0; b < n_blocks; ++b) {
      const uint32_t begin = b * format::kBlockSize;
      const uint32_t n = std::min(format::kBlockSize, df - begin);
      const size_t doc_bytes = encode_doc_block(&pl.docs[begin], n, prev_doc, data);
      const size_t freq_bytes = encode_value_block(&pl.freqs[begin], n, data);
      const size_t pos_before = positions.size();
      for (uint32_t i = begin; i < begin + n && pl.positional; ++i) {
        uint32_t last = 0;
        for (uint32_t j = 0; j < pl.freqs[i]; ++j) {
          const uint32_t p = pl.positions[pos_index++];
          put_varint(positions, p - last);
          last = p;
        }
      }
      prev_doc = pl.docs[begin + n - 1];
      put_varint(skip, prev_doc);
      put_varint(skip, doc_bytes);
      put_varint(skip, freq_bytes);
      put_varint(skip, positions.size() - pos_before);
      put_u32(skip, checksum32(std::string_view(data).substr(data_before)));
      put_u32(skip, checksum32(std::string_view(positions).substr(pos_before)));
      put_impacts(&pl.freqs[begin], &pl.docs[begin], n, skip);
      data_before = data.size();
    }
    put_u32(skip, checksum32(skip));
    postings += skip;
    postings += data;
    info_.postings += df;
    info_.positions += pl.positions.size();
  }
  return at;
}

void SegmentWriter::write_postings(const std::vector<uint32_t>& order) {
  std::string postings, positions, terms;
  for (auto* s : {&postings, &positions, &terms}) put_u32(*s, 0);  // magic patched below
  put_u32(postings, format::kFormatVersion);
  put_u32(positions, format::kFormatVersion);
  put_u32(terms, format::kFormatVersion);
  put_u32(terms, static_cast<uint32_t>(order.size()));
  put_u32(terms, format::kTermBlockSize);
  const std::vector<Written> at = write_lists(order, postings, positions);

  std::vector<uint64_t> block_offsets;
  std::string prev_term;
  for (size_t k = 0; k < order.size(); ++k) {
    const std::string& term = term_names_[order[k]];
    const PostingList& pl = lists_[order[k]];
    const Written& w = at[pl.shared ? pl.stem : order[k]];  // a shared written form: its stem's postings
    // Front-coded dictionary entry; every kTermBlockSize-th term restarts.
    if (k % format::kTermBlockSize == 0) {
      block_offsets.push_back(terms.size());
      prev_term.clear();
    }
    size_t shared = 0;
    while (shared < prev_term.size() && shared < term.size() && prev_term[shared] == term[shared]) ++shared;
    put_varint(terms, shared);
    put_string(terms, std::string_view(term).substr(shared));
    put_varint(terms, w.df);
    put_varint(terms, w.postings_offset);
    put_varint(terms, w.positions_offset);
    prev_term = term;
  }
  // Dictionary tail: block offsets, then their count and start.
  const uint64_t index_offset = terms.size();
  for (uint64_t off : block_offsets) put_u64(terms, off);
  put_u64(terms, index_offset);
  put_u32(terms, static_cast<uint32_t>(block_offsets.size()));

  auto patch_magic = [](std::string& s, uint32_t magic) { std::memcpy(&s[0], &magic, 4); };
  patch_magic(postings, format::kPostingsMagic);
  patch_magic(positions, format::kPositionsMagic);
  patch_magic(terms, format::kTermsMagic);
  postings.append(format::kTailPadding, '\0');
  positions.append(format::kTailPadding, '\0');
  append_footer(postings, format::kPostingsMagic);
  append_footer(positions, format::kPositionsMagic);
  append_footer(terms, format::kTermsMagic);
  write_file_durable(dir_ + "/" + format::kPostingsFile, postings);
  write_file_durable(dir_ + "/" + format::kPositionsFile, positions);
  write_file_durable(dir_ + "/" + format::kTermsFile, terms);
}

SegmentInfo SegmentWriter::finish() {
  std::vector<uint32_t> order(term_names_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return term_names_[a] < term_names_[b]; });
  info_.terms = order.size();
  write_postings(order);

  std::string cols;
  put_u32(cols, format::kColumnsMagic);
  put_u32(cols, format::kFormatVersion);
  put_u32(cols, info_.docs);
  for (int32_t d : dates_) put_u32(cols, static_cast<uint32_t>(d));
  for (uint32_t l : lengths_) put_u32(cols, l);
  for (uint32_t e : id_ends_) put_u32(cols, e);
  cols += ids_;
  append_footer(cols, format::kColumnsMagic);
  write_file_durable(dir_ + "/" + format::kColumnsFile, cols);
  store_->finish();
  fsync_directory(dir_);
  return info_;
}

}  // namespace dateline
