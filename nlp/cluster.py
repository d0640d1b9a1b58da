"""Tagging on a Dask cluster: workers tokenise slices of post files, the client commits.

Each task reads a slice of one committed post file (the store must be on a
file system the workers share), tags it with this worker process's Matcher
(built once per process and dictionary, with its own MeCab Tagger), and
writes the hits as a Parquet part under the store's ``staging/``. The client
reads the parts back in plan order and hands them to the one tagging
transaction of ``tag_store``, which records the tagged files and the run as
it does locally: the hits are the same rows a local run stores.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.data.cluster import RETRIES, Progress, check_shared
from dtrack.data.schema import POST_SCHEMA
from dtrack.data.store import Store
from dtrack.nlp.tagger import BATCH_POSTS, _Runner, tag_frame
from dtrack.nlp.terms import TermDictionary

#: Posts per task: big enough to amortise a task's overhead, small enough to spread a big file.
TASK_POSTS = 100_000
_MATCHERS: dict[str, Any] = {}


def tag_part(pieces: list[tuple[str, int, int]], terms: TermDictionary, out_dir: str) -> dict[str, Any]:
    """On a worker: hits of some post file slices (path, first row, rows), written as one part."""
    from dtrack.nlp.matcher import Matcher

    matcher = _MATCHERS.get(terms.hash)
    if matcher is None:
        matcher = _MATCHERS[terms.hash] = Matcher(terms)
    lazy = pl.concat([
        pl.scan_parquet(path, schema=POST_SCHEMA, missing_columns="insert", extra_columns="ignore")
        .slice(offset, length)
        for path, offset, length in pieces
    ])
    hits, seen, tokenised = tag_frame(lazy, terms, _runner=_Runner(matcher, 1))
    out = Path(out_dir) / f"{uuid.uuid4().hex}.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    hits.write_parquet(out, compression="lz4", statistics=False)
    return {"file": str(out), "seen": seen, "tokenised": tokenised}


def tasks(store: Store, files: list[str], size: int = TASK_POSTS) -> Iterator[list[tuple[str, int, int]]]:
    """``files`` in order as tasks of about ``size`` rows: slices of a big file, runs of small ones."""
    task: list[tuple[str, int, int]] = []
    rows_in_task = 0
    for rel in files:
        path = str((store.path / rel).absolute())
        rows = pl.scan_parquet(path).select(pl.len()).collect().item()
        offset = 0
        while offset < rows:
            take = min(size - rows_in_task, rows - offset)
            task.append((path, offset, take))
            offset, rows_in_task = offset + take, rows_in_task + take
            if rows_in_task >= size:
                yield task
                task, rows_in_task = [], 0
    if task:
        yield task


def tag_on_cluster(client: Any, store: Store, files: list[str], terms: TermDictionary,
                   progress: Progress | None = None) -> Iterator[tuple[pl.DataFrame, int, int]]:
    """(hits, posts seen, posts tokenised) of ``files``, in order, computed by the workers."""
    from distributed import as_completed

    staging = store.path / "staging" / f"cluster-tag-{uuid.uuid4().hex[:12]}"
    check_shared(client, staging)
    progress = progress or Progress("tag", write=lambda line: None)
    try:
        futures = [client.submit(tag_part, pieces, terms, str(staging), pure=False, retries=RETRIES)
                   for pieces in tasks(store, files)]
        progress.add(len(futures))
        index = {f.key: i for i, f in enumerate(futures)}
        done: dict[int, dict[str, Any]] = {}
        head = 0
        batch: list[pl.DataFrame] = []
        seen = tokenised = 0
        for future in as_completed(futures):
            result = future.result()  # a task that kept failing raises here: nothing is committed
            progress.step(result["seen"])
            done[index[future.key]] = result
            while head in done:
                result = done.pop(head)
                batch.append(pl.read_parquet(result["file"]))
                Path(result["file"]).unlink(missing_ok=True)
                seen, tokenised, head = seen + result["seen"], tokenised + result["tokenised"], head + 1
                if seen >= BATCH_POSTS:  # hits of about as many posts as a local batch: as few files
                    yield pl.concat(batch), seen, tokenised
                    batch, seen, tokenised = [], 0, 0
        if batch:
            yield pl.concat(batch), seen, tokenised
    finally:
        progress.close()
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
