"""Scheduled collection: watch-folder jobs kept in an APScheduler 3.x job store.

Why it is built this way (APScheduler's user guide, ``docs/userguide.rst``):

* Jobs live in a SQLite job store inside the store folder
  (``STORE/schedule/jobs.sqlite``, SQLAlchemyJobStore), so they survive
  restarts and move with the store. A persistent job must be referenced by
  name, so every job is ``collectors.schedule:run_watch_job`` with plain,
  JSON-able keyword arguments (the store path, the job name and its
  :class:`~collectors.watch.WatchConfig`), an explicit id (``watch:NAME``)
  and ``replace_existing=True``, so adding a schedule twice replaces it.
* ``coalesce=True`` with ``misfire_grace_time=None``: runs missed while the
  scheduler was down happen *once* when it starts again, however late. A
  watch run only picks up what is waiting, so one late run is always right
  and several in a row are pointless.
* ``max_instances=1`` and one worker thread: runs never overlap (the store has
  one writer anyway); a run that is still busy when the next is due makes
  APScheduler skip that one.
* Nothing starts at import time. ``dtrack scheduler`` calls :func:`serve`,
  which takes ``STORE/schedule/scheduler.lock`` (one scheduler per store),
  marks runs of a killed scheduler as interrupted, and wakes the scheduler
  every ``poll`` seconds so jobs added by ``dtrack schedule add`` from another
  process are seen without a restart. SIGINT/SIGTERM set
  :data:`~collectors.watch.STOP`: the current file is finished, nothing new is
  started, the process exits 0.

Commands that only edit or list jobs open the job store with a *paused*
scheduler (:func:`open_jobs`): APScheduler's public API, no job ever runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import re
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from dtrack.collectors.formats.registry import get_collector
from dtrack.collectors.pipeline.collect import DEFAULT_HOOK, legacy_module_name
from dtrack.collectors.pipeline.ingest import IngestReport
from dtrack.collectors.pipeline.ledger import Ledger, last_runs, process_token, read_ledger, schedule_dir
from dtrack.collectors.pipeline.watch import DEFAULT_LOCK_WAIT, DEFAULT_SETTLE, STOP, WatchConfig, run_watch
from dtrack.data.defaults import DEFAULT_TZ
from dtrack.data.lock import LockBusy, file_lock, holder_text, read_holder
from dtrack.data.store import Store, StoreError

__all__ = [
    "DEFAULT_HOOK",
    "JOB_FUNC",
    "MISFIRE_GRACE_TIME",
    "SchedulerRunning",
    "add_schedule",
    "get_schedule",
    "list_schedules",
    "open_jobs",
    "read_ledger",
    "remove_schedule",
    "run_now",
    "run_watch_job",
    "scheduler_status",
    "serve",
]

log = logging.getLogger("dtrack.schedule")

#: What every watch job calls (a reference, so the job store can persist it).
JOB_FUNC = "dtrack.collectors.pipeline.schedule:run_watch_job"
JOBS_DB = "jobs.sqlite"
SCHEDULER_LOCK = "scheduler.lock"
LOG_FILE = "scheduler.log"
#: None = a missed run is never dropped for being late (see the module docstring).
MISFIRE_GRACE_TIME: int | None = None
JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_TIME, "max_instances": 1}
#: How often the running scheduler looks for jobs added or removed by other processes.
DEFAULT_POLL = 5.0
DEFAULT_EVERY = "1h"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_EVERY_RE = re.compile(r"(\d+)\s*([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SchedulerRunning(StoreError):
    """Another ``dtrack scheduler`` already serves this store."""


def job_id(name: str) -> str:
    """The explicit APScheduler id of watch job ``name``."""
    return f"watch:{name}"


def check_name(name: str) -> str:
    if not _NAME_RE.match(name):
        raise ValueError(f"schedule name {name!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return name


# -- triggers ------------------------------------------------------------------------
def parse_every(text: str) -> int:
    """``"1h"``, ``"30m"``, ``"1h30m"``, ``"90s"``, ``"1d"``, ``"2w"`` -> seconds (at least 1)."""
    compact = text.strip().lower().replace(" ", "")
    parts = _EVERY_RE.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"--every {text!r}: write a duration such as 30s, 15m, 1h, 1h30m, 1d or 1w")
    seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in parts)
    if seconds < 1:
        raise ValueError(f"--every {text!r}: the interval must be at least 1 second")
    return seconds


def _cron_day_of_week(field: str) -> str:
    """Crontab weekdays (0 or 7 = Sunday) -> APScheduler 3.x's (0 = Monday).

    ``CronTrigger.from_crontab`` in 3.x passes the numbers through unchanged,
    so ``0 3 * * 0`` would run on Mondays (its docs warn about this). Numbers,
    ranges and steps are turned into day names, which mean the same in both.
    """
    out: list[str] = []
    for part in field.split(","):
        base, slash, step_text = part.partition("/")
        if (base == "*" and not slash) or not re.fullmatch(r"\*|[0-7](-[0-7])?", base):
            out.append(part)  # "*" or day names: same meaning in both
            continue
        step = int(step_text) if slash else 1
        if step < 1:
            raise ValueError(f"cron weekday {part!r}: step must be at least 1")
        if base == "*":
            first, last = 0, 6
        else:
            first_text, _, last_text = base.partition("-")
            first = int(first_text)
            last = int(last_text) if last_text else (6 if slash else first)
        if last < first:
            raise ValueError(f"cron weekday range {part!r} runs backwards")
        out.extend(_CRON_DAYS[d] for d in range(first, last + 1, step))
    return ",".join(dict.fromkeys(out))


def make_trigger(every: str | None = None, cron: str | None = None) -> tuple[BaseTrigger, str]:
    """The APScheduler trigger for ``--every`` or ``--cron`` and its description.

    Cron expressions are read like crontab: in the machine's local timezone
    (set ``TZ`` to choose another), weekdays 0-7 with 0 and 7 = Sunday.
    """
    if every and cron:
        raise ValueError("give --every or --cron, not both")
    if cron:
        fields = cron.split()
        if len(fields) != 5:
            raise ValueError(f"--cron {cron!r}: need 5 fields (minute hour day month weekday), e.g. '0 3 * * *'")
        minute, hour, day, month, weekday = fields
        try:
            trigger = CronTrigger(minute=minute, hour=hour, day=day, month=month,
                                  day_of_week=_cron_day_of_week(weekday))
        except ValueError as exc:
            raise ValueError(f"--cron {cron!r}: {exc}") from None
        return trigger, f"cron {' '.join(fields)} ({trigger.timezone})"
    text = every or DEFAULT_EVERY
    return IntervalTrigger(seconds=parse_every(text)), f"every {text.strip()}"


# -- the job store -------------------------------------------------------------------
def jobs_path(store: Store) -> Path:
    return schedule_dir(store) / JOBS_DB


def _ensure_jobs_table(url: str, lock_path: Path) -> None:
    """Create the job table once, under a file lock.

    APScheduler creates it on start with check-then-create, which races when
    two processes start on a new store at once (the scheduler and a `dtrack
    schedule add`): one fails with "table apscheduler_jobs already exists"."""
    with file_lock(lock_path):
        jobstore = SQLAlchemyJobStore(url=url)
        try:
            jobstore.jobs_t.create(jobstore.engine, checkfirst=True)
        finally:
            jobstore.engine.dispose()


def _rewrite_legacy_refs(db: Path) -> int:
    """Rewrite jobs saved by older versions (dtrack 0.1: ``collectors.schedule:run_watch_job``,
    hook ``nlp.tagger:tag_store``; 0.2: ``dtrack.collectors.schedule:run_watch_job``) to the
    modules' current names (``pipeline.collect.legacy_module_name``), before APScheduler reads them.

    APScheduler drops a job whose function it cannot import when it loads it, so the
    rewrite happens on the raw rows. The job state is APScheduler's own pickled dict
    of plain values (references are strings), so unpickling imports nothing of ours.
    Returns how many jobs were rewritten; a second call rewrites none.
    """
    import pickle
    import sqlite3

    if not db.is_file():
        return 0
    with closing(sqlite3.connect(db, timeout=30)) as con, con:
        try:
            rows = con.execute("SELECT id, job_state FROM apscheduler_jobs").fetchall()
        except sqlite3.OperationalError:
            return 0
        changed = 0
        for job_id, blob in rows:
            state = pickle.loads(blob)
            func = state.get("func")
            kwargs = state.get("kwargs") or {}
            hook = kwargs.get("hook")
            new_func = _legacy_ref(func) if isinstance(func, str) else func
            new_hook = _legacy_ref(hook) if isinstance(hook, str) else hook
            if (new_func, new_hook) == (func, hook):
                continue
            state["func"] = new_func
            if hook is not None:
                state["kwargs"] = {**kwargs, "hook": new_hook}
            con.execute("UPDATE apscheduler_jobs SET job_state = ? WHERE id = ?",
                        (pickle.dumps(state, pickle.HIGHEST_PROTOCOL), job_id))
            changed += 1
        return changed


def _legacy_ref(ref: str) -> str:
    module_name, sep, attr = ref.partition(":")
    return f"{legacy_module_name(module_name)}{sep}{attr}" if sep else ref


def _scheduler_options(store: Store) -> dict[str, Any]:
    url = f"sqlite:///{jobs_path(store).resolve()}"
    schedule_dir(store).mkdir(parents=True, exist_ok=True)
    _ensure_jobs_table(url, schedule_dir(store) / "jobs.sqlite.lock")
    _rewrite_legacy_refs(jobs_path(store))
    return {
        "jobstores": {"default": SQLAlchemyJobStore(url=url)},
        "executors": {"default": ThreadPoolExecutor(max_workers=1)},
        "job_defaults": JOB_DEFAULTS,
    }


class _Scheduler(BackgroundScheduler):
    """The running scheduler.

    APScheduler 3.x's main loop processes due jobs once more *after*
    ``shutdown()`` (the wake-up that ends the loop): submitting to the closed
    executor fails, but the job's next run time is still advanced, so a run
    due at that moment would be lost. Skip processing once stopped. And keep
    the loop alive through errors of one round.
    """

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        try:
            return super()._process_jobs()
        except Exception:
            # e.g. a job removed by `dtrack schedule remove` between APScheduler's
            # read and its update (JobLookupError), or a locked SQLite file: an
            # uncaught error here would end the scheduler thread for good.
            log.exception("error while looking for due jobs; trying again in %ss", self.jobstore_retry_interval)
            return float(self.jobstore_retry_interval)


class _JobEditor(BaseScheduler):
    """A scheduler that never runs anything: commands that add, list or remove
    jobs use it to reach the job store through APScheduler's API (started
    paused, it has no thread and ignores wake-ups)."""

    def wakeup(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)


@contextmanager
def open_jobs(store: Store) -> Iterator[BaseScheduler]:
    """The store's job store behind a scheduler that never runs jobs: add,
    modify, list and remove jobs with APScheduler's API."""
    schedule_dir(store).mkdir(parents=True, exist_ok=True)
    scheduler = _JobEditor(**_scheduler_options(store))
    scheduler.start(paused=True)
    try:
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)


