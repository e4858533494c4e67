#!/usr/bin/env bash
# Installs the Debian 12 packages dateline needs to build, test and benchmark.
# Idempotent: packages already installed are skipped, and apt is not touched at all
# when everything is present. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  build-essential cmake ccache pkg-config git
  libxapian-dev        # correctness oracle and benchmark baseline (never dateline's engine)
  libstemmer-dev       # Snowball stemmers
  libzstd-dev zstd     # doc store compression, .jsonl.zst input
  libcli11-dev         # command line parsing
  doctest-dev          # unit tests
  libhwy-dev           # Highway: portable SIMD with run-time dispatch (postings bit unpacking)
  libxxhash-dev        # checksums in every index file
  libutf8proc-dev      # Unicode categories and case folding
  libsimdjson-dev      # JSON Lines input
  libcpp-httplib-dev   # HTTP server of `dateline serve` (and the client of its tests)
  libbenchmark-dev     # microbenchmarks
  libsqlite3-dev       # benchmark peer: SQLite FTS5
  liblucene8-java default-jdk-headless  # benchmark peer: Lucene 8
  python3              # benchmark driver, browser test
  chromium             # browser test of the serve page (headless, DevTools protocol)
  clang libclang-rt-14-dev  # libFuzzer targets (make fuzz)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
