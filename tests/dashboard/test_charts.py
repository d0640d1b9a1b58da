"""Charts are pure functions: frames in, plotly figures out, tested without Streamlit."""

from __future__ import annotations

import datetime as dt
import json

import plotly.io as pio
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtrack.dashboard import charts

D = dt.date


def _timeline() -> pl.DataFrame:
    return pl.DataFrame({
        "period": [D(2022, 8, 28), D(2022, 8, 29), D(2022, 8, 28), D(2022, 8, 29)],
        "term": ["無断学習", "無断学習", "mimic", "mimic"],
        "posts": [1, 12, 0, 5],
        "authors": [1, 10, 0, 5],
        "share_per_10k": [10.0, 120.0, 0.0, 50.0],
        "cumulative_posts": [1, 13, 0, 5],
        "cumulative_authors": [1, 11, 0, 5],
    })


def test_every_chart_uses_a_japanese_font():
    figs = [
        charts.timeline_chart(_timeline()),
        charts.coverage_chart(pl.DataFrame({"period": [D(2022, 1, 1)], "platform": ["x"], "posts": [1]})),
        charts.adoption_chart(_timeline()),
        charts.around_event_chart(_timeline(), D(2022, 8, 29), "mimic β"),
        charts.xcorr_chart(pl.DataFrame({"lag": [-1, 0, 1], "correlation": [0.1, 0.9, -0.2]}), "a", "b"),
    ]
    for fig in figs:
        assert fig.layout.font.family.startswith("Noto Sans CJK JP")


def test_timeline_lines_per_term_with_count_and_first_posts_in_hover():
    hover = pl.DataFrame({"term": ["無断学習"], "period": [D(2022, 8, 29)],
                          "first_posts": [["08-29 01:00 mimicで無断学習", "08-29 02:00 <b>bold</b>"]]})
    fig = charts.timeline_chart(_timeline(), hover=hover)
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {"無断学習", "mimic"}
    trace = by_name["無断学習"]
    assert list(trace.y) == [1, 12] and list(trace.x) == ["2022-08-28", "2022-08-29"]
    assert trace.legendgroup == "無断学習"  # what a click reads back, with the point's date
    assert trace.customdata[1][0] == 12
    assert "mimicで無断学習" in trace.customdata[1][1]
    assert "<b>bold</b>" not in trace.customdata[1][1] and "&lt;b&gt;bold&lt;/b&gt;" in trace.customdata[1][1]
    assert "%{fullData.name}" in trace.hovertemplate and "%{y:,}" in trace.hovertemplate
    assert "%{customdata[1]}" in trace.hovertemplate


def test_points_carry_customdata_only_for_what_the_hover_shows():
    plain = charts.timeline_chart(_timeline())
    assert all(t.customdata is None for t in plain.data) and "customdata" not in plain.data[0].hovertemplate
    shares = charts.timeline_chart(_timeline(), measure="share_per_10k")
    trace = next(t for t in shares.data if t.name == "無断学習")
    assert [list(c) for c in trace.customdata] == [[1, ""], [12, ""]]  # the count next to the share
    assert "%{customdata[0]:,}" in trace.hovertemplate and "%{customdata[1]}" not in trace.hovertemplate


def _daily(days: int, values: list | None = None, term: str = "無断学習") -> pl.DataFrame:
    start = D(2020, 1, 1)
    values = values if values is not None else [d % 7 for d in range(days)]
    return pl.DataFrame({"period": [start + dt.timedelta(days=d) for d in range(days)], "term": [term] * days,
                         "posts": values, "authors": values, "share_per_10k": [float(v) for v in values]})


