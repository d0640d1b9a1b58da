"""Evidence: the posts behind a count.

Every number dtrack shows is a count of posts under the rule in
:mod:`analysis.counting`; this lists exactly those posts, one row per post,
so a researcher can read, quote and cite them (time in the research
timezone, author, text, link). The same filters give the same posts: the
rows for a day are as many as that day's count in the timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from dtrack.analysis.counting import (
    DEFAULT_TZ,
    check_context,
    check_tz,
    counted_between,
)

EVIDENCE_COLUMNS = (
    "platform",
    "post_id",
    "time",
    "author",
    "text",
    "url",
    "variant",
    "start",
    "end",
    "ai_context",
    "evidence",
)
EXTRA_COLUMNS = ("hits", "author_id", "is_repost")


def evidence(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    term: str,
    *,
    start: date | None = None,
    end: date | None = None,
    context: str = "any",
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
    limit: int | None = None,
) -> pl.DataFrame:
    """The posts that use ``term`` between two local days, oldest first.

    Parameters
    ----------
    posts, hits
        ``store.scan_posts()`` and ``store.scan_hits()``.
    term
        A canonical term.
    start, end
        First and last local day (inclusive); ``None`` leaves that side open.
    context, include_reposts, platforms, tz
        The counting rule (:mod:`analysis.counting`).
    limit
        At most this many posts (the oldest).

    Returns
    -------
    pl.DataFrame
        :data:`EVIDENCE_COLUMNS` then :data:`EXTRA_COLUMNS`. ``time`` is the
        post time in ``tz``; ``author`` the name, else the id. ``variant``,
        ``start`` and ``end`` locate the post's first use of the term (the
        first AI-context use when ``context="ai"``) in ``text``; ``ai_context``
        is true if any use in the post is AI-context and ``evidence`` lists
        the cue words of all of them; ``hits`` counts the uses in the post.

    Examples
    --------
    >>> import datetime as dt
    >>> t = dt.datetime(2022, 8, 28, 16, tzinfo=dt.UTC)
    >>> posts = pl.LazyFrame({"platform": "x", "post_id": ["1"], "created_at": [t], "author_id": "42",
    ...     "author_name": "alice", "text": "AIに無断学習させないで", "url": None, "is_repost": False})
    >>> hits = pl.LazyFrame({"platform": "x", "post_id": ["1"], "term": "無断学習", "variant": "無断学習",
    ...     "start": [3], "end": [7], "ai_context": True, "evidence": [["AI"]]})
    >>> row = evidence(posts, hits, "無断学習").row(0, named=True)
    >>> str(row["time"]), row["author"], row["text"][row["start"]:row["end"]]
    ('2022-08-29 01:00:00+09:00', 'alice', '無断学習')
    """
    check_tz(tz)
    check_context(context)
    if limit is not None and limit < 0:
        raise ValueError(f"limit must not be negative, not {limit}")
    chosen = hits.filter(pl.col("term") == term)
    if context == "ai":
        chosen = chosen.filter(pl.col("ai_context"))
    per_post = (
        chosen.sort("start")
        .group_by("platform", "post_id")
        .agg(
            pl.col("variant", "start", "end").first(),
            ai_context=pl.col("ai_context").fill_null(False).any(),
            evidence=pl.col("evidence").list.explode(keep_nulls=False, empty_as_null=False).unique(maintain_order=True),
            hits=pl.len().cast(pl.Int64),
        )
    )
    counted = counted_between(posts, start, end, include_reposts=include_reposts, platforms=platforms, tz=tz)
    frame = (
        counted.join(per_post, on=["platform", "post_id"], how="inner")
        .sort("created_at", "platform", "post_id")
        .select(
            "platform",
            "post_id",
            time=pl.col("created_at").dt.convert_time_zone(tz),
            author=pl.coalesce(pl.col("author_name"), pl.col("author_id")),
            text=pl.col("text"),
            url=pl.col("url"),
            variant=pl.col("variant"),
            start=pl.col("start"),
            end=pl.col("end"),
            ai_context=pl.col("ai_context"),
            evidence=pl.col("evidence"),
            hits=pl.col("hits"),
            author_id=pl.col("author_id"),
            is_repost=pl.col("is_repost").fill_null(False),
        )
    )
    if limit is not None:
        frame = frame.head(limit)
    return frame.collect()
