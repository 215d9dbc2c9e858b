#!/usr/bin/env bash
# The benchmark behind docs/performance.md. Measures, in one run on this machine:
#  1. criterion: `check` (library call) against the floor of reading and parsing
#     the same YAML files, on synthetic repositories of 10 and 50 years;
#  2. the real binary's wall time (hyperfine, if installed) and peak memory
#     (/usr/bin/time), on the same repositories.
# Usage: benches/run.sh            (needs: cargo; optional: hyperfine, /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin trainyard --example synth
for y in 10 50; do ./target/release/examples/synth "$y" "$work/r$y"; done

echo "== criterion: check vs read+parse floor"
cargo bench --quiet --bench check 2>&1 | grep -E "^check/|time:"

bin=./target/release/trainyard
if command -v hyperfine >/dev/null; then
  echo "== hyperfine: the binary, end to end"
  hyperfine -N -w 2 -r 10 \
    "$bin check --root $work/r10 --now 2100-01-01" \
    "$bin check --root $work/r50 --now 2100-01-01" 2>&1 | grep -E "Benchmark|Time"
fi
if [ -x /usr/bin/time ]; then
  echo "== peak memory (max RSS)"
  for y in 10 50; do
    /usr/bin/time -f "check ${y} years: %e s, %M KB" "$bin" check --root "$work/r$y" --now 2100-01-01 >/dev/null
  done
fi
