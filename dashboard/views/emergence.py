"""Emergence: when each term was first used, first used about AI, lay dormant, took off and peaked.

Each date in the table links to the Posts page filtered to that day (the
evidence), and selecting a row lists those posts here. Below, the adoption
curves (cumulative unique authors) as small multiples with takeoff marked.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import polars as pl
import streamlit as st

from dtrack.dashboard import charts, loaders
from dtrack.dashboard.common import (
    data_table,
    download_buttons,
    headers,
    md_escape,
    post_table,
    story_link,
    term_page,
)
from dtrack.dashboard.downloads import query_download, result_download
from dtrack.dashboard.query import bind

DATE_COLUMNS = ("first_seen", "first_ai_seen", "takeoff", "peak")
BURST_MODELS = ("poisson", "binomial")
EVIDENCE_ROWS = 200
#: What a cell shows where there is no value (no takeoff, no dormancy).
NONE_SHOWN = "—"


def evidence_link(term: str, day: dt.date | None, context: str = "any") -> str | None:
    """A link to the Posts page showing the posts of ``term`` on ``day`` (its widgets read the URL)."""
    if day is None:
        return None
    query = {"kw_term": term, "kw_from": day.isoformat(), "kw_to": day.isoformat()}
    if context != "any":
        query["kw_context"] = context
    return "posts?" + urlencode(query)


def linked(frame: pl.DataFrame, lang: str = "en") -> pl.DataFrame:
    """The emergence table as shown: a link to each term's story first, each date replaced by a link to its
    evidence, and 「—」 where a figure does not exist (no takeoff, no dormancy)."""
    links = {
        col: [evidence_link(term, day, "ai" if col == "first_ai_seen" else "any")
              for term, day in frame.select("term", col).iter_rows()]
        for col in DATE_COLUMNS
    }
    stories = [story_link(term, lang) for term in frame.get_column("term")]
    shown = frame.with_columns(pl.Series(col, values, dtype=pl.String) for col, values in links.items())
    gaps = [c for c, dtype in shown.schema.items() if shown.get_column(c).null_count() and c not in DATE_COLUMNS]
    return shown.with_columns(pl.col(c).cast(pl.String).fill_null(NONE_SHOWN) for c in gaps).select(
        pl.Series("story", stories, dtype=pl.String), pl.all())


def by_takeoff(frame: pl.DataFrame) -> pl.DataFrame:
    """Terms in the order their stories happened: by takeoff (none last), then by posts."""
    return frame.sort([pl.col("takeoff").is_null(), "takeoff", "posts", "term"],
                      descending=[False, False, True, False])


def render() -> None:
    opened = term_page("page_emergence")
    if opened is None:
        return
    s, terms = opened
    version = s.version
    st.subheader(s.t("emergence_title"))
    c1, c2, c3 = st.columns([1, 1, 1])
    model = c1.segmented_control(s.t("burst_model"), BURST_MODELS, default="poisson", required=True,
                                 key="em_model", help=s.t("burst_model_help"))
    min_days = c2.number_input(s.t("min_days"), min_value=1, max_value=90, value=7, key="em_min_days")
    before = c3.date_input(s.t("uses_before"), value=None, key="em_before")
    q = bind("emergence", s.tz, before=before, burst_model=model, min_days=int(min_days))
    try:
        frame = by_takeoff(loaders.analysis_frame(s.store_path, version, q))
    except ValueError as exc:  # e.g. the binomial model on a keyword-search store: say why, keep the page
        st.error(str(exc))
        return
    for term, note in frame.select("term", "burst_note").drop_nulls().rows():  # a model fallback, e.g. binomial
        st.warning(f"{term}: {note}")
    st.caption(s.t("emergence_help"))
    date_link = {
        col: st.column_config.LinkColumn(s.t(col), display_text=r"kw_from=([0-9-]+)", width="small")
        for col in DATE_COLUMNS
    }
    shown = linked(frame, s.lang)
    hidden = {"first_post_id": None, "first_ai_post_id": None, **({"uses_before": None} if before is None else {})}
    config = {**date_link, **hidden,
              "story": st.column_config.LinkColumn(s.t("colname_story"), display_text=s.t("story_link") + " ↗",
                                                   width="small")}
    event = data_table(shown, "em_table", hide_index=True, on_select="rerun", selection_mode="single-row",
                       column_config=headers(s, shown.columns, config))
    download_buttons(query_download(frame, s.store_path, q), "em_emergence", s)

    rows = list(event.selection.rows) if event is not None else []
    if rows and rows != st.session_state.get("_em_rows"):  # a newly selected row picks the term below
        st.session_state["em_term"] = frame.get_column("term")[rows[0]]
    st.session_state["_em_rows"] = rows
    left, right = st.columns(2)
    term = left.selectbox(s.t("term"), frame.get_column("term").to_list(), key="em_term")
    which = right.segmented_control(s.t("which_date"), DATE_COLUMNS, default="first_seen", required=True,
                                    format_func=s.t, key="em_which")
    day = frame.filter(pl.col("term") == term).row(0, named=True)[which]
    st.markdown(f"**{md_escape(s.t('evidence_for', term=term))}** · {s.t(which)}: `{day}`")
    if day is not None:
        ev = bind("posts", s.tz, term, start=day, end=day, context="ai" if which == "first_ai_seen" else "any")
        posts = loaders.evidence_frame(s.store_path, version, ev)
        post_table(loaders.kwic_rows(posts.head(EVIDENCE_ROWS)), s, key="em_posts")
        download_buttons(query_download(posts, s.store_path, ev), "em_posts", s)

    st.subheader(s.t("adoption_title"))
    shown = st.multiselect(s.t("terms"), terms, default=terms[:9], key="em_terms", placeholder=s.t("choose"))
    if shown:
        tq = bind("timeline", s.tz, terms=tuple(shown), freq="day")
        result = loaders.analysis_result(s.store_path, version, tq)
        daily = result.frame
        st.plotly_chart(charts.adoption_chart(daily, frame.select("term", "takeoff"), lang=s.lang),
                        key="em_chart", theme=None)
        download_buttons(result_download(result, s.store_path, tq), "em_adoption", s)


if __name__ == "__main__":
    render()
