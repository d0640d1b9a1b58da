"""Rising words page: count on demand, per-period table with sparklines, KWIC, download = CLI, add to dictionary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from dtrack import main
from dtrack.dashboard import loaders
from dtrack.dashboard.downloads import result_download
from dtrack.dashboard.query import bind
from dtrack.dashboard.views.rising import spark_periods
from dtrack.data.store import Store
from dtrack.nlp.tagger import META_KEY, tag_store
from dtrack.nlp.terms import DEFAULT_TERMS
from dtrack.nlp.words import count_store
from tests.analysis.story import burst_posts
from tests.dashboard.conftest import open_app
from tests.dashboard.helpers import all_markdown, table

WEEK = dt.date(2022, 8, 29)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    with store.writer() as writer, writer.transaction() as txn:
        txn.add_posts(burst_posts("ＡＩの無断学習はやめて #お絵描きチャレンジ"))
    return store


def test_counts_on_demand_then_shows_the_rising_words(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    tag_store(store, workers=1)  # the shipped dictionary: 無断学習 has hits, お絵描きチャレンジ is unknown
    at = open_app(store.path, monkeypatch, page="rising")
    assert "not counted for 270 stored post(s)" in all_markdown(at)
    assert not store.meta("discovery")
    at.button(key="rw_count").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.meta("discovery")["posts"] == 270
    assert "Counted: candidate words: counted 270 posts" in all_markdown(at)
    shown = table(at, "rw_table")
    assert "お絵描きチャレンジ" in list(shown["word"])
    assert "無断学習" not in list(shown["word"])  # the shipped dictionary knows it
    row = shown[shown["word"] == "お絵描きチャレンジ"].iloc[0]
    assert list(row["trend"]) == [0] * 11 + [12]  # the sparkline: nothing for 11 weeks, then 12 posts
    assert list(row["variants"]) == ["#お絵描きチャレンジ"]
    assert at.selectbox(key="rw_period").value == WEEK.isoformat()

    at.selectbox(key="rw_word").set_value("お絵描きチャレンジ").run()
    posts = table(at, "rw_posts")
    assert len(posts) == 12 and set(posts["match"]) == {"お絵描きチャレンジ"}
    assert posts["time"].iloc[0].startswith("2022-08-29")
    assert "Not in the dictionary yet" in all_markdown(at)

    at.toggle(key="rw_known").set_value(True).run()
    assert "無断学習" in list(table(at, "rw_table")["word"])
    at.selectbox(key="rw_word").set_value("無断学習").run()
    match = table(at, "rw_posts")["match"]
    assert set(match) == {"無断学習"}
    at.button(key="rw_open").click().run()  # a dictionary term: it opens in the term timelines
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="tl_terms").value == ["無断学習"]


def test_download_is_what_dtrack_discover_writes(store: Store) -> None:
    count_store(store, workers=1)
    q = bind("discover", "Asia/Tokyo", top=5, include_known=True)
    result = loaders.analysis_result(str(store.path), store.version, q)
    frame = result.frame
    spec = result_download(result, str(store.path), q)
    result = CliRunner().invoke(main, [*spec.cli_args(), "--store", str(store.path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == spec.csv() and frame.height > 0
    assert spec.shell_command().startswith("dtrack discover --freq week --top 5 --min-authors 3 --min-score 10.83")
    assert "--include-known" in spec.shell_command()


def test_add_to_dictionary_writes_my_file_and_retags(store: Store, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    shipped = DEFAULT_TERMS.read_bytes()
    count_store(store, workers=1)
    at = open_app(store.path, monkeypatch, page="rising")
    at.selectbox(key="rw_word").set_value("お絵描きチャレンジ").run()
    mine = tmp_path / "mine.toml"
    at.text_input(key="rw_terms_file").set_value(str(mine)).run()
    at.multiselect(key="rw_variants").set_value(["お絵描きチャレンジ", "#お絵描きチャレンジ"]).run()
    at.button(key="rw_add").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert 'canonical = "お絵描きチャレンジ"' in mine.read_text(encoding="utf-8")
    assert DEFAULT_TERMS.read_bytes() == shipped
    state = store.meta(META_KEY)
    assert state["dictionary"]["name"] == str(mine)
    hits = store.scan_hits().filter(pl.col("term") == "お絵描きチャレンジ").collect()
    assert hits.height == 12
    assert "Added お絵描きチャレンジ" in all_markdown(at)
    # now a dictionary word: left out of the rising list, unless dictionary words are included
    assert "お絵描きチャレンジ" not in list(table(at, "rw_table")["word"])


def test_refuses_the_shipped_dictionary(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = DEFAULT_TERMS.read_bytes()
    count_store(store, workers=1)
    at = open_app(store.path, monkeypatch, page="rising")
    at.text_input(key="rw_terms_file").set_value(str(DEFAULT_TERMS)).run()
    at.button(key="rw_add").click().run()
    assert at.error and "shipped dictionary" in at.error[0].value
    assert DEFAULT_TERMS.read_bytes() == shipped


def test_spark_periods() -> None:
    assert spark_periods(dt.date(2022, 8, 29), "week", 3) == [dt.date(2022, 8, 15), dt.date(2022, 8, 22), WEEK]
    assert spark_periods(dt.date(2022, 3, 1), "month", 3) == [dt.date(2022, 1, 1), dt.date(2022, 2, 1),
                                                             dt.date(2022, 3, 1)]
    assert spark_periods(dt.date(2022, 3, 1), "day", 2) == [dt.date(2022, 2, 28), dt.date(2022, 3, 1)]
