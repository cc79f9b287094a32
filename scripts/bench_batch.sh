#!/usr/bin/env bash
# Batch benchmark (release build): for each N (default 250 and 1000) generate N synthetic units
# from the seed in rotating shapes, then time, in the same run and on the same files,
#   1. `yusuan batch DIR -o OUT --quiet` — the whole pipeline plus consolidation and summary
#                   (wall time of the whole process, start-up and exit included);
#   2. the floor  — only reading the same files (calamine/csv) and writing the same cells the
#                   batch writes for each unit with rust_xlsxwriter: every value, format, merge,
#                   width, height and the page setup, planned before the clock starts
#                   (examples/bench_floor.rs; the bytes are the batch's unit workbooks), same
#                   rayon pool, same save_atomically (temp file, fsync, rename);
#   3. the values floor (`bench_floor --values`) — the same reads, then only the values of each
#                   batch output workbook, unformatted, no merges, no bordered blank cells, no page
#                   setup: not a batch (its workbooks are not the official tables), a lower bound
#                   for comparison.
# Each is run REPS times (default 3) in alternating order (batch first, then floor first, ...),
# every run into a fresh folder and nothing deleted until the script ends, after a `sync` and
# a pause: file creation on this box's ext4 (no journal) slows down right after many deletions
# (the kernel skips recently freed inodes), which otherwise lands on whichever run comes first.
# For the same reason the folders of every size are kept until the script ends: ext4 without a
# journal skips inodes freed in the last 30 s on every file it creates (recently_deleted()), a
# cost both programs share that would otherwise flatter the ratio of the next size. Do not
# delete thousands of files just before running this.
# Reported: the median of each (wall s, CPU s = user+sys, the floor's own timed part), units/s,
# batch/floor in wall time as the ratio of the medians and as the median of the per-round
# ratios (`pairs`), batch/floor in CPU time, batch/values floor and floor/values floor (what
# the official formatting costs rust_xlsxwriter), peak RSS (/usr/bin/time -v), and every
# round's ratio.
# Targets: >= 150 units/s, batch <= 1.5 x floor, peak RSS < 200 MB and flat as N grows.
#
# Usage: scripts/bench_batch.sh [N ...]      (env: REPS; YUSUAN_BIN to time another binary with
#        the same `batch DIR -o OUT --quiet` interface; BENCH_KEEP=1 to keep the folders)
#
# Measurements and their reading are in the README (## Benchmark).
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

reps=${REPS:-3}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($(i+1) == k) { print $i; exit } }'; }

# One timed batch run into $work/out.$1; appends "wall cpu rss exit" to $work/batch.runs.
run_batch() {
  local t0 t1 code
  sync; sleep 2
  t0=$(now)
  set +e
  /usr/bin/time -v -o "$work/batch.$1.time" "$bin" batch "$work/in" -o "$work/out.$1" --quiet \
    >/dev/null 2>"$work/batch.$1.err"
  code=$?
  set -e
  t1=$(now)
  echo "$(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }") $(cpu_s "$work/batch.$1.time") $(rss_mb "$work/batch.$1.time") $code" \
    >>"$work/batch.runs"
}

# One timed floor run into $work/floor.$1 (the same workbooks as the batch: bench_floor checks
# its workbooks against the batch's first output, after its clock, and the script stops if one
# differs).
run_floor() {
  local out
  sync; sleep 2
  out=$(/usr/bin/time -v -o "$work/floor.$1.time" "$floor" "$work/in" "$work/floor.$1" "$work/out.1") || {
    echo "floor: $out" >&2
    exit 1
  }
  line=$(head -1 <<<"$out")
  echo "$(echo "$line" | field s) $(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "cpu") print $(i+1) }') $(rss_mb "$work/floor.$1.time")" \
    >>"$work/floor.runs"
  same=$(sed -n 's/^same as the batch.s: //p' <<<"$out")
}

# One timed values-floor run (the values of batch output $work/out.1) into $work/values.$1.
run_values() {
  sync; sleep 2
  "$floor" --values "$work/in" "$work/values.$1" "$work/out.1" | field s >>"$work/values.runs"
}

