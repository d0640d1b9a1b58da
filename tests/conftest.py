"""Fixtures shared by every test package: a fresh store in tmp_path, the one ingest helper,
the real export samples, and the fixed hypothesis profile."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from dtrack.data.store import Store

ROOT = Path(__file__).resolve().parent.parent

# One hypothesis profile, always loaded: examples derived from each test (no random seed), a
# fixed number of them and no deadline (the machine may be busy), so no run fails by chance.
# Tests that want fewer or more examples still say so with @settings(max_examples=...).
settings.register_profile("dtrack", derandomize=True, max_examples=100, deadline=None, print_blob=True)
settings.load_profile("dtrack")


def _shared_samples() -> Path:
    """../shared/samples next to the checkout (CI), or next to a worktree's parent
    (wt/NAME); ``DTRACK_SAMPLES`` names another folder."""
    if os.environ.get("DTRACK_SAMPLES"):
        return Path(os.environ["DTRACK_SAMPLES"])
    candidates = [ROOT.parent / "shared" / "samples", ROOT.parent.parent / "shared" / "samples"]
    return next((c for c in candidates if c.is_dir()), candidates[0])


#: The real export samples the conformance tests read.
SHARED_SAMPLES = _shared_samples()


def require_shared_samples() -> list[pytest.MarkDecorator]:
    """Marks (a ``pytestmark`` list) for tests that need ../shared/samples: none when they are there,
    a skip on a developer's machine without them, a loud failure under CI (``CI`` set), where their
    absence is a broken setup."""
    if SHARED_SAMPLES.is_dir():
        return []
    if os.environ.get("CI"):
        return [pytest.mark.usefixtures("shared_samples_missing")]
    return [pytest.mark.skip(reason=f"{SHARED_SAMPLES} is not present (set DTRACK_SAMPLES)")]


@pytest.fixture
def shared_samples_missing() -> None:
    """Fails the test: under CI the conformance tests must run, never skip."""
    pytest.fail(f"CI is set but the real export samples are missing: {SHARED_SAMPLES} (the conformance tests "
                "must run in CI; set DTRACK_SAMPLES if they live elsewhere)")


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


@pytest.fixture
def ingest() -> Callable[..., Any]:
    """The one way tests ingest a file: ``ingest(store, path, fmt=None, force=False, ctx=None, **ctx_fields)``
    runs the real ingest loop in one write transaction and returns the source's IngestReport
    (``ctx_fields`` build a ParseContext, e.g. ``tz=ZoneInfo("UTC")``)."""
    from dtrack.collectors.pipeline.ingest import ingest_source
    from dtrack.collectors.records import ParseContext

    def run(store: Store, path: Path, *, fmt: str | None = None, force: bool = False,
            ctx: ParseContext | None = None, **ctx_fields: Any) -> Any:
        if ctx_fields:
            ctx = ParseContext(**ctx_fields)
        with store.writer(purpose="test") as writer:
            return ingest_source(writer, Path(path), fmt=fmt, ctx=ctx, force=force)

    return run


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


@contextmanager
def cluster_with_a_victim() -> Iterator[tuple[Any, Callable[[str], None], list[int]]]:
    """A LocalCluster of two worker processes of its own (the test kills one), a client, a progress writer that
    SIGKILLs the first worker process the first time it is called (as soon as the first task is done), and
    the list of killed process ids."""
    distributed = pytest.importorskip("distributed", reason="the cluster extra: pip install 'dtrack[cluster]'")
    import logging
    import signal

    killed: list[int] = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as cluster, distributed.Client(cluster) as client:
        pids = client.run(os.getpid)

        def kill_once(line: str) -> None:
            if not killed:
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        yield client, kill_once, killed


def drop_caps_prefix() -> list[str] | None:
    """argv prefix that makes a root child process obey file permissions (root ignores chmod 000), or None
    when that cannot be done here (``setpriv`` missing or not allowed)."""
    import shutil
    import subprocess

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = [setpriv, "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "pass"], capture_output=True)
    return prefix if probe.returncode == 0 else None


#: Times a store written before the door check could hold: year 0 in UTC (a naive 0001-01-01 read in Tokyo)
#: and a time that is year 10000 in Tokyo (9999-12-31T20:00Z), as microseconds since the epoch.
POISONED_TIMES_US = (-62_135_629_200_000_000, 253_402_286_400_000_000)


def build_poisoned_store(path: Path) -> Store:
    """A store with good posts and, as if written before times were checked, two posts dated year 0 and
    year 10000 (in Tokyo), all tagged: the hits of the bad posts carry the bad times too."""
    import datetime as dt

    import polars as pl

    from dtrack.data.schema import POST_SCHEMA
    from dtrack.nlp.tagger import tag_store

    good = [dt.datetime(2023, 1, d, 3, tzinfo=dt.UTC) for d in (1, 2, 3)]
    times = pl.concat([pl.Series([int(t.timestamp() * 1e6) for t in good]), pl.Series(POISONED_TIMES_US)])
    n = times.len()
    posts = pl.DataFrame({
        "platform": ["generic"] * n,
        "post_id": [f"p{i}" for i in range(n)],
        "created_at": times.cast(pl.Datetime("us")).dt.replace_time_zone("UTC"),
        "author_id": [f"a{i}" for i in range(n)],
        "text": ["無断学習は困る"] * n,
        "is_repost": [False] * n,
        "source_file": ["old.ndjson"] * n,
        "source_sha256": ["0" * 64] * n,
        "source_line": list(range(1, n + 1)),
        "collector": ["ndjson/0"] * n,
    })
    posts = posts.with_columns(pl.lit(None).cast(POST_SCHEMA[c]).alias(c)
                               for c in POST_SCHEMA if c not in posts.columns)
    store = Store(path)
    with store.writer() as writer:
        with writer.transaction() as txn:  # the store's own API takes any time: the door is the ingest loop
            txn.add_posts(posts)
        tag_store(store, writer=writer)
    return store
