"""Emergence and Events pages: the analysis tables, their evidence links, the charts beside them."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dtrack.analysis.emergence import emergence
from dtrack.data.store import Store
from tests.dashboard.helpers import all_markdown, figure, table

D = dt.date


def test_emergence_table_with_links_to_evidence(app, story_store: Store):
    at = app(page="emergence")
    shown = table(at, "em_table")
    expected = emergence(story_store.scan_posts(), story_store.scan_hits(), model="poisson")
    assert sorted(shown["term"]) == sorted(expected["term"].to_list())
    row = shown[shown["term"] == "無断学習"].iloc[0]
    first = expected.filter(pl.col("term") == "無断学習").row(0, named=True)
    assert first["first_ai_seen"] == D(2021, 4, 14)  # the story's first AI use
    assert row["first_seen"] == f"posts?kw_term=%E7%84%A1%E6%96%AD%E5%AD%A6%E7%BF%92&kw_from={first['first_seen']}" \
                                f"&kw_to={first['first_seen']}"
    assert row["first_ai_seen"].endswith("&kw_from=2021-04-14&kw_to=2021-04-14&kw_context=ai")


def test_emergence_evidence_for_a_chosen_date(app):
    at = app(page="emergence")
    at.selectbox(key="em_term").set_value("無断学習").run()
    at.segmented_control(key="em_which").set_value("first_ai_seen").run()
    posts = table(at, "em_posts")
    assert len(posts) == 1
    assert posts["time"].iloc[0].startswith("2021-04-14") and "チャットAI" in posts["left"].iloc[0]
    assert "dtrack posts 無断学習 --from 2021-04-14 --to 2021-04-14 --context ai" in all_markdown(at)


def test_emergence_binomial_fallback_is_a_warning_not_a_crash(app):
    at = app(page="emergence")
    at.segmented_control(key="em_model").set_value("binomial").run()  # the story store is keyword-like
    assert not at.exception and not at.error
    shown = table(at, "em_table")
    fallen = shown[shown["burst_model"] == "poisson"]["term"].tolist()
    assert fallen and all(any(w.value.startswith(f"{t}: binomial needs s*p0 < 1") for w in at.warning)
                          for t in fallen)
    assert "first_seen_censored" in shown.columns


def test_adoption_small_multiples_follow_the_term_picker(app):
    at = app(page="emergence")
    at.multiselect(key="em_terms").set_value(["無断学習", "mimic"]).run()
    fig = figure(at, "em_chart")
    assert [t["name"] for t in fig["data"]] == ["無断学習", "mimic"]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["無断学習", "mimic"]


def test_event_study_table_and_window(app):
    at = app(page="events")
    study = table(at, "ev_table")
    assert {"term", "event", "date", "before_per_day", "after_per_day", "rate_ratio", "p_value",
            "lag_to_peak_days"} <= set(study.columns)
    mimic = study[(study["term"] == "無断学習") & study["event"].str.startswith("mimic")]
    assert not mimic.empty
    at.slider(key="ev_window").set_value(3).run()
    narrower = table(at, "ev_table")
    assert not narrower.equals(study)
    assert "dtrack events 無断学習 無断転載 mimic --window 3 --context any" in all_markdown(at)


def test_daily_uses_around_an_event_widen_with_the_window(app):
    at = app(page="events")
    picked = at.selectbox(key="ev_event").value
    assert picked.startswith("2022-08-29")  # the mimic beta is chosen first
    fig = figure(at, "ev_chart")
    first, last = fig["data"][0]["x"][0], fig["data"][0]["x"][-1]
    assert first >= "2022-07-30" and last <= "2022-09-28"
    at.slider(key="ev_around").set_value(60).run()
    wider = figure(at, "ev_chart")
    assert wider["data"][0]["x"][0] < first or len(wider["data"][0]["x"]) > len(fig["data"][0]["x"])


def test_cross_correlation_has_a_bar_per_lag(app):
    at = app(page="events")
    at.selectbox(key="ev_term_a").set_value("mimic").run()
    at.selectbox(key="ev_term_b").set_value("無断学習").run()
    at.slider(key="ev_max_lag").set_value(5).run()
    bars = figure(at, "ev_xcorr")["data"][0]
    assert list(bars["x"]) == list(range(-5, 6))
    assert "dtrack xcorr mimic 無断学習 --max-lag 5" in all_markdown(at)
