"""What was said: the words used with a term before and after an event, their network, and sentiment.

Pick a term and an event (the window on each side) or two date ranges. The
table lists the words of either period's top with their scores in both and
the change (`dtrack cooccur --vs-from/--vs-to`); a row opens the posts that
use the term and that word. The network is period A's (`--network`), and the
sentiment line sits under the term's timeline with the events marked
(`dtrack sentiment`). Post text is shown only in table cells.
"""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from dtrack.analysis.cooccurrence import render_json
from dtrack.dashboard import charts, loaders
from dtrack.dashboard.common import data_table, download_buttons, post_table, term_page
from dtrack.dashboard.downloads import result_download, table_download
from dtrack.dashboard.query import CONTEXTS, FREQS, bind

MODES = ("event", "ranges")
MEASURES = ("jaccard", "pmi", "llr")
DEFAULT_TERM = "無断学習"


def render() -> None:
    opened = term_page("page_said")
    if opened is None:
        return
    s, terms = opened
    version = s.version
    first, last = loaders.date_span(s.store_path, version, s.tz)
    events = loaders.events(None)

    c1, c2, c3 = st.columns([1.4, 1.4, 1])
    term = c1.selectbox(s.t("term"), terms, index=terms.index(DEFAULT_TERM) if DEFAULT_TERM in terms else 0,
                        key="ws_term")
    mode = c2.segmented_control(s.t("said_compare"), MODES, default="event" if events.height else "ranges",
                                required=True, format_func=lambda v: s.t(f"said_by_{v}"), key="ws_mode")
    context = c3.segmented_control(s.t("context"), CONTEXTS, default="any", required=True,
                                   format_func=lambda v: s.t(f"context_{v}"), key="ws_context")
    if mode == "event" and events.height:
        options = [f"{d.isoformat()} · {label}" for d, label in events.sort("date").select("date", "label").iter_rows()]
        left, right = st.columns([2, 1])
        picked = left.selectbox(s.t("event"), options, index=_default_event(options), key="ws_event")
        days = right.slider(s.t("said_days"), 7, 730, 365, key="ws_days")
        day = dt.date.fromisoformat(picked.split(" · ", 1)[0])
        a = (day, day + dt.timedelta(days=days - 1))
        b = (day - dt.timedelta(days=days), day - dt.timedelta(days=1))
    else:
        mid = first + (last - first) / 2 if first and last else None
        r1, r2, r3, r4 = st.columns(4)
        a = (r1.date_input(s.t("said_after") + " · " + s.t("date_from"), value=mid, key="ws_a_from"),
             r2.date_input(s.t("date_to"), value=last, key="ws_a_to"))
        b = (r3.date_input(s.t("said_before") + " · " + s.t("date_from"), value=first, key="ws_b_from"),
             r4.date_input(s.t("date_to"), value=mid - dt.timedelta(days=1) if mid else None, key="ws_b_to"))
    m1, m2, m3 = st.columns([2, 1, 1])
    measure = m1.segmented_control(s.t("said_measure"), MEASURES, default="jaccard", required=True,
                                   help=s.t("said_measure_help"), key="ws_measure")
    top = int(m2.number_input(s.t("said_top"), min_value=5, max_value=200, value=30, step=5, key="ws_top"))
    min_count = int(m3.number_input(s.t("said_min_count"), min_value=1, max_value=1000, value=2, key="ws_min"))
    st.caption(f"{s.t('said_after')}: {a[0]} – {a[1]} · {s.t('said_before')}: {b[0]} – {b[1]}")

    q = bind("cooccur", s.tz, term, start=a[0], end=a[1], vs_start=b[0], vs_end=b[1], measure=measure, top=top,
             min_count=min_count, context=context)
    result = loaders.analysis_result(s.store_path, version, q)
    shift = result.frame
    st.subheader(s.t("said_words_title"))
    st.caption(s.t("said_words_help"))
    numbers = {c: st.column_config.NumberColumn(format="%.3f") for c in ("score", "score_vs", "change")}
    chosen = data_table(shift, "ws_table", hide_index=True, on_select="rerun", selection_mode="single-row",
                        column_config={**numbers, "p_value": st.column_config.NumberColumn(format="%.2g")})
    download_buttons(result_download(result, s.store_path, q), "ws_words", s)

    words = shift.get_column("word").to_list() if shift.height else []
    rows = list(chosen.selection.rows) if chosen is not None else []
    if words:
        word = st.selectbox(s.t("said_word"), words, index=rows[0] if rows else 0, key="ws_word")
        posts = loaders.word_posts_frame(s.store_path, version, term, word, q.start, q.end, q.context,
                                         q.include_reposts, q.platforms, s.tz)
        if posts.height:
            post_table(loaders.kwic_rows(posts), s, key="ws_posts", height=320)
            download_buttons(table_download(posts, s.store_path, s.tz, f"posts-{term}-{word}.csv",
                                            {"term": term, "word": word, "from": q.start, "to": q.end}),
                             "ws_posts", s)
        else:
            st.info(s.t("no_data"))
    else:
        st.info(s.t("no_data"))

    st.subheader(s.t("said_network_title"))
    st.caption(s.t("said_network_help"))
    nq = q.replace(vs_start=None, vs_end=None, network=True)
    network = loaders.analysis_result(s.store_path, version, nq)
    data = render_json(network, nq)
    st.plotly_chart(charts.network_chart(json.loads(data), lang=s.lang), key="ws_network", theme=None)
    download_buttons(result_download(network, s.store_path, nq), "ws_network", s)
    st.download_button(s.t("download_json"), data=data, file_name=f"network-{q.measure}.json",
                       mime="application/json", key="ws_network_json", on_click="ignore",
                       icon=":material/download:")

    st.subheader(s.t("said_sentiment_title"))
    st.caption(s.t("said_sentiment_help"))
    freq = st.segmented_control(s.t("freq"), FREQS, default="week", required=True,
                                format_func=lambda v: s.t(f"freq_{v}"), key="ws_freq")
    sq = bind("sentiment", s.tz, term, freq=freq, context=context)
    sentiment = loaders.analysis_result(s.store_path, version, sq)
    uses = loaders.analysis_frame(s.store_path, version, bind("timeline", s.tz, (term,), freq=freq,
                                                              context=context))
    st.plotly_chart(charts.sentiment_chart(uses, sentiment.frame, events=events, lang=s.lang), key="ws_sentiment",
                    theme=None)
    download_buttons(result_download(sentiment, s.store_path, sq), "ws_sentiment", s)


def _default_event(options: list[str]) -> int:
    """The mimic beta if listed (the story's turning point), else the first event."""
    return next((i for i, o in enumerate(options) if "mimic" in o.lower()), 0)


if __name__ == "__main__":
    render()
