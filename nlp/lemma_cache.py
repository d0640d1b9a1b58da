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

Three files per post file. ``<file>.parquet`` copies the few post columns
the counting rule needs (platform, post_id, created_at, is_repost, author) in
the post file's row order, so a query never joins back to the posts.
``<file>.pairs.parquet`` has one row per (post, word): the post's row number
and the word's 64-bit id (:func:`nlp.lemmas.word_ids`), flat columns that
read ten times faster than a column of lists. ``<file>.vocab.parquet`` maps
ids back to words. Counting a word over a million posts is then a filter and
a group-by over integers.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import shutil
import uuid
from pathlib import Path

import numpy as np
import polars as pl

from dtrack.data.schema import POST_SCHEMA
from dtrack.data.store import Store
from dtrack.nlp.lemmas import WORD_SEED, decode, encode, words_version

CACHE_DIR = "cache"
#: Fewer texts than this are tokenised in this process (no pool start-up).
PARALLEL_MIN = 20_000
CHUNK = 2_000
POSTS_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String(),
    "post_id": pl.String(),
    "created_at": pl.Datetime("us", "UTC"),
    "is_repost": pl.Boolean(),
    "author": pl.String(),
}
PAIRS_SCHEMA: dict[str, pl.DataType] = {"row": pl.UInt32(), "word": pl.UInt64()}
VOCAB_SCHEMA: dict[str, pl.DataType] = {"id": pl.UInt64(), "word": pl.String()}
_MONTH_RE = re.compile(r"month=(\d{4})-(\d{2})")


#: Bumped whenever the files' layout changes (a new folder: old caches are never misread).
LAYOUT = "3"


def cache_dir(store: Store) -> Path:
    """The folder of this version's word lists (word rules, tagger, dictionary, polars, file layout)."""
    return store.path / CACHE_DIR / f"words-{words_version()}-{LAYOUT}"


def _cache_name(rel: str) -> str:
    return rel.replace("/", "__")


def _vocab_name(rel: str) -> str:
    return _cache_name(rel).removesuffix(".parquet") + ".vocab.parquet"


def _pairs_name(rel: str) -> str:
    return _cache_name(rel).removesuffix(".parquet") + ".pairs.parquet"


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
        frame.write_parquet(tmp, compression="lz4", statistics=True)
        os.replace(tmp, path)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False


Cached = tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]  # posts, pairs, vocabulary


def build(store: Store, rels: list[str], workers: int | None = None) -> dict[str, Cached]:
    """Tokenise the post files ``rels`` that have no cache files yet; returns (posts, pairs, vocabulary)
    of those that could not be written (a read-only store)."""
    folder = cache_dir(store)
    missing = [rel for rel in rels if not (folder / _cache_name(rel)).exists()]
    unwritten: dict[str, Cached] = {}
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
        exploded = part.select("words").with_row_index("row").explode("words").drop_nulls("words")
        vocab = (exploded.select(word=pl.col("words")).unique()
                 .select(id=pl.col("word").hash(seed=WORD_SEED), word="word").sort("id"))
        pairs = exploded.select("row", word=pl.col("words").hash(seed=WORD_SEED)).cast(PAIRS_SCHEMA)  # type: ignore[arg-type]
        frame = part.select(list(POSTS_SCHEMA)).cast(POSTS_SCHEMA)  # type: ignore[arg-type]
        # the posts file last: it is the sign that the other two are complete
        if not (_write(folder / _vocab_name(rel), vocab) and _write(folder / _pairs_name(rel), pairs)
                and _write(folder / _cache_name(rel), frame)):
            unwritten[rel] = (frame, pairs, vocab)
    for rel in missing:  # a post file with no rows still gets its (empty) cache files
        path = folder / _cache_name(rel)
        if rel not in unwritten and not path.exists():
            _write(folder / _vocab_name(rel), pl.DataFrame(schema=VOCAB_SCHEMA))
            _write(folder / _pairs_name(rel), pl.DataFrame(schema=PAIRS_SCHEMA))
            _write(path, pl.DataFrame(schema=POSTS_SCHEMA))
    _prune(store, folder)
    return unwritten


