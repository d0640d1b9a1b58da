"""Reddit dump ingest throughput: prints posts/s for plain NDJSON and .zst, next to
the bare polars read of the same bytes (the floor the collector adds work on top of).

Synthetic Arctic Shift-shaped comments (70 fields a line, like the 2024 dumps),
seeded, written to a temp dir. Usage: python bench/bench_reddit.py [LINES]
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import time
from pathlib import Path

import orjson
import polars as pl
import zstandard

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dtrack.collectors.formats import reddit
from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.collectors.records import ParseContext
from dtrack.data.store import Store

WORDS = ["無断学習", "AI", "イラスト", "絵師", "mimic", "学習", "禁止", "the", "of", "and", "art",
         "model", "training", "data", "画像", "生成"]


def lines(n: int, seed: int = 1) -> bytes:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        row = {f"pad_{k}": None for k in range(55)}
        row.update({
            "id": f"k{i:07x}", "name": f"t1_k{i:07x}", "author": f"user{rnd.randrange(50_000)}",
            "author_fullname": f"t2_{rnd.randrange(10**8):x}",
            "body": " ".join(rnd.choices(WORDS, k=rnd.randrange(5, 60))),
            "created_utc": rnd.choice([1661740000 + i, float(1661740000 + i), str(1661740000 + i)]),
            "parent_id": f"t3_{rnd.randrange(10**6):x}", "link_id": f"t3_{rnd.randrange(10**6):x}",
            "subreddit": rnd.choice(["japan", "japanlife", "StableDiffusion", "aiArt"]),
            "score": rnd.randrange(-5, 500),
            "permalink": f"/r/japan/comments/abc/x/k{i:07x}/", "edited": False, "gildings": {}, "all_awardings": [],
        })
        out.append(orjson.dumps(row))
    return b"\n".join(out) + b"\n"


def timed(label: str, n: int, fn) -> None:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:6.2f} s  {n / seconds:>12,.0f} posts/s")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    tmp = Path(tempfile.mkdtemp(prefix="bench-reddit-"))
    data = lines(n)
    plain = tmp / "RC_bench.ndjson"
    plain.write_bytes(data)
    params = zstandard.ZstdCompressionParameters(window_log=31, enable_ldm=True, compression_level=3)
    buf = io.BytesIO()
    with zstandard.ZstdCompressor(compression_params=params).stream_writer(buf, closefd=False) as w:
        w.write(data)
    packed = tmp / "RC_bench.zst"
    packed.write_bytes(buf.getvalue())
    print(f"{n:,} comments, {len(data) / 1e6:.0f} MB NDJSON, {packed.stat().st_size / 1e6:.1f} MB zst")
    timed("bare pl.read_ndjson (all columns)", n, lambda: pl.read_ndjson(plain))
    timed("bare orjson.loads per line", n, lambda: [orjson.loads(x) for x in data.split(b"\n") if x])
    timed("reddit.parse, plain (no store)", n, lambda: list(reddit.parse(plain, ParseContext())))
    timed("reddit.parse, .zst (no store)", n, lambda: list(reddit.parse(packed, ParseContext())))
    for path in (plain, packed):
        store = Store(tmp / f"store-{path.suffix[1:]}")
        with store.writer(purpose="bench") as w:
            timed(f"ingest_source into a store, {path.suffix}", n, lambda w=w, path=path: ingest_source(w, path))


if __name__ == "__main__":
    main()
