#!/usr/bin/env bash
# Runs every fuzz target for a bounded time from the committed seed corpus
# (tests/fuzz/README.md). Usage: tests/fuzz/run.sh BUILD_DIR SECONDS_PER_TARGET
# The corpus grown by a run stays in BUILD_DIR/fuzz-work; a crash fails the
# run and names the input to add under tests/fuzz/regressions/<target>/.
set -euo pipefail
build=${1:?build directory}
secs=${2:-20}
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$build/fuzz-work"
mkdir -p "$work"
status=0
for bin in "$build"/tests/fuzz/fuzz_*; do
  t=$(basename "$bin")
  [ -x "$bin" ] || continue
  mkdir -p "$work/$t/corpus" "$work/$t/crashes"
  log="$work/$t/log"
  if "$bin" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
       -artifact_prefix="$work/$t/crashes/" "$work/$t/corpus" "$root/tests/fuzz/corpus/$t" \
       "$root/tests/fuzz/regressions/$t" > "$log" 2>&1; then
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "fuzz $t: ${execs} executions in ${secs} s, ${cov:-cov: ?}, no crash"
  else
    echo "fuzz $t: CRASH; the input is in $work/$t/crashes/ (add it to tests/fuzz/regressions/$t/):"
    tail -n 30 "$log"
    status=1
  fi
done
exit $status
