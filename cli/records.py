"""`dtrack sources` and `dtrack quarantine`: what was read, and what could not be."""

from __future__ import annotations

import click
import polars as pl

from dtrack.cli.common import echo_json, open_store, store_option


def _write_csv(frame: pl.DataFrame) -> None:
    """Through dtrack's one CSV writer: raw lines and file names are untrusted (formula injection)."""
    from dtrack.analysis.export import csv_bytes

    click.echo(csv_bytes(frame), nl=False)


_SOURCE_COLUMNS = ("ingested_at", "format", "read", "new", "duplicate", "quarantined", "notices", "path")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@store_option
def sources(fmt: str, store_path: str | None) -> None:
    """List every ingested source with its format and counts, oldest first.

    Columns: ingested_at, format, read, new, duplicate, quarantined, notices,
    path, sha256, size (JSON also carries the first notices' messages).

    \b
    Example:
      dtrack sources --format csv > sources.csv
    """
    records = open_store(store_path).sources()
    if fmt == "json":
        echo_json(records)
        return
    if fmt == "csv":
        frame = pl.DataFrame([{k: r.get(k) for k in (*_SOURCE_COLUMNS, "sha256", "size")} for r in records],
                             schema={**{k: pl.String for k in _SOURCE_COLUMNS}, "sha256": pl.String,
                                     "size": pl.Int64}, strict=False)
        _write_csv(frame)
        return
    if not records:
        click.echo("no sources ingested yet")
    for r in records:
        click.echo(f"{r.get('ingested_at')}  {r.get('format'):<10} read {r.get('read', 0):>9,}  "
                   f"new {r.get('new', 0):>9,}  dup {r.get('duplicate', 0):>9,}  "
                   f"quarantined {r.get('quarantined', 0):>6,}  {r.get('path')}")


@click.command()
@click.option("--source", "source_file", default=None, help="Only records from this source path.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="Most records to show (text format).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@store_option
def quarantine(source_file: str | None, limit: int, fmt: str, store_path: str | None) -> None:
    """List quarantined records: source file, line, reason and the raw text.

    Records that could not become posts are kept here, never dropped; fix the
    export (or use --map / --format) and ingest it again with --force.
    json and csv give every record with the raw text in full.

    \b
    Example:
      dtrack quarantine --source export.ndjson --limit 20
    """
    frame = open_store(store_path).scan_quarantine()
    if source_file:
        frame = frame.filter(pl.col("source_file") == source_file)
    rows = frame.sort("quarantined_at", "source_file", "source_line").collect()
    if fmt == "json":
        echo_json(rows.to_dicts())
        return
    if fmt == "csv":
        _write_csv(rows)
        return
    if rows.height == 0:
        click.echo("nothing quarantined")
        return
    for row in rows.head(limit).iter_rows(named=True):
        raw = row["raw"].replace("\n", "\\n")
        raw = raw if len(raw) <= 100 else raw[:100] + "…"
        click.echo(f"{row['source_file']}:{row['source_line']}: {row['reason']}\n    {raw}")
    if rows.height > limit:
        click.echo(f"... and {rows.height - limit:,} more (--limit, or --format csv for all)")
