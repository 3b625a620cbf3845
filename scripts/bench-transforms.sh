#!/usr/bin/env bash
# bench-transforms.sh: compares the transforms benchmark (BenchmarkRun: every measure for six
# terms and three years of a 2,000-child, 3-year lake) of two commits, running their test
# binaries alternately, and prints the median wall and CPU seconds per run of each. The
# machine is shared and noisy: one run of each says little, the medians of several pairs
# alternating say more, and the median of the pairs' ratios (new over base) more again.
#
# Usage: scripts/bench-transforms.sh [BASE [NEW]]   (commits; default BASE = HEAD~1, NEW = the
#        work tree; PAIRS=n pairs (default 6), CASE=summarised|bare (default
#        summarised), TIMES=k runs per benchmark call (default 4))
# Needs: go, git, python3. About 15 s a pair on 2 cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-HEAD~1}
new=${2:-}
pairs=${PAIRS:-6}
case_=${CASE:-summarised}
times=${TIMES:-4}
work=$(mktemp -d)
cleanup() {
  git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
  git -C "$root" worktree remove --force "$work/new" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

build() { # build <commit or ""> <name>
  local dir=$root
  if [ -n "$1" ]; then
    dir=$work/$2
    git -C "$root" worktree add -q --detach "$dir" "$1"
  fi
  (cd "$dir" && go test -c -o "$work/$2.test" ./transforms/)
}
echo "Building $base and ${new:-the work tree} ..."
build "$base" base
build "$new" new

echo "Load before: $(uptime)"
out=$work/runs.txt
for i in $(seq "$pairs"); do
  for b in base new; do
    r=$("$work/$b.test" -test.run '^$' -test.bench "BenchmarkRun/^${case_}\$" -test.benchtime "${times}x" | awk '/^Benchmark/ {print $3 / 1e9, $5}')
    echo "$b $r $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out"
  done
done
echo "Load after: $(uptime)"
python3 - "$out" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, wall, cpu, _ = line.split()
    runs.setdefault(name, []).append((float(wall), float(cpu)))
for name in ("base", "new"):
    v = runs[name]
    print(f"{name}: median {statistics.median(w for w, _ in v):.3f} s/op, "
          f"median {statistics.median(c for _, c in v):.3f} CPU-s/op, best {min(w for w, _ in v):.3f} s/op, {len(v)} runs")
# Each pair ran back to back, so its ratio is less exposed to the host's slow spells than the
# medians are.
pairs = list(zip(runs["base"], runs["new"]))
print(f"new/base, median of the {len(pairs)} pairs: {statistics.median(n[0] / b[0] for b, n in pairs):.3f} wall, "
      f"{statistics.median(n[1] / b[1] for b, n in pairs):.3f} CPU")
PY
