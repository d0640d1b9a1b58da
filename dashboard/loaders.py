"""Cached data for the pages: thin ``st.cache_data`` wrappers over data, nlp and analysis.

Why this shape. Every loader takes plain hashable arguments and the first two
are always the store path and the store *version* (which changes on every
committed write): a new ingest therefore shows up on the next rerun without a
restart, and as long as nothing was written, a filter the user has tried
before is answered from the cache instead of being recomputed. Loaders return
small polars frames (aggregates, or a limited list of posts), never the store.

Nothing here computes an analysis result itself: timelines, emergence, event
studies, cross-correlations and evidence come from ``analysis``; the loaders
only pick the arguments, collect, and shape rows for display (KWIC columns,
hover snippets).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dtrack.analysis.counting import (
    FREQS,
    counted_between,
    counted_posts,
    local_day,
    period_start,
    quarter_hours_fit,
)
from dtrack.analysis.evidence import evidence
from dtrack.analysis.kwic import context_columns
from dtrack.analysis.queries import POSTS, Query, Result, execute, resolve_term
from dtrack.data.daily import post_counts_of
from dtrack.data.events import DEFAULT_EVENTS, load_events
from dtrack.data.status import store_status
from dtrack.data.store import Store
from dtrack.nlp.tagger import META_KEY, store_terms
from dtrack.nlp.tokenizer import canonical
from dtrack.nlp.words import is_current

#: How many entries each loader keeps (per process, shared by all sessions).
MAX_ENTRIES = 64
#: Characters of context on each side of a hit in KWIC rows.
KWIC_CHARS = 40
#: Terms x filters whose whole evidence is kept in memory.
EVIDENCE_ENTRIES = 24
#: Lists of posts over fewer days than this are read for their days only (:func:`range_evidence`).
RANGE_DAYS = 62
#: Posts quoted in a timeline point's hover.
HOVER_POSTS = 3
#: Characters of each post quoted in a hover.
HOVER_CHARS = 60

_cache = st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)


def _platforms(platforms: tuple[str, ...]) -> list[str] | None:
    return list(platforms) or None


# -- the store ---------------------------------------------------------------------
@_cache
def summary(store_path: str, version: str) -> dict[str, Any]:
    """The `dtrack status --format json` figures."""
    return store_status(Store(store_path))


@_cache
def platforms(store_path: str, version: str) -> list[str]:
    """Platform names in the store, sorted: from the counts table (``data.daily``), which has a row for every
    platform of every posts file it covers and falls back to the posts for files it lacks, so the sidebar of
    a 10M-post store does not read ten million platform names on its first load."""
    frame = post_counts_of(Store(store_path)).select(pl.col("platform").unique().sort()).collect()
    return frame.get_column("platform").to_list()


@_cache
def hit_terms(store_path: str, version: str) -> list[str]:
    """Terms with at least one hit, most used first (ties by name)."""
    frame = (
        Store(store_path).scan_hits().group_by("term").agg(n=pl.len())
        .sort(["n", "term"], descending=[True, False]).collect()
    )
    return frame.get_column("term").to_list()


@_cache
def date_span(store_path: str, version: str, tz: str) -> tuple[dt.date | None, dt.date | None]:
    """First and last day with a post, in the research timezone."""
    return span_of(Store(store_path), tz)


def span_of(store: Store, tz: str, *, tables: bool = True) -> tuple[dt.date | None, dt.date | None]:
    """:func:`date_span` from the counts table (``data.daily``) when its quarter-hours fit ``tz``'s days,
    else from the posts; the same days either way."""
    counts = post_counts_of(store).rename({"bucket": "created_at"}) if tables else None
    if counts is None or not quarter_hours_fit(counts.select(bucket="created_at"), tz):
        counts = store.scan_posts()
    row = counts.select(
        first=pl.col("created_at").min().dt.convert_time_zone(tz).dt.date(),
        last=pl.col("created_at").max().dt.convert_time_zone(tz).dt.date(),
    ).collect().row(0)
    return row[0], row[1]


@_cache
def coverage(store_path: str, version: str, tz: str, freq: str) -> pl.DataFrame:
    """Posts per platform per period (columns period, platform, posts), every period present.

    Periods without posts are kept as zeros so that gaps in the collection show
    as gaps in the stacked chart instead of being bridged.
    """
    return coverage_of(Store(store_path), tz, freq)


def coverage_of(store: Store, tz: str, freq: str, *, tables: bool = True) -> pl.DataFrame:
    """:func:`coverage` from the counts table (``data.daily``) when its quarter-hours fit ``tz``'s
    days, else from the posts; the same rows either way (tests/dashboard/test_loaders.py)."""
    table = post_counts_of(store) if tables else None
    if table is not None and quarter_hours_fit(table, tz):
        counts = (
            table.select("platform", "posts", day=local_day(tz, "bucket"))
            .group_by(period=period_start(freq, "day"), platform=pl.col("platform"))
            .agg(posts=pl.col("posts").sum())
            .collect()
        )
    else:
        counts = (
            store.scan_posts()
            .select("platform", day=local_day(tz))
            .group_by(period=period_start(freq, "day"), platform=pl.col("platform"))
            .agg(posts=pl.len())
            .collect()
        )
    if counts.height == 0:
        return pl.DataFrame(schema={"period": pl.Date, "platform": pl.String, "posts": pl.UInt32})
    periods = pl.DataFrame({"period": pl.date_range(counts["period"].min(), counts["period"].max(),
                                                    FREQS[freq], eager=True)})
    grid = periods.join(counts.select("platform").unique(), how="cross")
    return (
        grid.join(counts, on=["period", "platform"], how="left")
        .with_columns(pl.col("posts").fill_null(0).cast(pl.UInt32))
        .sort(["period", "platform"])
    )


@_cache
def gaps(store_path: str, version: str, tz: str, min_days: int = 1) -> pl.DataFrame:
    """Runs of at least ``min_days`` days without any post between the first and last post
    (columns start, end, days)."""
    daily = coverage(store_path, version, tz, "day")
    if daily.height == 0:
        return pl.DataFrame(schema={"start": pl.Date, "end": pl.Date, "days": pl.Int64})
    empty = daily.group_by("period").agg(pl.col("posts").sum()).sort("period").with_columns(
        empty=pl.col("posts") == 0
    )
    runs = (
        empty.with_columns(run=pl.col("empty").rle_id())
        .filter(pl.col("empty"))
        .group_by("run")
        .agg(start=pl.col("period").min(), end=pl.col("period").max(), days=pl.len().cast(pl.Int64))
        .filter(pl.col("days") >= min_days)
        .sort("start")
    )
    return runs.select("start", "end", "days")


@_cache
def sources(store_path: str, version: str) -> pl.DataFrame:
    """One row per ingested source: what was read, stored, dropped as duplicate, quarantined."""
    columns = ["path", "format", "ingested_at", "read", "new", "duplicate", "quarantined", "notices", "size",
               "sha256"]
    rows = [{c: record.get(c) for c in columns} for record in Store(store_path).sources()]
    schema = {"path": pl.String, "format": pl.String, "ingested_at": pl.String, "read": pl.Int64,
              "new": pl.Int64, "duplicate": pl.Int64, "quarantined": pl.Int64, "notices": pl.Int64,
              "size": pl.Int64, "sha256": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


@_cache
def quarantine_summary(store_path: str, version: str) -> pl.DataFrame:
    """Quarantined records counted by source file and reason."""
    return (
        Store(store_path).scan_quarantine()
        .group_by("source_file", "reason").agg(records=pl.len(), first_line=pl.col("source_line").min())
        .sort(["source_file", "records"], descending=[False, True])
        .collect()
    )


@_cache
def quarantine_records(store_path: str, version: str, limit: int = 1000) -> pl.DataFrame:
    """The quarantined records themselves (newest first), raw text cut to 500 characters."""
    return (
        Store(store_path).scan_quarantine()
        .sort(["quarantined_at", "source_file", "source_line"], descending=[True, False, False])
        .head(limit)
        .with_columns(pl.col("raw").str.slice(0, 500))
        .select("source_file", "source_line", "reason", "raw", "collector", "quarantined_at")
        .collect()
    )


# -- the dictionary -------------------------------------------------------------------
@_cache
def dictionary(store_path: str, version: str) -> dict[str, Any]:
    """The dictionary in use (the one the store is tagged with, see ``nlp.tagger.store_terms``):
    its terms with hit counts, and the dictionary hashes the stored hits carry."""
    store = Store(store_path)
    terms = store_terms(store)
    hits = store.scan_hits()
    counts = hits.group_by("term").agg(hits=pl.len(), ai_hits=pl.col("ai_context").sum()).collect()
    stored_hashes = hits.select(pl.col("dictionary_hash").unique()).collect().get_column("dictionary_hash")
    table = pl.DataFrame(
        {
            "term": [t.canonical for t in terms.terms],
            "category": [t.category for t in terms.terms],
            "variants": [", ".join(t.variants) for t in terms.terms],
            "ai_only": [bool(t.ai_only) for t in terms.terms],
        },
        schema={"term": pl.String, "category": pl.String, "variants": pl.String, "ai_only": pl.Boolean},
    ).join(counts, on="term", how="left").with_columns(pl.col("hits", "ai_hits").fill_null(0))
    tagging = store.meta(META_KEY) or {}
    return {"hash": terms.hash, "stored_hashes": sorted(h for h in stored_hashes.to_list() if h),
            "terms": table, "sources": tagging.get("dictionary_sources") or [],
            "tagger_version": tagging.get("tagger_version")}


def events(path: str | None = None) -> pl.DataFrame:
    """The events file (default: the shipped data/events.csv), re-read when the file changes."""
    file = Path(path) if path else DEFAULT_EVENTS
    return _events(str(file), file.stat().st_mtime_ns if file.exists() else 0)


@_cache
def _events(path: str, stamp: int) -> pl.DataFrame:
    return load_events(Path(path))


# -- analysis ------------------------------------------------------------------
@_cache
def analysis_result(store_path: str, version: str, q: Query) -> Result:
    """Any declared analysis (``analysis.queries``) run on the store, as the CLI and the API run it."""
    return execute(Store(store_path), q)


def analysis_frame(store_path: str, version: str, q: Query) -> pl.DataFrame:
    """The table of :func:`analysis_result`."""
    return analysis_result(store_path, version, q).frame


@st.cache_resource(max_entries=2, ttl=3600, show_spinner=False)
def hit_posts(store_path: str, version: str) -> pl.DataFrame:
    """The stored posts that have at least one hit (a few percent of a general store), in memory.

    ``analysis.evidence`` joins the hits of one term with the posts; giving
    it only posts that have hits returns the same rows (a post without hits
    never joins) while its join runs over thousands of rows instead of
    millions: listing a term's posts after a filter change then takes
    milliseconds, not a scan of the whole store.
    """
    store = Store(store_path)
    keys = store.scan_hits().select("platform", "post_id").unique()
    return store.scan_posts().join(keys, on=["platform", "post_id"], how="semi").collect()


@st.cache_resource(max_entries=EVIDENCE_ENTRIES, ttl=3600, show_spinner=False)
def _term_evidence(store_path: str, version: str, term: str, context: str, include_reposts: bool,
                  platforms: tuple[str, ...], tz: str) -> pl.DataFrame:
    """``analysis.evidence`` for a term over the whole store, oldest first.

    Held as a shared resource (not copied on every use like ``cache_data``):
    a term can have hundreds of thousands of posts, and every long list and
    hover is a slice of this one frame (see :func:`term_slice`).
    Polars frames are immutable, so sharing it between sessions is safe.
    """
    store = Store(store_path)
    return evidence(hit_posts(store_path, version).lazy(), store.scan_hits(), term, context=context,
                    include_reposts=include_reposts, platforms=_platforms(platforms), tz=tz)


def evidence_frame(store_path: str, version: str, q: Query) -> pl.DataFrame:
    """The posts behind a count: the ``posts`` query ``q`` (``dtrack posts``), i.e. ``analysis.evidence``.

    A range of up to :data:`RANGE_DAYS` days (a period under a timeline, a day
    of a story) is read for that range alone (:func:`range_evidence`); a longer
    or open one is cut from the term's whole evidence (:func:`term_slice`).
    Both give exactly the rows ``evidence`` gives (tests/dashboard/test_loaders.py).
    """
    if q.start is not None and q.end is not None and (q.end - q.start).days < RANGE_DAYS:
        return range_evidence(store_path, version, q)
    return term_slice(store_path, version, q)


@_cache
def range_evidence(store_path: str, version: str, q: Query) -> pl.DataFrame:
    """``analysis.evidence`` over the posts of ``q``'s days only, as `dtrack posts` runs it.

    ``evidence`` reads only the posts whose UTC time can fall on those local
    days (``counting.posts_between``: the month files they are in) and the
    hits of the term: tens of milliseconds at a million posts, and it grows
    with the term's hits, not with the store. The term's whole evidence
    (:func:`term_slice`) costs a join over every post with a hit, held per
    store version: seconds at ten million posts on the first change of
    context, reposts or platforms, for a list of one period.
    """
    store = Store(store_path)
    term = resolved_term(store_path, version, q.term)
    return evidence(store.scan_posts(), store.scan_hits(), term, start=q.start, end=q.end, context=q.context,
                    include_reposts=q.include_reposts, platforms=_platforms(q.platforms), tz=q.tz, limit=q.limit)


def term_slice(store_path: str, version: str, q: Query) -> pl.DataFrame:
    """:func:`evidence_frame` cut from the term's whole evidence (:func:`_term_evidence`) by local day,
    which gives exactly the rows ``evidence`` gives for the range (it clips on the same local day and
    sorts the same way), in milliseconds once the term's evidence is held."""
    term = resolved_term(store_path, version, q.term)
    frame = _term_evidence(store_path, version, term, q.context, q.include_reposts, q.platforms, q.tz)
    day = pl.col("time").dt.date()
    if q.start is not None:
        frame = frame.filter(day >= q.start)
    if q.end is not None:
        frame = frame.filter(day <= q.end)
    return frame.head(q.limit) if q.limit is not None else frame


