"""Overview page: figures of the store, coverage chart with gaps, sources, quarantine, dictionary."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dtrack.data.store import Store
from tests.dashboard.conftest import open_app
from tests.dashboard.helpers import figure, table
from tests.dashboard.story import STORY_POSTS, STORY_QUARANTINED


def test_metrics_show_the_store(app, story_store: Store):
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Posts"] == f"{STORY_POSTS:,}"
    assert metrics["Quarantined"] == str(STORY_QUARANTINED)
    assert metrics["Sources"] == "1"
    hits = story_store.scan_hits().select(pl.len()).collect().item()
    assert hits > 0 and metrics["Term hits"] == f"{hits:,}"
    captions = "\n".join(c.value for c in at.caption)
    assert "First post 2020-06-01 · last post 2022-09-19 (days in Asia/Tokyo)" in captions
    assert story_store.version in captions


def test_coverage_chart_stacks_platforms_and_changes_with_the_period(app):
    at = app()
    daily = figure(at, "ov_chart")
    assert [t["name"] for t in daily["data"]] == ["bluesky", "mastodon", "twitter"]
    assert daily["layout"]["barmode"] == "stack"
    assert sum(sum(t["y"]) for t in daily["data"]) == STORY_POSTS
    # every day between the first and last post is a bar, empty days included (so gaps show)
    days = (dt.date(2022, 9, 19) - dt.date(2020, 6, 1)).days + 1
    assert all(len(t["x"]) == days for t in daily["data"])
    assert daily["layout"]["shapes"], "gaps are shaded"
    at.segmented_control(key="ov_freq").set_value("month").run()
    monthly = figure(at, "ov_chart")
    assert len(monthly["data"][0]["x"]) == 28  # 2020-06 .. 2022-09
    assert sum(sum(t["y"]) for t in monthly["data"]) == STORY_POSTS


def test_gap_threshold_widget_filters_gaps(app):
    at = app()
    few = table(at, "ov_gaps")
    at.number_input(key="ov_gap_days").set_value(2).run()
    more = table(at, "ov_gaps")
    assert len(more) > len(few) > 0
    assert (more["days"] >= 2).all() and (few["days"] >= 7).all()


def test_sources_and_quarantine_tables(app):
    at = app()
    sources = table(at, "ov_sources")
    assert sources["new"].tolist() == [STORY_POSTS]
    assert sources["quarantined"].tolist() == [STORY_QUARANTINED]
    reasons = table(at, "ov_quarantine")
    assert reasons["records"].sum() == STORY_QUARANTINED
    assert any("created_at" in r for r in reasons["reason"])


def test_dictionary_lists_terms_with_hit_counts(app, story_store: Store):
    at = app()
    terms = table(at, "ov_dictionary")
    counts = dict(zip(terms["term"], terms["hits"], strict=True))
    stored = dict(story_store.scan_hits().group_by("term").len().collect().iter_rows())
    assert counts["無断学習"] == stored["無断学習"] > 0
    assert not at.warning, "hits were tagged with the current dictionary"


def test_language_switch_translates_labels(app):
    at = app()
    assert at.title[0].value == "Overview"
    at.segmented_control(key="lang").set_value("ja").run()
    assert at.title[0].value == "概要"
    assert "投稿数" in {m.label for m in at.metric}
    assert figure(at, "ov_chart")["layout"]["yaxis"]["title"]["text"] == "投稿数"


def test_empty_store_says_what_to_do(tmp_path, monkeypatch):
    at = open_app(tmp_path / "empty", monkeypatch)
    assert "holds no posts yet" in at.info[0].value
    assert not at.get("plotly_chart")
    for page in ("timelines", "emergence", "events", "posts", "collectors"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, page
        assert page == "collectors" or "holds no posts yet" in at.info[0].value
    assert not (tmp_path / "empty").exists(), "looking does not create a store"


def test_new_ingest_shows_without_restart(tmp_path, monkeypatch):
    """The loaders are keyed on the store version: a write shows on the next run."""
    from dtrack.collectors.pipeline.ingest import ingest_paths
    from tests.dashboard.story import STORY

    store = Store(tmp_path / "store")
    at = open_app(store.path, monkeypatch)
    assert at.info, "empty at first"
    with store.writer() as writer:
        ingest_paths(writer, [STORY], fmt="ndjson")
    at.run()
    assert {m.label: m.value for m in at.metric}["Posts"] == f"{STORY_POSTS:,}"


def test_a_bad_timezone_falls_back_with_a_warning(app):
    at = app()
    at.text_input(key="tz").set_value("Mars/Olympus").run()
    assert at.sidebar.warning and "Mars/Olympus" in at.sidebar.warning[0].value
    at.text_input(key="tz").set_value("UTC").run()
    assert not at.sidebar.warning
    assert "(days in UTC)" in "\n".join(c.value for c in at.caption)