def test_long_lines_draw_no_markers_but_every_point_hovers_and_clicks():
    """A line with more points than MARKERS_UP_TO keeps its markers invisible (one drawn): plotly hovers and
    selects every point of it; a short one draws them all."""
    long = charts.timeline_chart(_daily(charts.MARKERS_UP_TO + 1))
    (line,) = long.data
    assert line.mode == "lines+markers" and line.marker.opacity == 0 and line.marker.maxdisplayed == 1
    assert len(line.x) == charts.MARKERS_UP_TO + 1
    (short,) = charts.timeline_chart(_daily(charts.MARKERS_UP_TO)).data
    assert short.marker.opacity is None and short.marker.maxdisplayed is None and short.marker.size == 5
    # zoomed to a window of few points: marked there, no more markers than that when zoomed out
    window = (D(2020, 2, 1), D(2020, 3, 1))
    (zoomed,) = charts.timeline_chart(_daily(1461), window=window).data
    assert zoomed.marker.opacity is None and zoomed.marker.maxdisplayed == charts.MARKERS_UP_TO


def test_a_lone_point_a_line_cannot_reach_keeps_its_marker():
    days = charts.MARKERS_UP_TO + 40
    values = [0] * days
    values[10] = 3  # between zeros: a spike on a linear scale, nothing on a log scale
    values[50:53] = [2, 4, 1]  # a segment: drawn as a line either way
    values[-1] = 5  # the last day, after a zero
    log = charts.timeline_chart(_daily(days, values), scale="log")
    line, lone = log.data
    assert lone.mode == "markers" and lone.showlegend is False and lone.hoverinfo == "skip"
    assert lone.legendgroup == line.legendgroup == "無断学習" and lone.marker.color == line.line.color
    last = (D(2020, 1, 1) + dt.timedelta(days=days - 1)).isoformat()
    assert list(lone.x) == ["2020-01-11", last] and list(lone.y) == [3, 5]
    assert len(charts.timeline_chart(_daily(days, values)).data) == 1  # linear: every point is on the line
    shares = _daily(days, values).with_columns(  # hidden shares (null) around every use but the segment's 2
        share_per_10k=pl.when(pl.col("posts").is_in([0, 4])).then(None).otherwise(pl.col("share_per_10k")))
    _, lone = charts.timeline_chart(shares, measure="share_per_10k").data
    assert list(lone.y) == [3.0, 2.0, 1.0, 5.0]


def test_the_timeline_reaches_the_browser_as_a_figure_plotly_draws_once():
    """What made Streamlit's chart draw every timeline twice is gone (charts.drawn_once), and the house
    template's look is written into the layout instead (tests/e2e/test_chart_drawing.py compares pixels)."""
    events = pl.DataFrame({"date": [D(2022, 8, 22)], "label": ["Stable Diffusion"], "kind": ["model"]})
    fig = charts.timeline_chart(_timeline(), events=events)
    spec = json.loads(pio.to_json(fig, validate=False))
    assert "template" not in spec["layout"]
    assert "bdata" not in json.dumps(spec)  # no typed arrays
    assert spec["layout"]["dragmode"] == "pan" and spec["layout"]["clickmode"] == "event+select"
    white = pio.templates["plotly_white"].layout
    assert spec["layout"]["plot_bgcolor"] == white.plot_bgcolor and spec["layout"]["font"]["color"] == white.font.color
    for axis in ("xaxis", "yaxis", "yaxis9"):  # the template's axis style on every axis, its line colour left out
        assert spec["layout"][axis]["gridcolor"] == white.xaxis.gridcolor and "linecolor" not in spec["layout"][axis]
    assert spec["layout"]["xaxis"]["automargin"] is False  # the chart's own value wins over the template's
    again = charts.timeline_chart(_timeline(), events=events)
    other = charts.timeline_chart(_timeline().with_columns(posts=pl.col("posts") + 1), events=events)
    assert fig.layout.datarevision == again.layout.datarevision != other.layout.datarevision


