"""The one ingest loop, shared by the CLI, the scheduler and the dashboard (through ``pipeline.collect``).

It turns what a collector yields into stored posts: checks each record,
stamps provenance, batches, deduplicates through the store, quarantines what
cannot be read (with file, line and reason), and records the source. Each
source is all-or-nothing: a file that fails half-way leaves nothing of itself
in the store, and a process killed mid-way leaves the store as it was before.

Many small sources share one transaction (:func:`ingest_paths` groups them up
to ``GROUP_BYTES``): a commit costs a few fsyncs, so one transaction per
one-post file made a folder of 10,000 threads take half an hour. A source
that fails inside a group is rolled back to a savepoint taken before it (or,
when its rows were already written out, the group is read again without it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from dtrack.collectors.formats.registry import UnknownFormat, detect, get_collector, names
from dtrack.collectors.readers.damage import NUL_BYTES, what_is_wrong
from dtrack.collectors.readers.files import read_head
from dtrack.collectors.readers.json_values import dumps_raw
from dtrack.collectors.readers.times import parse_time, parse_time_series
from dtrack.collectors.records import BATCH_ROWS, Notice, ParseContext, Quarantine, SourceError
from dtrack.data.schema import POST_REQUIRED, POST_SCHEMA, QUARANTINE_SCHEMA
from dtrack.data.store import Store, StoreError, StoreFull, StoreWriter, Transaction
from dtrack.data.times import ISO

#: Sources are grouped into one transaction until they add up to this many bytes...
GROUP_BYTES = 64 * 1024 * 1024
#: ...or this many sources.
GROUP_SOURCES = 5_000
#: Longest raw text kept for one quarantined record.
MAX_RAW_CHARS = 100_000
#: A file at least this big is hashed while it is read (in a thread: hashlib releases the GIL)
#: instead of before, unless a source of its size was ingested before (then the hash decides
#: first whether it is skipped).
HASH_AHEAD_BYTES = 16 * 1024 * 1024
#: Bytes hashed at a time (hashlib releases the GIL while it hashes them).
HASH_READ_BYTES = 4 * 1024 * 1024
#: Rows of collectors' frames gathered before they are stored: every store probes the dedup
#: index, and on a re-ingest each probe checks its hits against stored keys (a generic NDJSON file
#: comes in 8 MiB blocks, other formats in frames of ``BATCH_ROWS``).
FRAME_ROWS = 250_000
#: Notices kept verbatim per source (all are counted).
MAX_NOTICES = 1_000
#: The start of the message for a file no collector recognises (skipped inside a folder).
NOT_A_FORMAT = "not a format dtrack knows"
_COLLECTED = {k: v for k, v in POST_SCHEMA.items() if k not in ("collected_at", "collector", "source_sha256")}


@dataclass
class IngestReport:
    """What happened to one source. ``status`` is ok, skipped or error."""

    path: str
    format: str | None = None
    sha256: str | None = None
    size: int = 0
    read: int = 0
    new: int = 0
    duplicate: int = 0
    quarantined: int = 0
    notices: int = 0
    status: str = "ok"
    message: str = ""
    seconds: float = 0.0
    notice_messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("notice_messages")
        return out


# -- inputs --------------------------------------------------------------------
def file_sha256(path: Path) -> tuple[str, int]:
    """Content hash and size of a file, or of a folder (over its files' paths and hashes)."""
    if path.is_dir():
        digest = hashlib.sha256()
        size = 0
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            sub, n = file_sha256(f)
            digest.update(f.relative_to(path).as_posix().encode() + b"\0" + sub.encode())
            size += n
        return digest.hexdigest(), size
    digest = hashlib.sha256()
    size = 0
    buffer = bytearray(HASH_READ_BYTES)  # one buffer read into again and again: no allocation per read
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buffer):
            digest.update(view[:n])
            size += n
    return digest.hexdigest(), size


