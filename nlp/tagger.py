"""Stored posts -> stored hits: incremental, atomic, on every core.

Incremental. Post files are immutable and listed in the store manifest, so
the tagging state kept in the manifest's meta (key ``tagging``) is simply the
dictionary hash, the tagger version and the list of post files already
tagged: "untagged posts" are the posts in files not on that list. A run tags
them and appends their hits in one transaction with the updated list, so a
crash leaves both as they were and a second run with nothing new commits
nothing (the store version stays the same).

Re-tagging. When the dictionary's content hash or the tagger version (match
rules, fugashi, unidic-lite) differs from the recorded one, or a tagged post
file has left the manifest, every post is tagged again and all hits are
replaced in the same transaction (``txn.replace_all("hits")``): readers see
the old hits or the new ones, never a mix.

Precomputed uses. The same transaction writes the uses table
(``data.daily``: one row per term and post, with the post's author, time and
repost flag) for the hits it adds, replaces it with them on a re-tag, and
records ``tagging.uses``; a store tagged before the table existed gets it (and
the counts of its posts files) on the next run, even one with nothing new.

Which dictionary. ``tag_store(store)`` uses the dictionary the store was last
tagged with (the default plus the user's ``--terms`` file, whose text is kept
in the meta), so ``dtrack ingest`` does not silently undo a custom dictionary.
Passing ``terms`` switches the store to that dictionary.

Speed. A polars pre-filter (``nlp.prefilter``) picks the posts that can
contain a term; only those are tokenised, in a ``multiprocessing`` pool of
forked workers (one Tagger each) fed chunks of texts and returning compact
strings. Small inputs stay in this process: starting workers costs more than
it saves. The posts are pre-filtered a slice at a time in the pool's feeding
thread (polars works without the GIL) and each slice's hits are decoded as
soon as its chunks are back, so neither step leaves the two cores to the
workers alone: on a corpus where every post has a term they took a seventh of
the time, with the workers idle. Only the candidates are joined with the hits
found and give the uses rows (a post the pre-filter leaves out has no hit).

During an ingest. ``dtrack ingest`` tags its new posts as it stores them
(:class:`IngestTap`): each batch is pre-filtered as it is added and the
candidates' texts go to the workers at once, so the tagging after the ingest
reads nothing back and finds most texts done. It is the same transaction, with
the same rows, as ``dtrack ingest --no-tag`` followed by ``dtrack tag``.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import itertools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.data import daily
from dtrack.data.schema import HIT_SCHEMA, POST_KEY, POST_SCHEMA
from dtrack.data.store import Store, StoreWriter
from dtrack.nlp.matcher import EVIDENCE_SEP, Matcher
from dtrack.nlp.terms import RULES_VERSION, TAGGING_META, TermDictionary, load_terms_text, store_terms
from dtrack.nlp.tokenizer import get_tagger, prepare, versions

META_KEY = TAGGING_META
RUNS_KEY = "tagging_runs"
#: Tagging runs kept in the meta (newest last).
MAX_RUNS = 50
#: Texts per work unit sent to a worker.
CHUNK = 1000
#: Posts pre-filtered at a time (the pool tokenises one slice while the next is pre-filtered).
SLICE = 25_000
#: Fewer candidates than this are tokenised in this process (no pool start-up).
PARALLEL_MIN = 5_000
#: Posts read per step; all steps of a run are still one transaction.
BATCH_POSTS = 1_000_000
_POST_COLUMNS = ["platform", "post_id", "created_at", "text"]
#: What the uses table needs of a post too (``data.daily.build_uses``).
_USE_COLUMNS = [*_POST_COLUMNS, "author_id", "author_name", "is_repost"]
#: Candidate rows an ingest keeps for tagging after it (``IngestTap``); beyond them files are read back
#: (their texts are still tokenised during the ingest). About 150 MB on the AI-discourse corpus, less than
#: a group of files read back takes, so 1,000,000 posts of it are tagged without reading anything back.
TAP_ROWS = 600_000
#: Distinct candidate texts an ingest's tap sends to the workers while it runs (the texts and their hits
#: are kept until tagging: about 500 bytes a text; 1,000,000 AI-discourse posts have 475,762). Past it
#: the tap stops (pre-filtering batches it can neither keep nor send cost CPU twice) and the texts after
#: are tokenised when their group is read back.
TAP_TEXTS = 500_000
#: Batches an ingest may hand the tap before it waits for the pre-filter to catch up: each waiting batch
#: is held in memory, so without a bound a pre-filter slower than the parse held most of a big file.
TAP_BACKLOG = 2
#: Results an ingest's tap decodes at a time: after a long ingest most texts may be waiting, and decoding
#: them at once held their encoded hits, their texts in a frame and the lines at the same time (2 GB more
#: at 10,000,000 posts of the AI-discourse corpus).
DECODE_CHUNKS = 50
#: A part of the candidates: (its distinct texts not seen before, its rows); and that with the encoded hits.
_Part = tuple[list[str], pl.DataFrame]
_Done = tuple[list[str], pl.DataFrame, list[str]]
#: Texts an ingest's tap tokenised, and their hits as ``_decode`` gives them (see ``IngestTap.tokenised``).
_Known = tuple[set[str], pl.DataFrame]


@dataclass
class TagReport:
    """What a tagging run did. ``retagged``: every post was tagged again (dictionary or tagger changed)."""

    posts_tagged: int = 0
    hits: int = 0
    retagged: bool = False
    seconds: float = 0.0
    candidates: int = 0
    files: int = 0
    reason: str = "up to date"
    dictionary_hash: str = ""
    tagger_version: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """One line for humans (stderr of `dtrack ingest`, stdout of `dtrack tag`)."""
        if self.reason == "up to date":
            return f"tagging: up to date (dictionary {self.dictionary_hash})"
        what = "re-tagged all" if self.retagged else "tagged"
        because = f", {self.reason}" if self.retagged else ""
        return (
            f"tagging: {what} {self.posts_tagged:,} posts ({self.candidates:,} tokenised): "
            f"{self.hits:,} hits (dictionary {self.dictionary_hash}{because}; {self.seconds:.1f}s)"
        )


@functools.cache
def tagger_version() -> str:
    """Version stamp of the matching rules and the tokenizer (hits carry it; read once per process)."""
    return (f"dtrack-nlp/{RULES_VERSION} fugashi/{metadata.version('fugashi')} "
            f"unidic-lite/{metadata.version('unidic-lite')}")


def default_workers() -> int:
    """Usable CPUs (all of them: tokenising scales with processes, not threads)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# -- workers -------------------------------------------------------------------
