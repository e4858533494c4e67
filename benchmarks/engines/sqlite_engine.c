/* SQLite FTS5 peer engine for the dateline benchmark.
 *
 *   sqlite_engine index INDEX_DIR CORPUS.jsonl   -> builds INDEX_DIR/fts5.db afresh
 *   sqlite_engine serve INDEX_DIR [--timing]     -> answers COUNT / TOP10 /
 *                                                   TOP10_COUNT lines on stdin
 *
 * --timing prefixes each reply line with the nanoseconds spent on it in this
 * process (CLOCK_MONOTONIC, from just after the request line is read to just
 * before the reply is written) and a TAB; see README.md, "Protocol".
 *
 * Schema: the FTS5 table docs(body, speaker, entity) with the unicode61
 * tokenizer (case folding, no diacritic removal, no stemming, no stop words),
 * where body is title + "\n" + body and the speaker / entity columns hold the
 * names separated by newlines; and meta(rowid, id, date) with an index on
 * date (YYYYMMDD). Both share the rowid (1, 2, ... in corpus order).
 *
 * A query is an FTS5 MATCH expression, optionally preceded by
 * "DATE <lo> <hi> " (YYYYMMDD integers, inclusive) to keep only articles
 * dated in that range; "DATE <lo> <hi>" alone is a pure date filter. FTS5 has
 * no purely negative MATCH, so one extension: a MATCH part that starts with
 * "NOT " (a syntax error in FTS5 itself) means every article except those
 * matching the rest, as if the rest were in parentheses: "NOT a OR b" is
 * NOT (a OR b). TOP10 orders by bm25(docs) (lower is better), ties by rowid;
 * purely date / negative queries have no score and list rowid order.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "article_json.h"

enum { kRowsPerTransaction = 10000 };

static int usage(void) {
  fprintf(stderr,
          "usage: sqlite_engine index INDEX_DIR CORPUS.jsonl\n"
          "       sqlite_engine serve INDEX_DIR [--timing]   (requests on stdin)\n");
  return 1;
}

static char* db_path(const char* dir) {
  const size_t n = strlen(dir) + sizeof "/fts5.db";
  char* p = malloc(n);
  if (p) snprintf(p, n, "%s/fts5.db", dir);
  return p;
}

static int exec(sqlite3* db, const char* sql) {
  char* msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    fprintf(stderr, "sqlite_engine: %s: %s\n", sql, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ index */

typedef struct {
  char* p;
  size_t n, cap;
} strbuf;

static int sb_set(strbuf* b, const char* s, size_t n) {
  if (n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < n + 1) cap *= 2;
    char* p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p, s, n);
  b->n = n;
  b->p[n] = '\0';
  return 0;
}

/* NUL-separated names -> newline-separated names. */
static int sb_names(strbuf* b, const jl_buf* names, size_t count) {
  size_t n = names->n;
  if (count > 0 && n > 0) --n; /* drop the last separator */
  if (sb_set(b, names->p, n)) return -1;
  for (size_t i = 0; i < n; ++i)
    if (b->p[i] == '\0') b->p[i] = '\n';
  return 0;
}

