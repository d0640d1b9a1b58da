"""Filter widgets shared by pages; each returns a declared query (see :mod:`dashboard.query`).

Every widget has a key (``<page prefix>_<name>``) so tests find it and so its
value survives reruns; option values are language-neutral codes. The timeline's
filters are bound to the URL (``timelines?tl_terms=無断学習&tl_freq=day...``), so
a view is shared as a link; the link also carries ``lang``, in which the shown
option labels it holds are read.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dtrack.analysis.queries import Query
from dtrack.dashboard import loaders
from dtrack.dashboard.common import Settings
from dtrack.dashboard.i18n import LABELS
from dtrack.dashboard.query import CONTEXTS, FREQS, TimelineView, bind, default_freq

MEASURES = ("posts", "share_per_10k", "authors")
SCALES = ("linear", "log")


def date_range(s: Settings, version: str, key: str) -> tuple[dt.date | None, dt.date | None,
                                                              tuple[dt.date | None, dt.date | None]]:
    """A date-range picker over the store's span; returns (start, end, span) with None where the
    user kept the span's own edge (so the CLI command needs no --from/--to)."""
    span = loaders.date_span(s.store_path, version, s.tz)
    if span[0] is None:
        return None, None, span
    picked = st.date_input(s.t("date_range"), value=span, min_value=span[0], max_value=span[1], key=key,
                           bind="query-params")
    if not isinstance(picked, tuple | list) or len(picked) != 2:  # half-picked range: wait for the end
        return None, None, span
    start, end = picked
    return (None if start == span[0] else start), (None if end == span[1] else end), span


def timeline_filters(s: Settings, version: str, terms: list[str], prefix: str,
                     default_terms: int = 2) -> tuple[Query, tuple[dt.date | None, dt.date | None]]:
    """What is counted: terms, period, context, platforms, reposts and dates; returns the query and the
    store's span. How it is drawn (:func:`view_filters`) is chosen next to the chart."""
    url = {"bind": "query-params"}
    chosen = st.multiselect(s.t("terms"), terms, default=terms[:default_terms], key=f"{prefix}_terms",
                            placeholder=s.t("choose"), **url)
    row = st.container(horizontal=True, gap="small")  # flows by each control's own width
    first, last = loaders.date_span(s.store_path, version, s.tz)
    freq = row.segmented_control(s.t("freq"), FREQS, default=default_freq(first, last), required=True,
                                format_func=lambda v: s.t(f"freq_{v}"), key=f"{prefix}_freq", **url)
    context = row.segmented_control(s.t("context"), CONTEXTS, default="any", required=True,
                                   format_func=lambda v: s.t(f"context_{v}"), key=f"{prefix}_context", **url)
    c5, c6, c7 = st.columns([1.4, 0.8, 1.4])
    with c5:
        platforms = st.multiselect(s.t("platforms"), loaders.platforms(s.store_path, version),
                                   key=f"{prefix}_platforms", placeholder=s.t("choose"), **url)
    with c6:
        st.write("")
        include_reposts = st.toggle(s.t("include_reposts"), key=f"{prefix}_reposts", **url)
    with c7:
        start, end, span = date_range(s, version, key=f"{prefix}_range")
    query = bind("timeline", s.tz, terms=tuple(chosen), freq=freq, context=context,
                 include_reposts=bool(include_reposts), platforms=tuple(sorted(platforms)), start=start, end=end)
    return query, span


def view_filters(s: Settings, prefix: str, span: tuple[dt.date | None, dt.date | None]) -> TimelineView:
    """Measure and scale: they change only the drawing, so the page puts them inside the chart's
    fragment, where a change reruns the chart alone (nothing is counted again)."""
    url = {"bind": "query-params"}
    row = st.container(horizontal=True, gap="small")
    measure = row.segmented_control(s.t("measure"), MEASURES, default="posts", required=True,
                                   format_func=lambda v: s.t(f"measure_{v}"), key=f"{prefix}_measure", **url)
    scale = row.segmented_control(s.t("scale"), SCALES, default="linear", required=True,
                                 format_func=lambda v: s.t(f"scale_{v}"), key=f"{prefix}_scale", **url)
    return TimelineView(measure=measure, scale=scale, span=span)


def event_markers(s: Settings, prefix: str, start: dt.date | None, end: dt.date | None) -> pl.DataFrame | None:
    """Events of the chosen kinds inside [start, end], from the events file."""
    events = loaders.events(s.events)
    if events.height == 0:
        return None
    kinds = sorted({k or "" for k in events.get_column("kind").to_list()})
    chosen = st.multiselect(s.t("event_kinds"), kinds, default=kinds, key=f"{prefix}_event_kinds",
                            format_func=lambda k: s.t(f"kind_{k}") if f"kind_{k}" in LABELS else (k or "—"),
                placeholder=s.t("choose"))
    shown = events.filter(pl.col("kind").fill_null("").is_in(chosen))
    if start is not None:
        shown = shown.filter(pl.col("date") >= start)
    if end is not None:
        shown = shown.filter(pl.col("date") <= end)
    return shown
