"""`dtrack ingest` tagging, `dtrack tag`, `dtrack terms`, `dtrack kwic` through click's CliRunner.

Fixtures are ingested with the generic NDJSON collector into a store in tmp_path.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dtrack import main
from dtrack.data.store import Store
from dtrack.nlp.terms import load_terms

FIXTURES = Path(__file__).parent / "fixtures" / "tagging"
STORY_2021 = str(FIXTURES / "story_2021.ndjson")
STORY_2022 = str(FIXTURES / "story_2022.ndjson")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_ingest_tags_what_it_stored(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    res = run("ingest", STORY_2021, "--store", store)
    assert res.exit_code == 0, res.output
    assert "tagging: tagged 6 posts" in res.stderr and "3 hits" in res.stderr
    res = run("ingest", STORY_2022, "--store", store)
    assert "tagging: tagged 6 posts" in res.stderr  # only the new file's posts
    version = Store(store).version
    res = run("ingest", STORY_2022, "--store", store)  # already ingested: nothing to tag
    assert "tagging: up to date" in res.stderr
    assert Store(store).version == version
    status = json.loads(run("status", "--format", "json", "--store", store).output)
    assert status["hits"] == Store(store).scan_hits().collect().height > 10


def test_no_tag_then_tag(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    res = run("ingest", STORY_2021, STORY_2022, "--no-tag", "--store", store)
    assert res.exit_code == 0 and "tagging" not in res.stderr
    assert Store(store).scan_hits().collect().height == 0
    res = run("tag", "--store", store)
    assert res.exit_code == 0 and res.output.startswith("tagging: tagged 12 posts")
    again = run("tag", "--store", store, "--json")
    report = json.loads(again.output)
    assert report["posts_tagged"] == 0 and report["reason"] == "up to date"
    assert report["dictionary_hash"] == load_terms().hash


def test_tag_with_custom_terms(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    run("ingest", STORY_2021, STORY_2022, "--store", store)
    extra = tmp_path / "mine.toml"
    extra.write_text('[[term]]\ncanonical = "無断使用"\ncategory = "rights"\n', encoding="utf-8")
    res = run("tag", "--terms", str(extra), "--store", store)
    assert res.exit_code == 0 and "re-tagged all 12 posts" in res.output and "dictionary changed" in res.output
    res = run("terms", "--store", store, "--format", "json")  # the store remembers the merged dictionary
    listed = json.loads(res.output)
    used = next(t for t in listed["terms"] if t["canonical"] == "無断使用")
    assert used["hits"] == 1 and listed["note"] is None
    # ingest keeps using it: a new file does not re-tag with the default
    more = tmp_path / "more.ndjson"
    more.write_text('{"id": "9", "created_at": "2023-01-01T00:00:00Z", "text": "無断使用はだめ"}\n', encoding="utf-8")
    res = run("ingest", str(more), "--store", store)
    assert "tagging: tagged 1 posts" in res.stderr


def test_terms_lists_the_dictionary(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    run("ingest", STORY_2021, STORY_2022, "--store", store)
    res = run("terms", "--store", store)
    assert res.exit_code == 0
    line = next(li for li in res.output.splitlines() if li.startswith("無断学習 "))
    assert "無断学習塾" in line and "ムダンガクシュウ" in line
    assert line.split()[2:5] == ["6", "6", "5"]  # hits, posts, AI-context hits (#無断学習禁止 is one)
    assert "AI cue words: AI," in res.output
    data = json.loads(run("terms", "--format", "json").output)
    assert data["hash"] == load_terms().hash and {t["canonical"] for t in data["terms"]} >= {"mimic", "LAION"}


def test_kwic(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    run("ingest", STORY_2021, STORY_2022, "--store", store)
    res = run("kwic", "無断学習", "--store", store)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert len(lines) == 6 and "6 use(s) of 無断学習 (any context)" in res.stderr
    assert lines[0].startswith("2020-01-20 21:40  --") and "[無断⏎学習]" in lines[0]
    assert lines[0].endswith("https://twitter.com/teacher_k/status/1002")
    assert lines[1].startswith("2021-04-12 22:10  AI") and "[無断学習]させていた件" in lines[1]
    ai = run("kwic", "無断学習", "--context", "ai", "--limit", "2", "--store", store)
    assert len(ai.stdout.splitlines()) == 2 and all("  AI  " in li for li in ai.stdout.splitlines())
    assert "5 use(s)" in ai.stderr  # the #無断学習禁止 notice is AI context now
    utc = run("kwic", "mimic", "--tz", "UTC", "--format", "json", "--store", store)
    rows = [json.loads(li) for li in utc.stdout.splitlines()]
    assert [r["variant"] for r in rows] == ["mimic", "ミミック"]
    assert rows[0]["time"] == "2022-08-29 11:05"
    assert rows[0]["evidence"] == ["AI", "AIイラスト", "他人の絵", "学習", "学習させ"]  # cues, always-AI terms, context
    by_spelling = run("kwic", "ミミック", "--store", store)  # any spelling finds the term
    assert len(by_spelling.stdout.splitlines()) == 2


def test_errors_are_clear(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    res = run("kwic", "存在しない語", "--store", store)
    assert res.exit_code == 2 and "not a term of the dictionary" in res.stderr
    res = run("tag", "--replace-terms", "--store", store)
    assert res.exit_code == 2 and "--replace-terms needs --terms" in res.output
    bad = tmp_path / "bad.toml"
    bad.write_text("[[term]]\ncanonical = 'x'\ncategory = 'a'\nvariant = ['y']\n", encoding="utf-8")
    for command in ("tag", "terms"):
        res = run(command, "--terms", str(bad), "--store", store)
        assert res.exit_code == 2 and str(bad) in res.stderr and "term #1 (x)" in res.stderr
    res = run("kwic", "無断学習", "--store", store)
    assert res.exit_code == 0 and "not tagged yet" in res.stderr


def test_help_ends_with_an_example() -> None:
    for name in ("tag", "terms", "kwic"):
        res = run(name, "--help")
        assert res.exit_code == 0 and "Example:" in res.output and "dtrack " + name in res.output