@pytest.mark.parametrize(("measure", "scale", "window", "lang"), [
    ("posts", "linear", None, "en"),
    ("share_per_10k", "log", (D(2022, 8, 1), D(2022, 9, 30)), "ja"),
    ("authors", "linear", (D(2022, 8, 28), D(2022, 8, 28)), "en"),
])
def test_the_timeline_built_without_a_template_is_the_templated_one_drawn_once(measure, scale, window, lang):
    """The timeline is built without plotly's template (an update of a templated figure copies the template
    whole: half of the build on the server) and dict traces (validated once, not twice); what reaches the
    browser is the same JSON as the templated figure passed through drawn_once."""
    events = pl.DataFrame({"date": [D(2022, 8, 22), D(2022, 8, 29)], "label": ["Stable Diffusion", "<b>x</b>"],
                           "kind": ["model", None]})
    hover = pl.DataFrame({"term": ["無断学習"], "period": [D(2022, 8, 29)], "first_posts": [["a <i>b</i>", "c"]]})
    days = pl.DataFrame({"period": pl.date_range(D(2022, 1, 1), D(2022, 12, 31), eager=True)}).join(
        pl.DataFrame({"term": ["無断学習", "mimic"]}), how="cross").with_columns(
        posts=pl.int_range(pl.len()) % 7, authors=pl.int_range(pl.len()) % 5,
        share_per_10k=(pl.int_range(pl.len()) % 3).cast(pl.Float64), cumulative_posts=pl.int_range(pl.len()),
        cumulative_authors=pl.int_range(pl.len()))
    for frame in (_timeline(), days):
        kw = {"measure": measure, "scale": scale, "events": events, "lang": lang, "window": window,
              "highlight": {(D(2022, 8, 22), "Stable Diffusion")}, "hover": hover}
        fast = charts.timeline_chart(frame, **kw)
        templated = charts.timeline_chart(frame, once=False, **kw)
        assert templated.layout.template.layout.plot_bgcolor is not None
        spec = pio.to_json(fast, validate=False)
        assert spec == pio.to_json(charts.drawn_once(templated), validate=False) and '"template"' not in spec


def test_timeline_measure_and_log_scale():
    fig = charts.timeline_chart(_timeline(), measure="share_per_10k", scale="log")
    assert fig.layout.yaxis.type == "log"
    assert list(next(t for t in fig.data if t.name == "無断学習").y) == [10.0, 120.0]


def test_events_are_labelled_vertical_markers_and_escaped():
    events = pl.DataFrame({"date": [D(2022, 8, 22), D(2022, 8, 29)],
                           "label": ["Stable Diffusion", "mimic β <script>"], "kind": ["model", "service"]})
    fig = charts.timeline_chart(_timeline(), events=events)
    assert [s.x0 for s in fig.layout.shapes] == ["2022-08-22T00:00:00", "2022-08-29T00:00:00"]
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["Stable Diffusion", "mimic β &lt;script&gt;"]
    assert fig.layout.shapes[0].line.color != fig.layout.shapes[1].line.color  # coloured by kind


def test_coverage_gaps_are_shaded_from_midnight_to_midnight():
    counts = pl.DataFrame({"period": [D(2022, 1, d) for d in range(1, 6)], "platform": ["x"] * 5,
                           "posts": [3, 0, 0, 0, 2]})
    gaps = pl.DataFrame({"start": [D(2022, 1, 2)], "end": [D(2022, 1, 4)], "days": [3]})
    fig = charts.coverage_chart(counts, gaps)
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1) == ("2022-01-02T00:00:00", "2022-01-05T00:00:00")
    assert fig.layout.barmode == "stack"


def test_adoption_small_multiples_mark_takeoff():
    takeoffs = pl.DataFrame({"term": ["無断学習", "mimic"], "takeoff": [D(2022, 8, 29), None]})
    fig = charts.adoption_chart(_timeline(), takeoffs)
    assert len(fig.data) == 2
    assert [a.text for a in fig.layout.annotations][:2] == ["無断学習", "mimic"]  # one panel per term
    assert [s.x0 for s in fig.layout.shapes] == ["2022-08-29T00:00:00"]
    assert list(fig.data[0].y) == [1, 11]


def test_xcorr_highlights_the_strongest_lag():
    fig = charts.xcorr_chart(pl.DataFrame({"lag": [-1, 0, 1], "correlation": [0.1, -0.9, 0.3]}), "a", "b")
    colours = list(fig.data[0].marker.color)
    assert colours[1] != colours[0] == colours[2]


