"""Event studies and cross-correlation: windows, the exact Poisson test, ranking, lags."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import polars as pl
import pytest
from analysis_cases import build_store, hit, post, utc
from scipy.stats import binomtest
from story import MIMIC_SUSPENDED, NOVELAI, TAKEOFF, Story

from dtrack.analysis.events import EVENT_STUDY_COLUMNS, EXTRA_COLUMNS, cross_correlation, event_study
from dtrack.data.events import load_events
from dtrack.data.store import Store

D = dt.date


def _exact_two_sided(k: int, n: int) -> float:
    """Two-sided binomial p-value for p = 1/2 from first principles (sum of as-likely-or-less outcomes)."""
    probs = [math.comb(n, i) / 2**n for i in range(n + 1)]
    return min(1.0, sum(p for p in probs if p <= probs[k] * (1 + 1e-7)))


@pytest.fixture
def series_store(tmp_path: Path) -> Store:
    """Thirty days (UTC) with one background post a day; uses: 1 on day 3, 2 on day 10, 6/day on days 20-22."""
    posts, hits = [], []
    uses = {3: 1, 10: 2, 20: 6, 21: 6, 22: 6}
    for day in range(30):
        base = utc(2022, 8, 1, 12) + dt.timedelta(days=day)
        posts.append(post(f"bg{day}", base, "text", author=f"bg{day}"))
        for k in range(uses.get(day, 0)):
            p = post(f"u{day}-{k}", base + dt.timedelta(minutes=k), "無断学習", author=f"a{k}")
            posts.append(p)
            hits.append(hit(p, "無断学習", ai=k % 2 == 0))
    return build_store(tmp_path, posts, hits)


def _events(*items: tuple[dt.date, str]) -> pl.DataFrame:
    return pl.DataFrame({"date": [d for d, _ in items], "label": [label for _, label in items]})


def test_columns_are_the_contract_then_extras(series_store: Store) -> None:
    df = event_study(series_store.scan_posts(), series_store.scan_hits(), _events((D(2022, 8, 21), "e")), tz="UTC")
    assert tuple(df.columns) == EVENT_STUDY_COLUMNS + EXTRA_COLUMNS


def test_windows_rates_ratio_and_exact_test(series_store: Store) -> None:
    events = _events((D(2022, 8, 11), "quiet"), (D(2022, 8, 19), "rise"))
    df = event_study(series_store.scan_posts(), series_store.scan_hits(), events, window=5, tz="UTC")
    rise = df.filter(pl.col("event") == "rise").row(0, named=True)
    # before: Aug 14-18 (no use); after: Aug 19-23 (days 18..22: 0+6+6+6+... day 18 is Aug 19)
    assert (rise["before_posts"], rise["after_posts"], rise["before_days"], rise["after_days"]) == (0, 18, 5, 5)
    assert rise["before_per_day"] == 0.0 and rise["after_per_day"] == pytest.approx(3.6)
    assert rise["rate_ratio"] is None  # undefined: nothing before
    assert rise["p_value"] == pytest.approx(_exact_two_sided(18, 18))
    assert rise["lag_to_peak_days"] == 2  # day 20 (Aug 21) is the first busiest day within 5 days
    quiet = df.filter(pl.col("event") == "quiet").row(0, named=True)
    # before: Aug 6-10 (day 10 = Aug 11 is "after"): 0; after Aug 11-15: the 2 uses of Aug 11
    assert (quiet["before_posts"], quiet["after_posts"]) == (0, 2)
    assert quiet["p_value"] == pytest.approx(0.5)
    assert quiet["lag_to_peak_days"] == 0
    assert [r["event"] for r in df.iter_rows(named=True)] == ["rise", "quiet"]
    assert df.get_column("rank").to_list() == [1, 2]


def test_p_value_is_the_conditional_binomial_test_with_unequal_windows(series_store: Store) -> None:
    # 2022-07-29 is three days before the data starts: before window is clipped to nothing
    early = _events((D(2022, 8, 3), "clipped"))
    row = event_study(series_store.scan_posts(), series_store.scan_hits(), early, window=7, tz="UTC").row(
        0, named=True)
    assert (row["before_days"], row["after_days"]) == (2, 7)  # Aug 1-2 covered of Jul 27 - Aug 2
    assert (row["before_posts"], row["after_posts"]) == (0, 1)
    assert row["p_value"] == pytest.approx(binomtest(1, 1, 7 / 9).pvalue)
    outside = _events((D(2021, 1, 1), "long before"), (D(2023, 1, 1), "long after"))
    rows = event_study(series_store.scan_posts(), series_store.scan_hits(), outside, tz="UTC").to_dicts()
    assert all(r["p_value"] is None and r["before_days"] == 0 and r["after_days"] == 0 for r in rows)
    assert all(r["before_per_day"] is None and r["after_per_day"] is None and r["rate_ratio"] is None for r in rows)
    after = next(r for r in rows if r["event"] == "long after")
    assert after["after_days"] == 0 and after["lag_to_peak_days"] is None


def test_falls_rank_after_rises(series_store: Store) -> None:
    events = _events((D(2022, 8, 24), "after the wave"), (D(2022, 8, 10), "small rise"))
    df = event_study(series_store.scan_posts(), series_store.scan_hits(), events, window=3, tz="UTC")
    fall = df.filter(pl.col("event") == "after the wave").row(0, named=True)
    assert fall["excess_per_day"] < 0 and fall["rate_ratio"] == 0.0 and fall["rank"] == 2


def test_context_and_month_precision_pass_through(series_store: Store) -> None:
    events = pl.DataFrame({"date": [D(2022, 8, 19)], "label": ["rise"], "kind": ["model"], "precision": ["month"]})
    any_ctx = event_study(series_store.scan_posts(), series_store.scan_hits(), events, window=5, tz="UTC")
    ai_ctx = event_study(series_store.scan_posts(), series_store.scan_hits(), events, window=5, tz="UTC",
                         context="ai")
    assert ai_ctx.item(0, "after_posts") == 9 < any_ctx.item(0, "after_posts") == 18
    assert any_ctx.select("kind", "precision").row(0) == ("model", "month")
    with pytest.raises(ValueError, match="date and label"):
        event_study(series_store.scan_posts(), series_store.scan_hits(), pl.DataFrame({"date": [D(2022, 8, 1)]}))
    with pytest.raises(ValueError, match="window"):
        event_study(series_store.scan_posts(), series_store.scan_hits(), events, window=0)


def test_story_mimic_beta_ranks_first_for_mudan_gakushu(story_store: Store) -> None:
    events = load_events()
    df = event_study(story_store.scan_posts(), story_store.scan_hits(), events, ["無断学習", "無断転載"])
    mudan = df.filter(pl.col("term") == "無断学習")
    assert mudan.height == events.height
    top = mudan.row(0, named=True)
    assert top["rank"] == 1 and top["date"] == TAKEOFF and "mimic" in top["event"]
    assert top["after_per_day"] > 100 * top["before_per_day"] > 0
    assert top["p_value"] < 1e-100 and top["lag_to_peak_days"] == 1  # the peak came the next day
    second = mudan.row(1, named=True)
    assert second["date"] == NOVELAI  # the second wave; mimic's suspension the next day only rode the spike
    suspended = mudan.filter(pl.col("date") == MIMIC_SUSPENDED).row(0, named=True)
    assert suspended["rate_ratio"] > 2 and suspended["controlled_rate_ratio"] < 1
    assert "mimic (AI illustration service) releases its beta" in suspended["overlapping_events"]
    sd = mudan.filter(pl.col("event").str.contains("Stable Diffusion")).row(0, named=True)
    assert sd["after_posts"] == 5 and sd["before_posts"] == 0  # the notices of Aug 23/24
    steady = df.filter(pl.col("term") == "無断転載")
    assert steady.get_column("p_value").min() > 1e-4  # nothing moves a steadily used word much


def test_made_up_event_before_a_spike_no_longer_wins(story_store: Store) -> None:
    """The issue's case: an event on 2022-08-24 ranked first (rate ratio 78.5) with the 08-29 spike in its window."""
    events = pl.concat([load_events(), pl.DataFrame({"date": [D(2022, 8, 24)], "label": ["made-up"],
                                                     "precision": ["day"]})], how="diagonal_relaxed")
    df = event_study(story_store.scan_posts(), story_store.scan_hits(), events, ["無断学習"])
    made_up = df.filter(pl.col("event") == "made-up").row(0, named=True)
    assert made_up["rate_ratio"] > 50 and made_up["p_value"] < 1e-30  # the plain test is fooled ...
    assert made_up["controlled_p_value"] > 0.05  # ... the controlled one is not
    assert made_up["controlled_after_days"] == 5  # Aug 24-28: the after-window stops before mimic's day
    assert made_up["controlled_before_days"] == 2  # Aug 22-23: from Stable Diffusion's release on
    assert "mimic" in made_up["overlapping_events"] and "Stable Diffusion" in made_up["overlapping_events"]
    assert "after-window ends before the next event (2022-08-29)" in made_up["rank_reason"]
    assert df.row(0, named=True)["date"] == TAKEOFF and made_up["rank"] > 2


