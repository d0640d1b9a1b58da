"""Emergence: when a word was born, how long it slept, when it took off.

For each term: its first use in the corpus and the post that made it, the
first AI-context use, the longest silence before takeoff, the takeoff (the
first day of the first sustained Kleinberg burst, see :mod:`analysis.bursts`)
and the peak day. All days are local days in the research timezone and all
counts follow :mod:`analysis.counting`, so every date here can be listed as
posts with :func:`analysis.evidence.evidence`.

The burst model runs on the term's own active span: from its first use to its
last use (``first_seen``..``last_seen``), zeros included, because a burst is a
rise against the term's own rate. The span of the *store* plays no part, so
posts dated years before or after the term's uses, or posts of other terms,
cannot move its takeoff (before, the base rate was averaged over the whole
store's span, and five unrelated posts dated 2019 and 2025 made a steady term
"take off"). Days inside the span on which the store holds no counted post at
all are coverage gaps: they carry no evidence and stay out of the base rate.

The takeoff is the first day of the first burst of at least ``min_days`` days.
When the data hold no counted post in the :data:`CENSOR_DAYS` days before the
term's first use (the data begin that day, or resume after a coverage gap), the
first use is left-censored (``first_seen_censored``: the word may be older than
the data), and a burst starting that day is not a takeoff (the word was already
in full use); the next sustained burst, if any, is reported instead. Posts far
away (a stray post years earlier) therefore do not change the verdict either.

The binomial model (uses out of all posts of the day) is used when that
denominator means something; when most posts carry the term (keyword-search
exports, ``s * p0 >= 1``) it falls back to the Poisson count model and says so
in ``burst_note``. The model used is reported per term in ``burst_model``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from dtrack.analysis.bursts import DEFAULT_GAMMA, DEFAULT_S, MODELS, bursts, resolve_model, takeoff_index
from dtrack.analysis.counting import DEFAULT_TZ, check_tz, daily_term_counts, daily_totals, term_uses
from dtrack.analysis.series import DailySeries

EMERGENCE_COLUMNS = (
    "term",
    "first_seen",
    "first_post_id",
    "first_ai_seen",
    "first_ai_post_id",
    "posts",
    "authors",
    "dormancy_days",
    "takeoff",
    "peak",
    "peak_posts",
)
EXTRA_COLUMNS = (
    "uses_before",
    "ai_posts",
    "first_platform",
    "first_ai_platform",
    "dormant_after",
    "dormant_until",
    "takeoff_end",
    "burst_model",
    "first_seen_censored",
    "last_seen",
    "burst_note",
)
SCHEMA: dict[str, pl.DataType] = {
    "term": pl.String(),
    "first_seen": pl.Date(),
    "first_post_id": pl.String(),
    "first_ai_seen": pl.Date(),
    "first_ai_post_id": pl.String(),
    "posts": pl.Int64(),
    "authors": pl.Int64(),
    "dormancy_days": pl.Int64(),
    "takeoff": pl.Date(),
    "peak": pl.Date(),
    "peak_posts": pl.Int64(),
    "uses_before": pl.Int64(),
    "ai_posts": pl.Int64(),
    "first_platform": pl.String(),
    "first_ai_platform": pl.String(),
    "dormant_after": pl.Date(),
    "dormant_until": pl.Date(),
    "takeoff_end": pl.Date(),
    "burst_model": pl.String(),
    "first_seen_censored": pl.Boolean(),
    "last_seen": pl.Date(),
    "burst_note": pl.String(),
}
#: A burst must last this many days to count as a takeoff (a spike is not one).
DEFAULT_MIN_DAYS = 7
#: A first use with no counted post in this many days before it is left-censored.
CENSOR_DAYS = 7


def emergence(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    terms: Sequence[str] | None = None,
    *,
    tz: str = DEFAULT_TZ,
    before: date | None = None,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    burst_s: float = DEFAULT_S,
    burst_gamma: float = DEFAULT_GAMMA,
    min_days: int = DEFAULT_MIN_DAYS,
    model: str = "poisson",
) -> pl.DataFrame:
    """One row per term: first use, first AI use, dormancy, takeoff, peak.

    Parameters
    ----------
    posts, hits
        ``store.scan_posts()`` and ``store.scan_hits()``.
    terms
        Canonical terms in the order wanted; ``None``: every term with a hit.
    tz
        Research timezone in which days are cut.
    before
        Also count the uses before this local day (``uses_before``; null if not given).
    include_reposts, platforms
        The counting rule's filters (:mod:`analysis.counting`).
    burst_s, burst_gamma, min_days
        Kleinberg's rate ratio ``s`` (> 1; default 2) and entry difficulty
        ``gamma`` (>= 0; default 1; entering a burst costs ``gamma * ln n``
        for a span of n days), and the shortest burst (in days) that counts
        as a takeoff.
    model
        Kleinberg's emission model (:mod:`analysis.bursts`): ``"poisson"``
        (daily counts; the default, right for keyword-search exports) or
        ``"binomial"`` (daily share of all posts; for stores that are samples
        of everything posted, where it also corrects for uneven coverage).
        Binomial falls back to Poisson for a term in more than ``1/s`` of the
        posts of its span (``burst_model`` then says ``poisson`` and
        ``burst_note`` why).

    Returns
    -------
    pl.DataFrame
        Columns :data:`EMERGENCE_COLUMNS` then :data:`EXTRA_COLUMNS`:
        ``first_seen``/``first_ai_seen`` (local Date) with the post ids that
        made them; ``posts``/``authors`` in all; ``dormancy_days``, the longest
        run of days without use between the first use and the takeoff (or the
        last use when there is no takeoff), bracketed by ``dormant_after`` and
        ``dormant_until``; ``takeoff``/``takeoff_end``, the first sustained
        burst; ``peak``/``peak_posts``, the busiest day. Null where none.
        ``first_seen_censored`` is true when the data hold no counted post
        in the 7 days before the first use (the word may be older); ``last_seen`` closes the
        span the burst model ran on; ``burst_note`` explains a model fallback.

    Examples
    --------
    >>> import datetime as dt
    >>> times = [dt.datetime(2022, 8, 1, tzinfo=dt.UTC) + dt.timedelta(hours=4 * i) for i in range(240)]
    >>> posts = pl.LazyFrame({"platform": "x", "post_id": [str(i) for i in range(240)], "created_at": times,
    ...                       "author_id": "a", "author_name": None, "is_repost": False})
    >>> used = ["20"] + [str(i) for i in range(168, 186)]  # one post on Aug 4, every post on Aug 29-31
    >>> hits = pl.LazyFrame({"platform": "x", "post_id": used, "term": "mimic", "ai_context": True})
    >>> row = emergence(posts, hits, tz="UTC", min_days=3).row(0, named=True)
    >>> row["first_seen"], row["dormancy_days"], row["takeoff"], row["takeoff_end"]
    (datetime.date(2022, 8, 4), 24, datetime.date(2022, 8, 29), datetime.date(2022, 8, 31))
    """
    check_tz(tz)
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    if not burst_s > 1:
        raise ValueError(f"burst_s must be greater than 1, not {burst_s}")
    if not burst_gamma >= 0:
        raise ValueError(f"burst_gamma must not be negative, not {burst_gamma}")
    # the uses are few next to the posts: materialise them once, with the denominator, then summarise
    used, totals = pl.collect_all(
        [
            term_uses(posts, hits, terms, include_reposts=include_reposts, platforms=platforms, tz=tz),
            daily_totals(posts, tz=tz, include_reposts=include_reposts, platforms=platforms),
        ]
    )
    ordered = used.sort("created_at", "platform", "post_id")
    summary = ordered.group_by("term").agg(
        first_seen=pl.col("day").first(),
        first_post_id=pl.col("post_id").first(),
        first_platform=pl.col("platform").first(),
        posts=pl.len().cast(pl.Int64),
        authors=pl.col("author").drop_nulls().n_unique().cast(pl.Int64),
        ai_posts=pl.col("ai_context").sum().cast(pl.Int64),
        uses_before=(pl.col("day") < before).sum().cast(pl.Int64) if before is not None else pl.lit(None, pl.Int64),
    )
    first_ai = (
        ordered.filter(pl.col("ai_context"))
        .group_by("term")
        .agg(
            first_ai_seen=pl.col("day").first(),
            first_ai_post_id=pl.col("post_id").first(),
            first_ai_platform=pl.col("platform").first(),
        )
    )
    daily = daily_term_counts(used.lazy()).collect()

    wanted = list(dict.fromkeys(terms)) if terms is not None else sorted(summary.get_column("term").to_list())
    rows = summary.join(first_ai, on="term", how="left")
    by_term = {row["term"]: row for row in rows.iter_rows(named=True)}
    series = DailySeries.from_frames(daily, totals)
    out: list[dict[str, Any]] = []
    for term in wanted:
        row: dict[str, Any] = dict.fromkeys(SCHEMA)
        row.update(term=term, posts=0, authors=0, ai_posts=0, uses_before=0 if before is not None else None)
        found = by_term.get(term)
        if found is not None:
            row.update(found)
            row.update(_describe(series, term, s=burst_s, gamma=burst_gamma, min_days=min_days, model=model))
        out.append(row)
    return pl.DataFrame(out, schema=SCHEMA, orient="row")


def _describe(
    series: DailySeries, term: str, *, s: float, gamma: float, min_days: int, model: str
) -> dict[str, Any]:
    """Takeoff, peak and dormancy of one term from its dense daily series (see the module docstring)."""
    counts = series.term(term)
    used = np.flatnonzero(counts)
    first, last = int(used[0]), int(used[-1])
    # the term's own active span; days the store does not cover at all carry no evidence
    own = counts[first:last + 1]
    totals = series.totals[first:last + 1]
    covered = totals > 0
    censored = not series.totals[max(first - CENSOR_DAYS, 0):first].any()
    chosen, note = resolve_model(own, totals, s=s, model=model)
    found = bursts(own, totals if chosen == "binomial" else None, s=s, gamma=gamma, model=chosen, covered=covered)
    start = takeoff_index(found, min_days=min_days, censored=censored)
    peak = int(np.argmax(counts))
    if start is not None:
        used = used[used <= first + start]
    info: dict[str, Any] = {
        "peak": series.day(peak),
        "peak_posts": int(counts[peak]),
        "burst_model": chosen,
        "burst_note": note,
        "first_seen_censored": censored,
        "last_seen": series.day(last),
        "takeoff": None,
        "takeoff_end": None,
        "dormancy_days": None,
        "dormant_after": None,
        "dormant_until": None,
    }
    if start is not None:
        burst = next(b for b in found if b.start == start)
        info.update(takeoff=series.day(first + start), takeoff_end=series.day(first + burst.end))
    if used.size >= 2:
        gaps = np.diff(used) - 1
        longest = int(np.argmax(gaps))
        info.update(
            dormancy_days=int(gaps[longest]),
            dormant_after=series.day(used[longest]),
            dormant_until=series.day(used[longest + 1]),
        )
    return info
