// Xapian peer engine for the dateline benchmark.
//
//   xapian_engine index INDEX_DIR CORPUS.jsonl   -> builds a fresh Glass index
//   xapian_engine serve INDEX_DIR [--timing]     -> answers COUNT / TOP10 /
//                                                   TOP10_COUNT lines on stdin
//
// --timing prefixes each reply line with the nanoseconds spent on it in this
// process (steady clock, from just after the request line is read to just
// before the reply is written) and a TAB; see README.md, "Protocol".
//
// Indexing: TermGenerator without a stemmer (no stop words): title, a
// position gap (increase_termpos), body, all unprefixed; each speaker with
// prefix "S" and each entity with prefix "E", a position gap between names.
// The date (YYYYMMDD) is value slot 0 as sortable_serialise (none when
// undated), the id is the document data. The Glass database is built in
// INDEX_DIR.building (DB_NO_SYNC, committed every kFlushThreshold documents)
// and then compacted into INDEX_DIR: the peers are measured with a fully
// merged index, like dateline's single segment, Lucene's forceMerge(1) and
// FTS5's 'optimize'. The compaction counts as indexing time.
//
// Queries are in Xapian's native QueryParser syntax: default operator AND,
// FLAG_BOOLEAN | FLAG_PHRASE | FLAG_LOVEHATE | FLAG_PURE_NOT, fields
// speaker: and entity:, and date:YYYYMMDD..YYYYMMDD (either end may be empty).
// TOP10 ranks with Xapian's default BM25Weight (k1=1, k2=0, k3=1, b=0.5,
// min_normlen=0.5); COUNT uses BoolWeight and asks for an exact count.
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "article_json.h"

namespace {

constexpr Xapian::valueno kDateSlot = 0;
// Documents buffered in memory between Glass commits while indexing.
// Xapian 1.4 gets slower per document as the buffer grows: 172,624 Reuters
// articles (8 copies) take 101 s with 1,000, 99 s with 3,000, 143 s with
// 10,000 (its default); 200,000 synthetic ones 391 s with 2,000 and 676 s
// with 20,000. The compaction at the end repairs the fragmentation that
// frequent commits leave.
constexpr const char* kFlushThreshold = "2000";

// The files of a Glass database; only these are replaced in INDEX_DIR.
constexpr const char* kGlassFiles[] = {"iamglass",      "flintlock",      "docdata.glass", "position.glass",
                                       "postlist.glass", "spelling.glass", "synonym.glass", "termlist.glass"};

namespace fs = std::filesystem;

int usage() {
  std::fprintf(stderr,
               "usage: xapian_engine index INDEX_DIR CORPUS.jsonl\n"
               "       xapian_engine serve INDEX_DIR [--timing]   (requests on stdin)\n");
  return 1;
}

// Indexes every name of a NUL-separated list with `prefix`, a gap between.
void index_names(Xapian::TermGenerator& tg, const jl_buf& names, size_t count, const std::string& prefix) {
  const char* p = names.p;
  for (size_t i = 0; i < count; ++i) {
    const size_t len = std::strlen(p);
    if (i > 0) tg.increase_termpos();
    tg.index_text(Xapian::Utf8Iterator(p, len), 1, prefix);
    p += len + 1;
  }
}

// Removes the scratch database when indexing stops, however it stops.
struct ScratchDir {
  fs::path path;
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

int run_index(std::string dir, const std::string& corpus) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  jl_reader* in = jl_open(corpus.c_str(), "xapian_engine");
  if (!in) return 1;
  // Xapian reads the threshold when the database is opened; keep a user's.
  setenv("XAPIAN_FLUSH_THRESHOLD", kFlushThreshold, 0);

  ScratchDir scratch{dir + ".building"};
  fs::remove_all(scratch.path);
  Xapian::WritableDatabase db(scratch.path.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS |
                                                         Xapian::DB_NO_SYNC);
  Xapian::TermGenerator tg;
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  const std::string speaker_prefix = "S", entity_prefix = "E";

  jl_article a;
  jl_article_init(&a);
  unsigned long long docs = 0;
  int got;
  while ((got = jl_next(in, &a)) == 1) {
    Xapian::Document doc;
    tg.set_document(doc);
    tg.set_termpos(0);
    tg.index_text(Xapian::Utf8Iterator(a.title.p, a.title.n));
    tg.increase_termpos();
    tg.index_text(Xapian::Utf8Iterator(a.body.p, a.body.n));
    if (a.n_speakers) {
      tg.increase_termpos();
      index_names(tg, a.speakers, a.n_speakers, speaker_prefix);
    }
    if (a.n_entities) {
      tg.increase_termpos();
      index_names(tg, a.entities, a.n_entities, entity_prefix);
    }
    if (a.date) doc.add_value(kDateSlot, Xapian::sortable_serialise(a.date));
    doc.set_data(std::string(a.id.p, a.id.n));
    db.add_document(doc);
    ++docs;
  }
  const unsigned long long skipped = jl_skipped(in);
  jl_article_free(&a);
  jl_close(in);
  if (got < 0) return 1;
  db.commit();
  db.close();

