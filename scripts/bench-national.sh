#!/usr/bin/env bash
# bench-national.sh: the national run of issue 22. Every school-age child in care or in need in
# England (480,000 children, one academic year, about 185 million session marks: vschool
# fixtures --realistic), a fresh `vschool ingest` into a new lake, then the 3 term reports and
# the annual report of the year, team and board editions, every format (HTML, XLSX, CSV,
# PDF): one `vschool report` call writing the 8 reports. Prints the wall time, CPU time (user + sys) and peak
# resident set of every stage (/usr/bin/time -f), and the total of ingest and reports.
#
# Usage: scripts/bench-national.sh [CHILDREN]   (default 480000)
#   WORK=dir   the scratch folder (default /tmp/vschool-bench-national). The generated
#              exports are kept in WORK/fixtures-CHILDREN and reused by the next run (about
#              7 GB for 480,000 children; generating them takes a few minutes); the lake and
#              the reports are made afresh every run. Remove the folder when done.
# Needs: go, awk, /usr/bin/time; about 15 GB of disk for 480,000 children. Commands run with
# WORK as the working folder, so nothing (DuckDB spill files) lands in the repository.
set -euo pipefail

children=${1:-480000}
year=2024-25
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/vschool-bench-national}
mkdir -p "$work"
chmod 700 "$work"
work=$(cd "$work" && pwd)
# shellcheck source=bench-stages.sh
. "$root/scripts/bench-stages.sh"

prepare

fx="$work/fixtures-$children"
exports "fixtures ($children)" "$fx" --children "$children" --years 1 --last-year "$year" --realistic
marks=$(($(wc -l < "$fx/attendance_sessions.csv") - 1))
echo "Exports: $(du -sh "$fx" | cut -f1), $marks session marks ($((marks / children)) a child)"

config_file "$work/vschool.yaml" 1000000000
ingest_and_report "$fx" "$year"
check "national (under 5 minutes, every peak under 2 GiB)" 300 2048
echo "Lake: $(du -sh "$work/lake" | cut -f1); load after: $(uptime | sed 's/.*average: //')"
