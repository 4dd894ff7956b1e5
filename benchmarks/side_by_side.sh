#!/usr/bin/env bash
# Time a command of an older commit and of the working tree side by side, round by round.
#   benchmarks/side_by_side.sh REV check N ROUNDS      jiandi check on an N-record corpus
#   benchmarks/side_by_side.sh REV build N ROUNDS      jiandi build --no-booklets, cold
# Prints "round i old SECONDS KiB new SECONDS KiB" per round (peak RSS from /usr/bin/time).
set -euo pipefail
rev=$1 what=$2 size=$3 rounds=${4:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
python=$here/.venv/bin/python
work=$(mktemp -d /tmp/jiandi-side-XXXX)
git -C "$here" worktree add -q "$work/old" "$rev"
trap 'git -C "$here" worktree remove --force "$work/old"; rm -rf "$work"' EXIT
"$python" "$here/benchmarks/corpus.py" "$size" "$work/corpus" >/dev/null
cd "$work"
run() {  # run TREE ARGS…: jiandi from the given source tree
  local tree=$1; shift
  /usr/bin/time -f "%e %M" "$python" -c "import sys; sys.path.insert(0, '$tree'); \
sys.argv = ['jiandi'] + sys.argv[1:]; from generator.cli import main; main()" "$@" \
    >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  tail -1 "$work/err"
}
for round in $(seq 1 "$rounds"); do
  if [ "$what" = build ]; then
    rm -rf o_old b_old o_new b_new
    old=$(run "$work/old" build --content corpus --out o_old --build-dir b_old --no-booklets)
    new=$(run "$here" build --content corpus --out o_new --build-dir b_new --no-booklets)
  else
    old=$(run "$work/old" check --content corpus)
    new=$(run "$here" check --content corpus)
  fi
  echo "round $round old $old new $new"
done
