"""The Done-when test of the cluster issue, with real `dask scheduler` and `dask worker` processes:
`dtrack ingest --cluster tcp://...` then `dtrack tag --cluster ...` give the same `dtrack status`, the same
`dtrack timeline` and the same output of every analysis, byte for byte, as the same commands without it;
so does `dtrack discover --cluster ...`, whose workers count the candidate words."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the cluster extra: pip install 'dtrack[cluster]'")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "analysis"))
from story import generate_story  # noqa: E402

#: Every analysis, as a researcher would call it (the story corpus has these terms and days).
ANALYSES = [
    ["timeline", "無断学習", "--freq", "day"],
    ["timeline", "無断学習", "mimic", "--freq", "week", "--context", "ai", "--from", "2022-08-01"],
    ["emergence"],
    ["events", "無断学習", "--window", "3"],
    ["posts", "無断学習", "--date", "2022-08-29", "--context", "ai"],
    ["xcorr", "mimic", "無断学習", "--max-lag", "5"],
    ["kwic", "無断学習", "--format", "csv", "--limit", "0"],
]
DASK = [sys.executable, "-c", "import sys; from dask.cli import run_cli; sys.argv[0] = 'dask'; run_cli()"]


def _dtrack(env: dict, *args: str, ok: tuple[int, ...] = (0, 3)) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "dtrack", *args], env=env, capture_output=True, text=True,
                         timeout=600)
    assert res.returncode in ok, res.stderr
    return res


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory):
    """`dask scheduler` and `dask worker --nworkers 2` as separate processes, as a user starts them."""
    folder = tmp_path_factory.mktemp("dask")
    info = folder / "scheduler.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = [subprocess.Popen([*DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                 "--dashboard-address", ":0", "--scheduler-file", str(info)],
                                cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 120
        while not info.exists() or not info.read_text().strip():
            assert time.monotonic() < deadline, "dask scheduler did not start"
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        started.append(subprocess.Popen([*DASK, "worker", address, "--nworkers", "2", "--nthreads", "1"],
                                        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield address
    finally:
        for proc in reversed(started):
            proc.terminate()
        for proc in reversed(started):
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.slow
def test_ingest_and_tag_on_a_dask_scheduler_match_the_local_commands(scheduler: str, tmp_path: Path,
                                                                     subprocess_env: dict) -> None:
    assert re.fullmatch(r"tcp://127\.0\.0\.1:\d+", scheduler)
    inputs = tmp_path / "in"
    inputs.mkdir()
    generate_story(background=0.02).write_ndjson(inputs / "story.ndjson")
    files = [str(inputs / "story.ndjson"), *sorted(str(p) for p in (ROOT / "data" / "samples").iterdir())]
    local, remote = tmp_path / "local", tmp_path / "remote"
    _dtrack(subprocess_env, "ingest", "--no-tag", "--store", str(local), *files)
    _dtrack(subprocess_env, "tag", "--store", str(local))
    ingest = _dtrack(subprocess_env, "ingest", "--no-tag", "--cluster", scheduler, "--store", str(remote), *files)
    assert f"cluster: {scheduler}, 2 worker(s)" in ingest.stderr
    assert re.search(r"ingest: (\d+)/\1 tasks, [\d,]+ posts, [\d,]+ posts/s", ingest.stderr)
    tag = _dtrack(subprocess_env, "tag", "--cluster", scheduler, "--store", str(remote))
    assert "tagging: tagged" in tag.stdout

    def status(store: Path) -> str:
        out = _dtrack(subprocess_env, "status", "--store", str(store)).stdout
        return re.sub(r"^store .*\(version \w+-(\d+)\)", r"store (version \1)", out)

    assert status(remote) == status(local)
    assert "hits" in status(local) and "version 2" in status(local)  # 8 sources in one group, one tagging commit
    for argv in ANALYSES:
        want = _in_process(*argv, "--store", str(local))
        assert want.count(b"\n") > 1, argv
        assert _in_process(*argv, "--store", str(remote)) == want, argv
    # discover counts the candidate words first: on the workers with --cluster, here without
    rising = ["discover", "--freq", "week", "--from", "2022-08-01", "--to", "2022-10-31", "--include-known"]
    want = _dtrack(subprocess_env, *rising, "--store", str(local)).stdout
    got = _dtrack(subprocess_env, *rising, "--cluster", scheduler, "--store", str(remote))
    assert f"cluster: {scheduler}, 2 worker(s)" in got.stderr
    assert re.search(r"discover: (\d+)/\1 tasks, [\d,]+ posts, [\d,]+ posts/s", got.stderr)
    assert "candidate words: counted" in got.stderr
    assert want.count("\n") > 10 and got.stdout == want
    from dtrack.data.store import Store

    words = [Store(s).scan_words().collect().sort("platform", "post_id", "word") for s in (local, remote)]
    assert words[0].height > 1000 and words[1].equals(words[0])


def _in_process(*args: str) -> bytes:
    """An analysis command's output, run in this process (the stores were built by real commands)."""
    from click.testing import CliRunner

    from dtrack.cli.main import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.slow
