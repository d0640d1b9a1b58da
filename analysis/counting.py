"""The counting rule every analysis shares: which posts count, and on which day.

Why one module. A timeline, an emergence table and an event study must agree
on what "a use on 2022-08-29" means, or their numbers cannot be compared and
the evidence behind a number would not add up to it. The rule:

* **Days are calendar days in the research timezone** (default Asia/Tokyo).
  A post at 2022-08-28T16:00Z is a post of 2022-08-29 in Tokyo; UTC is only
  used when the researcher asks for it.
* **A use is a post, not a hit.** A post that writes 無断学習 three times is one
  use of 無断学習 that day. Its time is the post's ``created_at``.
* **Reposts are left out by default** (they repeat someone else's words);
  quotes and replies count, they are new text. ``include_reposts=True`` keeps
  reposts. ``platforms`` restricts every count, including the denominator.
* **Context** ``"ai"`` counts a post only if at least one of its hits of the
  term was tagged AI-context by the tagger.
* **Authors** are ``author_id``, or ``author_name`` where the export has no id;
  a post with neither counts as a use but not as an author.

Everything here is LazyFrame in, LazyFrame out, so callers add their own
grouping and polars plans the whole query at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from dtrack.data.defaults import CONTEXTS, DEFAULT_TZ

#: polars durations of the period lengths named in data.defaults.FREQS
FREQS = {"day": "1d", "week": "1w", "month": "1mo"}


def check_tz(tz: str) -> str:
    """Return ``tz`` if it is an IANA timezone name, else raise ``ValueError``."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown timezone {tz!r} (use an IANA name such as Asia/Tokyo or UTC)") from None
    return tz


def check_context(context: str) -> str:
    """Return ``context`` if it is ``"any"`` or ``"ai"``, else raise ``ValueError``."""
    if context not in CONTEXTS:
        raise ValueError(f"context must be one of {', '.join(CONTEXTS)}, not {context!r}")
    return context


def local_day(tz: str, column: str = "created_at") -> pl.Expr:
    """The calendar day of a UTC timestamp column in ``tz``.

    Examples
    --------
    >>> import datetime as dt
    >>> df = pl.DataFrame({"created_at": [dt.datetime(2022, 8, 28, 16, tzinfo=dt.UTC)]})
    >>> df.select(day=local_day("Asia/Tokyo")).item()
    datetime.date(2022, 8, 29)
    """
    check_tz(tz)
    return pl.col(column).dt.convert_time_zone(tz).dt.date()


