#!/usr/bin/env bash
# The benchmark behind docs/performance.md. Measures, in one run on this machine:
#  1. criterion: `check` and `build` (rendering in memory) as library calls,
#     against the floor of reading and parsing the same YAML files, on synthetic
#     repositories of 10 and 50 years;
#  2. the real binary end to end with hyperfine: check, and build writing the
#     site (nothing changed; every page changed; from an empty folder), beside
#     Hugo rendering the same number of pages (if hugo is installed);
#  3. history: the 10-year repository committed as ~3,000 commits by the
#     right authors; check (with record-author), check --base (what the pull
#     request workflow runs) and build (with provenance) beside
#     `git log --name-status` over the same repository, run in turn
#     (benches/interleaved.py), then each phase of build on its own
#     (examples/phases.rs);
#  4. peak memory (max RSS) with /usr/bin/time.
# Usage: benches/run.sh       (needs cargo; optional: hyperfine, hugo, /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The `dist` profile: what the published binaries are built with.
cargo build --profile dist --quiet --bin trainyard --example synth
for y in 10 50; do ./target/dist/examples/synth "$y" "$work/r$y"; done
bin=$PWD/target/dist/trainyard

echo "== criterion: check and build vs the read+parse floor"
cargo bench --quiet --bench pipeline 2>&1 | grep -E "^pipeline/|time:"

if command -v hyperfine >/dev/null; then
  pages=$("$bin" build --root "$work/r10" --now 2010-01-05 --out "$work/o10" | awk '{print $2}')
  "$bin" build --root "$work/r10" --now 2010-01-06 --out "$work/o10" >/dev/null   # keep a previous generation
  # Every build with a new --now, so every page changes (as with the clock).
  cat > "$work/changing" <<EOS
#!/bin/sh
n=\$(cat "$work/n" 2>/dev/null || echo 0); n=\$((n+1)); echo \$n > "$work/n"
exec "$bin" build --root "$work/r10" --now "2010-01-05 \$(printf %02d \$((n % 24))):00" --out "$work/o10"
EOS
  chmod +x "$work/changing"
  cmds=("$bin check --root $work/r10 --now 2010-01-05"
        "$bin build --root $work/r10 --now 2010-01-05 --out $work/o10"
        "$work/changing")
  if command -v hugo >/dev/null; then
    python3 benches/hugo_site.py "$pages" "$work/hugo"
    hugo --quiet -s "$work/hugo" -d "$work/hout"
    cmds+=("hugo --quiet -s $work/hugo -d $work/hout")
  fi
  echo "== hyperfine: 10 years ($pages files), overwriting the previous output"
  hyperfine -N -w 3 -r 10 "${cmds[@]}" 2>&1 | grep -E "Benchmark|Time"
  echo "== hyperfine: 10 years, from an empty output folder"
  empty=("$bin build --root $work/r10 --now 2010-01-05 --out $work/e10")
  command -v hugo >/dev/null && empty+=("hugo --quiet -s $work/hugo -d $work/hempty")
  hyperfine -w 1 -r 6 -p "rm -rf $work/e10 $work/.e10.trainyard-prev $work/hempty" "${empty[@]}" 2>&1 | grep -E "Benchmark|Time"
fi
echo "== history: 10 years committed as one commit per record, by the right authors"
./target/dist/examples/synth 10 "$work/h10"
python3 benches/synth_history.py "$work/h10"
"$bin" build --root "$work/h10" --now 2010-01-05 --out "$work/h10o" >/dev/null
# Interleaved (git log, check, build, git log, ...): the ratios hold even when
# the machine drifts during the run.
python3 benches/interleaved.py 30 3 \
  "git -C $work/h10 log --name-status" \
  "$bin check --root $work/h10 --now 2010-01-05" \
  "$bin check --root $work/h10 --now 2010-01-05 --base HEAD~5" \
  "$bin build --root $work/h10 --now 2010-01-05 --out $work/h10o"
cargo build --profile dist --quiet --example phases
echo "== history: each phase of build on its own (wall and CPU time, peak memory)"
./target/dist/examples/phases "$work/h10" "$work/h10p" 15
if [ -x /usr/bin/time ]; then
  echo "== peak memory (max RSS)"
  for y in 10 50; do
    # "Now" a week after the last train: every step recorded, nothing overdue.
    after=$(date -d "2000-01-03 + $((52 * y + 1)) weeks" +%F)
    /usr/bin/time -f "check ${y} years: %e s, %M KB" "$bin" check --root "$work/r$y" --now "$after" >/dev/null
    "$bin" build --root "$work/r$y" --now "$after" --out "$work/m$y" >/dev/null
    /usr/bin/time -f "build ${y} years: %e s, %M KB" "$bin" build --root "$work/r$y" --now "$after 13:00" --out "$work/m$y" >/dev/null
  done
fi