_WORKER: Matcher | None = None


def _init_worker(matcher: Matcher) -> None:
    global _WORKER
    _WORKER = matcher
    get_tagger()  # this process's own Tagger


def _work(job: tuple[int, int, list[str]]) -> tuple[int, str]:
    assert _WORKER is not None
    part, base, texts = job
    return part, _WORKER.encode(texts, base)


class _Runner:
    """Runs ``Matcher.encode`` over slices of candidate posts: in-process for small inputs, else a pool
    started once."""

    def __init__(self, matcher: Matcher, workers: int | None) -> None:
        self.matcher = matcher
        self.workers = default_workers() if workers is None else max(1, workers)
        self.pool: Any = None

    def run(self, parts: Iterator[_Part]) -> Iterator[_Done]:
        """(texts, candidate frame, encoded chunks with rows counted from the part's first text) of each part
        (see :func:`_distinct`), in order.

        Parts are pulled until PARALLEL_MIN texts are in hand; if the input ends first it is all done
        here, else the pool gets those and, from its feeding thread, the parts still to come.
        """
        held: list[_Part] = []
        for part in parts:
            held.append(part)
            if self.workers > 1 and sum(len(texts) for texts, _ in held) >= PARALLEL_MIN:
                yield from self._pooled(itertools.chain(held, parts))
                return
        for texts, candidates in held:
            yield texts, candidates, [self.matcher.encode(texts[b:b + CHUNK], b) for b in range(0, len(texts), CHUNK)]

    def _pooled(self, parts: Iterator[_Part]) -> Iterator[_Done]:
        if self.pool is None:
            self.pool = _start_pool(self.matcher, self.workers)
        pulled: list[_Part] = []  # filled by the pool's feeding thread, in order

        def jobs() -> Iterator[tuple[int, int, list[str]]]:
            for number, (texts, candidates) in enumerate(parts):
                pulled.append((texts, candidates))
                for base in range(0, len(texts), CHUNK):
                    yield number, base, texts[base:base + CHUNK]

        done = 0  # parts handed back
        chunks: list[str] = []
        try:
            for number, chunk in self.pool.imap(_work, jobs()):
                while done < number:  # every job of the parts before this one is back (imap keeps order)
                    yield *pulled[done], chunks
                    done, chunks = done + 1, []
                chunks.append(chunk)
        except BaseException:  # a failed step (or a consumer that stopped): drop the queued work now
            self.pool.terminate()
            self.pool = None
            raise
        while done < len(pulled):
            yield *pulled[done], chunks
            done, chunks = done + 1, []

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None


