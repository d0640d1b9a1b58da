"""Exports: formula escaping, Excel BOM, JSON, and the provenance sidecar."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from analysis_cases import build_store, hit, post, utc

from dtrack.analysis.export import (
    BOM,
    csv_bytes,
    dictionary_hash,
    json_bytes,
    meta_path,
    sidecar,
    write_csv,
    write_json,
)
from dtrack.data.store import Store


def _read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+81 3", "'+81 3"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\n=1+1", "'\n=1+1"),
        (" =1+1", "' =1+1"),
        ("\u3000 @SUM(A1)", "'\u3000 @SUM(A1)"),
        ("＝1+1", "'＝1+1"),
        ("＋81", "'＋81"),
        ("－1", "'－1"),
        ("＠x", "'＠x"),
        ("a\n=1+1", "a\n=1+1"),  # a sign after text is not at the start of the cell
        ("  plain", "  plain"),
        ("無断学習=禁止", "無断学習=禁止"),  # only a leading sign matters
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_string_cells_that_would_run_as_formulas_are_escaped(cell: str, written: str) -> None:
    rows = _read(csv_bytes(pl.DataFrame({"text": [cell]})))
    assert rows == [["text"], [written]]


def test_numbers_stay_numbers_and_lists_dates_times_nulls_are_plain() -> None:
    tokyo = dt.datetime(2022, 8, 29, 1, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    df = pl.DataFrame(
        {
            "share_per_10k": [-12.5, None],
            "posts": [-3, 4],
            "period": [dt.date(2022, 8, 29), None],
            "time": [tokyo, None],
            "evidence": [["AI", "=x"], []],
            "author": ["-dash", None],
        }
    ).with_columns(pl.col("time").dt.convert_time_zone("Asia/Tokyo"))
    rows = _read(csv_bytes(df))
    assert rows[1] == ["-12.5", "-3", "2022-08-29", "2022-08-29T01:00:00+09:00", "AI|=x", "'-dash"]
    assert rows[2] == ["", "4", "", "", "", ""]
    back = pl.read_csv(csv_bytes(df.select("share_per_10k", "posts")))
    assert back.schema["share_per_10k"] == pl.Float64 and back.item(0, "share_per_10k") == -12.5


def test_excel_gets_a_bom_and_the_same_content() -> None:
    df = pl.DataFrame({"term": ["無断学習"], "posts": [3]})
    plain, excel = csv_bytes(df), csv_bytes(df, excel=True)
    assert excel == BOM + plain and not plain.startswith(BOM)
    assert plain == "term,posts\n無断学習,3\n".encode()


def test_json_has_iso_dates_and_no_nan() -> None:
    df = pl.DataFrame({"day": [dt.date(2022, 8, 29)], "ratio": [float("nan")], "p": [float("inf")], "n": [None]})
    assert json.loads(json_bytes(df)) == [{"day": "2022-08-29", "ratio": None, "p": None, "n": None}]


@pytest.fixture
def tagged(tmp_path: Path) -> Store:
    p = post("1", utc(2022, 8, 29), "無断学習")
    return build_store(tmp_path, [p], [hit(p, "無断学習")])


def test_sidecar_records_how_the_numbers_were_made(tagged: Store) -> None:
    meta = sidecar("timeline", {"terms": ["無断学習"], "from": dt.date(2022, 8, 1)}, tagged, rule="the rule",
                   tz="Asia/Tokyo")
    assert meta["command"] == "timeline" and meta["counting_rule"] == "the rule"
    assert meta["parameters"] == {"terms": ["無断学習"], "from": "2022-08-01"}
    assert meta["timezone"] == "Asia/Tokyo"
    assert meta["store_version"] == tagged.version
    assert meta["dictionary_hash"] == "test-dict"  # from the hits when the store's meta has none
    assert set(meta["versions"]) >= {"dtrack", "fugashi", "unidic_lite"}
    assert meta["versions"]["fugashi"] and meta["versions"]["unidic_lite"] == "1.0.8"
    assert dt.datetime.fromisoformat(meta["created_at"].replace("Z", "+00:00")).tzinfo is not None


def test_dictionary_hash_prefers_the_store_meta(tmp_path: Path) -> None:
    p = post("1", utc(2022, 8, 29), "無断学習")
    top = build_store(tmp_path / "a", [p], [hit(p, "無断学習")], meta={"dictionary_hash": "abc"})
    nested = build_store(tmp_path / "b", [p], [hit(p, "無断学習")], meta={"tagging": {"dictionary_hash": "def"}})
    assert dictionary_hash(top) == "abc" and dictionary_hash(nested) == "def"
    assert dictionary_hash(Store(tmp_path / "empty")) is None


def test_write_csv_writes_file_and_meta(tagged: Store, tmp_path: Path) -> None:
    df = pl.DataFrame({"term": ["=cmd"], "share_per_10k": [-1.0]})
    meta = sidecar("timeline", {}, tagged, rule="r", tz="UTC")
    out = tmp_path / "out" / "t.csv"
    side = write_csv(df, out, excel=True, meta=meta)
    assert side == meta_path(out) == tmp_path / "out" / "t.csv.meta.json"
    data = out.read_bytes()
    assert data == csv_bytes(df, excel=True)
    written = json.loads(side.read_text(encoding="utf-8"))
    assert written["sha256"] == hashlib.sha256(data).hexdigest()
    assert (written["file"], written["format"], written["rows"]) == ("t.csv", "csv", 1)
    assert {k: written[k] for k in meta} == json.loads(json.dumps(meta))
    write_json(df, tmp_path / "t.json", meta=meta)
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8")) == [{"term": "=cmd", "share_per_10k": -1.0}]
    assert json.loads(meta_path(tmp_path / "t.json").read_text(encoding="utf-8"))["format"] == "json"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["t.csv", "t.csv.meta.json"]  # no temp files
