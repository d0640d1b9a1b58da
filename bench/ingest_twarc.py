"""twarc2 JSONL ingest throughput next to a bare orjson parse of the same lines.

    python bench/ingest_twarc.py 200        # 200 search pages of 100 tweets = 20,000 posts

Writes N synthetic API v2 search pages (100 tweets each, as twarc2 writes
them: ~40% retweets whose cut text is completed from includes.tweets,
replies, quotes, includes.users, an errors[] entry on some pages) to a temp
file, then times, best of three:

* bare parse: orjson.loads per line and touching every data tweet's text
  (the floor any Python reader pays);
* collector: ``collectors.twarc.parse`` alone (mapping, no store);
* ingest: the real loop, ``ingest_source`` into a fresh store (mapping,
  dedup, Parquet write, atomic commit).

Prints posts/s for each. ``--before DIR`` also times a checkout of another
version (e.g. main) side by side: each collector and ingest run is then a
fresh child process (cwd set to the checkout, so ``import dtrack`` is that
checkout's), the two versions alternated run by run.

    python bench/ingest_twarc.py 1000 --runs 3 --before /tmp/main-checkout
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from dtrack.collectors.formats import twarc  # noqa: E402
from dtrack.collectors.pipeline.ingest import ingest_source  # noqa: E402
from dtrack.collectors.records import ParseContext  # noqa: E402
from dtrack.data.store import Store  # noqa: E402

WORDS = ["無断学習", "画像生成AI", "学習禁止", "イラスト", "mimic", "Stable Diffusion", "絵師", "データセット",
         "著作権", "反対", "賛成", "今日は", "ほんとに", "思う", "🎨", "&amp;", "https://t.co/abcdEFGH12"]
PER_PAGE = 100


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 30)))


def make_page(rng: random.Random, page: int) -> bytes:
    base = 1_564_000_000_000_000_000 + page * 1_000
    users = [{"id": str(3_000_000_000 + u), "username": f"user{u}", "name": f"ユーザー{u}",
              "created_at": "2015-03-01T00:00:00.000Z"} for u in rng.sample(range(50_000), 60)]
    data, included = [], []
    for i in range(PER_PAGE):
        tid = str(base + i)
        author = rng.choice(users)
        tweet = {"id": tid, "author_id": author["id"], "created_at": f"2022-08-{rng.randrange(1, 31):02d}T"
                 f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:00.000Z", "lang": "ja",
                 "conversation_id": tid, "edit_history_tweet_ids": [tid],
                 "public_metrics": {"retweet_count": 1, "reply_count": 0, "like_count": 3, "quote_count": 0}}
        kind = rng.random()
        if kind < 0.4:
            original = {"id": str(base - 500 + i), "author_id": rng.choice(users)["id"], "text": _text(rng),
                        "created_at": "2022-08-01T00:00:00.000Z", "lang": "ja"}
            included.append(original)
            orig_user = next(u for u in users if u["id"] == original["author_id"])
            tweet["text"] = f"RT @{orig_user['username']}: {original['text'][:100]}…"
            tweet["referenced_tweets"] = [{"type": "retweeted", "id": original["id"]}]
        else:
            tweet["text"] = _text(rng)
            if kind < 0.6:
                tweet["referenced_tweets"] = [{"type": "replied_to", "id": str(base - 1)}]
            elif kind < 0.7:
                tweet["referenced_tweets"] = [{"type": "quoted", "id": str(base - 2)}]
        data.append(tweet)
    page_obj = {"data": data, "includes": {"users": users, "tweets": included},
                "meta": {"result_count": PER_PAGE, "newest_id": data[-1]["id"], "oldest_id": data[0]["id"]},
                "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.12.0",
                            "retrieved_at": "2022-08-30T00:00:00+00:00"}}
    if page % 10 == 0:
        page_obj["errors"] = [{"title": "Forbidden", "detail": "User has been suspended: [x].",
                               "resource_type": "user", "resource_id": "x",
                               "type": "https://api.twitter.com/2/problems/resource-not-found"}]
    return json.dumps(page_obj).encode() + b"\n"  # twarc writes json.dumps: non-ASCII as \u escapes


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


#: What a child process runs: one collector or ingest run of the checkout in its cwd.
CHILD = """
import json, sys, time
from pathlib import Path
from dtrack.collectors.formats import twarc
from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.collectors.records import ParseContext
from dtrack.data.store import Store
path, store, what = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
start, cpu = time.perf_counter(), time.process_time()
if what == "collector":
    for _ in twarc.parse(path, ParseContext()):
        pass
    new = None
