"""Rising words: per period the candidate words used far more than just before (``dtrack discover``).

The filters map onto `dtrack discover` options, so the CSV download is what
that command writes. For the chosen period: the top words with a sparkline of
their last periods, and for the chosen word its posts (KWIC), a link into the
term timelines when the dictionary already has it, and "Add to my dictionary",
which writes the word with the ticked spellings to the researcher's own terms
file (never the shipped one) and re-tags the store with it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import streamlit as st

from dtrack.analysis.queries import Query
from dtrack.dashboard import filters, loaders
from dtrack.dashboard.common import Settings, data_table, download_buttons, md_escape, post_table, require_posts
from dtrack.dashboard.common import settings as current_settings
from dtrack.dashboard.downloads import result_download
from dtrack.dashboard.query import FREQS, bind, period_end
from dtrack.data.store import Store, StoreLocked
from dtrack.nlp.tagger import META_KEY, tag_store
from dtrack.nlp.terms import DEFAULT_TERMS, TermsFileError, add_term, load_terms
from dtrack.nlp.words import count_store

#: Periods each sparkline shows (ending with the chosen period).
SPARK_PERIODS = 12
POST_ROWS = 200
TABLE_COLUMNS = ("word", "score", "posts", "authors", "baseline_posts", "first_seen", "new", "trend", "variants",
                 "longer_forms")


def user_terms_file(store: Store) -> tuple[Path, bool]:
    """The researcher's own terms file the store was tagged with (and whether it replaced the default),
    else ``my_terms.toml`` next to the store."""
    overlay = (store.meta(META_KEY) or {}).get("dictionary") or {}
    name = overlay.get("name")
    if name and Path(name).is_file() and Path(name).resolve() != DEFAULT_TERMS.resolve():
        return Path(name), bool(overlay.get("replace"))
    return store.path.parent / "my_terms.toml", False


def spark_periods(period: dt.date, freq: str, n: int = SPARK_PERIODS) -> list[dt.date]:
    """The ``n`` period starts ending with ``period``."""
    out = [period]
    for _ in range(n - 1):
        prev = out[-1] - dt.timedelta(days=1)
        out.append(prev if freq == "day" else prev - dt.timedelta(days=prev.weekday()) if freq == "week"
                   else prev.replace(day=1))
    return out[::-1]


def with_trend(rows: pl.DataFrame, series: pl.DataFrame, period: dt.date, freq: str) -> pl.DataFrame:
    """Add ``trend``: each word's posts over the last periods (0 where unused), for a sparkline."""
    grid = pl.DataFrame({"period": spark_periods(period, freq)}).join(rows.select("word"), how="cross")
    counts = (
        grid.join(series, on=["word", "period"], how="left")
        .with_columns(pl.col("posts").fill_null(0))
        .sort("period")
        .group_by("word", maintain_order=True)
        .agg(trend=pl.col("posts"))
    )
    return rows.join(counts, on="word", how="left")


def _count_button(s: Settings) -> None:
    if st.button(s.t("count_words"), key="rw_count", icon=":material/calculate:"):
        try:
            with st.spinner(s.t("count_words")):
                report = count_store(s.store)
        except StoreLocked as exc:
            st.error(s.t("ingest_locked", message=str(exc)))
            return
        st.session_state["_rw_message"] = s.t("counted", summary=report.summary())
        st.rerun()


def render() -> None:
    s = current_settings()
    st.title(s.t("page_rising"))
    version = s.version
    summary = loaders.summary(s.store_path, version)
    if not require_posts(s, summary):
        return
    if st.session_state.get("_rw_message"):
        st.success(st.session_state.pop("_rw_message"))
    if not loaders.words_current(s.store_path, version):  # counting is a button, never a side effect of a view
        counted = s.store.meta("discovery") or {}
        st.info(s.t("words_not_counted", posts=max(int(summary["posts"]) - int(counted.get("posts", 0)), 0)))
        _count_button(s)
        return
    st.subheader(s.t("rising_title"))
    st.caption(s.t("rising_help"))
    row = st.container(horizontal=True, gap="small")
    freq = row.segmented_control(s.t("freq"), FREQS, default="week", required=True,
                                 format_func=lambda v: s.t(f"freq_{v}"), key="rw_freq")
    top = row.number_input(s.t("top_n"), min_value=1, max_value=200, value=20, key="rw_top")
    min_authors = row.number_input(s.t("min_authors"), min_value=1, max_value=1000, value=3, key="rw_min_authors")
    c1, c2, c3 = st.columns([1.4, 0.8, 1.4])
    platforms = c1.multiselect(s.t("platforms"), loaders.platforms(s.store_path, version), key="rw_platforms")
    with c2:
        known = st.toggle(s.t("include_known"), key="rw_known")
        reposts = st.toggle(s.t("include_reposts"), key="rw_reposts")
    with c3:
        start, end, _span = filters.date_range(s, version, key="rw_range")
    q = bind("discover", s.tz, freq=freq, start=start, end=end, top=int(top), min_authors=int(min_authors),
             include_known=bool(known), include_reposts=bool(reposts), platforms=tuple(sorted(platforms)))
    result = loaders.analysis_result(s.store_path, version, q)
    frame = result.frame
    download_buttons(result_download(result, s.store_path, q), "rw_rising", s)
    if frame.height == 0:
        st.info(s.t("no_rising"))
        return
    _period_table(s, version, q, frame)


