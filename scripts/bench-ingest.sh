#!/usr/bin/env bash
# bench-ingest.sh: times vschool's validated ingest of a session-level attendance CSV against
# DuckDB's own unvalidated copy of the same file,
#   COPY (FROM read_csv(F, all_varchar=true)) TO 'x.parquet' (FORMAT parquet, COMPRESSION zstd)
# for the same marks in two orders: date order (every child's marks for one day, then the next
# day: how daily feeds arrive) and child order (each child's marks, then the next child's).
# It prints wall and CPU time and peak memory of each run, and the throughput ratio
# DuckDB seconds / vschool seconds (above 1: vschool is faster; the target is 1.2).
#
# Usage: scripts/bench-ingest.sh [ROWS [CHILDREN]]   (default 10000000 rows, 400000 children)
#   WORK=dir keeps the files there (and REUSE_CSV=1 reuses CSVs generated there before);
#   PAIRS=n runs both n times per order, alternating which goes first (default 3), and
#   prints the median ratio; ORDERS="date child" chooses the orders.
# Needs: go, awk, /usr/bin/time. DuckDB runs in-process through the duckdb-go driver (a test
# binary, TestDuckDBCopyBaseline), so no duckdb CLI is needed. The machine is shared and
# noisy: compare ratios of the same pair, not absolute times.
set -euo pipefail

rows=${1:-10000000}
children=${2:-400000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
cleanup() { [ -n "${WORK:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

# gen ORDER FILE: ROWS marks of CHILDREN children, two (AM, PM) per school day from Monday
# 2 September 2024, at 500 schools, a mix of codes (mostly present). Both orders hold exactly
# the same rows. Every row is valid.
gen() {
  awk -v n="$rows" -v children="$children" -v order="$1" 'BEGIN {
    print "child_id,upn,school_urn,date,session,code"
    split("/ / / / / / / L I M N O U C B", codes, " ")
    split("31 28 31 30 31 30 31 31 30 31 30 31", mdays, " ")
    per = int((n + children - 1) / children); days = int((per + 1) / 2)
    y = 2024; m = 9; d = 2; wd = 0
    for (k = 0; k < days; ) {
      if (wd < 5) { date[k] = sprintf("%d-%02d-%02d", y, m, d); k++ }
      wd = (wd + 1) % 7
      d++; if (d > mdays[m] + (m == 2 && y % 4 == 0)) { d = 1; m++; if (m > 12) { m = 1; y++ } }
    }
    if (order == "date") {
      for (k = 0; k < days; k++) for (c = 0; c < children; c++) for (s = 0; s < 2; s++) emit(c, 2 * k + s)
    } else {
      for (c = 0; c < children; c++) for (j = 0; j < per; j++) emit(c, j)
    }
  }
  function emit(c, j) {
    if (j >= per || c * per + j >= n) return
    printf "C%d,,1%05d,%s,%s,%s\n", c, c % 500, date[int(j / 2)], (j % 2 ? "PM" : "AM"), codes[1 + (c + j) % 15]
  }' > "$2"
}

orders=${ORDERS:-date child}
echo "Load before: $(uptime)"
for o in $orders; do
  csv="$work/$o.csv"
  if [ "${REUSE_CSV:-}" = 1 ] && [ -s "$csv" ]; then
    echo "Reusing $csv"
  else
    echo "Generating $rows marks of $children children in $o order: $csv ..."
    gen "$o" "$csv"
  fi
done
ls -l "$work"/*.csv

echo "Building ..."
(cd "$root" && go build -o "$work/vschool" ./cmd/vschool && go test -c -o "$work/ingest.test" ./pipeline/ingest)

measure() { # label, command...: prints "label seconds peak_kb cpu_seconds"
  local label=$1; shift
  local log="$work/$label.time"
  /usr/bin/time -v "$@" > "$work/$label.out" 2> "$log" || { cat "$work/$label.out" "$log" >&2; exit 1; }
  local wall peak cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log")
  peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s += $2} END {printf "%.2f", s}' "$log")
  echo "$label $wall $peak $cpu"
}

pairs=${PAIRS:-3}
summary=()
for o in $orders; do
  csv="$work/$o.csv"
  ratios=()
  for ((i = 1; i <= pairs; i++)); do
    rm -rf "$work/lake" "$work/duck.parquet"
    run_v() { v=$(measure vschool "$work/vschool" -q --lake "$work/lake" ingest "$csv"); }
    run_d() { d=$(VSCHOOL_DUCKDB_COPY_CSV="$csv" VSCHOOL_DUCKDB_COPY_OUT="$work/duck.parquet" \
      measure duckdb "$work/ingest.test" -test.run '^TestDuckDBCopyBaseline$' -test.count=1); }
    echo "$o order, pair $i of $pairs ($( ((i % 2)) && echo "vschool first" || echo "DuckDB first")):"
    if ((i % 2)); then run_v; run_d; else run_d; run_v; fi
    read -r _ vs vk vc <<< "$v"
    read -r _ ds dk dc <<< "$d"
    printf '  %-34s %8s s (%s s CPU)  peak %6d MB\n' "vschool ingest ($rows rows)" "$vs" "$vc" $((vk / 1024))
    printf '  %-34s %8s s (%s s CPU)  peak %6d MB\n' "DuckDB COPY (same file)" "$ds" "$dc" $((dk / 1024))
    r=$(awk -v a="$vs" -v b="$ds" 'BEGIN { printf "%.2f", b / a }')
    echo "  throughput vschool / DuckDB: $r (load $(uptime | sed 's/.*average: //'))"
    ratios+=("$r")
  done
  med=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  summary+=("$o order: ratios ${ratios[*]}, median $med")
done
echo
printf '%s\n' "${summary[@]}"
echo "(throughput of vschool's validated ingest over DuckDB's unvalidated COPY: DuckDB seconds / vschool seconds; target >= 1.2)"
du -sh "$work/lake" "$work/duck.parquet" | sed 's/^/output size: /'
echo "Load after: $(uptime)"
