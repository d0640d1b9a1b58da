"""Options and helpers every command shares (grouped once, like sqlite-utils)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from dtrack.data.defaults import DEFAULT_TZ
from dtrack.data.store import Store

F = TypeVar("F", bound=Callable[..., Any])

#: Exit statuses (a contract for scripts; see the README).
EXIT_OK, EXIT_FATAL, EXIT_USAGE, EXIT_QUARANTINED = 0, 1, 2, 3


def store_option(func: F) -> F:
    """``--store DIR`` (else ``$DTRACK_STORE``, else ``./data/store``)."""
    return click.option(
        "--store",
        "store_path",
        type=click.Path(file_okay=False, path_type=str),
        default=None,
        envvar="DTRACK_STORE",
        show_envvar=True,
        help="Store folder [default: ./data/store].",
    )(func)


def tz_option(func: F) -> F:
    """``--tz`` for commands that read or show local times."""
    return click.option(
        "--tz",
        default=DEFAULT_TZ,
        show_default=True,
        envvar="DTRACK_TZ",
        callback=_check_tz,
        help="Research timezone (IANA name): naive timestamps are read in it, days are cut in it.",
    )(func)


def time_range_option(func: F) -> F:
    """``--time-range EARLIEST..LATEST``: post times outside it are not believed (see ``data.times``)."""
    return click.option(
        "--time-range",
        "time_range",
        default="",
        envvar="DTRACK_TIME_RANGE",
        show_envvar=True,
        metavar="EARLIEST..LATEST",
        callback=_check_time_range,
        help="Plausible post times (UTC; either side may be empty) [default: 1999-01-01..now+1 day]; "
             "posts outside it are quarantined with the reason.",
    )(func)


def _check_time_range(ctx: click.Context, param: click.Parameter, value: str) -> Any:
    from dtrack.data.times import parse_time_range

    try:
        return parse_time_range(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _check_tz(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"unknown timezone {value!r} (use an IANA name such as Asia/Tokyo or UTC)") from None
    return value


def open_store(store_path: str | None) -> Store:
    return Store(store_path)


def fail(message: str, code: int = EXIT_FATAL) -> None:
    """Print an error to stderr and exit with ``code``."""
    click.echo(f"dtrack: error: {message}", err=True)
    sys.exit(code)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def echo_report(report: Any, as_json: bool) -> None:
    """A run's report (``as_dict()`` and ``summary()``) as JSON or as its one line."""
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(report.summary())