def _config_of(job: Any) -> WatchConfig | None:
    if job.func_ref != JOB_FUNC:
        return None
    kwargs = dict(job.kwargs)
    kwargs.pop("store", None)
    name = kwargs.pop("name", job.name)
    return WatchConfig.from_kwargs(name, kwargs)


def add_schedule(
    store: Store,
    name: str,
    watch: str | os.PathLike[str],
    *,
    every: str | None = None,
    cron: str | None = None,
    fmt: str | None = None,
    recursive: bool = False,
    settle: float = DEFAULT_SETTLE,
    hook: str | None = DEFAULT_HOOK,
    lock_wait: float = DEFAULT_LOCK_WAIT,
    tz: str = DEFAULT_TZ,
    mapping: dict[str, str] | None = None,
    platform: str | None = None,
    cluster: str | None = None,
    compact: bool = False,
) -> dict[str, Any]:
    """Create (or replace) watch job ``name``; returns its :func:`list_schedules` row
    plus ``replaced`` (whether a job of that name existed).

    ``watch`` is stored as an absolute path. Raises ValueError for a bad name,
    folder, schedule, format, timezone or hook spelling.
    """
    check_name(name)
    folder = Path(watch).expanduser().resolve()
    if not folder.is_dir():
        raise ValueError(f"--watch {watch}: not an existing folder")
    if fmt:
        get_collector(fmt)
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {tz!r}") from None
    if hook is not None and not re.fullmatch(r"[\w.]+:\w+", hook):
        raise ValueError(f"tagging hook {hook!r} must look like package.module:function")
    if settle < 0 or lock_wait < 0:
        raise ValueError("--settle and --lock-wait must not be negative")
    if cluster:
        from dtrack.data.cluster import ClusterError, parse_address

        try:
            parse_address(cluster)
        except ClusterError as exc:
            raise ValueError(str(exc)) from None
    trigger, description = make_trigger(every, cron)
    config = WatchConfig(name=name, watch=str(folder), fmt=fmt, recursive=recursive, settle=float(settle),
                         hook=hook, lock_wait=float(lock_wait), tz=tz, mapping=dict(mapping or {}),
                         platform=platform, trigger=description, cluster=cluster or None, compact=compact)
    with open_jobs(store) as scheduler:
        replaced = scheduler.get_job(job_id(name)) is not None
        scheduler.add_job(
            JOB_FUNC,
            trigger=trigger,
            id=job_id(name),
            name=name,
            kwargs={"store": str(store.path.resolve()), **config.as_kwargs()},
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE_TIME,
            max_instances=1,
        )
    row = next(r for r in list_schedules(store) if r["name"] == name)
    return {**row, "replaced": replaced}


