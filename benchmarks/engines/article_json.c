/* A small JSON reader for one article per line; see article_json.h.
 * Written for the benchmark peers: no allocation per record once the buffers
 * have grown, no dependency beyond libc. */
#define _POSIX_C_SOURCE 200809L

#include "article_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef struct {
  const char* s;
  const char* end;
  const char* err;
} cursor;

#define MAX_DEPTH 64

static int buf_reserve(jl_buf* b, size_t extra) {
  if (b->n + extra + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->n + extra + 1) cap *= 2;
  char* p = (char*)realloc(b->p, cap);
  if (!p) return -1;
  b->p = p;
  b->cap = cap;
  return 0;
}

static void buf_clear(jl_buf* b) {
  b->n = 0;
  if (b->p) b->p[0] = '\0';
}

static int buf_put(jl_buf* b, const char* s, size_t n) {
  if (buf_reserve(b, n)) return -1;
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
  return 0;
}

static void skip_ws(cursor* c) {
  while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\r' || *c->s == '\n')) ++c->s;
}

static int fail(cursor* c, const char* msg) {
  if (!c->err) c->err = msg;
  return -1;
}

static int hex4(cursor* c, unsigned* out) {
  if (c->end - c->s < 4) return fail(c, "truncated \\u escape");
  unsigned v = 0;
  for (int i = 0; i < 4; ++i) {
    const char ch = c->s[i];
    v <<= 4;
    if (ch >= '0' && ch <= '9') v |= (unsigned)(ch - '0');
    else if (ch >= 'a' && ch <= 'f') v |= (unsigned)(ch - 'a' + 10);
    else if (ch >= 'A' && ch <= 'F') v |= (unsigned)(ch - 'A' + 10);
    else return fail(c, "bad \\u escape");
  }
  c->s += 4;
  *out = v;
  return 0;
}

static int put_utf8(jl_buf* b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  return buf_put(b, u, n);
}

/* Reads a string at c->s (which must be '"'), appending its decoded bytes to
 * `out` (NULL: just skip it). NUL characters become spaces. */
static int read_string(cursor* c, jl_buf* out) {
  if (c->s >= c->end || *c->s != '"') return fail(c, "expected a string");
  ++c->s;
  for (;;) {
    const char* run = c->s;
    while (c->s < c->end && *c->s != '"' && *c->s != '\\') ++c->s;
    if (out && c->s > run && buf_put(out, run, (size_t)(c->s - run))) return fail(c, "out of memory");
    if (c->s >= c->end) return fail(c, "unterminated string");
    if (*c->s == '"') {
      ++c->s;
      return 0;
    }
    ++c->s; /* backslash */
    if (c->s >= c->end) return fail(c, "unterminated string");
    const char e = *c->s++;
    char ch;
    switch (e) {
      case '"': ch = '"'; break;
      case '\\': ch = '\\'; break;
      case '/': ch = '/'; break;
      case 'b': ch = '\b'; break;
      case 'f': ch = '\f'; break;
      case 'n': ch = '\n'; break;
      case 'r': ch = '\r'; break;
      case 't': ch = '\t'; break;
      case 'u': {
        unsigned cp;
        if (hex4(c, &cp)) return -1;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          unsigned lo;
          if (c->end - c->s >= 6 && c->s[0] == '\\' && c->s[1] == 'u') {
            c->s += 2;
            if (hex4(c, &lo)) return -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            else {
              /* Lone high surrogate followed by another escape: keep both. */
              const unsigned next = lo == 0 ? ' ' : (lo >= 0xD800 && lo <= 0xDFFF) ? 0xFFFD : lo;
              if (out && (put_utf8(out, 0xFFFD) || put_utf8(out, next))) return fail(c, "out of memory");
              continue;
            }
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        } else if (cp == 0) {
          cp = ' ';
        }
        if (out && put_utf8(out, cp)) return fail(c, "out of memory");
        continue;
      }
      default: return fail(c, "bad escape in string");
    }
    if (out && buf_put(out, &ch, 1)) return fail(c, "out of memory");
  }
}

static int skip_value(cursor* c, int depth);

static int skip_literal(cursor* c, const char* lit) {
  const size_t n = strlen(lit);
  if ((size_t)(c->end - c->s) < n || memcmp(c->s, lit, n) != 0) return fail(c, "bad literal");
  c->s += n;
  return 0;
}

