"""Takeoffs depend on the term's own series: not on the store's reach, not on other terms.

Hand-built daily series (posts and hits as LazyFrames, as ``store.scan_posts()``
and ``store.scan_hits()`` give them), each checked against a hand count or
against Kleinberg run directly on the term's own span (the reference).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from dtrack.analysis.bursts import bursts, takeoff_index
from dtrack.analysis.emergence import emergence

D0 = dt.date(2021, 1, 1)


def _frames(uses: dict[str, list[int]], *, start: dt.date = D0, background: int = 2,
            extra_days: tuple[dt.date, ...] = ()) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Per term, uses per day from ``start``; ``background`` posts without a term on each of those days;
    one post without a term on each of ``extra_days``."""
    ids, times, hit_ids, hit_terms = [], [], [], []
    n = max(len(v) for v in uses.values())

    def add(day: dt.date, k: int) -> str:
        pid = f"{day.isoformat()}-{len(ids)}"
        ids.append(pid)
        times.append(dt.datetime(day.year, day.month, day.day, 3, k % 60, tzinfo=dt.UTC))
        return pid

    for i in range(n):
        day = start + dt.timedelta(days=i)
        for k in range(background):
            add(day, k)
        for term, series in uses.items():
            for k in range(series[i] if i < len(series) else 0):
                hit_ids.append(add(day, k))
                hit_terms.append(term)
    for day in extra_days:
        add(day, 0)
    posts = pl.LazyFrame({"platform": "x", "post_id": ids, "created_at": times, "author_id": "a",
                          "author_name": None, "is_repost": False})
    hits = pl.LazyFrame({"platform": "x", "post_id": hit_ids, "term": hit_terms, "ai_context": True})
    return posts, hits


def _row(posts: pl.LazyFrame, hits: pl.LazyFrame, term: str, **kw: object) -> dict[str, object]:
    return emergence(posts, hits, [term], tz="UTC", **kw).row(0, named=True)  # type: ignore[arg-type]


def _steady(n: int, seed: int) -> list[int]:
    return np.random.default_rng(seed).poisson(4.0, n).tolist()


def _rise(n: int, at: int, seed: int) -> list[int]:
    rng = np.random.default_rng(seed)
    return [0] * 20 + [1] + [0] * (at - 21) + (rng.poisson(8.0, n - at) + 6).tolist()


FAR = (dt.date(2019, 3, 1), dt.date(2019, 6, 1), dt.date(2025, 1, 5), dt.date(2025, 6, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize("model", ["poisson", "binomial"])
def test_unrelated_posts_far_away_never_move_a_takeoff_or_make_one(model: str) -> None:
    """The issue's case: five unrelated posts dated 2019 and 2025 made a steady term 'take off'."""
    uses = {"steady": _steady(400, 1), "rising": _rise(400, 200, 2)}
    before = [_row(*_frames(uses), t, model=model) for t in ("steady", "rising")]
    after = [_row(*_frames(uses, extra_days=FAR), t, model=model) for t in ("steady", "rising")]
    assert before[0]["takeoff"] is None and after[0]["takeoff"] is None
    assert before[1]["takeoff"] == D0 + dt.timedelta(days=200)
    for b, a in zip(before, after, strict=True):
        assert (a["takeoff"], a["takeoff_end"], a["peak"]) == (b["takeoff"], b["takeoff_end"], b["peak"])
    # the data now begin in 2019, but nothing was collected in the week before the first use: still censored
    assert before[0]["first_seen_censored"] is True and after[0]["first_seen_censored"] is True


def test_other_terms_never_move_a_takeoff_poisson() -> None:
    rising = _rise(300, 150, 3)
    alone = _row(*_frames({"rising": rising}), "rising")
    crowded = _row(*_frames({"rising": rising, "other": _rise(300, 40, 4), "big": [50] * 300}), "rising")
    assert alone["takeoff"] == D0 + dt.timedelta(days=150)
    assert (crowded["takeoff"], crowded["takeoff_end"]) == (alone["takeoff"], alone["takeoff_end"])


def test_takeoff_equals_kleinberg_on_the_terms_own_span() -> None:
    """Reference: bursts() on the slice first use .. last use, by hand."""
    series = [0] * 30 + _rise(250, 120, 5) + [0] * 40
    row = _row(*_frames({"t": series}), "t", burst_s=3.0, burst_gamma=0.5, min_days=5)
    used = np.flatnonzero(series)
    own = np.asarray(series[used[0]:used[-1] + 1])
    start = takeoff_index(bursts(own, s=3.0, gamma=0.5), min_days=5, censored=False)
    assert start is not None
    assert row["takeoff"] == D0 + dt.timedelta(days=int(used[0] + start))
    assert row["first_seen"] == D0 + dt.timedelta(days=int(used[0]))
    assert row["last_seen"] == D0 + dt.timedelta(days=int(used[-1]))
    assert row["first_seen_censored"] is False
    # a huge entry cost leaves no burst at all: the parameters reach the model
    assert _row(*_frames({"t": series}), "t", burst_gamma=500.0)["takeoff"] is None


def test_a_burst_on_the_first_day_of_the_data_does_not_hide_a_later_takeoff() -> None:
    """Rule: the first day of the data is left-censored; a burst from it is skipped, the next one reported."""
    rng = np.random.default_rng(6)
    series = (rng.poisson(15, 25).tolist() + rng.poisson(2, 200).tolist() + rng.poisson(20, 21).tolist()
              + rng.poisson(2, 100).tolist())
    row = _row(*_frames({"t": series}), "t")
    assert row["first_seen"] == D0 and row["first_seen_censored"] is True
    assert row["takeoff"] == D0 + dt.timedelta(days=225)
    assert row["takeoff_end"] == D0 + dt.timedelta(days=245)


def test_a_coverage_gap_inside_the_span_does_not_make_a_takeoff() -> None:
    steady = _steady(200, 7)
    posts, hits = _frames({"t": steady})
    # drop every post (with or without the term) of 90 days in the middle: the collection stopped
    gap = (pl.col("created_at") >= dt.datetime(2021, 3, 1, tzinfo=dt.UTC)) & (
        pl.col("created_at") < dt.datetime(2021, 5, 30, tzinfo=dt.UTC))
    gone = posts.filter(gap).select("post_id").collect().get_column("post_id")
    row = _row(posts.filter(~gap), hits.filter(~pl.col("post_id").is_in(gone.implode())), "t")
    assert row["takeoff"] is None
    assert _row(posts, hits, "t")["takeoff"] is None


def test_binomial_falls_back_to_poisson_and_says_so() -> None:
    """The issue's crash: a term in more than half the posts (``ValueError: s*p0<1``)."""
    series = [3] * 100 + [9] * 30
    row = _row(*_frames({"t": series}, background=1), "t", model="binomial")
    assert row["burst_model"] == "poisson"
    assert row["burst_note"] is not None and "s*p0 < 1" in row["burst_note"]
    rare = _row(*_frames({"t": [0, 1] * 50}, background=10), "t", model="binomial")
    assert rare["burst_model"] == "binomial" and rare["burst_note"] is None


def test_burst_parameters_are_checked() -> None:
    posts, hits = _frames({"t": [1, 2, 3]})
    with pytest.raises(ValueError, match="burst_s"):
        _row(posts, hits, "t", burst_s=1.0)
    with pytest.raises(ValueError, match="burst_gamma"):
        _row(posts, hits, "t", burst_gamma=-1.0)
