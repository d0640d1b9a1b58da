"""Charts are pure functions: frames in, plotly figures out, tested without Streamlit."""

from __future__ import annotations

import datetime as dt

import polars as pl

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
    assert list(trace.y) == [1, 12]
    assert trace.customdata[1][0] == "無断学習" and trace.customdata[1][1] == "2022-08-29"
    assert trace.customdata[1][2] == 12
    assert "mimicで無断学習" in trace.customdata[1][3]
    assert "<b>bold</b>" not in trace.customdata[1][3] and "&lt;b&gt;bold&lt;/b&gt;" in trace.customdata[1][3]
    assert "%{customdata[2]" in trace.hovertemplate and "%{customdata[3]}" in trace.hovertemplate


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