/* Numbers are skipped loosely: a run of number characters. */
static int skip_number(cursor* c) {
  const char* start = c->s;
  while (c->s < c->end && (strchr("+-.eE", *c->s) || (*c->s >= '0' && *c->s <= '9'))) ++c->s;
  return c->s > start ? 0 : fail(c, "unexpected character");
}

static int skip_container(cursor* c, char close, int depth) {
  ++c->s;
  skip_ws(c);
  if (c->s < c->end && *c->s == close) {
    ++c->s;
    return 0;
  }
  for (;;) {
    skip_ws(c);
    if (close == '}') {
      if (read_string(c, NULL)) return -1;
      skip_ws(c);
      if (c->s >= c->end || *c->s != ':') return fail(c, "expected ':'");
      ++c->s;
    }
    if (skip_value(c, depth + 1)) return -1;
    skip_ws(c);
    if (c->s < c->end && *c->s == ',') {
      ++c->s;
      continue;
    }
    if (c->s < c->end && *c->s == close) {
      ++c->s;
      return 0;
    }
    return fail(c, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
  }
}

static int skip_value(cursor* c, int depth) {
  if (depth > MAX_DEPTH) return fail(c, "nested too deeply");
  skip_ws(c);
  if (c->s >= c->end) return fail(c, "unexpected end of line");
  switch (*c->s) {
    case '"': return read_string(c, NULL);
    case '{': return skip_container(c, '}', depth);
    case '[': return skip_container(c, ']', depth);
    case 't': return skip_literal(c, "true");
    case 'f': return skip_literal(c, "false");
    case 'n': return skip_literal(c, "null");
    default: return skip_number(c);
  }
}


static int is_null(cursor* c) {
  if (c->end - c->s >= 4 && memcmp(c->s, "null", 4) == 0) {
    c->s += 4;
    return 1;
  }
  return 0;
}

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f'; }

/* Trims ASCII white space from the bytes of `b` after offset `from`. */
static void trim_from(jl_buf* b, size_t from) {
  size_t s = from, e = b->n;
  while (s < e && is_space(b->p[s])) ++s;
  while (e > s && is_space(b->p[e - 1])) --e;
  if (s > from) memmove(b->p + from, b->p + s, e - s);
  b->n = from + (e - s);
  if (b->p) b->p[b->n] = '\0';
}

/* A string or null into `out` (cleared first); *present tells which. */
static int read_text(cursor* c, jl_buf* out, int* present, const char* what) {
  buf_clear(out);
  *present = 0;
  if (is_null(c)) return 0;
  if (c->s >= c->end || *c->s != '"') return fail(c, what);
  *present = 1;
  return read_string(c, out);
}

/* An id: a string, null, or an integer (kept as written). */
static int read_id(cursor* c, jl_buf* out) {
  int present;
  if (c->s < c->end && (*c->s == '-' || (*c->s >= '0' && *c->s <= '9'))) {
    const char* start = c->s;
    if (*c->s == '-') ++c->s;
    while (c->s < c->end && *c->s >= '0' && *c->s <= '9') ++c->s;
    if (c->s < c->end && (*c->s == '.' || *c->s == 'e' || *c->s == 'E'))
      return fail(c, "\"id\" must be a string or an integer");
    buf_clear(out);
    return buf_put(out, start, (size_t)(c->s - start)) ? fail(c, "out of memory") : 0;
  }
  return read_text(c, out, &present, "\"id\" must be a string or an integer");
}

/* Appends one name (trimmed; dropped when empty) read by `read`. */
static int end_name(jl_buf* out, size_t start, size_t* count, cursor* c) {
  trim_from(out, start);
  if (out->n == start) return 0;
  if (buf_put(out, "", 1)) return fail(c, "out of memory"); /* the separator NUL */
  ++*count;
  return 0;
}

/* {"name": str, "type": ...}: appends the name. */
static int read_entity_object(cursor* c, jl_buf* out, size_t* count, jl_buf* key) {
  const size_t start = out->n;
  int has_name = 0;
  ++c->s;
  skip_ws(c);
  if (c->s < c->end && *c->s == '}') {
    ++c->s;
    return fail(c, "\"entities\": an object has no \"name\"");
  }
  for (;;) {
    skip_ws(c);
    buf_clear(key);
    if (read_string(c, key)) return -1;
    skip_ws(c);
    if (c->s >= c->end || *c->s != ':') return fail(c, "expected ':'");
    ++c->s;
    skip_ws(c);
    if (key->p && strcmp(key->p, "name") == 0) {
      if (c->s >= c->end || *c->s != '"') return fail(c, "\"entities\": a \"name\" must be a string");
      out->n = start;
      if (read_string(c, out)) return -1;
      has_name = 1;
    } else if (skip_value(c, 2)) {
      return -1;
    }
    skip_ws(c);
    if (c->s < c->end && *c->s == ',') {
      ++c->s;
      continue;
    }
    if (c->s < c->end && *c->s == '}') {
      ++c->s;
      break;
    }
    return fail(c, "expected ',' or '}'");
  }
  if (!has_name) return fail(c, "\"entities\": an object has no \"name\"");
  return end_name(out, start, count, c);
}

/* An array of names (or null) into NUL-separated names. */
static int read_names(cursor* c, jl_buf* out, size_t* count, int objects_ok, jl_buf* key, const char* what) {
  buf_clear(out);
  *count = 0;
  if (is_null(c)) return 0;
  if (c->s >= c->end || *c->s != '[') return fail(c, what);
  ++c->s;
  skip_ws(c);
  if (c->s < c->end && *c->s == ']') {
    ++c->s;
    return 0;
  }
  for (;;) {
    skip_ws(c);
    if (c->s < c->end && *c->s == '"') {
      const size_t start = out->n;
      if (read_string(c, out) || end_name(out, start, count, c)) return -1;
    } else if (objects_ok && c->s < c->end && *c->s == '{') {
      if (read_entity_object(c, out, count, key)) return -1;
    } else {
      return fail(c, what);
    }
    skip_ws(c);
    if (c->s < c->end && *c->s == ',') {
      ++c->s;
      continue;
    }
    if (c->s < c->end && *c->s == ']') {
      ++c->s;
      return 0;
    }
    return fail(c, "expected ',' or ']' in a name list");
  }
}

static int digits(const char* s, int n) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* "YYYY-MM-DD", optionally followed by 'T' or ' ' and a time: YYYYMMDD, or
 * -1 (not a valid calendar day). `b` is already trimmed. */
static int parse_date(const jl_buf* b) {
  if (b->n < 10 || b->p[4] != '-' || b->p[7] != '-') return -1;
  if (b->n > 10 && b->p[10] != 'T' && b->p[10] != ' ') return -1;
  const int y = digits(b->p, 4), m = digits(b->p + 5, 2), d = digits(b->p + 8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1) return -1;
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap)) return -1;
  return y * 10000 + m * 100 + d;
}