# -- label layout: no two labels overlap ---------------------------------------------------------------------
def _overlaps(boxes: list[tuple[int, float, float] | None], gap: float = 0.0) -> list[tuple[int, int]]:
    placed = [(i, b) for i, b in enumerate(boxes) if b is not None]
    return [(i, j) for n, (i, a) in enumerate(placed) for j, b in placed[n + 1:]
            if a[0] == b[0] and a[1] < b[2] + gap and b[1] < a[2] + gap]


def test_place_labels_stacks_crowded_labels_in_rows_without_overlap():
    # five labels 100 px wide at nearly the same x: five rows; a sixth far right shares row 0
    boxes = charts.place_labels([10, 12, 14, 16, 18, 700], [100] * 6, plot_width=900, rows=6, gap=6)
    assert [b[0] for b in boxes] == [0, 1, 2, 3, 4, 0]
    assert boxes[0] == (0, 10, 110)
    assert not _overlaps(boxes, gap=6)


def test_place_labels_right_edge_and_no_room():
    boxes = charts.place_labels([850, 860, 870], [100, 100, 100], plot_width=900, rows=2, gap=6)
    assert boxes[0] == (0, 750, 850)          # would run past the edge: it ends at its line instead
    assert boxes[1][0] == 1 and boxes[2] is None  # two rows only: the third finds no room
    assert not _overlaps(boxes, gap=6)


def test_place_labels_order_gives_the_important_ones_the_low_rows():
    boxes = charts.place_labels([0, 5], [50, 50], plot_width=900, rows=2, order=[1, 0])
    assert boxes[1][0] == 0 and boxes[0][0] == 1


@settings(max_examples=60)
@given(st.lists(st.tuples(st.floats(0, 900), st.floats(5, 300)), max_size=40), st.integers(1, 8))
def test_place_labels_never_overlaps(items, rows):
    boxes = charts.place_labels([x for x, _ in items], [w for _, w in items], plot_width=900, rows=rows, gap=4)
    assert not _overlaps(boxes, gap=4)
    for (x, w), box in zip(items, boxes, strict=True):
        if box is not None:
            assert box[2] - box[1] == pytest.approx(w) and x in (pytest.approx(box[1]), pytest.approx(box[2]))


def test_text_width_counts_japanese_as_wide():
    assert charts.text_width("無断学習") > charts.text_width("abcd") > charts.text_width("ab")


def _label_boxes(fig) -> list[tuple[int, float, float]]:
    """The track labels of a figure as (row, left, right) in the layout's pixels, recomputed from the layout."""
    lo, hi = (dt.datetime.fromisoformat(v) for v in fig.layout.xaxis.range)
    out = []
    for a in fig.layout.annotations:
        if not (a.name or "").startswith("track"):
            continue
        x = (dt.datetime.fromisoformat(a.x) - lo) / (hi - lo) * charts.LAYOUT_WIDTH
        text = a.text.removeprefix("<b>").removesuffix("</b>").replace("&lt;", "<").replace("&gt;", ">")
        w = charts.text_width(text.replace("&amp;", "&"))
        out.append((int(a.name[5:]), x, x + w) if a.xanchor == "left" else (int(a.name[5:]), x - w, x))
    return out


def test_the_shipped_events_on_a_timeline_have_no_overlapping_labels():
    from dtrack.data.events import load_events

    events = load_events()
    periods = pl.date_range(D(2020, 6, 1), D(2024, 1, 31), "1w", eager=True)
    frame = pl.DataFrame({"period": periods, "term": "無断学習", "posts": 1, "authors": 1, "share_per_10k": 1.0,
                          "cumulative_posts": 1, "cumulative_authors": 1})
    fig = charts.timeline_chart(frame, events=events, lang="ja")
    boxes = _label_boxes(fig)
    assert len(boxes) >= 8 and not _overlaps(boxes)
    assert len(fig.layout.shapes) == events.height  # every event keeps its line
    kinds = {t.name for t in fig.data if t.yaxis == "y9"}
    assert {"モデル", "サービス", "データセット"} <= kinds  # a legend entry per kind, translated
    assert fig.layout.margin.t > 40 and fig.layout.legend.yref == "container"


