"""KWIC sort by the words around the term (analysis.concordance), and `dtrack kwic --sort`."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from dtrack import main
from dtrack.analysis.concordance import context_words, sort_kwic

TEXTS = [  # (time, text): the term 無断学習 is located by str.find
    (1, "AIに無断学習された"),
    (2, "#無断学習禁止 を書いた"),
    (3, "「無断学習」って何"),
    (4, "絵を無断学習された"),
    (5, "無断学習禁止です"),
    (6, "無断学習"),
]


def _frame() -> pl.DataFrame:
    return pl.DataFrame({"time": [t for t, _ in TEXTS], "text": [s for _, s in TEXTS],
                         "start": [s.find("無断学習") for _, s in TEXTS],
                         "end": [s.find("無断学習") + 4 for _, s in TEXTS]})


def test_context_words_skip_punctuation() -> None:
    assert context_words("「無断学習」って何", 1, 5) == ([], ["って", "何"])
    assert context_words("AIに無断学習された", 3, 7) == (["に", "AI"], ["さ", "れ"])
    assert context_words("無断学習", 0, 4) == ([], [])


def test_sort_right1_groups_patterns_commonest_first() -> None:
    out = sort_kwic(_frame(), "right1")
    # 禁止 (2 posts) and さ (2) before って (1); equal counts by word; ties by right2, then date; no word last
    assert out.get_column("right1").to_list() == ["さ", "さ", "禁止", "禁止", "って", None]
    assert out.get_column("time").to_list() == [1, 4, 5, 2, 3, 6]  # 禁止です before 禁止を (right2)


def test_sort_left1_and_date() -> None:
    out = sort_kwic(_frame(), "left1")
    assert out.get_column("left1").to_list()[:2] == ["に", "を"]  # one each: by word
    assert out.get_column("left1").to_list()[2:] == [None] * 4
    assert sort_kwic(_frame(), "date").get_column("time").to_list() == [1, 2, 3, 4, 5, 6]
    with pytest.raises(ValueError, match="sort must be one of"):
        sort_kwic(_frame(), "left3")


def test_cli_kwic_sort(tmp_path: Path) -> None:
    posts = tmp_path / "posts.ndjson"
    with open(posts, "w", encoding="utf-8") as fh:
        for i, (_, text) in enumerate(TEXTS):
            fh.write(json.dumps({"platform": "x", "post_id": str(i), "created_at": f"2022-09-0{i + 1}T00:00:00Z",
                                 "author_id": "a", "text": text}, ensure_ascii=False) + "\n")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(posts), "--store", store]).exit_code == 0
    res = runner.invoke(main, ["kwic", "無断学習", "--sort", "right1", "--format", "json", "--store", store])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["right1"] for r in rows] == ["さ", "さ", "禁止", "禁止", "って", None]
    text = runner.invoke(main, ["kwic", "無断学習", "--sort", "right1", "--limit", "2", "--store", store])
    assert len(text.stdout.splitlines()) == 2 and all("[無断学習]さ" in li for li in text.stdout.splitlines())
    bad = runner.invoke(main, ["kwic", "無断学習", "--sort", "right3", "--store", store])
    assert bad.exit_code == 2