printf '%6s %5s %8s %8s %8s %6s %6s %9s %9s %9s %8s %12s %12s %9s %9s  %s\n' \
  N reps floor_s batch_s units/s ratio pairs floor_cpu batch_cpu cpu_ratio values_s batch/values \
  floor/values floor_MB batch_MB "ratio per run"
status=0
works=()
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "${works[@]}"; }
trap cleanup EXIT
for n in "${sizes[@]}"; do
  work=$(mktemp -d)
  works+=("$work")
  "$gen" "$seed" "$n" 1 "$work/in" >/dev/null
  # Warm the page cache so no run pays for the first read.
  find "$work/in" -type f -exec cat {} + >/dev/null
  sync; sleep 5
  # The first batch run also provides the values the values floor writes.
  run_batch 1
  run_floor 1
  run_values 1
  for r in $(seq 2 "$reps"); do
    if [ $((r % 2)) = 0 ]; then
      run_floor "$r"; run_values "$r"; run_batch "$r"
    else
      run_batch "$r"; run_floor "$r"; run_values "$r"
    fi
  done

  code=$(awk '{ if ($4 > c) c = $4 } END { print c + 0 }' "$work/batch.runs")
  batch_s=$(awk '{ print $1 }' "$work/batch.runs" | median)
  batch_cpu=$(awk '{ print $2 }' "$work/batch.runs" | median)
  batch_mb=$(awk '{ print $3 }' "$work/batch.runs" | sort -g | tail -1)
  floor_s=$(awk '{ print $1 }' "$work/floor.runs" | median)
  floor_cpu=$(awk '{ print $2 }' "$work/floor.runs" | median)
  floor_mb=$(awk '{ print $3 }' "$work/floor.runs" | sort -g | tail -1)
  values_s=$(median <"$work/values.runs")
  per_run=$(paste -d' ' <(awk '{ print $1 }' "$work/batch.runs") <(awk '{ print $1 }' "$work/floor.runs") |
    awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2 }')
  # The median of the per-round ratios: each round's batch and floor ran back to back, so this
  # one is not moved by the machine drifting slower or faster over the rounds.
  pair_ratio=$(tr ' ' '\n' <<<"$per_run" | median)
  if [ "$code" -ge 2 ]; then
    rate=n/a ratio=n/a cpu_ratio=n/a values_ratio=n/a floor_values=n/a
  else
    rate=$(calc "$n / $batch_s")
    ratio=$(calc "$batch_s / $floor_s")
    cpu_ratio=$(calc "$batch_cpu / $floor_cpu")
    values_ratio=$(calc "$batch_s / $values_s")
    floor_values=$(calc "$floor_s / $values_s")
  fi
  printf '%6s %5s %8.3f %8.3f %8s %6s %6s %9s %9s %9s %8.3f %12s %12s %9s %9s  %s\n' \
    "$n" "$reps" "$floor_s" "$batch_s" "$rate" "$ratio" "$pair_ratio" "$floor_cpu" "$batch_cpu" \
    "$cpu_ratio" "$values_s" "$values_ratio" "$floor_values" "$floor_mb" "$batch_mb" "$per_run"

  if [ "$code" -ge 2 ]; then
    echo "  batch exit $code: $(head -c 300 "$work/batch.1.err")" >&2
    [ -f "$work/out.1/summary.json" ] && \
      grep -m3 '"first_error"' "$work/out.1/summary.json" | sed 's/^/  /' >&2
    status=1
  fi
  [ "$code" -ge 2 ] || awk -v r="$rate" -v q="$ratio" -v m="$batch_mb" 'BEGIN {
    if (r < 150) print "  below target: " r " units/s < 150";
    if (q > 1.5) print "  above target: batch/floor " q " > 1.5";
    if (m >= 200) print "  above target: peak RSS " m " MB >= 200";
  }' >&2
  echo "  floor workbooks the same as the batch's: $same" >&2
  [ "${BENCH_KEEP:-0}" = 1 ] && echo "  kept $work" >&2
done
exit $status
