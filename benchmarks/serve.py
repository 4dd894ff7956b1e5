"""How long `jiandi serve` takes to show an edit, on a corpus of N records.

    .venv/bin/python benchmarks/serve.py --sizes 1000 10000 --edits 5

Starts `jiandi serve` on a fresh synthetic corpus, waits for the first build, then appends a
sentence with a unique token to the body of one public event at a time and polls that event's
page until the token is served. Reports the first build and the median time from saving the
file to the change being served (which includes MkDocs' file watcher noticing the change).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write  # noqa: E402 - after the path to the benchmarks' own modules

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, token: str, limit: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        page = fetch(url)
        if page is not None and token in page:
            return time.monotonic() - start
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {token!r} within {limit} s")


def run(n: int, edits: int) -> str:
    work = Path(tempfile.mkdtemp(prefix=f"jiandi-serve-{n}-"))
    write(n, work / "content")
    events = sorted((work / "content" / "events").glob("*.md"))
    public = [p for p in events if "visibility: public" in p.read_text("utf-8")]
    port = free_port()
    started = time.monotonic()
    server = subprocess.Popen(
        [str(BIN / "jiandi"), "serve", "--port", str(port)],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        first = public[len(public) // 2]
        url = f"http://127.0.0.1:{port}/events/{first.stem}/"
        wait_for(url, "<html", 3600)
        first_build = time.monotonic() - started
        latencies = []
        for index in range(edits):
            record = public[(index * 7919) % len(public)]
            token = f"修改标记{index}号{time.time_ns() % 100000}"
            time.sleep(1.0)  # let the watcher settle
            saved = time.monotonic()
            with record.open("a", encoding="utf-8") as f:
                f.write(f"\n{token}。\n")
            wait_for(f"http://127.0.0.1:{port}/events/{record.stem}/", token, 600)
            latencies.append(time.monotonic() - saved)
    finally:
        server.terminate()
        server.wait(30)
    return (
        f"| {n:,} | {first_build:.1f} s | {statistics.median(latencies):.2f} s | "
        f"{', '.join(f'{t:.2f}' for t in latencies)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    rows = [run(n, args.edits) for n in args.sizes]
    print("| records | first build | median edit → served | edits |")
    print("|---|---:|---:|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
