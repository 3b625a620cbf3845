# bench-stages.sh: shared by bench-national.sh and bench-la.sh (sourced, not run). Each stage
# runs under /usr/bin/time -f; stage prints its wall time, CPU time (user + sys) and peak
# resident set, and adds them to the totals that totals prints.
#
# Needs: $work (the scratch folder) set before sourcing; awk and /usr/bin/time.

stage_count=0
total_wall=0
total_cpu=0
total_peak=0
stage_lines=()

# stage LABEL COMMAND...: runs COMMAND with its output in $work/logs/LABEL.out (exit 0, or 3
# when rows were quarantined: reported, the run goes on); any other exit stops the script.
stage() {
  local label=$1; shift
  mkdir -p "$work/logs"
  local out="$work/logs/$label.out" tf="$work/logs/$label.time" rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" > "$out" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "stage $label failed (exit $rc):" >&2
    tail -n 20 "$out" >&2
    exit 1
  fi
  local line
  line=$(tail -n 1 "$tf" | awk -v label="$label" -v rc="$rc" '{
      cpu = $2 + $3
      printf "%-26s %9.2f s wall %9.2f s CPU  peak %6d MiB%s\n", label, $1, cpu, $4 / 1024, (rc == 3 ? "  (rows quarantined)" : "")
    }')
  echo "$line"
  stage_lines+=("$line")
  read -r w u s m < <(tail -n 1 "$tf")
  total_wall=$(awk -v a="$total_wall" -v b="$w" 'BEGIN { print a + b }')
  total_cpu=$(awk -v a="$total_cpu" -v b="$u" -v c="$s" 'BEGIN { print a + b + c }')
  total_peak=$(( m > total_peak ? m : total_peak ))
  stage_count=$((stage_count + 1))
}

# totals LABEL: prints the sums of the stages run since the last reset, and the highest peak.
totals() {
  printf '%-26s %9.2f s wall %9.2f s CPU  peak %6d MiB  (%d stages; highest peak)\n' "$1" "$total_wall" "$total_cpu" $((total_peak / 1024)) "$stage_count"
}

# reset_totals: starts the totals again (the fixtures are not part of the run being timed).
reset_totals() {
  stage_count=0; total_wall=0; total_cpu=0; total_peak=0
}

# check NAME LIMIT_SECONDS LIMIT_MIB: says whether the totals meet a target (never fails).
check() {
  awk -v name="$1" -v w="$total_wall" -v lw="$2" -v p="$total_peak" -v lp="$3" 'BEGIN {
    printf "target %s: %.1f s wall (limit %d s): %s; highest peak %d MiB (limit %d MiB): %s\n", name, w, lw, (w < lw ? "met" : "NOT met"), p / 1024, lp, (p / 1024 < lp ? "met" : "NOT met")
  }'
}

# config_file PATH MAX_ROWS: writes the configuration the benchmarks use: the fixtures' made-up
# home LA (as vschool demo uses) and a max_rows large enough for the attendance file.
config_file() {
  cat > "$1" <<YAML
home_la:
  old_code: "999"
  new_code: E99999999
  name: Demo Virtual School
ingest:
  max_rows: $2
YAML
  chmod 600 "$1"
}

# ingest_files DIR: the fixture files in the order to ingest them (rosters first, the CIN
# census files last, oldest first), as vschool fixtures prints them.
ingest_files() {
  local d=$1 f
  for f in header.csv episodes.csv children.csv cohort_episodes.csv schools.csv attendance_sessions.csv \
    attendance_summary.csv exclusions.xlsx attainment.csv peps.csv education_placements.csv oc3.csv; do
    echo "$d/$f"
  done
  ls "$d"/cin_census_*.xml | sort
}

# prepare: prints the machine, builds vschool into $work (needs $root), names the commit, and
# enters $work.
prepare() {
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM; load before: $(uptime | sed 's/.*average: //')"
  (cd "$root" && go build -o "$work/vschool" ./cmd/vschool)
  git -C "$root" log -1 --format='Commit: %h %s' 2>/dev/null || true
  cd "$work"
}

# exports LABEL DIR ARGS...: `vschool fixtures ARGS --out DIR` as a stage, or the exports
# already in DIR when an earlier run finished them.
exports() {
  local label=$1 fx=$2
  shift 2
  if [ -f "$fx/.complete" ]; then
    echo "Reusing the exports in $fx"
  else
    rm -rf "$fx"
    stage "$label" "$work/vschool" fixtures "$@" --out "$fx"
    touch "$fx/.complete"
  fi
}

# ingest_and_report DIR YEAR: a fresh lake from the exports in DIR, then the 8 reports of
# YEAR (3 terms and the year, team and board) in one call, which writes OUT/<period>/<edition>/
# and computes the figures of every period in one run, once for all 8; then the totals. Needs $work/vschool.yaml.
ingest_and_report() {
  local fx=$1 year=$2 files
  rm -rf "$work/lake" "$work/reports"
  reset_totals
  mapfile -t files < <(ingest_files "$fx")
  stage ingest "$work/vschool" --config "$work/vschool.yaml" --lake "$work/lake" --quiet ingest --collection-year 2025 "${files[@]}"
  stage "8 reports" "$work/vschool" --config "$work/vschool.yaml" --lake "$work/lake" --quiet report --year "$year" \
    --term autumn,spring,summer,year --edition team,board --out "$work/reports"
  totals "total (ingest + 8 reports)"
}