static int run_index(const char* dir, const char* corpus) {
  jl_reader* in = jl_open(corpus, "sqlite_engine");
  if (!in) return 1;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "sqlite_engine: cannot create %s: %s\n", dir, strerror(errno));
    jl_close(in);
    return 1;
  }
  char* path = db_path(dir);
  const char* suffixes[] = {"", "-journal", "-wal", "-shm"};
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; ++i) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s%s", path, suffixes[i]);
    if (unlink(tmp) != 0 && errno != ENOENT) {
      fprintf(stderr, "sqlite_engine: cannot remove %s: %s\n", tmp, strerror(errno));
      free(path);
      jl_close(in);
      return 1;
    }
  }
  sqlite3* db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    fprintf(stderr, "sqlite_engine: cannot create %s: %s\n", path, sqlite3_errmsg(db));
    sqlite3_close(db);
    free(path);
    jl_close(in);
    return 1;
  }
  free(path);

  int rc = 1;
  sqlite3_stmt* ins_doc = NULL;
  sqlite3_stmt* ins_meta = NULL;
  jl_article a;
  jl_article_init(&a);
  strbuf text = {0}, speakers = {0}, entities = {0};
  unsigned long long docs = 0;
  int got;

  /* The FTS5 "hashsize" is the in-memory buffer of pending terms; 128 MB
   * keeps one 10k-row transaction in memory, so FTS5 writes one segment per
   * commit. */
  if (exec(db,
           "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;"
           "PRAGMA cache_size=-262144;"
           "CREATE VIRTUAL TABLE docs USING fts5(body, speaker, entity,"
           " tokenize = 'unicode61 remove_diacritics 0');"
           "INSERT INTO docs(docs, rank) VALUES('hashsize', 134217728);"
           "CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, date INTEGER);"))
    goto done;
  if (sqlite3_prepare_v2(db, "INSERT INTO docs(rowid, body, speaker, entity) VALUES(?1, ?2, ?3, ?4)", -1,
                         &ins_doc, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "INSERT INTO meta(rowid, id, date) VALUES(?1, ?2, ?3)", -1, &ins_meta, NULL) !=
          SQLITE_OK) {
    fprintf(stderr, "sqlite_engine: %s\n", sqlite3_errmsg(db));
    goto done;
  }
  if (exec(db, "BEGIN")) goto done;
  while ((got = jl_next(in, &a)) == 1) {
    if (sb_set(&text, a.title.p, a.title.n) != 0 || sb_names(&speakers, &a.speakers, a.n_speakers) != 0 ||
        sb_names(&entities, &a.entities, a.n_entities) != 0) {
      fprintf(stderr, "sqlite_engine: out of memory\n");
      goto done;
    }
    /* text = title "\n" body */
    if (text.n + 1 + a.body.n + 1 > text.cap) {
      size_t need = text.n + 1 + a.body.n + 1, ncap = text.cap;
      while (ncap < need) ncap *= 2;
      char* p = realloc(text.p, ncap);
      if (!p) {
        fprintf(stderr, "sqlite_engine: out of memory\n");
        goto done;
      }
      text.p = p;
      text.cap = ncap;
    }
    text.p[text.n++] = '\n';
    memcpy(text.p + text.n, a.body.p, a.body.n);
    text.n += a.body.n;

    const sqlite3_int64 rowid = (sqlite3_int64)(docs + 1);
    sqlite3_bind_int64(ins_doc, 1, rowid);
    sqlite3_bind_text(ins_doc, 2, text.p, (int)text.n, SQLITE_STATIC);
    sqlite3_bind_text(ins_doc, 3, speakers.p, (int)speakers.n, SQLITE_STATIC);
    sqlite3_bind_text(ins_doc, 4, entities.p, (int)entities.n, SQLITE_STATIC);
    sqlite3_bind_int64(ins_meta, 1, rowid);
    sqlite3_bind_text(ins_meta, 2, a.id.p, (int)a.id.n, SQLITE_STATIC);
    if (a.date) sqlite3_bind_int(ins_meta, 3, a.date);
    else sqlite3_bind_null(ins_meta, 3); /* undated: matches no range */
    if (sqlite3_step(ins_doc) != SQLITE_DONE || sqlite3_step(ins_meta) != SQLITE_DONE) {
      fprintf(stderr, "sqlite_engine: %s: article %s: %s\n", corpus, a.id.p, sqlite3_errmsg(db));
      goto done;
    }
    sqlite3_reset(ins_doc);
    sqlite3_reset(ins_meta);
    ++docs;
    if (docs % kRowsPerTransaction == 0 && (exec(db, "COMMIT") || exec(db, "BEGIN"))) goto done;
  }
  if (got < 0) goto done;
  if (exec(db, "COMMIT")) goto done;
  /* One merged FTS5 b-tree (like the single segment of dateline and the
   * force-merged Lucene index), then VACUUM to give back the pages of the
   * segments that 'optimize' merged away, so the file size is the index size. */
  if (exec(db,
           "CREATE INDEX meta_date ON meta(date);"
           "INSERT INTO docs(docs) VALUES('optimize');"
           "VACUUM;"))
    goto done;
  rc = 0;

