"""The story in a real browser: the story page's dates, readable event labels, the language kept in the
URL, and the researcher's own events file (`dtrack dashboard --events FILE`) on the timeline.

Served by `dtrack dashboard` on the story corpus, driven in Debian's Chromium (tests/e2e/harness.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import dtrack
from tests.e2e.harness import (
    TIMEOUT_MS,
    dashboard_server,
    key,
    label_boxes,
    open_page,
    overlapping_pairs,
    wait_idle,
)

pytestmark = pytest.mark.e2e

#: A label only the researcher's events file has (short enough to be shown uncut).
OWN_EVENT = "研究会での発表 (own file)"


@pytest.fixture(scope="module")
def events_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("events") / "my-events.csv"
    path.write_text(f"date,label,kind\n2022-08-25,{OWN_EVENT},statement\n", encoding="utf-8")
    return path


def test_story_page_shows_the_first_ai_use_and_takeoff(page: Any, server: str, story: Path):
    row = dtrack.open_store(story).emergence(["無断学習"]).row(0, named=True)
    open_page(page, server + "story?term=無断学習", key("st_chart") + " .js-plotly-plot")
    sentence = page.locator(key("story_text")).inner_text()
    assert f"first used about AI on {row['first_ai_seen']}" in sentence
    assert f"took off on {row['takeoff']}" in sentence
    texts = [b["text"] for b in label_boxes(page, "st_chart")]
    assert f"first AI use {row['first_ai_seen']}" in texts and f"takeoff {row['takeoff']}" in texts


@pytest.mark.parametrize(("path", "chart"), [("story?term=無断学習", "st_chart"), ("timelines", "tl_chart"),
                                             ("story?term=mimic&lang=ja", "st_chart")])
def test_no_two_chart_labels_overlap(page: Any, server: str, path: str, chart: str):
    open_page(page, server + path, key(chart) + " .js-plotly-plot")
    page.locator(key(chart)).scroll_into_view_if_needed()
    boxes = label_boxes(page, chart)
    assert len(boxes) >= 4, boxes  # milestones and events are labelled
    assert overlapping_pairs(boxes) == []


def test_japanese_is_kept_across_reload_and_pages(page: Any, server: str):
    open_page(page, server + "?lang=ja", key("ov_chart") + " .js-plotly-plot")
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert "語の推移" in nav.inner_text()
    page.reload()
    page.wait_for_selector(key("ov_chart") + " .js-plotly-plot")
    wait_idle(page)
    assert "語の推移" in nav.inner_text() and "Term timelines" not in nav.inner_text()
    assert "lang=ja" in page.url
    nav.get_by_text("語の推移").click()
    page.wait_for_selector(key("tl_chart") + " .js-plotly-plot")
    wait_idle(page)
    assert "lang=ja" in page.url and "語の推移" in page.locator("h1").first.inner_text()


def test_dashboard_events_option_puts_the_researchers_events_on_the_timeline(
        browser: Any, story: Path, events_file: Path, tmp_path: Path):
    with dashboard_server(story, tmp_path / "dashboard.log", extra=("--events", str(events_file))) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        try:
            open_page(page, url + "timelines", key("tl_chart") + " .js-plotly-plot")
            texts = [b["text"] for b in label_boxes(page, "tl_chart")]
            assert OWN_EVENT in texts
            assert not any(t.startswith("mimic") for t in texts)  # the shipped events are not used
        finally:
            page.screenshot(path=str(tmp_path / "timeline.png"))
            context.close()