def remove_schedule(store: Store, name: str) -> bool:
    """Delete watch job ``name``; False if there was none. Its runs stay in the ledger."""
    if not jobs_path(store).exists():
        return False
    with open_jobs(store) as scheduler:
        try:
            scheduler.remove_job(job_id(name))
        except JobLookupError:
            return False
    (schedule_dir(store) / "state" / f"{name}.json").unlink(missing_ok=True)
    return True


def get_schedule(store: Store, name: str) -> WatchConfig | None:
    """The configuration of watch job ``name``, or None."""
    if not jobs_path(store).exists():
        return None
    with open_jobs(store) as scheduler:
        job = scheduler.get_job(job_id(name))
        return _config_of(job) if job else None


def list_schedules(store: Store) -> list[dict[str, Any]]:
    """One dict per watch job, by name: ``name, watch, trigger, format, recursive,
    last_run, next_run`` (aware datetimes or None), then ``last_status``,
    ``last_new``, ``last_errors``, ``settle``, ``hook``, ``id``.

    ``next_run`` in the past means the scheduler is not running: the job runs
    once as soon as it starts.
    """
    if not jobs_path(store).exists():
        return []
    with open_jobs(store) as scheduler:
        jobs = [(job, _config_of(job)) for job in scheduler.get_jobs()]
    last = last_runs(store)
    rows = []
    for job, config in jobs:
        if config is None:
            continue
        run = last.get(config.name) or {}
        rows.append(
            {
                "name": config.name,
                "watch": config.watch,
                "trigger": config.trigger or str(job.trigger),
                "format": config.fmt,
                "recursive": config.recursive,
                "last_run": _parse_time(run.get("started_at")),
                "next_run": job.next_run_time,
                "last_status": run.get("status"),
                "last_new": run.get("new"),
                "last_errors": run.get("errors"),
                "settle": config.settle,
                "hook": config.hook,
                "id": job.id,
                "compact": config.compact,
            }
        )
    return sorted(rows, key=lambda r: r["name"])


