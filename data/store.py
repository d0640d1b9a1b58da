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

Layout::

    STORE/
      manifest.json                 the committed state (files, sources, meta, version)
      .lock                         held (flock) by the one writer
      posts/month=YYYY-MM/*.parquet posts, partitioned by the UTC month of created_at
      hits/month=YYYY-MM/*.parquet  term hits (written by the tagger)
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
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from dtrack.data.errors import DEFAULT_STORE, StoreError, StoreLocked, resolve_store_path  # noqa: F401
from dtrack.data.lock import LockBusy, file_lock, holder_text
from dtrack.data.schema import (
    HIT_SCHEMA,
    POST_KEY,
    POST_SCHEMA,
    QUARANTINE_SCHEMA,
    empty_hits,
    empty_posts,
    empty_quarantine,
)

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
#: Replaced files are deleted this long after they left the manifest, so a
#: reader that listed them just before still finds them.
GARBAGE_GRACE_SECONDS = 300
KINDS = ("posts", "hits", "quarantine")
#: Posts a transaction holds in memory before writing them out (one file per month).
STAGE_ROWS = 1_000_000
_SCHEMAS = {"posts": POST_SCHEMA, "hits": HIT_SCHEMA, "quarantine": QUARANTINE_SCHEMA}
_EMPTY = {"posts": empty_posts, "hits": empty_hits, "quarantine": empty_quarantine}


def key_hashes(keys: pl.DataFrame) -> np.ndarray:
    """64-bit hashes of (platform, post_id) rows (stable within one process)."""
    if keys.height == 0:
        return np.empty(0, dtype=np.uint64)
    return keys.select(pl.struct(list(POST_KEY)).hash(seed=0)).to_series().to_numpy()


def contains_sorted(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Boolean mask: which of the (sorted) needles occur in the sorted haystack.
    Sorted needles walk the haystack forwards through memory, several times
    faster than random probes."""
    if haystack.size == 0 or needles.size == 0:
        return np.zeros(needles.size, dtype=bool)
    idx = np.minimum(np.searchsorted(haystack, needles), haystack.size - 1)
    return haystack[idx] == needles


def sorted_insert(haystack: np.ndarray, new: np.ndarray) -> np.ndarray:
    """The sorted union (with repeats) of a sorted array and new values."""
    if new.size == 0:
        return haystack
    new = np.sort(new)
    return np.insert(haystack, np.searchsorted(haystack, new), new)




def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    """A dtrack store folder. Reading needs no lock; writing goes through :meth:`writer`."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = resolve_store_path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- reading ---------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """The committed state. An absent store reads as empty (version 0)."""
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

    @property
    def version(self) -> str:
        """A stamp that changes on every committed write (use it as a cache key)."""
        manifest = self.manifest()
        return f"{manifest['store_id']}-{manifest['version']}"

    def files(self, kind: str, manifest: dict[str, Any] | None = None) -> list[Path]:
        """The committed Parquet files of one kind (posts, hits, quarantine)."""
        manifest = manifest or self.manifest()
        return [self.path / rel for rel in manifest["files"].get(kind, [])]

    def _scan(self, kind: str) -> pl.LazyFrame:
        files = self.files(kind)
        if not files:
            return _EMPTY[kind]().lazy()
        return pl.scan_parquet(
            [str(f) for f in files],
            schema=_SCHEMAS[kind],
            missing_columns="insert",
            extra_columns="ignore",
        )

    def scan_posts(self) -> pl.LazyFrame:
        """All stored posts (unique on platform + post_id), as a LazyFrame."""
        return self._scan("posts")

    def scan_hits(self) -> pl.LazyFrame:
        """All term hits of the current tagging, as a LazyFrame."""
        return self._scan("hits")

    def scan_quarantine(self) -> pl.LazyFrame:
        """Every quarantined record with its source, line and reason."""
        return self._scan("quarantine")

    def sources(self) -> list[dict[str, Any]]:
        """Every ingest of a source, oldest first (see ``data.schema.SOURCE_FIELDS``)."""
        return list(self.manifest().get("sources", []))

    def find_source(self, sha256: str) -> dict[str, Any] | None:
        """The first ingest record of a source with this content hash, if any."""
        for record in self.manifest().get("sources", []):
            if record.get("sha256") == sha256:
                return record
        return None

    def meta(self, key: str, default: Any = None) -> Any:
        """A value other stages keep in the manifest (e.g. the tagging dictionary hash)."""
        return self.manifest().get("meta", {}).get(key, default)

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
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path / MANIFEST)
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


class StoreWriter:
    """The holder of the write lock: runs transactions and keeps the dedup keys."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._keys: pl.DataFrame | None = None
        self._pending_keys: list[pl.DataFrame] = []
        self._hashes: np.ndarray | None = None

    def recover(self) -> None:
        """Remove what a crashed writer left: staging files, files not in the manifest,
        and replaced files whose grace period has passed."""
        root = self.store.path
        shutil.rmtree(root / "staging", ignore_errors=True)
        for tmp in root.glob(f".{MANIFEST}.*.tmp"):
            tmp.unlink(missing_ok=True)
        manifest = self.store.manifest()
        listed = {rel for kind in KINDS for rel in manifest["files"].get(kind, [])}
        keep_garbage = []
        now = time.time()
        for item in manifest.get("garbage", []):
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
        if len(keep_garbage) != len(manifest.get("garbage", [])):
            manifest["garbage"] = keep_garbage
            self.store._write_manifest(manifest)

    # Deduplication index. Each stored key is kept as a 64-bit hash in one sorted
    # numpy array: testing a batch is a binary search, so a small file costs the
    # same against 10 million stored posts as against none. A hash hit is only a
    # "maybe": those rows are checked exactly against the real keys, which are
    # loaded only when that happens (re-ingests, overlapping exports).
    def hashes(self) -> np.ndarray:
        """Sorted hashes of every committed key (loaded once per writer)."""
        if self._hashes is None:
            self._hashes = np.sort(key_hashes(self.store.scan_posts().select(POST_KEY).collect()))
        return self._hashes

    def keys(self) -> pl.DataFrame:
        """(platform, post_id) of every committed post, loaded on first need."""
        if self._keys is None:
            self._keys = self.store.scan_posts().select(POST_KEY).collect()
            self._pending_keys = []
        elif self._pending_keys:
            self._keys = pl.concat([self._keys, *self._pending_keys], rechunk=True)
            self._pending_keys = []
        return self._keys

    def _committed(self, keys: list[pl.DataFrame], hashes: np.ndarray) -> None:
        if self._keys is not None:
            self._pending_keys.extend(keys)
        if self._hashes is not None and hashes.size:
            self._hashes = sorted_insert(self._hashes, hashes)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Stage files; commit them all at once on success, none on error."""
        txn = Transaction(self)
        try:
            yield txn
        except BaseException:
            txn.abort()
            raise
        txn.commit()


class Transaction:
    """One atomic change to the store: new posts, hits, quarantine, sources, meta."""

    def __init__(self, writer: StoreWriter) -> None:
        self.writer = writer
        self.store = writer.store
        self.id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        self.staging = self.store.path / "staging" / self.id
        self._staged: list[tuple[Path, str]] = []  # (staged file, final relative path)
        self._new_keys: list[pl.DataFrame] = []
        self._sources: list[dict[str, Any]] = []
        self._meta: dict[str, Any] = {}
        self._replace: set[str] = set()
        self._seq = 0
        self._seq_lock = threading.Lock()
        self._pending_posts: list[pl.DataFrame] = []
        self._pending_rows = 0
        self._txn_hashes: list[np.ndarray] = []  # sorted, one array per batch
        self.done = False

    def _stage(self, kind: str, df: pl.DataFrame, partition: str | None) -> None:
        with self._seq_lock:
            self._seq += 1
            name = f"{self.id}-{self._seq:05d}.parquet"
        rel = Path(kind) / partition / name if partition else Path(kind) / name
        staged = self.staging / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        df.write_parquet(staged, statistics=True, compression="zstd", compression_level=1)
        self._staged.append((staged, rel.as_posix()))

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
        found = contains_sorted(self.writer.hashes(), ordered)
        for staged in self._txn_hashes:
            found |= contains_sorted(staged, ordered)
        maybe = np.empty(found.size, dtype=bool)
        maybe[order] = found
        if maybe.any():
            candidates = unique.filter(pl.Series(maybe))
            stored = [self.writer.keys(), *self._new_keys]
            for keys in stored:
                candidates = candidates.join(keys, on=list(POST_KEY), how="anti")
            fresh = pl.concat([unique.filter(pl.Series(~maybe)), candidates])
            hashes = key_hashes(fresh)
        else:
            fresh = unique
        if fresh.height:
            self._pending_posts.append(fresh)
            self._pending_rows += fresh.height
            if self._pending_rows >= STAGE_ROWS:
                self._flush_posts()
            self._new_keys.append(fresh.select(POST_KEY))
            self._txn_hashes.append(np.sort(hashes) if maybe.any() else ordered)
        return fresh.height, received - fresh.height

    def _flush_posts(self) -> None:
        # Buffering lets one big source become one file per month, not one per
        # month per batch (small files make every later scan slower).
        if self._pending_posts:
            self._stage_by_month("posts", pl.concat(self._pending_posts))
            self._pending_posts, self._pending_rows = [], 0

    def add_hits(self, hits: pl.DataFrame) -> None:
        """Stage hit rows (HIT_SCHEMA)."""
        if hits.height:
            self._stage_by_month("hits", hits.select(list(HIT_SCHEMA)).cast(HIT_SCHEMA))  # type: ignore[arg-type]

    def replace_all(self, kind: str) -> None:
        """Drop every committed file of ``kind`` when this transaction commits
        (e.g. re-tagging with a new dictionary replaces all hits at once)."""
        self._replace.add(kind)

    def add_quarantine(self, records: pl.DataFrame) -> None:
        """Stage quarantined records (QUARANTINE_SCHEMA)."""
        if records.height:
            self._stage(
                "quarantine",
                records.select(list(QUARANTINE_SCHEMA)).cast(QUARANTINE_SCHEMA),  # type: ignore[arg-type]
                None,
            )

    def add_source(self, record: dict[str, Any]) -> None:
        """Record an ingested source (see ``SOURCE_FIELDS``)."""
        self._sources.append(record)

    def set_meta(self, key: str, value: Any) -> None:
        """Set a JSON value in the manifest's meta table."""
        self._meta[key] = value

    def abort(self) -> None:
        """Forget everything staged."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.done = True

    def commit(self) -> None:
        """Move staged files into place and publish them with one manifest replace."""
        if self.done:
            return
        self._flush_posts()
        self.done = True
        if not (self._staged or self._sources or self._meta or self._replace):
            self.abort()
            return
        root = self.store.path
        manifest = self.store.manifest()
        if manifest["store_id"] == "empty":
            manifest["store_id"] = uuid.uuid4().hex[:12]
        now = time.time()
        for kind in self._replace:
            manifest.setdefault("garbage", []).extend(
                {"path": rel, "since": now} for rel in manifest["files"].get(kind, [])
            )
            manifest["files"][kind] = []
        for staged, rel in self._staged:
            final = root / rel
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
            manifest["files"].setdefault(rel.split("/", 1)[0], []).append(rel)
        manifest["sources"].extend(self._sources)
        manifest.setdefault("meta", {}).update(self._meta)
        manifest["version"] += 1
        manifest["updated_at"] = _now().isoformat(timespec="microseconds")
        self.store._write_manifest(manifest)
        shutil.rmtree(self.staging, ignore_errors=True)
        self.writer._committed(
            self._new_keys, np.concatenate(self._txn_hashes) if self._txn_hashes else np.empty(0, np.uint64))
