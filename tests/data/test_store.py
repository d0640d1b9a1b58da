"""The store: dedup, atomic transactions, crash safety, one writer at a time."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.data.schema import POST_SCHEMA
from dtrack.data.store import Store, StoreLocked

FIX = Path(__file__).parent.parent / "collectors" / "fixtures" / "generic"


def _posts(ids: list[str], platform: str = "generic", text: str = "x") -> pl.DataFrame:
    import datetime as dt

    n = len(ids)
    return pl.DataFrame(
        {
            "platform": [platform] * n,
            "post_id": ids,
            "created_at": [dt.datetime(2022, 8, 29, tzinfo=dt.UTC)] * n,
            "text": [text] * n,
            "is_repost": [False] * n,
        }
    ).with_columns(pl.lit(None).alias(c) for c in POST_SCHEMA if c not in
                   ("platform", "post_id", "created_at", "text", "is_repost")).cast(POST_SCHEMA)  # type: ignore[arg-type]


def _write_ndjson(path: Path, start: int, n: int) -> Path:
    with open(path, "w") as fh:
        for i in range(start, start + n):
            fh.write(json.dumps({"id": str(i), "created_at": "2022-08-29T00:00:00Z", "text": f"post {i}"}) + "\n")
    return path


def test_empty_store_reads_as_empty(store: Store) -> None:
    assert store.scan_posts().collect().height == 0
    assert store.scan_hits().collect().schema == pl.Schema(store.scan_hits().collect_schema())
    assert store.version.endswith("-0")


def test_first_copy_wins_and_reingest_changes_nothing(store: Store, tmp_path: Path) -> None:
    a = _write_ndjson(tmp_path / "a.ndjson", 0, 50)
    b = _write_ndjson(tmp_path / "b.ndjson", 25, 50)  # 25 overlap with a
    with store.writer() as w:
        ra = ingest_source(w, a)
        rb = ingest_source(w, b)
    assert (ra.new, ra.duplicate) == (50, 0)
    assert (rb.new, rb.duplicate) == (25, 25)
    posts = store.scan_posts().collect()
    assert posts.height == 75 and posts["post_id"].n_unique() == 75
    # the overlapping posts keep the provenance of the first file
    overlap = posts.filter(pl.col("post_id").cast(pl.Int64).is_between(25, 49))
    assert set(overlap["source_file"]) == {str(a)}
    version = store.version
    with store.writer() as w:
        again = ingest_source(w, b)
        forced = ingest_source(w, a, force=True)
    assert again.status == "skipped"
    assert (forced.new, forced.duplicate) == (0, 50)
    assert store.scan_posts().collect().height == 75
    assert len({s["sha256"] for s in store.sources()}) == 2
    assert store.version == version  # nothing was written


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    with store.writer() as w, w.transaction() as txn:
        txn.add_posts(_posts(["1", "2"]))
    version = store.version
    with pytest.raises(RuntimeError), store.writer() as w, w.transaction() as txn:
        txn.add_posts(_posts(["3", "4"]))
        raise RuntimeError("boom")
    assert store.version == version
    assert sorted(store.scan_posts().collect()["post_id"]) == ["1", "2"]
    assert not (store.path / "staging").exists() or not any((store.path / "staging").iterdir())


def test_a_reader_never_sees_half_a_transaction(store: Store) -> None:
    with store.writer() as w:
        with w.transaction() as txn:
            txn.add_posts(_posts([str(i) for i in range(10)]))
            txn._flush_posts()  # files are written to staging...
            assert store.scan_posts().collect().height == 0  # ...but not visible
            assert list((store.path / "staging").rglob("*.parquet"))
        assert store.scan_posts().collect().height == 10


def test_second_writer_gets_a_clear_message(store: Store, tmp_path: Path, subprocess_env: dict) -> None:
    src = _write_ndjson(tmp_path / "a.ndjson", 0, 5)
    with store.writer(purpose="test holder"):
        with pytest.raises(StoreLocked, match="being written by another process"), Store(store.path).writer():
            pass
        child = subprocess.run(
            [sys.executable, "-m", "dtrack", "ingest", str(src), "--store", str(store.path)],
            env=subprocess_env, capture_output=True, text=True, timeout=60,
        )
        assert child.returncode == 1
        assert "being written by another process" in child.stderr and "test holder" in child.stderr
    with store.writer(wait=1):  # free again
        pass


def test_writer_waits_for_the_lock(store: Store, subprocess_env: dict) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from data.store import Store\n"
         f"with Store({str(store.path)!r}).writer():\n    print('held', flush=True); time.sleep(1.5)"],
        env=subprocess_env, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout and holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    with store.writer(wait=20):
        waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert 0.3 < waited < 20


def _staged(staging: Path) -> list[Path]:
    """Staged files, read while the writer may be creating and removing the folders under it."""
    try:
        return list(staging.rglob("*.parquet"))
    except FileNotFoundError:  # a folder went away between listing and descending
        return []


def test_killed_mid_ingest_leaves_store_unchanged(store: Store, tmp_path: Path, subprocess_env: dict) -> None:
    first = _write_ndjson(tmp_path / "first.ndjson", 0, 100)
    with store.writer() as w:
        ingest_source(w, first)
    before = (store.version, store.scan_posts().collect().height, store.sources())
    big = _write_ndjson(tmp_path / "big.ndjson", 1000, 400_000)
    # small batches so the child writes staged files early, then gets SIGKILL
    script = (
        "import dtrack.collectors.pipeline.ingest as ing, dtrack.data.store as st, sys\n"
        "ing.BATCH_ROWS = 2000; st.STAGE_ROWS = 2000\n"
        "import dtrack.collectors.formats.ndjson as c; c.CHUNK_BYTES = 100_000\n"
        "from pathlib import Path\n"
        f"with st.Store({str(store.path)!r}).writer() as w:\n"
        f"    ing.ingest_source(w, Path({str(big)!r}))\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], env=subprocess_env)
    deadline = time.monotonic() + 60
    staging = store.path / "staging"
    while time.monotonic() < deadline and not _staged(staging):
        time.sleep(0.02)
    assert _staged(staging), "the child never staged a file"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert (store.version, store.scan_posts().collect().height, store.sources()) == before
    with store.writer() as w:  # the next writer cleans up and completes
        report = ingest_source(w, big)
    assert report.new == 400_000
    assert store.scan_posts().collect().height == 400_100
    assert not list(staging.rglob("*.parquet"))
    listed = {p for files in store.manifest()["files"].values() for p in files}
    on_disk = {p.relative_to(store.path).as_posix() for p in store.path.rglob("*.parquet")}
    assert on_disk == listed  # the killed writer's orphans are gone


def test_posts_are_partitioned_by_month(store: Store, tmp_path: Path) -> None:
    with store.writer() as w:
        ingest_source(w, FIX / "naive_jst.ndjson")
    months = sorted(p.parent.name for p in (store.path / "posts").rglob("*.parquet"))
    assert months == ["month=2022-08"]
    assert store.scan_posts().collect().schema == pl.Schema(POST_SCHEMA)


def test_newer_store_format_is_refused(store: Store) -> None:
    store.path.mkdir(parents=True)
    (store.path / "manifest.json").write_text(json.dumps({"format": 99}))
    with pytest.raises(Exception, match="newer dtrack"):
        store.manifest()


def test_duplicates_within_a_batch_and_across_batches_of_one_source(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dtrack.collectors.pipeline.ingest as ingest_module

    monkeypatch.setattr(ingest_module, "BATCH_ROWS", 4)
    src = tmp_path / "repeats.ndjson"
    ids = ["a", "b", "a", "c", "d", "b", "e", "a", "f", "c"]  # 6 distinct keys, repeats near and far
    src.write_text("".join(json.dumps({"id": i, "created_at": "2022-08-29T00:00:00Z", "text": f"{i}{n}"}) + "\n"
                           for n, i in enumerate(ids)))
    with store.writer() as w:
        with w.transaction() as txn:  # rows given in several add_posts calls of one transaction
            assert txn.add_posts(_posts(["a", "b", "a"])) == (2, 1)
            assert txn.add_posts(_posts(["b", "c"])) == (1, 1)
        report = ingest_source(w, src)
    assert (report.read, report.new, report.duplicate) == (10, 3, 7)
    posts = store.scan_posts().collect()
    assert sorted(posts["post_id"]) == ["a", "b", "c", "d", "e", "f"]
    # the first copy wins: "d" came from the file's fifth line
    assert posts.filter(pl.col("post_id") == "d")["source_line"].item() == 5


def test_duplicates_of_posts_already_written_to_staging(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import dtrack.data.store as store_module

    monkeypatch.setattr(store_module, "STAGE_ROWS", 3)  # every add_posts writes its rows out at once
    with store.writer() as w, w.transaction() as txn:
        assert txn.add_posts(_posts([str(i) for i in range(6)])) == (6, 0)
        assert txn._flushes == 1 and not txn._pending_posts  # handed to staging, not kept in memory
        assert txn.add_posts(_posts(["4", "5", "6", "7"])) == (2, 2)
        assert txn.add_posts(_posts(["7", "8"])) == (1, 1)
    assert sorted(store.scan_posts().collect()["post_id"], key=int) == [str(i) for i in range(9)]


def test_hash_hits_are_checked_against_the_stored_keys_of_the_same_hash(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dedup index is 64-bit hashes; a hit is checked exactly against the stored keys with that
    hash. With a hash of a few values (every key collides with many others) the result must be the
    set semantics of (platform, post_id): the first copy stored wins, nothing else is dropped."""
    import random

    import numpy as np

    import dtrack.data.store as store_module

    def weak(keys: pl.DataFrame) -> np.ndarray:
        return (keys.select(pl.col("post_id").str.len_bytes() % 3 + pl.col("platform").str.len_bytes())
                .to_series().cast(pl.UInt64).to_numpy())

    monkeypatch.setattr(store_module, "key_hashes", weak)
    rng = random.Random(7)
    seen: dict[tuple[str, str], str] = {}
    with store.writer() as w:
        for commit in range(4):
            with w.transaction() as txn:
                for batch in range(3):
                    platform = rng.choice(["generic", "x"])
                    ids = [str(rng.randrange(200)) for _ in range(rng.randrange(1, 40))]
                    text = f"{commit}-{batch}"
                    new = [i for i in dict.fromkeys(ids) if (platform, i) not in seen]
                    assert txn.add_posts(_posts(ids, platform, text)) == (len(new), len(ids) - len(new))
                    seen.update({(platform, i): text for i in new})
    posts = store.scan_posts().collect()
    assert {(p, i): t for p, i, t in posts.select("platform", "post_id", "text").iter_rows()} == seen
    assert posts.height == len(seen)


