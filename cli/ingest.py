"""`dtrack ingest`: read exports into the store."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from dtrack.cli.cluster import check_cluster, cluster_option, open_cluster
from dtrack.cli.common import (
    EXIT_FATAL,
    EXIT_OK,
    EXIT_QUARANTINED,
    fail,
    open_store,
    store_option,
    time_range_option,
    tz_option,
)
from dtrack.collectors import names as format_names

if TYPE_CHECKING:
    from dtrack.collectors.pipeline.ingest import IngestReport
    from dtrack.data.times import TimeRange

#: Files at least this big get a progress bar (on a terminal).
PROGRESS_BYTES = 8 * 1024 * 1024


def _summary(report: IngestReport) -> str:
    if report.status == "skipped":
        return f"{report.path}: skipped ({report.message})"
    if report.status == "error":
        return f"{report.path}: ERROR: {report.message}"
    notices = f", {report.notices} notices" if report.notices else ""
    return (
        f"{report.path}: {report.format}: read {report.read:,}, new {report.new:,}, "
        f"duplicate {report.duplicate:,}, quarantined {report.quarantined:,}{notices} "
        f"({report.seconds:.1f}s)"
    )


def _progress(label: str) -> Any:
    """The progress line of a stage run on a cluster (tasks done / total, posts/s) on stderr."""
    from dtrack.data.cluster import Progress

    return Progress(label)


def map_error(exc: ValueError) -> str:
    """The mapping's error without its own ``--map`` prefix (click's "Invalid value for --map:" says it)."""
    return str(exc).removeprefix("--map: ").removeprefix("--map ")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(format_names()), default=None,
              help="Force a format instead of detecting it from the content.")
@click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN,...",
              help="Column mapping for CSV/NDJSON, e.g. text=content,created_at=date.")
@click.option("--platform", default=None,
              help="Platform name for generic CSV/NDJSON rows that carry none [default: generic].")
@click.option("--force", is_flag=True, help="Re-read sources already ingested (duplicates are still dropped).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report per source instead of text.")
@click.option("--no-tag", is_flag=True, help="Do not tag the new posts now (run `dtrack tag` later).")
@cluster_option
@store_option
@tz_option
@time_range_option
def ingest(paths: tuple[str, ...], fmt: str | None, mapping: tuple[str, ...], platform: str | None,
           force: bool, as_json: bool, no_tag: bool, cluster: str | None, store_path: str | None, tz: str,
           time_range: TimeRange) -> None:
    """Read export files or folders (or - for stdin) into the store.

    Each file is detected from its content, deduplicated on (platform, post_id)
    and stored in one step; unreadable records are quarantined with file, line
    and reason. A file already ingested (same sha256) is skipped. New posts
    are then tagged with the store's term dictionary (see `dtrack tag`)
    unless --no-tag.

    With --cluster the files are read and tagged by the workers of a Dask
    cluster and this process commits them: the store ends up the same.

    Exit status: 0 all read, 3 finished with quarantined records, 1 a file or
    the store failed, 2 usage error.

    \b
    Example:
      dtrack ingest data/samples/
      cat posts.ndjson | dtrack ingest - --map text=body,created_at=date
      dtrack ingest --cluster tcp://head-node:8786 /shared/exports/
    """
    from zoneinfo import ZoneInfo

    from dtrack.collectors.formats.tabular import parse_mapping
    from dtrack.collectors.pipeline.collect import DEFAULT_HOOK, collect
    from dtrack.collectors.records import ParseContext
    from dtrack.data.store import StoreLocked

    try:
        ctx = ParseContext(tz=ZoneInfo(tz), mapping=parse_mapping(mapping), platform=platform,
                           time_range=time_range)
    except ValueError as exc:
        raise click.BadParameter(map_error(exc), param_hint="--map") from None
    store = open_store(store_path)
    bar_state: dict[str, object] = {}

    def progress(done: int) -> None:
        bar = bar_state.get("bar")
        if bar is not None:
            bar.update(done - bar_state["done"])  # type: ignore[attr-defined,operator]
            bar_state["done"] = done

    ctx.progress = progress

    def on_start(report: IngestReport) -> None:
        previous = bar_state.pop("bar", None)  # sources of a group are reported after its commit
        if previous is not None:
            previous.__exit__(None, None, None)  # type: ignore[attr-defined]
        if report.size >= PROGRESS_BYTES:
            bar = click.progressbar(length=report.size, label=report.path, file=sys.stderr)
            bar.__enter__()
            bar_state.update(bar=bar, done=0)

    def on_report(report: IngestReport) -> None:
        bar = bar_state.pop("bar", None)
        if bar is not None:
            bar.__exit__(None, None, None)  # type: ignore[attr-defined]
        if as_json:
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            click.echo(_summary(report))

    address = check_cluster(cluster)
    try:
        with open_cluster(address) as client, store.writer(purpose="dtrack ingest") as writer:
            done = collect(writer, paths, fmt=fmt, ctx=ctx, force=force, tag=None if no_tag else DEFAULT_HOOK,
                           on_report=on_report, on_start=on_start, cluster=client,
                           progress=_progress if client is not None else None)
    except StoreLocked as exc:
        fail(str(exc))
        return
    reports = done.reports
    if not reports:
        fail("no files found in " + ", ".join(paths))
    errors = done.errors
    quarantined = sum(r.quarantined for r in reports)
    if not as_json:
        total_new = sum(r.new for r in reports)
        click.echo(
            f"{len(reports)} source(s): {total_new:,} new posts, "
            f"{sum(r.duplicate for r in reports):,} duplicates, {quarantined:,} quarantined, "
            f"{len(errors)} failed; store version {store.version}",
            err=True,
        )
    if done.tag_error is not None:
        click.echo(f"tagging failed ({done.tag_error}); the posts are stored, run `dtrack tag`", err=True)
    elif done.tagged is not None:
        click.echo(done.tagged.summary(), err=True)
    tag_failed = done.tag_error is not None
    sys.exit(EXIT_FATAL if errors or tag_failed else EXIT_QUARANTINED if quarantined else EXIT_OK)
