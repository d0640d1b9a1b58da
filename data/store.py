"""The store: Parquet files under one folder, made visible by one manifest.

Why a manifest. A batch of posts spans several month partitions, so it is
several Parquet files; renaming them into place one by one would let a
reader (or a crash) see half a batch. Instead every write is a transaction:
its files are written under ``staging/``, moved into their partitions, and
only then made visible by atomically replacing ``manifest.json`` (write a
temporary file, ``fsync``, ``os.replace``). Readers list files from the
manifest, never from the folder, so they see the store before or after a
transaction and never in between. Files left behind by a crash are not in
the manifest; the next writer removes them.

Why logs next to the manifest. The list of files and the ledger of ingested
sources grow with every source; rewriting them in the manifest on every
commit made N small sources cost O(N^2). They live in two append-only JSON
lines files under ``log/``; the manifest holds each log's name and its
committed length in bytes. A commit appends its lines (``pwrite`` at the
committed length, ``fsync``) and then replaces the (small) manifest with the
new lengths: bytes past the committed length are invisible to readers and a
crash leaves them behind to be cut off by the next writer. Only a commit that
removes files (re-tagging, compaction) writes a fresh files log under a new
name. Stores of format 1 (files and sources inside manifest.json) are read as
they are and converted by their first commit.

Layout::

    STORE/
      manifest.json                 the committed state (meta, version, log names and lengths)
      log/files-*.jsonl             one line per commit: {"add": [...], "remove": [...]}
      log/sources-*.jsonl           one line per ingested source
      .lock                         held (flock) by the one writer
      posts/month=YYYY-MM/*.parquet posts, partitioned by the UTC month of created_at
      hits/month=YYYY-MM/*.parquet  term hits (written by the tagger)
      words/month=YYYY-MM/*.parquet candidate words per post, for discovery (nlp/words.py)
      uses/month=YYYY-MM/*.parquet  one row per (term, post) use, written with the hits (data/daily.py)
      counts/*.parquet              posts per quarter-hour, platform, repost flag and posts file
                                    (data/daily.py), written with the posts
      quarantine/*.parquet          records that could not be read, with the reason
      staging/                      a transaction's files before commit

Deduplication. A post is identified by (platform, post_id). The first copy
stored wins and later copies are counted as duplicates and dropped: stored
rows are immutable (hits and exports refer to them), so re-ingesting a file,
or the same post arriving in a second export, changes nothing. The provenance
of a post therefore names the first file it was read from.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson
import polars as pl

from dtrack.data.daily import count_posts
from dtrack.data.errors import DEFAULT_STORE, StoreError, StoreFull, StoreLocked, resolve_store_path  # noqa: F401
from dtrack.data.lock import LockBusy, file_lock, holder_text
from dtrack.data.schema import (
    COUNT_SCHEMA,
    HIT_SCHEMA,
    POST_KEY,
    POST_SCHEMA,
    QUARANTINE_SCHEMA,
    USE_SCHEMA,
    WORD_SCHEMA,
    empty_counts,
    empty_hits,
    empty_posts,
    empty_quarantine,
    empty_uses,
    empty_words,
)
from dtrack.data.times import readable

if TYPE_CHECKING:  # numpy is imported where the dedup index is used: readers never load it
    import numpy as np

MANIFEST = "manifest.json"
FORMAT_VERSION = 2
LOG_DIR = "log"
#: Replaced files are deleted this long after they left the manifest, so a
#: reader that listed them just before still finds them.
GARBAGE_GRACE_SECONDS = 300
KINDS = ("posts", "hits", "quarantine", "words", "uses", "counts")
#: Posts a transaction holds in memory before writing them out (one file per month). The
#: write runs in a background thread while the next batch is read, so at most twice this
#: many posts are in memory at once.
STAGE_ROWS = 500_000
_SCHEMAS = {"posts": POST_SCHEMA, "hits": HIT_SCHEMA, "quarantine": QUARANTINE_SCHEMA, "words": WORD_SCHEMA,
            "uses": USE_SCHEMA, "counts": COUNT_SCHEMA}
_EMPTY = {"posts": empty_posts, "hits": empty_hits, "quarantine": empty_quarantine, "words": empty_words,
          "uses": empty_uses, "counts": empty_counts}


def key_hashes(keys: pl.DataFrame) -> np.ndarray:
    """64-bit hashes of (platform, post_id) rows (stable within one process)."""
    import numpy as np
    if keys.height == 0:
        return np.empty(0, dtype=np.uint64)
    return keys.select(pl.struct(list(POST_KEY)).hash(seed=0)).to_series().to_numpy()


def contains_sorted(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Boolean mask: which of the (sorted) needles occur in the sorted haystack.
    Sorted needles walk the haystack forwards through memory, several times
    faster than random probes."""
    import numpy as np
    if haystack.size == 0 or needles.size == 0:
        return np.zeros(needles.size, dtype=bool)
    idx = np.minimum(np.searchsorted(haystack, needles), haystack.size - 1)
    return haystack[idx] == needles


