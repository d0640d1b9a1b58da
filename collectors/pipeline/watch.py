"""One run of a watch job: ingest what is new in a folder, then tag it.

This is what the scheduler (``pipeline.schedule``) and ``dtrack schedule
run-now`` execute; it knows nothing about APScheduler. A run:

1. lists the watch folder (optionally recursively), skipping hidden files and
   partial downloads (``.part``, ``.tmp``, ``.crdownload``...). A sub-folder
   that is itself an export (an X archive folder, say) is one source;
2. skips sources still being written: anything whose content or metadata
   changed within the last ``settle`` seconds (the newest of mtime and ctime,
   so tools that restore an old mtime after copying are still caught);
3. skips, without reading them, files it has seen before unchanged (same size,
   mtime, ctime and inode) whose sha256 is already among the store's sources;
   everything else goes to the shared ingest loop, which itself skips a
   source whose sha256 was ingested before (a renamed copy) and reads an
   edited file again (its posts deduplicated);
4. ingests each file as its own store transaction, then calls the tagging
   hook (a ``module:function`` string resolved at run time, so ``collectors``
   never imports ``nlp``) with the writer it holds: both through
   ``pipeline.collect``, the same ingest-then-tag as ``dtrack ingest``, with
   its failure policy. A crash or ``kill -9`` loses at most the file being
   read, never half of it.

Every run is recorded in the ledger (``pipeline.ledger``) when it starts,
after each file and when it ends. A failing file, a missing folder, a locked
store or a failing hook is recorded as an error of the run; the run goes on
with the next file. Setting :data:`STOP` (SIGINT/SIGTERM) ends the run after
the file being read.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dtrack.collectors.formats.registry import detect
from dtrack.collectors.pipeline.collect import DEFAULT_HOOK, collect
from dtrack.collectors.pipeline.ingest import IngestReport
from dtrack.collectors.pipeline.ledger import Ledger, now_iso, schedule_dir
from dtrack.collectors.records import ParseContext
from dtrack.data.defaults import DEFAULT_TZ
from dtrack.data.store import Store, StoreLocked

log = logging.getLogger("dtrack.schedule")
log.addHandler(logging.NullHandler())  # the CLI and `dtrack scheduler` decide where logs go

#: A file must be unchanged this long before it is read.
DEFAULT_SETTLE = 60.0
#: How long a run waits for the store's write lock (a CLI ingest, say).
DEFAULT_LOCK_WAIT = 60.0
#: Names of files still being downloaded or edited; never read.
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp", "~")
#: The hash cache is saved at least this often during a long run (and at its end).
STATE_SAVE_SECONDS = 30.0
#: Set to end the current run after the file being read (SIGINT/SIGTERM).
STOP = threading.Event()


@dataclass
class WatchConfig:
    """What a watch job does. Stored as the job's keyword arguments, so every
    field is a plain JSON-able value and new fields need defaults."""

    name: str
    watch: str
    fmt: str | None = None
    recursive: bool = False
    settle: float = DEFAULT_SETTLE
    hook: str | None = DEFAULT_HOOK
    lock_wait: float = DEFAULT_LOCK_WAIT
    tz: str = DEFAULT_TZ
    mapping: dict[str, str] = field(default_factory=dict)
    platform: str | None = None
    #: merge each month's small files after a run that stored something (`dtrack compact`)
    compact: bool = False
    #: the schedule as the user wrote it ("every 1h", "cron 0 3 * * *"), for display
    trigger: str = ""
    #: a Dask cluster address (data.cluster): runs read and tag there, None in the scheduler's process
    cluster: str | None = None

    @classmethod
    def from_kwargs(cls, name: str, config: dict[str, Any]) -> WatchConfig:
        """Build from stored job kwargs, ignoring keys a newer dtrack may have added."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            log.warning("watch job %s: ignoring unknown settings %s", name, ", ".join(unknown))
        return cls(name=name, **{k: v for k, v in config.items() if k in known and k != "name"})

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Entry:
    """A source found in the watch folder, or something there that cannot be one."""

    path: Path
    problem: str | None = None


def _ignored(name: str) -> bool:
    return name.startswith(".") or name.endswith(PARTIAL_SUFFIXES)