def test_highlighted_events_are_bold_and_placed_first():
    events = pl.DataFrame({"date": [D(2022, 8, 28), D(2022, 8, 28)], "label": ["other", "mimic β"],
                           "kind": ["model", "service"]})
    fig = charts.timeline_chart(_timeline(), events=events, highlight={(D(2022, 8, 28), "mimic β")})
    notes = {a.text: a for a in fig.layout.annotations}
    assert notes["<b>mimic β</b>"].name == "track0" and notes["other"].name == "track1"
    widths = [s.line.width for s in fig.layout.shapes]
    assert sorted(widths) == [1, 2]


def _story_row() -> dict:
    return {"term": "無断学習", "first_seen": D(2020, 7, 12), "first_ai_seen": D(2021, 4, 14), "dormancy_days": 473,
            "dormant_after": D(2021, 4, 14), "dormant_until": D(2022, 8, 1), "takeoff": D(2022, 8, 23),
            "peak": D(2022, 8, 31), "peak_posts": 10}


def _story_frame() -> pl.DataFrame:
    periods = pl.date_range(D(2020, 7, 6), D(2022, 9, 26), "1w", eager=True)
    posts = [1 if i % 17 == 0 else 0 for i in range(len(periods) - 5)] + [2, 39, 28, 28, 2]
    return pl.DataFrame({"period": periods, "posts": posts, "ai_posts": [max(p - 1, 0) for p in posts]})


def test_story_chart_marks_and_dates_every_milestone_on_a_log_axis():
    fig = charts.story_chart(_story_frame(), _story_row(), lang="ja")
    texts = [a.text for a in fig.layout.annotations]
    for expected in ("初出 2020-07-12", "AI 文脈の初出 2021-04-14", "離陸 2022-08-23", "ピーク 2022-08-31 (10 件)",
                     "473 日の休眠"):
        assert f"<b>{expected}</b>" in texts
    assert fig.layout.yaxis.type == "log"  # 39 against single early posts
    (rect,) = [s for s in fig.layout.shapes if s.type == "rect"]
    assert (rect.x0, rect.x1) == ("2021-04-15T00:00:00", "2022-08-01T00:00:00")
    assert not _overlaps(_label_boxes(fig))
    flat = _story_frame().with_columns(posts=pl.lit(3), ai_posts=pl.lit(2))
    assert charts.story_chart(flat, _story_row()).layout.yaxis.type == "linear"


def test_story_chart_without_dormancy_or_takeoff():
    row = {**_story_row(), "takeoff": None, "dormancy_days": None, "dormant_after": None, "dormant_until": None}
    fig = charts.story_chart(_story_frame(), row)
    texts = [a.text for a in fig.layout.annotations]
    assert "<b>first use 2020-07-12</b>" in texts and not any("takeoff" in t for t in texts)
    assert not [s for s in fig.layout.shapes if s.type == "rect"]


def test_xcorr_axis_title_is_translated_in_picker_order():
    frame = pl.DataFrame({"lag": [-1, 0, 1], "correlation": [0.1, 0.9, -0.2]})
    assert charts.xcorr_chart(frame, "mimic", "無断学習", lang="ja").layout.xaxis.title.text.startswith(
        "ラグ (日): mimic → 無断学習")
    english = charts.xcorr_chart(frame, "mimic", "無断学習").layout.xaxis.title.text
    assert english.startswith("lag (days): mimic → 無断学習")


def test_timeline_margins_are_fixed_so_the_browser_draws_once():
    """No automargin (plotly would draw, measure the labels and draw again); the margins hold the axes
    (tests/e2e/test_timeline_reruns.py checks in the browser that no axis label is cut)."""
    plain = charts.timeline_chart(_timeline())
    events = pl.DataFrame({"date": [D(2022, 8, 28)], "label": ["mimic β"], "kind": ["service"]})
    for fig in (plain, charts.timeline_chart(_timeline(), events=events, lang="ja")):
        assert fig.layout.xaxis.automargin is False and fig.layout.yaxis.automargin is False
        assert fig.layout.margin.l == charts.AXIS_ROOM_LEFT
        assert fig.layout.margin.b >= charts.AXIS_ROOM_BOTTOM
    assert plain.layout.height == 460 + charts.AXIS_ROOM_BOTTOM
