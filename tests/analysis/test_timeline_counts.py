"""Timelines: local days, zero periods, the counting rule, shares and running totals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from analysis_cases import build_store, hit, post, utc
from story import TAKEOFF, Story

from dtrack.analysis.timeline import TIMELINE_COLUMNS, share_note, timeline
from dtrack.data.store import Store

D = dt.date


def _rows(store: Store, terms: list[str] | None = None, **kw: object) -> list[dict[str, object]]:
    return timeline(store.scan_posts(), store.scan_hits(), terms, **kw).collect().to_dicts()  # type: ignore[arg-type]


@pytest.fixture
def small(tmp_path: Path) -> Store:
    """Six posts around the Tokyo day boundary, a repost, a quote, two platforms, two hits in one post."""
    p1 = post("1", utc(2022, 8, 28, 14, 59), "無断学習 A", author="a")  # 23:59 JST on the 28th
    p2 = post("2", utc(2022, 8, 28, 16, 0), "無断学習 無断学習 AI", author="b")  # 01:00 JST on the 29th
    p3 = post("3", utc(2022, 8, 29, 3), "RT 無断学習", author="c", is_repost=True, repost_of="2")
    p4 = post("4", utc(2022, 8, 29, 4), "quote 無断学習", author="a", quote_of="2")
    p5 = post("5", utc(2022, 8, 31, 5), "no term", author="d")
    p6 = post("6", utc(2022, 8, 29, 6), "無断学習", platform="mastodon", author="e")
    hits = [hit(p1, "無断学習"), hit(p2, "無断学習", ai=True), {**hit(p2, "無断学習", ai=False), "start": 5, "end": 9},
            hit(p3, "無断学習", ai=True), hit(p4, "無断学習"), hit(p6, "無断学習", ai=True)]
    return build_store(tmp_path, [p1, p2, p3, p4, p5, p6], hits)


def test_columns_are_the_contract(small: Store) -> None:
    df = timeline(small.scan_posts(), small.scan_hits(), ["無断学習"]).collect()
    assert tuple(df.columns) == TIMELINE_COLUMNS
    assert df.schema["period"] == pl.Date


def test_days_are_cut_in_the_research_timezone(small: Store) -> None:
    tokyo = {r["period"]: r["posts"] for r in _rows(small, ["無断学習"])}
    utc_days = {r["period"]: r["posts"] for r in _rows(small, ["無断学習"], tz="UTC")}
    # 16:00Z on the 28th is the 29th in Tokyo; 14:59Z stays on the 28th
    assert tokyo == {D(2022, 8, 28): 1, D(2022, 8, 29): 3, D(2022, 8, 30): 0, D(2022, 8, 31): 0}
    assert utc_days == {D(2022, 8, 28): 2, D(2022, 8, 29): 2, D(2022, 8, 30): 0, D(2022, 8, 31): 0}


def test_periods_without_use_are_zero_rows_and_unknown_terms_get_rows(small: Store) -> None:
    rows = _rows(small, ["無断学習", "never-used"])
    assert [r["term"] for r in rows] == ["無断学習"] * 4 + ["never-used"] * 4
    empty = [r for r in rows if r["term"] == "never-used"]
    assert all(r["posts"] == 0 and r["authors"] == 0 and r["cumulative_posts"] == 0 for r in empty)
    assert {r["period"] for r in empty} == {D(2022, 8, 28), D(2022, 8, 29), D(2022, 8, 30), D(2022, 8, 31)}


def test_reposts_out_by_default_quotes_in_and_a_post_counts_once(small: Store) -> None:
    default = {r["period"]: r["posts"] for r in _rows(small, ["無断学習"])}
    with_reposts = {r["period"]: r["posts"] for r in _rows(small, ["無断学習"], include_reposts=True)}
    assert default[D(2022, 8, 29)] == 3  # p2 (two hits, once), quote p4, mastodon p6
    assert with_reposts[D(2022, 8, 29)] == 4


def test_share_denominator_follows_the_same_filters(small: Store) -> None:
    day = {r["period"]: r for r in _rows(small, ["無断学習"])}
    # 29th in Tokyo: counted posts p2, p4, p6 (p3 is a repost): 3 of 3
    assert day[D(2022, 8, 29)]["share_per_10k"] == pytest.approx(10_000.0)
    assert day[D(2022, 8, 31)]["share_per_10k"] == 0.0  # p5 was posted, nobody used the term
    assert day[D(2022, 8, 30)]["share_per_10k"] is None  # nothing posted at all: no denominator
    reposts = {r["period"]: r for r in _rows(small, ["無断学習"], include_reposts=True)}
    assert reposts[D(2022, 8, 29)]["share_per_10k"] == pytest.approx(10_000.0)
    mastodon = {r["period"]: r for r in _rows(small, ["無断学習"], platforms=["mastodon"])}
    assert mastodon[D(2022, 8, 29)]["posts"] == 1
    assert mastodon[D(2022, 8, 29)]["share_per_10k"] == pytest.approx(10_000.0)
    assert set(mastodon) == {D(2022, 8, 29)}  # the span is that of the filtered posts


def test_ai_context_counts_posts_with_an_ai_use(small: Store) -> None:
    ai = {r["period"]: r["posts"] for r in _rows(small, ["無断学習"], context="ai")}
    assert ai == {D(2022, 8, 28): 0, D(2022, 8, 29): 2, D(2022, 8, 30): 0, D(2022, 8, 31): 0}


def test_cumulative_authors_count_each_author_once(small: Store) -> None:
    rows = _rows(small, ["無断学習"], freq="day")
    assert [r["authors"] for r in rows] == [1, 3, 0, 0]  # a; b, a, e
    assert [r["cumulative_authors"] for r in rows] == [1, 3, 3, 3]  # a is not new on the 29th
    assert [r["cumulative_posts"] for r in rows] == [1, 4, 4, 4]


@pytest.mark.parametrize(
    ("freq", "periods"),
    [("week", [D(2022, 8, 22), D(2022, 8, 29)]), ("month", [D(2022, 8, 1)])],
)
def test_weeks_start_on_monday_and_months_on_the_first(small: Store, freq: str, periods: list[dt.date]) -> None:
    rows = _rows(small, ["無断学習"], freq=freq)
    assert [r["period"] for r in rows] == periods
    assert sum(r["posts"] for r in rows) == 4


def test_from_to_clip_days_and_keep_period_labels(small: Store) -> None:
    rows = _rows(small, ["無断学習"], freq="month", start=D(2022, 8, 29), end=D(2022, 8, 29))
    assert rows == [{"period": D(2022, 8, 1), "term": "無断学習", "posts": 3, "authors": 3,
                     "share_per_10k": pytest.approx(10_000.0), "cumulative_posts": 3, "cumulative_authors": 3}]


def test_all_terms_when_none_given_and_empty_store(small: Store, tmp_path: Path) -> None:
    assert {r["term"] for r in _rows(small)} == {"無断学習"}
    empty = Store(tmp_path / "empty")
    assert timeline(empty.scan_posts(), empty.scan_hits(), ["無断学習"]).collect().height == 0


def test_bad_arguments_are_refused(small: Store) -> None:
    with pytest.raises(ValueError, match="timezone"):
        timeline(small.scan_posts(), small.scan_hits(), tz="Mars/Olympus")
    with pytest.raises(ValueError, match="freq"):
        timeline(small.scan_posts(), small.scan_hits(), freq="hour")
    with pytest.raises(ValueError, match="context"):
        timeline(small.scan_posts(), small.scan_hits(), context="maybe")


def test_share_note_flags_keyword_search_stores(small: Store, story_store: Store) -> None:
    note = share_note(small.scan_posts(), small.scan_hits())
    assert note is not None and "keyword-search" in note  # 4 of 5 counted posts carry a term
    assert share_note(story_store.scan_posts(), story_store.scan_hits()) is None


def test_story_daily_counts_match_an_independent_count(story: Story, story_store: Store) -> None:
    """Every day of the story: the timeline equals a plain-Python count of the ground truth."""
    tokyo = ZoneInfo("Asia/Tokyo")
    by_id = {p["post_id"]: p for p in story.posts}
    expected: Counter[dt.date] = Counter()
    for pid in {h["post_id"] for h in story.hits if h["term"] == "無断学習"}:
        p = by_id[pid]
        if not p["is_repost"]:
            expected[dt.datetime.fromisoformat(p["created_at"]).astimezone(tokyo).date()] += 1
    rows = _rows(story_store, ["無断学習"])
    got = {r["period"]: r["posts"] for r in rows if r["posts"]}
    assert got == dict(expected)
    assert len(rows) == (dt.date(2023, 12, 31) - dt.date(2020, 1, 1)).days + 1  # every day present
    assert rows[-1]["cumulative_posts"] == sum(expected.values())
    assert got[TAKEOFF] > 100 and got.get(TAKEOFF - dt.timedelta(days=1), 0) == 0
