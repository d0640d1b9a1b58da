"""Ingest throughput of generic NDJSON next to orjson's bare parse of the same lines.

Usage: python bench/ingest.py [N] [--keep DIR] [--general] [--before DIR] [--repeat R] [--stored K]

Generates N posts (default 1,000,000; seeded) as NDJSON, then times
(1) orjson.loads over every line, (2) `ingest_source` into a fresh store
(detect, hash, parse, map, dedup, write Parquet, commit), (3) re-ingest of
the same file with --force (every post a duplicate; with ``--stored K`` into a store that
holds K N posts by then). Prints posts/s and MB/s.

With --general it also writes a general corpus (about 1% of posts use a
term, as in bench/vs_notebook.py) and runs ``dtrack ingest`` (ingest and tag)
on it as a child process: its wall time against the bare orjson parse of the
same file (aim: <= 2.5x) and the child's peak RSS (memory should follow the
batch, not the file: compare N and 10 N); and ``dtrack ingest --no-tag`` before
it, so what tagging adds shows.
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


WORDS = ["無断学習", "無断転載", "イラスト", "AI", "画像生成", "今日は", "ラーメン", "猫", "仕事", "天気", "mimic",
         "学習", "禁止", "絵師", "プロンプト", "です", "ました", "けど", "w", "草"]


def generate(path: Path, n: int, seed: int = 1, first: int = 0) -> None:
    rng = random.Random(seed)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp()
    span = 4 * 365 * 86400
    with open(path, "wb") as fh:
        for i in range(n):
            text = "".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30)))
            ts = dt.datetime.fromtimestamp(start + rng.random() * span, dt.UTC)
            fh.write(orjson.dumps({
                "id": str(10**17 + first + i),
                "created_at": ts.isoformat().replace("+00:00", "Z"),
                "text": text,
                "user": f"user{rng.randint(1, 50_000)}",
                "lang": "ja",
            }) + b"\n")


INGEST_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.data.store import Store
store = Store(sys.argv[3])
t, cpu = time.perf_counter(), time.process_time()
with store.writer() as w:
    report = ingest_source(w, Path(sys.argv[2]), force=True)
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - cpu, "read": report.read,
                  "new": report.new, "duplicate": report.duplicate}))
"""


def timed_ingest(root: Path, src: Path, store_dir: Path) -> dict[str, float]:
    """``ingest_source`` of ``src`` by the dtrack in ``root``, in a child process: wall and CPU
    seconds (all threads) of the ingest alone, start-up excluded."""
    out = subprocess.run([sys.executable, "-c", INGEST_CHILD, str(root), str(src), str(store_dir)],
                         check=True, capture_output=True, text=True).stdout
    return orjson.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated file and store here")
    ap.add_argument("--general", action="store_true", help="also time ingest+tag of a general corpus")
    ap.add_argument("--before", type=Path, default=None,
                    help="a checkout of an earlier dtrack, timed in the same run (before/after)")
    ap.add_argument("--repeat", type=int, default=1, help="interleaved runs; the best of each is kept")
    ap.add_argument("--stored", type=int, default=1,
                    help="the store holds this many times N posts at the re-ingest (other files ingested between)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="dtrack-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "posts.ndjson"
    if not src.exists():
        generate(src, args.n)
    size_mb = src.stat().st_size / 1e6
    others = [work / f"other-{k}.ndjson" for k in range(1, args.stored)]
    for k, other in enumerate(others, 1):
        if not other.exists():
            generate(other, args.n, seed=k + 1, first=k * args.n)
    root = Path(__file__).resolve().parent.parent
    sides = {"dtrack": root} | ({"before": args.before.resolve()} if args.before else {})
    from vs_notebook import byte_compile

    for side_root in sides.values():  # whole processes start from bytecode, as after an install
        byte_compile(side_root)
    best: dict[str, dict[str, float]] = {}
    parse_s = float("inf")
    for _ in range(args.repeat):
        parse_s = min(parse_s, bare_parse_seconds(src))
        for side, side_root in sides.items():
            for label in ("ingest", "re-ingest"):  # re-ingest: every post a duplicate
                if label == "ingest":
                    shutil.rmtree(work / f"store-{side}", ignore_errors=True)
                else:  # grow the store first (untimed): the re-ingest probes an index of --stored x N keys
                    for other in others:
                        timed_ingest(side_root, other, work / f"store-{side}")
                got = timed_ingest(side_root, src, work / f"store-{side}")
                key = f"{side} {label}"
                best[key] = {k: min(v, best.get(key, {}).get(k, float("inf"))) for k, v in got.items()}

    n = int(best["dtrack ingest"]["read"])
    print(f"posts: {n:,}  file: {size_mb:.0f} MB  new: {int(best['dtrack ingest']['new']):,}  "
          f"re-ingest duplicates: {int(best['dtrack re-ingest']['duplicate']):,} into a store of "
          f"{args.stored * n:,} posts  (best of {args.repeat})")
    print(f"orjson parse only  : {parse_s:6.2f} s  {n / parse_s:>12,.0f} posts/s  {size_mb / parse_s:7.1f} MB/s")
    for key, got in best.items():
        print(f"{key:<19}: {got['wall']:6.2f} s  {n / got['wall']:>12,.0f} posts/s  {size_mb / got['wall']:7.1f} MB/s"
              f"  CPU {got['cpu']:5.2f} s = {got['cpu'] / parse_s:.1f}x the parse"
              f"  speed {parse_s / got['wall']:.0%} of the parse")
    ratio = parse_s / best["dtrack ingest"]["wall"]
    print(f"ingest / parse speed ratio: {ratio:.0%} (aim: >= 40%: {'met' if ratio >= 0.4 else 'NOT met'})")
    if args.before:
        for label in ("ingest", "re-ingest"):
            a, b = best[f"dtrack {label}"], best[f"before {label}"]
            print(f"{label}: before/after {b['wall'] / a['wall']:.2f}x faster (wall), {b['cpu'] / a['cpu']:.2f}x "
                  "less CPU")
    if args.general:
        general(work, args.n, sides)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine: read the ratios)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


