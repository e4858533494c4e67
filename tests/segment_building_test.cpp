// The in-memory structures of a segment being built: the byte-slice pool of
// postings streams, the term table, and the reusable document analyzer.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/analyzer.h"
#include "corpus/reader.h"
#include "indexer/byte_slice_pool.h"
#include "indexer/document_terms.h"
#include "indexer/term_table.h"
#include "test_util.h"

using namespace dateline;

TEST_CASE("byte-slice pool: interleaved streams of every length read back exactly") {
  std::mt19937 rng(7);
  ByteSlicePool pool;
  struct Stream {
    uint32_t start, upto;
    std::vector<std::pair<uint32_t, bool>> values;  // (value, written as one raw byte)
  };
  std::vector<Stream> streams(3000);
  for (Stream& s : streams) s.start = s.upto = pool.new_stream();
  // Random lengths from empty to tens of thousands of bytes, values of every
  // byte length (zeros included: a stream's bytes may be 0), appended in a
  // random interleaving so slices of one stream are scattered over blocks.
  std::vector<uint32_t> target(streams.size());
  for (size_t i = 0; i < streams.size(); ++i) {
    const uint32_t kind = rng() % 10;
    target[i] = kind == 0 ? 0 : kind < 7 ? rng() % 20 : kind < 9 ? rng() % 2000 : rng() % 20000;
  }
  for (bool more = true; more;) {
    more = false;
    for (size_t i = 0; i < streams.size(); ++i) {
      Stream& s = streams[i];
      if (s.values.size() >= target[i]) continue;
      more = true;
      const uint32_t n = 1 + rng() % 8;
      for (uint32_t k = 0; k < n && s.values.size() < target[i]; ++k) {
        const int bits = static_cast<int>(rng() % 33);
        const uint32_t v = bits == 0 ? 0 : bits == 32 ? static_cast<uint32_t>(rng()) : static_cast<uint32_t>(rng() & ((1u << bits) - 1));
        const bool raw = rng() % 4 == 0 && v < 256;
        s.values.emplace_back(v, raw);
        if (raw)
          pool.write_byte(s.upto, static_cast<uint8_t>(v));
        else
          pool.write_vbyte(s.upto, v);
      }
    }
  }
  CHECK(pool.memory_bytes() > ByteSlicePool::kBlockSize);  // several blocks
  for (const Stream& s : streams) {
    ByteSlicePool::Reader in(pool, s.start, s.upto);
    for (const auto& [v, raw] : s.values) {
      REQUIRE_FALSE(in.done());
      REQUIRE((raw ? in.read_byte() : in.read_vbyte()) == v);
    }
    CHECK(in.done());
  }
}

TEST_CASE("byte-slice pool: a stream that ends exactly at a slice's end reads back") {
  // Lengths 0..600 bytes cross every slice boundary of the first levels.
  for (uint32_t len = 0; len <= 600; ++len) {
    ByteSlicePool pool;
    uint32_t a = pool.new_stream(), b = pool.new_stream();
    const uint32_t a0 = a, b0 = b;
    for (uint32_t i = 0; i < len; ++i) {
      pool.write_byte(a, static_cast<uint8_t>(i * 7 + 1));
      pool.write_byte(b, static_cast<uint8_t>(i));
    }
    ByteSlicePool::Reader ra(pool, a0, a), rb(pool, b0, b);
    for (uint32_t i = 0; i < len; ++i) {
      REQUIRE(ra.read_byte() == static_cast<uint8_t>(i * 7 + 1));
      REQUIRE(rb.read_byte() == static_cast<uint8_t>(i));
    }
    REQUIRE(ra.done());
    REQUIRE(rb.done());
  }
}

TEST_CASE("term table: ids in order of first appearance, names kept, clear forgets") {
  TermTable t;
  std::map<std::string, uint32_t> ref;
  std::mt19937 rng(3);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 50000; ++i) {
      std::string term = "t";
      term += std::to_string(rng() % 20000);
      if (i % 3 == 0) term += std::string(rng() % 40, 'x');  // long names too
      bool inserted = false;
      const uint32_t id = t.find_or_add(term, inserted);
      auto [it, fresh] = ref.try_emplace(term, static_cast<uint32_t>(ref.size()));
      REQUIRE(inserted == fresh);
      REQUIRE(id == it->second);
      REQUIRE(t.name(id) == term);
    }
    CHECK(t.size() == ref.size());
    for (const auto& [term, id] : ref) CHECK(t.name(id) == term);
    t.clear();
    ref.clear();
    CHECK(t.size() == 0);
    bool inserted = false;
    CHECK(t.find_or_add("t1", inserted) == 0);
    CHECK(inserted);
    ref.emplace("t1", 0);
  }
}

TEST_CASE("one DocumentAnalyzer over many articles gives each one's terms as a fresh analysis does") {
  for (const char* stemmer : {"english", "none"}) {
    std::vector<Article> articles;
    read_articles({(testing::source_dir() / "corpus/samples").string()},
                  [&](Article&& a) { articles.push_back(std::move(a)); }, [](const Diagnostic&) {});
    REQUIRE(articles.size() > 20);
    Analyzer shared(stemmer, true);
    DocumentAnalyzer reused(shared);
    for (const Article& a : articles) {
      const DocumentTerms& got = reused.analyze(a);
      Analyzer fresh_analyzer(stemmer, true);
      const DocumentTerms want = analyze_article(a, fresh_analyzer);
      // Compare as maps: term -> positions / frequency.
      auto terms_of = [](const DocumentTerms& d) {
        std::map<std::string, std::vector<uint32_t>> m;
        for (const auto& e : d.terms) {
          REQUIRE(e.hash == TermTable::hash(d.name(e)));
          m[std::string(d.name(e))].assign(d.positions_of(e), d.positions_of(e) + e.freq);
        }
        return m;
      };
      auto forms_of = [](const DocumentTerms& d) {
        std::map<std::string, std::pair<uint32_t, std::string>> m;
        for (const auto& w : d.written) m[std::string(d.name(w))] = {w.freq, std::string(d.name(d.terms[d.stem_of(w)]))};
        return m;
      };
      const auto got_terms = terms_of(got);
      CHECK(got_terms == terms_of(want));
      CHECK(forms_of(got) == forms_of(want));
      CHECK(got.markers == want.markers);
      CHECK(got.text_length == want.text_length);
      for (const auto& [term, positions] : got_terms) CHECK(std::is_sorted(positions.begin(), positions.end()));
      if (std::string(stemmer) == "none") CHECK(got.written.empty());
    }
  }
}