def _period_table(s: Settings, version: str, q: Query, frame: pl.DataFrame) -> None:
    # periods newest first; the page opens on the period with the strongest rise
    periods = frame.get_column("period").unique().sort(descending=True).to_list()
    best = frame.sort("score", descending=True).get_column("period")[0]
    if st.session_state.get("rw_period") not in [p.isoformat() for p in periods]:
        st.session_state["rw_period"] = best.isoformat()
    chosen = st.selectbox(s.t("period"), [p.isoformat() for p in periods], key="rw_period")
    period = dt.date.fromisoformat(chosen)
    rows = frame.filter(pl.col("period") == period)
    series = loaders.word_series(s.store_path, version, tuple(rows.get_column("word").to_list()), q.freq,
                                 q.include_reposts, q.platforms, q.tz)
    shown = with_trend(rows, series, period, q.freq)
    config = {
        "trend": st.column_config.LineChartColumn(s.t("trend"), width="small", y_min=0),
        "word": st.column_config.TextColumn(s.t("word")),
        "score": st.column_config.NumberColumn("score (G²)", format="%.1f"),
    }
    event = data_table(shown.select(TABLE_COLUMNS).to_pandas(), "rw_table", hide_index=True, on_select="rerun",
                       selection_mode="single-row", column_config=config)
    st.caption(s.t("rule", rule=q.analysis.rule(q)))
    picked = list(event.selection.rows) if event is not None else []
    if picked and picked != st.session_state.get("_rw_rows"):
        st.session_state["rw_word"] = shown.get_column("word")[picked[0]]
    st.session_state["_rw_rows"] = picked
    words = rows.get_column("word").to_list()
    if st.session_state.get("rw_word") not in words:
        st.session_state["rw_word"] = words[0]
    word = st.selectbox(s.t("word"), words, key="rw_word")
    info = rows.filter(pl.col("word") == word).row(0, named=True)
    _word_posts(s, version, q, word, period)
    _timeline_link(s, version, word)
    _add_form(s, word, info)


def _word_posts(s: Settings, version: str, q: Query, word: str, period: dt.date) -> None:
    st.markdown(f"**{md_escape(s.t('word_posts_title', word=word))}**")
    posts = loaders.word_posts(s.store_path, version, word, period, period_end(period, q.freq), q.include_reposts,
                               q.platforms, q.tz, POST_ROWS)
    post_table(loaders.kwic_rows(posts), s, key="rw_posts")


def _timeline_link(s: Settings, version: str, word: str) -> None:
    terms = loaders.hit_terms(s.store_path, version)
    term = next((t for t in terms if t.lower() == word or t.lower().lstrip("#") == word), None)
    if term is None:
        st.caption(s.t("not_in_dictionary"))
        return
    if st.button(s.t("open_timeline"), key="rw_open", icon=":material/show_chart:"):
        st.session_state["tl_terms"] = [term]
        st.switch_page("views/timelines.py")


def _add_form(s: Settings, word: str, info: dict) -> None:
    path, replace = user_terms_file(s.store)
    with st.expander(s.t("add_title"), expanded=False):
        options = list(dict.fromkeys([word, *info["variants"], *(info["longer_forms"] or [])]))
        ticked = st.multiselect(s.t("add_variants"), options, default=list(dict.fromkeys([word, *info["variants"]])),
                                key="rw_variants")
        category = st.text_input(s.t("category"), value="discovered", key="rw_category")
        file = st.text_input(s.t("terms_file"), value=str(path), key="rw_terms_file", help=s.t("terms_file_help"))
        if st.button(s.t("add_button"), key="rw_add", icon=":material/playlist_add:"):
            target = Path(file).expanduser()
            try:
                add_term(target, word, variants=ticked, category=category.strip() or "discovered",
                         note=f"found by dtrack discover ({info['period']})")
                terms = load_terms(target, replace=replace and target == path)
                report = tag_store(s.store, terms=terms)
            except (TermsFileError, StoreLocked) as exc:
                st.error(s.t("add_failed", message=str(exc)))
                return
            st.session_state["_rw_message"] = s.t("added", word=word, path=str(target), summary=report.summary())
            st.rerun()


if __name__ == "__main__":
    render()
