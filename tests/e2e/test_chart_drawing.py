"""How the Term timelines chart is drawn, in a real browser: what plotly draws (markers, lines, event
markers), how often it draws it, and that a day of a long line still clicks through to its posts.

The speed work behind these (docs/dashboard.md, Speed) draws less; these tests check that what a reader
sees and can do stays: every day hovers and clicks, a lone day keeps its marker, every event keeps its
marker, and a figure without its template draws the same pixels.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import plotly.io as pio
import polars as pl
import pytest
from PIL import Image, ImageChops

from dtrack.analysis.timeline import timeline
from dtrack.dashboard import charts
from dtrack.data.events import load_events
from dtrack.data.store import Store
from tests.e2e import harness as h

pytestmark = pytest.mark.e2e

D = dt.date
PLOTLY_JS = Path(pio.__file__).resolve().parent.parent / "package_data" / "plotly.min.js"


def _daily(story: Path, term: str) -> pl.DataFrame:
    s = Store(story)
    return timeline(s.scan_posts(), s.scan_hits(), [term], freq="day").collect()


def _lone_days(frame: pl.DataFrame) -> list[str]:
    """Days with uses whose neighbours have none: on a log scale no segment reaches them (a plain loop, the
    reference for charts._lone)."""
    posts, days = frame["posts"].to_list(), frame["period"].to_list()
    return [days[i].isoformat() for i in range(len(posts))
            if posts[i] > 0 and (i == 0 or posts[i - 1] <= 0) and (i == len(posts) - 1 or posts[i + 1] <= 0)]


def _change(page: Any, widget: str, label: str) -> None:
    before = h.plot_signature(page, "tl_chart")
    h.choose(page, widget, label)
    h.wait_plot_change(page, "tl_chart", before)
    h.wait_idle(page)


def test_a_day_of_a_long_line_without_markers_still_hovers_and_clicks_to_its_posts(page: Any, server: str,
                                                                                    story: Path):
    h.open_page(page, server + "timelines?tl_terms=無断学習&tl_freq=day", h.key("tl_chart") + " .js-plotly-plot")
    daily = _daily(story, "無断学習")
    # it opens on the term's story: a window of few enough days that each is marked
    lo, hi = page.evaluate("(s) => document.querySelector(s + ' .js-plotly-plot')._fullLayout.xaxis.range",
                           h.key("tl_chart"))
    (line,) = [t for t in h.plot_data(page, "tl_chart") if t["legendgroup"]]
    shown = [x for x in line["x"] if lo[:10] <= x[:10] <= hi[:10]]
    assert 0 < len(shown) <= charts.MARKERS_UP_TO < len(line["x"]) and line["drawn"] == len(shown)
    # the whole span (no story highlighted): too many days to mark
    h.pick(page, "tl_story", "none")
    page.wait_for_function("(s) => { const line = document.querySelector(s + ' .scatterlayer .trace');"
                           "  return line !== null && line.querySelectorAll('path.point').length <= 1; }",
                           arg=h.key("tl_chart"))  # null while Streamlit mounts the new chart: wait on
    h.wait_idle(page)
    traces = h.plot_data(page, "tl_chart")
    (line,) = [t for t in traces if t["legendgroup"]]  # one line, no lone points on a linear scale
    assert line["y"] == daily["posts"].to_list() and len(line["x"]) > charts.MARKERS_UP_TO
    assert line["mode"] == "lines+markers" and line["drawn"] <= 1  # markers there to click, none drawn
    # every event in the data's span keeps its marker (one per event, in traces by kind)
    first, last = daily["period"].min(), daily["period"].max()
    events = load_events().filter(pl.col("date").is_between(first, last))
    drawn_events = [t for t in traces if not t["legendgroup"]]
    assert events.height > 0 and sum(t["drawn"] for t in drawn_events) == events.height
    assert sorted(x[:10] for t in drawn_events for x in t["x"]) == sorted(d.isoformat() for d in events["date"])
    assert len(traces) == 1 + events.get_column("kind").n_unique()

    # a day that is neither the peak (listed from the start) nor empty: hover shows its count, a click its posts
    peak = daily["posts"].max()
    order = sorted(range(daily.height), key=lambda j: -daily["posts"][j])
    i = next(j for j in order if 0 < daily["posts"][j] < peak)
    day, count = daily["period"][i].isoformat(), daily["posts"][i]
    listed = h.wait_table(page, "tl_posts")
    page.locator(h.key("tl_chart")).scroll_into_view_if_needed()
    x, y = h.point_position(page, "tl_chart", 0, i)
    page.mouse.move(x, y)
    hover = page.locator(h.key("tl_chart") + " .hoverlayer")
    hover.get_by_text(day).first.wait_for()
    assert f"count: {count}" in hover.text_content() and "無断学習" in hover.text_content()
    page.mouse.click(x, y)
    rows = h.wait_table_change(page, "tl_posts", listed)[1:]
    page.get_by_text(f"{min(count, 200)} of {count} posts").wait_for()
    assert rows and all(r[0][:10] == day and r[3] == "無断学習" for r in rows)

    # on a log scale a day between days without uses is on no segment: it keeps its marker
    _change(page, "tl_scale", "log")
    traces = h.plot_data(page, "tl_chart")
    line, *lone = [t for t in traces if t["legendgroup"]]
    expected = _lone_days(daily)
    assert expected, "the story has days with uses between days without"
    (lone,) = lone
    assert [x[:10] for x in lone["x"]] == expected and lone["drawn"] == len(expected)
    assert lone["hoverinfo"] == "skip" and lone["legendgroup"] == "無断学習" and line["drawn"] <= 1


#: JavaScript: watch every new plotly chart in ``sel`` and keep, per chart, the distinct ``calcdata`` arrays it
#: had when plotly said it had drawn (plotly_afterplot). A full draw computes a new one; an update that
#: draws nothing keeps it.
WATCH_DRAWS = """(sel) => {
    window.__draws = [];
    const seen = new WeakSet();
    if (window.__drawObserver) window.__drawObserver.disconnect();
    window.__drawObserver = new MutationObserver(() => document.querySelectorAll(sel + ' .js-plotly-plot')
        .forEach(el => {
            if (seen.has(el) || !el.on) return;
            seen.add(el);
            const calcs = [];
            window.__draws.push(calcs);
            el.on('plotly_afterplot', () => { if (!calcs.includes(el.calcdata)) calcs.push(el.calcdata); });
        }));
    window.__drawObserver.observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def test_each_new_chart_is_drawn_once(page: Any, server: str):
    """Streamlit hands plotly a copy of each new figure after the first draw; plotly drew the whole chart
    again when the copy looked different (charts.drawn_once). Now each new chart is computed and drawn once."""
    h.open_page(page, server + "timelines", h.key("tl_chart") + " .js-plotly-plot")
    for widget, label in (("tl_scale", "log"), ("tl_measure", "authors"), ("tl_freq", "day")):
        page.evaluate(WATCH_DRAWS, h.key("tl_chart"))
        _change(page, widget, label)
        page.wait_for_timeout(300)  # the second draw followed the first within a frame or two
        draws = page.evaluate("window.__draws.map(calcs => calcs.length)")  # the old chart draws nothing
        assert [n for n in draws if n] == [1], (widget, label, draws)  # was [2] before drawn_once


def _frame() -> pl.DataFrame:
    days = [D(2022, 6, 1) + dt.timedelta(days=d) for d in range(150)]
    values = [(d * 7) % 23 for d in range(150)]
    return pl.DataFrame({"period": days * 2, "term": ["無断学習"] * 150 + ["mimic"] * 150,
                         "posts": values + values[::-1], "authors": values + values[::-1],
                         "share_per_10k": [v / 3 for v in values + values[::-1]],
                         "cumulative_posts": values * 2, "cumulative_authors": values * 2})


def _png(page: Any, fig: Any) -> Image.Image:
    page.evaluate("""async (spec) => { const g = document.getElementById('g'); Plotly.purge(g);
                      const f = JSON.parse(spec);
                      await Plotly.newPlot(g, f.data, f.layout, {displayModeBar: false}); }""",
                  pio.to_json(fig, validate=False))
    return Image.open(io.BytesIO(page.locator("#g").screenshot())).convert("RGB")


def test_a_figure_without_its_template_draws_the_same_pixels(browser: Any):
    """drawn_once writes the template's look into the layout: plotly.js draws the same picture as with the
    template, lines, markers, event lines and labels, log axis, window, Japanese dates alike."""
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.set_content("<html><body style='margin:0'><div id=g style='width:1100px'></div></body></html>")
    page.add_script_tag(path=str(PLOTLY_JS))
    events = pl.DataFrame({"date": [D(2022, 7, 1), D(2022, 8, 29)], "label": ["Stable Diffusion", "mimic β"],
                           "kind": ["model", "service"]})
    weekly = _frame().filter(pl.col("period").dt.weekday() == 1)
    window = {"window": (D(2022, 8, 1), D(2022, 9, 15)), "highlight": {(D(2022, 8, 29), "mimic β")}}
    for frame, kw in ((_frame(), {}), (_frame(), {"scale": "log"}), (weekly, {}), (_frame(), window),
                      (_frame(), {"measure": "share_per_10k", "lang": "ja"})):
        before = charts.timeline_chart(frame, events=events, once=False, **kw)
        after = charts.timeline_chart(frame, events=events, **kw)
        assert "template" in before.to_plotly_json()["layout"] and "template" not in after.to_plotly_json()["layout"]
        assert ImageChops.difference(_png(page, before), _png(page, after)).getbbox() is None, kw
    page.close()
