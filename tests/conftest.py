"""Fixtures shared by every test package: a fresh store in tmp_path, paths to fixtures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dtrack.data.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty store in the test's tmp dir."""
    return Store(tmp_path / "store")


@pytest.fixture
def subprocess_env() -> dict[str, str]:
    """Environment for child processes that import this checkout (not an installed copy)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("DTRACK_STORE", None)
    return env


def run_dtrack_args() -> list[str]:
    """argv prefix that runs this checkout's CLI in a child process."""
    return [sys.executable, "-m", "dtrack"]


@pytest.fixture(scope="session")
def dask_client():
    """A real Dask LocalCluster of two worker processes (one thread each), shared by the cluster tests."""
    distributed = pytest.importorskip("distributed", reason="the cluster extra: pip install 'dtrack[cluster]'")
    import logging

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=logging.ERROR)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()
