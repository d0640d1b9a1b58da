"""How long do timeline, emergence and events take on a store of N posts?

Usage::

    python3 bench/analysis.py 1000000            # build a 1M-post store in a temp dir, time, delete
    python3 bench/analysis.py 10000000 --store /tmp/bench10m --keep   # keep the store to re-run

The store is shaped like the 無断学習 story (tests/analysis/story.py): four
years of posts in Japan time, two platforms, 10% reposts, and four terms whose
daily uses follow the story's rates, scaled so that about 2% of posts carry a
term. It is written straight through ``txn.add_posts``/``txn.add_hits`` (no
parsing, no tagging: this measures analysis only). Each analysis is run
``--repeat`` times on fresh LazyFrames from the store; the first and the
median wall-clock seconds are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "analysis")]

from story import END, START, daily_rates  # noqa: E402

from dtrack.analysis.emergence import emergence  # noqa: E402
from dtrack.analysis.events import cross_correlation, event_study  # noqa: E402
from dtrack.analysis.evidence import evidence  # noqa: E402
from dtrack.analysis.timeline import timeline  # noqa: E402
from dtrack.data.events import load_events  # noqa: E402
from dtrack.data.schema import HIT_SCHEMA, POST_SCHEMA  # noqa: E402
from dtrack.data.store import Store  # noqa: E402

TERM_SHARE = 0.02
CHUNK = 1_000_000
JST = dt.timezone(dt.timedelta(hours=9))
TEXTS = {
    "無断学習": "画像生成AIの無断学習はやめてほしい",
    "無断転載": "イラストの無断転載はやめてください",
    "mimic": "mimicのβ版がAIで話題",
    "NovelAI": "NovelAIでAIイラストを作った",
}
BACKGROUND = ["今日はいい天気", "ラーメン食べた", "週末は原稿がんばる", "ねこがかわいい"]


def _chunk_frames(rng: np.random.Generator, day_index: np.ndarray, terms: np.ndarray, first_id: int,
                  n_authors: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Posts (and hits for the term posts) for given days and term codes (-1 = no term)."""
    n = day_index.size
    start = int(dt.datetime.combine(START, dt.time(), JST).timestamp() * 1_000_000)
    micros = start + day_index.astype(np.int64) * 86_400_000_000 + rng.integers(0, 86_400_000_000, n)
    names = list(TEXTS)
    text_pool = np.array([*BACKGROUND, *[TEXTS[t] for t in names]], dtype=object)
    text_code = np.where(terms >= 0, len(BACKGROUND) + terms, rng.integers(0, len(BACKGROUND), n))
    authors = rng.integers(0, n_authors, n)
    posts = pl.DataFrame(
        {
            "platform": np.where(rng.random(n) < 0.8, "twitter", "mastodon"),
            "post_id": np.arange(first_id, first_id + n).astype(str),
            "created_at": pl.Series(micros).cast(pl.Datetime("us", "UTC")),
            "author_id": np.char.add("u", authors.astype(str)),
            "text": text_pool[text_code].tolist(),
            "is_repost": rng.random(n) < 0.1,
        }
    ).with_columns(
        author_name=pl.col("author_id"),
        url=pl.lit("https://example.org/") + pl.col("post_id"),
        lang=pl.lit("ja"),
        collector=pl.lit("bench/1"),
        source_file=pl.lit("bench"),
        collected_at=pl.lit(dt.datetime.now(dt.UTC)).cast(POST_SCHEMA["collected_at"]),
    )
    posts = posts.with_columns(
        [pl.lit(None, dtype=dtype).alias(name) for name, dtype in POST_SCHEMA.items() if name not in posts.columns]
    ).select(list(POST_SCHEMA))
    used = terms >= 0
    term_names = np.array(names, dtype=object)[terms[used]]
    hits = posts.filter(pl.Series(used)).select("platform", "post_id", "created_at").with_columns(
        term=pl.Series(term_names.tolist(), dtype=pl.String),
    ).with_columns(
        category=pl.lit("bench"),
        variant=pl.col("term"),
        start=pl.lit(0, pl.Int32),
        end=pl.col("term").str.len_chars().cast(pl.Int32),
        ai_context=pl.Series(rng.random(int(used.sum())) < 0.8),
        evidence=pl.lit(["AI"], dtype=pl.List(pl.String)),
        tagger_version=pl.lit("bench"),
        dictionary_hash=pl.lit("bench"),
    ).select(list(HIT_SCHEMA))
    return posts, hits


