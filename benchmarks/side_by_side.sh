#!/usr/bin/env bash
# Time a command of an older commit and of the working tree side by side, round by round.
#   benchmarks/side_by_side.sh REV check N ROUNDS      jiandi check on an N-record corpus
#   benchmarks/side_by_side.sh REV build N ROUNDS      jiandi build --no-booklets, cold
#   benchmarks/side_by_side.sh REV warm N ROUNDS       the same, built once before (caches warm)
# Prints "round i old SECONDS KiB new SECONDS KiB" per round (peak RSS from /usr/bin/time). The
# order alternates (odd rounds old first, even rounds new first): on a noisy machine the second
# of two runs was measured up to 9 % slower than the first.
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
one() {  # one TREE SUFFIX: one measurement of the asked-for command
  local tree=$1 tag=$2
  case "$what" in
    build) rm -rf "o_$tag" "b_$tag"
           run "$tree" build --content corpus --out "o_$tag" --build-dir "b_$tag" --no-booklets ;;
    warm)  [ -d "b_$tag" ] || run "$tree" build --content corpus --out "o_$tag" --build-dir "b_$tag" \
             --no-booklets >/dev/null
           run "$tree" build --content corpus --out "o_$tag" --build-dir "b_$tag" --no-booklets ;;
    *)     run "$tree" check --content corpus ;;
  esac
}
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then
    old=$(one "$work/old" old); new=$(one "$here" new)
  else
    new=$(one "$here" new); old=$(one "$work/old" old)
  fi
  echo "round $round old $old new $new"
done
