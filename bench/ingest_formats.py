"""Ingest throughput per export format, next to a bare JSON parse of the same bytes.

    python bench/ingest_formats.py [N] [--repeat R] [--format x_archive]

For each format a synthetic export of N posts is written to a temporary folder
(shaped like the real thing: for the X archive a ``data/tweets.js`` in Twitter's
own pretty-printed layout, ~1.7 kB per tweet, 10% retweets) and timed four ways:

* ``orjson parse``   read the file, strip the ``window.YTD...=`` prefix, orjson.loads
* ``json parse``     the same with the standard library's json
* ``collector``      the collector's parse() alone (records out, nothing stored)
* ``ingest``         the whole ingest loop into a fresh store (dedup, Parquet, manifest)

It prints the median over R runs in posts/s, by wall clock and by CPU time of the
process. Numbers drift on a shared machine: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dtrack.collectors.formats import x_archive  # noqa: E402
from dtrack.collectors.pipeline.ingest import ingest_source  # noqa: E402
from dtrack.collectors.records import ParseContext  # noqa: E402
from dtrack.data.store import Store  # noqa: E402

TEXTS = [
    "mimicのβ版、無断学習の対策はどうなってるの &lt;規約&gt; &amp; FAQを確認中",
    "【お願い】私の絵を無断学習に使わないでください。AIに学習させることを禁止します。",
    "画像生成AIの学習データについて整理しました https://t.co/AbCdEf1234",
    "今日は晴れ 🎨",
]


def _tweet(i: int, start: dt.datetime) -> dict:
    tid = str(1_500_000_000_000_000_000 + i * 7919)
    created = (start + dt.timedelta(seconds=37 * i)).strftime("%a %b %d %H:%M:%S +0000 %Y")
    text = TEXTS[i % len(TEXTS)]
    mentions = []
    if i % 10 == 0:
        text = f"RT @artist_{i % 97}: " + text[:100] + "…"
        mentions = [{"name": "A", "screen_name": f"artist_{i % 97}", "indices": ["3", "13"],
                     "id_str": str(1000 + i % 97), "id": str(1000 + i % 97)}]
    tweet = {
        "edit_info": {"initial": {"editTweetIds": [tid], "editableUntil": "2022-08-29T04:15:00.000Z",
                                  "editsRemaining": "5", "isEditEligible": False}},
        "retweeted": False,
        "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
        "entities": {"hashtags": [], "symbols": [], "user_mentions": mentions, "urls": []},
        "display_text_range": ["0", str(len(text))],
        "favorite_count": str(i % 13),
        "id_str": tid,
        "truncated": False,
        "retweet_count": "0",
        "id": tid,
        "created_at": created,
        "favorited": False,
        "full_text": text,
        "lang": "ja",
    }
    if i % 3 == 0:
        tweet["in_reply_to_status_id_str"] = str(int(tid) - 1)
        tweet["in_reply_to_screen_name"] = "someone"
    return {"tweet": tweet}


def write_x_archive(folder: Path, n: int) -> Path:
    """An archive folder with data/manifest.js and a data/tweets.js of ``n`` tweets (unsorted)."""
    data = folder / "data"
    data.mkdir(parents=True)
    (data / "manifest.js").write_text('window.__THAR_CONFIG = {\n  "userInfo" : {\n    "accountId" : '
                                      '"1234567890123456789",\n    "userName" : "bench",\n    "displayName" : '
                                      '"Bench"\n  }\n}')
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    order = sorted(range(n), key=lambda i: (i * 2654435761) % (n or 1))  # items unsorted, as in real archives
    with open(data / "tweets.js", "w", encoding="utf-8") as fh:
        fh.write("window.YTD.tweets.part0 = [")
        for k, i in enumerate(order):
            item = json.dumps(_tweet(i, start), indent=2, separators=(",", " : "), ensure_ascii=False)
            fh.write(("\n" if k == 0 else ",\n") + "\n".join("  " + line for line in item.split("\n")))
        fh.write("\n]")
    return data / "tweets.js"


def _median_rate(n: int, repeat: int, fn: Callable[[int], int]) -> tuple[float, float, int]:
    """Median posts/s over ``repeat`` runs, by wall clock and by CPU time of this process
    (CPU time is steadier on a busy shared machine; it counts polars' worker threads too)."""
    wall, cpu, got = [], [], 0
    for r in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        got = fn(r)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return n / statistics.median(wall), n / statistics.median(cpu), got


def bench_x_archive(n: int, repeat: int, tmp: Path) -> list[tuple[str, float, int]]:
    folder = tmp / "x"
    tweets = write_x_archive(folder, n)
    size = tweets.stat().st_size
    print(f"x_archive: {n:,} tweets, data/tweets.js {size / 1e6:.1f} MB ({size / max(n, 1):.0f} bytes/tweet)")

    def bare_orjson(_: int) -> int:
        raw = tweets.read_bytes()
        return len(orjson.loads(raw[raw.index(b"=") + 1:]))

    def bare_json(_: int) -> int:
        raw = tweets.read_text(encoding="utf-8")
        return len(json.loads(raw[raw.index("=") + 1:]))

    def collector(_: int) -> int:
        count = 0
        for rec in x_archive.parse(folder, ParseContext()):
            if isinstance(rec, pl.DataFrame):
                count += rec.height
        return count

    def ingest(r: int) -> int:
        store = Store(tmp / f"store-{r}")
        with store.writer(purpose="bench") as w:
            report = ingest_source(w, folder, ctx=ParseContext())
        if report.status != "ok":
            raise SystemExit(f"ingest failed: {report.message}")
        return report.new

    rows = []
    for name, fn in (("orjson parse", bare_orjson), ("json parse", bare_json), ("collector", collector),
                     ("ingest", ingest)):
        wall, cpu, got = _median_rate(n, repeat, fn)
        if got != n:
            raise SystemExit(f"{name} returned {got} posts, expected {n}")
        rows.append((name, wall, cpu))
    return rows


BENCHES = {"x_archive": bench_x_archive}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000, help="posts per synthetic export [100000]")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown [3]")
    parser.add_argument("--format", choices=sorted(BENCHES), action="append", help="only these formats")
    args = parser.parse_args()
    for fmt in args.format or sorted(BENCHES):
        with tempfile.TemporaryDirectory(prefix="dtrack-bench-") as tmp:
            rows = BENCHES[fmt](args.n, args.repeat, Path(tmp))
        base_wall, base_cpu = rows[0][1], rows[0][2]
        print(f"{'':2}{'how':<14}{'posts/s wall':>14}{'vs orjson':>11}{'posts/s CPU':>14}{'vs orjson':>11}")
        for name, wall, cpu in rows:
            print(f"{'':2}{name:<14}{wall:>14,.0f}{wall / base_wall:>10.2f}x{cpu:>14,.0f}{cpu / base_cpu:>10.2f}x")


if __name__ == "__main__":
    main()