done:
  sqlite3_finalize(ins_doc);
  sqlite3_finalize(ins_meta);
  if (sqlite3_close(db) != SQLITE_OK && rc == 0) {
    fprintf(stderr, "sqlite_engine: close: %s\n", sqlite3_errmsg(db));
    rc = 1;
  }
  free(text.p);
  free(speakers.p);
  free(entities.p);
  jl_article_free(&a);
  const unsigned long long skipped = jl_skipped(in);
  jl_close(in);
  if (rc != 0) return rc;
  printf("indexed %llu docs\n", docs);
  /* Like `dateline index`: malformed records are skipped, and say so. */
  return skipped ? 1 : 0;
}

/* ------------------------------------------------------------------ serve */

enum Shape { MATCH, MATCH_DATE, DATE_ONLY, NOT_MATCH, NOT_MATCH_DATE, kShapes };
enum Kind { COUNT, TOP, kKinds };

/* ?1 = MATCH expression, ?2 / ?3 = date bounds. */
static const char* const kSql[kShapes][kKinds] = {
    [MATCH] = {"SELECT count(*) FROM docs WHERE docs MATCH ?1",
               /* Rank inside FTS5 first, then look up the ten ids. ("ORDER BY rank"
                * was slower than bm25() here on a 1M-article index.) */
               "SELECT m.id FROM (SELECT rowid AS r, bm25(docs) AS s FROM docs WHERE docs MATCH ?1"
               " ORDER BY s, rowid LIMIT 10) AS d JOIN meta AS m ON m.rowid = d.r ORDER BY d.s, d.r"},
    /* CROSS JOIN pins the plan SQLite picks anyway (FTS5 outer loop, meta by
     * rowid), so no date range can flip it to a MATCH per date-index row. */
    [MATCH_DATE] = {"SELECT count(*) FROM docs CROSS JOIN meta ON meta.rowid = docs.rowid"
                    " WHERE docs MATCH ?1 AND meta.date BETWEEN ?2 AND ?3",
                    "SELECT meta.id FROM docs CROSS JOIN meta ON meta.rowid = docs.rowid"
                    " WHERE docs MATCH ?1 AND meta.date BETWEEN ?2 AND ?3"
                    " ORDER BY bm25(docs), docs.rowid LIMIT 10"},
    [DATE_ONLY] = {"SELECT count(*) FROM meta WHERE date BETWEEN ?2 AND ?3",
                   "SELECT id FROM meta WHERE date BETWEEN ?2 AND ?3 ORDER BY rowid LIMIT 10"},
    [NOT_MATCH] = {"SELECT count(*) FROM meta WHERE rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH ?1)",
                   "SELECT id FROM meta WHERE rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH ?1)"
                   " ORDER BY rowid LIMIT 10"},
    [NOT_MATCH_DATE] = {"SELECT count(*) FROM meta WHERE date BETWEEN ?2 AND ?3"
                        " AND rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH ?1)",
                        "SELECT id FROM meta WHERE date BETWEEN ?2 AND ?3"
                        " AND rowid NOT IN (SELECT rowid FROM docs WHERE docs MATCH ?1)"
                        " ORDER BY rowid LIMIT 10"},
};

typedef struct {
  sqlite3* db;
  sqlite3_stmt* stmt[kShapes][kKinds];
  strbuf out;
  char err[512];
} server;

static int out_append(strbuf* b, const char* s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n + 1) cap *= 2;
    char* p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
  return 0;
}

static void out_str(strbuf* b, const char* text) { out_append(b, text, strlen(text)); }

static sqlite3_stmt* statement(server* s, enum Shape shape, enum Kind kind) {
  if (!s->stmt[shape][kind] &&
      sqlite3_prepare_v3(s->db, kSql[shape][kind], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[shape][kind], NULL) !=
          SQLITE_OK) {
    snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
    return NULL;
  }
  return s->stmt[shape][kind];
}

