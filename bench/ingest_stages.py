"""Where a generic NDJSON ingest's CPU goes: each stage of the pipeline run alone, one after the other.

Usage: python bench/ingest_stages.py [FILE] [--posts N]

``dtrack ingest`` runs these stages in several threads at once (read-ahead, parse pool, store,
staging writes, the hash), so a profile of the real run mixes them and polars' own threads are
invisible to py-spy. Here each stage runs on its own over the whole file, in this process, with
``process_time`` (all threads) around it: the CPU seconds of each, per 1,000,000 posts. The
stages are the ingest's own functions (``collectors.formats.ndjson``, ``collectors.pipeline.ingest``,
``data.store``, ``data.daily``), called in the order the ingest calls them; only the threading
differs. Without FILE it writes N general-corpus posts (bench/vs_notebook.py's corpus).

It also times the Parquet settings the store could use for a batch of month files (statistics,
codecs, pyarrow's per-column dictionary and statistics), so the choice can be checked again when
polars changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", type=Path, default=None)
    ap.add_argument("--posts", type=int, default=1_000_000, help="posts to write when no FILE is given")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dtrack-stages-"))
    try:
        src = args.file
        if src is None:
            from vs_notebook import write_corpus

            src = work / "general.ndjson"
            write_corpus(src, "general", args.posts)
        stages(src, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def stages(src: Path, work: Path) -> None:
    import numpy as np
    import polars as pl

    from dtrack.collectors.formats import ndjson
    from dtrack.collectors.formats.tabular import choose_columns, flat_names, map_frame
    from dtrack.collectors.pipeline import ingest
    from dtrack.collectors.records import ParseContext
    from dtrack.data import store
    from dtrack.data.daily import count_posts
    from dtrack.data.schema import POST_SCHEMA

    cpu: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        started = time.process_time()
        out = fn()
        cpu[name] = cpu.get(name, 0.0) + time.process_time() - started
        return out

    timed("sha256 of the file (its own read)", lambda: ingest.file_sha256(src))
    native = ndjson.native_module()
    os.environ[ndjson.NATIVE_ENV] = "0"  # the polars path's stages first, line counts by numpy
    blocks = timed("read blocks, count lines", lambda: list(ndjson._blocks(src)))
    frames = timed("read_ndjson", lambda: [ndjson._read_block(block) for block, _ in blocks])
    ctx = ParseContext()
    chosen = choose_columns(flat_names(frames[0].schema), ctx.mapping)
    timed("id check (float and mixed ids)", lambda: [ndjson._float_ids(f, chosen) or ndjson._mixed_ids(f, b, chosen)
                                                     for f, (b, _) in zip(frames, blocks, strict=True)])
    mapped = timed("map to post columns (times included)", lambda: [map_frame(f, chosen, ctx) for f in frames])
    os.environ.pop(ndjson.NATIVE_ENV)
    alone: dict[str, float] = {}
    if native is not None:  # what the compiled pass (collectors/_fastlines.pyx) does instead of the four above
        for name, fn in (
            ("native: read blocks, count lines (memchr)", lambda: list(ndjson._blocks(src))),
            ("native: parse, UTF-8, id check, ISO times", lambda: [
                ndjson._native_frame(b, c, chosen) for b, c in blocks]),
        ):
            started = time.process_time()
            got = fn()
            alone[name] = time.process_time() - started
        if any(f is None for f in got):
            print(f"  ({sum(f is None for f in got)} of {len(got)} blocks left to polars by the native pass)")
        started = time.process_time()
        for f in got:
            if f is not None:
                map_frame(f, chosen, ctx)
        alone["native: map to post columns"] = time.process_time() - started
    batcher = ingest._Batcher(None, ingest.IngestReport(path=str(src)), ndjson, ctx, "0" * 64, str(src))
    normalised = timed("normalise, quarantine checks", lambda: [ingest._normalise_frame(
        m.with_columns(source_line=pl.int_range(0, m.height, dtype=pl.Int64, eager=True)), batcher) for m in mapped])
    now = dt.datetime.now(dt.UTC)
    posts = timed("provenance, schema", lambda: [f.with_columns(
        source_file=pl.col("source_file").fill_null(str(src)), source_sha256=pl.lit("0" * 64),
        collected_at=pl.lit(now, dtype=POST_SCHEMA["collected_at"]), collector=pl.lit("ndjson/1"),
        is_repost=pl.col("is_repost").fill_null(False)).select(list(POST_SCHEMA)).cast(POST_SCHEMA)
        for f in normalised])
    n = sum(p.height for p in posts)

    def dedup() -> None:
        index = np.empty(0, dtype=np.uint64)
        for p in posts:
            hashes = np.sort(store.key_hashes(p))
            store.contains_sorted(index, hashes)
            index = store.sorted_insert(index, hashes)

    timed("dedup: key hashes, index probe and insert", dedup)

    def batch() -> list[pl.DataFrame]:
        out: list[pl.DataFrame] = []
        pending: list[pl.DataFrame] = []
        for p in posts:  # a batch is written once it holds STAGE_ROWS posts, as the store does
            pending.append(p)
            if sum(f.height for f in pending) >= store.STAGE_ROWS:
                out.append(pl.concat(pending))
                pending = []
        return [*out, pl.concat(pending)] if pending else out

    batches = timed("batches of STAGE_ROWS (concat)", batch)
    out = work / "months"
    out.mkdir(exist_ok=True)
    parts: list[pl.DataFrame] = []

    def split() -> None:
        for batch in batches:
            created = batch.get_column("created_at")
            months = created.dt.year().cast(pl.Int32) * 100 + created.dt.month().cast(pl.Int32)
            parts.extend(p.drop("_month") for p in batch.with_columns(_month=months)
                         .partition_by("_month", maintain_order=True))

    timed("split into months (partition_by)", split)

    def write(kw: dict[str, Any]) -> int:
        def one(item: tuple[int, pl.DataFrame]) -> int:
            path = out / f"{item[0]}.parquet"
            item[1].write_parquet(path, **kw)
            return path.stat().st_size
        with ThreadPoolExecutor(2) as pool:  # as the store writes a batch's month files
            return sum(pool.map(one, enumerate(parts)))

    store_kw = {"statistics": True, "compression": "zstd", "compression_level": 1}
    size = timed("Parquet month files (zstd 1, statistics)", lambda: write(store_kw))
    timed("counts rows of each file", lambda: [count_posts(p, str(i)) for i, p in enumerate(parts)])
    total = sum(cpu.values())
    per = 1_000_000 / n
    print(f"{n:,} posts, {src.stat().st_size / 1e6:.0f} MB; CPU seconds per 1,000,000 posts, each stage alone:")
    for name, seconds in cpu.items():
        print(f"  {name:<45} {seconds * per:6.2f} s  {seconds / total:4.0%}")
    print(f"  {'total':<45} {total * per:6.2f} s  (dtrack ingest adds start-up, threads and the commit)")
    if alone:
        print("The native pass instead of reading, read_ndjson, the id check and mapping "
              "(CPU seconds per 1,000,000 posts):")
        for name, seconds in alone.items():
            print(f"  {name:<45} {seconds * per:6.2f} s")
        replaced = sum(cpu[k] for k in ("read blocks, count lines", "read_ndjson", "id check (float and mixed ids)",
                                        "map to post columns (times included)"))
        print(f"  {'those four stages: polars path / native':<45} {replaced * per:6.2f} s / "
              f"{sum(alone.values()) * per:.2f} s; total {total * per:.2f} s / "
              f"{(total - replaced + sum(alone.values())) * per:.2f} s")

    print(f"Parquet settings for the same {len(parts)} month files (CPU seconds per 1,000,000 posts, size):")
    options: dict[str, Callable[[], int]] = {
        "store's: zstd 1, statistics": lambda: write(store_kw),
        "zstd 1, no statistics": lambda: write(store_kw | {"statistics": False}),
        "lz4, statistics": lambda: write({"statistics": True, "compression": "lz4"}),
        "uncompressed, statistics": lambda: write({"statistics": True, "compression": "uncompressed"}),
    }
    try:
        import pyarrow.parquet as pq
    except ImportError:
        pq = None
    if pq is not None:
        constant = ["platform", "lang", "source_file", "source_sha256", "collector", "author_id", "repost_of",
                    "reply_to", "quote_of", "url", "extra"]

        def arrow() -> int:
            def one(item: tuple[int, pl.DataFrame]) -> int:
                path = out / f"{item[0]}.parquet"
                pq.write_table(item[1].to_arrow(), path, compression="zstd", compression_level=1,
                               use_dictionary=constant, write_statistics=["created_at"])
                return path.stat().st_size
            with ThreadPoolExecutor(2) as pool:
                return sum(pool.map(one, enumerate(parts)))

        options["pyarrow: dictionaries and statistics only where used"] = arrow
    for name, fn in options.items():
        started = time.process_time()
        size = fn()
        print(f"  {name:<55} {(time.process_time() - started) * per:5.2f} s  {size / 1e6:6.1f} MB")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
