"""Term timelines page: filters drive the chart, events are marked, the posts behind a point are listed."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dtrack.analysis.timeline import timeline
from dtrack.dashboard.views.timelines import hide_small_shares
from dtrack.data.events import load_events
from dtrack.data.store import Store
from tests.dashboard.helpers import all_markdown, figure, table
from tests.dashboard.story import XSS_AUTHOR

D = dt.date


def _traces(at) -> dict[str, dict]:
    return {t["name"]: t for t in figure(at, "tl_chart")["data"]}


def _expected(store: Store, terms: list[str], **kw) -> pl.DataFrame:
    return timeline(store.scan_posts(), store.scan_hits(), terms, **kw).collect()


def _y(trace: dict) -> list:
    """Trace values as sent (plotly may encode arrays as base64 typed arrays)."""
    import base64

    import numpy as np

    y = trace["y"]
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"])).tolist()
    return list(y)


def test_default_chart_is_the_two_most_used_terms_by_week(app, story_store: Store):
    """The story spans 841 days: longer than DAY_VIEW_DAYS, so it opens by week."""
    at = app(page="timelines")
    assert at.multiselect(key="tl_terms").value == ["無断学習", "無断転載"]
    assert at.segmented_control(key="tl_freq").value == "week"
    traces = _traces(at)
    expected = _expected(story_store, ["無断学習", "無断転載"], freq="week")
    for term in ("無断学習", "無断転載"):
        assert _y(traces[term]) == expected.filter(pl.col("term") == term)["posts"].to_list()
    assert "original posts only" in all_markdown(at)


def test_filters_change_the_chart_like_the_cli_options(app, story_store: Store):
    at = app(page="timelines")
    at.multiselect(key="tl_terms").set_value(["無断学習"]).run()
    at.segmented_control(key="tl_freq").set_value("month").run()
    assert _y(_traces(at)["無断学習"]) == _expected(story_store, ["無断学習"], freq="month")["posts"].to_list()
    at.segmented_control(key="tl_freq").set_value("week").run()
    weekly = _expected(story_store, ["無断学習"], freq="week")
    trace = _traces(at)["無断学習"]
    assert _y(trace) == weekly["posts"].to_list()
    assert all(D.fromisoformat(day[:10]).weekday() == 0 for day in trace["x"])  # Mondays
    at.segmented_control(key="tl_context").set_value("ai").run()
    ai = _expected(story_store, ["無断学習"], freq="week", context="ai")
    assert _y(_traces(at)["無断学習"]) == ai["posts"].to_list()
    at.toggle(key="tl_reposts").set_value(True).run()
    with_reposts = _expected(story_store, ["無断学習"], freq="week", context="ai", include_reposts=True)
    assert _y(_traces(at)["無断学習"]) == with_reposts["posts"].to_list()
    at.multiselect(key="tl_platforms").set_value(["bluesky"]).run()
    bluesky = _expected(story_store, ["無断学習"], freq="week", context="ai", include_reposts=True,
                        platforms=["bluesky"])
    assert _y(_traces(at)["無断学習"]) == bluesky["posts"].to_list()
    at.segmented_control(key="tl_measure").set_value("share_per_10k").run()
    shares = [round(v, 6) if v is not None and v == v else None for v in _y(_traces(at)["無断学習"])]  # NaN is null
    drawn = bluesky.with_columns(share_per_10k=hide_small_shares())["share_per_10k"].to_list()
    assert shares == [round(v, 6) if v is not None else None for v in drawn]
    hidden = bluesky.filter(pl.col("posts") > 0, pl.col("posts") / pl.col("share_per_10k") * 10_000 < 30)
    assert hidden.height and all(shares[i] is None for i in range(len(shares)) if bluesky["posts"][i] > 0
                                 and bluesky["period"][i] in hidden["period"].to_list())
    assert "Share per 10k is hidden for periods with fewer than 30 posts" in all_markdown(at)
    at.segmented_control(key="tl_scale").set_value("log").run()
    assert figure(at, "tl_chart")["layout"]["yaxis"]["type"] == "log"
    assert "dtrack timeline 無断学習 --freq week --context ai --include-reposts --platform bluesky" in all_markdown(at)


def test_date_range_and_event_markers_by_kind(app):
    at = app(page="timelines")
    at.segmented_control(key="tl_freq").set_value("day").run()
    at.date_input(key="tl_range").set_value((D(2022, 8, 1), D(2022, 9, 10))).run()
    trace = _traces(at)["無断学習"]
    assert trace["x"][0] == "2022-08-01" and trace["x"][-1] == "2022-09-10"
    events = load_events().filter(pl.col("date").is_between(D(2022, 8, 1), D(2022, 9, 10)))
    layout = figure(at, "tl_chart")["layout"]
    assert len(layout["shapes"]) == events.height > 0
    labels = {a["text"].removeprefix("<b>").removesuffix("</b>").rstrip("…") for a in layout["annotations"]}
    assert any(a["text"].startswith("<b>") for a in layout["annotations"])  # the story's events, bold
    assert all(any(label.startswith(t) for label in events["label"]) for t in labels)
    at.multiselect(key="tl_event_kinds").set_value(["service"]).run()
    services = events.filter(pl.col("kind") == "service")
    assert len(figure(at, "tl_chart")["layout"]["shapes"]) == services.height
    at.multiselect(key="tl_event_kinds").set_value([]).run()
    assert not figure(at, "tl_chart")["layout"].get("shapes")


def test_choosing_a_period_lists_its_posts(app, story_store: Store):
    at = app(page="timelines")
    at.segmented_control(key="tl_freq").set_value("day").run()
    at.selectbox(key="tl_post_term").set_value("無断学習").run()
    at.selectbox(key="tl_period").set_value("2022-08-29").run()
    posts = table(at, "tl_posts")
    day = _expected(story_store, ["無断学習"]).filter(pl.col("period") == D(2022, 8, 29))["posts"].item()
    assert len(posts) == day > 0
    assert (posts["match"] == "無断学習").all()
    assert all(t.startswith("2022-08-29") for t in posts["time"])
    # the first post of the story's explosion: 2022-08-28T16:00Z is 2022-08-29 01:00 in Tokyo
    assert posts["time"].iloc[0] == "2022-08-29 01:00"
    at.segmented_control(key="tl_freq").set_value("month").run()
    at.selectbox(key="tl_period").set_value("2022-08-01").run()
    assert len(table(at, "tl_posts")) == _expected(story_store, ["無断学習"], freq="month").filter(
        pl.col("period") == D(2022, 8, 1))["posts"].item()


def test_post_text_is_never_rendered_as_markup(app):
    at = app(page="timelines")
    at.segmented_control(key="tl_freq").set_value("day").run()
    at.selectbox(key="tl_post_term").set_value("無断学習").run()
    at.selectbox(key="tl_period").set_value("2022-09-02").run()
    posts = table(at, "tl_posts")
    row = posts[posts["author"] == XSS_AUTHOR].iloc[0]
    assert row["left"] == "<script>alert('x')</script> **"
    assert row["right"].startswith("** は [ここ](javascript:alert(1)) <b>AI</b>")
    page_text = all_markdown(at)
    assert "<script" not in page_text and "alert(" not in page_text and "<img" not in page_text
    # hovers quote posts on short charts: a month around the post
    at.date_input(key="tl_range").set_value((D(2022, 8, 15), D(2022, 9, 15))).run()
    hover = [c[1] for t in figure(at, "tl_chart")["data"] for c in t.get("customdata") or []]
    assert any("&lt;script&gt;" in h for h in hover) and not any("<script" in h for h in hover)


def test_timeline_state_opens_from_the_url(app):
    """The filters are bound to the URL (the browser writes them there; a shared link reads them back)."""
    shared = app(page="timelines", query={"tl_terms": "mimic", "tl_freq": "month", "tl_reposts": "true"})
    assert shared.segmented_control(key="tl_freq").value == "month"
    assert shared.multiselect(key="tl_terms").value == ["mimic"]
    assert shared.toggle(key="tl_reposts").value is True
    assert "dtrack timeline mimic --freq month --context any --include-reposts" in all_markdown(shared)


def test_a_chart_asked_for_again_is_not_built_again_until_the_store_is_written(story_store: Store, tmp_path,
                                                                            monkeypatch):
    """Charts are kept per filter combination and store version (views.timelines._figure): toggling a measure
    back draws the chart built before, the same figure; a new ingest builds the new counts' chart."""
    import json
    import shutil

    from dtrack.collectors.pipeline.ingest import ingest_paths
    from dtrack.dashboard import charts
    from dtrack.dashboard.views import timelines
    from dtrack.nlp.tagger import tag_store
    from tests.dashboard.conftest import open_app

    path = tmp_path / "store"
    shutil.copytree(story_store.path, path)
    built = []
    build = charts.timeline_chart
    monkeypatch.setattr(charts, "timeline_chart", lambda *a, **kw: built.append(kw["measure"]) or build(*a, **kw))
    timelines._figure.clear()
    at = open_app(path, monkeypatch, page="timelines", query={"tl_terms": "無断学習", "tl_freq": "month"})
    first = figure(at, "tl_chart")
    at.segmented_control(key="tl_measure").set_value("authors").run()
    at.segmented_control(key="tl_measure").set_value("posts").run()
    assert figure(at, "tl_chart") == first and built == ["posts", "authors"]

    new = tmp_path / "new.ndjson"
    new.write_text(json.dumps({"id": "new-1", "platform": "twitter", "created_at": "2022-09-01T03:00:00Z",
                               "text": "AIに無断学習させないでください", "author_id": "someone"}, ensure_ascii=False)
                   + "\n", encoding="utf-8")
    store = Store(path)
    with store.writer() as writer:
        ingest_paths(writer, [new], fmt="ndjson")
        tag_store(store, writer=writer)
    at.run()
    assert built == ["posts", "authors", "posts"]
    september = [_y(t)[t["x"].index("2022-09-01")] for t in figure(at, "tl_chart")["data"] if t["name"] == "無断学習"]
    before = [_y(t)[t["x"].index("2022-09-01")] for t in first["data"] if t["name"] == "無断学習"]
    assert september == [before[0] + 1]
    expected = _expected(store, ["無断学習"], freq="month").filter(pl.col("period") == D(2022, 9, 1))["posts"]
    assert september == expected.to_list()
