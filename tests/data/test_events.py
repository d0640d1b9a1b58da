"""Events files: the shipped story events, user files, and clear errors for bad ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dtrack.data.events import DEFAULT_EVENTS, EVENT_SCHEMA, EventsFileError, load_events

FIXTURES = Path(__file__).parent / "fixtures" / "events"
D = dt.date


def test_shipped_events_cover_the_story_with_sources() -> None:
    events = load_events()
    assert dict(events.schema) == EVENT_SCHEMA
    by_label = {row["label"]: row for row in events.iter_rows(named=True)}

    def find(fragment: str) -> dict[str, object]:
        (row,) = [row for label, row in by_label.items() if fragment in label]
        return row

    expected = [
        ("LAION-400M released", D(2021, 8, 1), "month"),
        ("LAION-5B released", D(2022, 3, 1), "month"),
        ("Stable Diffusion released", D(2022, 8, 22), "day"),
        ("mimic (AI illustration service) releases its beta", D(2022, 8, 29), "day"),
        ("mimic suspends", D(2022, 8, 30), "day"),
        ("NovelAI Diffusion", D(2022, 10, 3), "day"),
        ("LoRA", D(2022, 12, 1), "month"),
        ("US class action", D(2023, 1, 1), "month"),
        ("Getty Images sues Stability AI", D(2023, 2, 1), "month"),
        ("CSAM in LAION-5B", D(2023, 12, 20), "day"),
    ]
    for fragment, day, precision in expected:
        row = find(fragment)
        assert (row["date"], row["precision"]) == (day, precision), fragment
    assert events.get_column("source").null_count() == 0  # every event says where it comes from
    assert events.get_column("kind").null_count() == 0
    assert DEFAULT_EVENTS.read_bytes().decode("utf-8").startswith("date,label,kind,source,url,note\n")


def test_user_files_with_optional_columns_bom_and_blank_lines() -> None:
    good = load_events(FIXTURES / "good.csv")
    assert good.rows() == [
        (D(2022, 8, 29), "mimic beta", "service", "ITmedia", "https://example.org/a", None, "day"),
        (D(2021, 8, 1), "LAION-400M", "dataset", "LAION blog", None, "month only", "month"),
    ]
    minimal = load_events(str(FIXTURES / "minimal.csv"))
    assert minimal.get_column("label").to_list() == ["Stable Diffusion", "NovelAI Diffusion"]
    assert minimal.get_column("kind").null_count() == 2
    bom = load_events(FIXTURES / "bom_extra_column.csv")
    assert bom.select("date", "label").row(0) == (D(2022, 8, 29), "with bom")
    assert bom.columns == list(EVENT_SCHEMA)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing_date_column.csv", "line 1: missing column date"),
        ("bad_date.csv", "line 3: date '29/08/2022' is not YYYY-MM-DD or YYYY-MM"),
        ("impossible_date.csv", "line 3: day is out of range for month"),
        ("empty_label.csv", "line 3: empty label"),
        ("wrong_field_count.csv", "line 2: 3 fields, the header has 2"),
        ("not_utf8.csv", "not UTF-8"),
        ("empty.csv", "empty file"),
        ("no_such_file.csv", "no such events file"),
    ],
)
def test_bad_files_name_the_file_and_line(name: str, message: str) -> None:
    path = FIXTURES / name
    with pytest.raises(EventsFileError) as caught:
        load_events(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_events_frame_is_usable_as_is() -> None:
    events = load_events()
    assert events.filter(pl.col("date") >= D(2022, 8, 22)).height >= 10
