"""How long do cooccur, the framing shift, the network, sentiment and the KWIC sort take on N posts?

Usage::

    python3 bench/cooccur.py 1000000                  # 1M posts, 10k of them with 無断学習; temp store, deleted
    python3 bench/cooccur.py 1000000 --store /tmp/b1m --keep   # keep the store (and its word cache)

The store holds one year (2022) of synthetic Japanese posts of 20-140
characters (``nlp.synthetic``), ``--term-posts`` of which use 無断学習 next to
words of the AI story, written straight through ``txn.add_posts`` /
``txn.add_hits`` (no tagging). The first co-occurrence query builds the word
cache (every post of the year tokenised once, on every core): that is printed
as "cold". Every other figure is a warm query: first run and median of
``--repeat``. Target: under 2 s for a term with 10k posts on 1M posts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from dtrack.analysis.concordance import sort_kwic  # noqa: E402
from dtrack.analysis.cooccurrence import cooccur_store  # noqa: E402
from dtrack.analysis.evidence import evidence  # noqa: E402
from dtrack.analysis.sentiment import score_cache, sentiment  # noqa: E402
from dtrack.data.schema import HIT_SCHEMA, POST_SCHEMA  # noqa: E402
from dtrack.data.store import Store  # noqa: E402
from dtrack.nlp.synthetic import generate_texts  # noqa: E402
from dtrack.nlp.tokenizer import get_word_tagger  # noqa: E402

TERM = "無断学習"
YEAR = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
CONTEXTS = ["AIに", "画像生成AIの", "絵柄を", "イラストが", "絵師さんの絵を", "mimicで", "自習室で", "勉強ノートを"]
AFTER = ["されたくない", "禁止です", "はやめて", "が心配", "って悲しい", "は許せない", "について考えた"]


def build(store: Store, n_posts: int, n_term: int, seed: int = 11) -> None:
    """One year of posts, ``n_term`` of them using the term (in its second half mostly with AI words)."""
    rng = random.Random(seed)
    texts = generate_texts(n_posts, term_share=0.0, near_miss_share=0.0, seed=seed)
    chosen = set(rng.sample(range(n_posts), n_term))
    starts: dict[int, int] = {}
    for i in chosen:
        head = rng.choice(CONTEXTS)
        cut = rng.randrange(len(texts[i]) // 2 + 1)
        texts[i] = texts[i][:cut] + head + TERM + rng.choice(AFTER) + texts[i][cut:]
        starts[i] = cut + len(head)
    seconds = (dt.datetime(2023, 1, 1) - dt.datetime(2022, 1, 1)).total_seconds()
    stamps = sorted(rng.random() * seconds for _ in range(n_posts))
    base = dt.datetime(2021, 12, 31, 15, tzinfo=dt.UTC)  # 2022-01-01 00:00 in Tokyo
    posts = pl.DataFrame({
        "platform": "x",
        "post_id": [str(i) for i in range(n_posts)],
        "created_at": pl.Series([int(s * 1e6) for s in stamps]).cast(pl.Duration("us")) + base,
        "author_id": [f"u{rng.randrange(n_posts // 10 or 1)}" for _ in range(n_posts)],
        "text": texts,
        "is_repost": [rng.random() < 0.1 for _ in range(n_posts)],
    })
    posts = posts.with_columns([pl.lit(None, dtype=t).alias(c) for c, t in POST_SCHEMA.items()
                                if c not in posts.columns]).select(list(POST_SCHEMA)).cast(POST_SCHEMA)
    idx = sorted(chosen)
    hits = posts[idx].select("platform", "post_id", "created_at").with_columns(
        term=pl.lit(TERM), category=pl.lit("bench"), variant=pl.lit(TERM),
        start=pl.Series([starts[i] for i in idx], dtype=pl.Int32),
        end=pl.Series([starts[i] + len(TERM) for i in idx], dtype=pl.Int32),
        ai_context=pl.lit(True), evidence=pl.lit(["AI"], dtype=pl.List(pl.String)),
        tagger_version=pl.lit("bench"), dictionary_hash=pl.lit("bench"),
    ).select(list(HIT_SCHEMA)).cast(HIT_SCHEMA)
    with store.writer(purpose="bench") as writer, writer.transaction() as txn:
        txn.add_posts(posts)
        txn.add_hits(hits)


def timed(label: str, func: Callable[[], object], repeat: int, target: float | None = 2.0) -> object:
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        seconds.append(time.perf_counter() - started)
    goal = f"   (target < {target:.0f} s)" if target else ""
    print(f"{label:<52} first {seconds[0]:7.2f} s   median {statistics.median(seconds):7.2f} s{goal}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("posts", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--term-posts", type=int, default=10_000)
    parser.add_argument("--store", type=Path, default=None, help="store folder (reused if it already has posts)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = args.store or Path(tempfile.mkdtemp(prefix="dtrack-bench-")) / "store"
    store = Store(folder)
    try:
        if store.scan_posts().select(pl.len()).collect().item() == 0:
            started = time.perf_counter()
            build(store, args.posts, args.term_posts)
            print(f"built {folder} in {time.perf_counter() - started:.1f} s", flush=True)
        n = store.scan_posts().select(pl.len()).collect().item()
        uses = store.scan_hits().select(pl.col("post_id").n_unique()).collect().item()
        print(f"store: {n:,} posts, {uses:,} with {TERM}, {len(store.files('posts'))} post files", flush=True)
        start, end = YEAR
        sample = store.scan_posts().select("text").head(5_000).collect().get_column("text").to_list()
        tagger = get_word_tagger()
        started = time.perf_counter()
        for text in sample:
            tagger.parse(text)
        rate = len(sample) / (time.perf_counter() - started)
        print(f"calibration: MeCab parses {rate:,.0f} posts/s on this machine now (PERF.md, idle: 44,500): figures "
              f"below are about {44_500 / rate:.1f}x an idle machine's; load average "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)
        timed("cooccur cold (builds the word cache for the year)",
              lambda: cooccur_store(store, TERM, start=start, end=end), 1, target=None)
        for measure in ("jaccard", "pmi", "llr"):
            top = timed(f"cooccur {measure}, the whole year (all posts)",
                        lambda m=measure: cooccur_store(store, TERM, start=start, end=end, measure=m), args.repeat)
        print("  top words (llr):", ", ".join(top.get_column("word").head(8).to_list()))  # type: ignore[union-attr]
        timed("cooccur jaccard, one month (2022-09)",
              lambda: cooccur_store(store, TERM, start=dt.date(2022, 9, 1), end=dt.date(2022, 9, 30)), args.repeat)
        timed("framing shift H2 vs H1 (jaccard)",
              lambda: cooccur_store(store, TERM, start=dt.date(2022, 7, 1), end=end, vs=True, vs_start=start,
                                    vs_end=dt.date(2022, 6, 30)), args.repeat)
        timed("network of the top 60 words, the whole year",
              lambda: cooccur_store(store, TERM, start=start, end=end, as_network=True, top=60), args.repeat)
        timed("sentiment per week, no score cache (every post tokenised)",
              lambda: sentiment(store.scan_posts(), store.scan_hits(), TERM, freq="week"), 1, target=None)
        cache = score_cache(store.path)
        cache.unlink(missing_ok=True)
        timed("sentiment per week, cold score cache (as dtrack sentiment)",
              lambda: sentiment(store.scan_posts(), store.scan_hits(), TERM, freq="week", cache=cache), 1,
              target=None)
        timed("sentiment per week, warm score cache", lambda: sentiment(
            store.scan_posts(), store.scan_hits(), TERM, freq="week", cache=cache), args.repeat)

        def kwic() -> pl.DataFrame:
            found = evidence(store.scan_posts(), store.scan_hits(), TERM)
            return sort_kwic(found.select("time", "text", "start", "end"), "right1")

        timed("KWIC of every use, sorted by right1", kwic, args.repeat)
    finally:
        if args.store is None and not args.keep:
            shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