# -- frames --------------------------------------------------------------------
def _distinct(frames: Iterator[pl.DataFrame], known: set[str] | None = None) -> Iterator[_Part]:
    """(texts not seen in an earlier frame, each once; the frame) of each frame of candidates; ``known``:
    texts to leave out (not changed: an ingest's tap holds millions, and copying them for each group of
    files read back cost a second each at 10,000,000 posts)."""
    seen: set[str] = set()
    known = known or set()
    for frame in frames:
        fresh: list[str] = []
        for text in frame.get_column("text").to_list():
            if text not in seen and text not in known:
                seen.add(text)
                fresh.append(text)
        yield fresh, frame


def _decode(chunks: list[str], texts: list[str], first: int = 0) -> pl.DataFrame:
    """The hits the workers encoded for ``texts`` (one part of the distinct candidate texts, the first
    numbered ``first``) as (text, term_id, start, end, evidence), in the order they were found.

    The chunks are split into lines by polars: a Python string per hit line cost more than the rest of
    the decoding (6.5 million lines for 10 million posts of the AI-discourse corpus)."""
    encoded = [chunk for chunk in chunks if chunk]
    raw = (
        pl.Series("line", encoded, dtype=pl.String)
        .str.split("\n")
        .explode()
        .str.split_exact("\t", 4)
        .struct.rename_fields(["row", "term_id", "start", "end", "evidence"])
        .struct.unnest()
        .with_columns(
            pl.col("row").cast(pl.UInt32),
            pl.col("term_id").cast(pl.UInt32),
            pl.col("start").cast(pl.Int32),
            pl.col("end").cast(pl.Int32),
        )
    )
    if first:
        raw = raw.with_columns(pl.col("row") - first)
    return raw.join(pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_row_index("row"), on="row",
                    how="left", maintain_order="left").select("text", "term_id", "start", "end", "evidence")


def _hits(found: pl.DataFrame, posts: pl.DataFrame, matcher: Matcher, dictionary_hash: str,
          version: str) -> pl.DataFrame:
    """Hits (HIT_SCHEMA) of ``posts``: every post gets the hits ``found`` for its text, in post order.
    (``posts`` are the candidates only: a post the pre-filter left out has no hit.)"""
    terms = pl.DataFrame(
        {"term_id": range(len(matcher.names)), "term": matcher.names, "category": matcher.categories},
        schema={"term_id": pl.UInt32, "term": pl.String, "category": pl.String},
    )
    evidence = pl.col("evidence").fill_null("")
    return (
        posts.with_row_index("post")
        .join(found.with_row_index("hit"), on="text", how="inner")
        .sort("post", "hit")
        .join(terms, on="term_id", how="left", maintain_order="left")
        .select(
            "platform",
            "post_id",
            "created_at",
            "term",
            "category",
            variant=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")),
            start="start",
            end="end",
            ai_context=evidence != "",
            evidence=pl.when(evidence == "").then(pl.lit([], dtype=pl.List(pl.String)))
            .otherwise(evidence.str.split(EVIDENCE_SEP)),
            tagger_version=pl.lit(version),
            dictionary_hash=pl.lit(dictionary_hash),
        )
        .cast(HIT_SCHEMA)  # type: ignore[arg-type]
    )


def tag_frame(posts: pl.DataFrame | pl.LazyFrame, terms: TermDictionary, *, prefilter: bool = True,
              workers: int | None = None, _runner: _Runner | None = None) -> tuple[pl.DataFrame, int, int]:
    """Hits (HIT_SCHEMA) of posts with platform, post_id, created_at and text columns.

    Returns (hits, posts seen, posts tokenised). ``prefilter=False`` tokenises
    every post: the slow path the pre-filter must agree with. A text that
    several posts share (reposts, copies, bots) is matched once: the hits of a
    post depend on its text alone.
    """
    hits, seen, candidates = _tag_posts(posts, terms, _POST_COLUMNS, prefilter=prefilter, workers=workers,
                                        _runner=_runner)
    return hits, seen, candidates.height


def _written(lazy: pl.LazyFrame) -> pl.LazyFrame:
    """The posts with a text (the others cannot have a hit)."""
    return lazy.filter(pl.col("text").is_not_null() & (pl.col("text") != ""))


