"""`dtrack discover` end to end: real store, real fugashi; CSV/JSON columns, sidecar, usage errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dtrack.analysis.discovery import DISCOVERY_COLUMNS
from dtrack.cli.main import main
from dtrack.data.store import Store
from tests.analysis.story import burst_posts

WEEK = dt.date(2022, 8, 29)


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    store = Store(tmp_path / "store")
    with store.writer() as writer, writer.transaction() as txn:
        txn.add_posts(burst_posts("画像生成AIの無断学習はやめて #mimic"))
    return str(store.path)


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["discover", *args], catch_exceptions=False)


def test_csv_counts_first_and_says_so(store_path: str, tmp_path: Path) -> None:
    terms = tmp_path / "t.toml"
    terms.write_text('[[term]]\ncanonical = "無断転載"\ncategory = "rights"\n', encoding="utf-8")
    result = _run("--store", store_path, "--terms", str(terms), "--replace-terms", "--from", "2022-08-29")
    assert result.exit_code == 0, result.output
    assert "candidate words: counted 270 posts" in result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split(",")[: len(DISCOVERY_COLUMNS)] == list(DISCOVERY_COLUMNS)
    words = [line.split(",")[1] for line in lines]
    assert "無断学習" in words and "mimic" in words
    assert all(line.startswith("2022-08-29,") for line in lines)
    again = _run("--store", store_path, "--terms", str(terms), "--replace-terms")
    assert "candidate words" not in again.stderr  # counted once


def test_json_out_with_sidecar_and_known_words(store_path: str, tmp_path: Path) -> None:
    out = tmp_path / "rising.json"
    result = _run("--store", store_path, "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(rows, list) and list(rows[0])[: len(DISCOVERY_COLUMNS)] == list(DISCOVERY_COLUMNS)
    words = {r["word"] for r in rows}
    assert "無断学習" not in words and "mimic" not in words  # the default dictionary knows them
    assert "画像生成ai" not in words and "生成ai" in words  # a dictionary term; a part it does not list
    meta = json.loads(Path(str(out) + ".meta.json").read_text(encoding="utf-8"))
    assert meta["command"] == "discover" and meta["parameters"]["freq"] == "week"
    known = _run("--store", store_path, "--format", "json", "--include-known")
    assert {"無断学習", "mimic"} <= {r["word"] for r in json.loads(known.stdout)}
    row = next(r for r in json.loads(known.stdout) if r["word"] == "mimic")
    assert row["variants"] == ["#mimic"] and row["authors"] == 12 and len(row["example_post_ids"]) == 3


def test_stoplist_min_authors_and_usage_errors(store_path: str, tmp_path: Path) -> None:
    stop = tmp_path / "stop.txt"
    stop.write_text("# noise\n画像生成AI\n", encoding="utf-8")
    result = _run("--store", store_path, "--include-known", "--stoplist", str(stop), "--format", "json")
    assert "画像生成ai" not in {r["word"] for r in json.loads(result.stdout)}
    strict = _run("--store", store_path, "--include-known", "--min-authors", "13", "--format", "json")
    assert json.loads(strict.stdout) == []
    assert _run("--store", store_path, "--freq", "year").exit_code == 2
    assert _run("--store", store_path, "--replace-terms").exit_code == 2
    missing = _run("--store", store_path, "--stoplist", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "nope.txt" in missing.stderr
    backwards = _run("--store", store_path, "--from", "2022-09-01", "--to", "2022-08-01")
    assert backwards.exit_code == 2


@pytest.mark.slow
def test_on_a_cluster_the_same_bytes_and_the_same_stored_words(dask_client, store_path: str, tmp_path: Path) -> None:
    """`--cluster` (and $DTRACK_CLUSTER) on a real LocalCluster(2): the workers count, the output is the
    local command's, byte for byte, and the stored rows are the local ones."""
    import shutil

    address = dask_client.scheduler.address
    stores = {name: str(shutil.copytree(store_path, tmp_path / name)) for name in ("option", "variable")}
    argv = ["--include-known", "--min-authors", "2", "--format", "json"]
    local = _run("--store", store_path, *argv)
    assert local.exit_code == 0 and len(json.loads(local.stdout)) > 2
    remote = _run("--store", stores["option"], "--cluster", address, *argv)
    assert remote.exit_code == 0, remote.output
    assert remote.stdout_bytes == local.stdout_bytes
    assert f"cluster: {address}, 2 worker(s)" in remote.stderr
    assert "discover: 1/1 tasks, 270 posts, " in remote.stderr and "candidate words: counted 270 posts" in remote.stderr
    env = CliRunner().invoke(main, ["discover", "--store", stores["variable"], "--out", str(tmp_path / "r.csv")],
                             env={"DTRACK_CLUSTER": address}, catch_exceptions=False)
    assert env.exit_code == 0 and "discover: 1/1 tasks" in env.stderr
    assert (tmp_path / "r.csv").read_bytes() == _run("--store", store_path).stdout_bytes
    meta = json.loads((tmp_path / "r.csv.meta.json").read_text(encoding="utf-8"))
    assert "cluster" not in meta["parameters"]  # where it ran changes no number
    words = [Store(path).scan_words().collect().sort("post_id", "word") for path in (store_path, *stores.values())]
    assert words[0].height > 270 and all(w.equals(words[0]) for w in words[1:])
    up_to_date = _run("--store", stores["option"], "--cluster", address, *argv)
    assert up_to_date.stdout_bytes == local.stdout_bytes and "cluster:" not in up_to_date.stderr  # nothing to count


@pytest.mark.slow
def test_the_notebook_api_takes_cluster_too(dask_client, store_path: str, tmp_path: Path) -> None:
    import shutil

    import dtrack

    remote = dtrack.open_store(shutil.copytree(store_path, tmp_path / "r"))
    local = dtrack.open_store(store_path).discover(include_known=True)
    assert remote.discover(include_known=True, cluster=dask_client.scheduler.address).equals(local)
    assert remote.notes[0].startswith("candidate words: counted 270 posts")


def test_a_bad_cluster_is_a_usage_error(store_path: str) -> None:
    import dtrack
    from dtrack.analysis.queries import QueryError

    bad = _run("--store", store_path, "--cluster", "tcp:/oops")
    assert bad.exit_code == 2 and "is not a cluster address: use tcp://HOST:PORT" in bad.stderr
    with pytest.raises(QueryError, match="local:N needs a positive number"):
        dtrack.open_store(store_path).discover(cluster="local:0")
    assert Store(store_path).meta("discovery") is None  # nothing was counted


def test_an_unreachable_scheduler_fails_before_counting(store_path: str) -> None:
    import socket

    dask = pytest.importorskip("dask", reason="the cluster extra: pip install 'dtrack[cluster]'")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "3s"}):
        result = _run("--store", store_path, "--cluster", f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 1 and f"no Dask scheduler answers at tcp://127.0.0.1:{port}" in result.stderr
    assert Store(store_path).meta("discovery") is None
