"""Time jiandi's commands on synthetic corpora, side by side, median of several runs.

    .venv/bin/python benchmarks/run.py check --sizes 10000 --runs 5

Each measurement runs the command in a fresh process under /usr/bin/time (wall time and peak
resident memory). Results are printed as a Markdown table for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write  # noqa: E402 - after the path to the benchmarks' own modules

JIANDI = [sys.executable, "-m", "generator"]


def measure(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *command],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall, kib = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kib)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["check"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", default=str(HERE.parent / "content"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jiandi-bench-"))
    corpora = {"sample": Path(args.sample)}
    for size in args.sizes:
        corpora[f"{size:,}"] = work / f"c{size}"
        write(size, corpora[f"{size:,}"])
    variants = {"check (2 processes)": {}, "check (1 process)": {"JIANDI_JOBS": "1"}}
    print("| corpus | variant | median wall | runs | peak RSS |")
    print("|---|---|---:|---|---:|")
    for name, corpus in corpora.items():
        for label, extra in variants.items():
            env = {**os.environ, **extra}
            times, peaks = [], []
            for _ in range(args.runs):  # variants alternate run by run would be fairer still
                wall, kib = measure([*JIANDI, "check", "--content", str(corpus)], env, work)
                times.append(wall)
                peaks.append(kib)
            print(
                f"| {name} | {label} | {statistics.median(times):.2f} s | "
                f"{', '.join(f'{t:.2f}' for t in times)} | {max(peaks) / 1024:.0f} MiB |"
            )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
