"""Cluster addresses, the SLURM settings file, the shared-store check and the progress line."""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

import pytest

from dtrack.data.cluster import (
    ClusterAddress,
    ClusterError,
    Progress,
    _answer_probe,
    check_shared,
    default_local_workers,
    parse_address,
    resolve,
    slurm_settings,
)

SLURM_EXAMPLE = """\
jobs: 10
cores: 32
processes: 32
memory: 64GB
walltime: "04:00:00"
queue: normal
account: my-project
job_extra_directives: ["--constraint=cpu"]
"""


@pytest.mark.parametrize(("text", "expected"), [
    ("tcp://127.0.0.1:8786", ClusterAddress("tcp", "tcp://127.0.0.1:8786")),
    ("  tcp://head-node:8786 ", ClusterAddress("tcp", "tcp://head-node:8786")),
    ("tls://head:8786", ClusterAddress("tcp", "tls://head:8786")),
    ("local:3", ClusterAddress("local", workers=3)),
    ("local", ClusterAddress("local", workers=default_local_workers())),
    ("slurm:cluster.yaml", ClusterAddress("slurm", "cluster.yaml")),
])
def test_addresses(text: str, expected: ClusterAddress) -> None:
    assert parse_address(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("tcp:/oops", "is not a cluster address: use tcp://HOST:PORT"),
    ("tcp://", "is not a cluster address"),
    ("127.0.0.1:8786", "is not a cluster address"),
    ("local:0", "local:N needs a positive number"),
    ("local:two", "local:N needs a positive number"),
    ("slurm:", "is not a cluster address"),
    ("pbs:x.yaml", "slurm:CONFIG.yaml"),
])
def test_bad_addresses_say_what_the_forms_are(text: str, message: str) -> None:
    with pytest.raises(ClusterError, match=re.escape(message)):
        parse_address(text)


def test_the_option_wins_over_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTRACK_CLUSTER", "local:2")
    assert resolve(None) == "local:2"
    assert resolve("tcp://h:1") == "tcp://h:1"
    monkeypatch.setenv("DTRACK_CLUSTER", " ")
    assert resolve(None) is None
    monkeypatch.delenv("DTRACK_CLUSTER")
    assert resolve(None) is None


def test_slurm_settings_from_the_documented_example(tmp_path: Path) -> None:
    path = tmp_path / "slurm.yaml"
    path.write_text(SLURM_EXAMPLE)
    settings, jobs = slurm_settings(path)
    assert jobs == 10
    assert settings == {"cores": 32, "processes": 32, "memory": "64GB", "walltime": "04:00:00", "queue": "normal",
                        "account": "my-project", "job_extra_directives": ["--constraint=cpu"]}
    path.write_text("cores: 8\nmemory: 16GB\n")
    assert slurm_settings(path) == ({"cores": 8, "memory": "16GB", "processes": 8}, 1)  # one process a core


def test_the_settings_make_the_job_script_a_cluster_expects(tmp_path: Path) -> None:
    """dask-jobqueue's real SLURMCluster writes the sbatch script from the settings (nothing is submitted)."""
    jobqueue = pytest.importorskip("dask_jobqueue")
    path = tmp_path / "slurm.yaml"
    path.write_text(SLURM_EXAMPLE)
    settings, _ = slurm_settings(path)
    with jobqueue.SLURMCluster(**settings, scheduler_options={"dashboard_address": ":0"}) as cluster:
        script = cluster.job_script()
    for line in ("#SBATCH -p normal", "#SBATCH -A my-project", "#SBATCH --cpus-per-task=32", "#SBATCH -t 04:00:00",
                 "#SBATCH --constraint=cpu", "--nworkers 32", "--nthreads 1"):
        assert line in script, line


@pytest.mark.parametrize(("text", "message"), [
    ("cores: 8\nmemroy: 16GB\n", "unknown setting 'memroy' (did you mean 'memory'?)"),
    ("memory: 16GB\n", "'cores' is required"),
    ("cores: 8\nmemory: 16GB\njobs: 0\n", "jobs must be a positive whole number"),
    ("- cores\n", "expected a mapping"),
    ("cores: [8\n", "not a readable YAML file"),
])
def test_bad_slurm_settings_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "slurm.yaml"
    path.write_text(text)
    with pytest.raises(ClusterError, match=re.escape(message)):
        slurm_settings(path)
    with pytest.raises(ClusterError, match="no such file"):
        slurm_settings(tmp_path / "absent.yaml")


def test_every_worker_proves_it_sees_the_store(dask_client, tmp_path: Path) -> None:
    staging = tmp_path / "store" / "staging" / "cluster-x"
    check_shared(dask_client, staging)
    assert staging.is_dir() and not list(staging.iterdir())  # probe and answers cleaned up


def test_a_worker_that_cannot_see_the_probe_names_its_host(tmp_path: Path) -> None:
    message = _answer_probe(str(tmp_path / "elsewhere" / "probe-1"))
    assert message.startswith(f"{socket.gethostname()}: cannot read {tmp_path / 'elsewhere' / 'probe-1'}")
    probe = tmp_path / "probe-2"
    probe.write_text("token")
    assert _answer_probe(str(probe)) == ""
    (answer,) = tmp_path.glob(f"probe-2.{os.getpid()}.*.answer")
    assert answer.read_text() == "token"


def test_progress_counts_tasks_and_posts() -> None:
    lines: list[str] = []
    progress = Progress("ingest", write=lines.append, every=0)
    progress.add(3)
    progress.step(1000)
    progress.step(0)
    progress.add(1)
    progress.step(500)
    progress.step(0)
    progress.close()
    assert re.fullmatch(r"ingest: 1/3 tasks, 1,000 posts, [\d,]+ posts/s", lines[0])
    assert re.fullmatch(r"ingest: 4/4 tasks, 1,500 posts, [\d,]+ posts/s", lines[-1])
    assert len(lines) == len(set(lines))  # close() does not repeat the last line


def test_the_dashboard_address_answers(dask_client) -> None:
    import urllib.request

    from dtrack.data.cluster import dashboard

    link = dashboard(dask_client)
    assert link and link.endswith("/status")
    with urllib.request.urlopen(link, timeout=60) as page:
        assert page.status == 200 and b"Dask" in page.read()
