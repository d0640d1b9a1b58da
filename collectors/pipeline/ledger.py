"""The run ledger: one line per event of every scheduled (or run-now) watch run.

Why a JSON-lines file and not a table in the job store. The ledger must
survive the very failures it reports: a run killed with ``kill -9`` has to
show up afterwards. Each run therefore writes a full snapshot of itself
when it starts (status ``running``), after every file (still ``running``,
with the counts so far) and when it ends (``ok``, ``error``, ``stopped``).
Appends are single ``write`` calls on an ``O_APPEND`` file under an flock, so
lines from two processes never interleave; a torn last line (a crash inside
``write``) is skipped when reading. Reading folds the lines by ``run_id``,
last snapshot wins.

A run whose last snapshot says ``running`` but whose process is gone was
interrupted. :func:`read_ledger` reports it so at once; the scheduler, when
it starts, also appends an explicit ``interrupted`` line so the record does
not depend on who reads it. Processes are recognised by pid *and* start
time (``/proc``), so a recycled pid is not mistaken for the old run.

Layout (under ``STORE/schedule/``)::

    runs.jsonl   the ledger
    runs.lock    flock held while appending or compacting
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.data.lock import file_lock
from dtrack.data.schema import LEDGER_SCHEMA, UTC_DATETIME
from dtrack.data.store import Store

SCHEDULE_DIR = "schedule"
LEDGER_FILE = "runs.jsonl"
LEDGER_LOCK = "runs.lock"
#: The ledger is compacted (older runs dropped) when it grows past this size...
LEDGER_MAX_BYTES = 16 * 1024 * 1024
#: ...keeping this many of the newest runs.
LEDGER_KEEP_RUNS = 5_000
#: Error messages kept verbatim per run (all are counted).
MAX_MESSAGES = 100

#: Run statuses: ``running`` (in progress), ``ok``, ``error`` (at least one file
#: or the run failed; the rest were still done), ``stopped`` (SIGINT/SIGTERM:
#: ended after the current file), ``interrupted`` (the process died mid-run).
STATUSES = ("running", "ok", "error", "stopped", "interrupted")

_COUNTS = ("files_seen", "files_ingested", "files_waiting", "new", "duplicate", "quarantined", "errors")


def schedule_dir(store: Store) -> Path:
    """``STORE/schedule``: the job store, ledger, scheduler lock, log and watch state."""
    return store.path / SCHEDULE_DIR


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


# -- who is running ------------------------------------------------------------
def process_token(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot), or None if it
    is not running. Together with the pid it names one process for good."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return _alive_without_proc(pid)
    fields = raw.rsplit(")", 1)[-1].split()
    if fields and fields[0] == "Z":  # a zombie has finished its work
        return None
    return fields[19] if len(fields) > 19 else "?"


def _alive_without_proc(pid: int) -> str | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return "?"
    return "?"


def _is_dead(record: dict[str, Any]) -> bool:
    """True when the process that wrote ``record`` has certainly ended."""
    if record.get("host") != socket.gethostname():
        return False  # another machine (a store on a network share): cannot tell
    pid = record.get("pid")
    if not isinstance(pid, int):
        return False
    token = process_token(pid)
    if token is None:
        return True
    expected = record.get("proc")
    return bool(expected) and token != "?" and expected != "?" and token != expected


# -- the ledger ----------------------------------------------------------------
class Ledger:
    """Append and read run records of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.folder = schedule_dir(store)
        self.path = self.folder / LEDGER_FILE

    def _locked(self) -> AbstractContextManager[None]:
        return file_lock(self.folder / LEDGER_LOCK)

    def new_run(self, job: str, trigger: str) -> dict[str, Any]:
        """A fresh ``running`` record for this process (not yet written)."""
        pid = os.getpid()
        started = now_iso()
        return {
            "run_id": dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8],
            "job": job,
            "started_at": started,
            "ended_at": None,
            "status": "running",
            **dict.fromkeys(_COUNTS, 0),
            "tagged": None,
            "messages": [],
            "trigger": trigger,
            "pid": pid,
            "proc": process_token(pid),
            "host": socket.gethostname(),
            "updated_at": started,
        }

    def append(self, record: dict[str, Any]) -> None:
        """Write one snapshot of a run (durably: fsync before returning)."""
        record = {**record, "updated_at": now_iso(), "messages": list(record.get("messages", []))[:MAX_MESSAGES]}
        line = json.dumps(record, ensure_ascii=False, default=str).encode() + b"\n"
        with self._locked():
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = b"\n" + line  # a torn line from a crash stays on its own line
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
            if size + len(line) > LEDGER_MAX_BYTES:
                self._compact()

    def _lines(self) -> Iterator[dict[str, Any]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        for line in raw.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line torn by a crash mid-write
            if isinstance(record, dict) and record.get("run_id"):
                yield record

    def runs(self) -> list[dict[str, Any]]:
        """Every run's latest snapshot, oldest first; ``running`` runs whose
        process has died are reported as ``interrupted``."""
        folded: dict[str, dict[str, Any]] = {}
        for record in self._lines():
            folded[record["run_id"]] = record
        out = sorted(folded.values(), key=lambda r: r.get("started_at") or "")
        for record in out:
            if record.get("status") == "running" and _is_dead(record):
                _as_interrupted(record)
        return out

    def mark_interrupted(self) -> list[dict[str, Any]]:
        """Append an ``interrupted`` line for every run whose process died; returns them."""
        dead = [r for r in self.runs() if r.get("status") == "interrupted" and r.get("_derived")]
        for record in dead:
            record.pop("_derived", None)
            self.append(record)
        return dead

    def _compact(self) -> None:
        """Keep the newest runs only (called with the lock held)."""
        keep = self.runs()[-LEDGER_KEEP_RUNS:]
        tmp = self.folder / f".{LEDGER_FILE}.{uuid.uuid4().hex}.tmp"
        with open(tmp, "wb") as fh:
            for record in keep:
                record.pop("_derived", None)
                fh.write(json.dumps(record, ensure_ascii=False, default=str).encode() + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


def _as_interrupted(record: dict[str, Any]) -> None:
    record["status"] = "interrupted"
    record["ended_at"] = record.get("updated_at")
    record["_derived"] = True
    record["messages"] = [
        *record.get("messages", []),
        f"interrupted: process {record.get('pid')} ended without finishing this run (killed or crashed); "
        "files not yet recorded were not stored and are picked up by the next run",
    ][:MAX_MESSAGES]


def read_ledger(store: Store) -> pl.DataFrame:
    """Every watch run of ``store``, oldest first (columns: :data:`LEDGER_SCHEMA`).

    ``status`` is one of :data:`STATUSES`; ``errors`` counts failed files (and
    a failed tagging hook or lock wait), ``messages`` says what failed.
    """
    rows = Ledger(store).runs()
    if not rows:
        return pl.DataFrame(schema=LEDGER_SCHEMA)
    frame = pl.DataFrame(
        [{k: r.get(k) for k in LEDGER_SCHEMA} for r in rows],
        schema={k: (pl.String() if v == UTC_DATETIME else v) for k, v in LEDGER_SCHEMA.items()},
        strict=False,
    )
    return frame.with_columns(
        pl.col(c).str.to_datetime(time_zone="UTC", time_unit="us")
        for c, v in LEDGER_SCHEMA.items() if v == UTC_DATETIME
    )


def last_runs(store: Store) -> dict[str, dict[str, Any]]:
    """The latest run of each job, by job name."""
    out: dict[str, dict[str, Any]] = {}
    for record in Ledger(store).runs():
        out[record.get("job", "")] = record
    return out
