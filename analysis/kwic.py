"""KWIC (keyword in context): each use of a term with the words around it.

One implementation for the CLI (``dtrack kwic``), the API (``Store.kwic``)
and the dashboard's Posts page: the uses listed are the uses the timeline
counts (the counting rule of :mod:`analysis.counting`: reposts left out
unless asked, platforms, research-timezone days), one row per use, oldest
first. :func:`context_columns` cuts the left and right context the same way
everywhere (characters of the stored text, line breaks shown as ⏎).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from dtrack.analysis.counting import (
    DEFAULT_TZ,
    check_context,
    check_tz,
    counted_between,
)

if TYPE_CHECKING:  # pragma: no cover
    from dtrack.analysis.queries import Query, Result

KWIC_COLUMNS = ("time", "platform", "post_id", "term", "variant", "start", "end", "left", "right", "ai_context",
                "evidence", "url")
_ONE_LINE = {"\r\n": "⏎", "\n": "⏎", "\r": "⏎", "\t": " "}


def context_columns(width: int, *, text: str = "text", start: str = "start", end: str = "end",
                    marks: bool = False) -> list[pl.Expr]:
    """``left``, ``match``, ``right``: the text around ``[start, end)``, ``width`` characters a side.

    With ``marks`` the sides carry … where the text goes on, and line breaks
    read ⏎ (for a one-line display); without, they are the plain stored text.
    """
    body = pl.col(text).fill_null("")
    s = pl.col(start).cast(pl.Int64)
    e = pl.col(end).cast(pl.Int64)
    left_from = pl.max_horizontal(s - width, pl.lit(0))
    left = body.str.slice(left_from, s - left_from)
    match = body.str.slice(s, e - s)
    right = body.str.slice(e, width)
    if marks:
        left = pl.when(left_from > 0).then(pl.lit("…")).otherwise(pl.lit("")) + left.str.replace_many(_ONE_LINE)
        right = right.str.replace_many(_ONE_LINE) + pl.when(body.str.len_chars() > e + width).then(
            pl.lit("…")).otherwise(pl.lit(""))
        match = match.str.replace_many(_ONE_LINE)
    return [left.alias("left"), match.alias("match"), right.alias("right")]


def kwic(
    posts: pl.LazyFrame,
    hits: pl.LazyFrame,
    term: str,
    *,
    start: date | None = None,
    end: date | None = None,
    context: str = "any",
    width: int = 20,
    limit: int | None = None,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
    sort: str = "date",
) -> tuple[pl.DataFrame, int]:
    """The uses of ``term`` in their context, oldest first, and how many there are in all.

    ``sort`` other than ``"date"`` orders the uses by the word at ``left1``,
    ``left2``, ``right1`` or ``right2`` of the use, as KH Coder does
    (:func:`analysis.concordance.sort_kwic`), before ``limit`` cuts them,
    and adds the columns ``left2``, ``left1``, ``right1``, ``right2``.

    Returns
    -------
    (pl.DataFrame, int)
        :data:`KWIC_COLUMNS` (``time`` in ``tz``; ``left``/``right`` the plain
        text around the use; ``url`` the post's URL, else ``platform:post_id``),
        cut to ``limit`` rows; and the number of uses before the cut.

    Examples
    --------
    >>> import datetime as dt
    >>> t = dt.datetime(2022, 8, 28, 16, tzinfo=dt.UTC)
    >>> posts = pl.LazyFrame({"platform": "x", "post_id": ["1"], "created_at": [t], "author_id": "42",
    ...     "author_name": "alice", "text": "AIに無断学習させないで", "url": None, "is_repost": False})
    >>> hits = pl.LazyFrame({"platform": "x", "post_id": ["1"], "term": "無断学習", "variant": "無断学習",
    ...     "start": [3], "end": [7], "ai_context": True, "evidence": [["AI"]]})
    >>> frame, total = kwic(posts, hits, "無断学習", width=3)
    >>> total, frame.row(0, named=True)["left"], frame.row(0, named=True)["right"], frame["url"][0]
    (1, 'AIに', 'させな', 'x:1')
    """
    check_tz(tz)
    check_context(context)
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    chosen = hits.filter(pl.col("term") == term)
    if context == "ai":
        chosen = chosen.filter(pl.col("ai_context"))
    counted = counted_between(posts, start, end, include_reposts=include_reposts, platforms=platforms, tz=tz)
    counted = counted.select("platform", "post_id", "created_at", "text", "url")
    rows = (
        chosen.select("platform", "post_id", "term", "variant", "start", "end", "ai_context", "evidence")
        .join(counted, on=["platform", "post_id"], how="inner")
        .sort("created_at", "platform", "post_id", "start")
    )
    total = rows.select(pl.len()).collect().item()
    words: list[str] = []
    if sort != "date":
        from dtrack.analysis.concordance import WORD_COLUMNS, sort_kwic

        rows = sort_kwic(rows.collect(), sort, time_column="created_at").lazy()
        words = list(WORD_COLUMNS)
    if limit is not None:
        rows = rows.head(limit)
    frame = rows.with_columns(context_columns(width)).select(
        time=pl.col("created_at").dt.convert_time_zone(tz),
        platform="platform",
        post_id="post_id",
        term="term",
        variant="variant",
        start="start",
        end="end",
        left="left",
        right="right",
        ai_context=pl.col("ai_context").fill_null(False),
        evidence="evidence",
        url=pl.coalesce(pl.col("url"), pl.col("platform") + pl.lit(":") + pl.col("post_id")),
        # for the one-line text rendering only (dropped from every table)
        _more_left=pl.col("start") > width,
        _more_right=pl.col("text").str.len_chars() > pl.col("end") + width,
    ).collect()
    if words:  # the words the uses were sorted by, before the rendering helpers
        frame = frame.with_columns(rows.select(words).collect()).select(
            *KWIC_COLUMNS, *words, "_more_left", "_more_right")
    return frame, total


def public(frame: pl.DataFrame) -> pl.DataFrame:
    """The KWIC table without the rendering helpers (what the API and CSV/JSON give); a sorted KWIC
    keeps the words it was sorted by (``left2``, ``left1``, ``right1``, ``right2``)."""
    return frame.select(c for c in frame.columns if not c.startswith("_"))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, *, left: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (wide characters count two)."""
    fill = " " * max(0, width - _width(text))
    return fill + text if left else text + fill


def _flat(text: str) -> str:
    for old, new in _ONE_LINE.items():
        text = text.replace(old, new)
    return text


def render_text(result: Result, q: Query) -> bytes:
    """Aligned concordance lines: time, AI flag, left context, [use], right context, URL."""
    frame, width = result.display, q.width
    lines = []
    for row in frame.iter_rows(named=True):
        left = ("…" if row["_more_left"] else "") + _flat(row["left"])
        right = _flat(row["right"]) + ("…" if row["_more_right"] else "")
        flag = "AI" if row["ai_context"] else "--"
        time = row["time"].strftime("%Y-%m-%d %H:%M")
        lines.append(f"{time}  {flag}  {pad(left, 2 * width + 1, left=True)}[{_flat(row['variant'])}]"
                     f"{pad(right, 2 * width + 1)}  {row['url']}")
    return "".join(line + "\n" for line in lines).encode("utf-8")


def render_json_lines(result: Result, q: Query) -> bytes:
    """One JSON object per line (``time`` as ``YYYY-MM-DD HH:MM`` in the research timezone)."""
    out = []
    for row in result.frame.iter_rows(named=True):
        row["time"] = row["time"].strftime("%Y-%m-%d %H:%M")
        row["evidence"] = list(row["evidence"] or [])
        out.append(json.dumps(row, ensure_ascii=False))
    return "".join(line + "\n" for line in out).encode("utf-8")