_BARE_PARSE = """
import sys, time, orjson
lines = open(sys.argv[1], "rb").read().splitlines()
t = time.perf_counter()
for line in lines:
    orjson.loads(line)
print(time.perf_counter() - t)
"""


def bare_parse_seconds(src: Path) -> float:
    """The reference: orjson.loads over every line (the file already in memory).

    Timed in a child process: lines held here would stay in this process's heap, and a
    later child forked from it would report them in its peak RSS."""
    out = subprocess.run([sys.executable, "-c", _BARE_PARSE, str(src)], check=True, capture_output=True, text=True)
    return float(out.stdout)


def general(work: Path, n: int, sides: dict[str, Path]) -> None:
    """Ingest + tag of a general corpus as a user runs it, against the bare parse of the same file."""
    from vs_notebook import write_corpus

    src = work / "general.ndjson"
    write_corpus(src, "general", n)
    size_mb = src.stat().st_size / 1e6
    parse_s = bare_parse_seconds(src)
    for side, root in sides.items():
        env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        bare_s, bare_cpu, _ = run_ingest(src, work / f"store-general-{side}", env, "--no-tag")
        total_s, cpu, rss = run_ingest(src, work / f"store-general-{side}", env)
        ratio = total_s / parse_s
        print(f"{side}: general corpus ({size_mb:.0f} MB): orjson parse {parse_s:.2f} s; `dtrack ingest` (ingest + "
              f"tag, whole process) {total_s:.2f} s = {ratio:.1f}x the parse (aim: <= 2.5x: "
              f"{'met' if ratio <= 2.5 else 'NOT met'}); CPU {cpu:.2f} s (tagging workers included); peak RSS "
              f"{rss:,.0f} MB; `dtrack ingest --no-tag` {bare_s:.2f} s (CPU {bare_cpu:.2f} s): tagging adds "
              f"{total_s - bare_s:.2f} s, CPU {cpu - bare_cpu:.2f} s")


def run_ingest(src: Path, store_dir: Path, env: dict[str, str], *options: str) -> tuple[float, float, float]:
    """(wall, CPU with children, peak RSS in MB) of `dtrack ingest` into a fresh store, as a user runs it."""
    from vs_notebook import checkout_of

    shutil.rmtree(store_dir, ignore_errors=True)
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "dtrack", "ingest", str(src), "--store", str(store_dir),
                              *options], env=env, cwd=checkout_of(env), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    total_s = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise SystemExit(child.stderr.read().decode() if child.stderr else "dtrack ingest failed")
    return total_s, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


if __name__ == "__main__":
    main()