def list_sources(watch: Path, *, recursive: bool = False, exclude: tuple[Path, ...] = ()) -> list[Entry]:
    """The sources in ``watch``, sorted by path.

    Regular files (symbolic links followed) are sources; a folder is one if a
    collector recognises it as an export, else it is walked when
    ``recursive`` (never through a symbolic link, so no loops). Broken links,
    FIFOs, sockets and devices are reported as problems without being opened
    (opening a FIFO would block the run forever).
    """
    out: list[Entry] = []
    excluded = {p.resolve() for p in exclude}

    def walk(folder: Path) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            out.append(Entry(folder, f"cannot list folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            if _ignored(entry.name):
                continue
            path = Path(entry.path)
            try:
                st = os.stat(path)
            except FileNotFoundError:
                if entry.is_symlink():
                    out.append(Entry(path, "broken symbolic link (its target does not exist)"))
                continue  # removed since the listing
            except OSError as exc:
                out.append(Entry(path, f"cannot read file information: {exc.strerror or exc}"))
                continue
            if stat.S_ISREG(st.st_mode):
                out.append(Entry(path))
            elif stat.S_ISDIR(st.st_mode):
                if path.resolve() in excluded:
                    continue
                if detect(path) is not None:
                    out.append(Entry(path))
                elif recursive and not entry.is_symlink():
                    walk(path)
            else:
                out.append(Entry(path, "not a regular file (a FIFO, socket or device); not read"))

    walk(watch)
    return out


def observe(path: Path) -> tuple[list[int], float]:
    """A signature of ``path`` (changes whenever it is written, replaced, touched
    or chmod-ed) and the time of its last change (newest mtime/ctime inside)."""
    if path.is_dir():
        count = size = newest_m = newest_c = 0
        for p in [path, *path.rglob("*")]:
            st = p.stat()
            count += 1
            size += st.st_size if stat.S_ISREG(st.st_mode) else 0
            newest_m, newest_c = max(newest_m, st.st_mtime_ns), max(newest_c, st.st_ctime_ns)
        return [count, size, newest_m, newest_c], max(newest_m, newest_c) / 1e9
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino], max(st.st_mtime_ns, st.st_ctime_ns) / 1e9


# -- per-job state: the hash cache and a pending tagging ---------------------------
class _State:
    """``STORE/schedule/state/NAME.json``: what the job saw last time.

    Only a cache (losing it costs re-hashing, never a post): file signature
    -> sha256, and whether stored posts still wait for the tagging hook.
    """

    def __init__(self, store: Store, name: str) -> None:
        self.path = schedule_dir(store) / "state" / f"{name}.json"
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            data = {}
        self.files: dict[str, dict[str, Any]] = data.get("files", {}) if isinstance(data, dict) else {}
        self.tag_pending: bool = bool(data.get("tag_pending")) if isinstance(data, dict) else False
        self.saved = time.monotonic()

    def save(self, keep: set[str] | None = None) -> None:
        if keep is not None:
            self.files = {k: v for k, v in self.files.items() if k in keep}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_text(json.dumps({"files": self.files, "tag_pending": self.tag_pending}))
        os.replace(tmp, self.path)
        self.saved = time.monotonic()


# -- the run -----------------------------------------------------------------------
def run_watch(
    store: Store,
    config: WatchConfig,
    *,
    trigger: str = "schedule",
    on_report: Callable[[IngestReport], None] | None = None,
) -> dict[str, Any]:
    """Run ``config`` once against ``store``; returns the run's final ledger record.

    Never raises for a bad file, folder, lock or hook: they are errors of the
    run, recorded in the ledger. ``trigger`` (schedule / run-now) is recorded.
    """
    ledger = Ledger(store)
    run = ledger.new_run(config.name, trigger)
    ledger.append(run)
    log.info("watch %s: run %s started (%s)", config.name, run["run_id"], config.watch)
    state = _State(store, config.name)
    listed: set[str] | None = None

    def error(message: str) -> None:
        run["errors"] += 1
        run["messages"].append(message)
        log.error("watch %s: %s", config.name, message)

    try:
        listed = _run(store, config, run, state, ledger, error, on_report)
    except Exception as exc:  # a bug must be recorded, not kill the scheduler thread
        log.exception("watch %s: run failed", config.name)
        error(f"run failed: {type(exc).__name__}: {exc}")
    except BaseException:  # KeyboardInterrupt in run-now: the file in progress was not stored
        run["status"] = "interrupted"
        raise
    finally:
        if run["status"] == "running":
            run["status"] = "error" if run["errors"] else "ok"
        run["ended_at"] = now_iso()
        ledger.append(run)
        try:
            state.save(keep=listed)
        except OSError as exc:
            log.warning("watch %s: could not save its state (%s); files will be re-hashed", config.name, exc)
        log.info(
            "watch %s: run %s %s: %d seen, %d ingested, %d waiting, %d new, %d duplicate, %d quarantined, %d errors",
            config.name, run["run_id"], run["status"], run["files_seen"], run["files_ingested"],
            run["files_waiting"], run["new"], run["duplicate"], run["quarantined"], run["errors"],
        )
    return run


def _run(
    store: Store,
    config: WatchConfig,
    run: dict[str, Any],
    state: _State,
    ledger: Ledger,
    error: Callable[[str], None],
    on_report: Callable[[IngestReport], None] | None,
) -> set[str] | None:
    """The body of :func:`run_watch`; returns the paths listed (to prune the cache).
    Sets ``status`` to ``stopped`` when STOP left work undone."""
    if STOP.is_set():
        run["status"] = "stopped"
        return None
    watch = Path(config.watch)
    if not watch.exists():
        error(f"watch folder {watch} does not exist (moved, deleted or not mounted?)")
        return None
    if not watch.is_dir():
        error(f"watch folder {watch} is not a folder")
        return None
    entries = list_sources(watch, recursive=config.recursive, exclude=(store.path,))
    run["files_seen"] = len(entries)
    known = {s.get("sha256") for s in store.sources()}
    now = time.time()
    todo: list[tuple[Path, list[int]]] = []
    for entry in entries:
        if entry.problem:
            error(f"{entry.path}: {entry.problem}")
            continue
        try:
            sig, changed = observe(entry.path)
        except FileNotFoundError:
            continue  # removed since the listing
        except OSError as exc:
            error(f"{entry.path}: {exc.strerror or exc}")
            continue
        if now - changed < config.settle:
            run["files_waiting"] += 1
            log.info("watch %s: %s changed %.1fs ago; waiting for it to settle", config.name, entry.path,
                     now - changed)
            continue
        cached = state.files.get(str(entry.path))
        if cached and cached.get("sig") == sig and cached.get("sha256") in known:
            continue
        todo.append((entry.path, sig))
    listed = {str(e.path) for e in entries}
    if not todo and not (config.hook and state.tag_pending):
        return listed

    ctx = ParseContext(tz=ZoneInfo(config.tz), mapping=dict(config.mapping), platform=config.platform)
    purpose = f"dtrack scheduler: watch job {config.name}"
    waiting = {str(path): sig for path, sig in todo}

    def unchanged() -> Iterator[Path]:
        """The files to read, each checked again just before it is read."""
        for path, sig in todo:
            try:
                now_sig, _ = observe(path)
            except OSError:
                now_sig = None
            if now_sig != sig:
                run["files_waiting"] += 1
                continue  # changed (or vanished) since it was listed: next run
            yield path

    def after(report: IngestReport) -> None:
        _count(run, report, error)
        sig = waiting.get(report.path)
        if report.sha256 and sig is not None and report.status in ("ok", "skipped"):
            state.files[report.path] = {"sig": sig, "sha256": report.sha256}
        if report.new and config.hook and not state.tag_pending:
            state.tag_pending = True
            state.save()  # at once: a crash must not forget that tagging is owed
        elif time.monotonic() - state.saved > STATE_SAVE_SECONDS:
            state.save()
        ledger.append(run)
        if on_report:
            on_report(report)

    with ExitStack() as stack:
        client = None
        if config.cluster:
            from dtrack.data.cluster import ClusterError, connect

            try:
                client = stack.enter_context(connect(config.cluster, quiet=True))
            except ClusterError as exc:
                error(f"cluster {config.cluster}: {exc}; will try again at the next run")
                return listed
        try:
            with store.writer(wait=config.lock_wait, purpose=purpose) as writer:
                done = collect(writer, unchanged(), fmt=config.fmt, ctx=ctx, tag=config.hook,
                               tag_owed=state.tag_pending, on_report=after, should_stop=STOP.is_set,
                               cluster=client)
                if config.compact and run["new"] and not done.stopped:
                    _compact(store, writer, run, error)
        except StoreLocked as exc:
            error(f"{exc}; waited {config.lock_wait:g}s, will try again at the next run")
            return listed
    if done.stopped:
        log.info("watch %s: stopped (asked to stop); tagging, if owed, is done by the next run", config.name)
        run["status"] = "stopped"
    elif done.tag_error is not None:
        error(f"tagging hook {config.hook} failed ({done.tag_error}); posts are stored, "
              "tagging is tried again at the next run")
    elif done.tagged is not None:
        state.tag_pending = False
        state.save()
        tagged = getattr(done.tagged, "posts_tagged", None)
        run["tagged"] = tagged if isinstance(tagged, int) else None
        log.info("watch %s: tagging hook %s done%s", run["job"], config.hook,
                 f" ({tagged} posts tagged)" if isinstance(tagged, int) else "")
    return listed


def _count(run: dict[str, Any], report: IngestReport, error: Callable[[str], None]) -> None:
    if report.status == "error":
        error(f"{report.path}: {report.message}")
        return
    if report.status == "ok":
        run["files_ingested"] += 1
        run["new"] += report.new
        run["duplicate"] += report.duplicate
        run["quarantined"] += report.quarantined
        log.info("watch %s: %s: %s: read %d, new %d, duplicate %d, quarantined %d (%.1fs)", run["job"],
                 report.path, report.format, report.read, report.new, report.duplicate, report.quarantined,
                 report.seconds)
    else:
        log.info("watch %s: %s: skipped (%s)", run["job"], report.path, report.message)


def _compact(store: Store, writer: Any, run: dict[str, Any], error: Callable[[str], None]) -> None:
    from dtrack.data.compact import compact_store

    try:
        report = compact_store(store, writer=writer)
    except Exception as exc:  # the run's posts are stored; compaction is tried again next time
        error(f"compaction failed ({type(exc).__name__}: {exc}); the posts are stored")
        return
    log.info("watch %s: %s", run["job"], report.summary())
