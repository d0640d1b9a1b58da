"""`dtrack repair`: move stored posts with impossible times to quarantine."""

from __future__ import annotations

import click

from dtrack.cli.common import fail, open_store, store_option, time_range_option
from dtrack.data.store import StoreLocked
from dtrack.data.times import TimeRange


@click.command()
@time_range_option
@click.option("--dry-run", is_flag=True, help="Only say what would be moved.")
@store_option
def repair(time_range: TimeRange, dry_run: bool, store_path: str | None) -> None:
    """Move posts dated outside the plausible time range to quarantine.

    Stores written before times were checked at the door can hold a post
    dated year 0 or 9999 (e.g. a naive 0001-01-01 read in Asia/Tokyo). Each
    such post leaves the posts in one transaction, with its hits, and is kept
    in quarantine with its file, line and the reason (`dtrack quarantine`
    lists them); fix the export and ingest it again with --force.

    \b
    Example:
      dtrack repair --dry-run
      dtrack repair --time-range 1990-01-01..
    """
    from dtrack.data.repair import move_bad_times

    store = open_store(store_path)
    try:
        with store.writer(purpose="dtrack repair") as writer:
            report = move_bad_times(writer, time_range, dry_run=dry_run)
    except StoreLocked as exc:
        fail(str(exc))
        return
    if not report.posts:
        click.echo(f"nothing to repair: every post is dated within {report.time_range}")
        return
    verb = "would move" if dry_run else "moved"
    click.echo(f"{verb} {report.posts:,} posts dated outside {report.time_range} to quarantine "
               f"({report.hits:,} hits dropped, {report.files:,} post files rewritten)"
               + ("" if dry_run else f"; store version {store.version}"))
