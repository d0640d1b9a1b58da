"""End to end on the story: real ingest, the real tagger (nlp.tagger), then emergence and events.

The other analysis tests use the generator's ground-truth hits; this one
checks that the tagger's hits tell the same story.
"""

from __future__ import annotations

import polars as pl
import pytest
from story import FIRST_AI_USE, FIRST_USE, TAKEOFF, Story

from dtrack.analysis.emergence import emergence
from dtrack.analysis.events import event_study
from dtrack.analysis.export import sidecar
from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.data.events import load_events
from dtrack.data.store import Store
from dtrack.nlp import tagger


@pytest.fixture(scope="module")
def tagged_story(story: Story, tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("story_e2e")
    store = Store(path / "store")
    with store.writer(purpose="e2e") as writer:
        report = ingest_source(writer, story.write_ndjson(path / "story.ndjson"))
        assert report.status == "ok" and report.quarantined == 0, report
    tagger.tag_store(store)
    return store


def test_tagger_finds_the_story_uses(story: Story, tagged_story: Store) -> None:
    truth = {h["post_id"] for h in story.hits if h["term"] == "無断学習"}
    found = set(
        tagged_story.scan_hits().filter(pl.col("term") == "無断学習").select("post_id").collect().to_series().to_list()
    )
    assert len(truth & found) >= 0.99 * len(truth)
    assert len(found - truth) <= 0.01 * len(truth)


def test_emergence_reports_the_story_days(tagged_story: Store) -> None:
    table = emergence(tagged_story.scan_posts(), tagged_story.scan_hits(), ["無断学習", "無断転載"])
    mudan, tensai = table.to_dicts()
    assert mudan["first_seen"] == FIRST_USE
    assert mudan["first_ai_seen"] == FIRST_AI_USE
    assert mudan["takeoff"] == TAKEOFF
    assert tensai["takeoff"] is None


def test_events_rank_the_mimic_beta_first(tagged_story: Store) -> None:
    ranked = event_study(tagged_story.scan_posts(), tagged_story.scan_hits(), load_events(), ["無断学習"])
    top = ranked.row(0, named=True)
    assert top["rank"] == 1 and top["date"] == TAKEOFF and "mimic" in top["event"]


def test_exports_name_the_dictionary_the_tagger_used(tagged_story: Store) -> None:
    used = tagged_story.scan_hits().select(pl.col("dictionary_hash").unique()).collect().to_series().to_list()
    meta = sidecar("emergence", {}, tagged_story, rule="r", tz="Asia/Tokyo")
    assert [meta["dictionary_hash"]] == used


def test_cli_on_the_tagged_store(tagged_story: Store) -> None:
    from click.testing import CliRunner

    from dtrack import main

    result = CliRunner().invoke(main, ["emergence", "無断学習", "--format", "json", "--store", str(tagged_story.path)])
    assert result.exit_code == 0, result.output
    assert f'"takeoff": "{TAKEOFF.isoformat()}"' in result.output
