"""Discovery: the words that rise before anyone puts them in the dictionary.

For every period (day, week or month in the research timezone) and every
candidate word (nlp/candidates.py: noun compounds, katakana and Latin words,
hashtags) the question is "is this word used much more now than in the
preceding periods?". The answer is Dunning's log-likelihood ratio G² on the
2x2 table

    ============  =====================  ==========================
                  posts with the word     posts without it
    ============  =====================  ==========================
    this period   a                      n1 - a
    baseline      b                      n2 - b
    ============  =====================  ==========================

where the baseline is the ``baseline`` periods just before (default 8 weeks,
28 days or 6 months) and n1, n2 are all counted posts of the period and of the
baseline. G² = 2 Σ O ln(O / E) over the four cells (E from the margins), the
keyness statistic of corpus linguistics (Dunning 1993; Rayson & Garside
2000): unlike the chi-squared approximation it stays valid for rare words
(a = 3, b = 0 is an ordinary table), and it is χ²(1)-distributed under "same
rate", so a threshold is a p-value (10.83: p < 0.001). The score is signed:
positive when the period's rate a/n1 is above the baseline's b/n2, and only
positive scores are reported. Significance alone favours frequent words, so a
word must also be used at least ``min_ratio`` times as often as in the
baseline (rate ratio with 0.5 added to both counts, so a word absent from the
baseline has a finite ratio), the effect-size filter keyness studies pair with
G² (Gabrielatos 2018). docs/discovery.md works an example by hand.

Counting follows analysis/counting.py: a use is a post (a post writing a word
twice is one use), reposts are left out unless ``include_reposts``, days are
calendar days in ``tz``, authors are author_id else author_name. A word needs
``min_authors`` distinct authors in the period (one account repeating itself
is not a word taking off). ``first_seen`` is the first local day the word was
used in the whole store (under the same rule), and ``new`` says it had never
been used before the period.

Words of the dictionary in use, in any of their spellings and readings, are
left out unless ``include_known``; so are the user's stop-list words. Longer
compounds holding a word are reported on their own rows, and listed in
``longer_forms`` so that 無断学習 and 無断学習禁止 do not hide each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from dtrack.analysis.counting import (
    DEFAULT_TZ,
    FREQS,
    check_tz,
    counted_posts,
    local_day,
    local_day_counts,
)

#: The contract (CLI CSV/JSON columns, API frame), in this order.
DISCOVERY_COLUMNS = ("period", "word", "score", "posts", "authors", "baseline_posts", "first_seen",
                     "example_post_ids")
#: Appended after the contract's columns.
EXTRA_COLUMNS = ("new", "rate_ratio", "period_posts", "baseline_total", "variants", "longer_forms", "platforms")
SCHEMA: dict[str, pl.DataType] = {
    "period": pl.Date(),
    "word": pl.String(),
    "score": pl.Float64(),
    "posts": pl.Int64(),
    "authors": pl.Int64(),
    "baseline_posts": pl.Int64(),
    "first_seen": pl.Date(),
    "example_post_ids": pl.List(pl.String()),
    "new": pl.Boolean(),
    "rate_ratio": pl.Float64(),
    "period_posts": pl.Int64(),
    "baseline_total": pl.Int64(),
    "variants": pl.List(pl.String()),
    "longer_forms": pl.List(pl.String()),
    "platforms": pl.List(pl.String()),
}
#: Preceding periods the baseline spans, per frequency.
DEFAULT_BASELINE = {"day": 28, "week": 8, "month": 6}
DEFAULT_TOP = 20
DEFAULT_MIN_AUTHORS = 3
#: G² critical value for p < 0.001 at one degree of freedom.
DEFAULT_MIN_SCORE = 10.83
DEFAULT_MIN_RATIO = 2.0
EXAMPLES = 3
LONGER_FORMS = 5
_WINDOW = {"day": "d", "week": "w", "month": "mo"}


def empty() -> pl.DataFrame:
    """The discovery table with no rows (every column typed)."""
    return pl.DataFrame(schema=SCHEMA)


def _xlogx_over(o: pl.Expr, e: pl.Expr) -> pl.Expr:
    """O ln(O/E), 0 when O is 0 (its limit)."""
    return pl.when(o > 0).then(o * (o / e).log()).otherwise(0.0)


def g2_expr(a: pl.Expr, b: pl.Expr, n1: pl.Expr, n2: pl.Expr) -> pl.Expr:
    """Signed log-likelihood G² of the 2x2 table [[a, n1-a], [b, n2-b]] (positive: a/n1 > b/n2).

    Examples
    --------
    >>> df = pl.DataFrame({"a": [10], "b": [2], "n1": [100], "n2": [400]})
    >>> round(df.select(g2_expr(pl.col("a"), pl.col("b"), pl.col("n1"), pl.col("n2"))).item(), 4)
    21.2474
    """
    a, b, n1, n2 = (x.cast(pl.Float64) for x in (a, b, n1, n2))
    c, d = n1 - a, n2 - b
    n = n1 + n2
    w = a + b
    g2 = 2.0 * (
        _xlogx_over(a, n1 * w / n)
        + _xlogx_over(b, n2 * w / n)
        + _xlogx_over(c, n1 * (n - w) / n)
        + _xlogx_over(d, n2 * (n - w) / n)
    )
    return pl.when(a * n2 >= b * n1).then(g2).otherwise(-g2)


def g2(a: int, b: int, n1: int, n2: int) -> float:
    """:func:`g2_expr` for one table (docs, tests, notebooks)."""
    df = pl.DataFrame({"a": [a], "b": [b], "n1": [n1], "n2": [n2]})
    return float(df.select(g2_expr(pl.col("a"), pl.col("b"), pl.col("n1"), pl.col("n2"))).item())


def rate_ratio_expr(a: pl.Expr, b: pl.Expr, n1: pl.Expr, n2: pl.Expr) -> pl.Expr:
    """(a + 0.5)/n1 over (b + 0.5)/n2: how many times more often than in the baseline."""
    return ((a.cast(pl.Float64) + 0.5) / n1) / ((b.cast(pl.Float64) + 0.5) / n2)


def known_forms(terms: Any) -> frozenset[str]:
    """Every spelling and reading of every dictionary term, as candidates are spelled."""
    if terms is None:
        return frozenset()
    forms: set[str] = set()
    for term in terms.terms:
        for form in term.forms():
            forms.add(form.lstrip("#").strip())
    return frozenset(forms)


def _period_expr(freq: str) -> pl.Expr:
    day = pl.col("day")
    return day if freq == "day" else day.dt.truncate({"week": "1w", "month": "1mo"}[freq])


def _shift(day: date, freq: str, n: int) -> date:
    """The period start ``n`` periods before ``day``'s period (n may be 0)."""
    if freq == "day":
        return day - timedelta(days=n)
    if freq == "week":
        return day - timedelta(days=day.weekday() + 7 * n)
    months = day.year * 12 + day.month - 1 - n
    return date(months // 12, months % 12 + 1, 1)


def discover_frames(
    words: pl.LazyFrame,
    posts: pl.LazyFrame,
    *,
    freq: str = "week",
    start: date | None = None,
    end: date | None = None,
    top: int = DEFAULT_TOP,
    min_authors: int = DEFAULT_MIN_AUTHORS,
    known: Iterable[str] = (),
    stoplist: Iterable[str] = (),
    baseline: int | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    min_ratio: float = DEFAULT_MIN_RATIO,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> pl.DataFrame:
    """The discovery table from candidate-word rows (WORD_SCHEMA) and posts (POST_SCHEMA).

    One row per (period, word) among each period's ``top`` highest scores, periods
    oldest first, words by score; see the module docstring for the rule.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    check_tz(tz)
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    if min_authors < 1:
        raise ValueError(f"min_authors must be at least 1, not {min_authors}")
    k = DEFAULT_BASELINE[freq] if baseline is None else baseline
    if k < 1:
        raise ValueError(f"baseline must be at least 1 period, not {k}")
    excluded = sorted(set(known) | set(stoplist))

    counted = counted_posts(words, include_reposts=include_reposts, platforms=platforms)
    if excluded:
        counted = counted.filter(~pl.col("word").is_in(excluded))
    # first use of each word anywhere in the store (same counting rule)
    first = counted.group_by("word").agg(first_at=pl.col("created_at").min())

    # the periods scored and the baseline before the first of them
    lo = _shift(start, freq, k) if start is not None else None
    hi = end
    window = counted
    if lo is not None:
        window = window.filter(pl.col("created_at") >= _utc(lo - timedelta(days=1)))
    if hi is not None:  # to the end of the period holding ``end``: a period is counted whole or not at all
        hi = _shift(hi, freq, -1) - timedelta(days=1)
        window = window.filter(pl.col("created_at") < _utc(hi + timedelta(days=2)))
    # Phase 1, every row: posts per (word, period). The score needs nothing else.
    day = _day_expr(tz, window)
    per = window.select("word", day=day).with_columns(period=_period_expr(freq)).group_by("word", "period").agg(
        posts=pl.len().cast(pl.Int64)
    )
    if lo is not None:
        per = per.filter(pl.col("period") >= lo)
    if hi is not None:
        per = per.filter(pl.col("period") <= _shift(hi, freq, 0))
    per = per.collect()
    if per.height == 0:
        return empty()

    totals = (
        local_day_counts(counted_posts(posts, include_reposts=include_reposts, platforms=platforms), tz)
        .with_columns(period=_period_expr(freq))
        .group_by("period")
        .agg(period_posts=pl.col("total").sum().cast(pl.Int64))
        .sort("period")
        .collect()
    )
    every = f"{k}{_WINDOW[freq]}"
    totals = totals.with_columns(
        baseline_total=totals.rolling("period", period=every, closed="left")
        .agg(s=pl.col("period_posts").sum())
        .get_column("s")
        .fill_null(0)
        .cast(pl.Int64)
    )
    base = (
        per.sort("word", "period")
        .rolling("period", period=every, closed="left", group_by="word")
        .agg(baseline_posts=pl.col("posts").sum())
    )
    scored = (
        per.join(base, on=["word", "period"], how="left")
        .with_columns(pl.col("baseline_posts").fill_null(0).cast(pl.Int64))
        .join(totals, on="period", how="left")
    )
    if start is not None:
        scored = scored.filter(pl.col("period") >= _shift(start, freq, 0))
    a, b, n1, n2 = (pl.col(c) for c in ("posts", "baseline_posts", "period_posts", "baseline_total"))
    scored = (
        scored.filter((a >= min_authors) & (n2 > 0))  # fewer posts than min_authors cannot have enough authors
        .with_columns(score=g2_expr(a, b, n1, n2), rate_ratio=rate_ratio_expr(a, b, n1, n2))
        .filter((pl.col("score") >= min_score) & (pl.col("rate_ratio") >= min_ratio))
    )
    if scored.height == 0:
        return empty()
    # Phase 2, only the rows of rising (word, period) pairs: authors, spellings, examples, platforms.
    details = _details(window, day, scored.select("word", "period"), freq)
    scored = scored.join(details, on=["word", "period"], how="inner").filter(pl.col("authors") >= min_authors)
    if scored.height == 0:
        return empty()
    ranked = scored.sort(["period", "score", "word"], descending=[False, True, False]).with_columns(
        rank=pl.int_range(pl.len()).over("period")
    )
    longer = _longer_forms(ranked)
    out = ranked.filter(pl.col("rank") < top)
    firsts = (
        first.filter(pl.col("word").is_in(out.get_column("word").unique().to_list()))
        .with_columns(first_seen=local_day(tz, "first_at"))
        .select("word", "first_seen")
        .collect()
    )
    out = (
        out.join(firsts, on="word", how="left")
        .join(longer, on=["word", "period"], how="left")
        .with_columns(
            new=pl.col("first_seen") >= pl.col("period"),
            variants=pl.concat_list(
                pl.when(pl.col("bare")).then(pl.col("word")),
                pl.when(pl.col("tagged")).then(pl.lit("#") + pl.col("word")),
            ).list.drop_nulls(),
            longer_forms=pl.col("longer_forms").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        )
        .sort(["period", "score", "word"], descending=[False, True, False])
    )
    return out.select(list(SCHEMA)).cast(SCHEMA)  # type: ignore[arg-type]


def _utc(day: date) -> Any:
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(), UTC)


def _longer_forms(ranked: pl.DataFrame) -> pl.DataFrame:
    """Per (word, period) of the ranked table: the longer reported compounds holding the word."""
    rows: list[tuple[str, date, list[str]]] = []
    for (period,), group in ranked.select("period", "word").partition_by("period", as_dict=True).items():
        words = group.get_column("word").to_list()[:200]
        by_length = sorted(words, key=len)
        for word in words:
            longer = [w for w in by_length if len(w) > len(word) and word in w][:LONGER_FORMS]
            if longer:
                rows.append((word, period, longer))
    return pl.DataFrame(rows, schema={"word": pl.String, "period": pl.Date, "longer_forms": pl.List(pl.String)},
                        orient="row")


def _details(window: pl.LazyFrame, day: pl.Expr, pairs: pl.DataFrame, freq: str) -> pl.DataFrame:
    """Authors, spellings, the first EXAMPLES posts and the platforms of each (word, period) in ``pairs``.

    Read only for the words of ``pairs`` (the rising ones), so counting distinct
    authors costs in proportion to them, not to the store.
    """
    return (
        window.filter(pl.col("word").is_in(pairs.get_column("word").unique().to_list()))
        .with_columns(day=day)
        .with_columns(period=_period_expr(freq))
        .join(pairs.lazy(), on=["word", "period"], how="semi")
        .group_by("word", "period")
        .agg(
            authors=pl.col("author").drop_nulls().n_unique().cast(pl.Int64),
            tagged=pl.col("hashtag").any(),
            bare=(~pl.col("hashtag")).any(),
            example_post_ids=pl.col("post_id").sort_by("created_at", "platform", "post_id").head(EXAMPLES),
            platforms=pl.col("platform").unique().sort(),
        )
        .collect()
    )


def _day_expr(tz: str, rows: pl.LazyFrame) -> pl.Expr:
    """The local day of ``created_at``: a fixed shift when ``tz`` kept one UTC offset over the rows' span.

    Converting every timestamp through the timezone database is the costliest
    step on tens of millions of rows; Asia/Tokyo (no DST since 1951) or UTC
    need only an addition. The offset is checked every 12 hours across the
    span (no DST period is that short); otherwise the exact conversion is used.
    """
    first, last = rows.select(a=pl.col("created_at").min(), b=pl.col("created_at").max()).collect().row(0)
    if first is None or last is None or (last - first) > timedelta(days=366 * 100):
        return local_day(tz)
    zone = ZoneInfo(tz)
    step = timedelta(hours=12)
    offsets = {(first + i * step).astimezone(zone).utcoffset() for i in range(int((last - first) / step) + 2)}
    offsets.add(last.astimezone(zone).utcoffset())
    if len(offsets) != 1:
        return local_day(tz)
    (offset,) = offsets
    return (pl.col("created_at").dt.replace_time_zone(None) + pl.lit(offset)).dt.date()


def _count(store: Any, workers: int | None, cluster: str | None) -> Any:
    """Count the new posts' candidate words, here or on ``cluster`` (its address, workers, dashboard and a
    progress line on stderr, as `dtrack ingest --cluster` shows them)."""
    from dtrack.nlp.words import count_store

    if cluster is None:
        return count_store(store, workers=workers)
    from dtrack.data.cluster import Progress, session

    with session(cluster) as client:
        return count_store(store, workers=workers, cluster=client, progress=Progress("discover"))


def discover(
    store: Any,
    *,
    freq: str = "week",
    start: date | None = None,
    end: date | None = None,
    top: int = DEFAULT_TOP,
    min_authors: int = DEFAULT_MIN_AUTHORS,
    terms: Any = None,
    include_known: bool = False,
    stoplist: Iterable[str] = (),
    baseline: int | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    min_ratio: float = DEFAULT_MIN_RATIO,
    include_reposts: bool = False,
    platforms: Sequence[str] | None = None,
    tz: str = DEFAULT_TZ,
    count: bool = True,
    workers: int | None = None,
    notes: list[str] | None = None,
    cluster: str | None = None,
) -> pl.DataFrame:
    """The discovery table of a store; counts candidate words of uncounted posts first.

    ``terms``: the dictionary whose words are left out (default: the one the
    store was tagged with). ``count=False`` ranks the stored counts as they
    are. What was done (counting, a stale count) is appended to ``notes``.
    ``cluster``: a Dask cluster address (data/cluster.py) whose workers count,
    connected only when there is something to count; the ranking runs here.
    """
    from dtrack.nlp.words import is_current

    if count and not is_current(store):
        report = _count(store, workers, cluster)
        if notes is not None:
            notes.append(report.summary())
    elif notes is not None and not is_current(store):
        notes.append("candidate words are not up to date with the stored posts (run without count=False)")
    known: frozenset[str] = frozenset()
    if not include_known:
        if terms is None:
            from dtrack.nlp.terms import store_terms

            terms = store_terms(store)
        known = known_forms(terms)
    return discover_frames(
        store.scan_words(), store.scan_posts(), freq=freq, start=start, end=end, top=top,
        min_authors=min_authors, known=known, stoplist=stoplist, baseline=baseline, min_score=min_score,
        min_ratio=min_ratio, include_reposts=include_reposts, platforms=platforms, tz=tz,
    )
