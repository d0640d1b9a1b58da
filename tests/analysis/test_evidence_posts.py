"""Evidence: the posts behind a count are exactly the posts counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from analysis_cases import build_store, hit, post, utc
from story import FIRST_AI_USE, TAKEOFF, Story

from dtrack.analysis.evidence import EVIDENCE_COLUMNS, EXTRA_COLUMNS, evidence
from dtrack.analysis.timeline import timeline
from dtrack.data.store import Store


@pytest.mark.parametrize("context", ["any", "ai"])
@pytest.mark.parametrize("day", [TAKEOFF, FIRST_AI_USE, dt.date(2023, 1, 15)])
def test_rows_are_the_timeline_count(story_store: Store, context: str, day: dt.date) -> None:
    posts, hits = story_store.scan_posts(), story_store.scan_hits()
    count = (
        timeline(posts, hits, ["無断学習"], context=context, start=day, end=day).collect().item(0, "posts")
    )
    rows = evidence(posts, hits, "無断学習", start=day, end=day, context=context)
    assert rows.height == count > 0
    assert rows.get_column("post_id").n_unique() == rows.height
    assert not rows.get_column("is_repost").any()


def test_columns_offsets_and_local_time(story: Story, story_store: Store) -> None:
    rows = evidence(story_store.scan_posts(), story_store.scan_hits(), "無断学習", start=TAKEOFF, end=TAKEOFF)
    assert tuple(rows.columns) == EVIDENCE_COLUMNS + EXTRA_COLUMNS
    assert rows.schema["time"] == pl.Datetime("us", "Asia/Tokyo")
    assert all(r["time"].date() == TAKEOFF for r in rows.iter_rows(named=True))
    assert rows.get_column("time").is_sorted()
    for r in rows.iter_rows(named=True):
        assert r["text"][r["start"] : r["end"]] == r["variant"] == "無断学習"
        assert r["url"].startswith("https://example.org/") and r["author"].startswith("name_")
    first = rows.row(0, named=True)
    assert first["time"].hour == 0  # just after midnight in Tokyo: still the 28th in UTC
    assert first["time"].astimezone(dt.UTC).date() == TAKEOFF - dt.timedelta(days=1)


def test_limit_platforms_reposts_and_author_fallback(tmp_path: Path) -> None:
    p1 = post("1", utc(2022, 8, 29, 1), "無断学習とAI 無断学習", author="x")
    p2 = post("2", utc(2022, 8, 29, 2), "RT 無断学習", author="y", is_repost=True, repost_of="1")
    p3 = post("3", utc(2022, 8, 29, 3), "無断学習", platform="mastodon", author="z")
    p3["author_name"] = None
    hits = [hit(p1, "無断学習", ai=True, evidence=["AI"]),
            {**hit(p1, "無断学習", ai=False, evidence=[]), "start": 8, "end": 12},
            hit(p2, "無断学習"), hit(p3, "無断学習")]
    store = build_store(tmp_path, [p1, p2, p3], hits)
    posts, found = store.scan_posts(), store.scan_hits()
    rows = evidence(posts, found, "無断学習")
    assert rows.get_column("post_id").to_list() == ["1", "3"]
    one = rows.row(0, named=True)
    assert (one["hits"], one["start"], one["ai_context"], one["evidence"]) == (2, 0, True, ["AI"])
    assert rows.row(1, named=True)["author"] == "z"  # no name: the id
    assert evidence(posts, found, "無断学習", include_reposts=True).height == 3
    assert evidence(posts, found, "無断学習", platforms=["mastodon"]).get_column("post_id").to_list() == ["3"]
    assert evidence(posts, found, "無断学習", limit=1).get_column("post_id").to_list() == ["1"]
    assert evidence(posts, found, "無断学習", context="ai").get_column("post_id").to_list() == ["1"]
    assert evidence(posts, found, "nothing").height == 0
    with pytest.raises(ValueError, match="limit"):
        evidence(posts, found, "無断学習", limit=-1)
