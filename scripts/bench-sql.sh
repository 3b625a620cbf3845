#!/usr/bin/env bash
# bench-sql.sh: the wall and CPU time of one `vschool sql` command on the demo lake, for a
# query of the measures (every model and measure of the year's terms and the year is built),
# of the cohort models, and of the ad hoc attendance marks (only what each reads is built).
#
# Usage: scripts/bench-sql.sh [RUNS]   (default 5; WORK=dir keeps the demo lake)
# Prints every run (/usr/bin/time) and the median wall time of each query.
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
echo "Machine: $(nproc) cores; load before: $(uptime | sed 's/.*average: //')"
(cd "$root" && go build -o "$work/vschool" ./cmd/vschool)
[ -d "$work/demo/lake" ] || "$work/vschool" demo --out "$work/demo" > /dev/null 2>&1
queries=(
  "measures|SELECT measure, value FROM measures WHERE breakdown = 'Total' AND cohort = 'CLA at term end' AND time_identifier = 'Summer term'"
  "cohorts|SELECT cohort_code, count(*) FROM int_cohort_members GROUP BY ALL"
  "marks|SELECT count(*) FROM attendance_marks WHERE is_unauthorised"
)
for q in "${queries[@]}"; do
  name=${q%%|*} sql=${q#*|}
  walls=()
  for ((i = 0; i < runs; i++)); do
    t=$( { /usr/bin/time -f '%e %U %S' "$work/vschool" sql --quiet --lake "$work/demo/lake" "$sql" > /dev/null; } 2>&1 | tail -n 1)
    read -r w u s <<< "$t"
    printf '%-9s run %d: %5.2f s wall %5.2f s CPU\n' "$name" "$((i + 1))" "$w" "$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')"
    walls+=("$w")
  done
  printf '%-9s median %.2f s wall\n' "$name" "$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
done
echo "Load after: $(uptime | sed 's/.*average: //')"
[ -n "${WORK:-}" ] || rm -rf "$work"
