"""`dtrack status`: what is in the store."""

from __future__ import annotations

import click

from dtrack.cli.common import echo_json, fail, open_store, store_option
from dtrack.data.status import store_status
from dtrack.data.store import MANIFEST


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def status(fmt: str, store_path: str | None) -> None:
    """Show what the store holds: posts per platform, hits, quarantine, sources.

    Where there is no store yet, says so and exits with 1.

    JSON keys: posts, platforms, hits, quarantined, sources, first_post,
    last_post (UTC ISO 8601), plus reposts, version, store, files (Parquet
    files per kind), compactable_files (files `dtrack compact` would merge
    away), meta, posts_outside_time_range and time_range (see `dtrack repair`).

    \b
    Example:
      dtrack status --format json | jq .platforms
    """
    store = open_store(store_path)
    if not (store.path / MANIFEST).exists():
        fail(f"no store at {store.path} (nothing has been ingested there; `dtrack ingest FILE --store "
             f"{store.path}` makes one, or pass --store / set DTRACK_STORE)")
    info = store_status(store)
    if fmt == "json":
        echo_json(info)
        return
    click.echo(f"store       {info['store']} (version {info['version']})")
    click.echo(f"posts       {info['posts']:,} ({info['reposts']:,} reposts)")
    for name, count in info["platforms"].items():
        click.echo(f"  {name:<10}{count:>12,}")
    click.echo(f"first/last  {info['first_post']} .. {info['last_post']}")
    click.echo(f"hits        {info['hits']:,}")
    click.echo(f"quarantined {info['quarantined']:,}")
    click.echo(f"sources     {info['sources']:,}")
    files = ", ".join(f"{kind} {n:,}" for kind, n in info["files"].items())
    merge = sum(info["compactable_files"].values())
    click.echo(f"files       {files}" + (f" ({merge:,} would be merged by `dtrack compact`)" if merge else ""))
    if info["posts_outside_time_range"]:
        click.echo(f"warning: {info['posts_outside_time_range']:,} stored posts are dated outside the plausible "
                   f"range {info['time_range']} (those no calendar can show are left out of every count); "
                   "`dtrack repair` moves them to quarantine", err=True)
