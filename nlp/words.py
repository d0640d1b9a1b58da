"""Stored posts -> stored candidate words, incrementally: the counts discovery ranks.

Like tagging (nlp/tagger.py), the state kept in the manifest's meta (key
``discovery``) is the extraction rules' version and the list of post files
already counted. Post files are immutable, so "posts not counted yet" are the
posts in files not on that list: a new week's ingest costs only its own posts.
A run appends the new rows and the updated list in one transaction, so a crash
leaves both as they were and a run with nothing new commits nothing.

When the extraction rules, fugashi or unidic-lite change, or a counted file has
left the manifest (compaction), every post is counted again and all rows are
replaced in the same transaction (``replace_all("words")``).

What is stored: one row per (post, candidate word) with the post's time,
author and repost flag (``data.schema.WORD_SCHEMA``). The candidate list does
not depend on the term dictionary or the user's stop-list (both are applied
when ranking), so changing either costs no recount.

On a Dask cluster (``cluster=``, ``dtrack discover --cluster``) the workers
tokenise slices of the files to count, one candidate Tagger per worker
process, and write their rows into the store's staging folder; this process
reads them back in order and commits them in the same one transaction, so
the stored rows are the ones a local count stores.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

import polars as pl

from dtrack.data.schema import WORD_SCHEMA
from dtrack.data.store import Store, StoreWriter
from dtrack.nlp.candidates import candidate_rows, versions
from dtrack.nlp.tagger import post_batches, scan_post_files

META_KEY = "discovery"


@dataclass
class WordsReport:
    """What a counting run did. ``recounted``: every post was counted again."""

    posts: int = 0
    rows: int = 0
    files: int = 0
    recounted: bool = False
    seconds: float = 0.0
    reason: str = "up to date"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """One line for humans."""
        if self.reason == "up to date":
            return "candidate words: up to date"
        what = "recounted all" if self.recounted else "counted"
        return (f"candidate words: {what} {self.posts:,} posts in {self.files:,} files "
                f"({self.rows:,} post-word rows; {self.reason}; {self.seconds:.1f}s)")


def words_frame(posts: pl.DataFrame | pl.LazyFrame, *, workers: int | None = None) -> pl.DataFrame:
    """WORD_SCHEMA rows of posts (needs platform, post_id, created_at, author_id, author_name, is_repost, text)."""
    frame = posts.lazy().select(
        "platform", "post_id", "created_at",
        author=pl.coalesce(pl.col("author_id"), pl.col("author_name")),
        is_repost=pl.col("is_repost").fill_null(False),
        text="text",
    ).collect()
    rows = candidate_rows(frame, workers=workers)
    return (
        rows.join(frame.drop("text").with_row_index("row"), on="row", how="left")
        .select(list(WORD_SCHEMA))
        .cast(WORD_SCHEMA)  # type: ignore[arg-type]
    )


def plan(store: Store) -> tuple[list[str], bool, str]:
    """(post files to count, count everything again?, reason)."""
    manifest = store.manifest()
    post_files: list[str] = list(manifest["files"].get("posts", []))
    state = manifest.get("meta", {}).get(META_KEY) or {}
    has_rows = bool(manifest["files"].get("words"))
    if not state:
        return post_files, has_rows, "first count" if post_files else "up to date"
    if state.get("versions") != versions():
        return post_files, True, "extraction rules changed"
    counted = state.get("files", [])
    listed = set(post_files)
    if any(f not in listed for f in counted):
        return post_files, True, "post files rewritten"
    done = set(counted)
    todo = [f for f in post_files if f not in done]
    return todo, False, "new posts" if todo else "up to date"


def is_current(store: Store) -> bool:
    """Are the stored candidate words up to date with the stored posts?"""
    todo, full, _ = plan(store)
    return not todo and not full


def _count_local(store: Store, files: list[str], workers: int | None) -> Iterator[tuple[pl.DataFrame, int]]:
    """(candidate-word rows, posts counted) of ``files`` in groups, in this process and its pool."""
    for group in post_batches(store, files):
        lazy = scan_post_files(store, group)
        yield words_frame(lazy, workers=workers), lazy.select(pl.len()).collect().item()


def count_store(store: Store, *, writer: StoreWriter | None = None, workers: int | None = None,
                cluster: Any = None, progress: Any = None, task_posts: int | None = None) -> WordsReport:
    """Count candidate words of every post not yet counted; see the module docstring.

    ``writer``: the caller already holds the store's write lock; otherwise it
    is taken here (``StoreLocked`` if another process writes). ``cluster``: a
    ``distributed.Client`` whose workers tokenise (``nlp.cluster``); the rows
    and the transaction are the same. ``progress``: a ``data.cluster.Progress``;
    ``task_posts``: posts per cluster task (default ``nlp.cluster.TASK_POSTS``).
    """
    if writer is None:
        with store.writer(purpose="dtrack discover (counting candidate words)") as own:
            return count_store(store, writer=own, workers=workers, cluster=cluster, progress=progress,
                               task_posts=task_posts)
    started = time.perf_counter()
    todo, full, reason = plan(store)
    report = WordsReport(reason=reason, recounted=full)
    if not todo and not full:
        return report
    state = store.meta(META_KEY) or {}
    with writer.transaction() as txn:
        if full:
            txn.replace_all("words")
        if cluster is not None:
            from dtrack.nlp.cluster import TASK_POSTS, count_on_cluster

            parts = count_on_cluster(cluster, store, todo, progress, task_posts or TASK_POSTS)
        else:
            parts = _count_local(store, todo, workers)
        for rows, posts in parts:
            txn.add_words(rows)
            report.posts += posts
            report.rows += rows.height
        report.files = len(todo)
        report.seconds = time.perf_counter() - started
        previous = [] if full else list(state.get("files", []))
        txn.set_meta(META_KEY, {
            "versions": versions(),
            "files": previous + todo,
            "posts": (0 if full else int(state.get("posts", 0))) + report.posts,
            "rows": (0 if full else int(state.get("rows", 0))) + report.rows,
            "last_run": {
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "reason": reason,
                "posts": report.posts,
                "rows": report.rows,
                "seconds": round(report.seconds, 3),
            },
        })
    return report
