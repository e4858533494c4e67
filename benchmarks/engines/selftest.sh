#!/usr/bin/env bash
# Self-test of the benchmark's peer engines: indexes six articles with each
# engine and checks the answers to queries in each engine's native syntax,
# once in the plain protocol and once with `serve INDEX_DIR --timing`.
#   selftest.sh XAPIAN_ENGINE SQLITE_ENGINE [LUCENE_ENGINE]
# Every request is sent on its own and its reply read before the next one,
# so an engine that does not flush after each line, or does not answer an
# empty request line, fails (times out).
# Lucene is skipped, with a message, when java or its launcher is missing.
set -uo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: selftest.sh XAPIAN_ENGINE SQLITE_ENGINE [LUCENE_ENGINE]" >&2
  exit 2
fi
xapian=$1
sqlite=$2
lucene=${3:-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# a3 has an integer id, a5 none (so it is "corpus.jsonl#5": the blank line is
# not a record), a6 an impossible date (so it is undated), padded names and
# an entity object.
cat >"$tmp/corpus.jsonl" <<'EOF'
{"id":"a1","date":"2024-01-15","title":"Central bank raises interest rates","body":"The central bank raised interest rates on Tuesday. Jan Halvorsen said inflation was too high.","speakers":["Jan Halvorsen"],"entities":["Norges Bank","Oslo"]}
{"id":"a2","date":"2024-03-02","title":"Oil prices fall","body":"Oil prices fell sharply in the North Sea as demand weakened. Rates were unchanged.","speakers":["Maria Costa"],"entities":["North Sea"],"source":"wire"}
{"id":3,"date":"2023-11-20","title":"Harvest forecast cut","body":"Farmers expect a smaller soybean harvest after dry weather; interest in insurance rose.","entities":["Brazil"]}

{"id":"a4","date":"2025-06-30","title":"Bank merger approved","body":"Regulators approved the bank merger. Maria Costa said rates would not change. \"We welcome it,\" said Jan Halvorsen.","speakers":["Maria Costa","Jan Halvorsen"],"entities":["European Commission"]}
  {"date":"2024-12-31","title":"Year in review","body":"A year of \"rising\" rates\u2014falling oil\nand a record harvest \ud83d\udcc8.","speakers":[],"entities":null,"extra":{"nested":[1,2.5e3,{"x":null,"y":true}]},"url":"http:\/\/example.com"}
{"id":" a6 ","date":"2024-02-30","title":"Note","body":"An undated wire note.","speakers":["  Ola Nordmann ",""],"entities":[{"type":"org","name":"Reuters"}," "]}
EOF
# One good record, one malformed: indexed, skipped, exit code 1.
printf '%s\n' '{"id":"x","date":"2024-01-01","title":"t","body":"b"}' '{"id":"y","date":"2024-01-01"' >"$tmp/bad.jsonl"

fail() {
  echo "FAIL [$1] $2" >&2
  failures=$((failures + 1))
}

# check NAME ENGINE_COMMAND... -- then "request<TAB>expected reply" lines on stdin.
check() {
  local name=$1
  shift
  local idx="$tmp/$name-index" out
  if ! out=$("$@" index "$idx" "$tmp/corpus.jsonl" 2>"$tmp/$name-index.err"); then
    fail "$name" "index failed: $(cat "$tmp/$name-index.err")"
    return
  fi
  [[ $out == "indexed 6 docs" ]] || fail "$name" "index printed '$out', expected 'indexed 6 docs'"
  grep -q 'corpus.jsonl:7: invalid date "2024-02-30"' "$tmp/$name-index.err" ||
    fail "$name" "no warning about the invalid date: $(cat "$tmp/$name-index.err")"
  if out=$("$@" index "$tmp/$name-bad" "$tmp/bad.jsonl" 2>"$tmp/$name-bad.err") || [[ $out != "indexed 1 docs" ]]; then
    fail "$name" "a malformed record: expected exit code 1 and 'indexed 1 docs', got '$out'"
  fi
  grep -q 'bad.jsonl:2: ' "$tmp/$name-bad.err" || fail "$name" "the malformed record was not reported as bad.jsonl:2"

  # The requests in the plain protocol, then again with --timing (each reply
  # prefixed by the nanoseconds the engine spent on it and a TAB).
  local specs
  specs=$(cat)
  serve "$name" "$idx" "" "$@" <<<"$specs"
  serve "$name" "$idx" --timing "$@" <<<"$specs"
}

# serve NAME INDEX TIMING_FLAG ENGINE_COMMAND... -- "request|expected reply" lines on stdin.
serve() {
  local name=$1 idx=$2 timing=$3
  shift 3
  local label="$name${timing:+ $timing}"
  coproc ENGINE { "$@" serve "$idx" ${timing:+"$timing"} 2>"$tmp/$name-serve.err"; }
  local in_fd=${ENGINE[1]} out_fd=${ENGINE[0]} pid=$ENGINE_PID
  local n=0 request expected reply ns
  while IFS= read -r spec; do
    [[ -z $spec || $spec == \#* ]] && continue
    request=${spec%%|*}
    expected=${spec#*|}
    request=${request//\\t/$'\t'}
    expected=${expected//\\t/$'\t'}
    printf '%s\n' "$request" >&"$in_fd"
    if ! IFS= read -r -t 60 reply <&"$out_fd"; then
      fail "$label" "no reply to '$request' within 60 s: $(cat "$tmp/$name-serve.err")"
      break
    fi
    n=$((n + 1))
    if [[ -n $timing ]]; then
      ns=${reply%%$'\t'*}
      if [[ $reply != *$'\t'* || ! $ns =~ ^[0-9]+$ ]]; then
        fail "$label" "'$request' -> '$reply', expected NANOSECONDS<TAB>reply"
        continue
      fi
      reply=${reply#*$'\t'}
    fi
    if [[ $expected == ERROR* ]]; then
      [[ $reply == ERROR\ * ]] || fail "$label" "'$request' -> '$reply', expected an ERROR line"
    elif [[ $reply != "$expected" ]]; then
      fail "$label" "'$request' -> '$reply', expected '$expected'"
    fi
  done
  exec {in_fd}>&-
  local rc=0
  wait "$pid" || rc=$?
  [[ $rc -eq 0 ]] || fail "$label" "serve exited with $rc on EOF: $(cat "$tmp/$name-serve.err")"
  echo "$label: $n requests checked"
}

# Requests shared by every engine (same syntax everywhere).
common='
COUNT\trates|4
COUNT\tRATES|4
COUNT\tOil|2
COUNT\tthe|3
COUNT\tfall|1
COUNT\tfell|1
COUNT\tfalling|1
COUNT\tzebra|0
COUNT\tbank rates|2
COUNT\t"interest rates"|1
COUNT\t"central bank"|1
TOP10\tsoybean|3
TOP10\treview|corpus.jsonl#5
TOP10\tundated|a6
COUNT\tundated|1
TOP10\tzebra|
TOP10_COUNT\tmerger|1\ta4
TOP10_COUNT\tzebra|0
FROB\trates|ERROR
no tab here|ERROR
|ERROR
COUNT\tzebra|0
'

check xapian "$xapian" <<EOF
$common
COUNT\toil OR harvest|3
COUNT\trates NOT oil|2
COUNT\trates AND NOT oil|2
COUNT\trates -oil|2
COUNT\tNOT rates|2
COUNT\tspeaker:halvorsen|2
COUNT\tspeaker:nordmann|1
COUNT\tentity:reuters|1
COUNT\tspeaker:"maria costa"|2
COUNT\tspeaker:"costa jan"|0
COUNT\tentity:"north sea"|1
COUNT\toil date:20240101..20241231|2
COUNT\tdate:20240101..20241231|3
COUNT\tdate:20240101..|4
COUNT\tdate:..20241231|4
COUNT\tundated date:00010101..99991231|0
TOP10_COUNT\tharvest date:20241201..20241231|1\tcorpus.jsonl#5
COUNT\tdate:abc..xyz|ERROR
EOF

check sqlite "$sqlite" <<EOF
$common
COUNT\toil OR harvest|3
COUNT\trates NOT oil|2
COUNT\tNOT rates|2
COUNT\tspeaker : halvorsen|2
COUNT\tspeaker:nordmann|1
COUNT\tentity:reuters|1
COUNT\tspeaker:"maria costa"|2
# FTS5 has no gap between the names of one column: the phrase crosses them.
COUNT\tspeaker:"costa jan"|1
COUNT\tentity:"north sea"|1
COUNT\tDATE 20240101 20241231 oil|2
COUNT\tDATE 20240101 20241231|3
COUNT\tDATE 0 99999999 undated|0
COUNT\tDATE 0 99999999|5
COUNT\tDATE 20240101 20241231 NOT oil|1
TOP10\tDATE 20240101 20241231|a1\ta2\tcorpus.jsonl#5
TOP10_COUNT\tDATE 20241201 20241231 harvest|1\tcorpus.jsonl#5
COUNT\t"unterminated|ERROR
COUNT\tDATE 2024 oil|ERROR
COUNT\tAND AND|ERROR
EOF

if [[ -z $lucene ]] || ! command -v java >/dev/null 2>&1 || [[ ! -x $lucene ]]; then
  echo "lucene: SKIPPED (java or the lucene_engine launcher '${lucene}' is missing)"
else
  check lucene "$lucene" <<EOF
$common
COUNT\toil OR harvest|3
COUNT\trates NOT oil|2
COUNT\trates -oil|2
COUNT\t*:* -rates|2
COUNT\tspeaker:halvorsen|2
COUNT\tspeaker:nordmann|1
COUNT\tentity:reuters|1
COUNT\tspeaker:"maria costa"|2
COUNT\tspeaker:"costa jan"|0
COUNT\tentity:"north sea"|1
COUNT\toil date:[20240101 TO 20241231]|2
COUNT\tdate:[20240101 TO 20241231]|3
COUNT\tdate:[20240101 TO *]|4
COUNT\tdate:{20240115 TO 20241231}|1
COUNT\tundated date:[* TO *]|0
COUNT\tdate:20241231|1
TOP10_COUNT\tharvest date:[20241201 TO 20241231]|1\tcorpus.jsonl#5
COUNT\t(unclosed|ERROR
COUNT\tdate:[abc TO xyz]|ERROR
EOF
fi

if [[ $failures -gt 0 ]]; then
  echo "selftest: $failures failure(s)" >&2
  exit 1
fi
echo "selftest: all engines agree with the expected answers"
