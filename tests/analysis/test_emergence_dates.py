"""Emergence on the story corpus: first use, first AI use, dormancy, takeoff, peak."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from analysis_cases import build_store, hit, post, utc
from story import (
    DORMANT_AFTER,
    DORMANT_UNTIL,
    EARLY_NON_AI,
    FIRST_AI_USE,
    FIRST_USE,
    NOVELAI,
    PEAK,
    TAKEOFF,
    Story,
)

from dtrack.analysis.emergence import EMERGENCE_COLUMNS, EXTRA_COLUMNS, emergence
from dtrack.data.store import Store

DAY = dt.timedelta(days=1)


def _row(store: Store, term: str, **kw: object) -> dict[str, object]:
    df = emergence(store.scan_posts(), store.scan_hits(), [term], **kw)  # type: ignore[arg-type]
    return df.row(0, named=True)


def test_columns_are_the_contract_then_extras(story_store: Store) -> None:
    df = emergence(story_store.scan_posts(), story_store.scan_hits())
    assert tuple(df.columns) == EMERGENCE_COLUMNS + EXTRA_COLUMNS
    assert df.get_column("term").to_list() == sorted(["無断学習", "無断転載", "mimic", "NovelAI"])
    assert df.schema["first_seen"] == pl.Date and df.schema["takeoff"] == pl.Date


def test_mudan_gakushu_is_born_wakes_and_takes_off_on_the_story_days(story: Story, story_store: Store) -> None:
    row = _row(story_store, "無断学習", before=dt.date(2021, 4, 1))
    first_post = next(p for p in story.posts if p["text"].startswith("友達のノート"))
    april = next(p for p in story.posts if p["author_id"] == "newsbot")
    assert row["first_seen"] == FIRST_USE and row["first_post_id"] == first_post["post_id"]
    assert row["first_ai_seen"] == FIRST_AI_USE and row["first_ai_post_id"] == april["post_id"]
    assert row["uses_before"] == len(EARLY_NON_AI) == 4  # "up to March 2021 only 4 times, none about AI"
    assert row["takeoff"] == TAKEOFF
    assert row["peak"] == PEAK
    assert row["dormant_after"] == DORMANT_AFTER and row["dormant_until"] == DORMANT_UNTIL
    assert row["dormancy_days"] == (DORMANT_UNTIL - DORMANT_AFTER).days - 1
    assert row["burst_model"] == "poisson"


def test_in_utc_the_same_posts_fall_a_day_earlier(story_store: Store) -> None:
    row = _row(story_store, "無断学習", tz="UTC")
    assert row["first_seen"] == FIRST_USE - DAY
    assert row["first_ai_seen"] == FIRST_AI_USE - DAY
    assert row["takeoff"] == TAKEOFF - DAY  # a third of the first day is before 09:00 JST


def test_steadily_used_term_has_no_takeoff(story_store: Store) -> None:
    row = _row(story_store, "無断転載")
    assert row["first_seen"] == dt.date(2020, 1, 1)
    assert row["takeoff"] is None and row["takeoff_end"] is None
    assert row["first_ai_seen"] == dt.date(2022, 8, 23)  # the notices that name both


def test_other_terms_take_off_with_their_events(story_store: Store) -> None:
    assert _row(story_store, "NovelAI")["takeoff"] == NOVELAI
    mimic = _row(story_store, "mimic")
    # born in its burst: the data began long before, so that burst is a takeoff, with no dormancy
    assert mimic["first_seen"] == TAKEOFF and mimic["takeoff"] == TAKEOFF
    assert mimic["dormancy_days"] is None


def test_reposts_and_platforms_change_the_counts(story: Story, story_store: Store) -> None:
    by_id = {p["post_id"]: p for p in story.posts}
    used = {h["post_id"] for h in story.hits if h["term"] == "無断学習"}
    originals = sum(1 for pid in used if not by_id[pid]["is_repost"])
    assert _row(story_store, "無断学習")["posts"] == originals
    assert _row(story_store, "無断学習", include_reposts=True)["posts"] == len(used)
    mastodon = _row(story_store, "無断学習", platforms=["mastodon"])
    assert mastodon["first_seen"] >= TAKEOFF  # the story's early posts were all on Twitter
    assert mastodon["posts"] == sum(1 for pid in used if by_id[pid]["platform"] == "mastodon"
                                    and not by_id[pid]["is_repost"])


def test_unknown_term_gets_an_empty_row(story_store: Store) -> None:
    row = _row(story_store, "存在しない語")
    assert row["posts"] == 0 and row["authors"] == 0
    assert row["first_seen"] is None and row["takeoff"] is None and row["peak"] is None


def test_small_case_by_hand(tmp_path: Path) -> None:
    """A week of steady background, one early use, then every post of ten days uses the term."""
    posts, hits = [], []
    for day in range(60):
        for k in range(5):
            p = post(f"{day}-{k}", utc(2022, 7, 1, 3) + dt.timedelta(days=day, hours=k), "text", author=f"u{k}")
            if (day == 5 and k == 0) or 40 <= day < 50:
                p["text"] = "無断学習 AI"
                hits.append(hit(p, "無断学習", ai=day >= 40))
            posts.append(p)
    store = build_store(tmp_path, posts, hits)
    row = _row(store, "無断学習", min_days=3)
    assert row["first_seen"] == dt.date(2022, 7, 6)
    assert row["first_ai_seen"] == dt.date(2022, 8, 10)
    assert row["takeoff"] == dt.date(2022, 8, 10) and row["takeoff_end"] == dt.date(2022, 8, 19)
    assert row["dormancy_days"] == 34  # Jul 7 .. Aug 9
    assert row["posts"] == 51 and row["authors"] == 5 and row["ai_posts"] == 50
    assert row["peak_posts"] == 5 and row["peak"] == dt.date(2022, 8, 10)  # ties: the first busiest day
    binomial = _row(store, "無断学習", min_days=3, model="binomial")
    assert binomial["takeoff"] == dt.date(2022, 8, 10) and binomial["burst_model"] == "binomial"
    with pytest.raises(ValueError, match="model"):
        _row(store, "無断学習", model="magic")
