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

Ranking at a larger scale without tokenising again: ``--replicate K`` copies the
counted posts and their word rows K-1 more times (later in time, new ids) into
the store and times ``discover`` on the K x N posts (counting scales linearly per
posts file, so its figure for K x N is the first run's rate).

    python bench/discover.py              # N = 1,000,000
    python bench/discover.py 10000000     # 10M (about 10x the time and ~4 GB of memory)
    python bench/discover.py 1000000 --replicate 10   # + ranking on 10M posts
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
from dtrack.nlp.candidates import versions  # noqa: E402
from dtrack.nlp.synthetic import generate_posts  # noqa: E402
from dtrack.nlp.words import META_KEY, count_store  # noqa: E402

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
    parser.add_argument("--replicate", type=int, default=1, help="also rank on K copies of the counted posts")
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
        replicated = _replicate(store, args.replicate) if args.replicate > 1 else None

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
    if replicated:
        posts, rows, seconds, height = replicated
        print(f"  replicated x{args.replicate}: discover on {posts:,} posts ({rows:,} post-word rows) {seconds:6.2f}s "
              f"({height:,} rows); counting them would take ~{posts / (first.posts / (t1 - t0)):,.0f}s at the "
              f"first run's rate")


def _replicate(store: Store, k: int) -> tuple[int, int, float, int]:
    """Copy the counted posts and word rows k-1 times, shifted after the data; time discover on the whole."""
    import polars as pl

    posts = store.scan_posts().collect()
    words = store.scan_words().collect()
    span = posts.get_column("created_at").max() - posts.get_column("created_at").min() + dt.timedelta(days=1)
    for r in range(1, k):
        shift = {"created_at": pl.col("created_at") + span * r, "post_id": pl.col("post_id") + f"-r{r}"}
        with store.writer() as writer, writer.transaction() as txn:
            txn.add_posts(posts.with_columns(**shift))
            txn.add_words(words.with_columns(**shift))
            state = dict(store.meta(META_KEY))
            txn.set_meta(META_KEY, {**state, "versions": versions(), "posts": state["posts"] + posts.height})
    with store.writer() as writer, writer.transaction() as txn:  # every posts file is counted (by copying)
        txn.set_meta(META_KEY, {**store.meta(META_KEY), "files": list(store.manifest()["files"]["posts"])})
    del posts, words
    started = time.perf_counter()
    table = discover(store, count=False)
    seconds = time.perf_counter() - started
    n = store.scan_posts().select(pl.len()).collect().item()
    rows = store.scan_words().select(pl.len()).collect().item()
    return n, rows, seconds, table.height


if __name__ == "__main__":
    main()
