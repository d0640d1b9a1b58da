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


def run_dtrack_args() -> list[str]:
    """argv prefix that runs this checkout's CLI in a child process."""
    return [sys.executable, "-m", "dtrack"]


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