def period_start(freq: str, column: str = "day") -> pl.Expr:
    """The first day of the day/week (Monday)/month that a Date column falls in."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    return pl.col(column) if freq == "day" else pl.col(column).dt.truncate(FREQS[freq])


def counted_posts(
    posts: pl.LazyFrame,
    *,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
) -> pl.LazyFrame:
    """The posts that count under the rule: all of them, less reposts and other platforms."""
    if not include_reposts:
        posts = posts.filter(~pl.col("is_repost").fill_null(False))
    if platforms:
        posts = posts.filter(pl.col("platform").is_in(list(platforms)))
    return posts


def posts_between(posts: pl.LazyFrame, start: date | None, end: date | None, tz: str) -> pl.LazyFrame:
    """Posts whose UTC time can fall on a local day in [start, end]: a cheap pre-filter.

    Comparing ``created_at`` with constants lets the Parquet reader skip month
    files and row groups by their statistics before any timezone conversion.
    A day of margin on each side covers every UTC offset; the exact cut is
    :func:`clip_days` on the local day.
    """
    if start is not None:
        posts = posts.filter(pl.col("created_at") >= _utc_midnight(start - timedelta(days=1), tz))
    if end is not None:
        posts = posts.filter(pl.col("created_at") < _utc_midnight(end + timedelta(days=2), tz))
    return posts


def _utc_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(tz)).astimezone(UTC)


def local_day_counts(posts: pl.LazyFrame, tz: str) -> pl.LazyFrame:
    """Posts per local day (``day``, ``total``), converting each quarter-hour once, not each post.

    Every timezone's UTC offset is a whole number of quarter hours, so all
    posts of one UTC quarter-hour fall on the same local day: count by
    quarter-hour first, then convert the few buckets (a third of the time of
    converting every timestamp on millions of posts).
    """
    return (
        posts.group_by(bucket=pl.col("created_at").dt.truncate("15m"))
        .agg(n=pl.len())
        .group_by(day=local_day(tz, "bucket"))
        .agg(total=pl.col("n").sum().cast(pl.Int64))
    )


def daily_totals(
    posts: pl.LazyFrame,
    *,
    tz: str = DEFAULT_TZ,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
) -> pl.LazyFrame:
    """All counted posts per local day: the denominator of shares and of Kleinberg's model.

    Columns ``day`` (Date) and ``total`` (Int64), days without posts absent.
    """
    return local_day_counts(counted_posts(posts, include_reposts=include_reposts, platforms=platforms), tz)


def term_uses(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    terms: Sequence[str] | None = None,
    *,
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.LazyFrame:
    """One row per (term, post) that counts: the unit behind every figure.

    Columns: ``term``, ``platform``, ``post_id``, ``created_at`` (UTC, the
    post's), ``day`` (local Date), ``author`` (id, else name, may be null),
    ``ai_context`` (any of the post's hits of the term is AI-context).

    Examples
    --------
    >>> import datetime as dt
    >>> t = dt.datetime(2022, 8, 28, 16, tzinfo=dt.UTC)
    >>> posts = pl.LazyFrame({"platform": ["x"], "post_id": ["1"], "created_at": [t], "author_id": ["a"],
    ...                       "author_name": [None], "is_repost": [False]})
    >>> hits = pl.LazyFrame({"platform": ["x", "x"], "post_id": ["1", "1"], "term": ["無断学習"] * 2,
    ...                      "ai_context": [False, True]})
    >>> term_uses(posts, hits).select("term", "day", "ai_context").collect().row(0)
    ('無断学習', datetime.date(2022, 8, 29), True)
    """
    check_context(context)
    if terms is not None:
        hits = hits.filter(pl.col("term").is_in(list(terms)))
    per_post = hits.group_by("term", "platform", "post_id").agg(ai_context=pl.col("ai_context").fill_null(False).any())
    if context == "ai":
        per_post = per_post.filter(pl.col("ai_context"))
    counted = counted_posts(posts, include_reposts=include_reposts, platforms=platforms).select(
        "platform",
        "post_id",
        "created_at",
        author=pl.coalesce(pl.col("author_id"), pl.col("author_name")),
    )
    return per_post.join(counted, on=["platform", "post_id"], how="inner").select(
        "term", "platform", "post_id", "created_at", day=local_day(tz), author=pl.col("author"),
        ai_context=pl.col("ai_context"),
    )


def table_day_counts(
    counts: pl.LazyFrame,
    tz: str,
    *,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
) -> pl.LazyFrame:
    """:func:`daily_totals` from the store's counts table (``data.daily``: posts per UTC
    quarter-hour, platform and repost flag): the same quarter-hours summed into the same days.
    ``counts`` may also be summed into local days of ``tz`` already (a ``day`` column, no ``bucket``:
    ``data.daily.day_counts_of``)."""
    day = pl.col("day") if "day" in counts.collect_schema() else local_day(tz, "bucket")
    return (
        counted_posts(counts, include_reposts=include_reposts, platforms=platforms)
        .group_by(day=day)
        .agg(total=pl.col("posts").sum().cast(pl.Int64))
    )


def quarter_hours_fit(counts: pl.LazyFrame, tz: str) -> bool:
    """Whether each quarter-hour of ``counts`` (a ``bucket`` column) lies within one local day in ``tz``.

    True for every offset in use since 1972 (whole quarter-hours); False for
    local mean times (Asia/Tokyo before 1888 was +9:18:59) or a change of
    offset inside a quarter-hour. Then a per-day count that must follow the
    exact ``created_at`` (coverage, the span of the data) is taken from the posts.
    """
    check_tz(tz)
    start = pl.col("bucket")
    end = start + pl.duration(minutes=15) - pl.duration(microseconds=1)

    def offset(at: pl.Expr) -> pl.Expr:
        return at.dt.convert_time_zone(tz).dt.replace_time_zone(None) - at.dt.replace_time_zone(None)

    bad = (
        counts.select("bucket").drop_nulls().unique()
        .filter((start.dt.convert_time_zone(tz).dt.date() != end.dt.convert_time_zone(tz).dt.date())
                | (offset(start) != offset(end)))
        .select(pl.len()).collect().item()
    )
    return bad == 0


def table_uses(
    uses: pl.LazyFrame,
    terms: Sequence[str] | None = None,
    *,
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.LazyFrame:
    """:func:`term_uses` from the store's uses table (``data.daily``: one row per term and post,
    the join with the posts already made at tag time); the same columns and rows."""
    check_context(context)
    if terms is not None:
        uses = uses.filter(pl.col("term").is_in(list(terms)))
    if context == "ai":
        uses = uses.filter(pl.col("ai_context"))
    return counted_posts(uses, include_reposts=include_reposts, platforms=platforms).select(
        "term", "platform", "post_id", "created_at", day=local_day(tz), author=pl.col("author"),
        ai_context=pl.col("ai_context"),
    )


def daily_term_counts(uses: pl.LazyFrame) -> pl.LazyFrame:
    """Uses per term and local day from :func:`term_uses` (days without use absent)."""
    return uses.group_by("term", "day").agg(posts=pl.len().cast(pl.Int64))


def clip_days(frame: pl.LazyFrame, start: date | None, end: date | None, column: str = "day") -> pl.LazyFrame:
    """Keep rows whose local day lies in [start, end] (either bound optional)."""
    if start is not None:
        frame = frame.filter(pl.col(column) >= start)
    if end is not None:
        frame = frame.filter(pl.col(column) <= end)
    return frame


def counted_between(
    posts: pl.LazyFrame,
    start: date | None,
    end: date | None,
    *,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.LazyFrame:
    """The posts the counting rule counts, on local days ``start..end`` (inclusive), with their ``day``.

    The one filter behind every list of posts (evidence, KWIC), so a list has
    exactly the posts its count was made of.
    """
    counted = counted_posts(posts_between(posts, start, end, tz), include_reposts=include_reposts, platforms=platforms)
    return clip_days(counted.with_columns(day=local_day(tz)), start, end)


def counting_rule(
    *,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    context: str = "any",
    tz: str = DEFAULT_TZ,
) -> str:
    """The counting rule in words, for export sidecars and captions.

    Examples
    --------
    >>> counting_rule()  # doctest: +NORMALIZE_WHITESPACE
    'a use is a post containing the term (counted once however often it uses it); original posts only
    (reposts excluded, quotes and replies included); all platforms; any context; days are calendar days in
    Asia/Tokyo'
    """
    reposts = (
        "reposts included"
        if include_reposts
        else "original posts only (reposts excluded, quotes and replies included)"
    )
    where = "platforms: " + ", ".join(platforms) if platforms else "all platforms"
    ctx = "AI-context uses only" if context == "ai" else "any context"
    return (
        "a use is a post containing the term (counted once however often it uses it); "
        f"{reposts}; {where}; {ctx}; days are calendar days in {tz}"
    )
