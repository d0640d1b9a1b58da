"""Posts (KWIC) and Collectors pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors.pipeline.schedule import add_schedule, run_now
from dtrack.data.store import Store
from tests.dashboard.conftest import open_app
from tests.dashboard.helpers import all_markdown, table
from tests.dashboard.story import FIXTURES, XSS_AUTHOR, XSS_TEXT


def test_posts_page_reads_its_filters_from_the_url(app):
    at = app(page="posts", query={"kw_term": "無断学習", "kw_from": "2021-01-01", "kw_to": "2021-04-30",
                                  "kw_context": "ai"}, lang="ja")
    assert at.segmented_control(key="kw_context").value == "ai"
    assert table(at, "kw_table")["time"].tolist() == ["2021-04-14 10:00"]  # the first AI use, not the 2 others
    at = app(page="posts", query={"kw_term": "mimic", "kw_from": "2022-08-29", "kw_to": "2022-08-29"})
    assert at.selectbox(key="kw_term").value == "mimic"
    posts = table(at, "kw_table")
    assert len(posts) > 0 and all(t.startswith("2022-08-29") for t in posts["time"])
    assert set(posts["match"].str.lower()) == {"mimic"}
    assert "dtrack posts mimic --from 2022-08-29 --to 2022-08-29 --context any --limit 200" in all_markdown(at)


def test_posts_page_kwic_columns_and_limit(app, story_store: Store):
    at = app(page="posts")
    at.selectbox(key="kw_term").set_value("無断学習").run()
    at.segmented_control(key="kw_context").set_value("ai").run()
    posts = table(at, "kw_table")
    assert list(posts.columns) == ["time", "platform", "left", "match", "right", "evidence", "author", "url"]
    assert (posts["evidence"] != "").all(), "AI-context rows show their cue words"
    at.number_input(key="kw_limit").set_value(3).run()
    assert len(table(at, "kw_table")) == 3
    assert at.warning, "a reached limit is said"
    at.multiselect(key="kw_platforms").set_value(["mastodon"]).run()
    assert set(table(at, "kw_table")["platform"]) == {"mastodon"}


def test_posts_page_shows_html_and_markdown_literally(app):
    at = app(page="posts", query={"kw_term": "無断学習", "kw_from": "2022-09-02", "kw_to": "2022-09-03"})
    posts = table(at, "kw_table")
    xss = posts[posts["author"] == XSS_AUTHOR].iloc[0]
    assert xss["left"] + xss["match"] + xss["right"] == XSS_TEXT
    heading = posts[posts["left"].str.contains("見出し")].iloc[0]
    assert heading["left"] == "# 見出し⏎- " and heading["right"].startswith(" _強調_ `code` <a href=")
    text = all_markdown(at)
    assert "<script" not in text and "見出し" not in text and "evil.example" not in text


@pytest.fixture
def own_store(story_store: Store, tmp_path: Path) -> Store:
    """A copy of the story store this test may write to."""
    shutil.copytree(story_store.path, tmp_path / "store")
    return Store(tmp_path / "store")


def test_ingest_from_disk_adds_and_tags_posts(own_store: Store, monkeypatch):
    before = own_store.version
    at = open_app(own_store.path, monkeypatch, page="collectors")
    at.text_input(key="col_path").set_value(str(FIXTURES / "extra" / "later.ndjson"))
    at.selectbox(key="col_format").set_value("ndjson")
    at.button(key="col_ingest").click().run()
    assert not at.exception
    assert at.success and "3 new" in at.success[0].value
    assert own_store.version != before
    reports = table(at, "col_reports")
    assert reports["status"].tolist() == ["ok"] and reports["new"].tolist() == [3]
    hits = own_store.scan_hits().filter(pl.col("post_id") == "bl90002").collect()
    assert hits.height > 0, "the new posts were tagged"
    at.switch_page("views/overview.py").run()
    assert {m.label: m.value for m in at.metric}["Posts"] == "199"


def test_ingest_of_a_missing_path_is_an_error_message(own_store: Store, monkeypatch, tmp_path):
    at = open_app(own_store.path, monkeypatch, page="collectors")
    at.text_input(key="col_path").set_value(str(tmp_path / "nope.ndjson"))
    at.button(key="col_ingest").click().run()
    assert at.error and "nope.ndjson" in at.error[0].value


def test_schedules_run_history_and_quarantine(own_store: Store, monkeypatch, tmp_path):
    watch = tmp_path / "inbox"
    watch.mkdir()
    shutil.copy(FIXTURES / "extra" / "later.ndjson", watch / "later.ndjson")
    add_schedule(own_store, "inbox", watch, every="1h", fmt="ndjson", settle=0)
    run_now(own_store, "inbox")
    at = open_app(own_store.path, monkeypatch, page="collectors")
    schedules = table(at, "col_schedules")
    assert schedules["name"].tolist() == ["inbox"]
    ledger = table(at, "col_ledger")
    assert ledger["job"].tolist() == ["inbox"] and ledger["new"].tolist() == [3]
    quarantine = table(at, "col_quarantine")
    assert len(quarantine) == 2 and set(quarantine["source_line"]) == {197, 198}
