"""``--cluster ADDRESS`` for the commands whose work can run on a Dask cluster (ingest, tag; discover's
``--cluster`` is a shared parameter of the query layer, ``analysis.queries.CLUSTER``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from dtrack.cli.common import EXIT_USAGE, fail

F = TypeVar("F", bound=Callable[..., Any])


def cluster_option(func: F) -> F:
    """``--cluster ADDRESS`` (else ``$DTRACK_CLUSTER``; none: this process)."""
    return click.option(
        "--cluster",
        "cluster",
        default=None,
        metavar="ADDRESS",
        envvar="DTRACK_CLUSTER",
        show_envvar=True,
        help="Run the work on a Dask cluster: tcp://HOST:PORT (a running scheduler), local or local:N "
             "(N worker processes here), slurm:CONFIG.yaml. Needs pip install 'dtrack[cluster]'; the store "
             "and inputs must be on a file system the workers share.",
    )(func)


def check_cluster(address: str | None) -> str | None:
    """The address, checked before the store is locked: a bad one or a missing extra is a usage error."""
    from dtrack.data.cluster import ClusterError, parse_address, require_dask, resolve

    address = resolve(address)
    if address is None:
        return None
    try:
        parse_address(address)
        require_dask()
    except ClusterError as exc:
        fail(str(exc), EXIT_USAGE)
    return address


@contextmanager
def open_cluster(address: str | None) -> Iterator[Any]:
    """A Dask client for ``address`` (None: yields None), its workers and dashboard named on stderr."""
    if address is None:
        yield None
        return
    from dtrack.data.cluster import ClusterError, session

    try:
        with session(address, announce=lambda line: click.echo(line, err=True)) as client:
            yield client
    except ClusterError as exc:
        fail(str(exc))