def _parse_time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


# -- running ---------------------------------------------------------------------------
def run_watch_job(store: str, name: str, **config: Any) -> dict[str, Any]:
    """The job function the scheduler calls (by reference, from the job store)."""
    return run_watch(Store(store), WatchConfig.from_kwargs(name, config), trigger="schedule")


def run_now(store: Store, name: str, *,
            on_report: Callable[[IngestReport], None] | None = None) -> dict[str, Any]:
    """Run watch job ``name`` once in this process (``dtrack schedule run-now``)."""
    config = get_schedule(store, name)
    if config is None:
        raise KeyError(name)
    return run_watch(store, config, trigger="run-now", on_report=on_report)


@contextmanager
def scheduler_lock(store: Store) -> Iterator[None]:
    """Hold ``STORE/schedule/scheduler.lock``; raise :class:`SchedulerRunning` if taken."""
    try:
        with file_lock(schedule_dir(store) / SCHEDULER_LOCK, wait=0, note={"proc": process_token(os.getpid())}):
            yield
    except LockBusy as exc:
        raise SchedulerRunning(
            f"a scheduler is already running for store {store.path}{holder_text(exc.holder)}; "
            "only one scheduler may serve a store (stop it first, e.g. systemctl stop dtrack-scheduler)"
        ) from None