typedef struct {
  jl_buf key, date;
  int bad_date; /* a date was given but is not valid */
} scratch;

/* Parses one (trimmed, non-blank) line into `a`. 0, or -1 with *err set. */
static int parse_record(const char* s, size_t n, jl_article* a, scratch* t, const char** err) {
  cursor c = {s, s + n, NULL};
  int have_date = 0, have_title = 0, have_body = 0;
  buf_clear(&a->id);
  buf_clear(&a->title);
  buf_clear(&a->body);
  buf_clear(&a->speakers);
  buf_clear(&a->entities);
  buf_clear(&t->date);
  a->n_speakers = a->n_entities = 0;
  a->date = 0;
  t->bad_date = 0;

  skip_ws(&c);
  if (c.s >= c.end || *c.s != '{') {
    *err = "record is not a JSON object";
    return -1;
  }
  ++c.s;
  skip_ws(&c);
  if (c.s < c.end && *c.s == '}') {
    ++c.s;
  } else {
    for (;;) {
      skip_ws(&c);
      buf_clear(&t->key);
      if (read_string(&c, &t->key)) break;
      skip_ws(&c);
      if (c.s >= c.end || *c.s != ':') {
        fail(&c, "expected ':'");
        break;
      }
      ++c.s;
      skip_ws(&c);
      int rc = 0, present = 0;
      const char* k = t->key.p ? t->key.p : "";
      if (strcmp(k, "id") == 0) {
        rc = read_id(&c, &a->id);
      } else if (strcmp(k, "date") == 0) {
        rc = read_text(&c, &t->date, &present, "\"date\" must be a string");
        have_date = present;
      } else if (strcmp(k, "title") == 0) {
        rc = read_text(&c, &a->title, &present, "\"title\" must be a string");
        have_title = present;
      } else if (strcmp(k, "body") == 0) {
        rc = read_text(&c, &a->body, &present, "\"body\" must be a string");
        have_body = present;
      } else if (strcmp(k, "speakers") == 0) {
        rc = read_names(&c, &a->speakers, &a->n_speakers, 0, &t->key, "\"speakers\" must be an array of strings");
      } else if (strcmp(k, "entities") == 0) {
        rc = read_names(&c, &a->entities, &a->n_entities, 1, &t->key,
                        "\"entities\" must be an array of names or {\"name\", \"type\"} objects");
      } else {
        rc = skip_value(&c, 1);
      }
      if (rc) break;
      skip_ws(&c);
      if (c.s < c.end && *c.s == ',') {
        ++c.s;
        continue;
      }
      if (c.s < c.end && *c.s == '}') {
        ++c.s;
        break;
      }
      fail(&c, "expected ',' or '}'");
      break;
    }
  }
  if (!c.err) {
    skip_ws(&c);
    if (c.s != c.end) fail(&c, "trailing characters after the object");
  }
  if (!c.err && !have_title && !have_body) fail(&c, "record has neither \"title\" nor \"body\"");
  if (c.err) {
    *err = c.err;
    return -1;
  }
  trim_from(&a->id, 0);
  trim_from(&t->date, 0);
  if (have_date && t->date.n > 0) {
    const int d = parse_date(&t->date);
    if (d > 0) a->date = d;
    else t->bad_date = 1;
  }
  return 0;
}

