#!/usr/bin/env python3
"""Benchmark driver: dateline beside Xapian, Lucene and SQLite FTS5, in one run.

For one corpus it
  1. writes the corpus as JSON Lines (fields extracted once, by dateline, so
     every engine indexes the same title, body, date, speakers and entities),
  2. indexes it with every engine (wall time, docs/s, MB/s, peak RSS, size),
  3. starts every engine's batch server (the search-benchmark-game protocol:
     COUNT / TOP10 requests, one reply line each; with --timing, which the
     driver turns on, each reply is prefixed by the nanoseconds the engine
     spent on the request inside its process), warms them up,
  4. runs every query of every class (benchmarks/queries/*.txt) as COUNT and
     as TOP10, single-threaded, for --reps repetitions, interleaving engines in
     a rotating order so machine drift hits all of them alike, recording each
     request's round trip and its in-process time,
  5. checks that all engines agree on COUNT and explains each disagreement by
     re-counting the query's leaves (words, phrases) in both engines,
  6. writes results.json, report.md, latency.svg (round trip) and
     latency-inprocess.svg into --out.

Only the Python standard library is used. See benchmarks/README.md.
"""

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENGINES = ["dateline", "xapian", "lucene", "sqlite"]
MODES = ["COUNT", "TOP10"]


# ---------------------------------------------------------------------------
# Query language subset shared by the benchmark query files.
#
#   expr   := and ('OR' and)*
#   and    := unary ('AND' unary)*
#   unary  := 'NOT' unary | '(' expr ')' | field | date | phrase | word
#   field  := ('speaker'|'entity') ':' (word | phrase)
#   date   := 'date:' (YYYY | YYYY-MM | YYYY-MM-DD) ['..' same]
# The AST is translated to each engine's native syntax below.
# ---------------------------------------------------------------------------

TOKEN_RE = re.compile(r'\s*(\(|\)|"[^"]*"|[^\s()"]+(?:"[^"]*")?)')


def tokenize(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise ValueError("cannot tokenize %r at %d" % (text, pos))
        out.append(m.group(1))
        pos = m.end()
    return out


def parse_date_bound(s, upper):
    parts = s.split("-")
    y = int(parts[0])
    m = int(parts[1]) if len(parts) > 1 else (12 if upper else 1)
    if len(parts) > 2:
        d = int(parts[2])
    elif upper:
        d = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30,
             31, 30, 31][m - 1]
    else:
        d = 1
    return y * 10000 + m * 100 + d


def parse_query(text):
    toks = tokenize(text)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take():
        pos[0] += 1
        return toks[pos[0] - 1]

    def expr():
        node = [and_()]
        while peek() == "OR":
            take()
            node.append(and_())
        return node[0] if len(node) == 1 else ("or", node)

    def and_():
        node = [unary()]
        while peek() == "AND":
            take()
            node.append(unary())
        return node[0] if len(node) == 1 else ("and", node)

    def unary():
        t = take()
        if t == "NOT":
            return ("not", unary())
        if t == "(":
            e = expr()
            if take() != ")":
                raise ValueError("expected ) in %r" % text)
            return e
        if t.startswith('"'):
            return ("phrase", t.strip('"').lower().split())
        if ":" in t:
            field, value = t.split(":", 1)
            if field == "date":
                lo, _, hi = value.partition("..")
                hi = hi if ".." in value else lo
                return ("date", parse_date_bound(lo, False), parse_date_bound(hi, True))
            words = value.strip('"').lower().split()
            return ("field", field, words)
        return ("word", t.lower())

    node = expr()
    if peek() is not None:
        raise ValueError("trailing tokens in %r" % text)
    return node


def normalise_and(node):
    """AND children as (positives, negatives, dates)."""
    kids = node[1] if node[0] == "and" else [node]
    pos = [k for k in kids if k[0] not in ("not", "date")]
    neg = [k[1] for k in kids if k[0] == "not"]
    dates = [k for k in kids if k[0] == "date"]
    return pos, neg, dates


def phrase_text(words):
    return '"' + " ".join(words) + '"'


def to_xapian(n):
    k = n[0]
    if k == "word":
        return n[1]
    if k == "phrase":
        return phrase_text(n[1])
    if k == "field":
        return "%s:%s" % (n[1], phrase_text(n[2]) if len(n[2]) > 1 else n[2][0])
    if k == "date":
        return "date:%d..%d" % (n[1], n[2])
    if k == "not":
        return "NOT " + to_xapian(n[1])
    if k == "and":
        pos, neg, dates = normalise_and(n)
        if not pos and not dates:  # purely negative: FLAG_PURE_NOT keeps undated articles
            return "(" + " AND ".join("NOT " + to_xapian(c) for c in neg) + ")"
        s = " AND ".join(to_xapian(c) for c in pos + dates)
        for c in neg:
            s += " AND NOT " + to_xapian(c)
        return "(" + s + ")"
    if k == "or":
        return "(" + " OR ".join(to_xapian(c) for c in n[1]) + ")"
    raise ValueError(k)


