"""The story of one term (``/story?term=無断学習``): the chart a researcher puts in a talk, and its evidence.

One annotated chart of the term's uses (all uses grey, AI-context uses blue)
with its milestones dated in a label track — first use, first AI use, the
longest dormancy (shaded), takeoff, peak — and the events that matter for
it: the ones the event study (`dtrack events`) ranks highest for this term,
bold. A log axis when the peak dwarfs the early uses. Under it the emergence
figures in one sentence, and the posts of each milestone in KWIC form. Every
number comes from the declared ``emergence``, ``timeline``, ``events`` and
``posts`` queries, so the CSV downloads are the CLI's bytes.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dtrack.dashboard import charts, images, loaders
from dtrack.dashboard.common import (
    Settings,
    data_table,
    download_buttons,
    md_escape,
    post_table,
    rule_caption,
    term_page,
)
from dtrack.dashboard.downloads import query_download, result_download
from dtrack.dashboard.query import bind, default_freq
from dtrack.dashboard.story import milestone_days, story_text

#: Events the story highlights: the best ranked by the event study for the term.
STORY_EVENTS = 5
#: Posts listed under each milestone (all of them are in its CSV download).
MILESTONE_POSTS = 20
#: Days shown around the term's uses.
MARGIN_DAYS = 30


def render() -> None:
    opened = term_page("page_story")
    if opened is None:
        return
    s, _terms = opened
    version = s.version
    eq = bind("emergence", s.tz)
    emergence = loaders.analysis_frame(s.store_path, version, eq).sort(
        [pl.col("takeoff").is_null(), "takeoff", "posts"], descending=[False, False, True])
    names = emergence.get_column("term").to_list()
    asked = st.query_params.get("term")
    if asked and asked not in names:  # another spelling (ミミック for mimic): its canonical term
        try:
            resolved = loaders.resolved_term(s.store_path, version, asked)
        except ValueError as exc:
            st.error(str(exc))
            resolved = names[0]
        st.session_state["term"] = resolved if resolved in names else names[0]
        st.query_params["term"] = st.session_state["term"]
    c1, c2, c3 = st.columns([1.4, 1, 1])
    term = c1.selectbox(s.t("story_pick"), names, key="term", bind="query-params")
    row = emergence.filter(pl.col("term") == term).row(0, named=True)
    last = loaders.date_span(s.store_path, version, s.tz)[1]
    freq = c2.segmented_control(s.t("freq"), ("day", "week", "month"), default=default_freq(row["first_seen"], last),
                                required=True, format_func=lambda v: s.t(f"freq_{v}"), key="st_freq")
    scale = c3.segmented_control(s.t("story_scale"), ("auto", "linear", "log"), default="auto", required=True,
                                 format_func=lambda v: s.t(f"scale_{v}"), key="st_scale")

    st.header(s.t("story_title", term=term))
    with st.container(key="story_text"):
        st.markdown(f"**{story_text(row, s.lang)}**")  # dates and numbers only: no text from the data

    tq = bind("timeline", s.tz, terms=(term,), freq=freq)
    uses = loaders.analysis_result(s.store_path, version, tq)
    ai = loaders.analysis_frame(s.store_path, version, bind("timeline", s.tz, terms=(term,), freq=freq,
                                                           context="ai"))
    frame = uses.frame.select("period", "posts").join(ai.select("period", ai_posts="posts"), on="period",
                                                       how="left").with_columns(pl.col("ai_posts").fill_null(0))
    events, ranked, study_q = _story_events(s, version, term, row, frame)
    highlight = {(d, label) for d, label in ranked.select("date", "event").iter_rows()}
    fig = charts.story_chart(frame, row, events=events, highlight=highlight, lang=s.lang, scale=scale)
    st.plotly_chart(fig, key="st_chart", theme=None)
    st.caption(rule_caption(s, tq))
    download_buttons(result_download(uses, s.store_path, tq), "st_timeline", s)
    _image_buttons(s, fig, term)

    if ranked.height:
        st.subheader(s.t("story_events"))
        st.caption(s.t("story_events_help", n=STORY_EVENTS))
        data_table(ranked, "st_events", hide_index=True,
                   column_config={"date": st.column_config.DateColumn(format="YYYY-MM-DD"),
                                  "rate_ratio": st.column_config.NumberColumn(format="%.2f"),
                                  "p_value": st.column_config.NumberColumn(format="%.2g")})
        download_buttons(query_download(ranked, s.store_path, study_q), "st_events", s)

    st.subheader(s.t("story_evidence"))
    for key, day, ai_only in milestone_days(row):
        _milestone_posts(s, version, term, key, day, ai_only)


def _story_events(s: Settings, version: str, term: str, row: dict,
                  frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, object]:
    """The events drawn (those within the term's uses, with a margin) and the best ranked for the term."""
    events = loaders.events(s.events)
    first = frame.get_column("period").min() if frame.height else row["first_seen"]
    last = frame.get_column("period").max() if frame.height else row["first_seen"]
    shown = events.filter(pl.col("date").is_between(first - dt.timedelta(days=MARGIN_DAYS),
                                                    last + dt.timedelta(days=MARGIN_DAYS)))
    q = bind("events", s.tz, terms=(term,), events=s.events)
    study = loaders.analysis_frame(s.store_path, version, q)
    ranked = (study.filter(pl.col("rate_ratio") > 1).sort("rank").head(STORY_EVENTS)
              .select("event", "date", "kind", "before_per_day", "after_per_day", "rate_ratio", "p_value", "rank"))
    return shown, ranked, q


def _milestone_posts(s: Settings, version: str, term: str, key: str, day: dt.date, ai_only: bool) -> None:
    q = bind("posts", s.tz, term, start=day, end=day, context="ai" if ai_only else "any")
    posts = loaders.evidence_frame(s.store_path, version, q)
    label = f"{s.t(key)} {day.isoformat()}"
    heading = s.t("story_milestone_posts", label=label, shown=min(posts.height, MILESTONE_POSTS), total=posts.height)
    st.markdown(f"**{md_escape(heading)}**")
    if posts.height:
        post_table(loaders.kwic_rows(posts.head(MILESTONE_POSTS)), s, key=f"st_posts_{key}")
        download_buttons(query_download(posts, s.store_path, q), f"st_posts_{key}", s)


def _image_buttons(s: Settings, fig: object, term: str) -> None:
    """PNG and SVG of the chart with Japanese fonts, drawn offline when clicked (kaleido + Debian Chromium)."""
    problem = images.unavailable()
    if problem:
        st.caption(s.t("image_unavailable", error=problem))
        return
    row = st.container(horizontal=True, gap="small")
    stem = f"story-{term}"
    row.download_button(s.t("download_png"), data=lambda: images.figure_bytes(fig, "png"), file_name=stem + ".png",
                        mime="image/png", key="st_png", on_click="ignore", icon=":material/image:")
    row.download_button(s.t("download_svg"), data=lambda: images.figure_bytes(fig, "svg"), file_name=stem + ".svg",
                        mime="image/svg+xml", key="st_svg", on_click="ignore")


if __name__ == "__main__":
    render()
