"""Time printing every per-bureau briefing of a corpus, in both editions (run by hand; see
benchmarks/README.md).

    .venv/bin/python benchmarks/briefings.py --size 1000 --runs 3

As `jiandi build` does it: one process per edition, side by side, each printing its bureaus'
briefings one after another and then helping with the other edition's (with the
`extra.jiandi.briefing_months` of the project's mkdocs.yml, or `--months`). The wall time is
that of both processes, from start (Python, loading and validating the content included) to
the last PDF; no cached PDF is used. The handbook is not a briefing and is left out.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))


def print_edition(
    edition_name: str, content: Path, out: Path, months: int | None, alone: bool = False
) -> None:
    from generator import editions
    from generator.booklets import printing
    from generator.check import validate
    from generator.config import load_base_config, settings_of

    base = load_base_config(ROOT / "mkdocs.yml")
    if months is None:
        months = settings_of(base).jiandi.briefing_months
    corpus, _ = validate(content.resolve())
    edition = editions.make(corpus, editions.name_of(edition_name))
    every = printing.site_booklets  # the briefings only: the handbook is not one
    printing.site_booklets = lambda e, m: [
        (name, b) for name, b in every(e, m) if b.kind == "bureau"
    ]
    other = "internal" if edition_name == "public" else "public"
    printing.publish_booklets(
        edition,
        out / edition_name,
        ROOT / "templates",
        base,
        out / "cache",
        months,
        None if alone else out / "claims",
        [editions.make(corpus, other)],
    )


def pages(folder: Path) -> int:
    from pypdf import PdfReader

    return sum(
        len(PdfReader(path).pages)
        for edition in ("public", "internal")
        for path in (folder / edition).rglob("*.pdf")
    )


def run_once(work: Path, out: Path, months: list[str], alone: bool) -> float:
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                *months,
                *(["--alone"] if alone else []),
                "--worker",
                edition,
                str(work / "content"),
                str(out),
            ]
        )
        for edition in ("public", "internal")
    ]
    if any(w.wait() for w in workers):
        sys.exit("a worker failed")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--months", type=int, help="override briefing_months (0: every event)")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time, in each round, each edition printing only its own",
    )
    parser.add_argument("--alone", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--worker", nargs=3, metavar=("EDITION", "CONTENT", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        edition, content, out = args.worker
        print_edition(edition, Path(content), Path(out), args.months, args.alone)
        return
    from corpus import write

    work = Path(tempfile.mkdtemp(prefix="jiandi-briefings-"))
    write(args.size, work / "content")
    months = [] if args.months is None else ["--months", str(args.months)]
    variants = [False, True] if args.compare else [False]
    times: dict[bool, list[float]] = {alone: [] for alone in variants}
    for run in range(args.runs):
        for alone in variants:
            out = work / f"out-{run}-{'alone' if alone else 'helping'}"
            times[alone].append(run_once(work, out, months, alone))
    for alone in variants:
        out = work / f"out-0-{'alone' if alone else 'helping'}"
        count = sum(len(list((out / e).rglob("*.pdf"))) for e in ("public", "internal"))
        label = "each edition its own" if alone else "helping each other"
        print(
            f"| {args.size:,} | {label} | {count} briefings, {pages(out):,} pages | "
            f"{statistics.median(times[alone]):.1f} s | "
            f"{', '.join(f'{t:.1f}' for t in times[alone])} |"
        )


if __name__ == "__main__":
    main()
