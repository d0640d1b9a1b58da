"""Many small sources vs one file with the same posts (the O(N) vs O(N^2) check).

Usage: python bench/small_files.py [N]   (N one-post NDJSON files, default 2,000)

Writes N one-post files into a folder and one file holding the same N posts,
then times `dtrack ingest`'s loop (``ingest_paths``) over the folder and over
the single file, each into a fresh store. Prints both, their ratio, the
manifest size after the folder, and the time of a second folder batch of N
into the filled store (quadratic cost shows up as a second batch slower than
the first). Aim: the folder within a small constant of the single file and a
second batch no slower than the first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.store import Store


def post(i: int) -> bytes:
    ts = dt.datetime(2023, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=37 * i)
    return orjson.dumps({"id": str(10**15 + i), "created_at": ts.isoformat().replace("+00:00", "Z"),
                         "text": f"投稿{i} 無断学習の話", "user": f"u{i % 97}"}) + b"\n"


def write_folder(folder: Path, start: int, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(start, start + n):
        (folder / f"p{i:07d}.ndjson").write_bytes(post(i))


def timed_ingest(store: Store, paths: list[Path]) -> tuple[float, int]:
    t = time.perf_counter()
    with store.writer() as w:
        reports = ingest_paths(w, paths)
    return time.perf_counter() - t, sum(r.new for r in reports)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=2000)
    args = ap.parse_args()
    n = args.n
    work = Path(tempfile.mkdtemp(prefix="dtrack-small-"))
    try:
        write_folder(work / "a", 0, n)
        write_folder(work / "b", n, n)
        one = work / "one.ndjson"
        one.write_bytes(b"".join(post(i) for i in range(n)))
        single_s, single_new = timed_ingest(Store(work / "s1"), [one])
        store = Store(work / "s2")
        first_s, first_new = timed_ingest(store, [work / "a"])
        second_s, _ = timed_ingest(store, [work / "b"])
        assert first_new == single_new == n, (first_new, single_new)
        manifest_kb = (store.path / "manifest.json").stat().st_size / 1024
        logs_kb = sum(f.stat().st_size for f in (store.path / "log").glob("*")) / 1024 \
            if (store.path / "log").exists() else 0.0
        print(f"{n:,} one-post files: {first_s:.2f} s ({n / first_s:,.0f} files/s); "
              f"one file with the same posts: {single_s:.2f} s")
        print(f"folder / single file: {first_s / single_s:.1f}x  (aim: a small constant, not growing with N)")
        print(f"second batch of {n:,} files into the filled store: {second_s:.2f} s "
              f"({second_s / first_s:.2f}x the first; aim <= ~1.2x)")
        print(f"after {2 * n:,} sources: manifest.json {manifest_kb:,.1f} KB (rewritten by every commit), "
              f"append-only logs {logs_kb:,.0f} KB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
