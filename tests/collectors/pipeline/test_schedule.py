"""The real scheduler: `python -m dtrack scheduler` child processes, real files, short intervals.

Each test bounds every wait (``wait_for``) and stops its scheduler in a
finalizer, so a hang fails the test instead of the CI run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import polars as pl
import pytest

from dtrack.collectors.pipeline.ledger import read_ledger
from dtrack.collectors.pipeline.schedule import (
    SchedulerRunning,
    add_schedule,
    job_id,
    list_schedules,
    make_trigger,
    open_jobs,
    parse_every,
    scheduler_lock,
    scheduler_status,
    serve,
)
from dtrack.data.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "schedule"


def wait_for(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.05) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def source_named(store: Store, name: str) -> list[dict]:
    return [s for s in store.sources() if Path(s["path"]).name == name]


def finished_runs(store: Store) -> pl.DataFrame:
    return read_ledger(store).filter(pl.col("status") != "running")


class Scheduler:
    """A `dtrack scheduler` child process with its output in a file."""

    def __init__(self, store: Store, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.out = open(log, "ab")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dtrack", "scheduler", "--store", str(store.path), "--poll", "0.3"],
            env=env, stdout=self.out, stderr=subprocess.STDOUT,
        )
        wait_for(lambda: (scheduler_status(store) or {}).get("pid") == self.proc.pid or self.proc.poll() is not None,
                 30, "the scheduler to start")
        assert self.proc.poll() is None, self.output()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            self.out.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(30)
        self.out.close()


@pytest.fixture
def start_scheduler(subprocess_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[[Store], Scheduler]]:
    started: list[Scheduler] = []

    def start(store: Store) -> Scheduler:
        sched = Scheduler(store, subprocess_env, tmp_path / f"scheduler-{len(started)}.log")
        started.append(sched)
        return sched

    yield start
    for sched in started:
        if sched.proc.poll() is None:
            sched.kill()


def write_posts(path: Path, first: int, count: int) -> None:
    """``count`` generic NDJSON posts with ids first..first+count-1 (deterministic)."""
    pl.select(
        id=pl.int_range(first, first + count).cast(pl.String),
        created_at=pl.lit("2022-08-29T12:00:00+09:00"),
        text=pl.lit("無断学習禁止"),
    ).write_ndjson(path)


def test_interval_job_picks_up_drops_and_ignores_a_growing_file(
    tmp_path: Path, start_scheduler: Callable[[Store], Scheduler]
) -> None:
    store = Store(tmp_path / "store")
    watch = tmp_path / "in"
    watch.mkdir()
    add_schedule(store, "drop", watch, every="1s", settle=0.5, hook=None)
    sched = start_scheduler(store)

    shutil.copyfile(FIXTURES / "posts_a.ndjson", watch / "a.ndjson")
    wait_for(lambda: source_named(store, "a.ndjson"), 20, "the first drop to be ingested")
    shutil.copyfile(FIXTURES / "posts_b.ndjson", watch / "b.ndjson")
    wait_for(lambda: source_named(store, "b.ndjson"), 20, "the second drop to be ingested")

    growing = watch / "c.ndjson"
    lines = [orjson.dumps({"id": f"c{i}", "created_at": "2022-08-30T00:00:00Z", "text": "まだ書き込み中"})
             for i in range(40)]
    runs_before = finished_runs(store).height

    def grow() -> None:
        with open(growing, "ab") as fh:
            for line in lines:
                fh.write(line + b"\n")
                fh.flush()
                time.sleep(0.08)

    writer = threading.Thread(target=grow)
    writer.start()
    while writer.is_alive():
        assert not source_named(store, "c.ndjson"), "a file still being written was ingested"
        time.sleep(0.05)
    writer.join()
    assert not source_named(store, "c.ndjson")
    during = finished_runs(store).slice(runs_before)
    assert during.height >= 2 and during.get_column("files_waiting").max() >= 1  # it ran, saw c, waited

    record = wait_for(lambda: source_named(store, "c.ndjson"), 20, "the finished file to be ingested")
    assert len(record) == 1 and record[0]["read"] == 40  # read once, whole
    assert sched.stop() == 0, sched.output()
    posts = store.scan_posts().collect()
    assert posts.height == 3 + 2 + 40 == posts.select("platform", "post_id").n_unique()
    statuses = finished_runs(store).get_column("status").to_list()
    assert set(statuses) <= {"ok", "stopped"} and statuses.count("stopped") <= 1  # a run cut short by SIGTERM


@pytest.mark.slow
def test_kill_9_mid_file_then_restart_stores_every_post_once(
    tmp_path: Path, start_scheduler: Callable[[Store], Scheduler]
) -> None:
    n = 1_000_000
    store = Store(tmp_path / "store")
    watch = tmp_path / "in"
    watch.mkdir()
    write_posts(watch / "big.ndjson", 0, n)
    add_schedule(store, "big", watch, every="1s", settle=0.2, hook=None)
    sched = start_scheduler(store)
    wait_for(lambda: list((store.path / "staging").rglob("*.parquet")) or sched.proc.poll() is not None,
             60, "the scheduler to stage the first batch", interval=0.01)
    sched.proc.send_signal(signal.SIGKILL)
    sched.proc.wait(30)
    assert sched.proc.returncode == -signal.SIGKILL
    assert store.sources() == [] and store.scan_posts().collect().height == 0  # killed before commit
    assert read_ledger(store).get_column("status").to_list() == ["interrupted"]  # dead pid, seen at once

    again = start_scheduler(store)
    wait_for(lambda: source_named(store, "big.ndjson"), 90, "the restarted scheduler to ingest the file")
    assert again.stop() == 0, again.output()

    posts = store.scan_posts().select("post_id").collect()
    assert posts.height == n == posts.n_unique()
    assert not (store.path / "staging").exists() or not list((store.path / "staging").rglob("*.parquet"))
    ledger = read_ledger(store)
    assert ledger.get_column("status").to_list()[0] == "interrupted"
    assert ledger.filter(pl.col("status") == "ok").get_column("new").sum() == n
    raw = [orjson.loads(line) for line in (store.path / "schedule" / "runs.jsonl").read_bytes().splitlines()]
    assert [r["status"] for r in raw if r["run_id"] == ledger["run_id"][0]][-1] == "interrupted"  # written down
    assert "was interrupted" in again.output()


@pytest.mark.slow
def test_sigterm_finishes_the_current_file_and_starts_no_other(
    tmp_path: Path, start_scheduler: Callable[[Store], Scheduler]
) -> None:
    n = 600_000
    store = Store(tmp_path / "store")
    watch = tmp_path / "in"
    watch.mkdir()
    write_posts(watch / "a_big.ndjson", 0, n)
    shutil.copyfile(FIXTURES / "posts_b.ndjson", watch / "b_small.ndjson")
    add_schedule(store, "two", watch, every="1s", settle=0.2, hook=None)
    sched = start_scheduler(store)
    wait_for(lambda: list((store.path / "staging").rglob("*.parquet")), 60, "the first batch", interval=0.01)
    assert sched.stop(signal.SIGTERM) == 0, sched.output()
    assert [s["read"] for s in source_named(store, "a_big.ndjson")] == [n]
    assert source_named(store, "b_small.ndjson") == []
    last = read_ledger(store).row(-1, named=True)
    assert (last["status"], last["files_ingested"], last["new"]) == ("stopped", 1, n)


def test_restart_after_missed_runs_runs_the_job_once(
    tmp_path: Path, start_scheduler: Callable[[Store], Scheduler]
) -> None:
    store = Store(tmp_path / "store")
    watch = tmp_path / "in"
    watch.mkdir()
    shutil.copyfile(FIXTURES / "posts_a.ndjson", watch / "a.ndjson")
    add_schedule(store, "hourly", watch, every="1h", settle=0, hook=None)
    # as if the scheduler had been down for a little over 3 hours: 4 runs were due
    with open_jobs(store) as jobs:
        missed_since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3, minutes=1)
        jobs.modify_job(job_id("hourly"), next_run_time=missed_since)
        job = jobs.get_job(job_id("hourly"))
        assert len(job._get_run_times(dt.datetime.now(dt.UTC))) == 4
    sched = start_scheduler(store)
    wait_for(lambda: finished_runs(store).height >= 1, 20, "the catch-up run")
    time.sleep(2.0)  # several scheduler wake-ups (poll 0.3s): a second catch-up run would show
    assert sched.stop() == 0, sched.output()
    runs = read_ledger(store)
    assert runs.height == 1 and runs["status"][0] == "ok" and runs["new"][0] == 3
    (row,) = list_schedules(store)
    remaining = row["next_run"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(0) < remaining <= dt.timedelta(hours=1)
    assert row["last_run"] is not None and row["last_status"] == "ok"


def test_second_scheduler_on_the_same_store_exits_with_a_clear_message(
    tmp_path: Path, start_scheduler: Callable[[Store], Scheduler], subprocess_env: dict[str, str]
) -> None:
    store = Store(tmp_path / "store")
    first = start_scheduler(store)
    second = subprocess.run(
        [sys.executable, "-m", "dtrack", "scheduler", "--store", str(store.path)],
        env=subprocess_env, capture_output=True, text=True, timeout=60,
    )
    assert second.returncode == 1
    assert "already running" in second.stderr and f"pid {first.proc.pid}" in second.stderr
    assert first.proc.poll() is None  # the first one is untouched
    assert first.stop() == 0
    assert scheduler_status(store) is None


def test_the_scheduler_lock_is_what_decides(tmp_path: Path) -> None:
    """Two schedulers starting at the same instant: the flock, not the friendly check, refuses one."""
    store = Store(tmp_path / "store")
    with scheduler_lock(store):
        with pytest.raises(SchedulerRunning, match="already running"):
            serve(store, poll=0.1)
        assert scheduler_status(store)["pid"] == os.getpid()
    assert scheduler_status(store) is None


def test_killed_scheduler_does_not_count_as_running(
    tmp_path: Path, start_scheduler: Callable[[Store], Scheduler]
) -> None:
    store = Store(tmp_path / "store")
    sched = start_scheduler(store)
    sched.kill()
    assert scheduler_status(store) is None  # the lock file still names it, but it is gone
    assert start_scheduler(store).stop() == 0


def test_jobs_added_while_the_scheduler_runs_are_picked_up(
    tmp_path: Path, start_scheduler: Callable[[Store], Scheduler]
) -> None:
    store = Store(tmp_path / "store")
    watch = tmp_path / "in"
    watch.mkdir()
    shutil.copyfile(FIXTURES / "posts_a.ndjson", watch / "a.ndjson")
    sched = start_scheduler(store)
    add_schedule(store, "late", watch, every="1s", settle=0, hook=None)
    wait_for(lambda: source_named(store, "a.ndjson"), 20, "the job added from outside to run")
    assert sched.stop() == 0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1s", 1), ("30s", 30), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("1d", 86400), ("2w", 1209600),
     (" 2H ", 7200)],
)
def test_parse_every(text: str, seconds: int) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "0s", "1", "1x", "h", "1h-5m", "1.5h"])
def test_parse_every_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="--every"):
        parse_every(text)


@pytest.mark.parametrize(
    ("weekday", "expected"),
    [
        ("0", {"Sun"}), ("7", {"Sun"}), ("1-5", {"Mon", "Tue", "Wed", "Thu", "Fri"}),
        ("*/2", {"Sun", "Tue", "Thu", "Sat"}), ("sat", {"Sat"}), ("0,6", {"Sat", "Sun"}), ("*", None),
    ],
)
def test_cron_weekdays_mean_what_crontab_means(weekday: str, expected: set[str] | None) -> None:
    """APScheduler 3.x reads weekday 0 as Monday; crontab (and our users) as Sunday."""
    trigger, description = make_trigger(cron=f"0 3 * * {weekday}")
    assert description.startswith(f"cron 0 3 * * {weekday}")
    fire = trigger.get_next_fire_time(None, dt.datetime(2024, 1, 1, tzinfo=trigger.timezone))
    days = set()
    for _ in range(14):
        assert (fire.hour, fire.minute) == (3, 0)
        days.add(fire.strftime("%a"))
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    assert days == (expected or {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"})


@pytest.mark.parametrize("cron", ["0 3 * *", "61 3 * * *", "0 3 * * 5-1"])
def test_bad_cron_is_a_clear_error(cron: str) -> None:
    with pytest.raises(ValueError, match="cron"):
        make_trigger(cron=cron)


def test_add_twice_replaces_and_jobs_persist_with_explicit_ids(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    watch = tmp_path / "in"
    watch.mkdir()
    first = add_schedule(store, "twarc", watch, every="1h")
    again = add_schedule(store, "twarc", watch, cron="0 3 * * *", fmt="ndjson", recursive=True)
    assert (first["replaced"], again["replaced"]) == (False, True)
    (row,) = list_schedules(store)
    assert (row["name"], row["id"], row["format"], row["recursive"]) == ("twarc", "watch:twarc", "ndjson", True)
    assert row["trigger"].startswith("cron 0 3 * * *") and row["watch"] == str(watch.resolve())
    with open_jobs(store) as jobs:
        job = jobs.get_job("watch:twarc")
        assert (job.func_ref, job.coalesce, job.misfire_grace_time, job.max_instances) == (
            "dtrack.collectors.pipeline.schedule:run_watch_job", True, None, 1)
        assert job.kwargs["store"] == str(store.path.resolve()) and job.kwargs["name"] == "twarc"
        orjson.dumps(job.kwargs)  # plain, serialisable arguments
    assert (store.path / "schedule" / "jobs.sqlite").is_file()


def test_concurrent_first_use_of_the_job_store(tmp_path: Path) -> None:
    # several openers of a new store's job store at once (the scheduler and `schedule add`)
    # must not race on creating its table ("table apscheduler_jobs already exists")
    for trial in range(20):
        store = Store(tmp_path / f"store{trial}")
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []

        def open_once(store: Store = store, barrier: threading.Barrier = barrier,
                      errors: list[BaseException] = errors) -> None:
            barrier.wait()
            try:
                with open_jobs(store) as jobs:
                    jobs.get_jobs()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_once) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors[0]


@pytest.mark.parametrize("old_func", ["collectors.schedule:run_watch_job",  # dtrack 0.1, top-level packages
                                      "dtrack.collectors.schedule:run_watch_job"])  # 0.2, before the split
def test_jobs_saved_by_older_versions_keep_working(tmp_path: Path, old_func: str) -> None:
    # dtrack 0.1 had top-level packages: its jobs.sqlite names `collectors.schedule:run_watch_job`
    # and the hook `nlp.tagger:tag_store`; 0.2 named `dtrack.collectors.schedule`. Opening the job
    # store rewrites them (APScheduler would otherwise drop a job whose function it cannot import),
    # and the job is listed as before.
    import pickle
    import sqlite3

    store = Store(tmp_path / "store")
    watch = tmp_path / "in"
    watch.mkdir()
    add_schedule(store, "old", watch, every="1h")
    db = store.path / "schedule" / "jobs.sqlite"
    with sqlite3.connect(db) as con:
        (blob,) = con.execute("SELECT job_state FROM apscheduler_jobs").fetchone()
        state = pickle.loads(blob)
        state["func"] = old_func
        state["kwargs"] = {**state["kwargs"], "hook": "nlp.tagger:tag_store"}
        con.execute("UPDATE apscheduler_jobs SET job_state = ?", (pickle.dumps(state),))
    (row,) = list_schedules(store)
    assert row["name"] == "old"
    with open_jobs(store) as jobs:
        job = jobs.get_job("watch:old")
        assert job.func_ref == "dtrack.collectors.pipeline.schedule:run_watch_job"
        assert job.kwargs["hook"] == "dtrack.nlp.tagger:tag_store"
