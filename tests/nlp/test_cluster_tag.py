"""Tagging on a real Dask LocalCluster (two worker processes) stores exactly the hits a local run stores."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.cluster import Progress
from dtrack.data.store import Store
from dtrack.nlp.cluster import tasks
from dtrack.nlp.tagger import META_KEY, tag_store

pytest.importorskip("distributed", reason="the cluster extra: pip install 'dtrack[cluster]'")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "analysis"))
from story import generate_story  # noqa: E402


def _ingested(folder: Path) -> Store:
    inputs = folder / "in"
    inputs.mkdir(parents=True)
    generate_story(background=0.05).write_ndjson(inputs / "story.ndjson")
    store = Store(folder / "store")
    with store.writer() as writer:
        ingest_paths(writer, [inputs, ROOT / "data" / "samples"])
    return store


def _hits(store: Store) -> pl.DataFrame:
    return store.scan_hits().collect().sort("platform", "post_id", "start", "term")


def test_tasks_cover_every_row_once(tmp_path: Path) -> None:
    store = _ingested(tmp_path)
    files = store.manifest()["files"]["posts"]
    rows = {str((store.path / f).absolute()): pl.scan_parquet(store.path / f).select(pl.len()).collect().item()
            for f in files}
    plan = list(tasks(store, files, size=700))
    assert all(sum(n for _, _, n in task) <= 700 for task in plan)
    assert all(sum(n for _, _, n in task) == 700 for task in plan[:-1])  # small files are packed together
    covered: dict[str, list[tuple[int, int]]] = {}
    for task in plan:
        for path, offset, length in task:
            covered.setdefault(path, []).append((offset, length))
    for path, n in rows.items():
        pieces = covered[path]
        assert pieces[0][0] == 0 and sum(length for _, length in pieces) == n
        assert all(a + la == b for (a, la), (b, _) in itertools.pairwise(pieces))


@pytest.mark.slow
def test_cluster_tagging_stores_the_local_hits(dask_client, tmp_path: Path) -> None:
    local = _ingested(tmp_path / "local")
    local_report = tag_store(local, workers=1)
    remote = _ingested(tmp_path / "remote")
    lines: list[str] = []
    report = tag_store(remote, cluster=dask_client, progress=Progress("tag", write=lines.append, every=0))
    assert report.hits == local_report.hits > 100
    assert (report.posts_tagged, report.candidates) == (local_report.posts_tagged, local_report.candidates)
    assert _hits(remote).equals(_hits(local))
    assert remote.meta(META_KEY)["files"] == remote.manifest()["files"]["posts"]
    assert lines[-1].startswith("tag: ") and f"{report.posts_tagged:,} posts" in lines[-1]
    version = remote.version
    again = tag_store(remote, cluster=dask_client)
    assert again.reason == "up to date" and remote.version == version  # nothing new: no commit
    assert not list((remote.path / "staging").glob("cluster-*"))


@pytest.mark.slow
def test_a_task_that_keeps_killing_its_workers_is_a_cluster_error(tmp_path: Path) -> None:
    """A task whose work kills the worker process every time ends the run with a ClusterError that says
    nothing was stored (the CLI prints it as one line, exit 1), not with Dask's KilledWorker traceback."""
    import logging
    import os
    import signal

    import dask
    import distributed

    from dtrack.data.cluster import ClusterError
    from dtrack.nlp.cluster import map_on_cluster

    store = _ingested(tmp_path)
    files = store.manifest()["files"]["posts"]
    version = store.version

    def kill_my_worker(posts: pl.LazyFrame) -> tuple[pl.DataFrame, dict[str, int]]:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                                     silence_logs=logging.CRITICAL) as cluster, \
            distributed.Client(cluster) as client, \
            pytest.raises(ClusterError, match=r"kept killing its workers.*nothing of this run was stored"):
        list(map_on_cluster(client, store, files, kill_my_worker, ()))
    assert store.version == version
    assert not list((store.path / "staging").glob("cluster-map-*"))