@_cache
def resolved_term(store_path: str, version: str, text: str) -> str:
    """The canonical term for any spelling (``analysis.queries.resolve_term``; QueryError if unknown)."""
    store = Store(store_path)
    tagged = set(store.scan_hits().select(pl.col("term").unique()).collect().to_series().to_list())
    return resolve_term(text, store_terms(store), tagged)


def kwic_rows(frame: pl.DataFrame, width: int = KWIC_CHARS) -> pl.DataFrame:
    """Evidence rows shaped for a KWIC table: left context, the matched text, right context.

    The context is cut by ``analysis.kwic.context_columns``, the cut ``dtrack kwic``
    makes (characters of the stored text; … where it goes on; line breaks as ⏎).
    """
    return frame.with_columns(
        context_columns(width, marks=True),
        evidence=pl.col("evidence").list.join(", "),
        time=pl.col("time").dt.strftime("%Y-%m-%d %H:%M"),
    )


@_cache
def hover_posts(store_path: str, version: str, q: Query, per_period: int = HOVER_POSTS) -> pl.DataFrame:
    """The first posts of each (term, period) of a timeline, one short plain-text line each
    (columns term, period, first_posts: list of str).

    Periods are cut with ``analysis.counting.period_start``, the timeline's own rule.
    """
    out = []
    for term in q.terms:
        ev = evidence_frame(store_path, version, POSTS.bind(term, start=q.start, end=q.end, context=q.context,
                                                            include_reposts=q.include_reposts,
                                                            platforms=q.platforms, tz=q.tz))
        if ev.height == 0:
            continue
        out.append(
            ev.lazy()  # already oldest first
            .select("time", "text", day=pl.col("time").dt.date())
            .with_columns(period=period_start(q.freq, "day"))
            .group_by("period", maintain_order=True)
            .head(per_period)
            .select(
                "period",
                line=pl.col("time").dt.strftime("%m-%d %H:%M ")
                + pl.col("text").fill_null("").str.replace_all(r"\s+", " ").str.slice(0, HOVER_CHARS),
            )
            .group_by("period", maintain_order=True)
            .agg(first_posts=pl.col("line"))
            .select(term=pl.lit(term), period=pl.col("period"), first_posts=pl.col("first_posts"))
            .collect()
        )
    if not out:
        return pl.DataFrame(schema={"term": pl.String, "period": pl.Date, "first_posts": pl.List(pl.String)})
    return pl.concat(out)


