"""`dtrack dashboard`: start the Streamlit dashboard on this store.

The dashboard runs in a child process (``python -m streamlit run
dashboard/app.py``) so this module never imports the dashboard (nothing
imports ``dashboard``); the store reaches the app through ``$DTRACK_STORE``
and ``-- --store DIR``, the events file through ``$DTRACK_EVENTS``.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import click

from dtrack.cli.common import EXIT_FATAL, fail, store_option, tz_option
from dtrack.data.store import resolve_store_path

# Located without importing the dashboard (find_spec does not run the package).
APP = Path(importlib.util.find_spec("dtrack.dashboard").submodule_search_locations[0]) / "app.py"


def streamlit_command(store: Path, host: str, port: int, *, open_browser: bool = False) -> list[str]:
    """The child's argv (a function so tests and docs can show it)."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "false" if open_browser else "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--browser.serverAddress", "localhost" if host in ("127.0.0.1", "localhost") else host,
        "--client.toolbarMode", "viewer",
        "--theme.base", "light",
        "--", "--store", str(store),
    ]


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


@click.command()
@store_option
@tz_option
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. The default serves this machine only; to share the dashboard, keep it on "
                   "127.0.0.1 and put an authenticating reverse proxy in front (see docs/dashboard.md).")
@click.option("--open", "open_browser", is_flag=True, help="Open a browser tab once it is up.")
@click.option("--events", "events", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Your events CSV (date,label[,kind,source,url,note]), used on every page as by "
                   "`dtrack events --events FILE` [default: the shipped data/events.csv].")
def dashboard(store_path: str | None, tz: str, port: int, host: str, open_browser: bool,
              events: str | None) -> None:
    """Start the web dashboard on the store (Ctrl-C stops it).

    Pages: overview, term timelines, emergence, events, posts (KWIC) and
    collectors. Every table downloads as the CSV the matching CLI command
    writes. The dashboard has no login: it binds to 127.0.0.1 unless told
    otherwise, and anyone who can reach it can read the posts and ingest
    files the server can read.

    \b
    Example:
      dtrack dashboard --store data/store --port 8501 --events my-events.csv
    """
    store = resolve_store_path(store_path).resolve()
    events_path = None
    if events is not None:
        from dtrack.data.events import EventsFileError, load_events

        try:
            load_events(events)
        except EventsFileError as exc:
            fail(str(exc))
        events_path = str(Path(events).resolve())
    if not _port_free(host, port):
        fail(f"cannot listen on {host}:{port}: the port is in use or the address is not this machine's "
             "(choose another with --port/--host)")
    env = dict(os.environ)
    env["DTRACK_STORE"] = str(store)
    env["DTRACK_TZ"] = tz
    if events_path is not None:
        env["DTRACK_EVENTS"] = events_path
    else:
        env.pop("DTRACK_EVENTS", None)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    shown = "localhost" if host in ("127.0.0.1", "localhost") else host
    click.echo(f"dtrack dashboard on http://{shown}:{port}/ (store {store}); Ctrl-C to stop", err=True)
    child = subprocess.Popen(streamlit_command(store, host, port, open_browser=open_browser), env=env)

    def forward(signum: int, _frame: object) -> None:
        child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code not in (0, -signal.SIGINT, -signal.SIGTERM):
        sys.exit(code if code > 0 else EXIT_FATAL)
