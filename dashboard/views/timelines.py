"""Term timelines: uses per day/week/month, events marked, and the posts behind every point.

Filters map one to one onto `dtrack timeline` options, so the CSV download is
what that command writes. Hovering a point shows its count and the first posts
of the period; clicking it (or choosing term and period below) lists them.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dtrack.analysis.queries import Query
from dtrack.dashboard import charts, filters, loaders
from dtrack.dashboard.common import Settings, download_buttons, md_escape, post_table, term_page
from dtrack.dashboard.downloads import query_download, result_download
from dtrack.dashboard.query import bind, period_end

#: Posts listed under the chart (all of them are in the CSV download and on the Posts page).
POST_ROWS = 200


def _on_point_click() -> None:
    """A clicked point selects its term and period in the pickers below the chart."""
    state = st.session_state.get("tl_chart")
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    for point in points:
        custom = point.get("customdata")
        if custom:
            st.session_state["tl_post_term"] = custom[0]
            st.session_state["tl_period"] = custom[1]
            return


def render() -> None:
    opened = term_page("page_timelines")
    if opened is None:
        return
    s, terms_available = opened
    version = s.version
    f, view = filters.timeline_filters(s, version, terms_available, prefix="tl")
    if not f.terms:
        st.info(s.t("pick_terms"))
        return
    result = loaders.analysis_result(s.store_path, version, f)
    frame = result.frame
    hover = loaders.hover_posts(s.store_path, version, f)
    events = filters.event_markers(s, prefix="tl", start=f.start or view.span[0], end=f.end or view.span[1])
    fig = charts.timeline_chart(frame, measure=view.measure, scale=view.scale, events=events, hover=hover,
                                lang=s.lang)
    st.subheader(s.t("timeline_title"))
    st.plotly_chart(fig, key="tl_chart", on_select=_on_point_click, selection_mode="points", theme=None)
    st.caption(s.t("rule", rule=f.analysis.rule(f)))
    if view.measure == "share_per_10k":
        st.caption(s.t("share_note") + "".join(f" {md_escape(note)}" for note in result.notes))
    download_buttons(result_download(result, s.store_path, f), "tl_timeline", s)
    _period_posts(s, version, f, frame)


def _period_posts(s: Settings, version: str, f: Query, frame: pl.DataFrame) -> None:
    st.subheader(s.t("period_posts_title"))
    st.caption(s.t("period_posts_help"))
    used = frame.filter(pl.col("posts") > 0)
    left, right = st.columns(2)
    term = left.selectbox(s.t("term"), list(f.terms), key="tl_post_term")
    periods = [p.isoformat() for p in used.filter(pl.col("term") == term).get_column("period").sort().to_list()]
    if not periods:
        st.write(s.t("no_data"))
        return
    if st.session_state.get("tl_period") not in periods:
        st.session_state["tl_period"] = periods[-1]
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
