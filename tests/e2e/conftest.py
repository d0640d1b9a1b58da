"""Fixtures of the browser tests: the story store served by `dtrack dashboard`, one Chromium per module,
and a fresh page per test that fails the test if a post's text ran as script."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.story import build_story_store
from tests.e2e.harness import TIMEOUT_MS, chromium, dashboard_server


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
    p.screenshot(path=str(tmp_path / "last.png"))
    context.close()
    assert not dialogs, f"a post's text ran as script: {dialogs}"
    assert not [e for e in errors if "alert" in e], errors
