"""Event studies: did uses of a term change when something happened?

For each term and event, uses per day in the ``window`` days before the event
are compared with the ``window`` days from the event day on (the event day
belongs to "after": a release announced that morning is discussed that day).
The test is the exact conditional test for two Poisson rates: given ``n``
uses in both windows together, under "no change" the after-window's share of
them is Binomial(n, after_days / (before_days + after_days)), so the two-sided
p-value is ``scipy.stats.binomtest``'s. Windows are clipped to the span of the
data, so an event near the edge is compared on the days actually covered
(``before_days``/``after_days`` say how many).

Neighbouring events. When another event's date falls inside an event's
windows, its effect is counted as this event's (a made-up event five days
before mimic's release "won" with mimic's spike in its after-window):
``overlapping_events`` names them. The *controlled* test repeats the same
comparison on windows cut at the neighbouring day-precision events (a
segmented, interrupted-time-series reading): the after-window ends the day
before the next event, the before-window starts on the previous event's day
(so it holds the level the previous event left), giving
``controlled_before_days``/``controlled_after_days``,
``controlled_before_per_day``/``controlled_after_per_day``,
``controlled_rate_ratio`` and ``controlled_p_value``. Without neighbours the
controlled values equal the plain ones.

Events are ranked per term by what the question "what set it off?" needs, on
the controlled test: day-precision events first (a month-precision event is
dated on the 1st, which is not the day it happened, so its windows are
approximate: those are ranked after every day event, among themselves); then
rises before falls, then by the strength of evidence (controlled p-value),
then by the size of the rise in uses per day (which also orders p-values too
small to represent). Rank 1 is the event most clearly followed by a rise.
``rank_reason`` says in words why a row stands where it does.

``lag_to_peak_days`` is bounded by the after-window: the first local peak
(busiest day within ``window`` days either side) from the event day to the
window's last day (``0 .. window - 1``); null when there is none there.

The cross-correlation of two terms' daily series says whether one term's
uses lead the other's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from dtrack.analysis.counting import DEFAULT_TZ, check_context, check_tz, daily_term_counts, daily_totals, term_uses
from dtrack.analysis.series import DailySeries

EVENT_STUDY_COLUMNS = (
    "term",
    "event",
    "date",
    "before_per_day",
    "after_per_day",
    "rate_ratio",
    "p_value",
    "lag_to_peak_days",
)
EXTRA_COLUMNS = ("rank", "before_posts", "after_posts", "before_days", "after_days", "excess_per_day", "kind",
                 "precision", "overlapping_events", "controlled_before_days", "controlled_after_days",
                 "controlled_before_per_day", "controlled_after_per_day", "controlled_rate_ratio",
                 "controlled_p_value", "rank_reason")
SCHEMA: dict[str, pl.DataType] = {
    "term": pl.String(),
    "event": pl.String(),
    "date": pl.Date(),
    "before_per_day": pl.Float64(),
    "after_per_day": pl.Float64(),
    "rate_ratio": pl.Float64(),
    "p_value": pl.Float64(),
    "lag_to_peak_days": pl.Int64(),
    "rank": pl.Int64(),
    "before_posts": pl.Int64(),
    "after_posts": pl.Int64(),
    "before_days": pl.Int64(),
    "after_days": pl.Int64(),
    "excess_per_day": pl.Float64(),
    "kind": pl.String(),
    "precision": pl.String(),
    "overlapping_events": pl.String(),
    "controlled_before_days": pl.Int64(),
    "controlled_after_days": pl.Int64(),
    "controlled_before_per_day": pl.Float64(),
    "controlled_after_per_day": pl.Float64(),
    "controlled_rate_ratio": pl.Float64(),
    "controlled_p_value": pl.Float64(),
    "rank_reason": pl.String(),
}
#: Separates the labels in ``overlapping_events``.
OVERLAP_SEP = "; "
XCORR_SCHEMA: dict[str, pl.DataType] = {"lag": pl.Int64(), "correlation": pl.Float64()}


def _daily(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    terms: Sequence[str] | None,
    *,
    context: str,
    include_reposts: bool,
    platforms: Sequence[str] | None,
    tz: str,
) -> DailySeries:
    uses = term_uses(posts, hits, terms, context=context, include_reposts=include_reposts, platforms=platforms, tz=tz)
    daily, totals = pl.collect_all(
        [daily_term_counts(uses), daily_totals(posts, tz=tz, include_reposts=include_reposts, platforms=platforms)]
    )
    return DailySeries.from_frames(daily, totals)


def event_study(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    events: pl.DataFrame,
    terms: Sequence[str] | None = None,
    *,
    window: int = 7,
    tz: str = DEFAULT_TZ,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    context: str = "any",
) -> pl.DataFrame:
    """Rates before and after each event, for each term, ranked per term.

    Parameters
    ----------
    posts, hits
        ``store.scan_posts()`` and ``store.scan_hits()``.
    events
        At least ``date`` (Date) and ``label``, as :func:`data.events.load_events` returns.
    terms
        Canonical terms in the order wanted; ``None``: every term with a hit.
    window
        Days in each window (before: the ``window`` days before the event day;
        after: the event day and the ``window - 1`` days after it).
    tz, include_reposts, platforms, context
        The counting rule (:mod:`analysis.counting`).

    Returns
    -------
    pl.DataFrame
        :data:`EVENT_STUDY_COLUMNS` then :data:`EXTRA_COLUMNS`, one row per
        term and event, sorted by term then ``rank``. ``rate_ratio`` is null
        when the before window has no use (the ratio is undefined) and
        ``p_value`` when neither window has one or when a window has no day
        inside the data. ``lag_to_peak_days`` counts days from the event to
        the first day of its after-window with a use that is the busiest day
        within ``window`` days either side; null when there is none in the
        after-window. The ``controlled_*`` columns repeat the test on windows
        cut at the neighbouring day-precision events (module docstring).

    Examples
    --------
    >>> import datetime as dt
    >>> times = [dt.datetime(2022, 8, 15, tzinfo=dt.UTC) + dt.timedelta(hours=2 * i) for i in range(240)]
    >>> posts = pl.LazyFrame({"platform": "x", "post_id": [str(i) for i in range(240)], "created_at": times,
    ...                       "author_id": "a", "author_name": None, "is_repost": False})
    >>> used = ["30", "100"] + [str(i) for i in range(168, 200)]  # Aug 17, Aug 23, then Aug 29 onwards
    >>> hits = pl.LazyFrame({"platform": "x", "post_id": used, "term": "無断学習", "ai_context": True})
    >>> events = pl.DataFrame({"date": [dt.date(2022, 8, 22), dt.date(2022, 8, 29)], "label": ["SD", "mimic"]})
    >>> study = event_study(posts, hits, events, tz="UTC")
    >>> study.select("event", pl.col("before_per_day", "after_per_day").round(2), "after_days", "rank").rows()
    [('mimic', 0.14, 5.33, 6, 1), ('SD', 0.14, 0.14, 7, 2)]
    """
    check_tz(tz)
    check_context(context)
    if window < 1:
        raise ValueError(f"window must be at least 1 day, not {window}")
    missing = [c for c in ("date", "label") if c not in events.columns]
    if missing:
        raise ValueError(f"events need columns date and label (missing: {', '.join(missing)})")
    series = _daily(posts, hits, terms, context=context, include_reposts=include_reposts, platforms=platforms, tz=tz)
    wanted = list(dict.fromkeys(terms)) if terms is not None else sorted(series.counts)
    listed = events.to_dicts()
    rows: list[dict[str, Any]] = []
    if series.first is not None:
        for term in wanted:
            counts = series.term(term)
            peaks = _local_peaks(counts, window)
            found = []
            for i, event in enumerate(listed):
                at = series.index(event["date"])
                row = _compare(counts, peaks, at, window)
                cut_before, cut_after, overlapping = _neighbours(listed, i, window)
                controlled = _compare(counts, peaks, at, window,
                                      start=None if cut_before is None else series.index(cut_before),
                                      stop=None if cut_after is None else series.index(cut_after))
                row |= {f"controlled_{k}": controlled[k] for k in (
                    "before_days", "after_days", "before_per_day", "after_per_day", "rate_ratio", "p_value")}
                row |= {"term": term, "event": event["label"], "date": event["date"], "kind": event.get("kind"),
                        "precision": event.get("precision"),
                        "overlapping_events": OVERLAP_SEP.join(overlapping) or None,
                        "_controlled_excess": controlled["excess_per_day"], "_cut": (cut_before, cut_after)}
                found.append(row)
            found.sort(key=_rank_key)
            for rank, row in enumerate(found, 1):
                row["rank"] = rank
                row["rank_reason"] = _reason(row)
                del row["_controlled_excess"], row["_cut"]
            rows.extend(found)
    return pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(schema=SCHEMA)


def _local_peaks(counts: np.ndarray, window: int) -> np.ndarray:
    """Days with a use that are the busiest within ``window`` days either side."""
    n = counts.size
    padded = np.concatenate([np.zeros(window, counts.dtype), counts, np.zeros(window, counts.dtype)])
    neighbourhood = np.lib.stride_tricks.sliding_window_view(padded, 2 * window + 1).max(axis=1)[:n]
    return np.flatnonzero((counts > 0) & (counts == neighbourhood))


def _is_day(event: dict[str, Any]) -> bool:
    return event.get("precision") in (None, "day")


def _neighbours(events: list[dict[str, Any]], i: int, window: int) -> tuple[Any, Any, list[str]]:
    """(previous day-event date to start the controlled before-window on, next day-event date to end the
    controlled after-window before, labels of other events whose date falls in this event's windows)."""
    at = events[i]["date"]
    before = [e["date"] for j, e in enumerate(events) if j != i and _is_day(e) and e["date"] < at]
    after = [e["date"] for j, e in enumerate(events) if j != i and _is_day(e) and e["date"] > at]
    inside = [
        e["label"] + ("" if _is_day(e) else " (month)")
        for j, e in sorted(enumerate(events), key=lambda je: (je[1]["date"], je[0]))
        if j != i and -window <= (e["date"] - at).days < window
    ]
    return (max(before) if before else None, min(after) if after else None, inside)


def _compare(counts: np.ndarray, peaks: np.ndarray, at: int, window: int, *, start: int | None = None,
             stop: int | None = None) -> dict[str, Any]:
    """The two windows around day index ``at``; ``start``/``stop`` cut the before-window to begin no
    earlier than ``start`` and the after-window to end before ``stop`` (the controlled test)."""
    n = counts.size
    b0, b1 = max(at - window, 0, start if start is not None else 0), min(at, n)
    a0, a1 = max(at, 0), min(at + window, n, stop if stop is not None else n)
    before_days, after_days = max(b1 - b0, 0), max(a1 - a0, 0)
    before = int(counts[b0:b1].sum()) if before_days else 0
    after = int(counts[a0:a1].sum()) if after_days else 0
    before_rate = before / before_days if before_days else None
    after_rate = after / after_days if after_days else None
    p_value = None
    if before_days and after_days and before + after:
        from scipy.stats import binomtest  # imported here: 1-2 s that `dtrack timeline` need not pay

        p_value = float(binomtest(after, before + after, after_days / (before_days + after_days)).pvalue)
    later = peaks[(peaks >= max(at, 0)) & (peaks < at + window)]
    return {
        "before_per_day": before_rate,
        "after_per_day": after_rate,
        "rate_ratio": after_rate / before_rate if before_rate and after_rate is not None else None,
        "p_value": p_value,
        "lag_to_peak_days": int(later[0] - at) if later.size else None,
        "before_posts": before if before_days else None,
        "after_posts": after if after_days else None,
        "before_days": before_days,
        "after_days": after_days,
        "excess_per_day": after_rate - before_rate if before_rate is not None and after_rate is not None else None,
    }


def _rank_key(row: dict[str, Any]) -> tuple[int, int, float, float]:
    excess = row["_controlled_excess"]
    rise = 0 if excess is not None and excess > 0 else 1
    p_value = row["controlled_p_value"] if row["controlled_p_value"] is not None else 2.0
    return int(not _is_day(row)), rise, p_value, -(excess if excess is not None else -np.inf)


def _reason(row: dict[str, Any]) -> str:
    """Why the row has its rank, in words (``rank_reason``)."""
    parts = []
    if not _is_day(row):
        parts.append("month-precision date: ranked after every day-precision event")
    excess = row["_controlled_excess"]
    if excess is None:
        parts.append("no comparison (a window has no day inside the data)")
    else:
        parts.append(f"rise of {excess:+.2f} uses/day" if excess > 0 else f"no rise ({excess:+.2f} uses/day)")
        p = row["controlled_p_value"]
        parts.append("p not defined (no use in either window)" if p is None else f"p={p:.2g}")
    cut_before, cut_after = row["_cut"]
    cuts = []
    if cut_before is not None and row["controlled_before_days"] != row["before_days"]:
        cuts.append(f"before-window starts at the previous event ({cut_before.isoformat()})")
    if cut_after is not None and row["controlled_after_days"] != row["after_days"]:
        cuts.append(f"after-window ends before the next event ({cut_after.isoformat()})")
    if cuts:
        parts.append("controlled: " + ", ".join(cuts))
    if row["overlapping_events"]:
        parts.append(f"overlaps: {row['overlapping_events']}")
    return "; ".join(parts)


def cross_correlation(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    term_a: str,
    term_b: str,
    *,
    max_lag: int = 14,
    tz: str = DEFAULT_TZ,
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Pearson correlation of two terms' daily uses at lags ``-max_lag..max_lag``.

    At lag ``k`` the uses of ``term_a`` on day t are paired with those of
    ``term_b`` on day t + k: a peak at a positive lag means ``term_b`` follows
    ``term_a`` by k days. The series span the whole data, zeros included; the
    correlation is null where either paired series is constant. Trends shared
    by both terms (a growing corpus) raise every lag alike; compare lags, not
    levels.

    Examples
    --------
    >>> import datetime as dt
    >>> times = [dt.datetime(2022, 8, 1, tzinfo=dt.UTC) + dt.timedelta(days=i) for i in range(30)]
    >>> posts = pl.LazyFrame({"platform": "x", "post_id": [str(i) for i in range(30)], "created_at": times,
    ...                       "author_id": "a", "author_name": None, "is_repost": False})
    >>> hits = pl.LazyFrame({"platform": "x", "post_id": ["5", "12", "20", "7", "14", "22"],
    ...                      "term": ["a", "a", "a", "b", "b", "b"], "ai_context": False})
    >>> xc = cross_correlation(posts, hits, "a", "b", max_lag=3, tz="UTC")
    >>> xc.sort("correlation", descending=True).select("lag", pl.col("correlation").round(6)).row(0)
    (2, 1.0)
    """
    check_tz(tz)
    check_context(context)
    if max_lag < 0:
        raise ValueError(f"max_lag must not be negative, not {max_lag}")
    series = _daily(posts, hits, [term_a, term_b], context=context, include_reposts=include_reposts,
                    platforms=platforms, tz=tz)
    a, b = series.term(term_a).astype(np.float64), series.term(term_b).astype(np.float64)
    rows = []
    for lag in range(-max_lag, max_lag + 1):
        x, y = (a[: a.size - lag], b[lag:]) if lag >= 0 else (a[-lag:], b[: b.size + lag])
        rows.append({"lag": lag, "correlation": _pearson(x, y)})
    return pl.DataFrame(rows, schema=XCORR_SCHEMA, orient="row")


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    if x.size < 2 or x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])
