"""Events: did an event change how often a term was used?

The event-study table (uses per day before and after each event, their
ratio, an exact Poisson p-value, lag to the next peak), a chart of daily uses
around one chosen event with a window you can widen, and the
cross-correlation of two terms' daily series.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dtrack.dashboard import charts, loaders
from dtrack.dashboard.common import data_table, download_buttons, headers, story_link, term_page
from dtrack.dashboard.downloads import query_download, result_download
from dtrack.dashboard.query import CONTEXTS, bind


def render() -> None:
    opened = term_page("page_events")
    if opened is None:
        return
    s, terms = opened
    version = s.version
    events = loaders.events(s.events)
    if events.height == 0:
        st.info(s.t("no_events"))
        return

    st.subheader(s.t("event_study_title"))
    left, mid, right = st.columns([2, 1, 1])
    chosen = tuple(left.multiselect(s.t("terms"), terms, default=terms[:3], key="ev_terms", placeholder=s.t("choose")))
    window = mid.slider(s.t("window"), 1, 60, 7, key="ev_window")
    context = right.segmented_control(s.t("context"), CONTEXTS, default="any", required=True,
                                      format_func=lambda v: s.t(f"context_{v}"), key="ev_context")
    q = bind("events", s.tz, terms=chosen, window=window, context=context, events=s.events)
    study = loaders.analysis_frame(s.store_path, version, q)
    numbers = {"p_value": "%.2g", "rate_ratio": "%.2f", "before_per_day": "%.2f", "after_per_day": "%.2f"}
    shown = study.with_columns(story=pl.col("term").map_elements(lambda t: story_link(t, s.lang),
                                                                 return_dtype=pl.String))
    config = {"date": st.column_config.DateColumn(format="YYYY-MM-DD"),
              "story": st.column_config.LinkColumn(s.t("colname_story"), display_text=s.t("story_link") + " ↗",
                                                   width="small"),
              **{col: st.column_config.NumberColumn(format=fmt) for col, fmt in numbers.items()}}
    data_table(shown, "ev_table", hide_index=True, column_config=headers(s, shown.columns, config))
    download_buttons(query_download(study, s.store_path, q), "ev_study", s)

    st.subheader(s.t("around_event"))
    rows = events.sort("date").select("date", "label").iter_rows()
    options = [f"{d.isoformat()} · {label}" for d, label in rows]
    left, right = st.columns([2, 1])
    picked = left.selectbox(s.t("event"), options, index=_default_event(events), key="ev_event")
    around = right.slider(s.t("window"), 7, 180, 30, step=1, key="ev_around")
    event_day = dt.date.fromisoformat(picked.split(" · ", 1)[0])
    if chosen:
        tq = bind("timeline", s.tz, terms=chosen, freq="day", context=context,
                  start=event_day - dt.timedelta(days=around), end=event_day + dt.timedelta(days=around))
        result = loaders.analysis_result(s.store_path, version, tq)
        daily = result.frame
        st.plotly_chart(charts.around_event_chart(daily, event_day, picked.split(" · ", 1)[1], lang=s.lang),
                        key="ev_chart", theme=None)
        download_buttons(result_download(result, s.store_path, tq), "ev_around", s)
    else:
        st.info(s.t("pick_terms"))

    st.subheader(s.t("xcorr_title"))
    c1, c2, c3, c4 = st.columns([1, 1, 1, 1])
    term_a = c1.selectbox(s.t("term_a"), terms, index=0, key="ev_term_a")
    term_b = c2.selectbox(s.t("term_b"), terms, index=min(1, len(terms) - 1), key="ev_term_b")
    max_lag = c3.slider(s.t("max_lag"), 1, 60, 14, key="ev_max_lag")
    xcontext = c4.segmented_control(s.t("context"), CONTEXTS, default="any", required=True,
                                    format_func=lambda v: s.t(f"context_{v}"), key="ev_xcorr_context")
    xq = bind("xcorr", s.tz, term_a, term_b, max_lag=max_lag, context=xcontext)
    xcorr = loaders.analysis_frame(s.store_path, version, xq)
    st.plotly_chart(charts.xcorr_chart(xcorr, term_a, term_b, lang=s.lang), key="ev_xcorr", theme=None)
    st.caption(s.t("xcorr_note"))
    download_buttons(query_download(xcorr, s.store_path, xq), "ev_xcorr", s)


def _default_event(events: pl.DataFrame) -> int:
    """The mimic beta if the events file has it (the story's turning point), else the first event."""
    labels = events.sort("date").get_column("label").to_list()
    for i, label in enumerate(labels):
        if "mimic" in (label or "").lower():
            return i
    return 0


if __name__ == "__main__":
    render()
