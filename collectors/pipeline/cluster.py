"""The ingest loop on a Dask cluster: workers read sources, the client commits them.

What runs where. For each source a worker hashes it (and cuts a big JSON-lines
file into byte ranges on line boundaries, counting the lines before each cut),
then one task per source, or per range, runs the collector through the same
``_Batcher`` as a local ingest and writes the posts and quarantined records it
yields, in order, as Parquet parts under the store's ``staging/`` folder. The
client alone holds the store's write lock: it commits the sources in the
order they were named, in the groups a local ``ingest_paths`` makes (many
small sources share one transaction, each all-or-nothing inside it; source
by source when a watch job may be asked to stop), feeding the parts in order to
``Transaction.add_posts`` (deduplication on platform + post_id against
everything stored, first copy wins) and ``add_quarantine``. So the store holds
exactly what a local ``ingest_paths`` would have stored: the same posts with
the same provenance (a range's line numbers are offset by the lines before
it), the same quarantine, the same source records, in as many commits; a crash before a commit
leaves the store as it was (the next writer clears ``staging/``).

A worker that dies mid-task loses only its task: Dask runs it again
elsewhere, and the retry writes a fresh folder of parts (the half-written one
is never listed). A group commits once all its sources' parts are in (the
workers meanwhile read the sources of later groups).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.collectors.pipeline.ingest import (
    GROUP_BYTES,
    GROUP_SOURCES,
    IngestReport,
    _Batcher,
    _redo_report,
    _RegroupWithout,
    _size,
    commit_group,
    expand_inputs,
    failed,
    file_sha256,
    get_collector,
    read_records,
    source_format,
    source_record,
    spool_stdin,
    stray,
)
from dtrack.collectors.readers.files import BOM, read_head
from dtrack.collectors.records import ParseContext, SourceError
from dtrack.data.cluster import RETRIES, ClusterError, Progress, check_shared, cluster_failure
from dtrack.data.store import StoreError, StoreFull, StoreWriter, Transaction

#: Formats whose plain (uncompressed) JSON-lines files may be read in byte ranges:
#: each line stands alone, so a range parses as the lines it holds.
SPLIT_FORMATS = ("twarc",)
#: A JSON-lines file bigger than this is read as several tasks of about this size.
SPLIT_BYTES = 256 * 1024 * 1024
#: Posts the client hands to the transaction at once.
COMMIT_ROWS = 500_000


def _no_progress(done: int) -> None:
    """Workers report no byte progress (the CLI's callback stays on the client)."""


# -- on a worker ---------------------------------------------------------------------
def survey(path: str, split_bytes: int | None) -> tuple[str, int, list[tuple[int, int, int]]]:
    """(sha256, size, ranges) of a source; ``ranges`` are (start byte, end byte, lines before)
    cut just after a newline about every ``split_bytes`` (one range when None)."""
    source = Path(path)
    if not source.exists():
        raise SourceError(f"not visible from worker {socket.gethostname()} (inputs must be on a file system "
                          "every worker mounts at the same path)")
    if split_bytes is None or source.is_dir():
        sha, size = file_sha256(source)
        return sha, size, [(0, size, 0)]
    digest = hashlib.sha256()
    ranges: list[tuple[int, int, int]] = []
    pos = lines = start = start_lines = 0
    cut = split_bytes
    with open(source, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            while pos + len(chunk) > cut:
                i = chunk.find(b"\n", max(cut - pos, 0))
                if i < 0:
                    break  # the cut falls on the first newline of a later chunk
                end = pos + i + 1
                ranges.append((start, end, start_lines))
                start, start_lines = end, lines + chunk.count(b"\n", 0, i + 1)
                cut = end + split_bytes
            lines += chunk.count(b"\n")
            pos += len(chunk)
    if start < pos or not ranges:
        ranges.append((start, pos, start_lines))
    return digest.hexdigest(), pos, ranges


class _Parts:
    """Stands in for a transaction on a worker: writes what the batcher hands it as numbered
    Parquet parts (source lines offset by the lines before this range)."""

    def __init__(self, folder: Path, line_offset: int) -> None:
        self.folder = folder
        self.offset = line_offset
        self.files: list[tuple[str, str]] = []
        folder.mkdir(parents=True, exist_ok=True)

    def _write(self, kind: str, frame: pl.DataFrame) -> None:
        if self.offset:
            frame = frame.with_columns(pl.col("source_line") + self.offset)
        path = self.folder / f"{len(self.files):05d}-{kind}.parquet"
        frame.write_parquet(path, compression="lz4", statistics=False)
        self.files.append((kind, str(path)))

    def add_posts(self, frame: pl.DataFrame) -> tuple[int, int]:
        self._write("posts", frame)
        return frame.height, 0  # duplicates are decided by the client's commit

    def add_quarantine(self, frame: pl.DataFrame) -> None:
        self._write("quarantine", frame)


def parse_part(path: str, fmt: str, ctx: ParseContext, sha256: str, name: str, out_dir: str,
               byte_range: tuple[int, int, int] | None) -> dict[str, Any]:
    """Read one source, or one byte range of it, into Parquet parts under ``out_dir``."""
    report = IngestReport(path=name, format=fmt, sha256=sha256)
    parts = _Parts(Path(out_dir) / uuid.uuid4().hex, byte_range[2] if byte_range else 0)
    source, copy = Path(path), None
    try:
        collector = get_collector(fmt)
        if byte_range is not None:
            copy = _copy_range(source, byte_range[0], byte_range[1])
            source = copy
        batcher = _Batcher(parts, report, collector, ctx, sha256, name)
        read_records(batcher, collector.parse(source, ctx), fmt, parts.offset)
    except Exception as exc:
        failed(report, exc)
    finally:
        if copy is not None:
            copy.unlink(missing_ok=True)
    return {"files": parts.files, "read": report.read, "quarantined": report.quarantined,
            "notices": report.notices, "notice_messages": report.notice_messages,
            "status": report.status, "message": report.message}


def _copy_range(path: Path, start: int, end: int) -> Path:
    """Bytes [start, end) of ``path`` in a temporary file on the worker's own disk."""
    fd, name = tempfile.mkstemp(prefix="dtrack-range-", suffix=path.suffix)
    with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
        src.seek(start)
        left = end - start
        while left > 0:
            chunk = src.read(min(left, 1 << 22))
            if not chunk:
                break
            out.write(chunk)
            left -= len(chunk)
    return Path(name)


# -- on the client ---------------------------------------------------------------------
@dataclass
class _Source:
    report: IngestReport
    path: Path
    explicit: bool
    alone: bool = False  # standard input: committed on its own, as ingest_paths does
    fmt: str | None = None
    ctx: ParseContext | None = None
    survey: Any = None  # the survey future
    parts: list[Any] | None = None  # parse futures in byte order, once the survey is in
    started: float = 0.0

    def ready(self) -> bool:
        if self.fmt is None or self.report.status != "ok":
            return True
        if self.survey is not None and not self.survey.done():
            return False
        if self.survey is not None and self.survey.status != "finished":
            return True
        return self.parts is not None and all(f.done() for f in self.parts)


def splittable(path: Path, fmt: str) -> bool:
    """A plain JSON-lines file of a format whose lines stand alone."""
    if fmt not in SPLIT_FORMATS or not path.is_file():
        return False
    return read_head(path).removeprefix(BOM).lstrip()[:1] == b"{"


def ingest_on_cluster(
    client: Any,
    writer: StoreWriter,
    paths: Iterable[str | Path],
    *,
    fmt: str | None = None,
    ctx: ParseContext | None = None,
    force: bool = False,
    on_report: Callable[[IngestReport], None] | None = None,
    progress: Progress | None = None,
    split_bytes: int = SPLIT_BYTES,
    group_sources: bool = True,
) -> list[IngestReport]:
    """``ingest_paths`` with the reading done by the cluster's workers; the same reports
    and the same store, committed in the same groups (``group_sources`` as there).
    See the module docstring."""
    ctx = ctx or ParseContext()
    staging = writer.store.path / "staging" / f"cluster-{uuid.uuid4().hex[:12]}"
    check_shared(client, staging)
    progress = progress or Progress("ingest", write=lambda line: None)
    sources: list[_Source] = []
    reports: list[IngestReport] = []
    try:
        for raw in paths:
            if str(raw) == "-":
                spooled = staging / f"stdin-{len(sources)}"
                shutil.move(spool_stdin(), spooled)
                sources.append(_Source(IngestReport(path="<stdin>"), spooled, True, alone=True))
            else:
                sources.extend(_Source(IngestReport(path=str(p)), p, explicit) for p, explicit in expand_inputs([raw]))
        from distributed import as_completed

        pending = as_completed()
        for source in sources:
            _prepare(source, fmt, ctx)
            if source.fmt is not None and source.report.status == "ok":
                split = split_bytes if splittable(source.path, source.fmt) else None
                source.survey = client.submit(survey, str(source.path.absolute()), split,
                                              pure=False, retries=RETRIES, key=f"survey-{uuid.uuid4().hex}")
                pending.add(source.survey)
                progress.add(1)
        limit = GROUP_SOURCES if group_sources else 1
        head = 0
        while head < len(sources):
            end = _group_end(sources, head, limit)
            while not all(source.ready() for source in sources[head:end]):
                future = next(pending, None)
                if future is None:
                    # as_completed reports a future once; a result lost with a killed worker after that
                    # is computed again by Dask, so wait for the group's unfinished futures once more
                    waiting = _unfinished(sources[head:end])
                    if not waiting:
                        raise ClusterError("the cluster lost track of a task; sources not yet committed "
                                           "were not stored")
                    pending.update(waiting)
                    continue
                if not future.done():  # reported done, then lost with its worker: wait for the rerun
                    pending.add(future)
                    continue
                progress.step(_posts(future))
                if future.key.startswith("survey-"):
                    _submit_parts(client, future, sources, staging, split_bytes, force, writer, pending, progress)
            for report in _commit_group(writer, sources[head:end], force):
                reports.append(report)
                if on_report:
                    on_report(report)
            head = end
        for future in pending:  # done already: their sources are committed
            progress.step(_posts(future))
    finally:
        progress.close()
        shutil.rmtree(staging, ignore_errors=True)
    return reports


def _unfinished(sources: list[_Source]) -> list[Any]:
    """The survey and parse futures of ``sources`` that are not done (to wait for again)."""
    futures = [s.survey for s in sources if s.survey is not None]
    futures += [f for s in sources for f in (s.parts or [])]
    return [f for f in futures if not f.done()]


def _group_end(sources: list[_Source], head: int, limit: int) -> int:
    """End of the group starting at ``head``: the sources ``ingest_paths`` would put in one transaction."""
    if sources[head].alone:
        return head + 1
    end, size = head, 0
    while end < len(sources) and end - head < limit and size < GROUP_BYTES and not sources[end].alone:
        size += _size(sources[end].path)
        end += 1
    return end


def _posts(future: Any) -> int:
    """Posts a finished parse task read (for the progress line)."""
    if future.key.startswith("parse-") and future.status == "finished":
        return int(future.result()["read"])
    return 0


def _prepare(source: _Source, fmt: str | None, ctx: ParseContext) -> None:
    """The checks ``ingest_source`` makes before reading, on the client."""
    source.started = time.perf_counter()
    try:
        source.fmt = source.report.format = source_format(source.path, fmt)
        source.ctx = replace(ctx, display_name=source.report.path, progress=_no_progress)
    except Exception as exc:
        failed(source.report, exc)


def _submit_parts(client: Any, future: Any, sources: list[_Source], staging: Path, split_bytes: int,
                  force: bool, writer: StoreWriter, pending: Any, progress: Progress) -> None:
    source = next(s for s in sources if s.survey is future)
    if future.status != "finished":
        return  # _commit reports the failure
    sha, size, ranges = future.result()
    source.report.sha256, source.report.size = sha, size
    source.parts = []
    if writer.store.find_source(sha) and not force:
        return  # skipped at commit, where the message is made
    split = len(ranges) > 1
    for byte_range in ranges:
        part = client.submit(parse_part, str(source.path.absolute()), source.fmt, source.ctx, sha,
                             source.report.path, str(staging), byte_range if split else None,
                             pure=False, retries=RETRIES, key=f"parse-{uuid.uuid4().hex}")
        source.parts.append(part)
        pending.add(part)
    progress.add(len(ranges))


def _task_error(future: Any) -> BaseException:
    """What a failed task raised; a cluster failure (not the source's) stops the run."""
    failure = cluster_failure(future, "sources not yet committed were not stored")
    if failure is not None:
        raise failure
    return future.exception()


def _commit_group(writer: StoreWriter, group: list[_Source], force: bool) -> list[IngestReport]:
    """Commit sources whose parts are all in, in one transaction, each all-or-nothing (as a local
    ingest does: ``ingest.commit_group``); then delete their parts."""

    def add(txn: Transaction | None, i: int) -> IngestReport:
        if txn is not None:
            return _commit(txn, group[i], force)
        try:
            with writer.transaction() as own:
                return _commit(own, group[i], force)
        except _RegroupWithout as redo:
            return redo.report
        except StoreFull as exc:
            report = replace(group[i].report, notice_messages=[])
            failed(report, exc)
            return report

    try:
        return commit_group(writer, len(group), add)
    finally:
        for source in group:
            for part in source.parts or []:
                if part.status == "finished":
                    for _, name in part.result()["files"]:
                        Path(name).unlink(missing_ok=True)


def _commit(txn: Transaction, source: _Source, force: bool) -> IngestReport:
    """Add one source's parts to ``txn`` (or report why not); a fresh report each time, since a
    group may be committed again without a source that failed."""
    report = replace(source.report, notice_messages=[])
    try:
        if source.fmt is None or report.status != "ok":
            return report
        if source.survey.status != "finished":
            raise _task_error(source.survey)
        previous = txn.find_source(report.sha256 or "")
        if previous and not force:
            report.status = "skipped"
            report.message = f"already ingested {previous.get('ingested_at', '')} as {previous.get('path')}"
            return report
        results = []
        for part in source.parts or []:
            if part.status != "finished":
                raise _task_error(part)
            results.append(part.result())
        bad = next((r for r in results if r["status"] != "ok"), None)
        if bad is not None:
            report.status, report.message = "error", bad["message"]
            return report
        mark = txn.mark()
        try:
            _add_parts(txn, report, results, previous is None)
        except Exception as exc:
            if not txn.rollback(mark):
                raise _RegroupWithout(_redo_report(report, exc)) from None
            raise
    except StoreFull as exc:  # as in ingest_source: the disk, not the source; nothing of it was kept, go on
        failed(report, exc)
    except (ClusterError, StoreError, _RegroupWithout):
        raise
    except Exception as exc:
        failed(report, exc)
    finally:
        report.seconds = time.perf_counter() - source.started
        if not source.explicit and stray(report):
            report.status = "skipped"
    return report


def _add_parts(txn: Transaction, report: IngestReport, results: list[dict[str, Any]], record: bool) -> None:
    """The workers' parts of one source, in order, into ``txn``; its ledger record last."""
    posts: list[pl.DataFrame] = []

    def add_posts() -> None:
        # a few big batches, not one per part: the transaction checks each batch against the
        # batches before it, so fewer batches make the commit faster (the rows and their order
        # are the same, and so is which copy of a post wins)
        if posts:
            frame = pl.concat(posts)
            posts.clear()
            new, duplicate = txn.add_posts(frame)
            report.read += frame.height
            report.new += new
            report.duplicate += duplicate

    for result in results:
        for kind, name in result["files"]:
            frame = pl.read_parquet(name)
            if kind == "posts":
                posts.append(frame)
                if sum(f.height for f in posts) >= COMMIT_ROWS:
                    add_posts()
            else:
                txn.add_quarantine(frame)
        report.quarantined += result["quarantined"]
        report.notices += result["notices"]
        report.notice_messages.extend(result["notice_messages"])
    add_posts()
    report.notice_messages = report.notice_messages[:1000]
    if record:
        txn.add_source(source_record(report))
