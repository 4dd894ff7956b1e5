"""Time printing every per-bureau briefing of a corpus, in both editions (run by hand; see
benchmarks/README.md).

    .venv/bin/python benchmarks/briefings.py --size 1000 --runs 3

As `jiandi build` does it: one process per edition, side by side, each printing its bureaus'
briefings one after another (with the `extra.jiandi.briefing_months` of the project's
mkdocs.yml, or `--months`). The wall time is that of both processes, from start (Python,
loading and validating the content included) to the last PDF; no cached PDF is used. The
handbook is not a briefing and is left out.
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


def print_edition(edition_name: str, content: Path, out: Path, months: int | None) -> None:
    from generator import booklet_render, editions
    from generator.resolve import validate
    from generator.site import load_base_config, settings_of

    base = load_base_config(ROOT / "mkdocs.yml")
    if months is None:
        months = settings_of(base)["briefing_months"]
    corpus, _ = validate(content.resolve())
    edition = editions.make(corpus, edition_name)  # type: ignore[arg-type]
    for name, booklet in booklet_render.site_booklets(edition, months):
        if booklet.kind == "bureau":
            booklet_render.write(booklet, out / edition_name / name, ROOT / "templates", base)


def pages(folder: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(path).pages) for path in folder.rglob("*.pdf"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--months", type=int, help="override briefing_months (0: every event)")
    parser.add_argument("--worker", nargs=3, metavar=("EDITION", "CONTENT", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        edition, content, out = args.worker
        print_edition(edition, Path(content), Path(out), args.months)
        return
    from corpus import write

    work = Path(tempfile.mkdtemp(prefix="jiandi-briefings-"))
    write(args.size, work / "content")
    months = [] if args.months is None else ["--months", str(args.months)]
    times = []
    for run in range(args.runs):
        out = work / f"out-{run}"
        started = time.perf_counter()
        workers = [subprocess.Popen([sys.executable, __file__, *months, "--worker", edition,
                                     str(work / "content"), str(out)])
                   for edition in ("public", "internal")]
        if any(w.wait() for w in workers):
            sys.exit("a worker failed")
        times.append(time.perf_counter() - started)
    count = len(list(out.rglob("*.pdf")))
    print(f"| {args.size:,} | {count} briefings, {pages(out):,} pages | "
          f"{statistics.median(times):.1f} s | {', '.join(f'{t:.1f}' for t in times)} |")


if __name__ == "__main__":
    main()
