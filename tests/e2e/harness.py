"""Drive the real dashboard in Debian's Chromium: start `dtrack dashboard`, open pages, read charts.

Used by tests/e2e/test_browser.py and bench/dashboard_latency.py. Elements
are found by their Streamlit key: every keyed element is wrapped in a
container with the CSS class ``st-key-<key>``. A chart is read from the
browser's own plotly object (``.js-plotly-plot`` ``.data``), so a check sees
what is drawn, not what the server meant to send.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Longest wait for anything in the browser (ms); keeps a broken run from hanging CI.
#: Generous: a loaded 2-core CI machine renders a cold page in seconds, not milliseconds (waits end as soon
#: as the page is ready, so a long limit costs nothing when it is fast).
TIMEOUT_MS = 90_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(root: Path = ROOT) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    for name in ("DTRACK_STORE", "DTRACK_LANG", "DTRACK_TZ", "DTRACK_EVENTS"):
        env.pop(name, None)
    return env


@contextlib.contextmanager
def dashboard_server(store: Path, log: Path, *, port: int | None = None, timeout: float = 60,
                     extra: tuple[str, ...] = (), root: Path = ROOT) -> Iterator[str]:
    """`python -m dtrack dashboard --store STORE --port N [extra...]` in its own process group; yields its URL.

    ``root``: the checkout whose dtrack is served (bench/dashboard_latency.py --baseline serves another)."""
    port = port or free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dtrack", "dashboard", "--store", str(store), "--port", str(port), *extra],
            env=child_env(root), cwd=root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            _wait_healthy(url, proc, log, timeout)
            yield url
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dtrack dashboard exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"dashboard not up after {timeout}s:\n{log.read_text(errors='replace')}")


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS)
        try:
            yield browser
        finally:
            browser.close()


def key(name: str) -> str:
    """CSS selector of the element a Streamlit widget/element with ``key=name`` lives in."""
    return f".st-key-{name}"


def wait_idle(page: Any, timeout: int = TIMEOUT_MS) -> None:
    """Wait until the app has finished its current run (no 'running' status widget)."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset?.testScriptState === 'notRunning'",
        timeout=timeout,
    )


def open_page(page: Any, url: str, ready: str, timeout: int = TIMEOUT_MS) -> None:
    """Go to ``url`` and wait until the element ``ready`` (a selector) is there and the run is over."""
    page.goto(url, timeout=timeout)
    page.wait_for_selector(ready, timeout=timeout)
    wait_idle(page, timeout)


def plot_data(page: Any, chart_key: str) -> list[dict[str, Any]]:
    """The traces plotly has drawn for the chart with ``key=chart_key`` (x, y, name, customdata, legendgroup,
    mode, hoverinfo, and ``drawn``: how many point markers it drew, as SVG elements)."""
    return page.evaluate(
        """(sel) => {
            const el = document.querySelector(sel + ' .js-plotly-plot');
            if (!el || !el.data) return null;
            const drawn = {};
            el.querySelectorAll('.scatterlayer .trace').forEach(g => {
                const uid = (g.__data__ && g.__data__[0] && g.__data__[0].trace) ? g.__data__[0].trace.uid : null;
                if (uid !== null) drawn[uid] = g.querySelectorAll('.points path.point').length;
            });
            return el._fullData.map(t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || []),
                                           customdata: t.customdata ? Array.from(t.customdata) : null,
                                           legendgroup: t.legendgroup || null, mode: t.mode,
                                           hoverinfo: t.hoverinfo, drawn: drawn[t.uid] ?? 0}));
        }""",
        key(chart_key),
    )


#: JavaScript: a string that changes whenever the drawn chart changes (traces as plotly decoded them:
#: ``el.data`` may hold base64 typed arrays, ``el._fullData`` holds the arrays drawn).
SIGNATURE_JS = """(sel) => {
    const el = document.querySelector(sel + ' .js-plotly-plot');
    if (!el || !el._fullData) return '';
    return JSON.stringify(el._fullData.map(t => [t.name, Array.from(t.x || []), Array.from(t.y || [])]))
        + JSON.stringify(el._fullLayout && el._fullLayout.yaxis && el._fullLayout.yaxis.type);
}"""


def plot_signature(page: Any, chart_key: str) -> str:
    """A string that changes whenever the drawn chart changes."""
    return page.evaluate(SIGNATURE_JS, key(chart_key))


