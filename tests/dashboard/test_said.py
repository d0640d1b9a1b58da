"""What was said page: words before/after an event, a word's posts, the network, the sentiment line."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dtrack.analysis.cooccurrence import cooccur_store
from dtrack.data.store import Store
from tests.dashboard.helpers import figure, table

MIMIC = dt.date(2022, 8, 29)


def test_words_before_and_after_the_mimic_beta(app, story_store: Store):
    at = app(page="said")
    assert at.selectbox(key="ws_term").value == "無断学習"
    assert "mimic" in at.selectbox(key="ws_event").value
    days = at.slider(key="ws_days").value
    expected = cooccur_store(story_store, "無断学習", start=MIMIC, end=MIMIC + dt.timedelta(days=days - 1), vs=True,
                             vs_start=MIMIC - dt.timedelta(days=days), vs_end=MIMIC - dt.timedelta(days=1), top=30,
                             min_count=2)
    words = expected.get_column("word").to_list()
    assert "AI" in words
    assert at.selectbox(key="ws_word").options == words
    shown = table(at, "ws_table")
    assert list(shown["word"]) == words and list(shown["change"].round(9)) == [
        round(c, 9) if c is not None else c for c in expected.get_column("change").to_list()]
    # the word picker lists its posts: as many as its co-occurrence count
    at.selectbox(key="ws_word").set_value("AI").run()
    assert not at.exception
    ai = expected.filter(pl.col("word") == "AI").row(0, named=True)
    assert len(table(at, "ws_posts")) == ai["cooccurrences"]
    buttons = {b.key for b in at.download_button}
    assert {"ws_words_csv", "ws_posts_csv", "ws_network_csv", "ws_sentiment_csv", "ws_network_json"} <= buttons
    commands = " ".join(c.value for c in at.caption)
    assert "dtrack cooccur 無断学習 --from 2022-08-29" in commands and "--vs-from" in commands
    assert "dtrack sentiment 無断学習 --freq week" in commands


def test_network_and_sentiment_are_drawn(app):
    at = app(page="said")
    net = figure(at, "ws_network")
    assert any(t.get("mode") == "markers+text" for t in net["data"])
    sentiment = figure(at, "ws_sentiment")
    names = {t.get("name") for t in sentiment["data"]}
    assert {"positive", "negative"} <= names
    assert sentiment["layout"]["shapes"]  # the events


def test_two_ranges(app):
    at = app(page="said")
    at.segmented_control(key="ws_mode").set_value("ranges").run()
    assert not at.exception
    at.date_input(key="ws_a_from").set_value(MIMIC).run()
    at.date_input(key="ws_b_to").set_value(dt.date(2021, 3, 31)).run()
    assert not at.exception
    commands = " ".join(c.value for c in at.caption)
    assert "--from 2022-08-29" in commands and "--vs-to 2021-03-31" in commands


def test_posts_page_sorts_by_the_word_after_the_term(app, story_store: Store):
    from dtrack.analysis.concordance import sort_kwic
    from dtrack.analysis.evidence import evidence

    at = app(page="posts")
    at.segmented_control(key="kw_sort").set_value("right1").run()
    assert not at.exception
    term = at.selectbox(key="kw_term").value
    posts = evidence(story_store.scan_posts(), story_store.scan_hits(), term, limit=200)
    expected = sort_kwic(posts, "right1", time_column="time")
    shown = table(at, "kw_table")
    assert list(shown["right"].str.replace("⏎", "\n")) == [
        r for r in (t[e:e + 40] + ("…" if len(t) > e + 40 else "")
                    for t, e in zip(expected.get_column("text").to_list(), expected.get_column("end").to_list(),
                                    strict=True))]
