"""Ingest throughput of generic NDJSON next to orjson's bare parse of the same lines.

Usage: python bench/ingest.py [N] [--keep DIR]

Generates N posts (default 1,000,000; seeded) as NDJSON, then times
(1) orjson.loads over every line, (2) `ingest_source` into a fresh store
(detect, hash, parse, map, dedup, write Parquet, commit), (3) re-ingest of
the same file with --force (every post a duplicate). Prints posts/s and MB/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.data.store import Store

WORDS = ["無断学習", "無断転載", "イラスト", "AI", "画像生成", "今日は", "ラーメン", "猫", "仕事", "天気", "mimic",
         "学習", "禁止", "絵師", "プロンプト", "です", "ました", "けど", "w", "草"]


def generate(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp()
    span = 4 * 365 * 86400
    with open(path, "wb") as fh:
        for i in range(n):
            text = "".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30)))
            ts = dt.datetime.fromtimestamp(start + rng.random() * span, dt.UTC)
            fh.write(orjson.dumps({
                "id": str(10**17 + i),
                "created_at": ts.isoformat().replace("+00:00", "Z"),
                "text": text,
                "user": f"user{rng.randint(1, 50_000)}",
                "lang": "ja",
            }) + b"\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated file and store here")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="dtrack-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "posts.ndjson"
    if not src.exists():
        generate(src, args.n)
    size_mb = src.stat().st_size / 1e6
    lines = src.read_bytes().splitlines()

    t = time.perf_counter()
    for line in lines:
        orjson.loads(line)
    parse_s = time.perf_counter() - t
    del lines

    store_dir = work / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    store = Store(store_dir)
    t = time.perf_counter()
    with store.writer() as w:
        report = ingest_source(w, src)
    ingest_s = time.perf_counter() - t
    t = time.perf_counter()
    with store.writer() as w:
        again = ingest_source(w, src, force=True)
    reingest_s = time.perf_counter() - t

    n = report.read
    print(f"posts: {n:,}  file: {size_mb:.0f} MB  new: {report.new:,}  re-ingest duplicates: {again.duplicate:,}")
    print(f"orjson parse only : {parse_s:6.2f} s  {n / parse_s:>12,.0f} posts/s  {size_mb / parse_s:7.1f} MB/s")
    print(f"dtrack ingest     : {ingest_s:6.2f} s  {n / ingest_s:>12,.0f} posts/s  {size_mb / ingest_s:7.1f} MB/s")
    print(f"dtrack re-ingest  : {reingest_s:6.2f} s  {n / reingest_s:>12,.0f} posts/s  (all duplicates)")
    print(f"ingest / parse speed ratio: {parse_s / ingest_s:.0%} (aim: >= 40%)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
