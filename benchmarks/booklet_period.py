"""Time a period booklet of 200 events (run by hand; see benchmarks/README.md).

.venv/bin/python benchmarks/booklet_period.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write  # noqa: E402 - after the path to the benchmarks' own modules


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jiandi-booklet-"))
    # 2,200 records spread over ten years: one year holds about 200 events.
    write(2200, work / "content")
    year = "2020"
    events = [p for p in (work / "content/events").glob(f"{year}-*.md")]
    print(f"{len(events)} events in {year}")
    times, peaks, pages = [], [], 0
    for _ in range(args.runs):
        out = work / "period.pdf"
        result = subprocess.run(
            [
                "/usr/bin/time",
                "-f",
                "%e %M",
                sys.executable,
                "-m",
                "generator",
                "booklet",
                "period",
                "--content",
                str(work / "content"),
                "--period",
                year,
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            cwd=HERE.parent,
            env={**os.environ},
            check=False,
        )
        wall, kib = result.stderr.strip().splitlines()[-1].split()
        times.append(float(wall))
        peaks.append(int(kib))
        from pypdf import PdfReader

        pages = len(PdfReader(out).pages)
    print(
        f"| period booklet, {len(events)} events, {pages} pages | {statistics.median(times):.1f} s "
        f"| {', '.join(f'{t:.1f}' for t in times)} | {max(peaks) / 1024:.0f} MiB |"
    )


if __name__ == "__main__":
    main()
