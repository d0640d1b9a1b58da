"""Term timelines: uses, authors and share per day, week or month.

A timeline is the first figure a researcher draws, so it has to be honest:
periods without a use are rows with zero (a gap in a chart is then a gap in
use, not a missing row), the share is taken against every counted post of the
same period under the same platform and repost filters, and cumulative
columns add up the rows shown. See :mod:`analysis.counting` for the rule.

Two ways in, one answer. :func:`timeline` reads the posts and the hits;
:func:`timeline_from_tables` reads the tables the store precomputes
(``data.daily``: posts per quarter-hour, one row per term and post) and
gives the same rows, byte for byte, without reading a post. Both feed the
same :func:`_periods` step, so the rule cannot drift between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from dtrack.analysis.counting import (
    DEFAULT_TZ,
    FREQS,
    check_context,
    check_tz,
    clip_days,
    counted_posts,
    local_day_counts,
    period_start,
    posts_between,
    table_day_counts,
    table_uses,
    term_uses,
)

TIMELINE_COLUMNS = ("period", "term", "posts", "authors", "share_per_10k", "cumulative_posts", "cumulative_authors")
#: Above this fraction of counted posts carrying some term, the store looks like
#: keyword-search exports and a share of "all posts" is not meaningful.
KEYWORD_STORE_FRACTION = 0.5


def timeline(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    terms: Sequence[str] | None = None,
    *,
    freq: str = "day",
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.LazyFrame:
    """Uses of each term per period, with authors, share and running totals.

    Parameters
    ----------
    posts, hits
        ``store.scan_posts()`` and ``store.scan_hits()`` (or frames with their columns).
    terms
        Canonical terms, in the order wanted; ``None`` means every term with a hit.
        A listed term without any use still gets its rows (all zero).
    freq
        ``"day"``, ``"week"`` (starting Monday) or ``"month"``.
    context
        ``"any"``, or ``"ai"`` to count only posts whose use of the term is AI-context.
    include_reposts, platforms
        The counting rule's filters; they apply to the share's denominator too.
    start, end
        First and last local day counted (inclusive). Default: the first and
        last day with a counted post in the store. Rows are whole periods; a
        period cut by ``start``/``end`` counts only the days inside.
    tz
        Research timezone: the calendar in which days, weeks and months are cut.

    Returns
    -------
    pl.LazyFrame
        ``period`` (Date, first day of the period), ``term``, ``posts``,
        ``authors`` (unique in the period), ``share_per_10k`` (posts per 10,000
        counted posts of the period; null when the period has none),
        ``cumulative_posts`` and ``cumulative_authors`` (unique authors seen so
        far), sorted by term then period.

    Examples
    --------
    >>> import datetime as dt
    >>> t = [dt.datetime(2022, 8, 28, 16, tzinfo=dt.UTC), dt.datetime(2022, 8, 30, 1, tzinfo=dt.UTC)]
    >>> posts = pl.LazyFrame({"platform": ["x", "x"], "post_id": ["1", "2"], "created_at": t,
    ...                       "author_id": ["a", "b"], "author_name": [None, None], "is_repost": [False, False]})
    >>> hits = pl.LazyFrame({"platform": ["x"], "post_id": ["1"], "term": ["無断学習"], "ai_context": [True]})
    >>> timeline(posts, hits).collect().select("period", "posts", "share_per_10k").rows()
    [(datetime.date(2022, 8, 29), 1, 10000.0), (datetime.date(2022, 8, 30), 0, 0.0)]
    """
    _check(tz, context, freq)
    posts = posts_between(posts, start, end, tz)
    days = local_day_counts(counted_posts(posts, include_reposts=include_reposts, platforms=platforms), tz)
    uses = term_uses(posts, hits, terms, context=context, include_reposts=include_reposts, platforms=platforms, tz=tz)
    return _periods(days, uses, terms, freq=freq, start=start, end=end)


def timeline_from_tables(
    counts: pl.LazyFrame,
    uses: pl.LazyFrame,
    terms: Sequence[str] | None = None,
    *,
    freq: str = "day",
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.LazyFrame:
    """:func:`timeline` from the store's precomputed tables (``data.daily.post_counts_of`` and
    ``data.daily.uses_of``) instead of the posts and hits: the same rows, without reading a post."""
    _check(tz, context, freq)
    days = table_day_counts(counts, tz, include_reposts=include_reposts, platforms=platforms)
    used = table_uses(uses, terms, context=context, include_reposts=include_reposts, platforms=platforms, tz=tz)
    return _periods(days, used, terms, freq=freq, start=start, end=end)


def _check(tz: str, context: str, freq: str) -> None:
    check_tz(tz)
    check_context(context)
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")


def _periods(days: pl.LazyFrame, uses: pl.LazyFrame, terms: Sequence[str] | None, *, freq: str,
             start: date | None, end: date | None) -> pl.LazyFrame:
    """The timeline's rows from counted posts per local day (``day``, ``total``) and the uses
    (``term``, ``day``, ``author``, as :func:`analysis.counting.term_uses` gives them)."""
    base = clip_days(days, start, end).with_columns(period=period_start(freq))
    uses = clip_days(uses, start, end).with_columns(period=period_start(freq))

    lo = pl.lit(_truncate(start, freq)) if start is not None else pl.col("period").min()
    hi = pl.lit(end) if end is not None else pl.col("period").max()
    periods = (
        base.select(lo=lo, hi=hi)
        .filter(pl.col("lo").is_not_null() & pl.col("hi").is_not_null())
        .select(period=pl.date_ranges("lo", "hi", interval=FREQS[freq]))
        .explode("period")
    )
    if terms is None:
        wanted = uses.select("term").unique().sort("term").with_row_index("_order")
    else:
        wanted = pl.LazyFrame({"term": list(dict.fromkeys(terms))}, schema={"term": pl.String}).with_row_index("_order")

    totals = base.group_by("period").agg(_total=pl.col("total").sum())
    counts = uses.group_by("term", "period").agg(
        posts=pl.len(),
        authors=pl.col("author").drop_nulls().n_unique(),
    )
    newcomers = (
        uses.filter(pl.col("author").is_not_null())
        .group_by("term", "author")
        .agg(period=pl.col("period").min())
        .group_by("term", "period")
        .agg(_new_authors=pl.len())
    )
    return (
        periods.join(wanted, how="cross")
        .join(counts, on=["term", "period"], how="left")
        .join(newcomers, on=["term", "period"], how="left")
        .join(totals, on="period", how="left")
        .with_columns(pl.col("posts", "authors", "_new_authors", "_total").fill_null(0).cast(pl.Int64))
        .sort("_order", "period")
        .select(
            "period",
            "term",
            "posts",
            "authors",
            share_per_10k=pl.when(pl.col("_total") > 0).then(pl.col("posts") * 10_000.0 / pl.col("_total")),
            cumulative_posts=pl.col("posts").cum_sum().over("_order"),
            cumulative_authors=pl.col("_new_authors").cum_sum().over("_order"),
        )
    )


def _truncate(day: date, freq: str) -> date:
    if freq == "week":
        return date.fromordinal(day.toordinal() - day.weekday())
    if freq == "month":
        return day.replace(day=1)
    return day


def share_note(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    *,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
) -> str | None:
    """Why ``share_per_10k`` may not mean anything here, or ``None`` when it does.

    A share of "all posts" needs a store that holds all posts of a place and
    time (a sample, an account's archive). Keyword-search exports hold only
    posts that matched the search, so nearly every post carries a term and the
    share measures the search, not the discourse. We flag that case when more
    than half of the counted posts have a hit.
    """
    counted = counted_posts(posts, include_reposts=include_reposts, platforms=platforms).select("platform", "post_id")
    total = counted.select(pl.len()).collect().item()
    if total == 0:
        return "no counted posts: share_per_10k is empty"
    with_hit = (
        counted.join(hits.select("platform", "post_id").unique(), on=["platform", "post_id"], how="semi")
        .select(pl.len())
        .collect()
        .item()
    )
    return _share_note(with_hit, total)


def share_note_from_tables(
    counts: pl.LazyFrame,
    uses: pl.LazyFrame,
    *,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
) -> str | None:
    """:func:`share_note` from the precomputed tables (see :func:`timeline_from_tables`)."""
    total = counted_posts(counts, include_reposts=include_reposts, platforms=platforms).select(
        pl.col("posts").sum()).collect().item()
    if not total:
        return "no counted posts: share_per_10k is empty"
    with_hit = (
        counted_posts(uses, include_reposts=include_reposts, platforms=platforms)
        .select(pl.struct("platform", "post_id").n_unique()).collect().item()
    )
    return _share_note(with_hit, total)


def _share_note(with_hit: int, total: int) -> str | None:
    fraction = with_hit / total
    if fraction > KEYWORD_STORE_FRACTION:
        return (
            f"{fraction:.0%} of the counted posts contain a tracked term: the store looks like keyword-search "
            "exports, so share_per_10k (a share of all stored posts) is not meaningful; use posts and authors"
        )
    return None
