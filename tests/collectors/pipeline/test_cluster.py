"""Ingest on a real Dask LocalCluster (two worker processes) stores exactly what a local ingest stores."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors.pipeline.cluster import ingest_on_cluster, survey
from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.cluster import Progress
from dtrack.data.store import Store

pytest.importorskip("distributed", reason="the cluster extra: pip install 'dtrack[cluster]'")

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "data" / "samples"
sys.path.insert(0, str(ROOT / "tests" / "analysis"))
from story import generate_story  # noqa: E402

from tests.conftest import cluster_with_a_victim  # noqa: E402

#: Small byte ranges, so that the 400 kB twarc file is read as several tasks.
SPLIT = 50_000
BAD_LINE = 6  # the line of the twarc file that is not JSON


def make_inputs(folder: Path) -> Path:
    """Every sample export, the story corpus (NDJSON), a twarc file with a broken line and repeated
    pages (duplicates inside the file, across its byte ranges), a copy of a sample (skipped: same
    sha256) and a stray file (skipped: not an export)."""
    folder.mkdir(parents=True)
    shutil.copytree(SAMPLES, folder / "samples")
    generate_story(background=0.05).write_ndjson(folder / "story.ndjson")
    lines = (SAMPLES / "twitter-search-2022.jsonl").read_bytes().splitlines(keepends=True)
    broken = [*lines[:BAD_LINE - 1], b'{"data": [{"id": "1", "text": broken\n', *lines[BAD_LINE - 1:], *lines[:3]]
    (folder / "twarc-big.jsonl").write_bytes(b"".join(broken))
    shutil.copy(SAMPLES / "misskey-notes.json", folder / "zz-misskey-copy.json")
    (folder / "notes.txt").write_text("not an export\n")
    return folder


def _report(report) -> dict:
    out = report.as_dict()
    out.pop("seconds")
    out["message"] = re.sub(r"already ingested \S+", "already ingested <time>", out["message"])
    return out


def snapshot(store: Store) -> dict[str, pl.DataFrame | int]:
    """What the store holds, without the times a run stamps (collected_at, quarantined_at, ingested_at)."""
    posts = store.scan_posts().collect().drop("collected_at").sort("platform", "post_id")
    quarantine = store.scan_quarantine().collect().drop("quarantined_at").sort("source_file", "source_line", "raw")
    sources = pl.DataFrame([{k: v for k, v in s.items() if k != "ingested_at"} for s in store.sources()])
    return {"posts": posts, "quarantine": quarantine, "sources": sources, "version": store.manifest()["version"]}


def assert_same(a: dict, b: dict) -> None:
    assert a["version"] == b["version"]  # as many commits: the sources grouped as a local ingest groups them
    for key in ("posts", "quarantine", "sources"):
        assert a[key].equals(b[key]), key


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[dict]]:
    inputs = make_inputs(tmp_path_factory.mktemp("inputs") / "in")
    store = Store(tmp_path_factory.mktemp("local") / "store")
    with store.writer() as writer:
        reports = ingest_paths(writer, [inputs])
    return inputs, snapshot(store), [_report(r) for r in reports]


def test_survey_cuts_on_line_boundaries_and_counts_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"".join(b'{"n": %d, "pad": "%s"}\n' % (i, b"x" * (i % 7)) for i in range(1, 501)))
    _, size, ranges = survey(str(path), 1000)
    assert size == path.stat().st_size and len(ranges) > 5
    data = path.read_bytes()
    assert ranges[0][0] == 0 and ranges[-1][1] == size
    for (start, end, before), nxt in zip(ranges, [*ranges[1:], None], strict=True):
        assert data[end - 1:end] == b"\n"
        assert before == data[:start].count(b"\n")
        first = data[start:end].split(b"\n", 1)[0]
        assert first == b'{"n": %d, "pad": "%s"}' % (before + 1, b"x" * ((before + 1) % 7))
        if nxt is not None:
            assert nxt[0] == end
    assert survey(str(path), None)[2] == [(0, size, 0)]


@pytest.mark.slow
def test_cluster_ingest_stores_what_a_local_ingest_stores(local_run, dask_client, tmp_path: Path) -> None:
    inputs, expected, expected_reports = local_run
    assert len(survey(str(inputs / "twarc-big.jsonl"), SPLIT)[2]) > 4  # read as several byte ranges
    store = Store(tmp_path / "store")
    lines: list[str] = []
    with store.writer() as writer:
        reports = ingest_on_cluster(dask_client, writer, [inputs], split_bytes=SPLIT,
                                    progress=Progress("ingest", write=lines.append, every=0))
    assert [_report(r) for r in reports] == expected_reports
    got = snapshot(store)
    assert_same(got, expected)
    statuses = {Path(r.path).name: r.status for r in reports}
    assert statuses["zz-misskey-copy.json"] == "skipped" and statuses["notes.txt"] == "skipped"
    bad = got["quarantine"].filter(pl.col("source_file").str.ends_with("twarc-big.jsonl"))
    assert bad.get_column("source_line").to_list() == [BAD_LINE]  # the line in the file, not in its range
    twarc = next(r for r in reports if r.path.endswith("twarc-big.jsonl"))
    assert twarc.duplicate > 0 and twarc.quarantined == 1
    assert re.fullmatch(r"ingest: (\d+)/\1 tasks, [\d,]+ posts, [\d,]+ posts/s", lines[-1])
    assert not list((store.path / "staging").glob("cluster-*"))  # the workers' parts are gone


@pytest.mark.slow
def test_source_by_source_on_the_cluster_commits_as_a_local_run_does(local_run, dask_client, tmp_path: Path) -> None:
    inputs, grouped, _ = local_run
    local, remote = Store(tmp_path / "local"), Store(tmp_path / "remote")
    with local.writer() as writer:
        ingest_paths(writer, [inputs], group_sources=False)
    with remote.writer() as writer:
        ingest_on_cluster(dask_client, writer, [inputs], split_bytes=SPLIT, group_sources=False)
    one_by_one = snapshot(local)
    assert one_by_one["version"] > grouped["version"]  # a commit per source read, not one for the group
    assert_same(snapshot(remote), one_by_one)
    for key in ("posts", "quarantine"):
        assert one_by_one[key].equals(grouped[key]), key


def test_a_second_run_changes_nothing(local_run, dask_client, tmp_path: Path) -> None:
    inputs, _, _ = local_run
    store = Store(tmp_path / "store")
    with store.writer() as writer:
        ingest_on_cluster(dask_client, writer, [inputs], split_bytes=SPLIT)
    before = snapshot(store)
    with store.writer() as writer:
        again = ingest_on_cluster(dask_client, writer, [inputs], split_bytes=SPLIT)
    assert {r.status for r in again} == {"skipped"}
    assert_same(snapshot(store), before)


@pytest.mark.slow
def test_a_worker_killed_mid_run_changes_nothing(local_run, tmp_path: Path) -> None:
    """SIGKILL one worker process as soon as the first task is done: Dask reruns its tasks on the
    other worker (and the restarted one), and the store is complete and exact, each source committed once."""
    inputs, expected, expected_reports = local_run
    store = Store(tmp_path / "store")
    with cluster_with_a_victim() as (client, kill_once, killed), store.writer() as writer:
        reports = ingest_on_cluster(client, writer, [inputs], split_bytes=5_000,
                                    progress=Progress("ingest", write=kill_once, every=0))
    assert killed
    assert [_report(r) for r in reports] == expected_reports
    assert_same(snapshot(store), expected)


@pytest.mark.slow
def test_a_watch_job_with_a_cluster_setting_stores_what_a_local_job_stores(tmp_path: Path) -> None:
    from dtrack.collectors.pipeline.watch import WatchConfig, run_watch

    watch = tmp_path / "watch"
    watch.mkdir()
    for name in ("twitter-search-2022.jsonl", "misskey-notes.json", "survey-posts.csv"):
        shutil.copy(SAMPLES / name, watch / name)
    local, remote = Store(tmp_path / "local"), Store(tmp_path / "remote")
    run_local = run_watch(local, WatchConfig(name="j", watch=str(watch), settle=0))
    run_remote = run_watch(remote, WatchConfig(name="j", watch=str(watch), settle=0, cluster="local:2"))
    assert run_remote["status"] == "ok", run_remote["messages"]
    for key in ("files_ingested", "new", "duplicate", "quarantined", "tagged"):
        assert run_remote[key] == run_local[key], key
    assert_same(snapshot(remote), snapshot(local))
    hits = [s.scan_hits().collect().sort("platform", "post_id", "start", "term") for s in (local, remote)]
    assert hits[0].height > 0 and hits[0].equals(hits[1])


def test_a_watch_job_names_a_bad_cluster_address(store: Store, tmp_path: Path) -> None:
    from dtrack.collectors.pipeline.schedule import add_schedule

    with pytest.raises(ValueError, match="not a cluster address"):
        add_schedule(store, "j", tmp_path, every="1h", cluster="slurm")
