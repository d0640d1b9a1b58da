"""The run ledger: durable snapshots, torn lines, interrupted runs, compaction."""

from __future__ import annotations

import os
import subprocess

import polars as pl
import pytest

from dtrack.collectors.pipeline import ledger as ledger_mod
from dtrack.collectors.pipeline.ledger import LEDGER_SCHEMA, Ledger, process_token, read_ledger
from dtrack.data.store import Store


def finished_run(ledger: Ledger, job: str = "job", **counts) -> dict:
    run = ledger.new_run(job, "schedule")
    ledger.append(run)
    run.update(status="ok", ended_at=ledger_mod.now_iso(), **counts)
    ledger.append(run)
    return run


def test_empty_ledger_has_the_contract_columns(store: Store) -> None:
    frame = read_ledger(store)
    assert frame.height == 0
    assert frame.columns[:11] == ["run_id", "job", "started_at", "ended_at", "status", "files_seen",
                                  "files_ingested", "new", "duplicate", "quarantined", "errors"]
    assert dict(frame.schema) == LEDGER_SCHEMA


def test_snapshots_fold_to_the_latest_per_run(store: Store) -> None:
    ledger = Ledger(store)
    finished_run(ledger, new=7, files_seen=2)
    finished_run(ledger, job="other", new=1)
    frame = read_ledger(store)
    assert frame.select("job", "status", "new").rows() == [("job", "ok", 7), ("other", "ok", 1)]
    assert frame.get_column("ended_at").dtype == pl.Datetime("us", "UTC")
    assert len((store.path / "schedule" / "runs.jsonl").read_bytes().splitlines()) == 4


def test_a_line_torn_by_a_crash_is_skipped_and_does_not_swallow_the_next(store: Store) -> None:
    ledger = Ledger(store)
    finished_run(ledger, new=1)
    with open(ledger.path, "ab") as fh:
        fh.write(b'{"run_id": "torn", "job": "job", "stat')  # kill -9 inside write()
    finished_run(ledger, new=2)
    assert read_ledger(store).get_column("new").to_list() == [1, 2]
    lines = ledger.path.read_bytes().splitlines()
    assert lines[2].startswith(b'{"run_id": "torn"') and lines[3].startswith(b'{"run_id"')


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_running_record_of_a_dead_process_reads_as_interrupted(store: Store) -> None:
    ledger = Ledger(store)
    run = ledger.new_run("job", "schedule")
    run.update(pid=dead_pid(), proc="12345", files_ingested=1, new=10)
    ledger.append(run)
    (row,) = read_ledger(store).rows(named=True)
    assert (row["status"], row["files_ingested"], row["new"]) == ("interrupted", 1, 10)
    assert row["ended_at"] is not None and "interrupted" in row["messages"][-1]
    marked = ledger.mark_interrupted()
    assert [r["run_id"] for r in marked] == [run["run_id"]]
    assert ledger.mark_interrupted() == []  # written down once
    assert ledger.path.read_bytes().splitlines()[-1].count(b'"interrupted"') == 1


def test_a_recycled_pid_is_not_mistaken_for_the_old_run(store: Store) -> None:
    ledger = Ledger(store)
    alive = ledger.new_run("alive", "schedule")
    recycled = ledger.new_run("recycled", "schedule")
    recycled["proc"] = "1"  # same pid as this process, but a process that started at boot
    elsewhere = ledger.new_run("elsewhere", "schedule")
    elsewhere.update(host="another-machine", pid=dead_pid())
    for run in (alive, recycled, elsewhere):
        ledger.append(run)
    status = dict(read_ledger(store).select("job", "status").rows())
    assert status == {"alive": "running", "recycled": "interrupted", "elsewhere": "running"}
    assert process_token(os.getpid()) == alive["proc"]


def test_ledger_is_compacted_to_the_newest_runs(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_mod, "LEDGER_MAX_BYTES", 3_000)
    monkeypatch.setattr(ledger_mod, "LEDGER_KEEP_RUNS", 3)
    ledger = Ledger(store)
    runs = [finished_run(ledger, new=i) for i in range(12)]
    assert ledger.path.stat().st_size < 3_000 + 1_000
    kept = read_ledger(store)
    assert kept.height <= 6 and kept.get_column("run_id").to_list()[-1] == runs[-1]["run_id"]
    assert kept.get_column("new").to_list() == sorted(kept.get_column("new").to_list())
