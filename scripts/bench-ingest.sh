#!/usr/bin/env bash
# bench-ingest.sh: times vschool's validated ingest of a large session-level attendance CSV
# against DuckDB's own unvalidated COPY (SELECT * FROM read_csv(...)) TO '...parquet' of the
# same file, in the same run, and prints both times, the ratio and the peak memory of each
# (/usr/bin/time -v).
#
# Usage: scripts/bench-ingest.sh [ROWS]      (default 10000000; WORK=dir keeps the files, and
#        with WORK=dir REUSE_CSV=1 a CSV generated there by an earlier run is used again)
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

rm -rf "$work/lake" "$work/duck.parquet"
echo "Timing vschool ingest (parse, validate, resolve, Parquet, atomic commit) ..."
v=$(measure vschool "$work/vschool" -q --lake "$work/lake" ingest "$csv")
echo "Timing DuckDB COPY ..."
d=$(VSCHOOL_DUCKDB_COPY_CSV="$csv" VSCHOOL_DUCKDB_COPY_OUT="$work/duck.parquet" \
  measure duckdb "$work/ingest.test" -test.run '^TestDuckDBCopyBaseline$' -test.count=1)

read -r _ vs vk vc <<< "$v"
read -r _ ds dk dc <<< "$d"
echo
printf '%-32s %8s s (%s s CPU)  peak %6d MB\n' "vschool ingest ($rows rows)" "$vs" "$vc" $((vk / 1024))
printf '%-32s %8s s (%s s CPU)  peak %6d MB\n' "DuckDB COPY (same file)" "$ds" "$dc" $((dk / 1024))
awk -v a="$vs" -v b="$ds" 'BEGIN { printf "ratio vschool / DuckDB: %.2f (below 1 means vschool is faster)\n", a / b }'
du -sh "$work/lake" "$work/duck.parquet" | sed 's/^/output size: /'
echo "Load after: $(uptime)"
