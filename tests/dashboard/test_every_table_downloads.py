"""Every chart and every table on every page has a CSV download (and the sidecar) next to it."""

from __future__ import annotations

import pytest

#: element key -> its download's key (``<download>_csv`` and ``<download>_meta`` buttons)
DOWNLOADS = {
    "ov_chart": "ov_coverage", "ov_gaps": "ov_gaps", "ov_sources": "ov_sources", "ov_quarantine": "ov_quarantine",
    "ov_dictionary": "ov_dictionary",
    "tl_chart": "tl_timeline", "tl_posts": "tl_posts",
    "em_table": "em_emergence", "em_posts": "em_posts", "em_chart": "em_adoption",
    "ev_table": "ev_study", "ev_chart": "ev_around", "ev_xcorr": "ev_xcorr",
    "kw_table": "kw_posts",
    "ws_table": "ws_words", "ws_posts": "ws_posts", "ws_network": "ws_network", "ws_sentiment": "ws_sentiment",
    "st_chart": "st_timeline", "st_events": "st_events",
    **{f"st_posts_{m}": f"st_posts_{m}" for m in ("first_seen", "first_ai_seen", "story_woke", "takeoff", "peak")},
    "col_quarantine": "col_quarantine", "col_ledger": "col_ledger", "col_schedules": "col_schedules",
    "col_reports": "col_reports",
}


#: shown only in some states (a collapsed gap list, no schedules, no ingest run yet)
OPTIONAL = {"col_ledger", "col_schedules", "col_reports",
            # a milestone's posts: none when its day has no post (a takeoff burst can begin on a quiet day)
            *(k for k in DOWNLOADS if k.startswith("st_posts_"))}


def _shown(at) -> set[str]:
    charts = {e.key for e in at.get("plotly_chart") if getattr(e, "key", None)}
    tables = {b.key[len("box_"):] for b in at.get("container") if (b.key or "").startswith("box_")}
    return {k for k in charts | tables if k}


PREFIX = {"overview": "ov_", "timelines": "tl_", "emergence": "em_", "events": "ev_", "posts": "kw_", "story": "st_",
          "said": "ws_", "collectors": "col_"}


@pytest.mark.parametrize("page", list(PREFIX))
def test_every_chart_and_table_has_its_download(app, page):
    at = app(page=page)
    shown = _shown(at)
    expected = {k for k in DOWNLOADS if k.startswith(PREFIX[page]) and k not in OPTIONAL}
    assert expected and shown >= expected, shown
    buttons = {b.key for b in at.download_button}
    for element in shown:
        assert element in DOWNLOADS, f"{page}: {element} has no download registered here"
        assert {f"{DOWNLOADS[element]}_csv", f"{DOWNLOADS[element]}_meta"} <= buttons, element
