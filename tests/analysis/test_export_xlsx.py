"""Excel exports survive a spreadsheet: ids stay the exact strings, times are dates, provenance on sheet 2;
files written with --out get the user's umask permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

from dtrack import main
from dtrack.analysis.export import xlsx_bytes
from dtrack.data.store import Store


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_ids_formulas_long_integers_times_and_lists_keep_their_meaning() -> None:
    frame = pl.DataFrame({
        "post_id": ["1300000000000702000", "0042"],
        "text": ["=1+1", "@user"],
        "big": [1300000000000702000, 7],
        "time": [dt.datetime(2022, 8, 28, 16, 0, tzinfo=dt.UTC), dt.datetime(2022, 8, 29, 3, 0, tzinfo=dt.UTC)],
        "day": [dt.date(2022, 8, 29), None],
        "evidence": [["AI", "学習"], []],
        "share": [1 / 3, None],
    }).with_columns(pl.col("time").dt.convert_time_zone("Asia/Tokyo"))
    book = _book(xlsx_bytes(frame, {"command": "posts", "parameters": {"term": "無断学習", "platforms": ["x"]}}))
    rows = list(book["data"].iter_rows(values_only=True))
    assert rows[0] == ("post_id", "text", "big", "time", "day", "evidence", "share")
    assert rows[1][0] == "1300000000000702000" and rows[2][0] == "0042"  # text, not 1.30000000000702E+18 / 42
    assert rows[1][1] == "=1+1" and book["data"]["B2"].data_type == "s"  # a string, never a formula
    assert rows[1][2] == "1300000000000702000"  # beyond 2**53: text, exact
    assert rows[1][3] == dt.datetime(2022, 8, 29, 1, 0)  # Tokyo wall-clock time, a real date
    assert rows[1][4] == dt.datetime(2022, 8, 29) and rows[2][4] is None
    assert rows[1][5] == "AI|学習" and rows[1][6] == pytest.approx(1 / 3, abs=1e-15)
    provenance = dict(book["provenance"].iter_rows(values_only=True))
    assert provenance == {"command": "posts", "parameters.term": "無断学習", "parameters.platforms": "x"}


@pytest.fixture(scope="module")
def tweet_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The dashboard's story corpus: tweets with 19-digit ids, tagged by the real tagger."""
    from tests.dashboard.story import build_story_store

    return build_story_store(tmp_path_factory.mktemp("tweets") / "store")


def test_cli_out_xlsx_reads_back_the_exact_ids(tweet_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "posts.xlsx"
    runner = CliRunner()
    result = runner.invoke(main, ["posts", "無断学習", "--store", str(tweet_store.path), "--out", str(out)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    printed = runner.invoke(main, ["posts", "無断学習", "--store", str(tweet_store.path)], catch_exceptions=False)
    expected = list(csv.DictReader(io.StringIO(printed.stdout_bytes.decode())))
    book = openpyxl.load_workbook(out)
    header, *rows = list(book["data"].iter_rows(values_only=True))
    ids = [row[header.index("post_id")] for row in rows]
    assert ids == [r["post_id"] for r in expected] and all(isinstance(i, str) for i in ids)
    assert any(len(i) >= 19 for i in ids)  # the story has tweet-sized ids
    assert all(isinstance(row[header.index("time")], dt.datetime) for row in rows)
    provenance = dict(book["provenance"].iter_rows(values_only=True))
    assert provenance["command"] == "posts" and provenance["parameters.term"] == "無断学習"
    meta = json.loads((tmp_path / "posts.xlsx.meta.json").read_text())
    assert meta["format"] == "xlsx" and meta["rows"] == len(rows) == len(expected)


@pytest.mark.parametrize("name", ["timeline.csv", "timeline.xlsx"])
def test_out_files_get_the_users_umask_permissions(story_store: Store, tmp_path: Path, name: str) -> None:
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["timeline", "無断学習", "--store", str(story_store.path),
                                           "--out", str(tmp_path / name)], catch_exceptions=False)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    for path in (tmp_path / name, tmp_path / f"{name}.meta.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path  # readable by colleagues, as `touch` would make it
