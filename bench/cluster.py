"""Ingest, tagging and discover's word counting through one process and through a Dask LocalCluster:
posts/s per stage.

    python bench/cluster.py                   # 1,000,000 posts (10M needs ~30 min on 2 idle cores)
    python bench/cluster.py 10000000 --files 40
    python bench/cluster.py 200000 --workers 2 --term-share 0.05
    python bench/cluster.py 1000000 --stages discover   # only the counting (after a local ingest)

Writes N synthetic posts as twarc2 JSONL search pages (100 tweets a page,
texts from ``nlp.synthetic``: short Japanese posts, ``--term-share`` of them
using a dictionary term, so the pre-filter passes about that share plus near
misses to MeCab), split into ``--files`` files, then times:

one process (one core)
  parse    the twarc collector and the ingest loop's batcher, into Parquet parts (no store)
  commit   those parts through one store transaction each (dedup index, month files, manifest)
  ingest   the real ``ingest_paths`` (parse + commit) into a fresh store
  tag      ``tag_store(workers=1)``: pre-filter, tokenise candidates, hits, commit
  count    ``words.count_store(workers=1)``: discover's candidate words, every post tokenised, commit

LocalCluster(--workers processes, one thread each)
  ingest   ``ingest_on_cluster`` (workers parse byte ranges, this process commits)
  tag      ``tag_store(cluster=...)`` (workers tokenise, this process commits)
  count    ``words.count_store(cluster=...)`` (workers tokenise, this process commits), as
           ``dtrack discover --cluster`` runs it

and checks the two stores hold the same posts, hits and word rows. Each line
gives the wall time, the CPU seconds of this process and, for a cluster
stage, of the workers, and the load average (the machine may be shared:
compare the ratios of one run, not seconds across runs). From the one-core
figures it prints the projection docs/scale.md explains: hours for 1B posts on
100 and 1,000 cores, where parsing and tagging divide by the cores and the
commit (one writer) does not.

Targets: on an idle machine the cluster's ingest and tag are >= 1.5x one process
with 2 workers; the cluster store equals the local one. A loaded machine (see
the load average printed) gives the workers less than a core each.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
import polars as pl  # noqa: E402

from dtrack.collectors.pipeline.cluster import (  # noqa: E402
    COMMIT_ROWS,
    SPLIT_BYTES,
    ingest_on_cluster,
    parse_part,
    survey,
)
from dtrack.collectors.pipeline.ingest import ingest_paths  # noqa: E402
from dtrack.collectors.records import ParseContext  # noqa: E402
from dtrack.data.store import Store  # noqa: E402
from dtrack.nlp.synthetic import generate_texts  # noqa: E402
from dtrack.nlp.tagger import tag_store  # noqa: E402
from dtrack.nlp.words import count_store  # noqa: E402

PER_PAGE = 100


def write_inputs(folder: Path, n: int, files: int, term_share: float, seed: int = 7) -> list[Path]:
    """N posts as twarc2 search pages in ``files`` JSONL files (one month of tweets, 2022-08)."""
    rng = random.Random(seed)
    texts = generate_texts(n, term_share=term_share, seed=seed)
    paths = [folder / f"search-{i:03d}.jsonl" for i in range(files)]
    per_file = -(-n // files)
    done = 0
    for path in paths:
        with open(path, "wb") as out:
            end = min(n, done + per_file)
            while done < end:
                page = []
                for i in range(done, min(end, done + PER_PAGE)):
                    tid = str(1_560_000_000_000_000_000 + i)
                    when = f"2022-08-{1 + i * 30 // n:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00.000Z"
                    page.append({
                        "id": tid, "text": texts[i], "author_id": str(rng.randrange(50_000)), "created_at": when,
                        "lang": "ja", "conversation_id": tid, "edit_history_tweet_ids": [tid],
                        "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 1, "quote_count": 0},
                    })
                done += len(page)
                out.write(orjson.dumps({"data": page, "meta": {"result_count": len(page)},
                                        "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all",
                                                    "version": "2.14.0"}}) + b"\n")
    return paths


def timed(label: str, posts: int, func, results: dict, client: object = None) -> object:
    """Run ``func``; record posts per wall second, and per CPU second of this process (the per-core
    rate, which a loaded machine does not lower; meaningless when the work runs in other processes).
    With a Dask ``client``, the workers' CPU seconds are summed too (their per-core rate)."""
    workers = _worker_cpu(client)
    started, cpu = time.perf_counter(), time.process_time()
    out = func()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    results[label] = posts / seconds
    results[label + " cpu"] = posts / max(cpu, 1e-9)
    extra = ""
    if client is not None:
        spent = sum(_worker_cpu(client).values()) - sum(workers.values())
        results[label + " worker cpu"] = posts / max(spent, 1e-9)
        extra = f"; {spent:.1f} s CPU in the workers: {posts / max(spent, 1e-9):,.0f} posts per worker CPU-second"
    print(f"  {label:<26} {posts:>11,} posts {seconds:8.1f} s {posts / seconds:>12,.0f} posts/s"
          f"   ({cpu:7.1f} s CPU here: {posts / max(cpu, 1e-9):>10,.0f} posts per CPU-second{extra}; "
          f"load {os.getloadavg()[0]:.1f})", flush=True)
    return out