def expand_inputs(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool]]:
    """Sources to ingest, each with whether the user named it explicitly.

    A folder that is itself an export (an unpacked X or Mastodon archive) is
    one source, wherever it sits; any other folder is walked, skipping hidden
    files and folders.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and detect(path) is None:
            yield from _walk(path)
        else:
            yield path, True


def _walk(folder: Path) -> Iterator[tuple[Path, bool]]:
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if detect(entry) is not None:
                yield entry, False
            else:
                yield from _walk(entry)
        elif entry.is_file():
            yield entry, False


def spool_stdin(stream: BinaryIO | None = None) -> Path:
    """Copy standard input to a temporary file so it can be sniffed, hashed and re-read."""
    stream = stream or sys.stdin.buffer
    fd, name = tempfile.mkstemp(prefix="dtrack-stdin-")
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(stream, out, 1 << 20)
    return Path(name)


# -- records -> frames ---------------------------------------------------------
def _clean_id(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float | dict | list | tuple):
        return None  # a float id has lost digits (the 2^53 problem); an object or a list is no id
    text = str(value).strip()
    return text or None


class _Batcher:
    """Collects records of one source and writes them through one transaction."""

    def __init__(self, txn: Any, report: IngestReport, collector: Any, ctx: ParseContext,
                 sha256: str | Future[tuple[str, int]], source_file: str) -> None:
        self.txn = txn
        self.report = report
        self.ctx = ctx
        self._sha256 = sha256
        self.source_file = source_file
        self.collector_id = f"{collector.NAME}/{collector.VERSION}"
        self.rows: list[dict[str, Any]] = []
        self.frames: list[pl.DataFrame] = []  # normalised frames not stored yet (in order)
        self.frame_rows = 0
        self.quarantine: list[dict[str, Any]] = []
        self.now = dt.datetime.now(dt.UTC)

    @property
    def sha256(self) -> str:
        """The source's hash (waited for here when it is still being computed while reading)."""
        if not isinstance(self._sha256, str):
            self._sha256 = self._sha256.result()[0]
        return self._sha256

    def add_quarantine(self, line: int | None, raw: str, reason: str) -> None:
        self.report.quarantined += 1
        self.quarantine.append(
            {
                "source_file": self.source_file,
                "source_sha256": self.sha256,
                "source_line": line,
                "collector": self.collector_id,
                "reason": reason,
                "raw": raw[:MAX_RAW_CHARS],
                "quarantined_at": self.now,
            }
        )

    def add_dict(self, rec: dict[str, Any]) -> None:
        line = rec.get("source_line")
        problem = None
        platform = _clean_id(rec.get("platform"))
        post_id = _clean_id(rec.get("post_id"))
        created = parse_time(rec.get("created_at"), self.ctx.tz)
        if not platform:
            problem = "no platform"
        elif not post_id:
            lossy = isinstance(rec.get("post_id"), float)
            problem = "no usable post_id" + (" (a float id loses digits)" if lossy else "")
        elif created is None:
            problem = f"created_at missing or unreadable: {rec.get('created_at')!r}"
        elif not self.ctx.time_range.contains(created):
            problem = self.ctx.time_range.message(created.isoformat())
        if problem:
            raw = rec.get("_raw")
            if raw is None:
                raw = dumps_raw(rec)
            self.add_quarantine(line, raw, problem)
            return
        row = {k: rec.get(k) for k in _COLLECTED}
        row["platform"], row["post_id"], row["created_at"] = platform, post_id, created
        for key in ("author_id", "repost_of", "reply_to", "quote_of"):
            if row[key] is not None and not isinstance(row[key], str):
                row[key] = _clean_id(row[key])
        if isinstance(row["extra"], dict):
            row["extra"] = dumps_raw(row["extra"]) if row["extra"] else None
        row["is_repost"] = bool(row["is_repost"])
        if self.frames:  # rows are stored in the order they came
            self._store_frames()
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def add_frame(self, frame: pl.DataFrame) -> None:
        if self.rows:
            self.flush()
        frame = _normalise_frame(frame, self)
        if frame.height:
            self.frames.append(frame)
            self.frame_rows += frame.height
            if self.frame_rows >= FRAME_ROWS:
                self._store_frames()

    def _store_frames(self) -> None:
        frames, self.frames, self.frame_rows = self.frames, [], 0
        if frames:
            self._store(pl.concat(frames) if len(frames) > 1 else frames[0])

    def flush(self) -> None:
        self._store_frames()
        if self.rows:
            frame = pl.from_dicts(self.rows, schema=_COLLECTED, strict=False)
            self.rows = []
            self._store(frame)
        if self.quarantine:
            self.txn.add_quarantine(pl.DataFrame(self.quarantine, schema=QUARANTINE_SCHEMA))
            self.quarantine = []

    def _store(self, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        frame = frame.with_columns(
            source_file=pl.col("source_file").fill_null(self.source_file),
            source_sha256=pl.lit(self.sha256),
            collected_at=pl.lit(self.now, dtype=POST_SCHEMA["collected_at"]),
            collector=pl.lit(self.collector_id),
            is_repost=pl.col("is_repost").fill_null(False),
        )
        new, dup = self.txn.add_posts(frame)
        self.report.read += frame.height
        self.report.new += new
        self.report.duplicate += dup


def _normalise_frame(frame: pl.DataFrame, batcher: _Batcher) -> pl.DataFrame:
    """Fit a collector's frame to the post schema; rows missing a key are quarantined."""
    tz = batcher.ctx.tz
    cols = {}
    for name, dtype in _COLLECTED.items():
        if name not in frame.columns:
            cols[name] = pl.lit(None, dtype=dtype)
    frame = frame.with_columns(**cols)
    created = frame.get_column("created_at")
    if created.dtype != POST_SCHEMA["created_at"]:
        frame = frame.with_columns(created_at=parse_time_series(created, tz))
    frame = frame.with_columns(
        pl.col(c).cast(pl.String).str.strip_chars().replace("", None)
        for c in ("platform", "post_id")
    )
    missing = pl.any_horizontal(pl.col(c).is_null() for c in POST_REQUIRED)
    time_range = batcher.ctx.time_range
    implausible = ~missing & time_range.outside("created_at")
    bad = frame.select(missing | implausible).to_series()
    if not bad.any():  # the common case: no copy of the frame through a filter
        return frame.select(list(_COLLECTED)).cast(_COLLECTED)  # type: ignore[arg-type]
    rejected = frame.filter(bad)
    if rejected.height:
        reasons = rejected.select(pl.when(implausible).then(time_range.reason())).to_series()
        raw = rejected.get_column("_raw") if "_raw" in rejected.columns else None
        shown = rejected.drop("_raw", strict=False).with_columns(pl.col(pl.Datetime).dt.to_string(ISO))
        for i, row in enumerate(shown.iter_rows(named=True)):
            text = raw[i] if raw is not None else dumps_raw(row)
            reason = reasons[i] or "missing or unreadable " + ", ".join(c for c in POST_REQUIRED if row[c] is None)
            batcher.add_quarantine(row.get("source_line"), text or "", reason)
    return frame.filter(~bad).select(list(_COLLECTED)).cast(_COLLECTED)  # type: ignore[arg-type]


# -- the loop ------------------------------------------------------------------
def source_format(path: Path, fmt: str | None) -> str:
    """The format to read ``path`` as (``fmt``, else detected); SourceError/UnknownFormat say why not."""
    if not path.exists():
        raise SourceError("no such file or folder")
    if not os.access(path, os.R_OK):
        raise SourceError("permission denied")
    if fmt is None and path.is_file() and path.stat().st_size == 0:
        raise SourceError("empty file (0 bytes): nothing to ingest")
    fmt = fmt or detect(path)
    if fmt is None:
        head = read_head(path) if path.is_file() else b"x"
        if not head.strip() and len(head) == path.stat().st_size:  # the head is the whole file
            raise SourceError("empty file (only blank lines or spaces): nothing to ingest")
        damage = what_is_wrong(path, head) if path.is_file() else None
        if damage is not None:  # the file itself is damaged: say so rather than "not a format"
            raise SourceError(f"{damage}; use --format to force one" if damage.startswith(NUL_BYTES) else damage)
        raise UnknownFormat(f"{NOT_A_FORMAT} (tried: {', '.join(names())}); use --format to force one")
    get_collector(fmt)
    return fmt


def read_records(batcher: _Batcher, records: Iterable[Any], fmt: str, line_offset: int = 0) -> None:
    """Feed what a collector yields to ``batcher`` and flush it. ``line_offset``: lines of the
    source before ``records`` began (a byte range of a big file read on a cluster worker)."""
    report = batcher.report
    for rec in records:
        if isinstance(rec, dict):
            batcher.add_dict(rec)
        elif isinstance(rec, pl.DataFrame):
            batcher.add_frame(rec)
        elif isinstance(rec, Quarantine):
            batcher.add_quarantine(rec.line, rec.raw, rec.reason)
        elif isinstance(rec, Notice):
            report.notices += 1
            if len(report.notice_messages) < MAX_NOTICES:
                where = f"line {rec.line + line_offset}: " if rec.line is not None else ""
                report.notice_messages.append(where + rec.message)
        else:  # a bug in a collector: say so rather than store garbage
            raise SourceError(f"collector {fmt} yielded {type(rec).__name__}")
    batcher.flush()


def source_record(report: IngestReport) -> dict[str, Any]:
    """The manifest's record of an ingested source (``data.schema.SOURCE_FIELDS``)."""
    return {
        "path": report.path,
        "sha256": report.sha256,
        "size": report.size,
        "format": report.format,
        "ingested_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "read": report.read,
        "new": report.new,
        "duplicate": report.duplicate,
        "quarantined": report.quarantined,
        "notices": report.notices,
        "notice_messages": report.notice_messages[:100],
    }


def failed(report: IngestReport, exc: BaseException) -> None:
    """Turn ``report`` into an error report: nothing of the source is stored. A StoreError is
    not a bad source: the caller re-raises it."""
    report.status = "error"
    if isinstance(exc, StoreFull):  # the store's disk, not the source (a group reads the others again)
        report.message = str(exc)
    elif isinstance(exc, SourceError | UnknownFormat | OSError | ValueError | UnicodeError | EOFError):
        report.message = str(exc) or type(exc).__name__
    else:  # a collector bug must not take the other sources down
        report.message = f"collector failed ({type(exc).__name__}: {exc}); please report this"
    report.read = report.new = report.duplicate = report.quarantined = 0


def ingest_source(
    writer: StoreWriter,
    path: Path,
    *,
    fmt: str | None = None,
    ctx: ParseContext | None = None,
    force: bool = False,
    display_name: str | None = None,
    on_start: Callable[[IngestReport], None] | None = None,
    txn: Transaction | None = None,
) -> IngestReport:
    """Ingest one file or export folder and return its report: in its own
    transaction, or inside ``txn`` (then committed by the caller).

    Never raises for a bad source: an unreadable or unknown file becomes a
    report with ``status="error"`` and nothing from it is stored. A source whose
    content hash was ingested before is skipped unless ``force``.
    """
    started = time.perf_counter()
    ctx = ctx or ParseContext()
    name = display_name or str(path)
    ctx.display_name = name
    report = IngestReport(path=name)
    try:
        fmt = source_format(path, fmt)
        collector = get_collector(fmt)
        report.format = fmt
        hashing = _hash_ahead(txn or writer.store, path, force)
        if hashing is None:
            report.sha256, report.size = file_sha256(path)
            previous = (txn or writer.store).find_source(report.sha256)
            if previous and not force:
                report.status = "skipped"
                report.message = f"already ingested {previous.get('ingested_at', '')} as {previous.get('path')}"
                return report
        else:
            report.size = path.stat().st_size
        if on_start:
            on_start(report)
        if txn is None:
            with writer.transaction() as own:
                _read_source(own, report, collector, ctx, path, name, fmt, hashing)
        else:
            mark = txn.mark()
            try:
                _read_source(txn, report, collector, ctx, path, name, fmt, hashing)
            except Exception as exc:
                if not txn.rollback(mark):
                    raise _RegroupWithout(_redo_report(report, exc)) from None
                raise
    except StoreFull as exc:  # the store's disk, not the source: the transaction left nothing; go on
        failed(report, exc)
    except (StoreError, _RegroupWithout):
        raise
    except Exception as exc:
        failed(report, exc)
    finally:
        report.seconds = time.perf_counter() - started
    return report


class _RegroupWithout(Exception):
    """A source failed after its rows were written out with others': read the group again without it."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__(report.path)
        self.report = report


def _redo_report(report: IngestReport, exc: Exception) -> IngestReport:
    failed(report, exc)
    return report


def _hash_ahead(where: Store | Transaction, path: Path, force: bool) -> Future[tuple[str, int]] | None:
    """The file's hash, started in a thread, when it may be computed while the file is read: a
    big file that cannot be a source ingested before (none had its size), or any with --force.
    Reading it twice (hash, then parse) cost a fifth of a generic NDJSON ingest."""
    if not path.is_file():
        return None
    size = path.stat().st_size
    if size < HASH_AHEAD_BYTES or not (force or not where.has_source_size(size)):
        return None
    pool = ThreadPoolExecutor(1, thread_name_prefix="dtrack-sha256")
    try:
        return pool.submit(file_sha256, path)
    finally:
        pool.shutdown(wait=False)


def _read_source(txn: Transaction, report: IngestReport, collector: Any, ctx: ParseContext, path: Path,
                 name: str, fmt: str, hashing: Future[tuple[str, int]] | None = None) -> None:
    """Everything one source yields, into ``txn``; its ledger record last. ``hashing``: the
    source's hash being computed while it is read (else ``report.sha256`` is already known)."""
    batcher = _Batcher(txn, report, collector, ctx, hashing or report.sha256 or "", name)
    try:
        read_records(batcher, collector.parse(path, ctx), fmt)
    finally:
        if hashing is not None:
            report.sha256 = hashing.result()[0]  # also when reading failed: the thread is done
    if txn.find_source(report.sha256 or "") is None:  # --force on a source ingested before: no new record
        txn.add_source(source_record(report))


def ingest_paths(
    writer: StoreWriter,
    paths: Iterable[str | Path],
    *,
    fmt: str | None = None,
    ctx: ParseContext | None = None,
    force: bool = False,
    on_report: Callable[[IngestReport], None] | None = None,
    on_start: Callable[[IngestReport], None] | None = None,
    group_sources: bool = True,
) -> list[IngestReport]:
    """Ingest files and folders (``-`` is standard input); one report per source.

    ``group_sources``: many small sources share a transaction and are reported
    once it is committed. False commits and reports source by source (a
    watch job, which may be asked to stop between any two sources and records
    each committed file in its ledger).
    """
    limit = GROUP_SOURCES if group_sources else 1
    reports: list[IngestReport] = []
    group: list[tuple[Path, bool]] = []
    size = 0

    def run_group() -> None:
        nonlocal group, size
        if group:
            reports.extend(_ingest_group(writer, group, fmt, ctx, force, on_report, on_start))
        group, size = [], 0

    for raw in paths:
        if str(raw) == "-":
            run_group()  # keep the order of the reports
            spooled = spool_stdin()
            try:
                reports.append(ingest_source(writer, spooled, fmt=fmt, ctx=ctx, force=force,
                                             display_name="<stdin>", on_start=on_start))
            finally:
                spooled.unlink(missing_ok=True)
            if on_report:
                on_report(reports[-1])
            continue
        for path, explicit in expand_inputs([raw]):
            group.append((path, explicit))
            size += _size(path)
            if size >= GROUP_BYTES or len(group) >= limit:
                run_group()
    run_group()
    return reports


def _size(path: Path) -> int:
    """Bytes a source adds to a group (a folder counts as a whole group: it is one big export)."""
    try:
        return path.stat().st_size if path.is_file() else GROUP_BYTES
    except OSError:
        return 0


def stray(report: IngestReport) -> bool:
    """Whether a failed file found in a folder is a stray, skipped rather than an error: not an
    export, or a binary file (an unreadable one fails, and so does a damaged compressed stream)."""
    return report.status == "error" and report.message.startswith((NOT_A_FORMAT, NUL_BYTES))


def _ingest_group(writer: StoreWriter, group: list[tuple[Path, bool]], fmt: str | None,
                  ctx: ParseContext | None, force: bool, on_report: Callable[[IngestReport], None] | None,
                  on_start: Callable[[IngestReport], None] | None) -> list[IngestReport]:
    """Sources in one transaction, each all-or-nothing; reports go out once the group is committed."""

    def add(txn: Transaction | None, i: int) -> IngestReport:
        path, explicit = group[i]
        report = ingest_source(writer, path, fmt=fmt, ctx=ctx, force=force, on_start=on_start, txn=txn)
        if not explicit and stray(report):
            report.status = "skipped"
        return report

    reports = commit_group(writer, len(group), add)
    if on_report:
        for report in reports:
            on_report(report)
    return reports


def commit_group(writer: StoreWriter, size: int,
                 add: Callable[[Transaction | None, int], IngestReport]) -> list[IngestReport]:
    """Sources 0..size-1 in one transaction, each all-or-nothing (the local and the cluster ingest).

    ``add(txn, i)`` adds source i to ``txn`` and reports it; it raises ``_RegroupWithout`` when
    the source failed after its rows were written out with others' (the group is then done again
    without it). ``add(None, i)`` commits source i in a transaction of its own: used when the disk
    filled up at the group's commit, so that only the source that does not fit fails.
    """
    failed_at: dict[int, IngestReport] = {}
    while True:
        reports: list[IngestReport] = []
        try:
            with writer.transaction() as txn:
                for i in range(size):
                    if i in failed_at:
                        reports.append(failed_at[i])
                        continue
                    try:
                        reports.append(add(txn, i))
                    except _RegroupWithout as redo:
                        failed_at[i] = redo.report
                        raise
        except _RegroupWithout:
            continue
        except StoreFull:
            if size == 1 and not failed_at:
                raise
            return [add(None, i) for i in range(size)]
        return reports
