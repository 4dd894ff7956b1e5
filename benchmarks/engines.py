"""WeasyPrint against Typst on the same booklets, side by side (run by hand; issue 19).

    .venv/bin/python benchmarks/engines.py --runs 3

For each booklet (the 192-event period booklet of a 2,200-record corpus; every bureau briefing
of a 1,000-record corpus, both editions) and each engine in turn, in one process with the
corpus validated once: the time to write the booklet's source (HTML or Typst) and to print it,
no cache. Rounds alternate the engines, so both see the same machine. Medians are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
from corpus import write  # noqa: E402


def _print_all(booklets, out: Path, base, engine: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from generator.booklets import printing

    os.environ["JIANDI_BOOKLET_ENGINE"] = engine
    env = printing.environment(ROOT / "templates")
    started = time.perf_counter()
    pages = 0
    for index, booklet in enumerate(booklets):
        target = out / f"{engine}-{index}.pdf"
        printing.compile_source(
            printing.render_html(booklet, env, base), target, booklet.edition.corpus.root
        )
    elapsed = time.perf_counter() - started
    for index in range(len(booklets)):
        pages += len(PdfReader(out / f"{engine}-{index}.pdf").pages)
    return elapsed, pages


def main() -> None:
    from generator import editions
    from generator.booklets import selection
    from generator.check import validate
    from generator.config import load_base_config, settings_of

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = load_base_config(ROOT / "mkdocs.yml")
    months = settings_of(base).jiandi.briefing_months
    work = Path(tempfile.mkdtemp(prefix="jiandi-engines-"))
    write(2200, work / "period")
    write(1000, work / "bureaus")
    corpus, _ = validate(work / "period")
    period = selection.parse_period("2020", None, None)
    sets = {
        "period booklet (192 events)": [
            selection.period_booklet(editions.make(corpus, "public"), period)
        ],
    }
    corpus, _ = validate(work / "bureaus")
    briefings = []
    for name in ("public", "internal"):
        edition = editions.make(corpus, name)
        briefings += [selection.bureau_booklet(edition, b, None, months) for b in edition.bureaus]
    sets[f"all bureau briefings, both editions ({len(briefings)})"] = briefings
    for label, booklets in sets.items():
        times: dict[str, list[float]] = {"weasyprint": [], "typst": []}
        pages: dict[str, int] = {}
        for run in range(args.runs):
            for engine in ("weasyprint", "typst") if run % 2 == 0 else ("typst", "weasyprint"):
                elapsed, pages[engine] = _print_all(booklets, work, base, engine)
                times[engine].append(elapsed)
        w, t = statistics.median(times["weasyprint"]), statistics.median(times["typst"])
        print(
            f"| {label} | {w:.2f} s ({', '.join(f'{x:.2f}' for x in times['weasyprint'])}; "
            f"{pages['weasyprint']} pages) | {t:.2f} s ({', '.join(f'{x:.2f}' for x in times['typst'])}; "
            f"{pages['typst']} pages) | {t / w:.2f}× |"
        )


if __name__ == "__main__":
    main()