def sorted_insert(haystack: np.ndarray, new: np.ndarray) -> np.ndarray:
    """The sorted union (with repeats) of a sorted array and new values."""
    import numpy as np
    if new.size == 0:
        return haystack
    if new.size * 8 >= haystack.size:  # one sort beats np.insert's scatter unless ``new`` is small
        return np.sort(np.concatenate([haystack, new]))
    new = np.sort(new)
    return np.insert(haystack, np.searchsorted(haystack, new), new)




def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fsync_dir(path: Path) -> None:
    """fsync a folder (its entries) or a file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_files(paths: list[Path]) -> None:
    """Flush data files to disk before the manifest names them.

    The commit order databases document (SQLite's journal, PostgreSQL's WAL):
    data durable first, then the one record that makes it visible. Without it a
    power cut can leave a manifest that lists a file whose blocks never reached
    the disk.

    The files are flushed together, by a few threads: the file system commits
    concurrent fsyncs in one journal transaction (48 month files took 0.17 s one
    by one and 0.03 s together here); all are waited for, so the order is kept."""
    if len(paths) < 2:
        for path in paths:
            _fsync_dir(path)
        return
    with ThreadPoolExecutor(min(8, len(paths)), thread_name_prefix="dtrack-fsync") as pool:
        for _ in pool.map(_fsync_dir, paths):  # re-raises the first failure
            pass


def _disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk is full (an OSError, or polars' wrapped Rust io error)."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc)
    return "No space left on device" in text or "os error 28" in text or "Disk quota exceeded" in text


#: What identifies a quarantined record (see ``Transaction.add_quarantine``).
QUARANTINE_KEY = ("source_sha256", "source_line", "raw")


def _dedup_quarantine(records: pl.DataFrame, stored: list[pl.LazyFrame]) -> pl.DataFrame:
    """``records`` without repeats among themselves or of a record in ``stored``."""
    records = records.unique(subset=list(QUARANTINE_KEY), keep="first", maintain_order=True)
    shas = records.get_column("source_sha256").unique().drop_nulls()
    for frame in stored:
        seen = frame.filter(pl.col("source_sha256").is_in(shas.implode())).select(QUARANTINE_KEY).collect()
        if seen.height:
            records = records.join(seen, on=list(QUARANTINE_KEY), how="anti", nulls_equal=True)
    return records


def _new_folders(folder: Path, root: Path) -> list[Path]:
    """The parents whose entries change when ``folder`` (under ``root``) is created."""
    out = []
    while not folder.exists() and folder != root:
        out.append(folder.parent)
        folder = folder.parent
    return out


class _LogState:
    """What a reader has folded of one log so far (logs only grow, so a later read
    continues where this one stopped)."""

    __slots__ = ("by_sha", "files", "name", "size", "sizes", "sources")

    def __init__(self, name: str) -> None:
        self.name = name
        self.size = 0
        self.files: dict[str, dict[str, None]] = {kind: {} for kind in KINDS}
        self.sources: list[dict[str, Any]] = []
        self.by_sha: dict[str, dict[str, Any]] = {}
        self.sizes: set[int] = set()

    def fold_files(self, entry: dict[str, Any]) -> None:
        for rel in entry.get("remove", ()):
            self.files.setdefault(rel.split("/", 1)[0], {}).pop(rel, None)
        for rel in entry.get("add", ()):
            self.files.setdefault(rel.split("/", 1)[0], {})[rel] = None

    def fold_source(self, record: dict[str, Any]) -> None:
        self.sources.append(record)
        sha = record.get("sha256")
        if sha is not None:
            self.by_sha.setdefault(sha, record)
        if record.get("size") is not None:
            self.sizes.add(record["size"])


class Store:
    """A dtrack store folder. Reading needs no lock; writing goes through :meth:`writer`."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = resolve_store_path(path)
        self._logs: dict[str, _LogState] = {}
        self._logs_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- reading ---------------------------------------------------------------
    def raw_manifest(self) -> dict[str, Any]:
        """manifest.json as stored (format 2: without the file list and the sources)."""
        try:
            raw = (self.path / MANIFEST).read_bytes()
        except FileNotFoundError:
            return _empty_manifest()
        try:
            manifest = json.loads(raw)
        except ValueError as exc:
            raise StoreError(f"{self.path / MANIFEST}: not valid JSON ({exc})") from exc
        if manifest.get("format", 0) > FORMAT_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer dtrack (store format "
                f"{manifest['format']}); upgrade dtrack to read it"
            )
        return manifest

    def manifest(self) -> dict[str, Any]:
        """The committed state, with ``files`` and ``sources`` filled in from the logs
        (the same shape for every store format). An absent store reads as empty (version 0)."""
        raw = self.raw_manifest()
        if "logs" not in raw:
            raw.setdefault("files", {kind: [] for kind in KINDS})
            raw.setdefault("sources", [])
            return raw
        files, sources = self._read_logs(raw)
        raw["files"] = {kind: list(listed) for kind, listed in files.files.items()}
        raw["sources"] = list(sources.sources)
        return raw

    def _read_log(self, ref: dict[str, Any], fold: str) -> _LogState:
        """The state of a log up to its committed length, reading only bytes not read before."""
        with self._logs_lock:
            state = self._logs.get(fold)
            if state is None or state.name != ref["name"] or state.size > ref["bytes"]:
                state = _LogState(ref["name"])
            if state.size < ref["bytes"]:
                with open(self.path / ref["name"], "rb") as fh:
                    fh.seek(state.size)
                    data = fh.read(ref["bytes"] - state.size)
                if len(data) != ref["bytes"] - state.size:
                    raise StoreError(f"{self.path / ref['name']}: shorter than its committed length")
                step = state.fold_files if fold == "files" else state.fold_source
                for line in data.splitlines():
                    if line:
                        step(orjson.loads(line))
                state.size = ref["bytes"]
            self._logs[fold] = state
            return state

    def _read_logs(self, raw: dict[str, Any]) -> tuple[_LogState, _LogState]:
        return self._read_log(raw["logs"]["files"], "files"), self._read_log(raw["logs"]["sources"], "sources")

    @property
    def version(self) -> str:
        """A stamp that changes on every committed write (use it as a cache key)."""
        manifest = self.raw_manifest()
        return f"{manifest['store_id']}-{manifest['version']}"

    def files(self, kind: str, manifest: dict[str, Any] | None = None) -> list[Path]:
        """The committed Parquet files of one kind (posts, hits, quarantine)."""
        manifest = manifest or self.manifest()
        return [self.path / rel for rel in manifest["files"].get(kind, [])]

    def _scan(self, kind: str, *, readable_only: bool = False) -> pl.LazyFrame:
        files = self.files(kind)
        if not files:
            return _EMPTY[kind]().lazy()
        frame = pl.scan_parquet(
            [str(f) for f in files],
            schema=_SCHEMAS[kind],
            missing_columns="insert",
            extra_columns="ignore",
        )
        return frame.filter(readable("created_at")) if readable_only else frame

    def scan_posts(self) -> pl.LazyFrame:
        """All stored posts (unique on platform + post_id), as a LazyFrame.

        Rows whose time no timezone can show (year 0, 10000: stored before
        times were checked at the door) are left out, so one of them cannot
        break every reader; ``dtrack status`` counts them and ``dtrack repair``
        moves them to quarantine (see ``data.times``)."""
        return self._scan("posts", readable_only=True)

    def scan_hits(self) -> pl.LazyFrame:
        """All term hits of the current tagging, as a LazyFrame (the same rows left out as by :meth:`scan_posts`)."""
        return self._scan("hits", readable_only=True)

    def scan_words(self) -> pl.LazyFrame:
        """Candidate words per post (one row per post and word), for discovery."""
        return self._scan("words")

    def scan_quarantine(self) -> pl.LazyFrame:
        """Every quarantined record with its source, line and reason."""
        return self._scan("quarantine")

    def sources(self) -> list[dict[str, Any]]:
        """Every ingest of a source, oldest first (see ``data.schema.SOURCE_FIELDS``)."""
        return list(self.manifest().get("sources", []))

    def find_source(self, sha256: str) -> dict[str, Any] | None:
        """The first ingest record of a source with this content hash, if any
        (an index lookup: the ledger is read once and then only its new lines)."""
        raw = self.raw_manifest()
        if "logs" in raw:
            return self._read_log(raw["logs"]["sources"], "sources").by_sha.get(sha256)
        for record in raw.get("sources", []):
            if record.get("sha256") == sha256:
                return record
        return None

    def has_source_size(self, size: int) -> bool:
        """Whether a source of exactly ``size`` bytes was ingested (a file of another size cannot
        be one of them: the ingest then hashes it while reading it instead of before)."""
        raw = self.raw_manifest()
        if "logs" in raw:
            return size in self._read_log(raw["logs"]["sources"], "sources").sizes
        return any(record.get("size") == size for record in raw.get("sources", []))

    def meta(self, key: str, default: Any = None) -> Any:
        """A value other stages keep in the manifest (e.g. the tagging dictionary hash)."""
        return self.raw_manifest().get("meta", {}).get(key, default)

    # -- writing ---------------------------------------------------------------
    @contextmanager
    def writer(self, wait: float = 0.0, purpose: str = "") -> Iterator[StoreWriter]:
        """Hold the store's write lock for a series of transactions.

        A second writer raises :class:`StoreLocked` naming the holder, unless
        ``wait`` seconds pass and the lock is free by then.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        with ExitStack() as stack:
            try:
                stack.enter_context(file_lock(self.path / ".lock", wait=wait, note={"purpose": purpose}))
            except LockBusy as exc:
                raise StoreLocked(
                    f"store {self.path} is being written by another process"
                    f"{holder_text(exc.holder)}; try again when it has finished"
                ) from None
            writer = StoreWriter(self)
            writer.recover()
            yield writer

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        tmp = self.path / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
        if "logs" in manifest:  # the file list and the sources live in the logs
            manifest = {k: v for k, v in manifest.items() if k not in ("files", "sources")}
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path / MANIFEST)
        finally:
            tmp.unlink(missing_ok=True)
        _fsync_dir(self.path)


def _empty_manifest() -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "store_id": "empty",
        "version": 0,
        "updated_at": None,
        "files": {kind: [] for kind in KINDS},
        "sources": [],
        "meta": {},
        "garbage": [],
    }


class PostsObserver(Protocol):
    """What ``StoreWriter.on_posts`` is told (it must not raise: the ingest goes on regardless)."""

    def added(self, posts: pl.DataFrame) -> None: ...

    def staged(self, rel: str, posts: pl.DataFrame) -> None: ...


class StoreWriter:
    """The holder of the write lock: runs transactions and keeps the dedup keys."""

    #: Told of the posts transactions add (``added(rows)``, as they are added) and of every posts file
    #: they stage (``staged(path in the store, rows)``, from the thread writing it): ``dtrack ingest``
    #: tags the new posts while it stores them (``nlp.tagger.IngestTap``).
    on_posts: PostsObserver | None = None

    def __init__(self, store: Store) -> None:
        self.store = store
        self._keys: pl.DataFrame | None = None
        self._hashes: np.ndarray | None = None
        self._order: np.ndarray | None = None  # row in ``_keys`` of each hash in ``_hashes``
        self._new: list[np.ndarray] = []  # hashes committed since ``_hashes`` was sorted (merged on next use)

    def recover(self) -> None:
        """Remove what a crashed writer left: staging files, files not in the manifest,
        log bytes past their committed length, and replaced files whose grace period has passed."""
        root = self.store.path
        shutil.rmtree(root / "staging", ignore_errors=True)
        for tmp in root.glob(f".{MANIFEST}.*.tmp"):
            tmp.unlink(missing_ok=True)
        raw = self.store.raw_manifest()
        manifest = self.store.manifest()
        listed = {rel for kind in KINDS for rel in manifest["files"].get(kind, [])}
        logs = {ref["name"]: ref["bytes"] for ref in raw.get("logs", {}).values()}
        keep_garbage = []
        now = time.time()
        for item in raw.get("garbage", []):
            if now - item["since"] < GARBAGE_GRACE_SECONDS:
                listed.add(item["path"])
                keep_garbage.append(item)
        for kind in KINDS:
            folder = root / kind
            if not folder.exists():
                continue
            for f in folder.rglob("*.parquet"):
                if f.relative_to(root).as_posix() not in listed:
                    f.unlink(missing_ok=True)
        if (root / LOG_DIR).exists():
            for f in (root / LOG_DIR).iterdir():
                rel = f.relative_to(root).as_posix()
                if rel in logs:
                    if f.stat().st_size > logs[rel]:
                        os.truncate(f, logs[rel])  # a commit that never published
                elif rel not in listed:
                    f.unlink(missing_ok=True)
        if len(keep_garbage) != len(raw.get("garbage", [])):
            raw["garbage"] = keep_garbage
            self.store._write_manifest(raw)

    # Deduplication index. Each stored key is kept as a 64-bit hash in one sorted
    # numpy array: testing a batch is a binary search, so a small file costs the
    # same against 10 million stored posts as against none. A hash hit is only a
    # "maybe": those rows are checked exactly against the real keys, which are
    # loaded only when that happens (re-ingests, overlapping exports).
    def hashes(self) -> np.ndarray:
        """Sorted hashes of every committed key (loaded once per writer)."""
        import numpy as np
        if self._hashes is None:
            self._hashes = np.sort(key_hashes(self.store._scan("posts").select(POST_KEY).collect()))
            self._new = []
        elif self._new:
            new, self._new = self._new, []
            self._hashes = sorted_insert(self._hashes, np.concatenate(new))
        return self._hashes

    def keys(self) -> pl.DataFrame:
        """(platform, post_id) of every committed post, loaded on first need."""
        return self._key_index()[0]

    def _key_index(self) -> tuple[pl.DataFrame, np.ndarray]:
        """The committed keys and, for each hash of :meth:`hashes` (sorted), the row of its key:
        a hash hit is checked against the few stored keys of the same hash, not joined against
        every stored key (a re-ingest into a store of 10 million posts took 50 s that way)."""
        import numpy as np
        if self._keys is None or self._order is None:
            keys = self.store._scan("posts").select(POST_KEY).collect()
            hashes = key_hashes(keys)
            order = np.argsort(hashes, kind="stable")
            self._keys, self._hashes, self._new = keys, hashes[order], []
            self._order = order.astype(np.uint32) if order.size < 2**32 else order
        return self._keys, self._order

    def stored_like(self, hashes: np.ndarray) -> pl.DataFrame:
        """The committed keys whose hash is one of ``hashes`` (sorted): those the rows with these
        hashes may repeat."""
        import numpy as np
        keys, order = self._key_index()
        stored = self.hashes()
        lo = np.searchsorted(stored, hashes, side="left")
        hi = np.searchsorted(stored, hashes, side="right")
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            return keys.clear()
        # every position in [lo, hi) of each hash, in one vectorised step
        starts = np.repeat(lo - (np.cumsum(counts) - counts), counts)
        rows = order[starts + np.arange(total)]
        return keys[pl.Series(rows.astype(np.int64))]

    def _committed(self, hashes: np.ndarray) -> None:
        """A transaction stored posts with these key hashes. They join the sorted index when it is next
        used, not here: sorting them is wasted when no transaction of this writer adds posts again (the
        usual ingest, which ends with the tagging), and it stood between the ingest's commit and its tagging."""
        if hashes.size:
            self._keys, self._order = None, None  # reloaded from the store on the next hash hit
        if self._hashes is not None and hashes.size:
            self._new.append(hashes)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Stage files; commit them all at once on success, none on error."""
        txn = Transaction(self)
        try:
            yield txn
            txn.commit()
        except BaseException as exc:
            txn.abort()
            if _disk_full(exc):
                raise StoreFull(f"no space left on device at {self.store.path}; nothing of this "
                                "transaction was kept (free space and run it again)") from exc
            raise


class Transaction:
    """One atomic change to the store: new posts, hits, quarantine, sources, meta."""

    def __init__(self, writer: StoreWriter) -> None:
        self.writer = writer
        self.store = writer.store
        self.id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        self.staging = self.store.path / "staging" / self.id
        self._staged: list[tuple[Path, str]] = []  # (staged file, final relative path)
        self._sources: list[dict[str, Any]] = []
        self._meta: dict[str, Any] = {}
        self._replace: set[str] = set()
        self._seq = 0
        self._seq_lock = threading.Lock()
        self._pending_posts: list[pl.DataFrame] = []
        self._pending_rows = 0
        # Hashes of the keys this transaction adds, as a few sorted arrays of falling
        # sizes (a binary counter): a transaction of thousands of small sources probes
        # a few arrays, not thousands, at an amortised O(log n) merge cost per hash.
        # The keys themselves are not kept (memory would grow with the file): a hash
        # hit is checked against the pending frames and, rarely, the staged files.
        self._levels: list[np.ndarray] = []
        self._since_mark: list[np.ndarray] = []
        self._staged_keys: list[pl.DataFrame] = []
        self._staged_keys_files: set[str] = set()
        self._quarantine: list[pl.DataFrame] = []
        self._quarantine_rows = 0
        self._quarantined: list[pl.DataFrame] = []  # QUARANTINE_KEY of records already flushed to staging
        self._moved: list[Path] = []  # staged files already moved into place, not yet published
        self._remove: list[str] = []
        self._repairs = False  # rows leave the store (``rewrite``), not just files (compaction)
        self._source_shas: dict[str, dict[str, Any]] = {}
        self._writes: list[Future[None]] = []  # post batches being written in the background
        self._write_pool: ThreadPoolExecutor | None = None
        self._flushes = 0  # batches handed to staging so far (a savepoint cannot undo those)
        self._counts: list[pl.DataFrame] = []  # counts rows of the posts files staged (data/daily.py)
        self._rebuild_counts = False
        self.done = False

    def _staged_name(self, kind: str, partition: str | None) -> tuple[Path, str]:
        with self._seq_lock:
            self._seq += 1
            name = f"{self.id}-{self._seq:05d}.parquet"
        rel = Path(kind) / partition / name if partition else Path(kind) / name
        staged = self.staging / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        return staged, rel.as_posix()

    def _stage(self, kind: str, df: pl.DataFrame, partition: str | None) -> str:
        staged, rel = self._staged_name(kind, partition)
        df.write_parquet(staged, statistics=True, compression="zstd", compression_level=1)
        self._staged.append((staged, rel))
        if kind == "posts":  # counted in the transaction that stores them (data/daily.py)
            self._counts.append(count_posts(df, rel))
            if self.writer.on_posts is not None:
                self.writer.on_posts.staged(rel, df)
        return rel

    def _stage_by_month(self, kind: str, df: pl.DataFrame) -> None:
        created = df.get_column("created_at")
        months = created.dt.year().cast(pl.Int32) * 100 + created.dt.month().cast(pl.Int32)
        parts = df.with_columns(_month=months).partition_by("_month", as_dict=True, maintain_order=True)
        # one file per month; written two at a time (polars writes without the GIL)
        with ThreadPoolExecutor(2) as pool:
            for done in [
                pool.submit(self._stage, kind, part.drop("_month"), f"month={month // 100:04d}-{month % 100:02d}")
                for (month,), part in parts.items()
            ]:
                done.result()

    def add_posts(self, posts: pl.DataFrame) -> tuple[int, int]:
        """Stage posts (already in POST_SCHEMA); returns (new, duplicate).

        Rows whose key is already stored, or already staged in this writer, are
        dropped as duplicates; within ``posts`` the first row of a key wins.
        """
        import numpy as np
        if posts.height == 0:
            return 0, 0
        posts = posts.select(list(POST_SCHEMA)).cast(POST_SCHEMA)  # type: ignore[arg-type]
        received = posts.height
        hashes = key_hashes(posts)
        order = np.argsort(hashes)
        ordered = hashes[order]
        if ordered.size > 1 and not (ordered[1:] != ordered[:-1]).all():
            # equal hashes: find the real repeats exactly, keep each key's first row
            first = posts.select(pl.struct(list(POST_KEY)).is_first_distinct()).to_series()
            posts, hashes = posts.filter(first), hashes[first.to_numpy()]
            order = np.argsort(hashes)
            ordered = hashes[order]
        unique = posts
        stored = contains_sorted(self.writer.hashes(), ordered)
        found = stored.copy()
        for level in self._levels:
            found |= contains_sorted(level, ordered)
        maybe = np.empty(found.size, dtype=bool)
        maybe[order] = found
        if maybe.any():
            candidates = unique.filter(pl.Series(maybe))
            if stored.any():
                candidates = candidates.join(self.writer.stored_like(ordered[stored]), on=list(POST_KEY), how="anti",
                                             maintain_order="left")
            if candidates.height and self._levels:  # keys this transaction added (rarely asked for)
                for keys in self._known_keys():
                    candidates = candidates.join(keys, on=list(POST_KEY), how="anti", maintain_order="left")
            fresh = pl.concat([unique.filter(pl.Series(~maybe)), candidates])
            hashes = key_hashes(fresh)
        else:
            fresh = unique
        if fresh.height:
            self._pending_posts.append(fresh)
            if self.writer.on_posts is not None:
                self.writer.on_posts.added(fresh)
            self._pending_rows += fresh.height
            if self._pending_rows >= STAGE_ROWS:
                self._flush_posts(wait=False)
            added = np.sort(hashes) if maybe.any() else ordered
            self._since_mark.append(added)
            self._levels.append(added)
            while len(self._levels) > 1 and self._levels[-2].size <= self._levels[-1].size:
                top = self._levels.pop()
                self._levels[-1] = np.sort(np.concatenate([self._levels[-1], top]))
        return fresh.height, received - fresh.height

    def _known_keys(self) -> list[pl.DataFrame]:
        """Keys stored or added by this transaction so far (only asked for on a hash hit)."""
        self._wait_writes()
        for staged, rel in self._staged:
            if rel.startswith("posts/") and rel not in self._staged_keys_files:
                self._staged_keys.append(pl.read_parquet(staged, columns=list(POST_KEY)))
                self._staged_keys_files.add(rel)
        if len(self._staged_keys) > 1:
            self._staged_keys = [pl.concat(self._staged_keys, rechunk=True)]
        return [*self._staged_keys, *(p.select(POST_KEY) for p in self._pending_posts)]

    # -- savepoints: many small sources share one transaction, each still all-or-nothing
    def mark(self) -> tuple[int, ...]:
        """A savepoint to :meth:`rollback` to (see ``collectors.ingest.ingest_paths``)."""
        self._since_mark = []
        return (self._flushes, len(self._pending_posts), self._pending_rows, len(self._sources),
                len(self._quarantine), self._quarantine_rows)

    def rollback(self, mark: tuple[int, ...]) -> bool:
        """Forget what was added since ``mark``. False when that is no longer possible
        (posts were already written to a staged file): then abort the whole transaction."""
        import numpy as np
        flushes, posts, rows, sources, quarantine, qrows = mark
        if self._flushes != flushes:
            return False
        del self._pending_posts[posts:]
        self._pending_rows = rows
        if self._since_mark:  # take this source's hashes out of the index again
            drop = np.sort(np.concatenate(self._since_mark))
            every = np.sort(np.concatenate(self._levels))
            self._levels = [every[~contains_sorted(drop, every)]]
            self._since_mark = []
        del self._sources[sources:]
        self._source_shas = {}
        for record in self._sources:
            self._source_shas.setdefault(record.get("sha256"), record)
        del self._quarantine[quarantine:]
        self._quarantine_rows = qrows
        return True

    def find_source(self, sha256: str) -> dict[str, Any] | None:
        """A source with this hash committed before, or recorded earlier in this transaction."""
        return self._source_shas.get(sha256) or self.store.find_source(sha256)

    def has_source_size(self, size: int) -> bool:
        """Whether a source of ``size`` bytes was committed before or recorded in this transaction."""
        return any(record.get("size") == size for record in self._sources) or self.store.has_source_size(size)

    def remove_files(self, rels: list[str]) -> None:
        """Take committed files out of the store when this transaction commits (compaction)."""
        self._remove.extend(rels)

    def stage_lazy(self, kind: str, lazy: pl.LazyFrame, partition: str | None) -> str:
        """Stream a LazyFrame into one staged file (compaction: a month as one file, in
        bounded memory); returns the file's path in the store."""
        staged, rel = self._staged_name(kind, partition)
        lazy.sink_parquet(staged, statistics=True, compression="zstd", compression_level=1)
        self._staged.append((staged, rel))
        if kind == "posts":
            self._counts.append(count_posts(pl.scan_parquet(staged), rel))
        return rel

    def staged_path(self, rel: str) -> Path:
        """Where a file staged by this transaction lies until the commit."""
        return self.staging / rel

    def _flush_posts(self, wait: bool = True) -> None:
        # Buffering lets one big source become one file per month, not one per
        # month per batch (small files make every later scan slower). The batch is
        # written in a background thread (polars writes without the GIL) while the
        # caller reads the next one; the previous write is awaited first, so at most
        # two batches are in memory.
        if self._pending_posts:
            frame = pl.concat(self._pending_posts)
            self._pending_posts, self._pending_rows = [], 0
            self._flushes += 1
            self._wait_writes()
            if self._write_pool is None:
                self._write_pool = ThreadPoolExecutor(1, thread_name_prefix="dtrack-stage")
            self._writes.append(self._write_pool.submit(self._stage_by_month, "posts", frame))
        if wait:
            self._wait_writes()

    def _wait_writes(self) -> None:
        writes, self._writes = self._writes, []
        for write in writes:
            write.result()  # a failed write fails the transaction here

    def add_hits(self, hits: pl.DataFrame) -> None:
        """Stage hit rows (HIT_SCHEMA)."""
        if hits.height:
            self._stage_by_month("hits", hits.select(list(HIT_SCHEMA)).cast(HIT_SCHEMA))  # type: ignore[arg-type]

    def add_uses(self, uses: pl.DataFrame) -> None:
        """Stage term-use rows (USE_SCHEMA, data/daily.py)."""
        if uses.height:
            self._stage_by_month("uses", uses.select(list(USE_SCHEMA)).cast(USE_SCHEMA))  # type: ignore[arg-type]

    def add_counts(self, counts: pl.DataFrame) -> None:
        """Add counts rows (COUNT_SCHEMA) of committed posts files that have none (``dtrack tag`` on an
        older store); staged posts are counted by the transaction itself."""
        if counts.height:
            self._counts.append(counts.select(list(COUNT_SCHEMA)).cast(COUNT_SCHEMA))  # type: ignore[arg-type]

    def rebuild_counts(self) -> None:
        """Write the counts table as one file at commit (compaction)."""
        self._rebuild_counts = True

    def _stage_counts(self) -> None:
        """The counts rows of this transaction's posts files as one file; when posts files leave the
        store, the whole table again without their rows (so it never counts a file that is gone)."""
        removes_posts = "posts" in self._replace or any(rel.startswith("posts/") for rel in self._remove)
        if not (self._counts or removes_posts or self._rebuild_counts):
            return
        frames = list(self._counts)
        if removes_posts or self._rebuild_counts:
            manifest = self.store.manifest()
            gone = set(self._remove) | (set(manifest["files"].get("posts", [])) if "posts" in self._replace else set())
            kept = [rel for rel in manifest["files"].get("posts", []) if rel not in gone]
            stored = manifest["files"].get("counts", [])
            if stored:
                frames.insert(0, pl.scan_parquet([str(self.store.path / rel) for rel in stored], schema=COUNT_SCHEMA,
                                                 missing_columns="insert", extra_columns="ignore")
                              .filter(pl.col("file").is_in(pl.Series(kept, dtype=pl.String).implode())).collect())
            self._replace.add("counts")
        frames = [f for f in frames if f.height]
        if frames:
            self._stage("counts", pl.concat(frames), None)

    def add_words(self, words: pl.DataFrame) -> None:
        """Stage candidate-word rows (WORD_SCHEMA)."""
        if words.height:
            self._stage_by_month("words", words.select(list(WORD_SCHEMA)).cast(WORD_SCHEMA))  # type: ignore[arg-type]

    def replace_all(self, kind: str) -> None:
        """Drop every committed file of ``kind`` when this transaction commits
        (e.g. re-tagging with a new dictionary replaces all hits at once)."""
        self._replace.add(kind)

    def add_quarantine(self, records: pl.DataFrame) -> int:
        """Stage quarantined records (QUARANTINE_SCHEMA); returns how many were new.

        Deduplicated like posts: a record already quarantined (same source
        sha256, line and raw text; an archive numbers lines per member) is not
        stored again, so ``ingest --force`` lists each bad line once. Buffered so
        many sources make one file."""
        if not records.height:
            return 0
        records = records.select(list(QUARANTINE_SCHEMA)).cast(QUARANTINE_SCHEMA)  # type: ignore[arg-type]
        earlier = [self.store.scan_quarantine(), *(f.lazy() for f in self._quarantined),
                   *(f.lazy() for f in self._quarantine)]
        records = _dedup_quarantine(records, earlier)
        if records.height:
            self._quarantine.append(records)
            self._quarantine_rows += records.height
            if self._quarantine_rows >= STAGE_ROWS // 10:
                self._flush_quarantine()
        return records.height

    def _flush_quarantine(self) -> None:
        if self._quarantine:
            self._flushes += 1
            frame = pl.concat(self._quarantine)
            self._quarantined.append(frame.select(QUARANTINE_KEY))
            self._stage("quarantine", frame, None)
            self._quarantine, self._quarantine_rows = [], 0

    def rewrite(self, rel: str, frame: pl.DataFrame) -> str | None:
        """Replace the committed file ``rel`` by ``frame`` (its rows less some) when this
        transaction commits; returns the new file's path (None if nothing is left).

        Stored rows are otherwise never rewritten; this is for repairs
        (``dtrack repair``), published at once like every other change."""
        kind, _, rest = rel.partition("/")
        parent = Path(rest).parent.as_posix()
        self.remove_files([rel])
        self._repairs = True
        if not frame.height:
            return None
        schema = _SCHEMAS[kind]
        return self._stage(kind, frame.select(list(schema)).cast(schema), None if parent == "." else parent)  # type: ignore[arg-type]

    def add_source(self, record: dict[str, Any]) -> None:
        """Record an ingested source (see ``SOURCE_FIELDS``)."""
        self._sources.append(record)
        self._source_shas.setdefault(record.get("sha256"), record)

    def set_meta(self, key: str, value: Any) -> None:
        """Set a JSON value in the manifest's meta table."""
        self._meta[key] = value

    def abort(self) -> None:
        """Forget everything staged, and any file a failed commit already moved into place
        (a full disk must not be filled further by the files of a transaction that failed)."""
        for write in self._writes:
            write.exception()  # wait: a write still running would recreate files in staging
        self._writes = []
        self._close_pool()
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._moved:
            listed = {rel for kind in KINDS for rel in self.store.manifest()["files"].get(kind, [])}
            for path in self._moved:
                if path.relative_to(self.store.path).as_posix() not in listed:
                    path.unlink(missing_ok=True)
            self._moved = []
        self.done = True

    def _close_pool(self) -> None:
        if self._write_pool is not None:
            self._write_pool.shutdown(wait=True)
            self._write_pool = None

    def commit(self) -> None:
        """Move staged files into place and publish them with one manifest replace."""
        import numpy as np
        if self.done:
            return
        try:
            self._flush_posts()
        except BaseException:
            self.abort()
            raise
        self._close_pool()
        self._flush_quarantine()
        self._stage_counts()
        self.done = True
        if not (self._staged or self._sources or self._meta or self._replace or self._remove):
            self.abort()
            return
        root = self.store.path
        raw = self.store.raw_manifest()
        if raw["store_id"] == "empty":
            raw["store_id"] = uuid.uuid4().hex[:12]
        current = self.store.manifest()["files"]
        removed = [rel for kind in self._replace for rel in current.get(kind, [])]
        removed += [rel for rel in self._remove if rel not in removed]
        added = []
        _fsync_files([staged for staged, _ in self._staged])  # data durable before anything names it
        folders: set[Path] = set()
        for staged, rel in self._staged:
            final = root / rel
            folders.update(_new_folders(final.parent, root))
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
            self._moved.append(final)
            folders.add(final.parent)
            added.append(rel)
        _fsync_files(sorted(folders, key=lambda p: -len(p.parts)))  # the renames, and new folders' entries
        self._publish(raw, current, added, removed)
        self._moved = []
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._repairs:  # keys left the store (dtrack repair): the dedup index reloads on next use
            self.writer._keys, self.writer._hashes, self.writer._order, self.writer._new = None, None, None, []
            return
        self.writer._committed(np.concatenate(self._levels) if self._levels else np.empty(0, np.uint64))

    def _publish(self, raw: dict[str, Any], current: dict[str, list[str]], added: list[str],
                 removed: list[str]) -> None:
        """Append to the logs, then replace the manifest: the one step that makes the commit visible."""
        root = self.store.path
        now = time.time()
        garbage = raw.setdefault("garbage", [])
        garbage.extend({"path": rel, "since": now} for rel in removed)
        logs = raw.get("logs")
        if logs is None or removed:
            # a fresh files log (first commit of a format-1 store, or files leave the store)
            gone = set(removed)
            files = [rel for kind in current for rel in current[kind] if rel not in gone] + added
            files_ref = _new_log(root, f"{LOG_DIR}/files-{self.id}.jsonl", [_line({"add": files})])
            if logs is not None:
                garbage.append({"path": logs["files"]["name"], "since": now})
        elif added:
            files_ref = _append_log(root, logs["files"], [_line({"add": added})])
        else:
            files_ref = logs["files"]
        new_sources = [_line(record) for record in self._sources]
        if logs is None:
            old = [_line(record) for record in raw.get("sources", [])]
            sources_ref = _new_log(root, f"{LOG_DIR}/sources-{self.id}.jsonl", old + new_sources)
        elif new_sources:
            sources_ref = _append_log(root, logs["sources"], new_sources)
        else:
            sources_ref = logs["sources"]
        raw.pop("files", None)
        raw.pop("sources", None)
        raw["format"] = FORMAT_VERSION
        raw["logs"] = {"files": files_ref, "sources": sources_ref}
        raw.setdefault("meta", {}).update(self._meta)
        raw["version"] += 1
        raw["updated_at"] = _now().isoformat(timespec="microseconds")
        self.store._write_manifest(raw)


def _line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record, default=str) + b"\n"


def _new_log(root: Path, rel: str, lines: list[bytes]) -> dict[str, Any]:
    """Write a new log file durably; returns its reference for the manifest."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(lines)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    _fsync_dir(path.parent)
    return {"name": rel, "bytes": len(data)}


def _append_log(root: Path, ref: dict[str, Any], lines: list[bytes]) -> dict[str, Any]:
    """Append at the committed length (dropping whatever an unpublished commit left there), durably."""
    data = b"".join(lines)
    fd = os.open(root / ref["name"], os.O_WRONLY)
    try:
        os.ftruncate(fd, ref["bytes"])
        view, at = memoryview(data), ref["bytes"]
        while view:
            n = os.pwrite(fd, view, at)
            view, at = view[n:], at + n
        os.fsync(fd)
    finally:
        os.close(fd)
    return {"name": ref["name"], "bytes": ref["bytes"] + len(data)}