def _tag_posts(posts: pl.DataFrame | pl.LazyFrame, terms: TermDictionary, columns: list[str], *,
               prefilter: bool = True, workers: int | None = None, _runner: _Runner | None = None,
               _known: Callable[[], _Known] | None = None) -> tuple[pl.DataFrame, int, pl.DataFrame]:
    """:func:`tag_frame`, returning the candidate posts (``columns``) instead of their number. ``_known``:
    gives the texts already tokenised (by an ingest's tap) and their hits, not tokenised again; asked for
    once the posts are pre-filtered (which runs while the tap's workers finish)."""
    matcher = _runner.matcher if _runner is not None else Matcher(terms)
    lazy = posts.lazy().select(columns)
    seen = posts.height if isinstance(posts, pl.DataFrame) else lazy.select(pl.len()).collect().item()
    texts = _written(lazy).collect()

    def slices() -> Iterator[pl.DataFrame]:
        for first in range(0, max(texts.height, 1), SLICE):
            part = texts.slice(first, SLICE)
            yield matcher.prefilter.candidates(part) if prefilter else part

    runner = _runner or _Runner(matcher, workers)
    parts: Iterator[pl.DataFrame] = slices()
    known = None
    if _known is not None:
        parts = iter(list(parts))
        known = _known()
    try:
        hits, candidates = _tag_candidates(parts, runner, terms, known)
    finally:
        if _runner is None:
            runner.close()
    return hits, seen, candidates


