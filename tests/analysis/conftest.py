"""Fixtures for analysis tests: the story corpus as a real store.

Posts go through the real ingest loop (generic NDJSON collector). Hits are
written with ``txn.add_hits`` from the generator's ground truth, so analysis
is tested without depending on the tagger (tests/analysis/test_story_e2e.py
runs the real tagger once nlp is merged).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # story.py and analysis_cases.py, whatever pytest's import mode
    sys.path.insert(0, str(HERE))

from story import Story, generate_story  # noqa: E402

from dtrack.collectors.pipeline.ingest import ingest_source  # noqa: E402
from dtrack.data.store import Store  # noqa: E402


@pytest.fixture(scope="session")
def story() -> Story:
    return generate_story()


@pytest.fixture(scope="session")
def story_store(story: Story, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The story corpus ingested for real, with its ground-truth hits (read-only: shared by tests)."""
    path = tmp_path_factory.mktemp("story")
    store = Store(path / "store")
    with store.writer(purpose="story") as writer:
        report = ingest_source(writer, story.write_ndjson(path / "story.ndjson"))
        assert report.status == "ok" and report.quarantined == 0, report
        with writer.transaction() as txn:
            txn.add_hits(story.hits_frame())
    return store
