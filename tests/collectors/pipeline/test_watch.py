"""One watch run, in this process: what it reads, skips, records and survives.

The scheduler itself (timing, restarts, kill -9, signals) is exercised with a
real ``dtrack scheduler`` process in test_schedule.py; here the same job
function runs directly so each edge case takes milliseconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors.pipeline import watch as watch_mod
from dtrack.collectors.pipeline.ledger import read_ledger
from dtrack.collectors.pipeline.schedule import add_schedule, run_now
from dtrack.collectors.pipeline.watch import STOP, WatchConfig, list_sources, run_watch
from dtrack.data.store import Store
from tests.conftest import drop_caps_prefix

FIXTURES = Path(__file__).parents[1] / "fixtures" / "schedule"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _clear_stop():
    STOP.clear()
    yield
    STOP.clear()


def drop(folder: Path, fixture: str, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or fixture)
    shutil.copyfile(FIXTURES / fixture, target)
    return target


def config(watch: Path, **kw) -> WatchConfig:
    kw.setdefault("settle", 0.0)
    kw.setdefault("hook", None)
    return WatchConfig(name=kw.pop("name", "test"), watch=str(watch), **kw)


def post_ids(store: Store) -> list[str]:
    return store.scan_posts().select("post_id").collect().get_column("post_id").sort().to_list()


def source_names(store: Store) -> list[str]:
    return sorted(Path(s["path"]).name for s in store.sources())


def test_run_ingests_new_files_once_and_records_the_run(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    drop(watch, "posts_a.ndjson")
    drop(watch, "posts_b.ndjson")
    first = run_watch(store, config(watch))
    assert (first["status"], first["files_seen"], first["files_ingested"], first["new"]) == ("ok", 2, 2, 5)
    second = run_watch(store, config(watch))
    assert (second["status"], second["files_ingested"], second["new"]) == ("ok", 0, 0)
    assert len(post_ids(store)) == 5
    ledger = read_ledger(store)
    assert ledger.get_column("status").to_list() == ["ok", "ok"]
    assert ledger.get_column("new").to_list() == [5, 0]
    assert ledger.schema["started_at"] == pl.Datetime("us", "UTC")
    assert ledger.filter(pl.col("ended_at") < pl.col("started_at")).height == 0


def test_renamed_copy_is_not_read_twice_but_an_edited_file_is(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    original = drop(watch, "posts_a.ndjson")
    run_watch(store, config(watch))
    original.rename(watch / "renamed.ndjson")
    read: list[str] = []
    renamed = run_watch(store, config(watch), on_report=lambda r: read.append(r.status))
    assert read == ["skipped"] and renamed["files_ingested"] == 0
    edited = watch / "renamed.ndjson"
    edited.write_bytes(edited.read_bytes() + (FIXTURES / "posts_b.ndjson").read_bytes())
    again = run_watch(store, config(watch))
    assert (again["files_ingested"], again["new"], again["duplicate"]) == (1, 2, 3)
    assert len(post_ids(store)) == 5


def test_unchanged_known_files_are_not_even_opened(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    drop(watch, "posts_a.ndjson")
    run_watch(store, config(watch))
    reports: list[str] = []
    run = run_watch(store, config(watch), on_report=lambda r: reports.append(r.path))
    assert reports == [] and run["files_seen"] == 1  # the hash cache, not a re-hash, said "seen"


def test_file_still_being_written_waits_for_the_settle_interval(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    path = drop(watch, "posts_a.ndjson")
    old = time.time() - 3600
    os.utime(path, (old, old))  # an old mtime (cp -p, unzip) does not hide a fresh write: ctime is fresh
    waiting = run_watch(store, config(watch, settle=30))
    assert (waiting["files_waiting"], waiting["files_ingested"]) == (1, 0)
    assert store.sources() == []
    time.sleep(0.3)
    settled = run_watch(store, config(watch, settle=0.2))
    assert (settled["files_waiting"], settled["files_ingested"]) == (0, 1)


def test_hidden_partial_and_nested_files(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    drop(watch, "posts_a.ndjson", ".hidden.ndjson")
    drop(watch, "posts_a.ndjson", "download.ndjson.part")
    drop(watch, "posts_a.ndjson", "copy.ndjson.crdownload")
    drop(watch / "2022" / "08", "posts_b.ndjson")
    flat = [e.path.name for e in list_sources(watch)]
    assert flat == []
    nested = list_sources(watch, recursive=True)
    assert [e.path.relative_to(watch).as_posix() for e in nested] == ["2022/08/posts_b.ndjson"]
    run = run_watch(store, config(watch, recursive=True))
    assert run["files_ingested"] == 1 and len(post_ids(store)) == 2


def test_store_inside_the_watch_folder_is_not_read(tmp_path: Path) -> None:
    watch = tmp_path / "in"
    store = Store(watch / "store")
    drop(watch, "posts_a.ndjson")
    run_watch(store, config(watch, recursive=True))
    again = run_watch(store, config(watch, recursive=True))
    assert again["status"] == "ok" and again["files_seen"] == 1


def test_folder_that_disappears_is_an_error_and_the_job_recovers(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    drop(watch, "posts_a.ndjson")
    assert run_watch(store, config(watch))["status"] == "ok"
    shutil.rmtree(watch)
    gone = run_watch(store, config(watch))
    assert gone["status"] == "error" and gone["errors"] == 1
    assert "does not exist" in gone["messages"][0] and str(watch) in gone["messages"][0]
    drop(watch, "posts_b.ndjson")
    back = run_watch(store, config(watch))
    assert (back["status"], back["files_ingested"]) == ("ok", 1)
    assert read_ledger(store).get_column("status").to_list() == ["ok", "error", "ok"]


def test_corrupt_fifo_and_broken_link_are_errors_and_the_next_file_is_read(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    drop(watch, "corrupt.ndjson", "a_corrupt.ndjson")
    os.mkfifo(watch / "b_fifo.ndjson")  # opening it would block the run forever
    (watch / "c_broken.ndjson").symlink_to(tmp_path / "nowhere.ndjson")
    drop(watch, "partly_bad.ndjson", "d_partly_bad.ndjson")
    drop(watch, "posts_b.ndjson", "e_good.ndjson")
    run = run_watch(store, config(watch))
    assert run["status"] == "error"
    assert (run["files_seen"], run["files_ingested"], run["errors"]) == (5, 2, 3)
    assert (run["new"], run["quarantined"]) == (4, 1)
    messages = "\n".join(run["messages"])
    # a_corrupt is a gzip header over garbage: named for what it is, not "not a format"
    for name, why in (("a_corrupt.ndjson", "compressed stream is truncated or corrupt (gzip: "),
                      ("b_fifo.ndjson", "FIFO"), ("c_broken.ndjson", "broken")):
        assert any(name in m and why in m for m in run["messages"]), messages
    assert source_names(store) == ["d_partly_bad.ndjson", "e_good.ndjson"]
    quarantine = store.scan_quarantine().collect()
    assert quarantine.get_column("source_line").to_list() == [2]


def test_file_without_read_permission_is_an_error_and_the_next_file_is_read(
    store: Store, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    """chmod 000 does not stop root (CAP_DAC_OVERRIDE), and CI runs as root: the
    run therefore happens in a `dtrack schedule run-now` child whose capability
    to override file permissions is dropped (setpriv), so the denial is real."""
    prefix = drop_caps_prefix()
    if prefix is None:
        pytest.skip("running as root without a usable setpriv: root reads chmod-000 files, so the case cannot occur")
    watch = tmp_path / "in"
    locked = drop(watch, "posts_a.ndjson", "a_locked.ndjson")
    drop(watch, "posts_b.ndjson", "b_open.ndjson")
    locked.chmod(0)
    add_schedule(store, "perm", watch, every="1h", settle=0, hook=None)
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "dtrack", "schedule", "run-now", "perm", "--store", str(store.path)],
        env=subprocess_env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "a_locked.ndjson: permission denied" in done.stderr
    assert source_names(store) == ["b_open.ndjson"]
    last = read_ledger(store).row(-1, named=True)
    assert (last["status"], last["files_ingested"], last["errors"]) == ("error", 1, 1)
    assert any("a_locked.ndjson" in m for m in last["messages"])


def test_locked_store_makes_the_run_wait_then_record_an_error(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    drop(watch, "posts_a.ndjson")
    with store.writer(purpose="dtrack ingest (test)"):
        started = time.monotonic()
        run = run_watch(store, config(watch, lock_wait=0.4))
        waited = time.monotonic() - started
    assert waited >= 0.4
    assert run["status"] == "error" and store.sources() == []
    assert "being written by another process" in run["messages"][0]
    assert "dtrack ingest (test)" in run["messages"][0] and "next run" in run["messages"][0]
    assert run_watch(store, config(watch))["files_ingested"] == 1


def test_stop_ends_the_run_after_the_current_file(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    drop(watch, "posts_a.ndjson", "a.ndjson")
    drop(watch, "posts_b.ndjson", "b.ndjson")
    run = run_watch(store, config(watch), on_report=lambda r: STOP.set())
    assert (run["status"], run["files_ingested"]) == ("stopped", 1)
    assert source_names(store) == ["a.ndjson"]
    STOP.clear()
    assert run_watch(store, config(watch))["files_ingested"] == 1
    assert source_names(store) == ["a.ndjson", "b.ndjson"]


HOOK_MODULE = '''
import json
from pathlib import Path

calls = []

def record(store, *, writer):
    calls.append((str(store.path), writer.store.path == store.path))
    with writer.transaction() as txn:       # the hook may write: it holds the run's lock
        txn.set_meta("test_hook_calls", len(calls))
    return type("Report", (), {"posts_tagged": store.scan_posts().collect().height})()

def broken(store, *, writer):
    raise RuntimeError("dictionary file is broken")
'''


def test_tagging_hook_is_called_with_the_writer_and_retried_after_a_failure(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "dtrack_test_hook.py").write_text(HOOK_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path / "hooks"))
    monkeypatch.delitem(sys.modules, "dtrack_test_hook", raising=False)
    watch = tmp_path / "in"
    drop(watch, "posts_a.ndjson")
    add_schedule(store, "tagged", watch, settle=0, hook="dtrack_test_hook:broken")
    failed = run_now(store, "tagged")
    assert failed["status"] == "error" and len(post_ids(store)) == 3  # posts stored all the same
    assert "tagging hook dtrack_test_hook:broken failed" in failed["messages"][0]
    assert "dictionary file is broken" in failed["messages"][0]

    add_schedule(store, "tagged", watch, settle=0, hook="dtrack_test_hook:record")  # fixed
    import dtrack_test_hook  # the module the run resolved (same sys.modules entry)

    retried = run_now(store, "tagged")  # no new file, but tagging was still owed
    assert retried["status"] == "ok" and retried["tagged"] == 3
    assert dtrack_test_hook.calls == [(str(store.path), True)]
    assert store.meta("test_hook_calls") == 1
    quiet = run_now(store, "tagged")  # nothing new, nothing owed: no call
    assert quiet["tagged"] is None and len(dtrack_test_hook.calls) == 1
    drop(watch, "posts_b.ndjson")
    assert run_now(store, "tagged")["tagged"] == 5
    assert len(dtrack_test_hook.calls) == 2


def test_run_survives_a_folder_listing_race(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file removed between listing and reading is skipped quietly, not an error."""
    watch = tmp_path / "in"
    gone = drop(watch, "posts_a.ndjson", "a.ndjson")
    drop(watch, "posts_b.ndjson", "b.ndjson")
    real = watch_mod.list_sources

    def list_then_remove(*args, **kwargs):
        entries = real(*args, **kwargs)
        gone.unlink()
        return entries

    monkeypatch.setattr(watch_mod, "list_sources", list_then_remove)
    run = run_watch(store, config(watch))
    assert (run["status"], run["errors"], run["files_ingested"]) == ("ok", 0, 1)
    assert source_names(store) == ["b.ndjson"]


