"""Content words of every stored post, tokenised once and kept beside the post files.

Why a cache. Co-occurrence measures compare the posts that use a term with
all posts of the period (how many posts use 絵柄 at all?), so every post of
the period needs its words. Tokenising a million posts takes tens of seconds;
reading their word lists back takes well under one. Post files are immutable
and uniquely named, so a file's word list never goes stale: the cache is
keyed on the post file (``STORE/cache/words-<version>/<file>.parquet``), where
the version covers the word rules, the tokenizer and the dictionary
(:func:`nlp.lemmas.words_version`). A new post file is tokenised the first time
a query needs its period; a post file that left the manifest (compaction)
simply stops being read, and its cache file is removed by the next build.

Readers need no lock: a cache file is written under a temporary name and
renamed into place, so two processes building the same file both write the
same bytes and either rename wins. A store that cannot be written (read-only
media) still works, tokenising in memory each time.

Each cache file copies the few post columns the counting rule needs
(created_at, is_repost, platform, author), so a query reads the cache alone
and never joins it back to the posts.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import uuid
from pathlib import Path

import polars as pl

from dtrack.data.schema import POST_SCHEMA
from dtrack.data.store import Store
from dtrack.nlp.lemmas import decode, encode, words_version

CACHE_DIR = "cache"
#: Fewer texts than this are tokenised in this process (no pool start-up).
PARALLEL_MIN = 20_000
CHUNK = 2_000
WORDS_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String(),
    "post_id": pl.String(),
    "created_at": pl.Datetime("us", "UTC"),
    "is_repost": pl.Boolean(),
    "author": pl.String(),
    "words": pl.List(pl.String()),
}
_MONTH_RE = re.compile(r"month=(\d{4})-(\d{2})")


def cache_dir(store: Store) -> Path:
    """The folder of this version's word lists."""
    return store.path / CACHE_DIR / f"words-{words_version()}"


def _cache_name(rel: str) -> str:
    return rel.replace("/", "__")


def files_between(store: Store, start: dt.date | None, end: dt.date | None) -> list[str]:
    """Post files (relative paths) whose UTC month can hold a post of a local day in [start, end]."""
    rels = list(store.manifest()["files"].get("posts", []))
    lo = (start - dt.timedelta(days=2)).strftime("%Y-%m") if start else None
    hi = (end + dt.timedelta(days=2)).strftime("%Y-%m") if end else None
    chosen = []
    for rel in rels:
        m = _MONTH_RE.search(rel)
        month = f"{m.group(1)}-{m.group(2)}" if m else None
        if month is None or ((lo is None or month >= lo) and (hi is None or month <= hi)):
            chosen.append(rel)
    return chosen


def _work(texts: list[str | None]) -> str:
    return encode(texts)


def tokenise(texts: list[str | None], workers: int | None = None) -> list[list[str]]:
    """Word lists of ``texts``: in this process for few, in a pool of forked workers for many."""
    if workers is None:
        try:
            workers = max(1, len(os.sched_getaffinity(0)))
        except AttributeError:
            workers = max(1, os.cpu_count() or 1)
    if workers == 1 or len(texts) < PARALLEL_MIN:
        return decode(encode(texts), len(texts))
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    size = max(200, min(CHUNK, -(-len(texts) // (4 * workers))))
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
    with multiprocessing.get_context(method).Pool(workers) as pool:
        blocks = pool.map(_work, chunks)
    out: list[list[str]] = []
    for chunk, block in zip(chunks, blocks, strict=True):
        out.extend(decode(block, len(chunk)))
    return out


def _read_posts(store: Store, rels: list[str]) -> pl.DataFrame:
    if not rels:
        return pl.DataFrame()
    return (
        pl.scan_parquet([str(store.path / rel) for rel in rels], schema=POST_SCHEMA, missing_columns="insert",
                        extra_columns="ignore", include_file_paths="_path")
        .select(
            "platform", "post_id", "created_at",
            is_repost=pl.col("is_repost").fill_null(False),
            author=pl.coalesce(pl.col("author_id"), pl.col("author_name")),
            text=pl.col("text"),
            _path=pl.col("_path"),
        )
        .collect()
    )


def _write(path: Path, frame: pl.DataFrame) -> bool:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(tmp, compression="zstd", compression_level=1, statistics=True)
        os.replace(tmp, path)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False


def build(store: Store, rels: list[str], workers: int | None = None) -> dict[str, pl.DataFrame]:
    """Tokenise the post files ``rels`` that have no cache file yet; returns those not written (read-only)."""
    folder = cache_dir(store)
    missing = [rel for rel in rels if not (folder / _cache_name(rel)).exists()]
    unwritten: dict[str, pl.DataFrame] = {}
    if not missing:
        return unwritten
    posts = _read_posts(store, missing)
    parts = {}
    if posts.height:
        words = tokenise(posts.get_column("text").to_list(), workers)
        posts = posts.drop("text").with_columns(words=pl.Series("words", words, dtype=pl.List(pl.String())))
        parts = posts.partition_by("_path", as_dict=True, maintain_order=True)
    by_path = {str(store.path / rel): rel for rel in missing}
    for (path,), part in parts.items():
        rel = by_path[str(path)]
        frame = part.drop("_path").select(list(WORDS_SCHEMA)).cast(WORDS_SCHEMA)  # type: ignore[arg-type]
        if not _write(folder / _cache_name(rel), frame):
            unwritten[rel] = frame
    for rel in missing:  # a post file with no rows still gets its (empty) cache file
        path = folder / _cache_name(rel)
        if rel not in unwritten and not path.exists():
            _write(path, pl.DataFrame(schema=WORDS_SCHEMA))
    _prune(store, folder)
    return unwritten


def _prune(store: Store, folder: Path) -> None:
    live = {_cache_name(rel) for rel in store.manifest()["files"].get("posts", [])}
    for path in folder.glob("*.parquet"):
        if path.name not in live and not (store.path / path.name.replace("__", "/")).exists():
            path.unlink(missing_ok=True)


def post_words(store: Store, start: dt.date | None = None, end: dt.date | None = None,
               workers: int | None = None) -> pl.LazyFrame:
    """Every stored post that can fall in [start, end] (local days, with a margin) with its content words.

    Columns: platform, post_id, created_at (UTC), is_repost, author (id,
    else name), words (list of distinct content words). Exact day clipping
    and the counting rule are the caller's (``analysis.counting``).
    """
    rels = files_between(store, start, end)
    unwritten = build(store, rels, workers)
    folder = cache_dir(store)
    paths = [str(folder / _cache_name(rel)) for rel in rels if rel not in unwritten]
    parts: list[pl.LazyFrame] = []
    if paths:
        parts.append(pl.scan_parquet(paths, schema=WORDS_SCHEMA))
    parts.extend(frame.lazy() for frame in unwritten.values())
    if not parts:
        return pl.DataFrame(schema=WORDS_SCHEMA).lazy()
    return pl.concat(parts, how="vertical")
