"""`dtrack schedule ...` and `dtrack scheduler`: watch folders on a schedule.

Thin commands over ``collectors.schedule`` (jobs, the scheduler) and
``collectors.ledger`` (what each run did).
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
from typing import Any

import click

from dtrack.cli.common import (
    EXIT_FATAL,
    EXIT_OK,
    EXIT_QUARANTINED,
    echo_json,
    fail,
    open_store,
    store_option,
    tz_option,
)
from dtrack.collectors import REGISTRY
from dtrack.collectors.formats.tabular import parse_mapping
from dtrack.collectors.pipeline.ingest import IngestReport
from dtrack.collectors.pipeline.schedule import (
    DEFAULT_HOOK,
    DEFAULT_POLL,
    SchedulerRunning,
    add_schedule,
    configure_logging,
    install_stop_signals,
    list_schedules,
    remove_schedule,
    run_now,
    scheduler_status,
    serve,
)
from dtrack.collectors.pipeline.watch import DEFAULT_LOCK_WAIT, DEFAULT_SETTLE


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone().isoformat(timespec="seconds")


@click.group()
def schedule() -> None:
    """Watch folders on a schedule: new exports are ingested and tagged on their own.

    Jobs are kept in the store (STORE/schedule/jobs.sqlite) and run by
    `dtrack scheduler`; every run is recorded in STORE/schedule/runs.jsonl.

    \b
    Example:
      dtrack schedule add nightly --watch ~/exports/twarc --every 1h
      dtrack scheduler
    """


@schedule.command("add")
@click.argument("name")
@click.option("--watch", "watch", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder to watch for new export files.")
@click.option("--every", default=None, metavar="DURATION",
              help="Run at this interval: 30s, 15m, 1h, 1h30m, 1d, 1w [default: 1h].")
@click.option("--cron", default=None, metavar='"M H DOM MON DOW"',
              help="Run on a crontab schedule in the machine's local time (0/7 = Sunday), e.g. \"0 3 * * *\".")
@click.option("--format", "fmt", type=click.Choice(list(REGISTRY)), default=None,
              help="Read every file as this format instead of detecting it.")
@click.option("--recursive", is_flag=True, help="Also look in sub-folders.")
@click.option("--settle", type=click.FloatRange(min=0), default=DEFAULT_SETTLE, show_default=True,
              metavar="SECONDS", help="Skip files changed less than this long ago (still being written).")
@click.option("--lock-wait", type=click.FloatRange(min=0), default=DEFAULT_LOCK_WAIT, show_default=True,
              metavar="SECONDS", help="How long a run waits while another process writes to the store.")
@click.option("--tag-hook", default=DEFAULT_HOOK, show_default=True, metavar="MODULE:FUNCTION",
              help="Called as hook(store, writer=writer) after new posts are stored.")
@click.option("--no-tag", is_flag=True, help="Do not call a tagging hook after ingesting.")
@click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN,...",
              help="Column mapping for CSV/NDJSON, as for `dtrack ingest`.")
@click.option("--platform", default=None, help="Platform name for generic CSV/NDJSON rows that carry none.")
@click.option("--cluster", default=None, metavar="ADDRESS",
              help="Read and tag on this Dask cluster at each run (tcp://HOST:PORT, local[:N], slurm:CONFIG.yaml; "
                   "docs/cluster.md). Not taken from $DTRACK_CLUSTER: a stored job says where it runs.")
@click.option("--compact", is_flag=True,
              help="After a run that stored posts, merge each month's small files (`dtrack compact`).")
@store_option
@tz_option
def add(name: str, watch: str, every: str | None, cron: str | None, fmt: str | None, recursive: bool,
        settle: float, lock_wait: float, tag_hook: str, no_tag: bool, mapping: tuple[str, ...],
        platform: str | None, cluster: str | None, compact: bool, store_path: str | None, tz: str) -> None:
    """Add (or replace) the watch job NAME.

    Each run ingests the files in --watch that the store has not seen (by
    sha256: a renamed copy is not read twice, an edited file is read again),
    skips files still being written, then calls the tagging hook. Hidden
    files and partial downloads (.part, .tmp, .crdownload) are ignored.
    A running scheduler picks the job up within a few seconds.

    \b
    Example:
      dtrack schedule add twarc --watch ~/exports/twarc --every 1h
      dtrack schedule add donations --watch /srv/drop --cron "0 3 * * *" --recursive
    """
    try:
        row = add_schedule(
            open_store(store_path), name, watch, every=every, cron=cron, fmt=fmt, recursive=recursive,
            settle=settle, hook=None if no_tag else tag_hook, lock_wait=lock_wait, tz=tz,
            mapping=parse_mapping(mapping), platform=platform, cluster=cluster, compact=compact,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    verb = "replaced" if row["replaced"] else "added"
    click.echo(f"{verb} {row['name']}: watch {row['watch']} {row['trigger']}; next run {_when(row['next_run'])}")
    if scheduler_status(open_store(store_path)) is None:
        click.echo("note: no scheduler is running for this store; start one with `dtrack scheduler`", err=True)


@schedule.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def list_(fmt: str, store_path: str | None) -> None:
    """Show the watch jobs with their last and next run.

    JSON: a list of objects with name, watch, trigger, format, recursive,
    last_run, next_run (ISO 8601), last_status, last_new, last_errors,
    settle, hook, id; and "scheduler" (pid, host, since, or null).

    \b
    Example:
      dtrack schedule list --format json | jq '.jobs[] | {name, last_status}'
    """
    store = open_store(store_path)
    rows = list_schedules(store)
    running = scheduler_status(store)
    if fmt == "json":
        echo_json({"scheduler": running, "jobs": [_jsonable(r) for r in rows]})
        return
    if running:
        click.echo(f"scheduler: running (pid {running.get('pid')} on {running.get('host')} since "
                   f"{running.get('since')})")
    else:
        click.echo("scheduler: not running (start it with `dtrack scheduler`)")
    if not rows:
        click.echo("no watch jobs; add one with `dtrack schedule add NAME --watch DIR`")
        return
    for r in rows:
        last = "never"
        if r["last_run"] is not None:
            last = f"{_when(r['last_run'])} {r['last_status']} ({r['last_new']} new, {r['last_errors']} errors)"
        overdue = ""
        if r["next_run"] is not None and r["next_run"] < dt.datetime.now(dt.UTC) and not running:
            overdue = " (overdue: runs once when the scheduler starts)"
        flags = ", ".join(x for x in (r["format"], "recursive" if r["recursive"] else None) if x)
        click.echo(f"{r['name']}: {r['watch']} {r['trigger']}{f' [{flags}]' if flags else ''}")
        click.echo(f"  last run  {last}")
        click.echo(f"  next run  {_when(r['next_run'])}{overdue}")


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in row.items()}


@schedule.command("remove")
@click.argument("name")
@store_option
def remove(name: str, store_path: str | None) -> None:
    """Delete the watch job NAME (its past runs stay in the ledger).

    \b
    Example:
      dtrack schedule remove twarc
    """
    if not remove_schedule(open_store(store_path), name):
        fail(f"no watch job named {name!r} (see `dtrack schedule list`)")
    click.echo(f"removed {name}")


@schedule.command("run-now")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the run record as JSON.")
@store_option
def run_now_cmd(name: str, as_json: bool, store_path: str | None) -> None:
    """Run the watch job NAME once, here and now, and record it in the ledger.

    Ctrl-C stops after the file being read. Exit status: 0 ok, 3 finished with
    quarantined records, 1 a file, the folder, the store lock or the hook failed.

    \b
    Example:
      dtrack schedule run-now twarc
    """
    store = open_store(store_path)

    def on_report(report: IngestReport) -> None:
        if as_json or report.status == "error":
            return  # errors are printed with the run summary
        if report.status == "skipped":
            click.echo(f"{report.path}: skipped ({report.message})")
        else:
            click.echo(f"{report.path}: {report.format}: read {report.read:,}, new {report.new:,}, "
                       f"duplicate {report.duplicate:,}, quarantined {report.quarantined:,}")

    previous = install_stop_signals()
    try:
        run = run_now(store, name, on_report=on_report)
    except KeyError:
        fail(f"no watch job named {name!r} (see `dtrack schedule list`)")
        return
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if as_json:
        click.echo(json.dumps(run, ensure_ascii=False, default=str))
    else:
        for message in run["messages"]:
            click.echo(f"ERROR: {message}", err=True)
        click.echo(
            f"run {run['run_id']} {run['status']}: {run['files_seen']} seen, {run['files_ingested']} ingested, "
            f"{run['files_waiting']} still being written; {run['new']:,} new posts, {run['duplicate']:,} "
            f"duplicates, {run['quarantined']:,} quarantined, {run['errors']} errors",
            err=True,
        )
    sys.exit(EXIT_FATAL if run["errors"] or run["status"] != "ok"
             else EXIT_QUARANTINED if run["quarantined"] else EXIT_OK)


@click.command()
@click.option("--poll", type=click.FloatRange(min=0.1), default=DEFAULT_POLL, show_default=True, metavar="SECONDS",
              help="How often to look for jobs added or removed by `dtrack schedule`.")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None,
              help="Log file [default: STORE/schedule/scheduler.log]; the log also goes to stdout.")
@click.option("--verbose", is_flag=True, help="Also log APScheduler's own messages.")
@store_option
def scheduler(poll: float, log_file: str | None, verbose: bool, store_path: str | None) -> None:
    """Run the scheduler in the foreground (for systemd or a terminal).

    Runs the store's watch jobs on time, and once at start-up for runs missed
    while it was down. Only one scheduler may serve a store: a second one
    exits with status 1. SIGINT/SIGTERM stop it after the current file.
    See docs/scheduler.md for a systemd unit.

    \b
    Example:
      dtrack scheduler --store /srv/dtrack/store
    """
    store = open_store(store_path)
    running = scheduler_status(store)
    if running:  # a friendly early message; the lock below is what really decides
        fail(f"a scheduler is already running for store {store.path} (pid {running.get('pid')} on "
             f"{running.get('host')} since {running.get('since')}); only one scheduler may serve a store")
    path = configure_logging(store, log_file, verbose=verbose)
    install_stop_signals()
    click.echo(f"dtrack scheduler: store {store.path}, log {path}; Ctrl-C or SIGTERM to stop", err=True)
    try:
        serve(store, poll=poll)
    except SchedulerRunning as exc:
        fail(str(exc))