def to_lucene(n):
    k = n[0]
    if k == "word":
        return n[1]
    if k == "phrase":
        return phrase_text(n[1])
    if k == "field":
        return "%s:%s" % (n[1], phrase_text(n[2]) if len(n[2]) > 1 else n[2][0])
    if k == "date":
        return "date:[%d TO %d]" % (n[1], n[2])
    if k == "not":
        return "(*:* -" + to_lucene(n[1]) + ")"
    if k == "and":
        pos, neg, dates = normalise_and(n)
        parts = ["+" + to_lucene(c) for c in pos + dates] or ["+*:*"]
        parts += ["-" + to_lucene(c) for c in neg]
        return "(" + " ".join(parts) + ")"
    if k == "or":
        return "(" + " OR ".join(to_lucene(c) for c in n[1]) + ")"
    raise ValueError(k)


def fts5_expr(n):
    k = n[0]
    if k == "word":
        return '"' + n[1] + '"'
    if k == "phrase":
        return phrase_text(n[1])
    if k == "field":
        return "%s : %s" % (n[1], phrase_text(n[2]))
    if k == "and":
        pos, neg, dates = normalise_and(n)
        if dates or not pos:
            raise ValueError("FTS5: date or pure NOT inside an expression")
        s = " AND ".join(fts5_expr(c) for c in pos)
        for c in neg:
            s = "(" + s + ") NOT " + fts5_expr(c)
        return "(" + s + ")"
    if k == "or":
        return "(" + " OR ".join(fts5_expr(c) for c in n[1]) + ")"
    raise ValueError("FTS5 cannot express %s here" % k)


def to_sqlite(n):
    """'[DATE lo hi ]<match>': a top-level date range becomes a SQL filter."""
    if n[0] == "date":
        return "DATE %d %d" % (n[1], n[2])
    if n[0] == "and":
        pos, neg, dates = normalise_and(n)
        if len(dates) == 1:
            rest = ("and", pos + [("not", x) for x in neg]) if len(pos) + len(neg) > 1 else (pos or [None])[0]
            if rest is None:
                return "DATE %d %d" % (dates[0][1], dates[0][2])
            return "DATE %d %d %s" % (dates[0][1], dates[0][2], fts5_expr(rest))
    return fts5_expr(n)


def leaves(n):
    k = n[0]
    if k in ("word", "phrase", "field", "date"):
        return [n]
    if k == "not":
        return leaves(n[1])
    out = []
    for c in n[1]:
        out += leaves(c)
    return out


