"""Overview: what is in the store, and where the collection has holes.

Posts per platform per period (stacked, gaps shaded), the sources ingested
with their counts, quarantined records, the dictionary in use and the store
version. A researcher checks this before trusting any curve.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dtrack.dashboard import charts, loaders
from dtrack.dashboard.common import data_table, download_buttons, headers, require_posts, settings, story_link
from dtrack.dashboard.downloads import table_download
from dtrack.dashboard.query import FREQS


def render() -> None:
    s = settings()
    version = s.version
    info = loaders.summary(s.store_path, version)
    st.title(s.t("page_overview"))
    st.caption(f"{s.t('store')}: `{s.store_path}` · {s.t('store_version')}: `{info['version']}`")
    if not require_posts(s, info):
        return
    cols = st.columns(4)
    cols[0].metric(s.t("posts"), f"{info['posts']:,}", help=f"{s.t('reposts')}: {info['reposts']:,}")
    cols[1].metric(s.t("hits"), f"{info['hits']:,}")
    cols[2].metric(s.t("sources"), f"{info['sources']:,}")
    cols[3].metric(s.t("quarantined"), f"{info['quarantined']:,}")
    if info.get("posts_outside_time_range"):
        st.warning(s.t("bad_times", n=f"{info['posts_outside_time_range']:,}", range=info["time_range"]))
    first, last = loaders.date_span(s.store_path, version, s.tz)
    st.caption(s.t("span", first=first, last=last, tz=s.tz))

    st.subheader(s.t("coverage_title"))
    left, right = st.columns([2, 1])
    freq = left.segmented_control(s.t("freq"), FREQS, default="day", required=True,
                                  format_func=lambda f: s.t(f"freq_{f}"), key="ov_freq")
    gap_days = right.number_input(s.t("gap_days"), min_value=1, max_value=365, value=7, key="ov_gap_days")
    counts = loaders.coverage(s.store_path, version, s.tz, freq)
    gaps = loaders.gaps(s.store_path, version, s.tz, int(gap_days))
    st.plotly_chart(charts.coverage_chart(counts, gaps if freq == "day" else None, lang=s.lang),
                    key="ov_chart", theme=None)
    st.caption(s.t("coverage_caption"))
    download_buttons(table_download(counts, s.store_path, s.tz, f"coverage-{freq}.csv", {"freq": freq}),
                     "ov_coverage", s)

    with st.expander(f"{s.t('gaps_title')} ({gaps.height})", expanded=False):
        if gaps.height:
            data_table(gaps, "ov_gaps", hide_index=True)
            download_buttons(table_download(gaps, s.store_path, s.tz, "gaps.csv", {"min_days": int(gap_days)}),
                             "ov_gaps", s)
        else:
            st.write(s.t("gaps_none"))

    st.subheader(s.t("sources_title"))
    sources = loaders.sources(s.store_path, version)
    data_table(sources, "ov_sources", hide_index=True, column_config={"sha256": None})
    download_buttons(table_download(sources, s.store_path, s.tz, "sources.csv", {}), "ov_sources", s)

    st.subheader(s.t("quarantine_title"))
    quarantine = loaders.quarantine_summary(s.store_path, version)
    if quarantine.height:
        data_table(quarantine, "ov_quarantine", hide_index=True)
        download_buttons(table_download(quarantine, s.store_path, s.tz, "quarantine-by-reason.csv", {}),
                         "ov_quarantine", s)
    else:
        st.write(s.t("no_quarantine"))

    st.subheader(s.t("dictionary_title"))
    dictionary = loaders.dictionary(s.store_path, version)
    st.caption(s.t("dictionary_hash", hash=dictionary["hash"]))
    stale = [h for h in dictionary["stored_hashes"] if h != dictionary["hash"]]
    if stale:
        st.warning(s.t("dictionary_stale", stored=", ".join(stale), current=dictionary["hash"]))
    if info["hits"] == 0:
        st.info(s.t("no_hits"))
    terms = dictionary["terms"]
    shown = terms.with_columns(story=pl.when(pl.col("hits") > 0).then(
        pl.col("term").map_elements(lambda t: story_link(t, s.lang), return_dtype=pl.String)))
    data_table(shown, "ov_dictionary", hide_index=True, column_config=headers(s, shown.columns, {
        "story": st.column_config.LinkColumn(s.t("colname_story"), display_text=s.t("story_link") + " ↗")}))
    download_buttons(table_download(dictionary["terms"], s.store_path, s.tz, "dictionary.csv",
                                    {"dictionary_hash": dictionary["hash"]}), "ov_dictionary", s)


if __name__ == "__main__":
    render()