def build(store: Store, n_posts: int, seed: int = 7) -> None:
    """Write ``n_posts`` story-shaped posts and their hits, in chunks of a million."""
    rng = np.random.default_rng(seed)
    rates = daily_rates()
    names = list(TEXTS)
    n_days = (END - START).days + 1
    expected = np.stack([rates[t] for t in names])  # terms x days
    scale = n_posts * TERM_SHARE / expected.sum()
    term_days = [np.repeat(np.arange(n_days), rng.poisson(expected[k] * scale)) for k in range(len(names))]
    term_day = np.concatenate(term_days)
    term_code = np.concatenate([np.full(d.size, k) for k, d in enumerate(term_days)])
    background = max(n_posts - term_day.size, 0)
    all_days = np.concatenate([term_day, rng.integers(0, n_days, background)])
    all_terms = np.concatenate([term_code, np.full(background, -1)])
    order = rng.permutation(all_days.size)
    all_days, all_terms = all_days[order], all_terms[order]
    with store.writer(purpose="bench") as writer:
        for first in range(0, all_days.size, CHUNK):
            posts, hits = _chunk_frames(rng, all_days[first : first + CHUNK], all_terms[first : first + CHUNK],
                                        first, max(n_posts // 10, 1))
            with writer.transaction() as txn:
                txn.add_posts(posts)
                txn.add_hits(hits)


def timed(label: str, func: Callable[[], object], repeat: int) -> None:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        seconds.append(time.perf_counter() - started)
    print(f"{label:<42} first {seconds[0]:7.2f} s   median {statistics.median(seconds):7.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("posts", type=int, help="number of posts in the generated store, e.g. 1000000")
    parser.add_argument("--store", type=Path, default=None, help="store folder (reused if it already has posts)")
    parser.add_argument("--keep", action="store_true", help="keep the generated store")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = args.store or Path(tempfile.mkdtemp(prefix="dtrack-bench-")) / "store"
    store = Store(folder)
    try:
        have = store.scan_posts().select(pl.len()).collect().item()
        if have == 0:
            started = time.perf_counter()
            build(store, args.posts)
            print(f"built {folder} in {time.perf_counter() - started:.1f} s", flush=True)
        posts_n = store.scan_posts().select(pl.len()).collect().item()
        hits_n = store.scan_hits().select(pl.len()).collect().item()
        print(f"store: {posts_n:,} posts, {hits_n:,} hits, {len(store.files('posts'))} post files", flush=True)
        events = load_events()

        def scans() -> tuple[pl.LazyFrame, pl.LazyFrame]:
            return store.scan_posts(), store.scan_hits()

        timed("timeline 3 terms, day, 4 years", lambda: timeline(*scans(), ["無断学習", "無断転載", "mimic"]).collect(),
              args.repeat)
        timed("timeline all terms, week, context ai",
              lambda: timeline(*scans(), freq="week", context="ai").collect(), args.repeat)
        timed("emergence all terms", lambda: emergence(*scans()), args.repeat)
        timed(f"events all terms x {events.height} events", lambda: event_study(*scans(), events), args.repeat)
        timed("cross-correlation, ±14 days", lambda: cross_correlation(*scans(), "mimic", "無断学習"), args.repeat)
        timed("evidence: posts of 無断学習 on 2022-08-29",
              lambda: evidence(*scans(), "無断学習", start=dt.date(2022, 8, 29), end=dt.date(2022, 8, 29)),
              args.repeat)
        table = emergence(*scans()).select("term", "first_seen", "takeoff", "peak", "posts")
        print("takeoffs found:", ", ".join(f"{r['term']} {r['takeoff']}" for r in table.iter_rows(named=True)))
    finally:
        if args.store is None and not args.keep:
            shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
