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


#: Host headers the dashboard always answers: this machine's names for itself.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def allowed_hosts(host: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Host header names the dashboard accepts (DNS rebinding defence).

    A malicious web page can point its own name at 127.0.0.1 and then talk to
    the dashboard from the visitor's browser; the only thing that tells such a
    request apart is its ``Host`` header, which names the attacker's domain.
    Loopback names, the bound address (unless it is a wildcard) and the names a
    reverse proxy passes (``--allow-host``) are accepted; Streamlit refuses the
    WebSocket, which carries every action of the app, for any other."""
    names = [*LOOPBACK_HOSTS]
    if host not in ("0.0.0.0", "::", ""):
        names.append(host.strip("[]"))
    names.extend(extra)
    return list(dict.fromkeys(n.lower() for n in names))


def streamlit_command(store: Path, host: str, port: int, *, open_browser: bool = False,
                      allow_hosts: tuple[str, ...] = ()) -> list[str]:
    """The child's argv (a function so tests and docs can show it)."""
    hosts = [arg for name in allowed_hosts(host, allow_hosts) for arg in ("--server.allowedHosts", name)]
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        *hosts,
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "false" if open_browser else "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--browser.serverAddress", "localhost" if host in ("127.0.0.1", "localhost") else host,
        "--client.toolbarMode", "viewer",
        "--theme.base", "light",
        # Streamlit collects all of the process's garbage (gc.collect(2)) after every run by default: with
        # polars, plotly and pandas loaded that held the GIL for 0.1-0.3 s after each filter change, while
        # the change's last messages still waited to be sent. Python's own collector still runs.
        "--runner.postScriptGC", "false",
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
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (the name a reverse proxy serves it under); "
                   "others than localhost, 127.0.0.1, [::1] and --host are refused (DNS rebinding).")
@click.option("--open", "open_browser", is_flag=True, help="Open a browser tab once it is up.")
@click.option("--events", "events", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Your events CSV (date,label[,kind,source,url,note]), used on every page as by "
                   "`dtrack events --events FILE` [default: the shipped data/events.csv].")
def dashboard(store_path: str | None, tz: str, port: int, host: str, allow_hosts: tuple[str, ...],
              open_browser: bool, events: str | None) -> None:
    """Start the web dashboard on the store (Ctrl-C stops it).

    Pages: overview, term timelines, emergence, events, posts (KWIC) and
    collectors. Every table downloads as the CSV the matching CLI command
    writes. The dashboard has no login: it binds to 127.0.0.1 unless told
    otherwise, and anyone who can reach it can read the posts and ingest
    files the server can read. Requests naming another host than this machine
    (DNS rebinding) are refused; --allow-host adds a reverse proxy's name.

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
    child = subprocess.Popen(streamlit_command(store, host, port, open_browser=open_browser,
                                               allow_hosts=allow_hosts), env=env)

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
