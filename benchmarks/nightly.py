#!/usr/bin/env python3
"""Nightly runs: does an index that grows and changes every night stay as fast
as a fully merged one?

Builds an index of N synthetic articles, then simulates nights: each night
`dateline index` adds 1% new articles and replaces 0.1% of the existing ones
(the same ids, changed text), and merges as its policy says. After each night
the index is copied and the copy optimized to one segment; the benchmark
query classes (benchmarks/queries/) run through both, interleaved, in the
same run (benchmarks/run.py's driver), timed inside the process. The report gives, per night, the
segment count, the deleted articles still in the files, and the p50 latency
of the nightly index against the merged copy.

    benchmarks/nightly.py --docs 100000 --nights 10 --reps 5 --out out/nightly
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import run  # noqa: E402  (the benchmark driver: queries, engines, measurement)


def sh(cmd, **kw):
    subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def gen(dl, docs, seed, path):
    sh([dl, "gen-corpus", "--docs", str(docs), "--seed", str(seed), "--output", path], stderr=subprocess.DEVNULL)


def corpus_stats(path):
    speakers, entities, dates = {}, {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            for s in a.get("speakers", []):
                speakers[s] = speakers.get(s, 0) + 1
            for e in a.get("entities", []):
                name = e["name"] if isinstance(e, dict) else e
                entities[name] = entities.get(name, 0) + 1
            if a.get("date"):
                dates.append(a["date"])
    return {"speakers": speakers, "entities": entities, "dates": dates}


def night_input(dl, work, night, new_docs, replace_docs, base_ids, rng):
    """The night's file: new articles, then replacements of existing ones."""
    new_path = os.path.join(work, "new-%02d.jsonl" % night)
    gen(dl, new_docs, 1000 + night, new_path)
    path = os.path.join(work, "night-%02d.jsonl" % night)
    wanted = set(rng.sample(base_ids, replace_docs))
    with open(path, "w", encoding="utf-8") as out:
        with open(new_path, encoding="utf-8") as f:
            new_ids = []
            for line in f:
                out.write(line)
                new_ids.append(json.loads(line)["id"])
        with open(os.path.join(work, "base.jsonl"), encoding="utf-8") as f:
            for line in f:
                a = json.loads(line)
                if a["id"] in wanted:
                    a["body"] += " Updated on night %d." % night
                    out.write(json.dumps(a, ensure_ascii=False) + "\n")
    os.unlink(new_path)
    return path, new_ids


def manifest_counts(index):
    m = open(os.path.join(index, "MANIFEST")).read()
    m = json.loads(m[: m.rfind("xxh64 ")])
    return len(m["segments"]), sum(s["deleted"] for s in m["segments"]), sum(s["docs"] - s["deleted"] for s in m["segments"])