def _tag_candidates(parts: Iterator[pl.DataFrame], runner: _Runner, terms: TermDictionary,
                    known: _Known | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(hits, the candidates) of frames of candidate posts (at least one frame, in post order): only
    these are tokenised (but for the ``known`` texts, whose hits are given) and joined with what was
    found. Each text is in one part of what was found, so a post's hits keep the order the matcher gave."""
    found: list[pl.DataFrame] = []
    frames: list[pl.DataFrame] = []
    for distinct, frame, chunks in runner.run(_distinct(parts, known[0] if known else None)):
        found.append(_decode(chunks, distinct))
        frames.append(frame)
    if known is not None:
        found.append(known[1])
    candidates = pl.concat(frames)
    return _hits(pl.concat(found), candidates, runner.matcher, terms.hash, tagger_version()), candidates


def tag_texts(texts: list[str], terms: TermDictionary | None = None) -> list[list[dict[str, Any]]]:
    """Hits of each text as dicts (term, category, variant, start, end, ai_context, evidence); for tests
    and notebooks. Runs in this process, without the pre-filter."""
    matcher = Matcher(terms or load_terms_text(None))
    out: list[list[dict[str, Any]]] = []
    for text in texts:
        hits = matcher.match(text) if text else []
        out.append(
            [
                {
                    "term": matcher.names[t],
                    "category": matcher.categories[t],
                    "variant": text[a:b],
                    "start": a,
                    "end": b,
                    "ai_context": bool(evidence),
                    "evidence": list(evidence),
                }
                for t, a, b, evidence in hits
            ]
        )
    return out


# -- the store -----------------------------------------------------------------
def _plan(store: Store, terms: TermDictionary, version: str) -> tuple[list[str], bool, str]:
    """(post files to tag, tag everything again?, reason)."""
    manifest = store.manifest()
    post_files: list[str] = list(manifest["files"].get("posts", []))
    state = manifest.get("meta", {}).get(META_KEY) or {}
    if not state:
        if not post_files and not manifest["files"].get("hits"):
            return [], False, "up to date"
        return post_files, bool(manifest["files"].get("hits")), "first tagging"
    tagged: list[str] = state.get("files", [])
    listed = set(post_files)
    if state.get("dictionary_hash") != terms.hash:
        return post_files, True, "dictionary changed"
    if state.get("tagger_version") != version:
        return post_files, True, "tagger changed"
    if any(f not in listed for f in tagged):
        return post_files, True, "post files rewritten"
    done = set(tagged)
    todo = [f for f in post_files if f not in done]
    return todo, False, "new posts" if todo else "up to date"


def post_batches(store: Store, files: list[str], known: Mapping[str, int] | None = None) -> Iterator[list[str]]:
    """Groups of post files of at most about BATCH_POSTS rows (tagging and word counting read in these steps).
    ``known``: rows of some files, not read again."""
    group: list[str] = []
    rows = 0
    for rel in files:
        n = known[rel] if known and rel in known else \
            pl.scan_parquet(store.path / rel).select(pl.len()).collect().item()
        if group and rows + n > BATCH_POSTS:
            yield group
            group, rows = [], 0
        group.append(rel)
        rows += n
    if group:
        yield group


def scan_post_files(store: Store, files: list[str]) -> pl.LazyFrame:
    """Some of the store's posts files (manifest-relative paths), read with the post schema."""
    return pl.scan_parquet([str(store.path / rel) for rel in files], schema=POST_SCHEMA, missing_columns="insert",
                           extra_columns="ignore")


class IngestTap:
    """Tagging done while an ingest stores its posts, for the tagging that follows it.

    Why. ``dtrack ingest`` tags its new posts right after storing them. Reading
    every post back to pre-filter it costs a third of the ingest on a general
    corpus, where one post in a hundred is a candidate, and tokenising the
    candidates afterwards leaves the cores the ingest did not use idle.

    How. The store (``StoreWriter.on_posts``) tells this of every batch of new
    posts a transaction adds (:meth:`added`): it is pre-filtered in this tap's
    thread (polars, without the GIL) while the next block is parsed, and the
    candidates' new texts go to the tagging workers at once. The workers are
    forked before the ingest starts (:meth:`start`): forked later, from a heap of
    parsed batches, every page the ingest writes after would be copied. The
    store also tells this of every posts file it stages (:meth:`staged`, from the
    thread writing it): the file's candidate rows are its rows among the
    candidates added (or, if a batch could not be pre-filtered, the file is
    pre-filtered there) and are kept with the file's row count.

    :func:`tag_store` then tags a group of files from these rows when it holds
    every file of the group, and reads the group as before otherwise (files of
    an aborted transaction are never asked for; a file that failed here, or came
    after ``TAP_ROWS`` candidates, is read back). Each distinct text is
    tokenised once and a post's hits depend on its text alone, so the hits, the
    uses and the tagging state are those of the reading path; the transaction
    that stores them is the same too.

    Past ``TAP_ROWS`` no rows are kept, but every batch is still pre-filtered and
    its new texts sent (up to ``TAP_TEXTS`` of them), so the workers tokenise for
    the whole ingest and a group read back finds its texts done (on a corpus where
    most posts are candidates the rows limit is reached within the first files).
    The results are decoded as they come back, in this tap's thread.
    """

    def __init__(self, terms: TermDictionary, limit: int | None = None, workers: int | None = None,
                 max_texts: int | None = None) -> None:
        self.terms = terms
        self.overlay = terms.overlay
        self.dictionary_hash = terms.hash
        self.matcher = Matcher(terms)
        self.prefilter = self.matcher.prefilter
        self.limit = TAP_ROWS if limit is None else limit
        self.max_texts = TAP_TEXTS if max_texts is None else max_texts
        self.workers = default_workers() if workers is None else max(1, workers)
        self.rows: dict[str, int] = {}  # posts file -> its rows
        self.candidates: dict[str, pl.DataFrame] = {}  # posts file -> its candidate rows (_USE_COLUMNS)
        self.kept = 0
        self.pool: Any = None
        self.sending = True  # False once the pool failed to take work
        self._lock = threading.Lock()
        self._texts: list[str] = []  # every distinct candidate text, numbered as the workers number them
        self._seen: set[str] = set()
        self._next = 0  # _texts[_next:] are not yet sent to a worker
        self._sent: collections.deque[tuple[int, int, Any]] = collections.deque()  # (first, end, AsyncResult)
        self._found: list[pl.DataFrame] = []  # decoded hits (text, term_id, start, end, evidence)
        self._decoding = threading.Lock()  # one thread at a time takes results from _sent and decodes them
        self.upto: dict[str, int] = {}  # posts file held -> texts _texts[:n] its candidates' texts are among
        self._thread: ThreadPoolExecutor | None = None  # pre-filters what ``added`` is given
        self._threadless = False  # no thread could be started: nothing is pre-filtered as it is added
        self._early: list[Future[None]] = []  # its steps not known to be done
        self._early_keys: dict[str, list[pl.DataFrame]] = {}  # month partition -> keys of candidates added
        self._early_rows = 0
        self._early_ok = True  # every batch added so far was pre-filtered: staged files can use it
        self._keys_full = False  # the keys kept reached the limit: later files are read back

    def added(self, posts: pl.DataFrame) -> None:
        """New posts of a transaction, as ``add_posts`` takes them: pre-filtered in this tap's thread and
        their texts sent to the workers then, long before the batch is written."""
        self._wait_for_backlog()
        with self._lock:
            if self._threadless or (self._keys_full and len(self._texts) >= self.max_texts):
                return  # nothing more to keep or send: files staged from now on are read back
            try:
                if self._thread is None:
                    self._thread = ThreadPoolExecutor(1, thread_name_prefix="dtrack-tap")
                self._early.append(self._thread.submit(self._early_candidates, posts))
            except Exception:  # e.g. no thread can be started: files are pre-filtered when staged
                self._early_ok = False
                self._threadless = True

    def _wait_for_backlog(self) -> None:
        """Wait until fewer than TAP_BACKLOG batches wait for the pre-filter (memory stays a few batches
        whatever the file's size)."""
        while True:
            with self._lock:
                self._forget_done()
                if len(self._early) < TAP_BACKLOG:
                    return
                oldest = self._early[0]
            wait([oldest])

    def _forget_done(self) -> None:
        """Drop the pre-filter steps that are done (holding the lock); one that failed turns the early path
        off, since its batch's candidates are missing."""
        if any(step.done() and step.exception() is not None for step in self._early):
            self._early_ok = False
        self._early = [step for step in self._early if not step.done()]

    def _early_candidates(self, posts: pl.DataFrame) -> None:
        """Pre-filter ``posts`` (in this tap's thread); keep the candidates' keys by month while they fit in
        the limit, and send their texts to the workers whether they fit or not (the whole ingest long: past
        the limit, the files read back after it find their texts done). Then decode the hits that are back."""
        found = self.prefilter.candidates(_written(posts.lazy().select("platform", "post_id", "created_at", "text")))
        with self._lock:
            keep = self._early_ok and not self._keys_full and self._early_rows + found.height <= self.limit
            if not keep:
                self._keys_full = True
        if keep:
            found = _compact(found)
            months = found.get_column("created_at")
            parts = found.select(*POST_KEY, "text", _month=months.dt.year().cast(pl.Int32) * 100
                                 + months.dt.month().cast(pl.Int32)).partition_by("_month", as_dict=True)
        texts = found.get_column("text").to_list() if len(self._texts) < self.max_texts else []
        with self._lock:
            complete = self._add_texts(texts) and len(texts) == found.height
            if keep and complete:
                self._early_rows += found.height
                for (month,), part in parts.items():  # named as the store names its month partitions
                    self._early_keys.setdefault(f"month={month // 100:04d}-{month % 100:02d}", []).append(
                        part.select(*POST_KEY, "text"))
            elif keep:  # a file is held only with every text of its candidates numbered here
                self._keys_full = True
        self._decode_ready()

    def _from_early(self, rel: str, posts: pl.DataFrame) -> pl.DataFrame | None:
        """The candidates of a staged posts file, from those :meth:`added` found (None if it could
        not find them all)."""
        with self._lock:
            early = list(self._early)
        wait(early)  # every batch added before this file was staged, so all of the file's rows
        with self._lock:
            self._forget_done()
            if not self._early_ok or self._keys_full:
                return None
            keys = self._early_keys.get(rel.split("/")[1], [])
            if len(keys) > 1:
                keys[:] = [pl.concat(keys)]
        rows = posts.lazy().select(_USE_COLUMNS)
        if not keys:
            return rows.clear().collect()
        # on the text too (a post added, rolled back and added again from another source may differ),
        # among the few rows whose key matches (hashing every text of the file costs four times as much)
        known = keys[0].lazy()
        return (rows.join(known, on=list(POST_KEY), how="semi", maintain_order="left")
                .join(known, on=[*POST_KEY, "text"], how="semi", maintain_order="left").collect())

    def staged(self, rel: str, posts: pl.DataFrame) -> None:
        """A posts file being written: its candidate rows and row count are kept for :func:`tag_store`."""
        if self.kept >= self.limit:
            return
        try:
            candidates = self._from_early(rel, posts)
            early = candidates is not None  # then its texts were sent when its batch was added
            if candidates is None:
                candidates = self.prefilter.candidates(_written(posts.lazy().select(_USE_COLUMNS)))
        except Exception:  # never fail the ingest: this file is read back instead
            return
        candidates = _compact(candidates)
        texts = [] if early else candidates.get_column("text").to_list()
        with self._lock:
            if self.kept + candidates.height > self.limit or not self._add_texts(texts):
                return
            self.kept += candidates.height
            self.rows[rel] = posts.height
            self.candidates[rel] = candidates
            self.upto[rel] = len(self._texts)

    def _add_texts(self, texts: list[str]) -> bool:
        """Number the texts not seen before and send them to the workers (holding the lock). False if some
        did not fit in ``max_texts`` (they are tokenised when their group is read back)."""
        complete = True
        seen, numbered, room = self._seen, self._texts, self.max_texts - len(self._texts)
        for text in texts:
            if text not in seen:
                if room <= 0:
                    complete = False
                    break
                seen.add(text)
                numbered.append(text)
                room -= 1
        if self.pool is not None and self.sending:
            self._send()
        return complete

    def start(self) -> None:
        """Start the tagging workers (with one core, texts are tokenised here when tagging asks)."""
        if self.workers > 1 and self.pool is None:
            try:
                self.pool = _start_pool(self.matcher, self.workers)
            except Exception:  # e.g. no process can be started: everything is tokenised here
                self.pool = None

    def _send(self) -> None:
        """Hand the waiting texts to the workers; on any failure they stay waiting (tokenised here)."""
        try:
            while self._next < len(self._texts):
                base = self._next
                end = min(base + CHUNK, len(self._texts))
                self._sent.append((base, end, self.pool.apply_async(_work, ((0, base, self._texts[base:end]),))))
                self._next = end
        except Exception:  # a pool that cannot take work: the rest is tokenised here
            self.sending = False

    def _decode_ready(self, upto: int = 0) -> None:
        """Decode the results that are back, in order, and those of texts before ``upto`` (waiting for
        them). Decoded as they come, the hits of a whole ingest are not a pile of strings at its end."""
        with self._decoding:
            while True:
                with self._lock:
                    taken = []
                    while self._sent and len(taken) < DECODE_CHUNKS and (
                            self._sent[0][0] < upto or self._sent[0][2].ready()):
                        taken.append(self._sent.popleft())
                if not taken:
                    return
                first, end = taken[0][0], taken[-1][1]
                encoded = [result.get()[1] for _, _, result in taken]
                frame = _decode(encoded, self._texts[first:end], first)
                with self._lock:
                    self._found.append(frame)

    def found(self, upto: int | None = None) -> pl.DataFrame:
        """The hits of the texts seen so far, each text once (waits for the workers); ``upto``: of the
        first ``upto`` texts at least (a group held here waits only for its own texts)."""
        with self._lock:  # texts first..last not sent are encoded here; those after, if any arrive, are sent
            need = len(self._texts) if upto is None else upto
            first = self._next
            last = self._next = max(first, need)
        encoded = [self.matcher.encode(self._texts[b:min(b + CHUNK, last)], b) for b in range(first, last, CHUNK)]
        if encoded:
            frame = _decode(encoded, self._texts[first:last], first)
            with self._lock:
                self._found.append(frame)
        self._decode_ready(need)
        with self._lock:
            if not self._found:
                self._found.append(_decode([], []))
            if len(self._found) != 1:
                self._found = [pl.concat(self._found)]
            return self._found[0]

    def tokenised(self) -> _Known:
        """Every text this tap sent to be tokenised, and their hits (waits for the pre-filter's last steps
        and for the workers). A group read back after the tap's limit was reached gets these hits instead
        of tokenising their texts a second time: on a corpus where most posts are candidates the limit is
        reached early, and the texts sent before it were a quarter of the tokenising."""
        with self._lock:
            early = list(self._early)
        wait(early)  # the ingest is over: nothing adds texts after these steps
        found = self.found()
        with self._lock:
            return self._seen, found

    def take(self, group: list[str]) -> pl.DataFrame:
        """The candidate rows of ``group`` (files all held here), in file order; forgotten here."""
        frames = [self.candidates.pop(rel) for rel in group]
        return pl.concat(frames) if frames else pl.DataFrame(schema={c: POST_SCHEMA[c] for c in _USE_COLUMNS})

    def close(self) -> None:
        """Stop the workers (anything they still do is not needed)."""
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def _compact(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its string columns copied into buffers of their own.

    Why. polars keeps strings as views into shared buffers, and a filter or join
    of a batch keeps every buffer of the batch alive: the tap's 1% of candidate
    rows held the texts of every post an ingest read (4.4 GB for 10,000,000
    posts, against 1 GB without tagging). Concatenating with an empty string
    writes the kept strings anew (a null stays null)."""
    strings = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not strings:
        return frame
    return frame.with_columns(pl.concat_str([pl.col(name), pl.lit("")]).alias(name) for name in strings)


def _start_pool(matcher: Matcher, workers: int) -> Any:
    """A pool of forked tagging workers, each with its own Tagger."""
    prepare()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(workers, initializer=_init_worker, initargs=(matcher,))


def prepare_ingest(writer: StoreWriter) -> None:
    """Called by ``collectors.pipeline.collect`` before it ingests with :func:`tag_store` as its hook:
    tag the posts while they are stored (see :class:`IngestTap`)."""
    tap = IngestTap(store_terms(writer.store))
    tap.start()
    writer.on_posts = tap


def _tag_local(store: Store, files: list[str], terms: TermDictionary, runner: _Runner,
               tap: IngestTap | None) -> Iterator[tuple[pl.DataFrame, int, int, pl.DataFrame]]:
    """(hits, posts seen, posts tokenised, uses rows) of ``files`` in groups, in this process and its pool."""
    for group in post_batches(store, files, tap.rows if tap else None):
        if tap is not None and all(rel in tap.candidates for rel in group):
            seen = sum(tap.rows[rel] for rel in group)
            upto = max((tap.upto[rel] for rel in group), default=0)
            candidates = tap.take(group)
            hits = _hits(tap.found(upto), candidates, tap.matcher, terms.hash, tagger_version())
        else:
            hits, seen, candidates = _tag_posts(scan_post_files(store, group), terms, _USE_COLUMNS, _runner=runner,
                                                _known=tap.tokenised if tap is not None else None)
        # a post's hits all come from its own group, and every post with a hit is a candidate
        yield hits, seen, candidates.height, daily.build_uses(candidates.lazy(), daily.per_post(hits))


def tag_store(store: Store, *, writer: StoreWriter | None = None, terms: TermDictionary | None = None,
              workers: int | None = None, cluster: Any = None, progress: Any = None) -> TagReport:
    """Tag every post not yet tagged with the current dictionary; see the module docstring.

    ``writer``: the caller already holds the store's write lock (``dtrack
    ingest``); otherwise the lock is taken here (``StoreLocked`` if busy).
    ``cluster``: a ``distributed.Client`` whose workers tokenise (``nlp.cluster``);
    the hits and the transaction are the same. ``progress``: a ``data.cluster.Progress``.
    """
    if writer is None:
        with store.writer(purpose="dtrack tag") as own:
            return tag_store(store, writer=own, terms=terms, workers=workers, cluster=cluster, progress=progress)
    started = time.perf_counter()
    tap = writer.on_posts if isinstance(writer.on_posts, IngestTap) and cluster is None else None
    if terms is None and tap is not None and tap.overlay == (store.meta(META_KEY) or {}).get("dictionary"):
        terms = tap.terms  # the dictionary store_terms gives, read when the ingest started
    terms = terms if terms is not None else store_terms(store)
    version = tagger_version()
    todo, full, reason = _plan(store, terms, version)
    had_hits = bool(store.manifest()["files"].get("hits"))
    report = TagReport(dictionary_hash=terms.hash, tagger_version=version, reason=reason, retagged=full and had_hits)
    state = store.meta(META_KEY) or {}
    # the precomputed tables (data.daily) of a store tagged before they existed are built now
    old_uses = bool(state) and not full and not state.get(daily.USES_FLAG)
    uncounted = daily.uncounted_files(store)
    if not todo and not full and not old_uses and not uncounted:
        report.seconds = time.perf_counter() - started
        return report
    if not todo and not full:
        report.reason = "precomputed counts built (nothing new to tag)"
    if tap is not None and tap.dictionary_hash != terms.hash:
        tap = None
    runner = _Runner(tap.matcher if tap is not None else Matcher(terms), workers)
    if tap is not None and tap.pool is not None and tap.sending:  # the ingest's workers tag the rest
        runner.pool = tap.pool
    try:
        with writer.transaction() as txn:
            if full or old_uses:
                txn.replace_all("uses")
            if full:
                txn.replace_all("hits")
            if uncounted:
                txn.add_counts(pl.concat([daily.count_posts(scan_post_files(store, [rel]), rel) for rel in uncounted]))
            per_post = [daily.per_post(store.scan_hits())] if old_uses else []
            uses: list[pl.DataFrame] = []
            if cluster is not None:
                from dtrack.nlp.cluster import tag_on_cluster

                parts: Iterator[tuple[pl.DataFrame, int, int, pl.DataFrame | None]] = (
                    (*part, None) for part in tag_on_cluster(cluster, store, todo, terms, progress))
            else:
                parts = _tag_local(store, todo, terms, runner, tap)
            for hits, seen, tokenised, used in parts:
                txn.add_hits(hits)
                if used is None or old_uses:  # the uses of all these hits are built from the posts at the end
                    per_post.append(daily.per_post(hits))
                else:
                    uses.append(used)
                report.posts_tagged += seen
                report.candidates += tokenised
                report.hits += hits.height
            previous = [] if full else list(state.get("files", []))
            used_files = (previous if old_uses else []) + todo
            if per_post and used_files:
                uses.append(daily.build_uses(scan_post_files(store, used_files), pl.concat(per_post)))
            if uses:
                txn.add_uses(pl.concat(uses))
            report.files = len(todo)
            report.seconds = time.perf_counter() - started
            run = {
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "reason": reason,
                "posts": report.posts_tagged,
                "tokenised": report.candidates,
                "hits": report.hits,
                "seconds": round(report.seconds, 3),
                "dictionary_hash": terms.hash,
                "tagger_version": version,
                **versions(),
            }
            txn.set_meta(META_KEY, {
                "dictionary_hash": terms.hash,
                "tagger_version": version,
                "dictionary": terms.overlay,
                "dictionary_sources": [Path(s).name for s in terms.sources],
                "posts": (0 if full else int(state.get("posts", 0))) + report.posts_tagged,
                "hits": (0 if full else int(state.get("hits", 0))) + report.hits,
                "last_run": run,
                "files": previous + todo,
                daily.USES_FLAG: True,
            })
            runs = list(store.meta(RUNS_KEY) or [])
            txn.set_meta(RUNS_KEY, [*runs, run][-MAX_RUNS:])
    finally:
        runner.close()
    return report


tag_store.prepare_ingest = prepare_ingest  # type: ignore[attr-defined]  # see collectors.pipeline.collect