else:
    with Store(store).writer(purpose="bench") as w:
        new = ingest_source(w, path, fmt="twarc").new
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "new": new}))
"""


def child_run(checkout: Path, path: Path, store: Path, what: str) -> dict:
    """One timed run in a fresh process importing the ``dtrack`` of ``checkout``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(store), what], cwd=checkout, env=env,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def side_by_side(before: Path, path: Path, tmp: Path, posts: int, runs: int, bare: float) -> None:
    """Collector and ingest of ``before`` and of this checkout, alternated, best of ``runs`` each."""
    checkouts = {"before": before.resolve(), "after": ROOT}
    for what in ("collector", "ingest"):
        best: dict[str, dict] = {}
        for run in range(runs):
            for label, checkout in checkouts.items():
                result = child_run(checkout, path, tmp / f"{label}-{what}-{run}", what)
                if what == "ingest":
                    assert result["new"] == posts, result
                if label not in best or result["seconds"] < best[label]["seconds"]:
                    best[label] = result
        for label in checkouts:
            r = best[label]
            print(f"  {what:9s} {label:6s} {r['seconds']:7.2f} s (CPU {r['cpu']:.2f} s) "
                  f"{posts / r['seconds']:12,.0f} posts/s  ({bare / r['seconds']:.0%} of the parse)")
        print(f"  {what:9s} after is {best['before']['seconds'] / best['after']['seconds']:.2f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=int, help="number of page lines (100 tweets each)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a checkout of another version to time side by side")
    args = parser.parse_args()
    rng = random.Random(20220829)
    with tempfile.TemporaryDirectory(prefix="dtrack-bench-") as tmp:
        path = Path(tmp) / "pages.jsonl"
        with open(path, "wb") as fh:
            for page in range(args.pages):
                fh.write(make_page(rng, page))
        posts = args.pages * PER_PAGE
        size = path.stat().st_size

        def bare() -> None:
            n = 0
            with open(path, "rb") as fh:
                for line in fh:
                    for tweet in orjson.loads(line)["data"]:
                        n += len(tweet["text"])

        def collector() -> None:
            for _ in twarc.parse(path, ParseContext()):
                pass

        stores = iter(range(args.runs))

        def ingest() -> None:
            store = Store(Path(tmp) / f"store{next(stores)}")
            with store.writer(purpose="bench") as w:
                report = ingest_source(w, path, fmt="twarc")
            assert report.new == posts, report

        print(f"{args.pages:,} pages, {posts:,} posts, {size / 1e6:.1f} MB of twarc2 JSONL (best of {args.runs}; "
              f"load average {os.getloadavg()[0]:.2f})")
        bare_seconds = best_of(args.runs, bare)
        print(f"  {'bare orjson parse':30s} {bare_seconds:7.2f} s  {posts / bare_seconds:12,.0f} posts/s")
        if args.before is not None:
            side_by_side(args.before, path, Path(tmp), posts, args.runs, bare_seconds)
        else:
            for label, fn in (("twarc collector (parse only)", collector), ("ingest_source into a store", ingest)):
                seconds = best_of(args.runs, fn)
                print(f"  {label:30s} {seconds:7.2f} s  {posts / seconds:12,.0f} posts/s"
                      f"  ({bare_seconds / seconds:.0%} of the parse)")
        print(f"  load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
