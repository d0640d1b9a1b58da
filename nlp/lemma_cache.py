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
and never joins it back to the posts. Words are kept as 64-bit ids
(:func:`nlp.lemmas.word_ids`), with a small ``.vocab.parquet`` beside each
file mapping ids back to words: counting a word over a million posts
explodes and groups integers, not strings.
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
from dtrack.nlp.lemmas import WORD_SEED, decode, encode, words_version

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
    "words": pl.List(pl.UInt64()),
}
VOCAB_SCHEMA: dict[str, pl.DataType] = {"id": pl.UInt64(), "word": pl.String()}
_MONTH_RE = re.compile(r"month=(\d{4})-(\d{2})")


def cache_dir(store: Store) -> Path:
    """The folder of this version's word lists."""
    return store.path / CACHE_DIR / f"words-{words_version()}"


def _cache_name(rel: str) -> str:
    return rel.replace("/", "__")


def _vocab_name(rel: str) -> str:
    return _cache_name(rel).removesuffix(".parquet") + ".vocab.parquet"


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


def build(store: Store, rels: list[str], workers: int | None = None
          ) -> dict[str, tuple[pl.DataFrame, pl.DataFrame]]:
    """Tokenise the post files ``rels`` that have no cache file yet; returns (words, vocabulary) of those
    that could not be written (a read-only store)."""
    folder = cache_dir(store)
    missing = [rel for rel in rels if not (folder / _cache_name(rel)).exists()]
    unwritten: dict[str, tuple[pl.DataFrame, pl.DataFrame]] = {}
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
        vocab = (part.select(word=pl.col("words").explode()).drop_nulls().unique()
                 .select(id=pl.col("word").hash(seed=WORD_SEED), word="word").sort("id"))
        frame = part.drop("_path").with_columns(
            words=pl.col("words").list.eval(pl.element().hash(seed=WORD_SEED))
        ).select(list(WORDS_SCHEMA)).cast(WORDS_SCHEMA)  # type: ignore[arg-type]
        # the vocabulary first: a words file is only ever read with its vocabulary present
        if not (_write(folder / _vocab_name(rel), vocab) and _write(folder / _cache_name(rel), frame)):
            unwritten[rel] = (frame, vocab)
    for rel in missing:  # a post file with no rows still gets its (empty) cache files
        path = folder / _cache_name(rel)
        if rel not in unwritten and not path.exists():
            _write(folder / _vocab_name(rel), pl.DataFrame(schema=VOCAB_SCHEMA))
            _write(path, pl.DataFrame(schema=WORDS_SCHEMA))
    _prune(store, folder)
    return unwritten


def _prune(store: Store, folder: Path) -> None:
    rels = store.manifest()["files"].get("posts", [])
    live = {_cache_name(rel) for rel in rels} | {_vocab_name(rel) for rel in rels}
    for path in folder.glob("*.parquet"):
        post_file = store.path / path.name.removesuffix(".vocab.parquet").removesuffix(".parquet").replace("__", "/")
        if path.name not in live and not post_file.with_suffix(".parquet").exists():
            path.unlink(missing_ok=True)


class PostWords:
    """The word lists of the posts of a period (:func:`post_words`): ``frame`` and the id -> word map."""

    def __init__(self, frame: pl.LazyFrame, vocab: pl.LazyFrame) -> None:
        self.frame = frame
        self._vocab = vocab

    def words(self, ids: pl.Series | list[int]) -> pl.DataFrame:
        """``id`` -> ``word`` for the given ids (an id no post uses is left out)."""
        wanted = pl.Series("id", list(ids), dtype=pl.UInt64)
        return self._vocab.filter(pl.col("id").is_in(wanted.implode())).unique("id").collect()


def post_words(store: Store, start: dt.date | None = None, end: dt.date | None = None,
               workers: int | None = None) -> PostWords:
    """Every stored post that can fall in [start, end] (local days, with a margin) with its content words.

    ``.frame`` columns: platform, post_id, created_at (UTC), is_repost, author
    (id, else name), words (the ids of its distinct content words,
    :func:`nlp.lemmas.word_ids`); ``.words(ids)`` turns ids back into words.
    Exact day clipping and the counting rule are the caller's
    (``analysis.counting``).
    """
    rels = files_between(store, start, end)
    unwritten = build(store, rels, workers)
    folder = cache_dir(store)
    written = [rel for rel in rels if rel not in unwritten]
    frames: list[pl.LazyFrame] = []
    vocabs: list[pl.LazyFrame] = []
    if written:
        frames.append(pl.scan_parquet([str(folder / _cache_name(rel)) for rel in written], schema=WORDS_SCHEMA))
        vocabs.append(pl.scan_parquet([str(folder / _vocab_name(rel)) for rel in written], schema=VOCAB_SCHEMA))
    for frame, vocab in unwritten.values():
        frames.append(frame.lazy())
        vocabs.append(vocab.lazy())
    if not frames:
        return PostWords(pl.DataFrame(schema=WORDS_SCHEMA).lazy(), pl.DataFrame(schema=VOCAB_SCHEMA).lazy())
    return PostWords(pl.concat(frames, how="vertical"), pl.concat(vocabs, how="vertical"))