def test_unknown_settings_in_a_stored_job_are_ignored() -> None:
    cfg = WatchConfig.from_kwargs("x", {"watch": "/tmp", "settle": 1.0, "added_in_a_later_version": True})
    assert cfg.watch == "/tmp" and cfg.settle == 1.0


def test_concurrent_runs_of_two_jobs_store_every_post_once(store: Store, tmp_path: Path) -> None:
    """Two jobs (or a job and run-now) racing on one folder: the store lock serialises them."""
    watch = tmp_path / "in"
    for i in range(6):
        drop(watch, "posts_a.ndjson" if i % 2 else "posts_b.ndjson", f"{i}.ndjson")
    results: list[dict] = []
    threads = [threading.Thread(target=lambda n=n: results.append(run_watch(store, config(watch, name=n))))
               for n in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r["status"] for r in results) == ["ok", "ok"]
    assert len(post_ids(store)) == 5 == len(set(post_ids(store)))
    assert len(store.sources()) == 2  # 6 files, 2 distinct contents


def test_a_compacting_job_leaves_one_file_per_month_and_nothing_to_tag_again(store: Store, tmp_path: Path) -> None:
    from dtrack.data.status import store_status
    from dtrack.nlp.tagger import tag_store

    watch = tmp_path / "in"
    hook = "dtrack.nlp.tagger:tag_store"
    for fixture in ["posts_a.ndjson", "posts_b.ndjson"]:
        drop(watch, fixture)
        run = run_watch(store, config(watch, hook=hook, compact=True))
        assert run["status"] == "ok" and run["new"] > 0, run["messages"]
        assert sum(store_status(store)["compactable_files"].values()) == 0
    posts_files = store.manifest()["files"]["posts"]
    months = {f.split("/")[1] for f in posts_files}
    assert len(posts_files) == len(months)  # one file per month (both runs merged)
    assert len(post_ids(store)) == 5
    version = store.version
    assert tag_store(store, workers=1).reason == "up to date" and store.version == version
    assert add_schedule(store, "merging", watch, every="1h", compact=True)["compact"] is True
