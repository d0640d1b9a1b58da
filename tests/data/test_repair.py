"""Posts stored with impossible times: hidden from readers, counted by status, moved out by repair."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dtrack.data.repair import move_bad_times
from dtrack.data.status import store_status
from dtrack.data.store import Store
from dtrack.data.times import TimeRange, parse_time_range
from dtrack.nlp.tagger import tag_store
from tests.conftest import build_poisoned_store


@pytest.fixture
def poisoned(tmp_path: Path) -> Store:
    return build_poisoned_store(tmp_path / "store")


def test_readers_see_only_rows_every_timezone_can_show(poisoned: Store) -> None:
    assert poisoned._scan("posts").select(pl.len()).collect().item() == 5
    posts = poisoned.scan_posts().collect()
    assert sorted(posts["post_id"]) == ["p0", "p1", "p2"]
    posts.with_columns(pl.col("created_at").dt.convert_time_zone("Pacific/Kiritimati")).rows()  # to Python: fine
    assert poisoned.scan_hits().collect().height == 3
    status = store_status(poisoned)
    assert status["posts"] == 3 and status["posts_outside_time_range"] == 2
    assert status["first_post"] == "2023-01-01T03:00:00Z"


def test_repair_moves_the_posts_and_their_hits_to_quarantine_in_one_transaction(poisoned: Store) -> None:
    version = poisoned.manifest()["version"]
    with poisoned.writer() as writer:
        dry = move_bad_times(writer, TimeRange(), dry_run=True)
        assert poisoned.manifest()["version"] == version
        report = move_bad_times(writer, TimeRange())
    assert (dry.posts, dry.hits) == (report.posts, report.hits) == (2, 2)
    assert poisoned.manifest()["version"] == version + 1  # one commit
    assert poisoned._scan("posts").select(pl.len()).collect().item() == 3
    assert poisoned._scan("hits").select(pl.len()).collect().item() == 3
    quarantined = poisoned.scan_quarantine().sort("source_line").collect()
    assert quarantined["source_line"].to_list() == [4, 5]
    assert quarantined["source_file"].to_list() == ["old.ndjson"] * 2
    assert quarantined["reason"][0].startswith("created_at 0000-12-31T15:00:00+00:00 outside the plausible range")
    assert '"post_id":"p3"' in quarantined["raw"][0] and '"+10000' not in quarantined["raw"][1]
    assert store_status(poisoned)["posts_outside_time_range"] == 0
    # the tagger's list follows the rewritten file: nothing is tagged twice
    assert tag_store(poisoned).reason == "up to date"
    with poisoned.writer() as writer:
        assert move_bad_times(writer, TimeRange()).posts == 0


def test_a_wider_range_keeps_old_but_real_times(tmp_path: Path) -> None:
    store = build_poisoned_store(tmp_path / "store")
    with store.writer() as writer:
        report = move_bad_times(writer, parse_time_range("2023-01-02.."))
    assert report.posts == 3  # p0 (2023-01-01) and the two impossible ones
    assert sorted(store.scan_posts().collect()["post_id"]) == ["p1", "p2"]