  // Compact into INDEX_DIR, replacing a previous Glass database there; FULLER
  // packs the B-tree blocks full (this index is never updated).
  fs::create_directories(dir);
  for (const char* f : kGlassFiles) fs::remove(fs::path(dir) / f);
  Xapian::Database(scratch.path.string())
      .compact(dir, Xapian::DBCOMPACT_NO_RENUMBER | Xapian::Compactor::FULLER);
  std::printf("indexed %llu docs\n", docs);
  // Like `dateline index`: malformed records are skipped, and say so.
  return skipped ? 1 : 0;
}

class Server {
 public:
  explicit Server(const std::string& dir) : db_(dir), count_enq_(db_), top_enq_(db_) {
    qp_.set_database(db_);
    qp_.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    qp_.set_default_op(Xapian::Query::OP_AND);
    qp_.add_prefix("speaker", "S");
    qp_.add_prefix("entity", "E");
    date_rp_ = std::make_unique<Xapian::NumberRangeProcessor>(kDateSlot, "date:");
    qp_.add_rangeprocessor(date_rp_.get());
    count_enq_.set_weighting_scheme(Xapian::BoolWeight());
    count_enq_.set_docid_order(Xapian::Enquire::DONT_CARE);
    // top_enq_ keeps Xapian's default weighting, BM25Weight().
    doccount_ = db_.get_doccount();
    // Warm up: touch the tables and the code paths once.
    (void)answer("TOP10_COUNT\tthe");
    (void)answer("COUNT\tthe");
  }

  std::string answer(const std::string& line) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) return "ERROR expected COMMAND<TAB>QUERY";
    const std::string cmd = line.substr(0, tab);
    const bool want_count = cmd == "COUNT" || cmd == "TOP10_COUNT";
    const bool want_top = cmd == "TOP10" || cmd == "TOP10_COUNT";
    if (!want_count && !want_top) return "ERROR unknown command '" + cmd + "' (COUNT, TOP10, TOP10_COUNT)";
    const unsigned flags = Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
                           Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT;
    const Xapian::Query q = qp_.parse_query(line.substr(tab + 1), flags);
    if (!want_top) {
      count_enq_.set_query(q);
      const Xapian::MSet m = count_enq_.get_mset(0, 0, doccount_);
      return std::to_string(exact_count(m, count_enq_));
    }
    top_enq_.set_query(q);
    const Xapian::MSet m = want_count ? top_enq_.get_mset(0, 10, doccount_) : top_enq_.get_mset(0, 10);
    std::string out = want_count ? std::to_string(exact_count(m, top_enq_)) : "";
    bool first = !want_count;
    for (auto it = m.begin(); it != m.end(); ++it) {
      if (!first) out += '\t';
      first = false;
      out += it.get_document().get_data();
    }
    return out;
  }

 private:
  // With check_at_least >= doccount Xapian counts every match, so the bounds
  // meet (checked on 3,000 random queries over Reuters-21578); should they
  // ever not, count by listing all matches.
  Xapian::doccount exact_count(const Xapian::MSet& m, Xapian::Enquire& enq) const {
    if (m.get_matches_lower_bound() == m.get_matches_upper_bound()) return m.get_matches_estimated();
    return enq.get_mset(0, doccount_ ? doccount_ : 1, doccount_).size();
  }

  Xapian::Database db_;
  Xapian::QueryParser qp_;
  std::unique_ptr<Xapian::NumberRangeProcessor> date_rp_;
  Xapian::Enquire count_enq_;
  Xapian::Enquire top_enq_;
  Xapian::doccount doccount_ = 0;
};

int run_serve(const std::string& dir, bool timing) {
  std::unique_ptr<Server> server;
  try {
    server = std::make_unique<Server>(dir);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_engine: cannot open %s: %s\n", dir.c_str(), e.get_description().c_str());
    return 1;
  }
  char* buf = nullptr;
  size_t cap = 0;
  for (ssize_t n; (n = getline(&buf, &cap, stdin)) != -1;) {
    const auto t0 = std::chrono::steady_clock::now();
    std::string line(buf, static_cast<size_t>(n));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    std::string reply;
    if (line.empty()) {
      reply = "ERROR empty request";  // one reply per line, like `dateline search --batch`
    } else {
      try {
        reply = server->answer(line);
      } catch (const Xapian::Error& e) {
        reply = "ERROR " + e.get_description();
      } catch (const std::exception& e) {
        reply = std::string("ERROR ") + e.what();
      }
    }
    for (char& c : reply)
      if (c == '\n' || c == '\r') c = ' ';
    if (timing) {
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
      reply.insert(0, std::to_string(ns.count()) + '\t');
    }
    reply += '\n';
    std::fwrite(reply.data(), 1, reply.size(), stdout);
    std::fflush(stdout);
  }
  std::free(buf);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  try {
    if (mode == "index" && argc == 4) return run_index(argv[2], argv[3]);
    if (mode == "serve" && argc == 3) return run_serve(argv[2], false);
    if (mode == "serve" && argc == 4 && std::strcmp(argv[3], "--timing") == 0) return run_serve(argv[2], true);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_engine: %s\n", e.get_description().c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xapian_engine: %s\n", e.what());
    return 1;
  }
  return usage();
}
