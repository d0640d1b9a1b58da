"""`dtrack compact`: merge each month's small Parquet files into one (a thin command over data.compact)."""

from __future__ import annotations

import click

from dtrack.cli.common import echo_report, fail, open_store, store_option
from dtrack.data.store import StoreLocked


def _month(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from dtrack.data.compact import check_month

    if value is None:
        return None
    try:
        return check_month(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.option("--month", default=None, metavar="YYYY-MM", callback=_month,
              help="Only this month's posts and hits [default: every month, and the quarantine].")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@store_option
def compact(month: str | None, as_json: bool, store_path: str | None) -> None:
    """Merge each month's small files (posts, hits, quarantine) into one.

    Every row is kept as it is, with its provenance, and posts already tagged
    stay tagged (nothing is tagged again). The merge is one transaction:
    readers and a crash see the store before or after it, never in between.
    `dtrack status` shows how many files each kind has; scheduled jobs made
    with `dtrack schedule add --compact` run this after every run.

    \b
    Example:
      dtrack compact
      dtrack compact --month 2022-08 --json
    """
    from dtrack.data.compact import compact_store

    try:
        report = compact_store(open_store(store_path), month=month)
    except StoreLocked as exc:
        fail(str(exc))
        return
    echo_report(report, as_json)
