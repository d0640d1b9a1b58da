"""Discovery on the 無断学習 story (real ingest, real fugashi) and G² against scipy on tiny tables."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import polars as pl
import pytest
from scipy.stats import chi2_contingency
from story import (
    HASHTAG_START,
    NEW_HASHTAG,
    SPAM_WEEK,
    SPAM_WORD,
    STEADY_WORD,
    TAKEOFF,
    Story,
    generate_discovery_story,
)

from dtrack.analysis.discovery import (
    DISCOVERY_COLUMNS,
    EXTRA_COLUMNS,
    discover,
    discover_frames,
    g2,
    known_forms,
)
from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.data.store import Store
from dtrack.nlp.terms import TermDictionary, load_terms_text

#: A dictionary that does not know 無断学習 (the researcher of August 2022).
AUGUST_2022_TERMS = """
[[term]]
canonical = "無断転載"
category = "rights"
"""


@pytest.fixture(scope="module")
def discovery_story() -> Story:
    return generate_discovery_story()


@pytest.fixture(scope="module")
def store(discovery_story: Story, tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("discovery")
    store = Store(path / "store")
    with store.writer(purpose="story") as writer:
        report = ingest_source(writer, discovery_story.write_ndjson(path / "story.ndjson"))
        assert report.status == "ok" and report.quarantined == 0
    return store


@pytest.fixture(scope="module")
def terms() -> TermDictionary:
    return load_terms_text(AUGUST_2022_TERMS, replace=True)


@pytest.fixture(scope="module")
def weekly(store: Store, terms: TermDictionary) -> pl.DataFrame:
    notes: list[str] = []
    table = discover(store, terms=terms, notes=notes, workers=1)
    assert notes and notes[0].startswith("candidate words: counted"), notes  # computed on first use, and says so
    return table


def _top(table: pl.DataFrame, week: dt.date, n: int) -> list[str]:
    return table.filter(pl.col("period") == week).head(n).get_column("word").to_list()


def test_columns_are_the_contract(weekly: pl.DataFrame) -> None:
    assert tuple(weekly.columns) == DISCOVERY_COLUMNS + EXTRA_COLUMNS
    assert weekly.get_column("period").dt.weekday().unique().to_list() == [1]  # weeks start on Monday


def test_mudan_gakushu_rises_in_the_week_of_mimic_and_not_before(weekly: pl.DataFrame) -> None:
    top5 = _top(weekly, TAKEOFF, 5)
    assert any("無断学習" in word for word in top5), top5
    weeks_before = weekly.filter(pl.col("period") < dt.date(2022, 8, 22))
    for (week,), group in weeks_before.partition_by("period", as_dict=True).items():
        top20 = group.head(20).get_column("word").to_list()
        assert not any("無断学習" in word for word in top20), (week, top20)


def test_every_row_is_a_significant_rise_with_enough_authors(weekly: pl.DataFrame) -> None:
    assert (weekly.get_column("score") >= 10.83).all()
    assert (weekly.get_column("authors") >= 3).all()
    assert (weekly.get_column("posts") >= weekly.get_column("authors")).all()
    assert weekly.group_by("period").len().get_column("len").max() <= 20
    row = weekly.filter((pl.col("period") == TAKEOFF) & (pl.col("word") == "無断学習")).row(0, named=True)
    assert row["score"] == pytest.approx(g2(row["posts"], row["baseline_posts"], row["period_posts"],
                                            row["baseline_total"]))
    assert row["first_seen"] == dt.date(2020, 2, 10) and row["new"] is False
    assert "無断学習禁止" in row["longer_forms"]


def test_longer_form_is_reported_on_its_own_row(weekly: pl.DataFrame) -> None:
    words = set(weekly.filter(pl.col("period") == TAKEOFF).get_column("word"))
    assert {"無断学習", "無断学習禁止"} <= words


def test_steady_word_never_rises(weekly: pl.DataFrame, store: Store, terms: TermDictionary) -> None:
    assert STEADY_WORD not in set(weekly.get_column("word"))
    # it is a candidate, used every week by many accounts: only the rule keeps it out
    counted = store.scan_words().filter(pl.col("word") == STEADY_WORD).collect()
    assert counted.height > 5000 and counted.get_column("author").n_unique() > 1000


def test_one_account_spam_is_filtered_by_authors(store: Store, weekly: pl.DataFrame, terms: TermDictionary) -> None:
    assert SPAM_WORD not in set(weekly.get_column("word"))
    lax = discover(store, terms=terms, min_authors=1, start=SPAM_WEEK, end=SPAM_WEEK)
    spam = lax.filter(pl.col("word") == SPAM_WORD)
    assert spam.height == 1 and spam.item(0, "authors") == 1 and spam.item(0, "posts") == 150


def test_new_hashtag_tops_its_first_week(weekly: pl.DataFrame) -> None:
    row = weekly.filter(pl.col("period") == HASHTAG_START).row(0, named=True)
    assert row["word"] in {NEW_HASHTAG, "お絵描き", "絵描きチャレンジ", "チャレンジ"}  # tied: same posts
    tag = weekly.filter((pl.col("period") == HASHTAG_START) & (pl.col("word") == NEW_HASHTAG)).row(0, named=True)
    assert tag["new"] is True and tag["first_seen"] == HASHTAG_START and tag["baseline_posts"] == 0
    assert tag["variants"] == ["#" + NEW_HASHTAG]
    assert tag["score"] == row["score"]


def test_examples_drill_down_to_posts_with_the_word(weekly: pl.DataFrame, store: Store) -> None:
    row = weekly.filter((pl.col("period") == TAKEOFF) & (pl.col("word") == "mimic")).row(0, named=True)
    assert len(row["example_post_ids"]) == 3
    posts = store.scan_posts().filter(pl.col("post_id").is_in(row["example_post_ids"])).collect()
    assert posts.height == 3
    assert posts.get_column("text").str.to_lowercase().str.contains("mimic").all()
    assert not posts.get_column("is_repost").any()
    local = posts.get_column("created_at").dt.convert_time_zone("Asia/Tokyo").dt.date()
    assert local.min() >= TAKEOFF and local.max() < TAKEOFF + dt.timedelta(days=7)


def test_dictionary_words_are_left_out_unless_include_known(store: Store) -> None:
    default = load_terms_text(None)  # knows 無断学習 and mimic
    assert {"無断学習", "mimic"} <= known_forms(default)
    known_out = discover(store, terms=default, start=TAKEOFF, end=TAKEOFF)
    assert not {"無断学習", "mimic", "ムダンガクシュウ"} & set(known_out.get_column("word"))
    assert "無断学習禁止" in set(known_out.get_column("word"))  # a new compound holding a known word stays
    known_in = discover(store, terms=default, include_known=True, start=TAKEOFF, end=TAKEOFF)
    assert {"無断学習", "mimic"} <= set(known_in.get_column("word"))


def test_stoplist_and_date_range(store: Store, terms: TermDictionary) -> None:
    table = discover(store, terms=terms, stoplist={"無断学習", "ai"}, start=TAKEOFF, end=TAKEOFF, top=5)
    assert table.get_column("period").unique().to_list() == [TAKEOFF]
    assert not {"無断学習", "ai"} & set(table.get_column("word"))
    assert table.height == 5


def test_day_and_month(store: Store, terms: TermDictionary) -> None:
    daily = discover(store, terms=terms, freq="day", start=TAKEOFF, end=TAKEOFF)
    assert "mimic" in _top(daily, TAKEOFF, 5)
    monthly = discover(store, terms=terms, freq="month", start=dt.date(2022, 8, 1), end=dt.date(2022, 9, 30))
    assert set(monthly.get_column("period")) <= {dt.date(2022, 8, 1), dt.date(2022, 9, 1)}
    assert "無断学習" in _top(monthly, dt.date(2022, 8, 1), 5)


def test_reposts_count_only_when_asked(store: Store, terms: TermDictionary) -> None:
    plain = discover(store, terms=terms, start=TAKEOFF, end=TAKEOFF, top=100)
    with_rt = discover(store, terms=terms, start=TAKEOFF, end=TAKEOFF, top=100, include_reposts=True)
    a = plain.filter(pl.col("word") == "無断学習").item(0, "posts")
    b = with_rt.filter(pl.col("word") == "無断学習").item(0, "posts")
    assert b > a


def test_bad_parameters_raise() -> None:
    empty = pl.LazyFrame()
    for kwargs in ({"freq": "year"}, {"top": 0}, {"min_authors": 0}, {"tz": "Mars/Base"}, {"baseline": 0}):
        with pytest.raises(ValueError):
            discover_frames(empty, empty, **kwargs)  # type: ignore[arg-type]


# -- the statistic ------------------------------------------------------------
TABLES = [(10, 2, 100, 400), (3, 0, 50, 500), (1, 40, 1000, 8000), (900, 6, 12000, 90000), (5, 5, 100, 100)]


@pytest.mark.parametrize(("a", "b", "n1", "n2"), TABLES)
def test_g2_matches_scipy(a: int, b: int, n1: int, n2: int) -> None:
    table = [[a, n1 - a], [b, n2 - b]]
    reference, _, _, _ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    sign = 1 if a / n1 >= b / n2 else -1
    assert g2(a, b, n1, n2) == pytest.approx(sign * reference, rel=1e-9, abs=1e-9)


def test_g2_by_hand() -> None:
    # docs/discovery.md's worked example: 12 of 300 posts this week, 4 of 2,400 in the 8 weeks before
    a, b, n1, n2 = 12, 4, 300, 2400
    n, w = n1 + n2, a + b
    cells = [(a, n1 * w / n), (b, n2 * w / n), (n1 - a, n1 * (n - w) / n), (n2 - b, n2 * (n - w) / n)]
    by_hand = 2 * sum(o * math.log(o / e) for o, e in cells)
    assert g2(a, b, n1, n2) == pytest.approx(by_hand)
    assert g2(a, b, n1, n2) == pytest.approx(36.08, abs=0.01)
    assert g2(b, a, n2, n1) == pytest.approx(-g2(a, b, n1, n2))  # falling is negative


def test_hand_counted_frames() -> None:
    """Two weeks, one word: every figure counted by hand."""
    utc = dt.UTC
    monday = dt.date(2022, 8, 29)
    words = []
    posts = []
    pid = 0

    def add(day: dt.date, author: str, word: str | None, repost: bool = False) -> None:
        nonlocal pid
        pid += 1
        at = dt.datetime.combine(day, dt.time(3), utc)
        posts.append({"platform": "x", "post_id": str(pid), "created_at": at, "author_id": author,
                      "author_name": None, "is_repost": repost})
        if word:
            words.append({"platform": "x", "post_id": str(pid), "created_at": at, "author": author,
                          "is_repost": repost, "word": word, "hashtag": False})

    before = monday - dt.timedelta(days=7)
    for i in range(20):
        add(before, f"b{i}", "ねこ" if i < 2 else None)
    for i in range(10):
        add(monday, f"m{i % 4}", "ねこ" if i < 6 else None)
    add(monday, "r", "ねこ", repost=True)  # a repost: not counted
    table = discover_frames(pl.LazyFrame(words), pl.LazyFrame(posts), min_score=0, min_ratio=1, baseline=1)
    row = table.row(0, named=True)
    assert (row["period"], row["word"], row["posts"], row["authors"], row["baseline_posts"]) == (
        monday, "ねこ", 6, 4, 2)
    assert (row["period_posts"], row["baseline_total"]) == (10, 20)
    assert row["score"] == pytest.approx(g2(6, 2, 10, 20))
    assert row["example_post_ids"] == ["21", "22", "23"]
    assert row["first_seen"] == before and row["new"] is False
    assert table.height == 1  # the first week has no baseline: nothing to rise against


@pytest.mark.parametrize("tz", ["Asia/Tokyo", "UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"])
def test_local_days_by_fixed_offset_equal_the_timezone_database(tz: str) -> None:
    from dtrack.analysis.counting import local_day
    from dtrack.analysis.discovery import _day_expr

    times = [dt.datetime(2022, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=37 * i) for i in range(0, 30_000, 7)]
    for span in (times, times[:50]):  # a span crossing DST changes, and a short one that does not
        rows = pl.LazyFrame({"created_at": span}, schema={"created_at": pl.Datetime("us", "UTC")})
        fast = rows.select(day=_day_expr(tz, rows)).collect()
        exact = rows.select(day=local_day(tz)).collect()
        assert fast.equals(exact), tz


def test_api_method_returns_the_cli_table(store: Store, weekly: pl.DataFrame, tmp_path: Path) -> None:
    from click.testing import CliRunner

    import dtrack
    from dtrack.analysis.export import csv_bytes

    terms = tmp_path / "august2022.toml"
    terms.write_text(AUGUST_2022_TERMS, encoding="utf-8")
    s = dtrack.open_store(store.path)
    frame = s.discover(start="2022-08-22", end="2022-09-04", top=5, terms_file=str(terms), replace_terms=True)
    assert frame.columns == weekly.columns and frame.height == 10
    cli = CliRunner().invoke(dtrack.main, ["discover", "--from", "2022-08-22", "--to", "2022-09-04", "--top", "5",
                                           "--terms", str(terms), "--replace-terms", "--store", str(store.path)],
                             catch_exceptions=False)
    assert cli.exit_code == 0, cli.stderr
    assert cli.stdout_bytes == csv_bytes(frame)


def test_declared_defaults_are_the_modules() -> None:
    from dtrack.analysis import discovery
    from dtrack.analysis.queries import ANALYSES

    declared = ANALYSES["discover"]
    assert declared.param("top").default == discovery.DEFAULT_TOP
    assert declared.param("min_authors").default == discovery.DEFAULT_MIN_AUTHORS
    assert declared.param("min_score").default == discovery.DEFAULT_MIN_SCORE
    assert declared.param("min_ratio").default == discovery.DEFAULT_MIN_RATIO