def test_controlled_windows_by_hand(series_store: Store) -> None:
    """Uses: 1 on Aug 4, 2 on Aug 11, 6/day on Aug 21-23 (UTC). Events Aug 9, Aug 12 and Aug 20, window 7."""
    events = _events((D(2022, 8, 9), "a"), (D(2022, 8, 12), "b"), (D(2022, 8, 20), "c"))
    df = event_study(series_store.scan_posts(), series_store.scan_hits(), events, window=7, tz="UTC")
    rows = {r["event"]: r for r in df.iter_rows(named=True)}
    a, b, c = rows["a"], rows["b"], rows["c"]
    # a: plain after Aug 9-15 (2 uses), controlled after Aug 9-11 (cut at b): 3 days, 2 uses
    assert (a["after_days"], a["controlled_after_days"], a["controlled_before_days"]) == (7, 3, 7)
    assert a["controlled_after_per_day"] == pytest.approx(2 / 3)
    assert a["controlled_p_value"] == pytest.approx(binomtest(2, 3, 3 / 10).pvalue)
    assert a["overlapping_events"] == "b"
    # b: before Aug 5-11 cut to Aug 9-11 (from a's day): 3 days with 2 uses; after Aug 12-18: 7 days, none
    assert (b["controlled_before_days"], b["controlled_after_days"]) == (3, 7)
    assert b["controlled_before_per_day"] == pytest.approx(2 / 3) and b["controlled_after_per_day"] == 0.0
    assert b["overlapping_events"] == "a"
    # c: before Aug 13-19 (after b's day: no cut needed), after Aug 20-26: nothing overlaps
    assert c["overlapping_events"] is None
    assert (c["controlled_before_days"], c["controlled_after_days"]) == (c["before_days"], c["after_days"])
    assert c["controlled_p_value"] == c["p_value"] and c["rank"] == 1
    assert c["rank_reason"].startswith("rise of +2.57 uses/day; p=")


