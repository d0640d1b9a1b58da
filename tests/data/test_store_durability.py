"""Durability and cleanup of the commit path, with faults injected into a real child process.

The child runs one real transaction with ``os.fsync`` and ``os.replace``
wrapped to log each call and to SIGKILL the process just before the N-th one.
Killing it at every point shows that whatever instant a commit dies at, the
manifest lists only files that read; the log of a complete run shows the order
that makes this hold on power loss too (data and their folders flushed before
the manifest is replaced, as SQLite and PostgreSQL order their commits).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from dtrack.data.schema import POST_SCHEMA, QUARANTINE_SCHEMA
from dtrack.data.store import Store, StoreFull

CHILD = r"""
import datetime as dt, json, os, signal, sys, threading
import polars as pl
from dtrack.data.schema import POST_SCHEMA, QUARANTINE_SCHEMA
from dtrack.data.store import Store

root, kill_at, log_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
log = open(log_path, "a")
calls = 0
lock = threading.Lock()  # the commit flushes files from several threads: count and log one call at a time
real_fsync, real_replace = os.fsync, os.replace

def event(kind, target):
    global calls
    with lock:
        calls += 1
        log.write(json.dumps([kind, target]) + "\n")
        log.flush()
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

def fsync(fd):
    event("fsync", os.readlink(f"/proc/self/fd/{fd}"))
    return real_fsync(fd)

def replace(src, dst):
    event("replace", os.path.realpath(dst))
    return real_replace(src, dst)

months = [dt.datetime(2022, m, 1, tzinfo=dt.UTC) for m in (1, 2, 3)]
posts = pl.DataFrame({"platform": ["x"] * 3, "post_id": ["n1", "n2", "n3"], "created_at": months},
                     schema={k: POST_SCHEMA[k] for k in ("platform", "post_id", "created_at")})
posts = posts.with_columns(pl.lit(None).cast(POST_SCHEMA[c]).alias(c) for c in POST_SCHEMA if c not in posts.columns)
quarantine = pl.DataFrame({"source_sha256": ["s"], "source_line": [1], "raw": ["bad"], "reason": ["r"]})
quarantine = quarantine.with_columns(pl.lit(None).cast(QUARANTINE_SCHEMA[c]).alias(c)
                                     for c in QUARANTINE_SCHEMA if c not in quarantine.columns)
with Store(root).writer() as w:
    os.fsync, os.replace = fsync, replace
    with w.transaction() as txn:
        txn.add_posts(posts)
        txn.add_quarantine(quarantine)