# -- what was said ------------------------------------------------------------------
@_cache
def word_posts_frame(store_path: str, version: str, term: str, word: str, start: dt.date | None,
                     end: dt.date | None, context: str, include_reposts: bool, platforms: tuple[str, ...],
                     tz: str) -> pl.DataFrame:
    """The posts behind a word's ``cooccurrences`` (``analysis.cooccurrence.word_posts``)."""
    from dtrack.analysis.cooccurrence import word_posts

    return word_posts(Store(store_path), term, word, start=start, end=end, context=context,
                      include_reposts=include_reposts, platforms=_platforms(platforms), tz=tz)
# -- discovery (Rising words) ------------------------------------------------------------
@_cache
def words_current(store_path: str, version: str) -> bool:
    """Are the candidate words counted for every stored post (``nlp.words``)? The Rising words page
    runs the ``discover`` query only then, so a page view never starts a long count by itself."""
    return is_current(Store(store_path))


@_cache
def word_series(store_path: str, version: str, words: tuple[str, ...], freq: str, include_reposts: bool,
                platforms: tuple[str, ...], tz: str) -> pl.DataFrame:
    """Counted posts per period of each candidate word (columns word, period, posts), periods without use absent."""
    return (
        counted_posts(Store(store_path).scan_words(), include_reposts=include_reposts,
                      platforms=_platforms(platforms))
        .filter(pl.col("word").is_in(list(words)))
        .select("word", day=local_day(tz))
        .group_by("word", period=period_start(freq, "day"))
        .agg(posts=pl.len().cast(pl.Int64))
        .sort("word", "period")
        .collect()
    )