def _worker_cpu(client: object) -> dict[str, float]:
    """CPU seconds each worker process has used so far."""
    if client is None:
        return {}
    return client.run(time.process_time)  # type: ignore[attr-defined]


def _words(store: Store) -> tuple[int, int]:
    """(rows, an order-free fingerprint of every word row): two stores' rows compared without holding
    tens of millions of rows in memory."""
    fingerprint = pl.struct(pl.all()).hash(seed=0) % 1_000_000_007
    out = store.scan_words().select(pl.len(), fingerprint.cast(pl.Int64).sum()).collect()
    return int(out.item(0, 0)), int(out.item(0, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--term-share", type=float, default=0.05)
    parser.add_argument("--stages", default="ingest,tag,discover",
                        help="comma-separated stages to time: ingest, tag, discover (a local ingest always runs)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    stages = {s.strip() for s in args.stages.split(",") if s.strip()}
    unknown = stages - {"ingest", "tag", "discover"}
    if unknown:
        parser.error(f"--stages: unknown {', '.join(sorted(unknown))} (ingest, tag, discover)")

    tmp = Path(tempfile.mkdtemp(prefix="dtrack-bench-cluster-"))
    results: dict[str, float] = {}
    try:
        inputs = tmp / "in"
        inputs.mkdir()
        t0 = time.perf_counter()
        paths = write_inputs(inputs, args.n, args.files, args.term_share)
        size = sum(p.stat().st_size for p in paths)
        print(f"{args.n:,} posts in {len(paths)} twarc2 files, {size / 1e9:.2f} GB "
              f"(written in {time.perf_counter() - t0:.0f}s); load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores")

        print("one process (one core):")
        ctx = ParseContext()
        parts_dir = tmp / "parts"

        def parse_all() -> list[dict]:
            return [parse_part(str(p), "twarc", ctx, survey(str(p), None)[0], str(p), str(parts_dir), None)
                    for p in paths]

        if "ingest" in stages:
            parsed = timed("parse (+ sha256)", args.n, parse_all, results)
            commit_store = Store(tmp / "commit")

            def commit_all() -> None:
                with commit_store.writer() as writer:
                    for result in parsed:  # as the cluster's client commits: parts in batches of COMMIT_ROWS
                        with writer.transaction() as txn:
                            frames = [pl.read_parquet(name) for kind, name in result["files"] if kind == "posts"]
                            batch: list[pl.DataFrame] = []
                            for frame in frames:
                                batch.append(frame)
                                if sum(f.height for f in batch) >= COMMIT_ROWS:
                                    txn.add_posts(pl.concat(batch))
                                    batch = []
                            if batch:
                                txn.add_posts(pl.concat(batch))

            timed("commit (dedup + write)", args.n, commit_all, results)
            shutil.rmtree(parts_dir)
            shutil.rmtree(tmp / "commit")
        local = Store(tmp / "local")

        def ingest_local() -> None:
            with local.writer() as writer:
                ingest_paths(writer, paths)

        timed("ingest (parse + commit)", args.n, ingest_local, results)
        remote = Store(tmp / "remote")
        if "ingest" not in stages:  # the cluster stages start from the same posts
            shutil.copytree(local.path, remote.path)
        if "tag" in stages:
            tag_report = timed("tag (workers=1)", args.n, lambda: tag_store(local, workers=1), results)
            print(f"    ({tag_report.candidates:,} posts tokenised after the pre-filter, {tag_report.hits:,} hits)")
        if "discover" in stages:
            words_report = timed("count words (workers=1)", args.n, lambda: count_store(local, workers=1), results)
            print(f"    ({words_report.rows:,} post-word rows: every post tokenised)")

        from distributed import Client, LocalCluster

        print(f"LocalCluster({args.workers}) (one thread per worker process):")
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:

            def ingest_cluster() -> None:
                with remote.writer() as writer:
                    ingest_on_cluster(client, writer, paths, split_bytes=min(SPLIT_BYTES, max(size // 16, 1 << 20)))

            if "ingest" in stages:
                timed("ingest on cluster", args.n, ingest_cluster, results, client)
            if "tag" in stages:
                timed("tag on cluster", args.n, lambda: tag_store(remote, cluster=client), results, client)
            if "discover" in stages:
                timed("count words on cluster", args.n, lambda: count_store(remote, cluster=client), results, client)

        def rows(frame: pl.LazyFrame) -> int:
            return frame.select(pl.len()).collect().item()

        same = (rows(remote.scan_posts()) == rows(local.scan_posts()) == args.n
                and rows(remote.scan_hits()) == rows(local.scan_hits()))
        if "discover" in stages:
            same = same and _words(remote) == _words(local)
        print(f"cluster store equals the local one (posts, hits, word rows): {same}  [target: True]")
        one_process = {"ingest": "ingest (parse + commit)", "tag": "tag (workers=1)",
                       "discover": "count words (workers=1)"}
        on_cluster = {"ingest": "ingest on cluster", "tag": "tag on cluster", "discover": "count words on cluster"}
        for stage in ("ingest", "tag", "discover"):
            if stage in stages:
                ratio = results[on_cluster[stage]] / results[one_process[stage]]
                print(f"{stage}: cluster / one process = {ratio:.2f}x "
                      f"[target >= 1.5x with 2 workers on 2 idle cores]")

        if {"ingest", "tag"} <= stages:
            parse, tag = results["parse (+ sha256) cpu"], results["tag (workers=1) cpu"]
            commit = results["commit (dedup + write) cpu"]
            print("projection for 1,000,000,000 posts from the per-CPU-second rates (parse and tag divide by the "
                  "cores, one commit does not):")
            for cores in (100, 1000):
                work = 1e9 / (parse * cores) + 1e9 / (tag * cores)
                serial = 1e9 / commit
                print(f"  {cores:>5} cores: parse+tag {work / 3600:6.1f} h, commit {serial / 3600:6.1f} h "
                      f"-> about {max(work, serial) / 3600:.1f} h (overlapped) to {(work + serial) / 3600:.1f} h")
        if "discover" in stages:
            count = results["count words (workers=1) cpu"]
            client_cpu = results["count words on cluster cpu"]
            print("discover's counting of 1,000,000,000 posts from the per-CPU-second rates (tokenising divides by "
                  "the cores; the client reading the parts back and committing does not):")
            for cores in (100, 1000):
                work, serial = 1e9 / (count * cores), 1e9 / client_cpu
                print(f"  {cores:>5} cores: tokenise {work / 3600:6.2f} h, client {serial / 3600:6.2f} h "
                      f"-> about {max(work, serial) / 3600:.2f} h")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