static int bind(sqlite3_stmt* st, const char* match, size_t match_len, enum Shape shape, sqlite3_int64 lo,
                sqlite3_int64 hi) {
  if (shape != DATE_ONLY && sqlite3_bind_text(st, 1, match, (int)match_len, SQLITE_STATIC) != SQLITE_OK) return -1;
  if (shape == MATCH_DATE || shape == DATE_ONLY || shape == NOT_MATCH_DATE) {
    if (sqlite3_bind_int64(st, 2, lo) != SQLITE_OK || sqlite3_bind_int64(st, 3, hi) != SQLITE_OK) return -1;
  }
  return 0;
}

/* Runs one statement; COUNT appends the number, TOP appends tab-separated
 * ids (a leading tab when `tab_first`). Returns 0, or -1 with s->err set. */
static int run(server* s, enum Shape shape, enum Kind kind, const char* match, size_t match_len, sqlite3_int64 lo,
               sqlite3_int64 hi, int tab_first) {
  sqlite3_stmt* st = statement(s, shape, kind);
  if (!st) return -1;
  int rc = 0;
  if (bind(st, match, match_len, shape, lo, hi) != 0) {
    snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
    rc = -1;
  }
  int first = !tab_first;
  while (rc == 0) {
    const int step = sqlite3_step(st);
    if (step == SQLITE_DONE) break;
    if (step != SQLITE_ROW) {
      snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
      rc = -1;
      break;
    }
    if (kind == COUNT) {
      char num[32];
      const int n = snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(st, 0));
      if (out_append(&s->out, num, (size_t)n)) rc = -1;
    } else {
      const char* id = (const char*)sqlite3_column_text(st, 0);
      const size_t n = id ? (size_t)sqlite3_column_bytes(st, 0) : 0;
      if ((!first && out_append(&s->out, "\t", 1)) || out_append(&s->out, id ? id : "", n)) rc = -1;
      first = 0;
    }
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc;
}

static const char* skip_spaces(const char* p) {
  while (*p == ' ') ++p;
  return p;
}

/* Parses an integer followed by a space or the end. */
static int parse_int(const char** p, sqlite3_int64* v) {
  const char* q = *p;
  int neg = 0;
  if (*q == '-') {
    neg = 1;
    ++q;
  }
  if (*q < '0' || *q > '9') return -1;
  sqlite3_int64 x = 0;
  for (; *q >= '0' && *q <= '9'; ++q) {
    if (x > 100000000000LL) return -1;
    x = x * 10 + (*q - '0');
  }
  if (*q != ' ' && *q != '\0') return -1;
  *v = neg ? -x : x;
  *p = q;
  return 0;
}

