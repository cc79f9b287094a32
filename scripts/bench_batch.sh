#!/usr/bin/env bash
# Batch benchmark (release build): for each N (default 250 and 1000) generate N synthetic units
# from the seed in rotating shapes, then time in the same run
#   1. `yusuan batch DIR -o OUT --quiet` — the whole pipeline plus consolidation and summary;
#   2. the floor  — only reading the same files (calamine/csv) and writing the same cells the
#                   batch wrote for each unit (values only, rust_xlsxwriter),
#                   examples/bench_floor.rs, same rayon pool;
# and report wall time, units/s, batch/floor ratio, CPU time (user+sys; the floor's own timed
# part) and its ratio, and peak RSS (/usr/bin/time -v). The floor uses the writer's deflate
# level (1), the same pool size and the same save_atomically (temp file, fsync, rename).
# Targets: >= 150 units/s, batch <= 1.5 x floor, peak RSS < 200 MB and flat as N grows.
#
# Usage: scripts/bench_batch.sh [N ...]      (env: YUSUAN_BIN to time another binary with the
#        same `batch DIR -o OUT --quiet` interface; BENCH_KEEP=1 to keep the generated folders)
#
#   3. the formatted floor (`bench_floor --formatted`) — the same reads plus the full official
#                   workbook per unit (write::workbook: formats, merges, page setup; budgets
#                   loaded untimed): the batch as if recognition and checks cost nothing.
#                   Column fmt_s is its time, fmt_ratio = batch / formatted floor.
#
# Measured 2026-11-27 03:21-03:27 UTC on the 2-core box (no other builds running), release,
# all 23 shapes rotating, default worker threads, 5 runs on disk (/tmp) then 3 on tmpfs:
#      N  units/s   ratio (wall)               cpu_ratio                 fmt_ratio  batch_MB
#    250  250-362   1.54 1.58 1.69 1.71 1.75   1.62 1.63 1.71 1.74 1.79   1.08-1.46  15.2-16.4
#   1000  269-356   1.43 1.49 1.50 1.63 1.68   1.45 1.51 1.51 1.67 1.73   1.21-1.46  17.6-18.1
#   tmpfs: 250: 1.34 1.57 1.73;  1000: 1.60 1.61 1.66
# Single runs swing by +-0.15 and the floor itself varied 0.42-0.59 s (N=250) between runs:
# much of both runs is the kernel creating, fsyncing and renaming files, a cost they share.
# Deterministic instructions per unit (callgrind, 40 units, one thread): batch 26.7 M = read
# 7.0 + recognise 1.9 + check 1.1 + write 12.9 + sheet-assembly threads 3.0 + the rest;
# floor 14.6 M; formatted floor 21.4 M (1.47 x the floor by itself: rust_xlsxwriter's work for
# the formats, merges and page setup of the official layout). Batch / floor 1.83 in
# instructions, batch / formatted floor 1.25.
# (floor RSS holds the batch's output cells it loads up front.)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(250 1000)

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (for peak RSS)…" >&2
  apt-get install -y time >/dev/null
fi

cargo build --release --locked --bin yusuan --example bench_gen --example bench_floor >&2
bin=${YUSUAN_BIN:-target/release/yusuan}
gen=target/release/examples/bench_gen
floor=target/release/examples/bench_floor
seed=tests/fixtures/seed_budget.json

now() { date +%s.%N; }
rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }
cpu_s() { awk -F': ' '/(User|System) time \(seconds\)/ { t += $2 } END { printf "%.2f", t }' "$1"; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

printf '%6s %8s %8s %8s %6s %9s %9s %9s %9s %9s %6s %9s %s\n' \
  N floor_s batch_s units/s ratio floor_cpu batch_cpu cpu_ratio floor_MB batch_MB fmt_s fmt_ratio \
  batch_exit
status=0
for n in "${sizes[@]}"; do
  work=$(mktemp -d)
  "$gen" "$seed" "$n" 1 "$work/in" >/dev/null
  # Warm the page cache so neither run pays for the first read.
  find "$work/in" -type f -exec cat {} + >/dev/null

  t0=$(now)
  set +e
  /usr/bin/time -v -o "$work/batch.time" "$bin" batch "$work/in" -o "$work/out" --quiet \
    >/dev/null 2>"$work/batch.err"
  code=$?
  set -e
  t1=$(now)
  # The floor times itself (it first loads the batch's output cells, untimed).
  cells_from=()
  [ -f "$work/out/summary.json" ] && cells_from=("$work/out")
  floor_line=$(/usr/bin/time -v -o "$work/floor.time" \
    "$floor" "$work/in" "$work/floor-out" "${cells_from[@]}")
  floor_s=$(echo "$floor_line" | awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "s") { print $i; exit } }')
  floor_cpu=$(echo "$floor_line" | awk '{ for (i = 1; i < NF; i++) if ($i == "cpu") print $(i+1) }')
  # The formatted floor: the same reads plus the full official workbook per unit (budgets
  # loaded untimed) — what the batch would cost if recognition and checks were free.
  fmt_line=$("$floor" --formatted "$work/in" "$work/fmt-out")
  fmt_s=$(echo "$fmt_line" | awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "s") { print $i; exit } }')

  batch_s=$(calc "$t1 - $t0")
  batch_cpu=$(cpu_s "$work/batch.time")
  if [ "$code" -ge 2 ]; then
    rate=n/a ratio=n/a cpu_ratio=n/a fmt_ratio=n/a
  else
    fmt_ratio=$(calc "$batch_s / $fmt_s")
    rate=$(calc "$n / $batch_s")
    ratio=$(calc "$batch_s / $floor_s")
    cpu_ratio=$(calc "$batch_cpu / $floor_cpu")
  fi
  floor_mb=$(rss_mb "$work/floor.time")
  batch_mb=$(rss_mb "$work/batch.time")
  printf '%6s %8s %8s %8s %6s %9s %9s %9s %9s %9s %6s %9s %s\n' \
    "$n" "$floor_s" "$batch_s" "$rate" "$ratio" "$floor_cpu" "$batch_cpu" "$cpu_ratio" \
    "$floor_mb" "$batch_mb" "$fmt_s" "$fmt_ratio" "$code"

  if [ "$code" -ge 2 ]; then
    echo "  batch exit $code: $(head -c 300 "$work/batch.err")" >&2
    [ -f "$work/out/summary.json" ] && \
      grep -m3 '"first_error"' "$work/out/summary.json" | sed 's/^/  /' >&2
    status=1
  fi
  [ "$code" -ge 2 ] || awk -v r="$rate" -v q="$ratio" -v m="$batch_mb" 'BEGIN {
    if (r < 150) print "  below target: " r " units/s < 150";
    if (q > 1.5) print "  above target: batch/floor " q " > 1.5";
    if (m >= 200) print "  above target: peak RSS " m " MB >= 200";
  }' >&2
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "  kept $work" >&2; else rm -rf "$work"; fi
done
exit $status