def test_the_dedup_index_after_commits_is_the_index_a_new_writer_loads(store: Store) -> None:
    """Hashes a commit adds join the sorted index when it is next used (not at the commit): after
    several commits, with and without a probe between them, it is exactly what a fresh writer reads."""
    import numpy as np

    from dtrack.data.schema import POST_KEY
    from dtrack.data.store import key_hashes

    with store.writer() as w:
        for first in (0, 30, 60):
            with w.transaction() as txn:
                txn.add_posts(_posts([str(i) for i in range(first, first + 40)]))  # 10 repeat the last commit
        with w.transaction() as txn:
            txn.add_posts(_posts(["x"], platform="x"))
        with w.transaction() as txn:
            assert txn.add_posts(_posts(["5", "69", "99", "100"])) == (1, 3)
        index = w.hashes().copy()
    every = np.sort(key_hashes(store.scan_posts().select(POST_KEY).collect()))
    assert np.array_equal(index, every) and every.size == 102
    with store.writer() as fresh:
        assert np.array_equal(fresh.hashes(), every)


def _as_format_1(store: Store) -> dict:
    """Rewrite a store the way dtrack wrote it before the logs: files and sources inside manifest.json."""
    import shutil

    manifest = store.manifest()
    old = {k: v for k, v in manifest.items() if k != "logs"}
    old["format"] = 1
    (store.path / "manifest.json").write_text(json.dumps(old))
    shutil.rmtree(store.path / "log")
    return old