/* Answers one request line into s->out (without newline). */
static void answer(server* s, const char* line) {
  s->out.n = 0;
  if (s->out.p) s->out.p[0] = '\0';
  const char* tab = strchr(line, '\t');
  if (!tab) {
    out_str(&s->out, "ERROR expected COMMAND<TAB>QUERY");
    return;
  }
  const size_t cmd_len = (size_t)(tab - line);
  int want_count, want_top;
  if (cmd_len == 5 && memcmp(line, "COUNT", 5) == 0) {
    want_count = 1;
    want_top = 0;
  } else if (cmd_len == 5 && memcmp(line, "TOP10", 5) == 0) {
    want_count = 0;
    want_top = 1;
  } else if (cmd_len == 11 && memcmp(line, "TOP10_COUNT", 11) == 0) {
    want_count = want_top = 1;
  } else {
    char msg[160];
    const int n = snprintf(msg, sizeof msg, "ERROR unknown command '%.*s' (COUNT, TOP10, TOP10_COUNT)",
                           (int)(cmd_len > 64 ? 64 : cmd_len), line);
    out_append(&s->out, msg, (size_t)n);
    return;
  }
  const char* q = skip_spaces(tab + 1);
  sqlite3_int64 lo = 0, hi = 0;
  int dated = 0;
  if (strncmp(q, "DATE ", 5) == 0) {
    const char* p = skip_spaces(q + 5);
    if (parse_int(&p, &lo) != 0 || (p = skip_spaces(p), parse_int(&p, &hi) != 0)) {
      out_str(&s->out, "ERROR expected DATE <lo> <hi> with integers YYYYMMDD");
      return;
    }
    dated = 1;
    q = skip_spaces(p);
  }
  size_t qlen = strlen(q);
  while (qlen > 0 && q[qlen - 1] == ' ') --qlen;
  enum Shape shape;
  if (qlen == 0) {
    if (!dated) {
      out_str(&s->out, "ERROR empty query");
      return;
    }
    shape = DATE_ONLY;
  } else if (qlen > 4 && strncmp(q, "NOT ", 4) == 0) {
    q = skip_spaces(q + 4);
    qlen = strlen(q);
    while (qlen > 0 && q[qlen - 1] == ' ') --qlen;
    shape = dated ? NOT_MATCH_DATE : NOT_MATCH;
  } else {
    shape = dated ? MATCH_DATE : MATCH;
  }
  const size_t mark = s->out.n;
  if ((want_count && run(s, shape, COUNT, q, qlen, lo, hi, 0) != 0) ||
      (want_top && run(s, shape, TOP, q, qlen, lo, hi, want_count) != 0)) {
    s->out.n = mark;
    out_str(&s->out, "ERROR ");
    out_append(&s->out, s->err, strlen(s->err));
  }
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int run_serve(const char* dir, int timing) {
  char* path = db_path(dir);
  server s;
  memset(&s, 0, sizeof s);
  if (access(path, R_OK) != 0) {
    fprintf(stderr, "sqlite_engine: cannot open %s: %s\n", path, strerror(errno));
    free(path);
    return 1;
  }
  if (sqlite3_open_v2(path, &s.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    fprintf(stderr, "sqlite_engine: cannot open %s: %s\n", path, sqlite3_errmsg(s.db));
    sqlite3_close(s.db);
    free(path);
    return 1;
  }
  free(path);
  /* A 64 MB page cache and memory-mapped reads (SQLite caps the map at its
   * compile-time maximum). */
  if (exec(s.db, "PRAGMA cache_size=-65536; PRAGMA mmap_size=68719476736;")) return 1;
  /* Prepare every statement shape and run one query of each kind. */
  for (int sh = 0; sh < kShapes; ++sh)
    for (int k = 0; k < kKinds; ++k)
      if (!statement(&s, (enum Shape)sh, (enum Kind)k)) {
        fprintf(stderr, "sqlite_engine: %s is not an index made by 'sqlite_engine index': %s\n", dir, s.err);
        return 1;
      }
  answer(&s, "TOP10_COUNT\tthe");
  answer(&s, "TOP10_COUNT\tDATE 0 99999999 the");

  char* line = NULL;
  size_t cap = 0;
  for (ssize_t n; (n = getline(&line, &cap, stdin)) != -1;) {
    const long long t0 = now_ns();
    size_t len = (size_t)n;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) --len;
    line[len] = '\0';
    const char* reply = NULL; /* a constant reply, else the answer in s.out */
    if (len == 0) {
      reply = "ERROR empty request"; /* one reply per line, like `dateline search --batch` */
    } else if (memchr(line, '\0', len)) {
      reply = "ERROR NUL byte in request";
    } else {
      answer(&s, line);
      for (size_t i = 0; i < s.out.n; ++i)
        if (s.out.p[i] == '\n' || s.out.p[i] == '\r') s.out.p[i] = ' ';
    }
    if (timing) printf("%lld\t", now_ns() - t0);
    if (reply) fputs(reply, stdout);
    else if (s.out.n) fwrite(s.out.p, 1, s.out.n, stdout);
    fputc('\n', stdout);
    fflush(stdout);
  }
  free(line);
  for (int sh = 0; sh < kShapes; ++sh)
    for (int k = 0; k < kKinds; ++k) sqlite3_finalize(s.stmt[sh][k]);
  sqlite3_close(s.db);
  free(s.out.p);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 4 && strcmp(argv[1], "index") == 0) return run_index(argv[2], argv[3]);
  if (argc == 3 && strcmp(argv[1], "serve") == 0) return run_serve(argv[2], 0);
  if (argc == 4 && strcmp(argv[1], "serve") == 0 && strcmp(argv[3], "--timing") == 0) return run_serve(argv[2], 1);
  return usage();
}
