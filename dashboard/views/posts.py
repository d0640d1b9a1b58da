"""Posts (KWIC): every hit of a term in its context, with the words that made it AI context.

The filters are bound to the URL (``?kw_term=...&kw_from=...``), so the
Emergence page links straight to the posts behind a date and a view can be
shared as a link. Post text is shown only in table cells (never markup).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dtrack.analysis.concordance import SORT_KEYS, sort_kwic
from dtrack.dashboard import loaders
from dtrack.dashboard.common import download_buttons, post_table, term_page
from dtrack.dashboard.downloads import query_download
from dtrack.dashboard.query import CONTEXTS, bind

DEFAULT_LIMIT = 200


def render() -> None:
    opened = term_page("page_posts")
    if opened is None:
        return
    s, terms = opened
    version = s.version
    first, last = loaders.date_span(s.store_path, version, s.tz)
    c1, c2, c3, c4 = st.columns([1.4, 1, 1, 1.2])
    term = c1.selectbox(s.t("term"), terms, key="kw_term", bind="query-params")
    start = c2.date_input(s.t("date_from"), value=first, min_value=first, max_value=last, key="kw_from",
                          bind="query-params")
    end = c3.date_input(s.t("date_to"), value=last, min_value=first, max_value=last, key="kw_to",
                        bind="query-params")
    # options shown as the CLI's own values: a bound widget writes its *shown* label into the URL,
    # and a link must not depend on the reader's language
    context = c4.segmented_control(s.t("context"), CONTEXTS, default="any", required=True, key="kw_context",
                                   bind="query-params", help=s.t("context_help"))
    c5, c6, c7, c8 = st.columns([2, 1, 1, 1.6])
    platforms = c5.multiselect(s.t("platforms"), loaders.platforms(s.store_path, version), key="kw_platforms",
                               placeholder=s.t("choose"))
    with c6:
        st.write("")
        include_reposts = st.toggle(s.t("include_reposts"), key="kw_reposts")
    limit = c7.number_input(s.t("limit"), min_value=1, max_value=100_000, value=DEFAULT_LIMIT, step=100,
                            key="kw_limit")
    sort_by = c8.segmented_control(s.t("kwic_sort"), SORT_KEYS, default="date", required=True, key="kw_sort",
                                   help=s.t("kwic_sort_help"))
    q = bind("posts", s.tz, term, start=_edge(start, first), end=_edge(end, last), context=context,
             include_reposts=bool(include_reposts), platforms=tuple(sorted(platforms)), limit=int(limit))
    posts = loaders.evidence_frame(s.store_path, version, q)
    st.subheader(s.t("posts_title"))
    if posts.height == 0:
        st.info(s.t("no_data"))
        return
    st.caption(s.t("rows_shown", shown=posts.height))
    if posts.height == q.limit:
        st.warning(s.t("limit_reached"))
    shown = posts if sort_by == "date" else sort_kwic(posts, sort_by, time_column="time")
    post_table(loaders.kwic_rows(shown), s, key="kw_table")
    download_buttons(query_download(posts, s.store_path, q), "kw_posts", s)


def _edge(day: dt.date | None, span_edge: dt.date | None) -> dt.date | None:
    """None when the picker sits on the store's own first/last day (the CLI default)."""
    return None if day is None or day == span_edge else day


if __name__ == "__main__":
    render()