def wait_plot_change(page: Any, chart_key: str, before: str, timeout: int = TIMEOUT_MS,
                     polling: str | int = "raf") -> str:
    """Wait until the chart's signature differs from ``before``; returns the new one."""
    page.wait_for_function(
        f"([sel, before]) => ({SIGNATURE_JS})(sel) !== before && ({SIGNATURE_JS})(sel) !== ''",
        arg=[key(chart_key), before],
        timeout=timeout,
        polling=polling,
    )
    return plot_signature(page, chart_key)


def table_rows(page: Any, table_key: str) -> list[list[str]]:
    """The rows of a ``st.dataframe`` shown with :func:`dashboard.common.data_table` (header first).

    The grid is drawn on a canvas; its cells are mirrored in an accessible
    table, which is what a screen reader (and this) reads.
    """
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' tr')).map(
               tr => Array.from(tr.querySelectorAll('th, td')).map(c => c.textContent))""",
        key(f"box_{table_key}"),
    )


def point_position(page: Any, chart_key: str, trace: int, index: int) -> tuple[float, float]:
    """Page coordinates of one drawn point (trace number, point index) of a plotly chart."""
    return page.evaluate(
        """([sel, trace, index]) => {
            const el = document.querySelector(sel + ' .js-plotly-plot');
            const t = el._fullData[trace], fl = el._fullLayout, box = el.getBoundingClientRect();
            const x = fl.xaxis.l2p(fl.xaxis.d2l(t.x[index])) + fl.xaxis._offset;
            const y = fl.yaxis.l2p(fl.yaxis.d2l(t.y[index])) + fl.yaxis._offset;
            return [box.left + x, box.top + y];
        }""",
        [key(chart_key), trace, index],
    )


def pick(page: Any, widget_key: str, name: Any, *, exact: bool = True, attempts: int = 4) -> None:
    """Open the selectbox ``widget_key`` and click its option ``name`` (a string or a compiled pattern).

    A run that ends just after the click (a text field committing on blur, a fragment finishing) draws the
    selectbox again and closes its list before the option can be clicked; the list is then opened again.
    """
    option = page.get_by_role("option", name=name, exact=exact if isinstance(name, str) else None).first
    for attempt in range(attempts):
        wait_idle(page)
        page.locator(key(widget_key)).click()
        try:
            option.wait_for(timeout=5_000)
        except Exception:  # playwright's TimeoutError: the list was closed by a rerun
            if attempt == attempts - 1:
                raise
            continue
        option.click()
        return


def choose(page: Any, widget_key: str, label: str) -> None:
    """Click the option ``label`` of a segmented control (its options are ARIA radios)."""
    page.locator(key(widget_key)).get_by_role("radio", name=label, exact=True).click()


def wait_table_change(page: Any, table_key: str, before: list[list[str]], timeout: int = TIMEOUT_MS) -> list[list[str]]:
    """Wait until a ``data_table`` shows other rows than ``before`` and the run is over; returns the rows."""
    page.wait_for_function(
        """([sel, before]) => JSON.stringify(Array.from(document.querySelectorAll(sel + ' tr')).map(
               tr => Array.from(tr.querySelectorAll('th, td')).map(c => c.textContent))) !== before""",
        arg=[key(f"box_{table_key}"), json.dumps(before, ensure_ascii=False, separators=(",", ":"))],
        timeout=timeout,
    )
    wait_idle(page, timeout)
    return table_rows(page, table_key)


def wait_table(page: Any, table_key: str, timeout: int = TIMEOUT_MS) -> list[list[str]]:
    """Wait until a ``data_table`` shows a header and at least one row; returns the rows."""
    page.wait_for_function("(sel) => document.querySelectorAll(sel + ' tr').length > 1",
                           arg=key(f"box_{table_key}"), timeout=timeout)
    return table_rows(page, table_key)


def label_boxes(page: Any, chart_key: str) -> list[dict[str, Any]]:
    """The text and drawn bounding box (page pixels) of every annotation of a plotly chart, as the browser
    laid them out."""
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' .js-plotly-plot g.annotation')).map(g => {
               const text = g.querySelector('text');
               const r = (text || g).getBoundingClientRect();
               return {text: text ? text.textContent : '', left: r.left, right: r.right, top: r.top,
                       bottom: r.bottom};
           }).filter(b => b.right > b.left && b.bottom > b.top)""",
        key(chart_key),
    )


def overlapping_pairs(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of boxes whose areas intersect (touching edges do not count)."""
    return [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]]
