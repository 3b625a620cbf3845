#!/usr/bin/env bash
# bench-ingest.sh: times vschool's validated ingest of a large session-level attendance CSV
# against DuckDB's own unvalidated COPY (SELECT * FROM read_csv(...)) TO '...parquet' of the
# same file, in the same run, and prints both times, the ratio and the peak memory of each
# (/usr/bin/time -v).
#
# Usage: scripts/bench-ingest.sh [ROWS]      (default 10000000; WORK=dir keeps the files, and
#        with WORK=dir REUSE_CSV=1 a CSV generated there by an earlier run is used again;
#        PAIRS=n runs both n times, alternating which goes first (default 3), and prints the
#        median ratio)
# Needs: go, awk, /usr/bin/time. Takes about a minute for 10 million rows on 2 cores.
set -euo pipefail

rows=${1:-10000000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
csv="$work/sessions.csv"
cleanup() { [ -n "${WORK:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

echo "Load before: $(uptime)"
if [ "${REUSE_CSV:-}" = 1 ] && [ -s "$csv" ]; then
  echo "Reusing $csv"
else
echo "Generating $rows session rows in $csv ..."
# 380 sessions (190 days, AM and PM) per child, two academic years, 500 schools, a realistic
# mix of codes (mostly present). Every row is valid.
awk -v n="$rows" 'BEGIN {
  print "child_id,upn,school_urn,date,session,code"
  split("/ / / / / / / L I M N O U C B", codes, " ")
  for (i = 0; i < n; i++) {
    c = int(i / 380); d = i % 380; day = int(d / 2)
    printf "C%d,,1%05d,%d-%02d-%02d,%s,%s\n", c, c % 500, 2024 + c % 2, 1 + int(day / 28), 1 + day % 28, (i % 2 ? "PM" : "AM"), codes[1 + i % 15]
  }
}' > "$csv"
fi
ls -l "$csv"

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

# PAIRS runs of both (default 3), alternating which goes first, on a fresh lake each time: the
# machine is shared and noisy, so the median ratio is the figure to report.
pairs=${PAIRS:-3}
ratios=()
for ((i = 1; i <= pairs; i++)); do
  rm -rf "$work/lake" "$work/duck.parquet"
  run_v() { v=$(measure vschool "$work/vschool" -q --lake "$work/lake" ingest "$csv"); }
  run_d() { d=$(VSCHOOL_DUCKDB_COPY_CSV="$csv" VSCHOOL_DUCKDB_COPY_OUT="$work/duck.parquet" \
    measure duckdb "$work/ingest.test" -test.run '^TestDuckDBCopyBaseline$' -test.count=1); }
  echo "Pair $i of $pairs: timing vschool ingest (parse, validate, resolve, Parquet, atomic commit) and DuckDB COPY ($( ((i % 2)) && echo "vschool first" || echo "DuckDB first")) ..."
  if ((i % 2)); then run_v; run_d; else run_d; run_v; fi
  read -r _ vs vk vc <<< "$v"
  read -r _ ds dk dc <<< "$d"
  printf '  %-32s %8s s (%s s CPU)  peak %6d MB\n' "vschool ingest ($rows rows)" "$vs" "$vc" $((vk / 1024))
  printf '  %-32s %8s s (%s s CPU)  peak %6d MB\n' "DuckDB COPY (same file)" "$ds" "$dc" $((dk / 1024))
  r=$(awk -v a="$vs" -v b="$ds" 'BEGIN { printf "%.2f", a / b }')
  echo "  ratio vschool / DuckDB: $r (load $(uptime | sed 's/.*average: //'))"
  ratios+=("$r")
done
echo
echo "ratios: ${ratios[*]}"
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR] = $1} END {printf "median ratio vschool / DuckDB: %s (below 1 means vschool is faster)\n", a[int((NR + 1) / 2)]}'
du -sh "$work/lake" "$work/duck.parquet" | sed 's/^/output size: /'
echo "Load after: $(uptime)"
