"""collectors/misskey.py on notes exports written in Misskey's own shape."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dtrack.collectors import detect
from dtrack.collectors.formats.misskey import is_pure_renote
from dtrack.data.store import Store

FIX = Path(__file__).parents[1] / "fixtures" / "misskey"
NOTES = FIX / "notes-2022-09-01-10-00-00.json"


def rows(store: Store) -> dict[str, dict]:
    return {r["post_id"]: r for r in store.scan_posts().collect().iter_rows(named=True)}


@pytest.mark.parametrize(
    ("note", "pure"),
    [
        ({"renoteId": "a", "text": None, "cw": None, "fileIds": [], "poll": None}, True),
        ({"renoteId": "a", "text": "quote", "cw": None, "fileIds": [], "poll": None}, False),
        ({"renoteId": "a", "text": None, "cw": "cw", "fileIds": [], "poll": None}, False),
        ({"renoteId": "a", "text": None, "cw": None, "fileIds": ["f"], "poll": None}, False),
        ({"renoteId": None, "text": None, "cw": None, "fileIds": [], "poll": {"choices": []}}, False),
    ],
)
def test_pure_renote_is_misskeys_definition(note: dict, pure: bool) -> None:
    assert is_pure_renote(note) is pure


def test_detects_by_content(tmp_path: Path) -> None:
    for path in FIX.glob("*.json"):
        assert detect(path) == "misskey", path
    renamed = tmp_path / "export"
    shutil.copy(NOTES, renamed)
    assert detect(renamed) == "misskey"


def test_does_not_steal_other_json(tmp_path: Path) -> None:
    lines = tmp_path / "notes.json"
    lines.write_text('{"id": "9abc", "text": "hi", "createdAt": "2022-08-29T00:00:00Z", "renoteId": null}\n')
    assert detect(lines) == "ndjson"
    array = tmp_path / "posts.json"
    array.write_text(json.dumps([{"id": "1", "text": "hi", "created_at": "2022-08-29"}]))
    assert detect(array) != "misskey"


# The export holds 8 notes: 1 pure renote (text null) -> 1 repost; 2 quotes (one with only a cw).
def test_notes_export(ingest, store: Store) -> None:
    report = ingest(store, NOTES)
    assert (report.status, report.format, report.new, report.quarantined) == ("ok", "misskey", 8, 0)
    got = rows(store)
    assert sum(r["is_repost"] for r in got.values()) == 1
    renote = got["9abc0004xy"]
    assert renote["is_repost"] and renote["repost_of"] == "9zzz0000aa" and renote["text"] is None
    quote = got["9abc0005xy"]
    assert not quote["is_repost"] and quote["quote_of"] == "9zzz0000bb" and quote["text"] == "これは引用 🎨"
    cw_only = got["9abc0007xy"]
    assert not cw_only["is_repost"] and cw_only["quote_of"] == "9zzz0000dd"
    assert json.loads(cw_only["extra"]) == {"visibility": "public", "cw": "引用CWのみ"}
    assert json.loads(got["9abc0001xy"]["extra"]) == {"visibility": "home", "cw": "AIの話"}
    assert json.loads(got["9abc0008xy"]["extra"]) == {"visibility": "followers", "local_only": True}
    assert json.loads(got["9abc0003xy"]["extra"]) == {"visibility": "public", "files": 1}
    assert got["9abc0006xy"]["reply_to"] == "9zzz0000cc"
    # Misskey text is MFM, not HTML: what the user typed is kept as typed
    assert got["9abc0003xy"]["text"] == "無断学習禁止の画像を作りました &amp; 配布します"
    assert {r["platform"] for r in got.values()} == {"misskey"}
    assert {r["author_id"] for r in got.values()} == {None}
    assert got["9abc0001xy"]["created_at"].isoformat() == "2022-08-23T00:30:00+00:00"
    assert got["9abc0009xy"]["source_line"] == 8


def test_escaped_emoji_and_unpaired_surrogate(ingest, store: Store) -> None:
    report = ingest(store, FIX / "surrogates.json")
    assert (report.new, report.quarantined) == (2, 0)
    got = rows(store)
    assert got["9abc0005xy"]["text"] == "これは引用 🎨"
    assert got["9abc0006xy"]["text"] == "@artist_a \ufffd わかる"


def test_cut_export_keeps_the_notes_before_the_cut(ingest, store: Store) -> None:
    report = ingest(store, FIX / "truncated.json")
    assert (report.status, report.new, report.quarantined) == ("ok", 4, 1)
    q = store.scan_quarantine().collect().row(0, named=True)
    assert q["source_line"] == 5 and "the file ends inside item 5" in q["reason"]


def test_bad_notes_are_quarantined(ingest, store: Store) -> None:
    report = ingest(store, FIX / "bad-notes.json")
    assert (report.new, report.quarantined) == (2, 3)
    got = rows(store)
    assert sorted(got) == ["12345678901234567", "9abc0003xy"]  # an integer id is kept exactly
    reasons = dict(store.scan_quarantine().select("source_line", "reason").collect().iter_rows())
    assert "has no usable id" in reasons[2]
    assert "not a note object" in reasons[3]
    assert "created_at missing or unreadable: 'いつか'" in reasons[4]