void jl_article_init(jl_article* a) { memset(a, 0, sizeof *a); }

void jl_article_free(jl_article* a) {
  free(a->id.p);
  free(a->title.p);
  free(a->body.p);
  free(a->speakers.p);
  free(a->entities.p);
  jl_article_init(a);
}

struct jl_reader {
  FILE* f;
  char* path;
  const char* name; /* file name without folders, for default ids */
  const char* prog;
  char* line;
  size_t cap;
  unsigned long long line_no, record, skipped;
  scratch t;
  char iobuf[1 << 20];
};

jl_reader* jl_open(const char* path, const char* prog) {
  jl_reader* r = (jl_reader*)calloc(1, sizeof *r);
  if (!r) {
    fprintf(stderr, "%s: out of memory\n", prog);
    return NULL;
  }
  r->f = fopen(path, "rb");
  if (!r->f) {
    fprintf(stderr, "%s: cannot open %s: %s\n", prog, path, strerror(errno));
    free(r);
    return NULL;
  }
  setvbuf(r->f, r->iobuf, _IOFBF, sizeof r->iobuf);
  r->path = strdup(path);
  const char* slash = strrchr(r->path, '/');
  r->name = slash ? slash + 1 : r->path;
  r->prog = prog;
  return r;
}

int jl_next(jl_reader* r, jl_article* a) {
  for (;;) {
    const ssize_t got = getline(&r->line, &r->cap, r->f);
    if (got < 0) {
      if (ferror(r->f)) {
        fprintf(stderr, "%s: read error on %s\n", r->prog, r->path);
        return -1;
      }
      return 0;
    }
    ++r->line_no;
    const char* s = r->line;
    size_t n = (size_t)got;
    if (r->line_no == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
      s += 3;
      n -= 3;
    }
    while (n > 0 && is_space(*s)) ++s, --n;
    while (n > 0 && is_space(s[n - 1])) --n;
    if (n == 0) continue;
    ++r->record;
    const char* err = NULL;
    if (parse_record(s, n, a, &r->t, &err) != 0) {
      fprintf(stderr, "%s: %s:%llu: %s; skipped\n", r->prog, r->path, r->line_no, err);
      ++r->skipped;
      continue;
    }
    if (r->t.bad_date)
      fprintf(stderr, "%s: %s:%llu: invalid date \"%s\" (expected YYYY-MM-DD); article kept undated\n", r->prog,
              r->path, r->line_no, r->t.date.p);
    if (a->id.n == 0) {
      char num[32];
      const int k = snprintf(num, sizeof num, "#%llu", r->record);
      buf_clear(&a->id);
      if (buf_put(&a->id, r->name, strlen(r->name)) || buf_put(&a->id, num, (size_t)k)) {
        fprintf(stderr, "%s: out of memory\n", r->prog);
        return -1;
      }
    }
    /* Every buffer a valid (possibly empty) C string. */
    jl_buf* all[] = {&a->id, &a->title, &a->body, &a->speakers, &a->entities};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i)
      if (!all[i]->p && buf_put(all[i], "", 0)) {
        fprintf(stderr, "%s: out of memory\n", r->prog);
        return -1;
      }
    return 1;
  }
}

unsigned long long jl_skipped(const jl_reader* r) { return r->skipped; }

void jl_close(jl_reader* r) {
  if (!r) return;
  fclose(r->f);
  free(r->line);
  free(r->path);
  free(r->t.key.p);
  free(r->t.date.p);
  free(r);
}
