"""Every dashboard page opens on a store holding posts with impossible times (stored before the door
check): the store leaves them out, and the overview says how many there are and how to repair them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import build_poisoned_store
from tests.dashboard.conftest import open_app
from tests.dashboard.helpers import all_markdown


@pytest.fixture(scope="module")
def poisoned_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_poisoned_store(tmp_path_factory.mktemp("poisoned") / "store").path


@pytest.mark.parametrize("page", [None, "timelines", "emergence", "events", "posts", "collectors"])
def test_every_page_opens(poisoned_path: Path, monkeypatch: pytest.MonkeyPatch, page: str | None) -> None:
    at = open_app(poisoned_path, monkeypatch, page)  # asserts no exception
    text = all_markdown(at)
    assert "out of range" not in text
    if page is None:
        assert {m.label: m.value for m in at.metric}["Posts"] == "3"
        assert "2 stored posts are dated outside the plausible range 1999-01-01..now+1d" in text
        assert "`dtrack repair`" in text
