"""`dtrack discover` end to end: real store, real fugashi; CSV/JSON columns, sidecar, usage errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dtrack.analysis.discovery import DISCOVERY_COLUMNS
from dtrack.cli.main import main
from dtrack.data.store import Store
from tests.analysis.story import burst_posts

WEEK = dt.date(2022, 8, 29)


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    store = Store(tmp_path / "store")
    with store.writer() as writer, writer.transaction() as txn:
        txn.add_posts(burst_posts("画像生成AIの無断学習はやめて #mimic"))
    return str(store.path)


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["discover", *args], catch_exceptions=False)


def test_csv_counts_first_and_says_so(store_path: str, tmp_path: Path) -> None:
    terms = tmp_path / "t.toml"
    terms.write_text('[[term]]\ncanonical = "無断転載"\ncategory = "rights"\n', encoding="utf-8")
    result = _run("--store", store_path, "--terms", str(terms), "--replace-terms", "--from", "2022-08-29")
    assert result.exit_code == 0, result.output
    assert "candidate words: counted 270 posts" in result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split(",")[: len(DISCOVERY_COLUMNS)] == list(DISCOVERY_COLUMNS)
    words = [line.split(",")[1] for line in lines]
    assert "無断学習" in words and "mimic" in words
    assert all(line.startswith("2022-08-29,") for line in lines)
    again = _run("--store", store_path, "--terms", str(terms), "--replace-terms")
    assert "candidate words" not in again.stderr  # counted once


def test_json_out_with_sidecar_and_known_words(store_path: str, tmp_path: Path) -> None:
    out = tmp_path / "rising.json"
    result = _run("--store", store_path, "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(rows, list) and list(rows[0])[: len(DISCOVERY_COLUMNS)] == list(DISCOVERY_COLUMNS)
    words = {r["word"] for r in rows}
    assert "無断学習" not in words and "mimic" not in words  # the default dictionary knows them
    assert "画像生成ai" not in words and "生成ai" in words  # a dictionary term; a part it does not list
    meta = json.loads(Path(str(out) + ".meta.json").read_text(encoding="utf-8"))
    assert meta["command"] == "discover" and meta["parameters"]["freq"] == "week"
    known = _run("--store", store_path, "--format", "json", "--include-known")
    assert {"無断学習", "mimic"} <= {r["word"] for r in json.loads(known.stdout)}
    row = next(r for r in json.loads(known.stdout) if r["word"] == "mimic")
    assert row["variants"] == ["#mimic"] and row["authors"] == 12 and len(row["example_post_ids"]) == 3


def test_stoplist_min_authors_and_usage_errors(store_path: str, tmp_path: Path) -> None:
    stop = tmp_path / "stop.txt"
    stop.write_text("# noise\n画像生成AI\n", encoding="utf-8")
    result = _run("--store", store_path, "--include-known", "--stoplist", str(stop), "--format", "json")
    assert "画像生成ai" not in {r["word"] for r in json.loads(result.stdout)}
    strict = _run("--store", store_path, "--include-known", "--min-authors", "13", "--format", "json")
    assert json.loads(strict.stdout) == []
    assert _run("--store", store_path, "--freq", "year").exit_code == 2
    assert _run("--store", store_path, "--replace-terms").exit_code == 2
    missing = _run("--store", store_path, "--stoplist", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "nope.txt" in missing.stderr
    backwards = _run("--store", store_path, "--from", "2022-09-01", "--to", "2022-08-01")
    assert backwards.exit_code == 2