def test_a_format_1_store_opens_and_its_first_commit_converts_it(store: Store, tmp_path: Path) -> None:
    with store.writer() as w:
        ingest_source(w, _write_ndjson(tmp_path / "a.ndjson", 0, 20))
        ingest_source(w, _write_ndjson(tmp_path / "b.ndjson", 20, 5))
    old = _as_format_1(store)
    reopened = Store(store.path)
    assert reopened.sources() == old["sources"] and reopened.manifest()["files"] == old["files"]
    assert reopened.scan_posts().collect().height == 25
    assert reopened.find_source(old["sources"][1]["sha256"]) == old["sources"][1]
    with reopened.writer() as w:
        ingest_source(w, _write_ndjson(tmp_path / "c.ndjson", 25, 5))
    raw = json.loads((store.path / "manifest.json").read_text())
    assert raw["format"] == 2 and "sources" not in raw and "files" not in raw
    assert reopened.sources()[:2] == old["sources"] and len(reopened.sources()) == 3
    assert set(old["files"]["posts"]) < set(reopened.manifest()["files"]["posts"])
    assert reopened.scan_posts().collect().height == 30


def test_log_bytes_past_the_committed_length_are_invisible_and_cut(store: Store, tmp_path: Path) -> None:
    with store.writer() as w:
        ingest_source(w, _write_ndjson(tmp_path / "a.ndjson", 0, 5))
    before = (store.sources(), store.manifest()["files"])
    raw = json.loads((store.path / "manifest.json").read_text())
    # what a writer killed between appending and publishing leaves behind
    for ref in raw["logs"].values():
        with open(store.path / ref["name"], "ab") as fh:
            fh.write(b'{"add": ["posts/month=2099-01/ghost.parquet"], "sha256": "ghost", "pa')
    assert (Store(store.path).sources(), Store(store.path).manifest()["files"]) == before
    with store.writer() as w:  # the next writer cuts the tail, then appends after the committed bytes
        ingest_source(w, _write_ndjson(tmp_path / "b.ndjson", 5, 5))
    fresh = Store(store.path)
    assert len(fresh.sources()) == 2 and fresh.find_source("ghost") is None
    assert fresh.scan_posts().collect().height == 10
