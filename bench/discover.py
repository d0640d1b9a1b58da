"""Discovery speed: counting candidate words (first run, new week, nothing new) and ranking them.

A store of N seeded synthetic posts (nlp.synthetic, one a minute, so 1M posts
span about two years) is built in chunks of 1M; the last 1/100 of the posts
is held back as "a new week's ingest". Timed, whole-process wall time:

* first run: ``count_store`` over every post (fugashi on every core), then
  ``discover`` (weekly, every week, top 20);
* incremental run: the held-back posts are ingested, then ``count_store``
  (only their file is read) and ``discover`` again;
* no-op: ``count_store`` with nothing new (must commit nothing).

Aims (issue 11): the incremental count costs in proportion to the new posts,
not the store; discover itself stays interactive (seconds). Absolute figures
drift on a shared machine: the load average is printed with them.

    python bench/discover.py              # N = 1,000,000
    python bench/discover.py 10000000     # 10M (about 10x the time and ~4 GB of memory)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dtrack.analysis.discovery import discover  # noqa: E402
from dtrack.data.store import Store  # noqa: E402
from dtrack.nlp.synthetic import generate_posts  # noqa: E402
from dtrack.nlp.words import count_store  # noqa: E402

CHUNK = 1_000_000


def _ingest(store: Store, n: int, seed: int, start: dt.datetime) -> None:
    posts = generate_posts(n, seed=seed, term_share=0.05, start=start, platform="bench")
    with store.writer() as writer, writer.transaction() as txn:
        txn.add_posts(posts)


def _rss_gb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000, help="posts [1000000]")
    parser.add_argument("--workers", type=int, default=None, help="counting processes [every usable CPU]")
    parser.add_argument("--dir", default=None, help="where to build the store [a temporary folder]")
    args = parser.parse_args()
    n, new = args.n, max(1, args.n // 100)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="dtrack-bench-discover-", dir=args.dir) as tmp:
        store = Store(Path(tmp) / "store")
        started = time.perf_counter()
        start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        done = 0
        while done < n - new:
            size = min(CHUNK, n - new - done)
            _ingest(store, size, seed=done // CHUNK, start=start + dt.timedelta(minutes=done))
            done += size
        build = time.perf_counter() - started

        t0 = time.perf_counter()
        first = count_store(store, workers=args.workers)
        t1 = time.perf_counter()
        table = discover(store, count=False)
        t2 = time.perf_counter()

        _ingest(store, new, seed=10_000, start=start + dt.timedelta(minutes=done))
        t3 = time.perf_counter()
        incremental = count_store(store, workers=args.workers)
        t4 = time.perf_counter()
        table2 = discover(store, count=False)
        t5 = time.perf_counter()
        version = store.version
        noop = count_store(store, workers=args.workers)
        t6 = time.perf_counter()
        assert noop.posts == 0 and store.version == version, "nothing new must commit nothing"
        assert incremental.posts == new and incremental.files >= 1

    print(f"discover benchmark: {n:,} posts ({n - new:,} first, then {new:,} new); load average {load:.1f} "
          f"before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} CPUs); store built in {build:.1f}s")
    print(f"  first run      count_store {t1 - t0:8.1f}s  ({first.posts / (t1 - t0):,.0f} posts/s, "
          f"{first.rows:,} post-word rows, {first.rows / max(first.posts, 1):.1f}/post)   "
          f"discover {t2 - t1:6.2f}s ({table.height:,} rows)")
    print(f"  incremental    count_store {t4 - t3:8.1f}s  ({incremental.posts:,} new posts, "
          f"{incremental.posts / (t4 - t3):,.0f} posts/s)   discover {t5 - t4:6.2f}s ({table2.height:,} rows)")
    print(f"  nothing new    count_store {t6 - t5:8.3f}s")
    print(f"  first run total {t2 - t0:.1f}s; incremental total {t5 - t3:.1f}s "
          f"(aim: incremental << first: {(t5 - t3) / (t2 - t0):.1%}); peak RSS {_rss_gb():.1f} GB")


if __name__ == "__main__":
    main()
