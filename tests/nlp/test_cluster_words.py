"""Discover's candidate-word counting on a real Dask LocalCluster (two worker processes) stores exactly the
rows a local count stores, incrementally, and survives a worker killed mid-run."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dtrack.data.cluster import Progress
from dtrack.data.store import Store
from dtrack.nlp.words import META_KEY, count_store
from tests.analysis.story import burst_posts
from tests.conftest import cluster_with_a_victim

pytest.importorskip("distributed", reason="the cluster extra: pip install 'dtrack[cluster]'")

#: Posts per task: small, so that 270 posts in several month files make many tasks across file slices.
TASK = 40


def _posts() -> pl.DataFrame:
    return burst_posts("画像生成AIの無断学習はやめて #mimic ステーブルディフュージョン")


def _store(folder: Path, posts: pl.DataFrame) -> Store:
    store = Store(folder)
    with store.writer() as writer, writer.transaction() as txn:
        txn.add_posts(posts)
    return store


def _add(store: Store, posts: pl.DataFrame) -> None:
    with store.writer() as writer, writer.transaction() as txn:
        txn.add_posts(posts)


def _words(store: Store) -> pl.DataFrame:
    """The stored rows, in key order (the order of a store's month files is the order their writes ended)."""
    return store.scan_words().collect().sort("platform", "post_id", "word")


def _report(report) -> dict:
    out = report.as_dict()
    out.pop("seconds")
    return out


def _state(store: Store) -> dict:
    """The counting state, its file list checked against the store's own post files (their names differ)."""
    state = dict(store.meta(META_KEY))
    state.pop("last_run")
    assert sorted(state.pop("files")) == sorted(store.manifest()["files"]["posts"])
    return state


@pytest.mark.slow
def test_cluster_counting_stores_the_local_rows_incrementally(dask_client, tmp_path: Path) -> None:
    posts = _posts()
    first, rest = posts.head(200), posts.tail(posts.height - 200)  # the burst week comes in a second commit
    local, remote = _store(tmp_path / "local", first), _store(tmp_path / "remote", first)
    assert len(local.manifest()["files"]["posts"]) > 1  # several month files: tasks cut across them
    lines: list[str] = []
    for step in ("first count", "new posts"):
        want = count_store(local, workers=1)
        got = count_store(remote, cluster=dask_client, task_posts=TASK,
                          progress=Progress("discover", write=lines.append, every=0))
        assert _report(got) == _report(want) and got.reason == step and got.rows >= got.posts > 0
        assert _words(remote).equals(_words(local))
        assert _state(remote) == _state(local)
        if step == "first count":
            _add(local, rest)
            _add(remote, rest)
    tasks = -(-rest.height // TASK)
    assert lines[-1].startswith(f"discover: {tasks}/{tasks} tasks, {rest.height:,} posts, ")
    assert "ステーブルディフュージョン" in set(_words(remote)["word"])
    version = remote.version
    again = count_store(remote, cluster=dask_client)
    assert again.reason == "up to date" and remote.version == version  # nothing new: no commit
    assert not list((remote.path / "staging").glob("cluster-*"))


@pytest.mark.slow
def test_a_worker_killed_mid_count_changes_nothing(tmp_path: Path) -> None:
    """SIGKILL one worker process as soon as the first task is done: Dask reruns its tasks, and the
    stored rows are complete and exact, committed once."""
    posts = _posts()
    local = _store(tmp_path / "local", posts)
    count_store(local, workers=1)
    remote = _store(tmp_path / "remote", posts)
    version = remote.manifest()["version"]
    with cluster_with_a_victim() as (client, kill_once, killed):
        report = count_store(remote, cluster=client, task_posts=20,
                             progress=Progress("discover", write=kill_once, every=0))
    assert killed
    assert report.posts == posts.height
    assert remote.manifest()["version"] == version + 1  # one commit
    assert _words(remote).equals(_words(local))
    assert _state(remote) == _state(local)