@_cache
def word_posts(store_path: str, version: str, word: str, start: dt.date, end: dt.date, include_reposts: bool,
               platforms: tuple[str, ...], tz: str, limit: int = 200) -> pl.DataFrame:
    """The posts using a candidate word on local days ``start..end``, oldest first, shaped for :func:`kwic_rows`.

    The posts are those the discovery counted (``counting.counted_between`` over the word rows); the word
    is found again in each post's canonical text (NFKC, lower case: how candidates are spelled) and mapped
    back to offsets of the stored text.
    """
    store = Store(store_path)
    keys = counted_between(store.scan_words().filter(pl.col("word") == word), start, end,
                           include_reposts=include_reposts, platforms=_platforms(platforms), tz=tz)
    posts = (
        counted_between(store.scan_posts(), start, end, include_reposts=include_reposts,
                        platforms=_platforms(platforms), tz=tz)
        .join(keys.select("platform", "post_id"), on=["platform", "post_id"], how="semi")
        .sort("created_at", "platform", "post_id")
        .head(limit)
        .select("platform", "post_id", "text", "url", time=pl.col("created_at").dt.convert_time_zone(tz),
                author=pl.coalesce(pl.col("author_name"), pl.col("author_id")))
        .collect()
    )
    spans = []
    for text in posts.get_column("text").fill_null("").to_list():
        canon = canonical(text)
        at = canon.text.find(word)
        spans.append(canon.original_span(at, at + len(word)) if at >= 0 and word else (0, 0))
    return posts.with_columns(
        start=pl.Series([a for a, _ in spans], dtype=pl.Int32),
        end=pl.Series([b for _, b in spans], dtype=pl.Int32),
        evidence=pl.lit([], dtype=pl.List(pl.String)),
    )