def test_ingest_then_tag_in_one_command_on_the_cluster(scheduler: str, tmp_path: Path, subprocess_env: dict) -> None:
    samples = str(ROOT / "data" / "samples")
    _dtrack(subprocess_env, "ingest", "--store", str(tmp_path / "local"), samples)
    env = dict(subprocess_env, DTRACK_CLUSTER=scheduler)  # the variable stands for --cluster
    res = _dtrack(env, "ingest", "--store", str(tmp_path / "remote"), samples)
    assert "tag: " in res.stderr and "tagging: tagged" in res.stderr
    for argv in (["status"], ["timeline", "無断学習", "--freq", "month"]):
        a = _dtrack(subprocess_env, *argv, "--store", str(tmp_path / "local")).stdout
        b = _dtrack(subprocess_env, *argv, "--store", str(tmp_path / "remote")).stdout
        assert a.splitlines()[1:] == b.splitlines()[1:]


def test_a_bad_cluster_address_is_a_usage_error(tmp_path: Path, subprocess_env: dict) -> None:
    res = _dtrack(subprocess_env, "tag", "--cluster", "tcp:/oops", "--store", str(tmp_path / "s"), ok=(2,))
    assert "is not a cluster address: use tcp://HOST:PORT" in res.stderr
    env = dict(subprocess_env, DTRACK_CLUSTER="local:zero")
    res = _dtrack(env, "ingest", str(ROOT / "data" / "samples"), "--store", str(tmp_path / "s"), ok=(2,))
    assert "local:N needs a positive number" in res.stderr
    assert not (tmp_path / "s" / "manifest.json").exists()


@pytest.mark.parametrize("argv", [["ingest", str(ROOT / "data" / "samples")], ["discover"]])
def test_without_the_extra_cluster_says_what_to_install(argv: list[str], tmp_path: Path,
                                                        subprocess_env: dict) -> None:
    code = ("import sys; sys.modules['distributed'] = None; sys.argv = ['dtrack'] + sys.argv[1:]; "
            "from dtrack.cli.main import main; main()")
    store = tmp_path / "s"
    if argv[0] == "discover":  # a store with posts to count
        _dtrack(subprocess_env, "ingest", "--no-tag", "--store", str(store), str(ROOT / "data" / "samples"))
    res = subprocess.run([sys.executable, "-c", code, argv[0], "--cluster", "local:2", "--store", str(store),
                          *argv[1:]], env=subprocess_env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    assert "pip install 'dtrack[cluster]'" in res.stderr


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path, subprocess_env: dict) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(subprocess_env, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="3s")
    res = _dtrack(env, "tag", "--cluster", f"tcp://127.0.0.1:{port}", "--store", str(tmp_path / "s"), ok=(1,))
    assert f"no Dask scheduler answers at tcp://127.0.0.1:{port}" in res.stderr
