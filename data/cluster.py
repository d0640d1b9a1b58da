"""Where a store's work runs: a Dask cluster, named by one address string.

dtrack does not schedule work across machines itself: it hands tasks to Dask
distributed, which researchers already run on laptops, SSH hosts and SLURM
clusters. The address says which (``--cluster``, ``$DTRACK_CLUSTER``, a
scheduled job's ``cluster`` setting):

* ``tcp://HOST:PORT`` — a running scheduler (``dask scheduler``, ``dask ssh``);
* ``local`` or ``local:N`` — a LocalCluster of N worker processes on this machine;
* ``slurm:CONFIG.yaml`` — a dask-jobqueue SLURMCluster, its jobs described in
  the file (see :func:`slurm_settings` and docs/cluster.md).

What runs where never changes what the store holds: workers only read inputs
and write Parquet parts into a folder under the store's ``staging/``; the
client, holding the store's write lock, commits them through the usual
transaction. So workers must see the store (and the inputs) at the same path,
on a shared file system; :func:`check_shared` proves it before any work is
sent, with a clear error when they do not.

Dask is an optional extra (``pip install 'dtrack[cluster]'``); this module
imports it only inside the functions that need it.
"""

from __future__ import annotations

import difflib
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The variable read when no --cluster is given.
ENV = "DTRACK_CLUSTER"
INSTALL_HINT = "pip install 'dtrack[cluster]'"
#: Seconds to wait for a scheduler to answer, and for workers to arrive.
CONNECT_TIMEOUT = 60
#: Keys a slurm:CONFIG.yaml may hold (dask-jobqueue's SLURMCluster options, plus ``jobs``).
SLURM_KEYS = (
    "jobs", "cores", "memory", "processes", "walltime", "queue", "account", "project", "interface",
    "local_directory", "log_directory", "job_extra_directives", "job_script_prologue", "python",
    "worker_extra_args", "job_cpu", "job_mem", "name", "shebang", "death_timeout",
)
#: Retries of a task whose worker died (Dask moves it to another worker).
RETRIES = 3


class ClusterError(Exception):
    """The cluster cannot be used as asked (bad address, missing extra, store not shared)."""


class MissingExtra(ClusterError):
    """Dask is not installed."""


def cluster_failure(future: Any, stored: str) -> ClusterError | None:
    """The error for a finished task that the cluster failed, not the work (the scheduler lost it, or it
    kept killing its workers), ending with what of the run is ``stored``; None for any other outcome."""
    from distributed import KilledWorker

    if future.status == "cancelled":
        return ClusterError(f"the cluster lost a task (scheduler gone?); {stored}")
    exc = future.exception() if future.status == "error" else None
    if isinstance(exc, KilledWorker):
        return ClusterError(f"a task kept killing its workers ({exc}); {stored}")
    return None


@dataclass(frozen=True)
class ClusterAddress:
    """A parsed --cluster value: ``kind`` is tcp, local or slurm."""

    kind: str
    target: str = ""
    workers: int = 0

    def __str__(self) -> str:
        if self.kind == "local":
            return f"local:{self.workers}"
        return self.target if self.kind == "tcp" else f"slurm:{self.target}"


def resolve(option: str | None) -> str | None:
    """The cluster to use: the option, else ``$DTRACK_CLUSTER``, else None (this process)."""
    value = option if option is not None else os.environ.get(ENV)
    return value.strip() or None if value is not None else None


def parse_address(text: str) -> ClusterAddress:
    """Read a --cluster value; a ClusterError says what the forms are."""
    value = text.strip()
    if value.startswith(("tcp://", "tls://", "ws://", "wss://", "inproc://")):
        if "://" in value and value.split("://", 1)[1]:
            return ClusterAddress("tcp", value)
    elif value == "local":
        return ClusterAddress("local", workers=default_local_workers())
    elif value.startswith("local:"):
        count = value.split(":", 1)[1]
        if count.isdigit() and int(count) > 0:
            return ClusterAddress("local", workers=int(count))
        raise ClusterError(f"--cluster {text!r}: local:N needs a positive number of worker processes")
    elif value.startswith("slurm:") and value[6:]:
        return ClusterAddress("slurm", value[6:])
    raise ClusterError(
        f"--cluster {text!r} is not a cluster address: use tcp://HOST:PORT (a running scheduler), "
        "local or local:N (N worker processes here), or slurm:CONFIG.yaml"
    )


