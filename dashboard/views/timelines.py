"""Term timelines: uses per day/week/month, events marked, and the posts behind every point.

Filters map one to one onto `dtrack timeline` options, so the CSV download is
what that command writes. Hovering a point shows its count (and the first
posts of the period on a short chart, :data:`HOVER_POSTS_UP_TO`);
clicking it (or choosing term and period below) lists them.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dtrack.analysis.queries import Query, Result
from dtrack.dashboard import charts, filters, loaders
from dtrack.dashboard.common import (
    Settings,
    download_buttons,
    md_escape,
    post_table,
    rule_caption,
    story_link,
    term_page,
)
from dtrack.dashboard.downloads import query_download, result_download
from dtrack.dashboard.query import DAY_VIEW_DAYS, TimelineView, bind, period_end

#: The first posts of each period go into the hovers only on charts of up to this many points spanning up
#: to DAY_VIEW_DAYS days (a short date range): on four years by day they would be most of the page's weight,
#: and every term's posts would be read from the hits on a cold change (seconds at 10M posts), for text no
#: one reads at that zoom. A click on any point lists its posts.
HOVER_POSTS_UP_TO = 400
#: Posts listed under the chart (all of them are in the CSV download and on the Posts page).
POST_ROWS = 200
#: Shares of periods with fewer posts in all than this are not drawn (one post in three is not "3,333 per 10k").
MIN_DENOMINATOR = 30
#: Events highlighted for the chosen term's story, and days shown around its story window.
STORY_EVENTS = 5
STORY_MARGIN_DAYS = 30
#: Charts kept per process (:func:`_figure`), shared by the sessions.
FIGURES = 32


#: Fragment keys: a change of measure, scale, event kinds or story reruns only the chart's fragment; a click
#: on a point reruns only the post list's (``st.rerun(key)`` from the callback). A change of what is counted
#: (terms, period, context, platforms, reposts, dates) reruns the page: both parts show the new query.
CHART_PART = "tl_chart_part"
POSTS_PART = "tl_posts_part"


def _on_point_click() -> None:
    """A clicked point selects its term (its line's ``legendgroup``) and period (its date) in the pickers
    below the chart, and reruns only them. Event markers have no group and select nothing."""
    state = st.session_state.get("tl_chart")
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    for point in points:
        term, day = point.get("legendgroup"), point.get("x")
        if term and day:
            st.session_state["tl_post_term"] = term
            st.session_state["tl_period"] = str(day)[:10]
            st.rerun(scope=POSTS_PART)


def render() -> None:
    opened = term_page("page_timelines")
    if opened is None:
        return
    s, terms_available = opened
    version = s.version
    f, span = filters.timeline_filters(s, version, terms_available, prefix="tl")
    if not f.terms:
        st.info(s.t("pick_terms"))
        return
    result = loaders.analysis_result(s.store_path, version, f)
    _chart_part(s, version, f, span, result)
    _period_posts(s, version, f, result.frame)


@st.fragment(key=CHART_PART)
def _chart_part(s: Settings, version: str, f: Query, span: tuple[dt.date | None, dt.date | None],
                result: Result) -> None:
    """How the counted query is drawn: measure, scale, event kinds and story highlight, the chart, its
    download. Runs again on its own when one of its controls changes (the counts are the same)."""
    _whole_page_if_written(s, version)
    view = filters.view_filters(s, "tl", span)
    frame = result.frame
    hover = loaders.hover_posts(s.store_path, version, f) if _short(f, view, frame) else None
    events = filters.event_markers(s, prefix="tl", start=f.start or view.span[0], end=f.end or view.span[1])
    storied = st.selectbox(s.t("story_highlight"), ["", *f.terms], index=1, key="tl_story",
                           format_func=lambda v: v or s.t("none"), bind="query-params")
    highlight, window = _story(s, version, storied, f)
    shown = frame
    if view.measure == "share_per_10k":
        shown = frame.with_columns(share_per_10k=hide_small_shares())
    marked = None if events is None else tuple(events.select("date", "label", "kind").iter_rows())
    fig = _figure(s.store_path, version, f, view.measure, view.scale, s.lang, marked, frozenset(highlight), window,
                  hover is not None, _frame=shown, _events=events, _hover=hover)
    st.subheader(s.t("timeline_title"))
    st.plotly_chart(fig, key="tl_chart", on_select=_on_point_click, selection_mode="points", theme=None)
    st.caption(rule_caption(s, f))
    if view.measure == "share_per_10k":
        st.caption(s.t("share_note") + " " + s.t("share_hidden", n=MIN_DENOMINATOR)
                   + "".join(f" {md_escape(note)}" for note in result.notes))
    if storied:
        st.markdown(f"[{md_escape(s.t('story_title', term=storied))} ↗]({story_link(storied, s.lang)})")
    download_buttons(result_download(result, s.store_path, f), "tl_timeline", s)


@st.cache_resource(max_entries=FIGURES, show_spinner=False)
def _figure(store_path: str, version: str, f: Query, measure: str, scale: str, lang: str, events: tuple | None,
            highlight: frozenset, window: tuple[dt.date, dt.date] | None, hovered: bool, *, _frame: pl.DataFrame,
            _events: pl.DataFrame | None, _hover: pl.DataFrame | None) -> go.Figure:
    """The chart of one filter combination, kept per store version: the same combination asked for again (a
    measure or scale toggled back, a term removed and added) is not built again (40-50 ms of the server's
    100 ms warm run at 1M posts). The frames (``_``: not hashed) follow from the hashed arguments: the
    query's counts and hover posts from (store, version, query), the event markers from their rows.
    Streamlit copies the figure into its message (``to_dict``) and never changes it, so it is shared."""
    return charts.timeline_chart(_frame, measure=measure, scale=scale, events=_events, hover=_hover, lang=lang,
                                 highlight=highlight, window=window)


def _whole_page_if_written(s: Settings, version: str) -> None:
    """A part rerun on its own holds the query and counts of the page's last run: if the store was written
    since, the whole page runs again, so a new ingest shows up on the next change as before."""
    if s.version != version:
        st.rerun()


def _short(f: Query, view: TimelineView, frame: pl.DataFrame) -> bool:
    """Is the chart short enough for posts in its hovers (:data:`HOVER_POSTS_UP_TO`)?"""
    first, last = f.start or view.span[0], f.end or view.span[1]
    days = (last - first).days if first is not None and last is not None else 0
    return frame.height <= HOVER_POSTS_UP_TO and days <= DAY_VIEW_DAYS


def hide_small_shares(minimum: int = MIN_DENOMINATOR) -> pl.Expr:
    """The share, null where the period's counted posts in all (posts / share * 10,000) are fewer than
    ``minimum``; a zero share (no use) stays 0. Drawing only: the CSV keeps every share."""
    share = pl.col("share_per_10k")
    denominator = pl.col("posts") / share * 10_000
    return pl.when((share > 0) & (denominator < minimum - 1e-9)).then(None).otherwise(share)


def _story(s: Settings, version: str, term: str, f: Query) -> tuple[set, tuple[dt.date, dt.date] | None]:
    """The events of ``term``'s story (the best ranked by the event study) and the window the chart opens
    on: from a month before its first AI use (or first use) to a month after its takeoff burst."""
    if not term:
        return set(), None
    row = loaders.analysis_frame(s.store_path, version, bind("emergence", s.tz)).filter(pl.col("term") == term)
    study = loaders.analysis_frame(s.store_path, version, bind("events", s.tz, terms=(term,), events=s.events))
    ranked = study.filter(pl.col("rate_ratio") > 1).sort("rank").head(STORY_EVENTS)
    highlight = set(ranked.select("date", "event").iter_rows())
    if row.height == 0 or f.start or f.end:
        return highlight, None
    r = row.row(0, named=True)
    start = r["dormant_until"] or r["first_ai_seen"] or r["first_seen"]
    end = r["takeoff_end"] or r["peak"]
    if start is None or end is None:
        return highlight, None
    margin = dt.timedelta(days=STORY_MARGIN_DAYS)
    return highlight, (start - margin, end + margin)


@st.fragment(key=POSTS_PART)
def _period_posts(s: Settings, version: str, f: Query, frame: pl.DataFrame) -> None:
    """The posts of one term and period; choosing another reruns only this part, not the chart."""
    _whole_page_if_written(s, version)
    st.subheader(s.t("period_posts_title"))
    st.caption(s.t("period_posts_help"))
    used = frame.filter(pl.col("posts") > 0)
    left, right = st.columns(2)
    term = left.selectbox(s.t("term"), list(f.terms), key="tl_post_term")
    periods = [p.isoformat() for p in used.filter(pl.col("term") == term).get_column("period").sort().to_list()]
    if not periods:
        st.write(s.t("no_data"))
        return
    if st.session_state.get("tl_period") not in periods:  # open on the peak, where the story is
        peak = used.filter(pl.col("term") == term).sort(["posts", "period"], descending=[True, False])
        st.session_state["tl_period"] = peak.get_column("period")[0].isoformat()
    period = right.selectbox(s.t("period"), periods, key="tl_period")
    start = dt.date.fromisoformat(period)
    end = period_end(start, f.freq)
    q = bind("posts", s.tz, term, start=start, end=end, context=f.context, include_reposts=f.include_reposts,
             platforms=f.platforms)
    posts = loaders.evidence_frame(s.store_path, version, q)
    count = used.filter((pl.col("term") == term) & (pl.col("period") == start)).get_column("posts")
    st.caption(s.t("showing", shown=min(posts.height, POST_ROWS), total=int(count[0]) if count.len() else 0))
    post_table(loaders.kwic_rows(posts.head(POST_ROWS)), s, key="tl_posts")
    download_buttons(query_download(posts, s.store_path, q), "tl_posts", s)


if __name__ == "__main__":
    render()
