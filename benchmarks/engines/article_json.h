/* Reading a JSON Lines corpus the way the benchmark's peer engines index it.
 *
 * Shared by the Xapian and SQLite engines (the Lucene engine has a Java twin
 * in lucene/LuceneEngine.java). One article per line:
 *
 *   {"id": str, "date": "YYYY-MM-DD", "title": str, "body": str,
 *    "speakers": [str], "entities": [str or {"name": str, ...}], ...}
 *
 * The rules follow `dateline index` so that every engine sees the same
 * articles with the same ids and dates:
 *  - blank lines are skipped and are not records; a UTF-8 BOM is ignored;
 *  - a missing, null or blank "id" becomes "<file name>#<record number>"
 *    (1-based, counting non-blank lines); an integer id is taken as text;
 *  - a missing, null or invalid "date" leaves the article undated (date 0:
 *    it matches no date range); an invalid one is warned about on stderr; a
 *    time after the day ("2024-01-23T10:00:00Z") is ignored;
 *  - names are trimmed and empty names dropped; an entity object gives its
 *    "name"; any other member is skipped;
 *  - a record that is not an object, has a wrongly typed field, or has
 *    neither "title" nor "body" is reported as FILE:LINE: what, and skipped.
 */
#ifndef DATELINE_BENCH_ARTICLE_JSON_H
#define DATELINE_BENCH_ARTICLE_JSON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  char* p;    /* bytes, NUL-terminated (never NULL after a successful read) */
  size_t n;   /* length without the terminating NUL */
  size_t cap;
} jl_buf;

typedef struct {
  jl_buf id, title, body;
  /* Names, each followed by one '\0' (a "\u0000" inside a text becomes a
   * space); n_speakers / n_entities say how many. */
  jl_buf speakers, entities;
  size_t n_speakers, n_entities;
  int date; /* YYYYMMDD, 0 when undated */
} jl_article;

typedef struct jl_reader jl_reader;

/* Opens a corpus; `prog` prefixes messages. NULL (after a message on stderr)
 * when the file cannot be opened. */
jl_reader* jl_open(const char* path, const char* prog);

/* Reads the next article into `a`: 1 when one was read, 0 at the end, -1 on
 * a read error (reported). Malformed records are reported and skipped. */
int jl_next(jl_reader* r, jl_article* a);

/* Number of malformed records skipped so far. */
unsigned long long jl_skipped(const jl_reader* r);

void jl_close(jl_reader* r);

void jl_article_init(jl_article* a);
void jl_article_free(jl_article* a);

#ifdef __cplusplus
}
#endif

#endif
