"""Term timelines in a real browser: a filter change reruns only the part of the page it changes.

What the server sends is read off the WebSocket: each rerun's messages carry
the texts of the elements it draws (protobuf strings are UTF-8 as they are),
so a chart-only rerun sends the figure and none of the post list or the
sidebar, and a click on a point sends the post list and no figure. The chart
and the list are then checked against the counts, so a part that was skipped
when it should have been redrawn fails too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.analysis.timeline import timeline
from dtrack.data.store import Store
from tests.e2e.harness import (
    choose,
    key,
    open_page,
    plot_data,
    plot_signature,
    point_position,
    wait_idle,
    wait_plot_change,
    wait_table,
    wait_table_change,
)

FIGURE = b"hovertemplate"  # in every plotly figure's JSON, in no other element
POSTS_PART = b"Posts behind a point"  # the post list's subheader
SIDEBAR = b"Research timezone"  # a sidebar label


def _sent_by(page: Any, frames: list[bytes], action: Callable[[], None]) -> bytes:
    """Everything the server sent for one interaction (until the app is idle again)."""
    frames.clear()
    action()
    return b"".join(frames)


def _clipped_axis_labels(page: Any) -> list[str]:
    """Axis tick labels and titles drawn outside the chart (the margins are fixed, not grown to fit)."""
    return page.evaluate("""(sel) => {
        const svg = document.querySelector(sel + ' .js-plotly-plot .main-svg').getBoundingClientRect();
        return Array.from(document.querySelectorAll(sel + ' .xtick text, ' + sel + ' .ytick text, '
                                                     + sel + ' .g-ytitle text'))
            .filter(t => { const r = t.getBoundingClientRect();
                           return r.width > 0 && (r.left < svg.left || r.right > svg.right || r.top < svg.top
                                                  || r.bottom > svg.bottom); })
            .map(t => t.textContent);
    }""", key("tl_chart"))


def _weekly(store: Path, **kw: Any) -> pl.DataFrame:
    s = Store(store)
    return timeline(s.scan_posts(), s.scan_hits(), ["無断学習"], freq="week", **kw).collect()


def test_measure_and_scale_rerun_the_chart_alone_and_a_click_the_posts_alone(page: Any, server: str,
                                                                              story: Path):
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda p: frames.append(p if isinstance(p, bytes) else p.encode())))
    open_page(page, server + "timelines?tl_terms=無断学習", key("tl_chart") + " .js-plotly-plot")
    listed = wait_table(page, "tl_posts")
    expected = _weekly(story)

    def change(widget: str, label: str) -> None:
        before = plot_signature(page, "tl_chart")
        choose(page, widget, label)
        wait_plot_change(page, "tl_chart", before)
        wait_idle(page)

    sent = _sent_by(page, frames, lambda: change("tl_scale", "log"))
    assert FIGURE in sent and POSTS_PART not in sent and SIDEBAR not in sent
    assert page.evaluate("(s) => document.querySelector(s + ' .js-plotly-plot')._fullLayout.yaxis.type",
                         key("tl_chart")) == "log"
    sent = _sent_by(page, frames, lambda: change("tl_measure", "authors"))
    assert FIGURE in sent and POSTS_PART not in sent and SIDEBAR not in sent
    assert plot_data(page, "tl_chart")[0]["y"] == expected["authors"].to_list()
    assert wait_table(page, "tl_posts") == listed  # the list was not touched
    assert _clipped_axis_labels(page) == []

    # what is counted changes: the whole page reruns, the list follows the new query
    sent = _sent_by(page, frames, lambda: change("tl_context", "AI context only"))
    assert FIGURE in sent and POSTS_PART in sent and SIDEBAR in sent
    ai = _weekly(story, context="ai")
    weekly = plot_data(page, "tl_chart")[0]
    assert weekly["y"] == ai["authors"].to_list()
    peak = max(ai["posts"])
    page.get_by_text(f"{min(peak, 200)} of {peak} posts").wait_for()

    # a click on a point lists its posts; the chart is not sent again
    change("tl_scale", "linear")
    busiest = ai["posts"].arg_max()
    after = busiest + 1 if ai["posts"][busiest + 1] > 0 else busiest - 1
    assert 0 < ai["posts"][after] < peak
    listed = wait_table(page, "tl_posts")
    x, y = point_position(page, "tl_chart", 0, after)
    page.mouse.move(x, y)
    page.locator(key("tl_chart") + " .hoverlayer").get_by_text(weekly["x"][after]).first.wait_for()

    def click() -> None:
        page.mouse.click(x, y)
        wait_table_change(page, "tl_posts", listed)

    sent = _sent_by(page, frames, click)
    assert POSTS_PART in sent and FIGURE not in sent and SIDEBAR not in sent
    count = ai["posts"][after]
    page.get_by_text(f"{min(count, 200)} of {count} posts").wait_for()
    days = sorted((dt.date.fromisoformat(weekly["x"][after]) + dt.timedelta(days=d)).isoformat() for d in range(7))
    page.wait_for_function(  # the grid's mirror follows the caption a moment later
        """([sel, days]) => { const r = document.querySelectorAll(sel + ' tr td');
                              return r.length > 0 && days.includes(r[0].textContent.slice(0, 10)); }""",
        arg=[key("box_tl_posts"), days])
    rows = wait_table(page, "tl_posts")[1:]  # the grid mirrors only the rows in view
    assert rows and all(r[0][:10] in days and r[3] == "無断学習" for r in rows)
