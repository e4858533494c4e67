#!/usr/bin/env python3
"""Facet counting against COUNT, by query class, in one dateline process.

For every query of benchmarks/queries/*.txt (placeholders filled from the
corpus statistics that benchmarks/run.py keeps in WORK/corpus.stamp.json),
sends COUNT, TOP10 and FACETS requests to `dateline search --batch - --timing`,
interleaved, REPS rounds after 2 warm-up rounds, and reports per class the
median in-process time of each and the ratio FACETS / COUNT (the issue's
budget: facets of five fields at most twice the query's COUNT).

  benchmarks/facets.py --dateline build/dateline --index WORK/index-dateline \\
      --work WORK --reps 10 --out benchmarks/results/facets-1m
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run as bench  # noqa: E402  (benchmarks/run.py: query classes and placeholders)

MODES = ["COUNT", "TOP10", "FACETS"]


def measure(dateline, index, facets, queries, reps):
    """{query index: {mode: [ns, ...]}} and the replies of the last round."""
    lines, keys = [], []
    for rnd in range(reps + 2):
        for i, q in enumerate(queries):
            for mode in MODES:
                lines.append("%s\t%s" % (mode, q["text"]))
                keys.append((rnd, i, mode))
    proc = subprocess.run([dateline, "search", "--index", index, "--batch", "-", "--timing", "--facets", facets],
                          input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)
    replies = proc.stdout.split("\n")
    times = {i: {m: [] for m in MODES} for i in range(len(queries))}
    last = {}
    for (rnd, i, mode), reply in zip(keys, replies):
        ns, _, answer = reply.partition("\t")
        if answer.startswith("ERROR"):
            raise SystemExit("query %r: %s" % (queries[i]["text"], answer))
        if rnd >= 2:
            times[i][mode].append(int(ns))
        last[(i, mode)] = answer
    return times, last


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dateline", default=os.path.join(HERE, "..", "build", "dateline"))
    ap.add_argument("--index", required=True)
    ap.add_argument("--work", required=True, help="a benchmarks/run.py work directory (its corpus.stamp.json)")
    ap.add_argument("--facets", default="speaker,person,org,place,month")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--out", help="directory for results.json and report.md")
    args = ap.parse_args()
    stamp = json.load(open(os.path.join(args.work, "corpus.stamp.json")))
    queries = bench.load_queries(bench.template_values(stamp["stats"]))
    times, last = measure(args.dateline, args.index, args.facets, queries, args.reps)
    classes = sorted({q["class"] for q in queries})
    rows = []
    for cls in classes:
        idx = [i for i, q in enumerate(queries) if q["class"] == cls]
        med = {m: statistics.median([t for i in idx for t in times[i][m]]) / 1e6 for m in MODES}
        matches = statistics.median([int(last[(i, "COUNT")]) for i in idx])
        rows.append({"class": cls, "queries": len(idx), "median_matches": matches,
                     **{m.lower() + "_ms": med[m] for m in MODES},
                     "facets_over_count": med["FACETS"] / med["COUNT"] if med["COUNT"] else float("nan"),
                     "facets_over_top10": med["FACETS"] / med["TOP10"] if med["TOP10"] else float("nan")})
    allq = {m: statistics.median([t for i in times for t in times[i][m]]) / 1e6 for m in MODES}
    head = ("Facets (%s) against COUNT and TOP10, median in-process ms per class, %d rounds, index %s\n\n"
            % (args.facets, args.reps, args.index))
    table = ["| class | queries | median matches | COUNT | TOP10 | FACETS | FACETS/COUNT | FACETS/TOP10 |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        table.append("| %s | %d | %d | %.3f | %.3f | %.3f | %.2f | %.2f |" % (
            r["class"], r["queries"], r["median_matches"], r["count_ms"], r["top10_ms"], r["facets_ms"],
            r["facets_over_count"], r["facets_over_top10"]))
    table.append("| all | %d | | %.3f | %.3f | %.3f | %.2f | %.2f |" % (
        len(queries), allq["COUNT"], allq["TOP10"], allq["FACETS"], allq["FACETS"] / allq["COUNT"],
        allq["FACETS"] / allq["TOP10"]))
    report = head + "\n".join(table) + "\n"
    print(report)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        json.dump({"facets": args.facets, "reps": args.reps, "index": args.index, "classes": rows, "all": allq},
                  open(os.path.join(args.out, "results.json"), "w"), indent=1)
        open(os.path.join(args.out, "report.md"), "w").write(report)


if __name__ == "__main__":
    main()
