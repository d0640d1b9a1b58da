"""Per-post work over stored posts on a Dask cluster: workers compute, the client commits.

Tagging and discover's candidate-word counting (and any stage shaped like
them: a function from a slice of posts to rows) are spread in tasks of about
:data:`TASK_POSTS` posts. Each task reads its slices of committed post files
(the store must be on a file system the workers share), runs the work with
this worker process's state (the Matcher and MeCab Taggers are built once
per process, and per dictionary for the Matcher), and writes
the rows as a Parquet part under the store's ``staging/``. The client reads
the parts back in plan order and hands them to the stage's one transaction
(``tag_store``, ``words.count_store``), which records the files done and the
run as it does locally: the rows are the ones a local run stores.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.data.cluster import RETRIES, Progress, check_shared, cluster_failure
from dtrack.data.schema import POST_SCHEMA
from dtrack.data.store import Store
from dtrack.nlp.tagger import BATCH_POSTS, _Runner, tag_frame
from dtrack.nlp.terms import TermDictionary
from dtrack.nlp.words import words_frame

#: Posts per task: big enough to amortise a task's overhead, small enough to spread a big file.
TASK_POSTS = 100_000
#: What a task runs: (posts, *args) -> (rows, counts such as {"seen": posts read}).
Work = Callable[..., tuple[pl.DataFrame, dict[str, int]]]
_MATCHERS: dict[str, Any] = {}


def tag_work(posts: pl.LazyFrame, terms: TermDictionary) -> tuple[pl.DataFrame, dict[str, int]]:
    """Hits of ``posts`` with this process's Matcher for ``terms`` (built on first use)."""
    from dtrack.nlp.matcher import Matcher

    matcher = _MATCHERS.get(terms.hash)
    if matcher is None:
        matcher = _MATCHERS[terms.hash] = Matcher(terms)
    hits, seen, tokenised = tag_frame(posts, terms, _runner=_Runner(matcher, 1))
    return hits, {"seen": seen, "tokenised": tokenised}


def words_work(posts: pl.LazyFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """Candidate-word rows of ``posts`` with this process's candidate Tagger (built on first use; no pool:
    the worker process is the unit of parallelism)."""
    rows = words_frame(posts, workers=1)
    return rows, {"seen": posts.select(pl.len()).collect().item()}


def run_part(pieces: list[tuple[str, int, int]], work: Work, args: tuple[Any, ...], out_dir: str) -> dict[str, Any]:
    """On a worker: ``work`` over some post file slices (path, first row, rows), its rows written as one part."""
    lazy = pl.concat([
        pl.scan_parquet(path, schema=POST_SCHEMA, missing_columns="insert", extra_columns="ignore")
        .slice(offset, length)
        for path, offset, length in pieces
    ])
    rows, counts = work(lazy, *args)
    out = Path(out_dir) / f"{uuid.uuid4().hex}.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows.write_parquet(out, compression="lz4", statistics=False)
    return {"file": str(out), "counts": counts}


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


def map_on_cluster(client: Any, store: Store, files: list[str], work: Work, args: tuple[Any, ...],
                   progress: Progress | None = None, task_posts: int = TASK_POSTS,
                   ) -> Iterator[tuple[pl.DataFrame, dict[str, int]]]:
    """(rows, summed counts) of ``work`` over the posts of ``files``, in order, in batches of about
    BATCH_POSTS posts (as few files as a local run writes), computed by the cluster's workers in
    tasks of about ``task_posts`` posts."""
    from distributed import as_completed

    staging = store.path / "staging" / f"cluster-map-{uuid.uuid4().hex[:12]}"
    check_shared(client, staging)
    progress = progress or Progress("work", write=lambda line: None)
    try:
        futures = [client.submit(run_part, pieces, work, args, str(staging), pure=False, retries=RETRIES)
                   for pieces in tasks(store, files, task_posts)]
        progress.add(len(futures))
        index = {f.key: i for i, f in enumerate(futures)}
        done: dict[int, dict[str, Any]] = {}
        head = 0
        batch: list[pl.DataFrame] = []
        counts: dict[str, int] = {}
        for future in as_completed(futures):
            result = _result(future)  # a task that kept failing raises here: nothing is committed
            progress.step(result["counts"].get("seen", 0))
            done[index[future.key]] = result
            while head in done:
                result = done.pop(head)
                batch.append(pl.read_parquet(result["file"]))
                Path(result["file"]).unlink(missing_ok=True)
                for key, value in result["counts"].items():
                    counts[key] = counts.get(key, 0) + value
                head += 1
                if counts.get("seen", 0) >= BATCH_POSTS:
                    yield pl.concat(batch), counts
                    batch, counts = [], {}
        if batch:
            yield pl.concat(batch), counts
    finally:
        progress.close()
        shutil.rmtree(staging, ignore_errors=True)


def _result(future: Any) -> dict[str, Any]:
    """A task's result; the cluster's own failures as a ClusterError that says nothing was stored, not as
    Dask's traceback. An error the work itself raised is re-raised as it is: a bug to report."""
    failure = cluster_failure(future, "nothing of this run was stored")
    if failure is not None:
        raise failure
    return future.result()


def tag_on_cluster(client: Any, store: Store, files: list[str], terms: TermDictionary,
                   progress: Progress | None = None) -> Iterator[tuple[pl.DataFrame, int, int]]:
    """(hits, posts seen, posts tokenised) of ``files``, in order, computed by the workers."""
    for hits, counts in map_on_cluster(client, store, files, tag_work, (terms,), progress):
        yield hits, counts["seen"], counts["tokenised"]


def count_on_cluster(client: Any, store: Store, files: list[str], progress: Progress | None = None,
                     task_posts: int = TASK_POSTS) -> Iterator[tuple[pl.DataFrame, int]]:
    """(candidate-word rows, posts counted) of ``files``, in order, computed by the workers."""
    for rows, counts in map_on_cluster(client, store, files, words_work, (), progress, task_posts):
        yield rows, counts["seen"]
