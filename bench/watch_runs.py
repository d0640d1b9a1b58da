"""How long a watch run takes when there is nothing new, with and without its hash cache.

    python3 bench/watch_runs.py [--files 500] [--big-posts 1000000]

Prints seconds for: the first run (ingests everything), an idle run using the
job's hash cache (unchanged files are not opened), and an idle run with the
cache deleted (every file re-hashed, then skipped by the ingest loop's sha256
check). Writes only to a temporary folder.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dtrack.collectors.pipeline.ledger import schedule_dir
from dtrack.collectors.pipeline.watch import WatchConfig, run_watch
from dtrack.data.store import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--big-posts", type=int, default=1_000_000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="dtrack-bench-watch-"))
    try:
        watch = root / "in"
        watch.mkdir()
        for i in range(args.files):
            pl.DataFrame({"id": [f"s{i}-{j}" for j in range(20)], "created_at": ["2022-08-29T12:00:00Z"] * 20,
                          "text": ["無断学習"] * 20}).write_ndjson(watch / f"small-{i:05d}.ndjson")
        pl.select(id=pl.int_range(0, args.big_posts).cast(pl.String),
                  created_at=pl.lit("2022-08-29T12:00:00+09:00"),
                  text=pl.lit("無断学習禁止と書いた")).write_ndjson(watch / "big.ndjson")
        size = sum(p.stat().st_size for p in watch.iterdir()) / 1e6
        store = Store(root / "store")
        config = WatchConfig(name="bench", watch=str(watch), settle=0, hook=None)
        for label, prepare in (("first run (ingest all)", None), ("idle run, hash cache", None),
                               ("idle run, no cache (re-hash)", "drop-cache")):
            if prepare == "drop-cache":
                shutil.rmtree(schedule_dir(store) / "state")
            started = time.perf_counter()
            run = run_watch(store, config)
            seconds = time.perf_counter() - started
            print(f"{label:<32} {seconds:8.2f} s   files {run['files_seen']}, ingested {run['files_ingested']}, "
                  f"new {run['new']:,}  ({args.files} small files + {args.big_posts:,}-post file, {size:.0f} MB)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
