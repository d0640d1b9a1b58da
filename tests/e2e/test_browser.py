"""The dashboard in a real browser: `dtrack dashboard` served, Debian Chromium driven by Playwright.

One server and one browser for the module (the story store, ingested and
tagged by the real pipeline). Each test opens a page, changes a filter,
checks that the chart and the post list follow, and saves a screenshot in
its tmp dir. Downloads are compared byte for byte with the CLI's output.
Every wait is bounded (harness.TIMEOUT_MS), so a broken page fails fast.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.story import STORY_POSTS, build_story_store
from tests.e2e.harness import (
    TIMEOUT_MS,
    child_env,
    choose,
    chromium,
    dashboard_server,
    key,
    open_page,
    plot_data,
    plot_signature,
    table_rows,
    wait_idle,
    wait_plot_change,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_story_store(tmp_path_factory.mktemp("e2e") / "store").path


@pytest.fixture(scope="module")
def server(story: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with dashboard_server(story, tmp_path_factory.mktemp("log") / "dashboard.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    p = context.new_page()
    p.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    p.screenshot(path=str(tmp_path / "last.png"), full_page=True)
    context.close()
    assert not dialogs, f"a post's text ran as script: {dialogs}"
    assert not [e for e in errors if "alert" in e], errors


def cli(story: Path, *args: str) -> bytes:
    """What `dtrack ARGS --store STORE` writes to stdout."""
    done = subprocess.run([sys.executable, "-m", "dtrack", *args, "--store", str(story)], env=child_env(),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def download(page: Any, button_key: str, tmp_path: Path) -> bytes:
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.locator(key(button_key)).get_by_role("button").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


def test_overview_coverage_changes_with_the_period(page: Any, server: str, tmp_path: Path):
    open_page(page, server, key("ov_chart") + " .js-plotly-plot")
    daily = plot_data(page, "ov_chart")
    assert [t["name"] for t in daily] == ["bluesky", "mastodon", "twitter"]
    assert sum(sum(t["y"]) for t in daily) == STORY_POSTS
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
    before = plot_signature(page, "ov_chart")
    choose(page, "ov_freq", "month")
    wait_plot_change(page, "ov_chart", before)
    monthly = plot_data(page, "ov_chart")
    assert len(monthly[0]["x"]) == 28
    assert sum(sum(t["y"]) for t in monthly) == STORY_POSTS
    rows = table_rows(page, "ov_sources")
    assert rows[0][:2] == ["path", "format"] and rows[1][1] == "ndjson"
    page.screenshot(path=str(tmp_path / "overview-month.png"), full_page=True)
    assert (tmp_path / "overview-month.png").stat().st_size > 10_000
    wait_idle(page)