def scheduler_status(store: Store) -> dict[str, Any] | None:
    """Who serves ``store`` (pid, host, since), or None if no scheduler runs.

    Read from the lock file without taking the lock, so asking never makes a
    starting scheduler fail.
    """
    info = read_holder(schedule_dir(store) / SCHEDULER_LOCK)
    if not info.get("pid"):
        return None
    if info.get("host") == socket.gethostname():
        token = process_token(int(info["pid"]))
        if token is None or (info.get("proc") and token != "?" and token != info["proc"]):
            return None  # killed without cleaning up
    return info


def install_stop_signals() -> dict[int, Any]:
    """SIGINT/SIGTERM: finish the current file, then stop (a second signal exits
    at once; the file being read is then not stored). Returns the old handlers."""

    def handler(signum: int, frame: Any) -> None:
        name = signal.Signals(signum).name
        if STOP.is_set():
            log.warning("second %s: exiting now; the file being read is not stored", name)
            logging.shutdown()
            os._exit(128 + signum)
        log.warning("%s: stopping after the current file (send it again to exit at once)", name)
        STOP.set()

    return {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}


def configure_logging(store: Store, log_file: str | os.PathLike[str] | None = None, *,
                      verbose: bool = False) -> Path:
    """Log to stdout (for systemd's journal or a terminal) and to a rotating file in the store."""
    path = Path(log_file) if log_file else schedule_dir(store) / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [
        logging.StreamHandler(sys.stdout),
        logging.handlers.RotatingFileHandler(path, maxBytes=10 * 1024 * 1024, backupCount=3, encoding="utf-8"),
    ]
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(fmt)
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.INFO if verbose else logging.WARNING)
    return path


def serve(store: Store, *, poll: float = DEFAULT_POLL) -> None:
    """Run the store's scheduler until :data:`STOP` is set (blocks; the caller
    installs signal handlers). Raises :class:`SchedulerRunning` if another
    scheduler serves the store."""
    with scheduler_lock(store):
        STOP.clear()
        for record in Ledger(store).mark_interrupted():
            log.warning("run %s of watch %s (pid %s, started %s) was interrupted; recorded in the ledger",
                        record["run_id"], record["job"], record.get("pid"), record.get("started_at"))
        scheduler = _Scheduler(daemon=True, **_scheduler_options(store))
        scheduler.start(paused=True)
        try:
            here = str(store.path.resolve())
            for job in scheduler.get_jobs():
                if job.func_ref == JOB_FUNC and job.kwargs.get("store") != here:
                    log.info("watch %s: the store moved to %s; updating the job", job.name, here)
                    scheduler.modify_job(job.id, kwargs={**job.kwargs, "store": here})
            jobs = scheduler.get_jobs()
            log.info("scheduler started for store %s (pid %d): %d job(s)", store.path, os.getpid(), len(jobs))
            for job in jobs:
                log.info("  %s: next run %s", job.name, job.next_run_time)
            if not jobs:
                log.warning("no jobs yet: add one with `dtrack schedule add`; it is picked up within %gs", poll)
            scheduler.resume()
            while not STOP.wait(poll):
                scheduler.wakeup()  # see jobs other processes added, removed or changed
            log.info("stopping: letting the current file finish")
        finally:
            scheduler.shutdown(wait=True)
        log.info("scheduler stopped")