"""


def _posts(ids: list[str], month: int = 8) -> pl.DataFrame:
    n = len(ids)
    frame = pl.DataFrame({"platform": ["x"] * n, "post_id": ids,
                          "created_at": [dt.datetime(2021, month, 1, tzinfo=dt.UTC)] * n})
    return frame.with_columns(pl.lit(None).cast(POST_SCHEMA[c]).alias(c)
                              for c in POST_SCHEMA if c not in frame.columns).cast(POST_SCHEMA)  # type: ignore[arg-type]


def _quarantine(lines: list[int], sha: str = "abc") -> pl.DataFrame:
    frame = pl.DataFrame({"source_sha256": [sha] * len(lines), "source_line": lines,
                          "raw": [f"bad {i}" for i in lines], "reason": ["r"] * len(lines)})
    return frame.with_columns(pl.lit(None).cast(QUARANTINE_SCHEMA[c]).alias(c)
                              for c in QUARANTINE_SCHEMA if c not in frame.columns)


def _baseline(path: Path) -> Store:
    store = Store(path)
    with store.writer() as w, w.transaction() as txn:
        txn.add_posts(_posts(["old1", "old2"]))
    return store


def _run_child(root: Path, kill_at: int, log: Path, env: dict[str, str]) -> int:
    return subprocess.run([sys.executable, "-c", CHILD, str(root), str(kill_at), str(log)], env=env,
                          capture_output=True, timeout=120).returncode


def _every_listed_file_reads(store: Store) -> int:
    for files in store.manifest()["files"].values():
        for rel in files:
            pl.read_parquet(store.path / rel)  # raises on a missing or truncated file
    return store.scan_posts().select(pl.len()).collect().item()


def _listed(store: Store) -> set[str]:
    return {str((store.path / rel).resolve()) for files in store.manifest()["files"].values() for rel in files}


def test_commit_flushes_data_and_folders_before_the_manifest(tmp_path: Path, subprocess_env: dict) -> None:
    store = _baseline(tmp_path / "store")
    old = _listed(store)
    log = tmp_path / "log"
    assert _run_child(store.path, 0, log, subprocess_env) == 0
    events = [tuple(json.loads(line)) for line in log.read_text().splitlines()]
    publish = events.index(("replace", str((store.path / "manifest.json").resolve())))
    before = events[:publish]
    new = _listed(store) - old
    assert len(new) == 5  # three months of posts, one quarantine file and their counts (data.daily)
    for final in new:
        moved = before.index(("replace", final))
        staged_sync = [i for i, (kind, target) in enumerate(before)
                       if kind == "fsync" and Path(target).name == Path(final).name]
        assert staged_sync and staged_sync[0] < moved, f"{final} not flushed before it was moved"
        folder_sync = [i for i, e in enumerate(before) if e == ("fsync", str(Path(final).parent))]
        assert folder_sync and folder_sync[-1] > moved, f"{Path(final).parent} not flushed after the move"


def test_a_kill_at_every_fsync_and_rename_of_a_commit_leaves_a_readable_store(
        tmp_path: Path, subprocess_env: dict) -> None:
    """Kill before each call in turn: the store has the old posts or all the new ones, and
    every file its manifest lists reads."""
    template = _baseline(tmp_path / "template")
    full_log = tmp_path / "full.log"
    work = tmp_path / "run-all"
    shutil.copytree(template.path, work)
    assert _run_child(work, 0, full_log, subprocess_env) == 0
    points = len(full_log.read_text().splitlines())
    assert points >= 10
    outcomes = []
    for kill_at in range(1, points + 1):
        root = tmp_path / f"run-{kill_at}"
        shutil.copytree(template.path, root)
        assert _run_child(root, kill_at, tmp_path / f"{kill_at}.log", subprocess_env) == -9
        store = Store(root)
        outcomes.append(_every_listed_file_reads(store))
        with store.writer():  # recovery removes what the killed commit left
            pass
        listed = {rel for files in store.manifest()["files"].values() for rel in files}
        assert {p.relative_to(root).as_posix() for p in root.rglob("*.parquet")} == listed
        assert not any((root / "staging").rglob("*"))
    assert set(outcomes) == {2, 5} and outcomes[-1] == 5  # killed after the manifest replace: committed
    assert outcomes == sorted(outcomes)  # nothing visible before the one replace that publishes


def test_a_failed_commit_removes_its_files_and_says_the_disk_is_full(store: Store, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest write is where a full disk bites last: the data files are already moved into place,
    and the abort must take them away again (the real full disk is in tests/cli/test_ingest_faults.py)."""
    import errno

    with store.writer() as w, w.transaction() as txn:
        txn.add_posts(_posts(["a"]))
    before = store.manifest()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with store.writer() as w:
        monkeypatch.setattr(store, "_write_manifest", full)
        with pytest.raises(StoreFull, match=f"no space left on device at {store.path}"), w.transaction() as txn:
            txn.add_posts(_posts(["b"], month=9))
        monkeypatch.undo()
        assert store.manifest() == before
        listed = {rel for files in before["files"].values() for rel in files}
        assert {p.relative_to(store.path).as_posix() for p in store.path.rglob("*.parquet")} == listed
        assert not any((store.path / "staging").rglob("*"))
        assert not list(store.path.glob(".manifest.json.*"))
        with w.transaction() as txn:  # the writer goes on
            txn.add_posts(_posts(["b"], month=9))
    assert sorted(store.scan_posts().collect()["post_id"]) == ["a", "b"]


def test_quarantine_is_deduplicated_on_source_hash_line_and_raw(store: Store) -> None:
    with store.writer() as w:
        with w.transaction() as txn:
            assert txn.add_quarantine(_quarantine([1, 2])) == 2
            assert txn.add_quarantine(_quarantine([2, 3])) == 1  # line 2 already staged here
        with w.transaction() as txn:
            assert txn.add_quarantine(_quarantine([1, 2, 3, 3])) == 0  # all committed before
            assert txn.add_quarantine(_quarantine([1], sha="other")) == 1  # another source's line 1
    rows = store.scan_quarantine().collect()
    assert sorted(zip(rows["source_sha256"], rows["source_line"], strict=True)) == [
        ("abc", 1), ("abc", 2), ("abc", 3), ("other", 1)]