def to_dateline(n):
    k = n[0]
    if k == "word":
        return n[1]
    if k == "phrase":
        return phrase_text(n[1])
    if k == "field":
        return "%s:%s" % (n[1], phrase_text(n[2]))
    if k == "date":
        def iso(v):
            return "%04d-%02d-%02d" % (v // 10000, v // 100 % 100, v % 100)
        return "date:%s..%s" % (iso(n[1]), iso(n[2]))
    if k == "not":
        return "NOT " + to_dateline(n[1])
    if k == "and":
        return "(" + " AND ".join(to_dateline(c) for c in n[1]) + ")"
    if k == "or":
        return "(" + " OR ".join(to_dateline(c) for c in n[1]) + ")"
    raise ValueError(k)


TRANSLATE = {"dateline": lambda text, ast: text, "xapian": lambda text, ast: to_xapian(ast),
             "lucene": lambda text, ast: to_lucene(ast), "sqlite": lambda text, ast: to_sqlite(ast)}


# ---------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------

class Engine:
    """One engine's indexer and batch server. `kind` is which engine it is
    (dateline, xapian, lucene, sqlite); `name` labels it in the report
    (dateline-base is dateline built from another tree, see --baseline)."""

    def __init__(self, name, build, kind=None, timing=True):
        self.name = name
        self.kind = kind or name
        self.build = build
        self.proc = None
        # --timing: every reply is "NANOSECONDS<TAB>reply", the time the engine spent on the request
        # inside its process. Off for a dateline build that predates the flag (a --baseline).
        self.timing = timing and self.supports_timing()
        self.last_ns = None  # the in-process time of the last request, with timing

    def index_cmd(self, index_dir, corpus):
        b = self.build
        if self.kind == "dateline":
            return [os.path.join(b, "dateline"), "index", "--quiet", "--overwrite", "--stemmer", "none",
                    "--index", index_dir, corpus]
        if self.kind == "xapian":
            return [os.path.join(b, "benchmarks/engines/xapian_engine"), "index", index_dir, corpus]
        if self.kind == "sqlite":
            return [os.path.join(b, "benchmarks/engines/sqlite_engine"), "index", index_dir, corpus]
        if self.kind == "lucene":
            return [os.path.join(b, "benchmarks/lucene/lucene_engine"), "index", index_dir, corpus]
        raise ValueError(self.kind)

    def cannot_open(self, index_dir):
        """Why this engine's build cannot search index_dir (a dateline index of another format,
        after a format change), or None; other engines are not checked."""
        if self.kind != "dateline":
            return None
        r = subprocess.run([os.path.join(self.build, "dateline"), "search", "--index", index_dir, "--batch", "-"],
                           input="COUNT\tdateline\n", capture_output=True, text=True)
        return r.stderr.strip().splitlines()[-1] if r.returncode != 0 and r.stderr.strip() else (
            "exit code %d" % r.returncode if r.returncode != 0 else None)

    def index_cmds(self, index_dir, corpus):
        """The indexing commands, run one after the other. dateline's index is merged to one segment
        afterwards (`optimize`), as Lucene's engine force-merges its index: both answer from one segment,
        and the merge counts as indexing time."""
        cmds = [self.index_cmd(index_dir, corpus)]
        if self.kind == "dateline":
            cmds.append([os.path.join(self.build, "dateline"), "optimize", "--index", index_dir,
                         "--max-segments", "1"])
        return cmds

    def serve_cmd(self, index_dir):
        cmd = self.index_cmd(index_dir, "")
        if self.kind == "dateline":
            cmd = [cmd[0], "search", "--index", index_dir, "--batch", "-"]
        else:
            cmd = [cmd[0], "serve", index_dir]
        return cmd + (["--timing"] if self.timing else [])

    def available(self):
        return os.access(self.index_cmd("x", "y")[0], os.X_OK)

    def supports_timing(self):
        """The peers are built from this tree; a dateline build (--baseline) may be older than --timing."""
        if self.kind != "dateline":
            return True
        if not self.available():
            return False
        r = subprocess.run([self.index_cmd("x", "y")[0], "search", "--help"], capture_output=True, text=True)
        return "--timing" in r.stdout

    def start(self, index_dir):
        self.proc = subprocess.Popen(self.serve_cmd(index_dir), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def ask(self, mode, query):
        self.proc.stdin.write(mode + "\t" + query + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("%s server died" % self.name)
        line = line.rstrip("\n")
        if self.timing:
            ns, tab, line = line.partition("\t")
            if not tab or not ns.isdigit():
                raise RuntimeError("%s: expected NANOSECONDS<TAB>reply, got %r" % (self.name, ns + tab + line))
            self.last_ns = int(ns)
        return line

    def stop(self):
        if self.proc:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
            self.proc = None


def dir_size(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            fp = os.path.join(dirpath, f)
            if os.path.isfile(fp) and not os.path.islink(fp):
                total += os.path.getsize(fp)
    return total


def peak_rss_of(cmd):
    """Peak RSS of one child, via wait4 (RUSAGE_CHILDREN is a maximum over all children)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), p.returncode, err[-2000:]))
    return secs, ru.ru_maxrss * 1024


# ---------------------------------------------------------------------------
# Corpus preparation and query templates
# ---------------------------------------------------------------------------

def prepare_corpus(args, build, out_dir):
    """Writes corpus.jsonl (every engine's input); returns (path, docs, bytes, stats)."""
    dl = os.path.join(build, "dateline")
    path = os.path.join(out_dir, "corpus.jsonl")
    if args.synthetic:
        tmp = path + ".gen"
        cmd = [dl, "gen-corpus", "--docs", str(args.synthetic), "--seed", str(args.seed), "--output", tmp]
        if args.train:
            cmd += ["--train"] + args.train
        subprocess.run(cmd, check=True, cwd=ROOT)
        src = open(tmp, encoding="utf-8")
    else:
        tmp = None
        p = subprocess.Popen([dl, "extract", "--body"] + args.inputs, stdout=subprocess.PIPE, text=True,
                             stderr=subprocess.DEVNULL)
        src = p.stdout
    speakers, entities, dates = {}, {}, []
    docs = 0
    with open(path, "w", encoding="utf-8") as out:
        for line in src:
            a = json.loads(line)
            rec = {"id": a["id"], "title": a.get("title", ""), "body": a.get("body", ""),
                   "speakers": a.get("speakers", []), "entities": a.get("entities", [])}
            if a.get("date"):
                rec["date"] = a["date"]
                dates.append(a["date"])
            for s in rec["speakers"]:
                speakers[s] = speakers.get(s, 0) + 1
            for e in rec["entities"]:
                name = e["name"] if isinstance(e, dict) else e
                entities[name] = entities.get(name, 0) + 1
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            docs += 1
    src.close()
    if tmp:
        os.unlink(tmp)
    return path, docs, os.path.getsize(path), {"speakers": speakers, "entities": entities, "dates": dates}


def read_stamp(path, source):
    """The JSON record at path if it was written for the same corpus source, else None."""
    try:
        with open(path) as f:
            rec = json.load(f)
    except (OSError, ValueError):
        return None
    return rec if rec.get("source") == source else None


def write_stamp(path, rec):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(rec, f)
    os.replace(tmp, path)


def cached_corpus(args, work, source, log):
    """prepare_corpus, or (with --reuse) the corpus a previous run left in --work for the same source."""
    stamp = os.path.join(work, "corpus.stamp.json")
    rec = read_stamp(stamp, source) if args.reuse else None
    if rec and os.path.exists(rec["path"]):
        log("reusing corpus %s" % rec["path"])
        return rec["path"], rec["docs"], rec["bytes"], rec["stats"]
    log("preparing corpus ...")
    path, docs, nbytes, stats = prepare_corpus(args, args.build, work)
    write_stamp(stamp, {"source": source, "path": path, "docs": docs, "bytes": nbytes, "stats": stats})
    return path, docs, nbytes, stats


def cached_index(engine, work, corpus, docs, nbytes, source, reuse, log):
    """Indexes corpus with engine; with reuse, returns the figures of an index a previous run built
    from the same source (the stamp is written only after a complete build)."""
    idx = os.path.join(work, "index-" + engine.name)
    stamp = idx + ".stamp.json"
    rec = read_stamp(stamp, source) if reuse else None
    if rec and os.path.isdir(idx):
        why = engine.cannot_open(idx)
        if not why:
            log("reusing %s index (built %s)" % (engine.name, rec["built"]))
            return rec["indexing"]
        log("not reusing the %s index: %s" % (engine.name, why))
    if os.path.exists(stamp):
        os.unlink(stamp)
    shutil.rmtree(idx, ignore_errors=True)
    os.makedirs(idx, exist_ok=True)
    log("indexing with %s ..." % engine.name)
    secs, rss = 0.0, 0
    for cmd in engine.index_cmds(idx, corpus):
        t, r = peak_rss_of(cmd)
        secs, rss = secs + t, max(rss, r)
    figures = {"seconds": secs, "docs_per_s": docs / secs, "mb_per_s": nbytes / 1e6 / secs,
               "peak_rss_bytes": rss, "index_bytes": dir_size(idx), "built": time.strftime("%Y-%m-%d %H:%M:%S")}
    log("  %.1f s, %.0f docs/s, index %.1f MB" % (secs, docs / secs, figures["index_bytes"] / 1e6))
    write_stamp(stamp, {"source": source, "built": figures["built"], "indexing": figures})
    return figures


def template_values(stats):
    vals = {}
    top_speakers = sorted(stats["speakers"].items(), key=lambda kv: (-kv[1], kv[0]))
    # single-word last names only, so every engine sees the same single token
    surnames = [s.split()[-1] for s, _ in top_speakers if re.fullmatch(r"[A-Za-z]+", s.split()[-1])]
    for i in range(5):
        vals["SPEAKER%d" % (i + 1)] = surnames[i % len(surnames)].lower() if surnames else "smith"
    top_entities = [e for e, _ in sorted(stats["entities"].items(), key=lambda kv: (-kv[1], kv[0]))
                    if re.fullmatch(r"[A-Za-z ]+", e)]
    for i in range(5):
        e = top_entities[i % len(top_entities)] if top_entities else "nothing"
        vals["ENTITY%d" % (i + 1)] = '"' + e.lower() + '"'
    dates = sorted(stats["dates"]) or ["2000-01-01"]
    years, months = {}, {}
    for d in dates:
        years[d[:4]] = years.get(d[:4], 0) + 1
        months[d[:7]] = months.get(d[:7], 0) + 1
    vals["YEAR"] = max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]
    vals["MONTH"] = max(months.items(), key=lambda kv: (kv[1], kv[0]))[0]
    lo, hi = dates[int(len(dates) * 0.45)], dates[min(len(dates) - 1, int(len(dates) * 0.55))]
    vals["RANGE"] = lo + ".." + hi
    return vals


def load_queries(vals, classes=None, aol=False):
    """The query classes of benchmarks/queries/*.txt, and with `aol` those of benchmarks/queries/aol/
    (real user queries: README.md there)."""
    out = []
    dirs = [os.path.join(HERE, "queries")] + ([os.path.join(HERE, "queries", "aol")] if aol else [])
    files = sorted((fn, d) for d in dirs for fn in os.listdir(d) if fn.endswith(".txt"))
    for fn, d in files:
        cls = fn[:-4]
        if classes and cls not in classes:
            continue
        for line in open(os.path.join(d, fn), encoding="utf-8"):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            text = re.sub(r"\{(\w+)\}", lambda m: vals[m.group(1)], line)
            ast = parse_query(text)
            out.append({"class": cls, "text": to_dateline(ast), "ast": ast})
    return out


# ---------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------

def percentile(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def by_name_of(engines, name):
    return next(e for e in engines if e.name == name)


def run_queries(engines, queries, reps, seed, log):
    """Returns the round trips {engine: {query_idx: {mode: [seconds...]}}}, the COUNT answers, the native
    queries and the in-process times (same shape; empty lists for an engine without timing)."""
    native = {e.name: [] for e in engines}
    for q in queries:
        for e in engines:
            try:
                native[e.name].append(TRANSLATE[e.kind](q["text"], q["ast"]))
            except ValueError:
                native[e.name].append(None)  # not expressible in this engine
    answers = {e.name: {} for e in engines}
    # Warm-up: every query through every engine, 3 times (JIT, caches).
    for _ in range(3):
        for i in range(len(queries)):
            for e in engines:
                nq = native[e.name][i]
                if nq is None:
                    continue
                for mode in MODES:
                    r = e.ask(mode, nq)
                    if mode == "COUNT":
                        answers[e.name][i] = r
    times = {e.name: {i: {m: [] for m in MODES} for i in range(len(queries))} for e in engines}
    inproc = {e.name: {i: {m: [] for m in MODES} for i in range(len(queries))} for e in engines}
    rng = random.Random(seed)
    order = list(range(len(queries)))
    for rep in range(reps):
        rng.shuffle(order)
        for j, i in enumerate(order):
            for mode in MODES:
                # rotate which engine goes first so drift is shared
                k = (rep + j) % len(engines)
                for e in engines[k:] + engines[:k]:
                    nq = native[e.name][i]
                    if nq is None:
                        continue
                    t0 = time.perf_counter_ns()
                    e.ask(mode, nq)
                    times[e.name][i][mode].append((time.perf_counter_ns() - t0) / 1e9)
                    if e.timing:
                        inproc[e.name][i][mode].append(e.last_ns / 1e9)
        log("  repetition %d/%d done" % (rep + 1, reps))
    return times, answers, native, inproc


def run_snippets(engine, queries, reps, seed, log):
    """dateline's in-process time per query for a TOP10 page without and with snippets (batch modes TOP10 and
    TOP10_SNIPPETS: each hit's stored article read and its snippet made), interleaved: {mode: {class: [s]}}."""
    modes = ["TOP10", "TOP10_SNIPPETS"]
    for q in queries:  # warm-up
        for mode in modes:
            engine.ask(mode, q["text"])
    out = {m: {} for m in modes}
    rng = random.Random(seed + 1)
    order = list(range(len(queries)))
    for rep in range(reps):
        rng.shuffle(order)
        for j, i in enumerate(order):
            for mode in (modes if j % 2 else modes[::-1]):
                engine.ask(mode, queries[i]["text"])
                out[mode].setdefault(queries[i]["class"], []).append(engine.last_ns / 1e9)
    log("  snippets measured")
    return out


def snippet_table(snip, base=None):
    """Markdown rows: per class, TOP10 p50 without and with snippets, and the ratio (and the baseline
    build's ratio, measured in the same run, when there is one)."""
    lines = ["| class | TOP10 p50 ms | TOP10 + snippets p50 ms | ratio |" + (" dateline-base ratio |" if base else ""),
             "|---|---|---|---|" + ("---|" if base else "")]
    ratio = lambda s, cls: percentile(s["TOP10_SNIPPETS"][cls], 50) / percentile(s["TOP10"][cls], 50)  # noqa: E731
    ratios, base_ratios = [], []
    for cls in sorted(snip["TOP10"]):
        a = percentile(snip["TOP10"][cls], 50) * 1e3
        b = percentile(snip["TOP10_SNIPPETS"][cls], 50) * 1e3
        ratios.append(b / a)
        row = "| %s | %s | %s | %.2f |" % (cls, fmt_ms(a), fmt_ms(b), b / a)
        if base:
            base_ratios.append(ratio(base, cls))
            row += " %.2f |" % base_ratios[-1]
        lines.append(row)
    if ratios:
        lines.append("| all classes, median ratio | | | %.2f |" % statistics.median(ratios) +
                     (" %.2f |" % statistics.median(base_ratios) if base else ""))
    return lines


def explain_disagreement(engines_by_name, name, q, native_of):
    """Re-counts each leaf of the query in dateline and the peer."""
    notes = []
    for leaf in leaves(q["ast"]):
        dl_q = to_dateline(leaf)
        try:
            peer_q = TRANSLATE[engines_by_name[name].kind](dl_q, leaf)
        except ValueError:
            continue
        a = engines_by_name["dateline"].ask("COUNT", dl_q)
        b = engines_by_name[name].ask("COUNT", peer_q)
        if a != b:
            notes.append("%s: dateline %s, %s %s" % (dl_q, a, name, b))
    if not notes:
        notes.append("every leaf agrees; the difference comes from combining them")
    return "; ".join(notes)


# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------

def machine_info():
    info = {"platform": platform.platform(), "python": platform.python_version(), "cores": os.cpu_count()}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                info["memory"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    for tool, cmd in [("compiler", ["c++", "--version"]), ("java", ["java", "-version"]),
                      ("xapian", ["xapian-config", "--version"]), ("sqlite", ["sqlite3", "--version"])]:
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
            info[tool] = (r.stdout or r.stderr).splitlines()[0].strip()
        except (OSError, IndexError, subprocess.SubprocessError):
            pass
    info["lucene"] = "8.7.0 (Debian liblucene8-java)"
    return info


def summarise(times, queries, engines):
    classes = sorted(set(q["class"] for q in queries))
    out = {}
    for e in engines:
        out[e] = {}
        for cls in classes:
            for mode in MODES:
                xs = []
                for i, q in enumerate(queries):
                    if q["class"] == cls:
                        xs += times[e][i][mode]
                if xs:
                    out[e]["%s/%s" % (cls, mode)] = {
                        "n": len(xs), "p50_ms": percentile(xs, 50) * 1e3, "p95_ms": percentile(xs, 95) * 1e3,
                        "p99_ms": percentile(xs, 99) * 1e3, "mean_ms": statistics.fmean(xs) * 1e3}
    return out


def per_query(times, queries, engines):
    """Per query and mode: each engine's p50 in ms (for the slowest-queries table)."""
    out = []
    for i, q in enumerate(queries):
        for mode in MODES:
            row = {"class": q["class"], "query": q["text"], "mode": mode}
            for e in engines:
                xs = times[e][i][mode]
                if xs:
                    row[e] = percentile(xs, 50) * 1e3
            out.append(row)
    return out


def worst_against(rows, peer, floor_ms=0.3, ratio=2.0):
    """The query/mode pairs that take dateline over floor_ms and more than `ratio` times the peer's p50."""
    pairs = [r for r in rows if "dateline" in r and peer in r and r["dateline"] > floor_ms]
    slow = [r for r in pairs if r[peer] > 0 and r["dateline"] / r[peer] > ratio]
    return pairs, sorted(slow, key=lambda r: -r["dateline"] / r[peer])


def overhead(times, inproc, engines):
    """Per engine: round trip minus in-process time of each request (pipe, driver, reading, writing)."""
    out = {}
    for e in engines:
        xs = [rt - ip for i in times[e] for m in MODES for rt, ip in zip(times[e][i][m], inproc[e][i][m])]
        if xs:
            out[e] = {"n": len(xs), "p50_ms": percentile(xs, 50) * 1e3, "p95_ms": percentile(xs, 95) * 1e3,
                      "mean_ms": statistics.fmean(xs) * 1e3}
    return out


def fmt_ms(v):
    if v >= 10:
        return "%.1f" % v
    return "%.3f" % v if v >= 0.1 else "%.4f" % v if v >= 0.01 else "%.5f" % v


def latency_table(latency, engines):
    """Markdown rows: per class and mode p50 / p95 / p99 of every engine, and dateline p50 / peer p50."""
    peers = [e for e in engines if e != "dateline"]
    header = "| class | mode | " + " | ".join("%s p50 / p95 / p99" % e for e in engines) + " | " + \
        " | ".join("÷ %s" % p for p in peers) + " |"
    lines = [header, "|" + "---|" * (2 + len(engines) + len(peers))]
    keys = sorted(set(k for e in engines for k in latency.get(e, {})))
    for key in keys:
        cls, mode = key.split("/")
        row = "| %s | %s |" % (cls, mode)
        for e in engines:
            s = latency.get(e, {}).get(key)
            row += " %s |" % ("%s / %s / %s" % (fmt_ms(s["p50_ms"]), fmt_ms(s["p95_ms"]), fmt_ms(s["p99_ms"]))
                              if s else "n/a")
        d = latency.get("dateline", {}).get(key)
        for p in peers:
            s = latency.get(p, {}).get(key)
            row += " %s |" % ("%.2f" % (d["p50_ms"] / s["p50_ms"]) if d and s and s["p50_ms"] > 0 else "n/a")
        lines.append(row)
    return lines


def write_markdown(path, result):
    engines = result["engines"]
    peers = [e for e in engines if e != "dateline"]
    lines = ["# Benchmark: %s" % result["corpus"]["name"], "",
             "Generated by `benchmarks/run` on %s. Machine: %s, %s cores, %s." % (
                 result["date"], result["machine"].get("cpu", "?"), result["machine"].get("cores"),
                 result["machine"].get("memory", "?")), "",
             "Corpus: %d articles, %.1f MB of JSON Lines. %d repetitions per query, engines interleaved." % (
                 result["corpus"]["docs"], result["corpus"]["bytes"] / 1e6, result["reps"]), "",
             "## Indexing", "",
             "| engine | wall s | docs/s | MB/s | peak RSS MB | index MB |", "|---|---|---|---|---|---|"]
    for e in engines:
        ix = result["indexing"][e]
        lines.append("| %s | %.1f | %.0f | %.2f | %.0f | %.1f |" % (
            e, ix["seconds"], ix["docs_per_s"], ix["mb_per_s"], ix["peak_rss_bytes"] / 1e6,
            ix["index_bytes"] / 1e6))
    lines += ["", "## Query latency (ms, client round trip)", "",
              "From the driver writing the request to it reading the reply: the engine's work plus the pipe "
              "round trip. Ratio = dateline p50 / peer p50 (below 1: dateline is faster).", ""]
    lines += latency_table(result["latency"], engines)
    inproc = result.get("latency_inprocess", {})
    lines += ["", "## Query latency (ms, in-process: the engine's own work)", "",
              "Measured by each engine (`--timing`) on its monotonic clock, from just after it read the "
              "request line to just before it wrote the reply: parse, search, formatting the answer; no pipe, "
              "no driver. Same requests as above. Ratio = dateline p50 / peer p50.", ""]
    untimed = [e for e in engines if not inproc.get(e)]
    if untimed:
        lines += ["Not reported (a build without `--timing`): %s." % ", ".join(untimed), ""]
    lines += latency_table(inproc, engines)
    rows = result.get("per_query_inprocess") or []
    for peer in [p for p in peers if p in ("lucene", "xapian", "dateline-base")]:
        pairs, slow = worst_against(rows, peer)
        if not pairs:
            continue
        lines += ["", "Single queries against %s (in-process p50): %d of the %d query/mode pairs that take dateline "
                  "over 0.3 ms are more than 2× slower than %s's." % (peer, len(slow), len(pairs), peer)]
        if slow:
            lines += ["", "| query | class | mode | dateline ms | %s ms | ratio |" % peer, "|---|---|---|---|---|---|"]
            for r in slow[:25]:
                lines.append("| `%s` | %s | %s | %s | %s | %.2f |" % (
                    r["query"].replace("|", "\\|"), r["class"], r["mode"], fmt_ms(r["dateline"]), fmt_ms(r[peer]),
                    r["dateline"] / r[peer]))
            if len(slow) > 25:
                lines.append("| (%d more in `results.json` → `per_query_inprocess`) | | | | | |" % (len(slow) - 25))
    if result.get("snippets"):
        lines += ["", "## Snippets (dateline, in-process)", "",
                  "A TOP10 page as a person sees it: the same search, then each hit's stored article read "
                  "(one zstd frame) and its snippet made (batch mode TOP10_SNIPPETS), against the search "
                  "alone, interleaved in one process.", ""]
        lines += snippet_table(result["snippets"], result.get("snippets_base"))
    oh = result.get("overhead", {})
    if oh:
        lines += ["", "Round trip minus in-process time per request (the pipe, the driver, reading and writing "
                  "the line), ms, over all requests: " +
                  "; ".join("%s p50 %s, p95 %s" % (e, fmt_ms(oh[e]["p50_ms"]), fmt_ms(oh[e]["p95_ms"]))
                            for e in engines if e in oh) + "."]
    lines += ["", "## COUNT agreement", ""]
    dis = result["disagreements"]
    if not dis:
        lines.append("All engines returned the same COUNT for every query.")
    else:
        lines.append("| query | engine | dateline | peer | explanation |")
        lines.append("|---|---|---|---|---|")
        for d in dis:
            lines.append("| `%s` | %s | %s | %s | %s |" % (d["query"], d["engine"], d["dateline"], d["peer"],
                                                          d["explanation"].replace("|", "\\|")))
    if result.get("unsupported"):
        lines += ["", "Queries an engine cannot express natively (not timed for it): " +
                  ", ".join("%s: `%s`" % (u["engine"], u["query"]) for u in result["unsupported"])]
    lines += ["", "Machine details: `results.json` → `machine`."]
    open(path, "w").write("\n".join(lines) + "\n")


def write_svg(path, result, which="latency", what="latency"):
    """Grouped horizontal bars: p50 TOP10 latency (result[which]) per class and engine, log scale."""
    import math
    engines = result["engines"]
    colors = {"dateline": "#d62728", "dateline-base": "#ff9896", "xapian": "#1f77b4", "lucene": "#2ca02c",
              "sqlite": "#9467bd"}
    latency = result[which]
    keys = sorted(set(k for e in engines for k in latency.get(e, {}) if k.endswith("/TOP10")))
    vals = [latency[e][k]["p50_ms"] for k in keys for e in engines if k in latency.get(e, {})]
    if not vals:
        return False
    lo = 10 ** math.floor(math.log10(max(min(vals), 1e-3)))
    hi = 10 ** math.ceil(math.log10(max(vals)))
    left, width, bar, gap = 170, 560, 9, 10
    height = 60 + len(keys) * (len(engines) * bar + gap) + 40

    def x(v):
        return left + width * (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
           'font-size="11">' % (left + width + 30, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="14">TOP10 p50 %s by query class (ms, log scale): %s</text>'
           % (what, result["corpus"]["name"])]
    d = lo
    while d <= hi * 1.0001:
        svg.append('<line x1="%.1f" y1="40" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x(d), x(d), height - 30))
        svg.append('<text x="%.1f" y="%d" text-anchor="middle">%g</text>' % (x(d), height - 15, d))
        d *= 10
    y = 50
    for k in keys:
        svg.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 6, y + len(engines) * bar / 2 + 4,
                                                                        k.split("/")[0]))
        for e in engines:
            s = latency.get(e, {}).get(k)
            if s:
                svg.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (
                    left, y, max(1, x(s["p50_ms"]) - left), bar - 1, colors.get(e, "#777")))
            y += bar
        y += gap
    for i, e in enumerate(engines):
        svg.append('<rect x="%d" y="28" width="10" height="10" fill="%s"/><text x="%d" y="37">%s</text>' % (
            left + i * 110, colors.get(e, "#777"), left + 14 + i * 110, e))
    svg.append("</svg>")
    open(path, "w").write("\n".join(svg) + "\n")
    return True


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--inputs", nargs="+", help="article files/directories (any format dateline reads)")
    src.add_argument("--synthetic", type=int, metavar="N", help="generate N synthetic articles (gen-corpus)")
    ap.add_argument("--train", nargs="+", help="training corpus for --synthetic (default: gen-corpus's)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--name", help="corpus name for the report")
    ap.add_argument("--out", required=True,
                    help="report folder (results.json, report.md, latency.svg, latency-inprocess.svg)")
    ap.add_argument("--work", help="where corpora and indexes go (default: OUT/work, deleted afterwards)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--classes", help="comma-separated query classes (default: all)")
    ap.add_argument("--snippets", action="store_true",
                    help="also time dateline's TOP10 pages with snippets against the same pages without")
    ap.add_argument("--aol", action="store_true",
                    help="add the real-query classes of benchmarks/queries/aol/ (about 900 AOL user queries as "
                         "conjunctions, disjunctions and phrases)")
    ap.add_argument("--baseline", metavar="BUILD_DIR",
                    help="also run dateline built in BUILD_DIR, as engine dateline-base (before/after "
                         "comparisons of a change, measured in the same run)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse the corpus and indexes a previous run left in --work for the same corpus "
                         "(their indexing figures are the ones measured then)")
    ap.add_argument("--reindex", metavar="ENGINES", help="with --reuse: engines to index again anyway")
    args = ap.parse_args()
    if args.reuse and not args.work:
        ap.error("--reuse needs --work (the folder kept from the earlier run)")

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    os.makedirs(args.out, exist_ok=True)
    work = args.work or os.path.join(args.out, "work")
    os.makedirs(work, exist_ok=True)
    engines = [Engine(n, args.build) for n in args.engines.split(",")]
    if args.baseline:
        engines.insert(1, Engine("dateline-base", args.baseline, kind="dateline"))
    missing = [e.name for e in engines if not e.available()]
    for e in engines:
        if e.available() and not e.timing:
            log("%s: no --timing in this build, so no in-process times for it" % e.name)
    if "dateline" in missing:
        sys.exit("dateline binary not found under %s (build first)" % args.build)
    if missing:
        log("skipping engines that are not built: %s" % ", ".join(missing))
        engines = [e for e in engines if e.available()]

    name = args.name or ("synthetic-%d" % args.synthetic if args.synthetic else
                         ",".join(os.path.basename(p.rstrip("/")) for p in args.inputs))
    source = {"synthetic": args.synthetic, "seed": args.seed, "train": args.train, "inputs": args.inputs}
    corpus, docs, nbytes, stats = cached_corpus(args, work, source, log)
    log("corpus %s: %d articles, %.1f MB" % (name, docs, nbytes / 1e6))

    reindex = set(args.reindex.split(",")) if args.reindex else set()
    indexing = {}
    for e in engines:
        indexing[e.name] = cached_index(e, work, corpus, docs, nbytes, source,
                                        args.reuse and e.name not in reindex, log)

    queries = load_queries(template_values(stats), args.classes.split(",") if args.classes else None, args.aol)
    log("running %d queries x %d modes x %d repetitions on %d engines ..." % (
        len(queries), len(MODES), args.reps, len(engines)))
    for e in engines:
        e.start(os.path.join(work, "index-" + e.name))
    try:
        times, answers, native, inproc = run_queries(engines, queries, args.reps, args.seed, log)
        snippets = {}
        if args.snippets:  # dateline's, and the baseline build's beside it
            for e in engines:
                if e.name.startswith("dateline") and e.timing:
                    snippets[e.name] = run_snippets(e, queries, args.reps, args.seed, log)
        by_name = {e.name: e for e in engines}
        disagreements, unsupported = [], []
        for i, q in enumerate(queries):
            ref = answers["dateline"].get(i)
            for e in engines:
                if e.name == "dateline":
                    continue
                if native[e.name][i] is None:
                    unsupported.append({"engine": e.name, "query": q["text"]})
                    continue
                got = answers[e.name].get(i)
                if got != ref:
                    disagreements.append({"query": q["text"], "engine": e.name, "native": native[e.name][i],
                                          "dateline": ref, "peer": got,
                                          "explanation": explain_disagreement(by_name, e.name, q, native)})
    finally:
        for e in engines:
            try:
                e.stop()
            except Exception:  # noqa: BLE001 - a dead server must not hide the results
                pass

    names = [e.name for e in engines]
    result = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "corpus": {"name": name, "docs": docs, "bytes": nbytes},
              "reps": args.reps, "engines": names, "machine": machine_info(), "indexing": indexing,
              "latency": summarise(times, queries, names),
              "latency_inprocess": summarise(inproc, queries, names),
              "overhead": overhead(times, inproc, names),
              "per_query_inprocess": per_query(inproc, queries, names),
              "queries": [{"class": q["class"], "dateline": q["text"],
                           "native": {n: native[n][i] for n in names},
                           "count": {n: answers[n].get(i) for n in names}} for i, q in enumerate(queries)],
              "disagreements": disagreements, "unsupported": unsupported}
    if snippets.get("dateline"):
        result["snippets"] = snippets["dateline"]
    if snippets.get("dateline-base"):
        result["snippets_base"] = snippets["dateline-base"]
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(result, f, indent=1)
    write_markdown(os.path.join(args.out, "report.md"), result)
    write_svg(os.path.join(args.out, "latency.svg"), result, "latency", "round-trip latency")
    if not write_svg(os.path.join(args.out, "latency-inprocess.svg"), result, "latency_inprocess",
                     "in-process time"):
        log("no in-process times: latency-inprocess.svg not written")
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    print(open(os.path.join(args.out, "report.md")).read())


if __name__ == "__main__":
    main()