def default_local_workers() -> int:
    """Usable CPUs: one worker process each (tokenising scales with processes)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def require_dask() -> None:
    """Raise MissingExtra, saying what to install, when Dask distributed is absent."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise MissingExtra(f"--cluster needs Dask, which is not installed: {INSTALL_HINT}") from None


def slurm_settings(path: Path) -> tuple[dict[str, Any], int]:
    """(SLURMCluster keyword arguments, number of jobs) from a YAML file.

    Defaults: one worker process per core (``processes = cores``), so each
    process holds one Tagger and tokenises on its own core; one job.
    """
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ClusterError(f"slurm:{path}: no such file") from None
    except (OSError, yaml.YAMLError) as exc:
        raise ClusterError(f"slurm:{path}: not a readable YAML file ({exc})") from None
    if not isinstance(raw, dict):
        raise ClusterError(f"slurm:{path}: expected a mapping of settings (cores: 32, memory: 64GB, ...)")
    for key in raw:
        if key not in SLURM_KEYS:
            close = difflib.get_close_matches(str(key), SLURM_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(SLURM_KEYS)})"
            raise ClusterError(f"slurm:{path}: unknown setting {key!r}{hint}")
    for key in ("cores", "memory"):
        if key not in raw:
            raise ClusterError(f"slurm:{path}: {key!r} is required (cores and memory of one job)")
    settings = dict(raw)
    jobs = settings.pop("jobs", 1)
    if not isinstance(jobs, int) or jobs < 1:
        raise ClusterError(f"slurm:{path}: jobs must be a positive whole number, not {jobs!r}")
    settings.setdefault("processes", settings["cores"])
    return settings, jobs


@contextmanager
def connect(address: str, *, quiet: bool = False) -> Iterator[Any]:
    """A ``distributed.Client`` for ``address``; a cluster started here is stopped on exit."""
    spec = parse_address(address)
    require_dask()
    from distributed import Client, LocalCluster

    cluster: Any = None
    try:
        if spec.kind == "tcp":
            try:  # waits distributed.comm.timeouts.connect (30s; DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT)
                client = Client(spec.target)
            except OSError as exc:
                raise ClusterError(f"no Dask scheduler answers at {spec.target} ({exc})") from None
        elif spec.kind == "local":
            cluster = LocalCluster(n_workers=spec.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.ERROR if quiet else logging.WARNING)
            client = Client(cluster)
        else:
            try:
                from dask_jobqueue import SLURMCluster
            except ImportError:
                raise MissingExtra(f"slurm: needs dask-jobqueue, which is not installed: {INSTALL_HINT}") from None
            settings, jobs = slurm_settings(Path(spec.target))
            cluster = SLURMCluster(**settings)
            cluster.scale(jobs=jobs)
            client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def wait_for_workers(client: Any, timeout: float = CONNECT_TIMEOUT) -> int:
    """Workers connected, after waiting for at least one (a SLURM job may sit in the queue)."""
    deadline = time.monotonic() + timeout
    while True:
        count = len(client.scheduler_info(n_workers=-1).get("workers", {}))
        if count:
            return count
        if time.monotonic() > deadline:
            raise ClusterError(f"no Dask worker joined the scheduler {client.scheduler.address} "
                               f"within {timeout:.0f}s; start workers (`dask worker ADDRESS`)")
        time.sleep(0.5)


def dashboard(client: Any) -> str | None:
    """The Dask dashboard's address, if the scheduler serves one."""
    try:
        return client.dashboard_link or None
    except Exception:  # no bokeh, or a scheduler without the dashboard
        return None


def describe(client: Any) -> str:
    """``cluster: ADDRESS, N worker(s), dashboard URL``, once a worker has joined (what a command prints first)."""
    workers = wait_for_workers(client)
    link = dashboard(client)
    return f"cluster: {client.scheduler.address}, {workers} worker(s)" + (f", dashboard {link}" if link else "")


