"""`dtrack ingest`: read exports into the store."""

from __future__ import annotations

import json
import sys
from typing import Any
from zoneinfo import ZoneInfo

import click

from dtrack.cli.cluster import check_cluster, cluster_option, open_cluster
from dtrack.cli.common import EXIT_FATAL, EXIT_OK, EXIT_QUARANTINED, fail, open_store, store_option, tz_option
from dtrack.collectors import REGISTRY
from dtrack.collectors.base import ParseContext
from dtrack.collectors.csv_ndjson import parse_mapping
from dtrack.collectors.ingest import IngestReport, ingest_paths
from dtrack.data.store import StoreLocked
from dtrack.nlp.tagger import tag_store

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


def _progress(label: str, client: object) -> Any:
    """A progress line for work on a cluster (None without one)."""
    if client is None:
        return None
    from dtrack.data.cluster import Progress

    return Progress(label)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(REGISTRY)), default=None,
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
def ingest(paths: tuple[str, ...], fmt: str | None, mapping: tuple[str, ...], platform: str | None,
           force: bool, as_json: bool, no_tag: bool, cluster: str | None, store_path: str | None, tz: str) -> None:
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
    try:
        ctx = ParseContext(tz=ZoneInfo(tz), mapping=parse_mapping(mapping), platform=platform)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None
    store = open_store(store_path)
    bar_state: dict[str, object] = {}

    def progress(done: int) -> None:
        bar = bar_state.get("bar")
        if bar is not None:
            bar.update(done - bar_state["done"])  # type: ignore[attr-defined,operator]
            bar_state["done"] = done

    ctx.progress = progress

    def on_start(report: IngestReport) -> None:
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

    tag_line, tag_failed = None, False
    address = check_cluster(cluster)
    try:
        with open_cluster(address) as client, store.writer(purpose="dtrack ingest") as writer:
            if client is None:
                reports = ingest_paths(writer, paths, fmt=fmt, ctx=ctx, force=force,
                                       on_report=on_report, on_start=on_start)
            else:
                from dtrack.collectors.cluster import ingest_on_cluster

                reports = ingest_on_cluster(client, writer, paths, fmt=fmt, ctx=ctx, force=force,
                                            on_report=on_report, progress=_progress("ingest", client))
            if not no_tag:
                try:
                    tag_line = tag_store(store, writer=writer, cluster=client,
                                         progress=_progress("tag", client)).summary()
                except Exception as exc:  # the posts are stored; say so rather than lose the ingest report
                    tag_line, tag_failed = f"tagging failed ({exc}); the posts are stored, run `dtrack tag`", True
    except StoreLocked as exc:
        fail(str(exc))
        return
    if not reports:
        fail("no files found in " + ", ".join(paths))
    errors = [r for r in reports if r.status == "error"]
    quarantined = sum(r.quarantined for r in reports)
    if not as_json:
        total_new = sum(r.new for r in reports)
        click.echo(
            f"{len(reports)} source(s): {total_new:,} new posts, "
            f"{sum(r.duplicate for r in reports):,} duplicates, {quarantined:,} quarantined, "
            f"{len(errors)} failed; store version {store.version}",
            err=True,
        )
    if tag_line:
        click.echo(tag_line, err=True)
    sys.exit(EXIT_FATAL if errors or tag_failed else EXIT_QUARANTINED if quarantined else EXIT_OK)