def p50s(times, queries, name):
    """p50 per class of TOP10 and COUNT for one engine, in ms."""
    out = {}
    for mode in run.MODES:
        by_class = {}
        for i, q in enumerate(queries):
            by_class.setdefault(q["class"], []).extend(times[name][i][mode])
        out[mode] = {c: run.percentile(v, 50) * 1e3 for c, v in by_class.items()}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100000)
    ap.add_argument("--nights", type=int, default=10)
    ap.add_argument("--new-pct", type=float, default=1.0)
    ap.add_argument("--replace-pct", type=float, default=0.1)
    ap.add_argument("--reps", type=int, default=15,
                    help="timed repetitions per query (5 left nights 5%% apart between runs of the same state)")
    ap.add_argument("--segments-per-tier", type=int, default=None, help="passed to dateline index (its default if not given)")
    ap.add_argument("--floor-tier-segments", type=int, default=None, help="passed to dateline index (its default if not given)")
    ap.add_argument("--merge-base", action="store_true", help="optimize the first index to one segment before the nights "
                    "(an archive whose bulk import was merged), so the nights alone are measured")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--work", default=None, help="scratch folder (default OUT/work, removed at the end)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    dl = os.path.join(args.build, "dateline")
    os.makedirs(args.out, exist_ok=True)
    work = args.work or os.path.join(args.out, "work")
    os.makedirs(work, exist_ok=True)
    log = lambda s: print(s, flush=True)  # noqa: E731
    rng = random.Random(7)

    base = os.path.join(work, "base.jsonl")
    log("generating %d articles ..." % args.docs)
    gen(dl, args.docs, 1, base)
    stats = corpus_stats(base)
    queries = run.load_queries(run.template_values(stats))
    base_ids = [json.loads(l)["id"] for l in open(base, encoding="utf-8")]
    index, merged = os.path.join(work, "nightly"), os.path.join(work, "merged")
    policy = ["--segments-per-tier", str(args.segments_per_tier)] if args.segments_per_tier else []
    if args.floor_tier_segments:
        policy += ["--floor-tier-segments", str(args.floor_tier_segments)]
    t0 = time.time()
    sh([dl, "index", "--quiet", "--overwrite", "--stemmer", "none", "--index", index, base] + policy)
    if args.merge_base:
        sh([dl, "optimize", "--index", index, "--max-segments", "1"], stderr=subprocess.DEVNULL)
    log("base index: %.1f s, %d segments" % (time.time() - t0, manifest_counts(index)[0]))
    rows = []
    for night in range(1, args.nights + 1):
        new_docs = max(1, int(args.docs * args.new_pct / 100))
        replace_docs = max(1, int(args.docs * args.replace_pct / 100))
        path, new_ids = night_input(dl, work, night, new_docs, replace_docs, base_ids, rng)
        t0 = time.time()
        sh([dl, "index", "--quiet", "--index", index, path] + policy)
        night_secs = time.time() - t0
        base_ids += new_ids
        segments, deleted, live = manifest_counts(index)
        shutil.rmtree(merged, ignore_errors=True)
        shutil.copytree(index, merged)
        os.unlink(os.path.join(merged, "LOCK"))
        sh([dl, "optimize", "--index", merged, "--max-segments", "1"], stderr=subprocess.DEVNULL)
        engines = [run.Engine("nightly", args.build, "dateline"), run.Engine("merged", args.build, "dateline")]
        engines[0].start(index)
        engines[1].start(merged)
        round_trips, answers, _, inproc = run.run_queries(engines, queries, args.reps, night, lambda s: None)
        # Below a millisecond the pipe hides the work: compare the times each
        # process measured itself (round trips only if it reported none).
        times = inproc if any(inproc["nightly"][i]["COUNT"] for i in inproc["nightly"]) else round_trips
        for e in engines:
            e.stop()
        same = all(answers["nightly"].get(i) == answers["merged"].get(i) for i in range(len(queries)))
        n50, m50 = p50s(times, queries, "nightly"), p50s(times, queries, "merged")
        ratios = {mode: sorted(n50[mode][c] / m50[mode][c] for c in n50[mode] if m50[mode][c] > 0) for mode in run.MODES}
        row = {"night": night, "articles": live, "segments": segments, "deleted": deleted, "index_s": night_secs,
               "counts_agree": same,
               "median_ratio": {m: run.percentile(r, 50) for m, r in ratios.items()},
               "worst_ratio": {m: (r[-1] if r else float("nan")) for m, r in ratios.items()},
               "p50_ms": {"nightly": n50, "merged": m50}}
        rows.append(row)
        log("night %2d: %d articles, %d segments, %d deleted, indexed in %.1f s; nightly/merged p50, median over "
            "classes: COUNT %.3f TOP10 %.3f (worst %.3f / %.3f); counts agree: %s" % (
                night, live, segments, deleted, night_secs, row["median_ratio"]["COUNT"],
                row["median_ratio"]["TOP10"], row["worst_ratio"]["COUNT"], row["worst_ratio"]["TOP10"], same))
    with open(os.path.join(args.out, "nightly.json"), "w") as f:
        json.dump({"args": vars(args), "machine": run.machine_info(), "nights": rows}, f, indent=1)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("# Nightly runs: %d articles, %d nights of +%.1f%% new and %.1f%% replaced\n\n" % (
            args.docs, args.nights, args.new_pct, args.replace_pct))
        f.write("Each night's index against a copy optimized to one segment, the benchmark query classes, "
                "%d interleaved repetitions, times measured inside the process. Ratio: nightly p50 / merged p50 per class (below 1: the nightly "
                "index is faster); the median and the worst class.%s\n\n" % (
                    args.reps, " The first index was optimized to one segment before the first night." if args.merge_base else ""))
        f.write("| night | articles | segments | deleted in files | index run s | COUNT median / worst | "
                "TOP10 median / worst | counts agree |\n|---|---|---|---|---|---|---|---|\n")
        for r in rows:
            f.write("| %d | %d | %d | %d | %.1f | %.2f / %.2f | %.2f / %.2f | %s |\n" % (
                r["night"], r["articles"], r["segments"], r["deleted"], r["index_s"], r["median_ratio"]["COUNT"],
                r["worst_ratio"]["COUNT"], r["median_ratio"]["TOP10"], r["worst_ratio"]["TOP10"],
                "yes" if r["counts_agree"] else "NO"))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    print(open(os.path.join(args.out, "report.md")).read())


if __name__ == "__main__":
    main()