@contextmanager
def session(address: str, announce: Callable[[str], None] | None = None) -> Iterator[Any]:
    """:func:`connect` quietly, wait for a worker, and hand :func:`describe`'s line to ``announce``
    (default: stderr), so the user can open the dashboard while the work runs."""
    with connect(address, quiet=True) as client:
        line = describe(client)
        if announce is None:
            print(line, file=sys.stderr, flush=True)
        else:
            announce(line)
        yield client


# -- the shared file system ----------------------------------------------------------
def _answer_probe(probe: str) -> str:
    """On a worker: read the client's probe file and write an answer beside it."""
    import socket

    path = Path(probe)
    try:
        token = path.read_text()
    except OSError as exc:
        return f"{socket.gethostname()}: cannot read {path} ({exc.strerror or exc})"
    try:
        (path.parent / f"{path.name}.{os.getpid()}.{uuid.uuid4().hex[:6]}.answer").write_text(token)
    except OSError as exc:
        return f"{socket.gethostname()}: cannot write in {path.parent} ({exc.strerror or exc})"
    return ""


def check_shared(client: Any, folder: Path) -> None:
    """Prove every worker sees ``folder`` as the client does (reads and writes there).

    The client writes a probe file, every worker reads it and writes an
    answer, the client reads the answers back. A worker on a machine where the
    path is another disk (or absent) fails the check with its host name.
    """
    folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    probe = folder.resolve() / f"probe-{token}"
    probe.write_text(token)
    try:
        wait_for_workers(client)
        problems = {w: p for w, p in client.run(_answer_probe, str(probe)).items() if p}
        answers = [f for f in folder.glob(f"probe-{token}.*.answer") if f.read_text() == token]
        if not problems and not answers:
            problems = {"workers": "wrote no answer the client can see"}
        if problems:
            where = "; ".join(f"{worker}: {problem}" for worker, problem in sorted(problems.items()))
            raise ClusterError(
                f"the store {folder.parent.parent} is not shared with the cluster's workers ({where}). "
                "Workers read the inputs and write into the store's staging folder: put the store and "
                "the input files on a file system every worker mounts at the same path (NFS, Lustre, GPFS)"
            )
    finally:
        for f in folder.glob(f"probe-{token}*"):
            f.unlink(missing_ok=True)


# -- progress ------------------------------------------------------------------------
class Progress:
    """Tasks done / total and posts per second, on one stderr line (a new line at most
    every few seconds when stderr is not a terminal)."""

    def __init__(self, label: str, write: Callable[[str], None] | None = None, every: float = 1.0) -> None:
        self.label = label
        self.total = 0
        self.done = 0
        self.posts = 0
        self.started = time.perf_counter()
        self._last = 0.0
        self._tty = sys.stderr.isatty()
        self._every = every if self._tty else max(every, 5.0)
        self._write = write or self._stderr
        self._shown = ""

    def _stderr(self, line: str) -> None:
        end = "" if self._tty else "\n"
        print(("\r" if self._tty else "") + line, end=end, file=sys.stderr, flush=True)

    def add(self, tasks: int) -> None:
        self.total += tasks

    def step(self, posts: int = 0) -> None:
        self.done += 1
        self.posts += posts
        now = time.perf_counter()
        if now - self._last >= self._every:
            self._last = now
            self._show()

    def _show(self) -> None:
        line = self.line()
        if line != self._shown:
            self._write(line)
            self._shown = line

    def line(self) -> str:
        """``LABEL: done/total tasks, posts, posts/s`` (the rate over the whole run so far)."""
        seconds = max(time.perf_counter() - self.started, 1e-9)
        return (f"{self.label}: {self.done}/{self.total} tasks, {self.posts:,} posts, "
                f"{self.posts / seconds:,.0f} posts/s")

    def close(self) -> None:
        if self._shown or self.done:
            self._show()
            if self._tty and self._write == self._stderr:
                print(file=sys.stderr)
