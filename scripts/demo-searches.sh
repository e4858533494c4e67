#!/usr/bin/env bash
# Example searches over the sample index (run by `make demo`).
set -euo pipefail
DL=${1:-build/dateline}
IDX=${2:-build/sample-index}

run() {
  echo
  echo "\$ dateline search $*"
  "$DL" search --index "$IDX" "$@"
}

run --limit 3 '"interest rates"'
run --limit 3 'speaker:halvorsen date:2024'
run --limit 3 --sort newest 'entity:"world bank" OR "trade agreement"'
run --count 'negotiate AND NOT date:2023'
run --limit 2 'negotiat* gdansk'
run --count 'place:us'
run --limit 2 --json 'title:trade'
echo
echo "\$ dateline show dl-2024-0002"
"$DL" show --index "$IDX" dl-2024-0002
