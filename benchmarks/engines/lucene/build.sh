#!/usr/bin/env bash
# Compiles the Lucene peer engine into OUTPUT_DIR/classes and installs the
# launcher as OUTPUT_DIR/lucene_engine.
#   benchmarks/engines/lucene/build.sh OUTPUT_DIR
# LUCENE_JAR_DIR (default /usr/share/java) holds lucene-*-8.7.0.jar.
set -euo pipefail
out=${1:?usage: build.sh OUTPUT_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jars=${LUCENE_JAR_DIR:-/usr/share/java}
cp=""
for j in core queryparser analyzers-common; do
  f="$jars/lucene-$j-8.7.0.jar"
  [[ -r $f ]] || { echo "build.sh: missing $f (apt-get install liblucene8-java)" >&2; exit 1; }
  cp="${cp:+$cp:}$f"
done
mkdir -p "$out"
rm -rf "$out/classes.tmp"
mkdir "$out/classes.tmp"
javac -nowarn -encoding UTF-8 -d "$out/classes.tmp" -cp "$cp" "$here/LuceneEngine.java"
rm -rf "$out/classes"
mv "$out/classes.tmp" "$out/classes"
# The installed launcher defaults to the jar folder used here.
sed "s|\${LUCENE_JAR_DIR:-/usr/share/java}|\${LUCENE_JAR_DIR:-$jars}|" "$here/lucene_engine" >"$out/lucene_engine.tmp"
chmod 755 "$out/lucene_engine.tmp"
mv "$out/lucene_engine.tmp" "$out/lucene_engine"
