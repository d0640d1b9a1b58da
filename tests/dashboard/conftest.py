"""Fixtures for the dashboard tests: the story store, and an AppTest bound to it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dtrack.data.store import Store
from tests.dashboard.story import build_story_store

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
#: First runs import polars, plotly and the tagger; later ones are fast.
TIMEOUT = 60


@pytest.fixture(scope="session")
def story_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The story corpus ingested and tagged once for the whole session (read-only in tests)."""
    return build_story_store(tmp_path_factory.mktemp("story") / "store")


def open_app(store_path: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None,
             query: dict[str, str] | None = None, lang: str = "en") -> AppTest:
    """Run the dashboard on ``store_path``, optionally on one page (``views/<page>.py``)."""
    monkeypatch.setenv("DTRACK_STORE", str(store_path))
    monkeypatch.setenv("DTRACK_LANG", lang)
    monkeypatch.delenv("DTRACK_TZ", raising=False)
    monkeypatch.delenv("DTRACK_EVENTS", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    at.run()
    if page is not None:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def app(story_store: Store, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``app(page=None, query=None, lang="en")`` -> a run AppTest on the story store."""

    def make(page: str | None = None, query: dict[str, str] | None = None, lang: str = "en") -> AppTest:
        return open_app(story_store.path, monkeypatch, page, query, lang)

    return make
