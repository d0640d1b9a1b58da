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
the time, with the workers idle.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.data import daily
from dtrack.data.schema import HIT_SCHEMA, POST_SCHEMA
from dtrack.data.store import Store, StoreWriter
from dtrack.nlp.matcher import EVIDENCE_SEP, Matcher
from dtrack.nlp.terms import RULES_VERSION, TermDictionary, load_terms_text
from dtrack.nlp.tokenizer import get_tagger, prepare, versions

META_KEY = "tagging"
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


def tagger_version() -> str:
    """Version stamp of the matching rules and the tokenizer (hits carry it)."""
    return (f"dtrack-nlp/{RULES_VERSION} fugashi/{metadata.version('fugashi')} "
            f"unidic-lite/{metadata.version('unidic-lite')}")


def store_terms(store: Store) -> TermDictionary:
    """The dictionary the store was last tagged with (the default if none was recorded)."""
    state = store.meta(META_KEY) or {}
    overlay = state.get("dictionary")
    if not overlay:
        return load_terms_text(None)
    return load_terms_text(overlay["toml"], name=overlay.get("name", "<stored>"), replace=bool(overlay.get("replace")))


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

    def run(self, parts: Iterator[tuple[list[str], int]]) -> Iterator[tuple[list[str], int, list[str]]]:
        """(texts, candidates, encoded chunks with rows counted from the part's first text) of each part
        (see :func:`_distinct`), in order.

        Parts are pulled until PARALLEL_MIN texts are in hand; if the input ends first it is all done
        here, else the pool gets those and, from its feeding thread, the parts still to come.
        """
        held: list[tuple[list[str], int]] = []
        for part in parts:
            held.append(part)
            if self.workers > 1 and sum(len(texts) for texts, _ in held) >= PARALLEL_MIN:
                yield from self._pooled(itertools.chain(held, parts))
                return
        for texts, candidates in held:
            yield texts, candidates, [self.matcher.encode(texts[b:b + CHUNK], b) for b in range(0, len(texts), CHUNK)]

    def _pooled(self, parts: Iterator[tuple[list[str], int]]) -> Iterator[tuple[list[str], int, list[str]]]:
        if self.pool is None:
            prepare()
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            ctx = multiprocessing.get_context(method)
            self.pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(self.matcher,))
        pulled: list[tuple[list[str], int]] = []  # filled by the pool's feeding thread, in order

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
def _distinct(frames: Iterator[pl.DataFrame]) -> Iterator[tuple[list[str], int]]:
    """(texts not seen in an earlier frame, each once; the frame's height) of each frame of candidates."""
    seen: set[str] = set()
    for frame in frames:
        fresh: list[str] = []
        for text in frame.get_column("text").to_list():
            if text not in seen:
                seen.add(text)
                fresh.append(text)
        yield fresh, frame.height


def _decode(chunks: list[str], texts: list[str]) -> pl.DataFrame:
    """The hits the workers encoded for ``texts`` (one part of the distinct candidate texts) as
    (text, term_id, start, end, evidence), in the order they were found."""
    lines: list[str] = []
    for chunk in chunks:
        if chunk:
            lines.extend(chunk.split("\n"))
    raw = (
        pl.Series("line", lines, dtype=pl.String)
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
    return raw.join(pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_row_index("row"), on="row",
                    how="left", maintain_order="left").select("text", "term_id", "start", "end", "evidence")


def _hits(found: pl.DataFrame, posts: pl.DataFrame, matcher: Matcher, dictionary_hash: str,
          version: str) -> pl.DataFrame:
    """Hits (HIT_SCHEMA) of ``posts``: every post gets the hits ``found`` for its text, in post order."""
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
    matcher = _runner.matcher if _runner is not None else Matcher(terms)
    lazy = posts.lazy().select(_POST_COLUMNS)
    seen = posts.height if isinstance(posts, pl.DataFrame) else lazy.select(pl.len()).collect().item()
    texts = lazy.filter(pl.col("text").is_not_null() & (pl.col("text") != "")).collect()

    def slices() -> Iterator[pl.DataFrame]:
        for first in range(0, max(texts.height, 1), SLICE):
            part = texts.slice(first, SLICE).select("text")
            yield matcher.prefilter.candidates(part) if prefilter else part

    runner = _runner or _Runner(matcher, workers)
    found: list[pl.DataFrame] = []
    tokenised = 0
    try:
        for distinct, candidates, chunks in runner.run(_distinct(slices())):
            found.append(_decode(chunks, distinct))
            tokenised += candidates
    finally:
        if _runner is None:
            runner.close()
    return _hits(pl.concat(found), texts, matcher, terms.hash, tagger_version()), seen, tokenised


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


def post_batches(store: Store, files: list[str]) -> Iterator[list[str]]:
    """Groups of post files of at most about BATCH_POSTS rows (tagging and word counting read in these steps)."""
    group: list[str] = []
    rows = 0
    for rel in files:
        n = pl.scan_parquet(store.path / rel).select(pl.len()).collect().item()
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


def _tag_local(store: Store, files: list[str], terms: TermDictionary,
               runner: _Runner) -> Iterator[tuple[pl.DataFrame, int, int]]:
    """(hits, posts seen, posts tokenised) of ``files`` in groups, in this process and its pool."""
    for group in post_batches(store, files):
        yield tag_frame(scan_post_files(store, group), terms, _runner=runner)


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
    runner = _Runner(Matcher(terms), workers)
    try:
        with writer.transaction() as txn:
            if full or old_uses:
                txn.replace_all("uses")
            if full:
                txn.replace_all("hits")
            if uncounted:
                txn.add_counts(pl.concat([daily.count_posts(scan_post_files(store, [rel]), rel) for rel in uncounted]))
            per_post = [daily.per_post(store.scan_hits())] if old_uses else []
            if cluster is not None:
                from dtrack.nlp.cluster import tag_on_cluster

                parts = tag_on_cluster(cluster, store, todo, terms, progress)
            else:
                parts = _tag_local(store, todo, terms, runner)
            for hits, seen, tokenised in parts:
                txn.add_hits(hits)
                per_post.append(daily.per_post(hits))
                report.posts_tagged += seen
                report.candidates += tokenised
                report.hits += hits.height
            previous = [] if full else list(state.get("files", []))
            used_files = (previous if old_uses else []) + todo
            if per_post and used_files:
                txn.add_uses(daily.build_uses(scan_post_files(store, used_files), pl.concat(per_post)))
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
