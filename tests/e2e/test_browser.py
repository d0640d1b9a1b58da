"""The dashboard in a real browser: `dtrack dashboard` served, Debian Chromium driven by Playwright.

One server and one browser for the module (the story store, ingested and
tagged by the real pipeline). Each test opens a page, changes a filter,
checks that the chart and the post list follow, and saves a screenshot in
its tmp dir. Downloads are compared byte for byte with the CLI's output.
Every wait is bounded (harness.TIMEOUT_MS), so a broken page fails fast.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

from dtrack import main
from tests.dashboard.story import FIXTURES, STORY_POSTS, XSS_AUTHOR, XSS_TEXT
from tests.e2e.harness import (
    TIMEOUT_MS,
    child_env,
    choose,
    key,
    open_page,
    pick,
    plot_data,
    plot_signature,
    point_position,
    wait_idle,
    wait_plot_change,
    wait_table,
    wait_table_change,
)

pytestmark = pytest.mark.e2e


def cli(story: Path, *args: str, subprocess_: bool = False) -> bytes:
    """What `dtrack ARGS --store STORE` writes to stdout: in a child process, or (faster, the same
    command code) through click's CliRunner."""
    if subprocess_:
        done = subprocess.run([sys.executable, "-m", "dtrack", *args, "--store", str(story)], env=child_env(),
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout
    result = CliRunner().invoke(main, [*args, "--store", str(story)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def download(page: Any, button_key: str, tmp_path: Path) -> bytes:
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.locator(key(button_key)).get_by_role("button").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


def shown_command(page: Any, command: str) -> list[str]:
    """The `dtrack ...` command a page shows under a download (its arguments after `dtrack`)."""
    code = page.locator("code", has_text=re.compile(rf"^dtrack {command} ")).first.inner_text()
    return shlex.split(code)[1:]


def assert_same_as_cli(page: Any, story: Path, button_key: str, command: str, tmp_path: Path, *,
                       subprocess_: bool = False) -> bytes:
    """Download a CSV in the browser and compare it byte for byte with the command the page names."""
    data = download(page, button_key, tmp_path)
    assert data == cli(story, *shown_command(page, command), subprocess_=subprocess_)
    return data


def test_overview_coverage_changes_with_the_period(page: Any, server: str, tmp_path: Path):
    open_page(page, server, key("ov_chart") + " .js-plotly-plot")
    daily = plot_data(page, "ov_chart")
    assert [t["name"] for t in daily] == ["bluesky", "mastodon", "twitter"]
    assert sum(sum(t["y"]) for t in daily) == STORY_POSTS
    page.screenshot(path=str(tmp_path / "overview.png"))
    before = plot_signature(page, "ov_chart")
    choose(page, "ov_freq", "month")
    wait_plot_change(page, "ov_chart", before)
    monthly = plot_data(page, "ov_chart")
    assert len(monthly[0]["x"]) == 28
    assert sum(sum(t["y"]) for t in monthly) == STORY_POSTS
    wait_idle(page)
    rows = wait_table(page, "ov_sources")
    assert rows[0][:2] == ["path", "format"] and rows[1][1] == "ndjson"
    choose(page, "lang", "日本語")
    page.get_by_role("heading", name="概要").wait_for()
    wait_idle(page)
    page.screenshot(path=str(tmp_path / "overview-ja.png"))
    assert (tmp_path / "overview-ja.png").stat().st_size > 10_000


def test_timeline_filter_hover_click_and_download(page: Any, server: str, story: Path, tmp_path: Path):
    open_page(page, server + "timelines", key("tl_chart") + " .js-plotly-plot")
    weekly = plot_data(page, "tl_chart")  # a long store opens by week
    assert [t["name"] for t in weekly if t["legendgroup"]] == ["無断学習", "無断転載"]  # then the event markers
    assert all(dt.date.fromisoformat(x).weekday() == 0 for x in weekly[0]["x"])
    before = plot_signature(page, "tl_chart")
    choose(page, "tl_freq", "day")
    wait_plot_change(page, "tl_chart", before)
    wait_idle(page)
    daily = plot_data(page, "tl_chart")[0]
    assert len(daily["x"]) > len(weekly[0]["x"]) and sum(daily["y"]) == sum(weekly[0]["y"])
    before = plot_signature(page, "tl_chart")
    choose(page, "tl_freq", "week")
    wait_plot_change(page, "tl_chart", before)
    wait_idle(page)
    weekly = plot_data(page, "tl_chart")[0]
    busiest = max(range(len(weekly["y"])), key=lambda i: weekly["y"][i])
    # hover: the count and the first posts of the period
    x, y = point_position(page, "tl_chart", 0, busiest)
    page.mouse.move(x, y)
    hover = page.locator(key("tl_chart") + " .hoverlayer")
    hover.get_by_text(f"count: {weekly['y'][busiest]}").wait_for()
    assert "無断学習" in hover.text_content()
    # the posts behind the peak are listed below from the start; click the week after it: its posts are listed
    peak = weekly["y"][busiest]
    page.get_by_text(f"{min(peak, 200)} of {peak} posts").wait_for()
    after = busiest + 1
    assert weekly["y"][after] > 0
    x, y = point_position(page, "tl_chart", 0, after)
    period = dt.date.fromisoformat(weekly["x"][after])
    listed = wait_table(page, "tl_posts")
    page.mouse.move(x, y)  # hover it first, so the click goes to this point and no other
    hover.get_by_text(f"{weekly['x'][after]}").first.wait_for()
    page.mouse.click(x, y)
    wait_table_change(page, "tl_posts", listed)
    count = weekly["y"][after]
    page.get_by_text(f"{min(count, 200)} of {count} posts").wait_for()
    wait_idle(page)
    days = {(period + dt.timedelta(days=d)).isoformat() for d in range(7)}
    page.wait_for_function(  # the grid's mirror follows the caption a moment later
        """([sel, days]) => { const r = document.querySelectorAll(sel + ' tr td');
                              return r.length > 0 && days.includes(r[0].textContent.slice(0, 10)); }""",
        arg=[key("box_tl_posts"), sorted(days)])
    rows = wait_table(page, "tl_posts")[1:]  # the grid mirrors only the rows in view
    assert rows and all(r[3] == "無断学習" for r in rows)
    days = {(period + dt.timedelta(days=d)).isoformat() for d in range(7)}
    assert all(r[0][:10] in days for r in rows)
    page.screenshot(path=str(tmp_path / "timelines.png"))
    assert_same_as_cli(page, story, "tl_timeline_csv", "timeline", tmp_path, subprocess_=True)
    posts = assert_same_as_cli(page, story, "tl_posts_csv", "posts", tmp_path)
    assert pl.read_csv(posts).height == count
    page.locator(key("excel")).locator("label").first.click()
    wait_idle(page)
    excel = assert_same_as_cli(page, story, "tl_timeline_csv", "timeline", tmp_path)
    assert excel.startswith(b"\xef\xbb\xbf")


def test_emergence_date_links_open_the_evidence(page: Any, server: str, tmp_path: Path):
    open_page(page, server + "emergence", key("em_chart") + " .js-plotly-plot")
    rows = wait_table(page, "em_table")
    header = rows[0]
    row = next(r for r in rows[1:] if "無断学習" in r)
    link = row[header.index("first AI use")]  # shown as the date, the cell holds the link
    assert link.startswith("posts?") and link.endswith("kw_from=2021-04-14&kw_to=2021-04-14&kw_context=ai")
    page.screenshot(path=str(tmp_path / "emergence.png"))
    page.goto(server + link)
    wait_idle(page)
    (posts,) = wait_table(page, "kw_table")[1:]
    assert posts[0].startswith("2021-04-14") and "チャットAI" in posts[2]


def test_events_page_redraws_around_another_event(page: Any, server: str, tmp_path: Path):
    open_page(page, server + "events", key("ev_chart") + " .js-plotly-plot")
    assert wait_table(page, "ev_table")[0][:3] == ["term", "event", "date"]
    before = plot_signature(page, "ev_chart")
    pick(page, "ev_event", re.compile(r"^2022-08-22"))
    wait_plot_change(page, "ev_chart", before)
    wait_idle(page)
    xs = plot_data(page, "ev_chart")[0]["x"]
    assert min(xs) >= "2022-07-23" and max(xs) <= "2022-09-21"
    page.screenshot(path=str(tmp_path / "events.png"))


def test_posts_are_shown_as_text_and_download_like_the_cli(page: Any, server: str, story: Path, tmp_path: Path):
    open_page(page, server + "posts?kw_term=無断学習&kw_from=2022-09-02&kw_to=2022-09-03",
              key("box_kw_table"))
    rows = wait_table(page, "kw_table")
    xss = next(r for r in rows if r[6] == XSS_AUTHOR)
    assert xss[2] + xss[3] + xss[4] == XSS_TEXT
    assert page.locator("script", has_text="alert").count() == 0
    assert page.locator("img[src=x]").count() == 0
    assert_same_as_cli(page, story, "kw_posts_csv", "posts", tmp_path)
    open_page(page, server + "posts?kw_term=無断学習&kw_from=2021-01-01&kw_to=2021-04-30", key("box_kw_table"))
    rows = wait_table(page, "kw_table")
    assert [r[0][:10] for r in rows[1:]] == ["2021-01-20", "2021-03-05", "2021-04-14"]
    choose(page, "kw_context", "ai")
    ai_rows = wait_table_change(page, "kw_table", rows)
    assert [r[0][:10] for r in ai_rows[1:]] == ["2021-04-14"]  # the story's first AI use
    assert_same_as_cli(page, story, "kw_posts_csv", "posts", tmp_path)
    page.screenshot(path=str(tmp_path / "posts.png"))


def test_collectors_ingest_shows_up_on_the_overview(page: Any, server: str, tmp_path: Path):
    """Last: it writes to the served store (a new version the other pages pick up without a restart)."""
    open_page(page, server + "collectors", key("col_path"))
    page.locator(key("col_path")).get_by_role("textbox").fill(str(FIXTURES / "extra" / "later.ndjson"))
    pick(page, "col_format", "ndjson")
    page.locator(key("col_ingest")).get_by_role("button").click()
    page.get_by_text("3 new").wait_for()
    wait_idle(page)
    page.screenshot(path=str(tmp_path / "collectors.png"))
    open_page(page, server, key("ov_chart") + " .js-plotly-plot")
    assert sum(sum(t["y"]) for t in plot_data(page, "ov_chart")) == STORY_POSTS + 3
