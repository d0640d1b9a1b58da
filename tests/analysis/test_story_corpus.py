"""The story generator itself: deterministic, and true to the story it claims to tell."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from story import (
    AI_CUES,
    EARLY_NON_AI,
    FIRST_AI_USE,
    NOTICE_DAYS,
    PREDICTION,
    TAKEOFF,
    Story,
    daily_rates,
    generate_story,
)

TOKYO = ZoneInfo("Asia/Tokyo")


def _local_day(record: dict[str, object]) -> dt.date:
    return dt.datetime.fromisoformat(str(record["created_at"])).astimezone(TOKYO).date()


def test_same_seed_same_corpus_other_seed_other_corpus(story: Story) -> None:
    again = generate_story()
    assert again.posts == story.posts and again.hits == story.hits
    assert generate_story(seed=1).posts != story.posts


def test_mudan_gakushu_follows_the_story(story: Story) -> None:
    by_id = {p["post_id"]: p for p in story.posts}
    originals = sorted(
        (by_id[h["post_id"]] for h in story.hits if h["term"] == "無断学習" and not by_id[h["post_id"]]["is_repost"]),
        key=lambda p: p["created_at"],
    )
    before = [p for p in originals if _local_day(p) < TAKEOFF]
    days = [_local_day(p) for p in before]
    assert days[:4] == list(EARLY_NON_AI)  # up to March 2021: four uses, none about AI
    assert not any(cue in p["text"] for p in before[:4] for cue in AI_CUES)
    assert days[4] == FIRST_AI_USE and "AI" in before[4]["text"]
    assert days[5] == PREDICTION  # silence in between
    assert days[6:] == [d for d, n in NOTICE_DAYS.items() for _ in range(n)]
    assert sum(1 for p in originals if _local_day(p) == TAKEOFF) >= 100


def test_ground_truth_points_into_the_text(story: Story) -> None:
    by_id = {p["post_id"]: p for p in story.posts}
    for h in story.hits:
        assert by_id[h["post_id"]]["text"][h["start"] : h["end"]] == h["variant"] == h["term"]
        assert h["ai_context"] == bool(h["evidence"])


def test_daily_rates_have_the_story_shape() -> None:
    rates = daily_rates()
    start = dt.date(2020, 1, 1)
    takeoff = (TAKEOFF - start).days
    assert rates["無断学習"][:takeoff].sum() == 0 and rates["無断学習"][takeoff] > 100
    assert rates["無断転載"].min() == rates["無断転載"].max() > 0
