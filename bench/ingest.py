"""Ingest throughput of generic NDJSON next to orjson's bare parse of the same lines.

Usage: python bench/ingest.py [N] [--keep DIR]

Generates N posts (default 1,000,000; seeded) as NDJSON, then times
(1) orjson.loads over every line, (2) `ingest_source` into a fresh store
(detect, hash, parse, map, dedup, write Parquet, commit), (3) re-ingest of
the same file with --force (every post a duplicate). Prints posts/s and MB/s.

With --general it also writes a general corpus (about 1% of posts use a
term, as in bench/vs_notebook.py) and runs ``dtrack ingest`` (ingest and tag)
on it as a child process: its wall time against the bare orjson parse of the
same file (aim: <= 2.5x) and the child's peak RSS (memory should follow the
batch, not the file: compare N and 10 N).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

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
    ap.add_argument("--general", action="store_true", help="also time ingest+tag of a general corpus")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="dtrack-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "posts.ndjson"
    if not src.exists():
        generate(src, args.n)
    size_mb = src.stat().st_size / 1e6
    parse_s = bare_parse_seconds(src)

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
    if args.general:
        general(work, args.n)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine: read the ratios)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def bare_parse_seconds(src: Path) -> float:
    """The reference: orjson.loads over every line (the file already in memory)."""
    lines = src.read_bytes().splitlines()
    t = time.perf_counter()
    for line in lines:
        orjson.loads(line)
    return time.perf_counter() - t


def general(work: Path, n: int) -> None:
    """Ingest + tag of a general corpus as a user runs it, against the bare parse of the same file."""
    from vs_notebook import write_corpus

    src = work / "general.ndjson"
    write_corpus(src, "general", n)
    size_mb = src.stat().st_size / 1e6
    parse_s = bare_parse_seconds(src)
    store_dir = work / "store-general"
    shutil.rmtree(store_dir, ignore_errors=True)
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "dtrack", "ingest", str(src), "--store", str(store_dir)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    total_s = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise SystemExit(child.stderr.read().decode() if child.stderr else "dtrack ingest failed")
    print(f"general corpus ({size_mb:.0f} MB): orjson parse {parse_s:.2f} s; `dtrack ingest` (ingest + tag, "
          f"whole process) {total_s:.2f} s = {total_s / parse_s:.1f}x the parse (aim: <= 2.5x); "
          f"peak RSS {usage.ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