def test_month_precision_events_rank_after_day_events(series_store: Store) -> None:
    events = pl.DataFrame({"date": [D(2022, 8, 1), D(2022, 8, 9)], "label": ["month rise", "quiet day"],
                           "precision": ["month", "day"]})
    df = event_study(series_store.scan_posts(), series_store.scan_hits(), events, window=30, tz="UTC")
    assert df.get_column("event").to_list() == ["quiet day", "month rise"]
    assert df.row(1, named=True)["rank_reason"].startswith("month-precision date")


def test_lag_to_peak_is_bounded_by_the_after_window(series_store: Store) -> None:
    """The busiest days are Aug 21-23; from an event on Aug 12 they are 9 days away."""
    events = _events((D(2022, 8, 12), "e"))
    short = event_study(series_store.scan_posts(), series_store.scan_hits(), events, window=5, tz="UTC")
    assert short.row(0, named=True)["lag_to_peak_days"] is None  # beyond the window: not reported
    long_ = event_study(series_store.scan_posts(), series_store.scan_hits(), events, window=12, tz="UTC")
    assert long_.row(0, named=True)["lag_to_peak_days"] == 9


def test_p_value_is_null_when_a_window_has_no_day(series_store: Store) -> None:
    row = event_study(series_store.scan_posts(), series_store.scan_hits(), _events((D(2022, 8, 1), "first day")),
                      tz="UTC").row(0, named=True)
    assert row["before_days"] == 0 and row["after_posts"] == 1
    assert row["p_value"] is None and row["controlled_p_value"] is None
    assert "a window has no day inside the data" in row["rank_reason"]


def test_cross_correlation_finds_the_lag(tmp_path: Path) -> None:
    posts, hits = [], []
    pattern = [0, 3, 0, 0, 5, 1, 0, 0, 0, 7, 0, 2, 0, 0, 4, 0, 0, 0, 6, 0, 0, 1, 0, 3, 0]
    for day, n in enumerate([*pattern, 0, 0, 0]):
        base = utc(2022, 9, 1, 12) + dt.timedelta(days=day)
        posts.append(post(f"bg{day}", base, "x"))
        for k in range(n):
            a = post(f"a{day}-{k}", base, "mimic")
            posts.append(a)
            hits.append(hit(a, "mimic"))
            b = post(f"b{day}-{k}", base + dt.timedelta(days=2), "無断学習")
            posts.append(b)
            hits.append(hit(b, "無断学習"))
    store = build_store(tmp_path, posts, hits)
    xc = cross_correlation(store.scan_posts(), store.scan_hits(), "mimic", "無断学習", max_lag=4, tz="UTC")
    assert xc.columns == ["lag", "correlation"] and xc.get_column("lag").to_list() == list(range(-4, 5))
    best = xc.sort("correlation", descending=True).row(0, named=True)
    assert best["lag"] == 2 and best["correlation"] == pytest.approx(1.0)
    back = cross_correlation(store.scan_posts(), store.scan_hits(), "無断学習", "mimic", max_lag=4, tz="UTC")
    assert back.filter(pl.col("lag") == -2).item(0, "correlation") == pytest.approx(1.0)
    none = cross_correlation(store.scan_posts(), store.scan_hits(), "mimic", "never", max_lag=1, tz="UTC")
    assert none.get_column("correlation").null_count() == 3  # a constant series has no correlation


def test_story_cross_correlation_is_highest_at_lag_zero(story: Story, story_store: Store) -> None:
    xc = cross_correlation(story_store.scan_posts(), story_store.scan_hits(), "mimic", "無断学習")
    assert xc.height == 29
    assert xc.sort("correlation", descending=True).item(0, "lag") == 0