def _prune(store: Store, folder: Path) -> None:
    """Remove cache files of post files that left the store, and caches of other versions (other rules,
    tagger or layout: this dtrack would never read them)."""
    for other in folder.parent.glob("words-*"):
        if other != folder and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    rels = store.manifest()["files"].get("posts", [])
    live = {name(rel) for rel in rels for name in (_cache_name, _vocab_name, _pairs_name)}
    for path in folder.glob("*.parquet"):
        stem = path.name.removesuffix(".vocab.parquet").removesuffix(".pairs.parquet").removesuffix(".parquet")
        post_file = store.path / stem.replace("__", "/")
        if path.name not in live and not post_file.with_suffix(".parquet").exists():
            path.unlink(missing_ok=True)


class PostWords:
    """The posts of a period and their words, as :func:`post_words` reads them from the cache.

    ``posts``: platform, post_id, created_at (UTC), is_repost, author (id,
    else name) and ``gid``, the post's row number across the files read.
    ``pairs``: ``gid`` and ``word`` (id), one row per distinct word of a post.
    ``size``: the number of posts read (every ``gid`` is below it).
    """

    def __init__(self, posts: pl.LazyFrame, pairs: pl.LazyFrame, vocab: pl.LazyFrame, size: int) -> None:
        self.posts = posts
        self.pairs = pairs
        self.size = size
        self._vocab = vocab

    def words(self, ids: pl.Series | list[int]) -> pl.DataFrame:
        """``id`` -> ``word`` for the given ids (an id no post uses is left out)."""
        wanted = pl.Series("id", list(ids), dtype=pl.UInt64)
        return self._vocab.filter(pl.col("id").is_in(wanted.implode())).unique("id").collect()

    def mask(self, gids: pl.Series) -> pl.Series:
        """A boolean Series over every ``gid``, true at ``gids`` (to pick pairs by post with a gather)."""
        mask = np.zeros(self.size, dtype=bool)
        mask[gids.to_numpy()] = True
        return pl.Series("mask", mask)

    def lists(self) -> pl.LazyFrame:
        """``posts`` with a ``words`` column of word-id lists (small periods and tests)."""
        grouped = self.pairs.group_by("gid").agg(words=pl.col("word"))
        return self.posts.join(grouped, on="gid", how="left").with_columns(
            pl.col("words").fill_null(pl.lit([], dtype=pl.List(pl.UInt64))))


def post_words(store: Store, start: dt.date | None = None, end: dt.date | None = None,
               workers: int | None = None) -> PostWords:
    """Every stored post that can fall in [start, end] (local days, with a margin) and its content words.

    Exact day clipping and the counting rule are the caller's (``analysis.counting``).
    """
    rels = files_between(store, start, end)
    unwritten = build(store, rels, workers)
    folder = cache_dir(store)
    posts: list[pl.LazyFrame] = []
    pairs: list[pl.LazyFrame] = []
    vocabs: list[pl.LazyFrame] = []
    offset = 0
    for rel in rels:
        if rel in unwritten:
            frame, pair, vocab = (x.lazy() for x in unwritten[rel])
        else:
            frame = pl.scan_parquet(folder / _cache_name(rel), schema=POSTS_SCHEMA)
            pair = pl.scan_parquet(folder / _pairs_name(rel), schema=PAIRS_SCHEMA)
            vocab = pl.scan_parquet(folder / _vocab_name(rel), schema=VOCAB_SCHEMA)
        rows = frame.select(pl.len()).collect().item()
        posts.append(frame.with_row_index("gid", offset=offset))
        pairs.append(pair.select(gid=pl.col("row") + offset, word="word"))
        vocabs.append(vocab)
        offset += rows
    if not posts:
        empty = pl.DataFrame(schema=POSTS_SCHEMA).lazy().with_row_index("gid")
        return PostWords(empty, pl.DataFrame(schema={"gid": pl.UInt32, "word": pl.UInt64}).lazy(),
                         pl.DataFrame(schema=VOCAB_SCHEMA).lazy(), 0)
    return PostWords(pl.concat(posts), pl.concat(pairs), pl.concat(vocabs), offset)
