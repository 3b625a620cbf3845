#!/usr/bin/env bash
# bench-la.sh: a local authority's night at the scale of issue 22: 2,000 children, 3 academic
# years (vschool fixtures --children 2000 --years 3), a fresh `vschool ingest` into a new
# lake, then the latest year's 8 reports: the 3 term reports and the annual report, team and
# board editions, every format. Prints the wall time, CPU time (user + sys) and peak resident
# set of every stage (/usr/bin/time -f), and the total of ingest and reports.
#
# Usage: scripts/bench-la.sh [CHILDREN [YEARS]]   (default 2000 3)
#   WORK=dir   the scratch folder (default: a new temporary folder, removed at the end; with
#              WORK the exports are kept in WORK/fixtures-CHILDREN-YEARS and reused)
#   RUNS=n     ingest and report n times (default 1), each into a new lake; with n > 1 the
#              totals of every run and their median follow (the machine is shared: one run
#              says little)
# Needs: go, awk, sort, /usr/bin/time. Takes well under a minute.
set -euo pipefail

children=${1:-2000}
years=${2:-3}
year=2024-25
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
chmod 700 "$work"
work=$(cd "$work" && pwd)
cleanup() { [ -n "${WORK:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=bench-stages.sh
. "$root/scripts/bench-stages.sh"

prepare

fx="$work/fixtures-$children-$years"
exports "fixtures ($children x $years)" "$fx" --children "$children" --years "$years" --last-year "$year"

config_file "$work/vschool.yaml" 20000000
runs=${RUNS:-1}
totals_wall=()
for ((run = 1; run <= runs; run++)); do
  [ "$runs" -gt 1 ] && echo "Run $run of $runs:"
  ingest_and_report "$fx" "$year"
  check "LA scale (under 3 s)" 3 2048
  totals_wall+=("$total_wall")
done
if [ "$runs" -gt 1 ]; then
  printf '%s\n' "${totals_wall[@]}" | sort -g | awk '{ w[NR] = $1 } END {
    m = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
    printf "%d runs, total (ingest + 8 reports) wall: %.2f to %.2f s, median %.2f s\n", NR, w[1], w[NR], m
  }'
fi
echo "Load after: $(uptime | sed 's/.*average: //')"
