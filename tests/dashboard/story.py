"""The dashboard's fixture store: the story corpus, ingested and tagged by the real pipeline.

Shared by the AppTest tests and the browser test (which serves it with
`dtrack dashboard`). ``fixtures/story/posts.ndjson`` is a small generic-NDJSON
export on three platforms that follows the 無断学習 story (non-AI uses up to
March 2021, the first AI use in April 2021, the notices after 2022-08-22, the
explosion after 2022-08-29 JST), with reposts, two broken lines for the
quarantine, and two posts whose text is HTML/markdown that must never render.
"""

from __future__ import annotations

from pathlib import Path

from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STORY = FIXTURES / "story" / "posts.ndjson"
#: Unique posts and quarantined lines in STORY (checked by test_fixture_store).
STORY_POSTS = 196
STORY_QUARANTINED = 2
#: Posts whose text must be shown literally.
XSS_TEXT = "<script>alert('x')</script> **無断学習** は [ここ](javascript:alert(1)) <b>AI</b>"
XSS_AUTHOR = "<img src=x onerror=alert(1)>"


def build_story_store(path: Path) -> Store:
    """Ingest STORY into a new store at ``path`` and tag it, as `dtrack ingest` does."""
    from dtrack.nlp.tagger import tag_store

    store = Store(path)
    with store.writer(purpose="test fixture") as writer:
        reports = ingest_paths(writer, [STORY], fmt="ndjson")  # generic NDJSON (twarc's sniffer also claims it)
        assert [r.status for r in reports] == ["ok"], reports
        tag_store(store, writer=writer)
    return store
