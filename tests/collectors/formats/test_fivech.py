"""5ch .dat collector on the CP932 fixtures written by fixtures/fivech/make_fixtures.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtrack.collectors import detect
from dtrack.collectors.formats import fivech
from dtrack.collectors.records import Notice, ParseContext, Quarantine

FIXTURES = Path(__file__).parents[1] / "fixtures" / "fivech"
NEWS = FIXTURES / "hayabusa9.5ch.net" / "news" / "dat" / "1661740000.dat"
UTC = dt.UTC


def by_id(posts) -> dict[str, dict]:
    return {row["post_id"]: row for row in posts.iter_rows(named=True)}


@pytest.mark.parametrize("path", [NEWS, FIXTURES / "1661750000.dat", FIXTURES / "925000000.dat",
                                  FIXTURES / "utf8" / "1661760000.dat"])
def test_detected_as_5ch(path):
    assert detect(path) == "5ch"


def test_csv_is_not_5ch(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,text,date\n1,hi,2022/08/29\n")
    assert not fivech.sniff(path, path.read_bytes())


def test_thread_counts_notices_and_quarantine(ingest, store):
    report = ingest(store, NEWS)
    posts = store.scan_posts().collect()
    assert report.format == "5ch" and report.status == "ok"
    assert sorted(posts["post_id"]) == [f"news/1661740000/{n}" for n in (1, 2, 4, 5, 7)]
    assert report.notices == 2  # res 3 あぼーん, res 8 Over 1000
    assert any("res 3 is あぼーん" in m for m in report.notice_messages)
    quarantine = store.scan_quarantine().collect()
    assert quarantine["source_line"].to_list() == [6]
    assert "unreadable date" in quarantine["reason"][0]


def test_first_post(ingest, store):
    _ = ingest(store, NEWS)
    posts = store.scan_posts().collect()
    first = by_id(posts)["news/1661740000/1"]
    assert first["created_at"] == dt.datetime(2022, 8, 29, 3, 34, 56, 780000, tzinfo=UTC)  # 12:34:56.78 JST
    assert first["text"] == "無断学習禁止って書いとけばいいの？\n①と㈱ & <b>"  # CP932-only ① ㈱, entities
    assert first["author_id"] == "AbCd0123@2022-08-29" and first["author_name"] == "名無しさん"
    assert first["url"] == "https://hayabusa9.5ch.net/test/read.cgi/news/1661740000/1"
    assert first["platform"] == "5ch" and first["lang"] == "ja" and first["source_line"] == 1
    extra = json.loads(first["extra"])
    assert extra == {"thread": "1661740000", "res": 1, "thread_title": "【悲報】mimic、炎上 ★2", "mail": "sage"}


def test_emoji_references_anchors_trips_and_ids(ingest, store):
    _ = ingest(store, NEWS)
    posts = store.scan_posts().collect()
    rows = by_id(posts)
    second = rows["news/1661740000/2"]
    assert second["text"] == ">>1 絵文字 😀 とペア 😀 だよ"  # &#128512; and the surrogate pair &#55357;&#56832;
    assert second["reply_to"] == "news/1661740000/1"
    assert rows["news/1661740000/4"]["text"] == ">>3 消えてる\n\n二行空き"
    assert rows["news/1661740000/4"]["reply_to"] == "news/1661740000/3"  # the あぼーん res keeps its number
    fifth = rows["news/1661740000/5"]
    assert fifth["author_name"] == "職人 ◆Trip1234" and fifth["author_id"] is None  # ID:???
    assert fifth["text"] == ">>1 日付が変わった" and fifth["reply_to"] == "news/1661740000/1"  # anchor inside <a>
    seventh = rows["news/1661740000/7"]
    # 01:00 JST on the 30th is the 29th in UTC: the ID's day is the Japanese one
    assert seventh["created_at"] == dt.datetime(2022, 8, 29, 16, 0, tzinfo=UTC)
    assert seventh["author_id"] == "QwEr4567@2022-08-30"
    assert json.loads(seventh["extra"])["aborn"] is True
    assert json.loads(seventh["extra"])["be"] == "123456789-2BP(1000)"


def test_thread_outside_a_board_layout_with_crlf_and_a_bad_byte(ingest, store):
    report = ingest(store, FIXTURES / "1661750000.dat")
    posts = store.scan_posts().collect()
    assert report.quarantined == 0
    rows = by_id(posts)
    assert set(rows) == {"1661750000/1", "1661750000/2"}
    assert rows["1661750000/1"]["url"] is None and rows["1661750000/1"]["text"] == "ボード不明のスレ"
    broken = rows["1661750000/2"]
    assert "\ufffd" in broken["text"] and json.loads(broken["extra"])["undecodable_bytes"] is True


def test_early_2ch_two_digit_years(ingest, store):
    _ = ingest(store, FIXTURES / "925000000.dat")
    posts = store.scan_posts().collect()
    first = by_id(posts)["925000000/1"]
    assert first["created_at"] == dt.datetime(1999, 5, 30, 3, 34, tzinfo=UTC)
    assert first["author_id"] is None


def test_utf8_mirror(ingest, store):
    _ = ingest(store, FIXTURES / "utf8" / "1661760000.dat")
    posts = store.scan_posts().collect()
    assert posts["text"].to_list() == ["UTF-8 のミラー 🎨"]


def test_utf8_mirror_with_one_damaged_line_stays_utf8(ingest, store, tmp_path):
    path = tmp_path / "1661760001.dat"
    path.write_bytes(b"\n".join([
        "名無しさん<><>2022/09/01(木) 10:00:00.00 ID:a<> ミラー 🎨 <>スレ".encode(),
        "名無しさん<><>2022/09/01(木) 10:00:01.00 ID:b<> 壊れ".encode() + b"\xff <>",
        "名無しさん<><>2022/09/01(木) 10:00:02.00 ID:c<> 次 <>".encode(),
    ]) + b"\n")
    _ = ingest(store, path)
    posts = store.scan_posts().collect()
    assert posts.sort("source_line")["text"].to_list() == ["ミラー 🎨", "壊れ\ufffd", "次"]


def test_dates_are_read_in_ctx_tz(ingest, store):
    _ = ingest(store, NEWS, ctx=ParseContext(tz=ZoneInfo("UTC")))
    posts = store.scan_posts().collect()
    assert by_id(posts)["news/1661740000/1"]["created_at"] == dt.datetime(2022, 8, 29, 12, 34, 56, 780000,
                                                                            tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("&#128512;", "😀"),
        ("&#55357;&#56832;", "😀"),
        ("&#xD83D;&#xDE00;", "😀"),
        ("&#x1F600;", "😀"),
        ("&amp;gt;", "&gt;"),
        ("&#55357;x", "\ufffd" + "x"),  # a lone high surrogate cannot be a character
    ],
)
def test_unescape(raw, text):
    assert fivech.unescape(raw) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=80), min_size=1, max_size=5), st.booleans())
def test_arbitrary_lines_never_crash(tmp_path_factory, lines, with_date):
    head = "名無し<><>2022/08/29(月) 12:00:00.00 ID:x<> ok <>t\n".encode("cp932") if with_date else b""
    path = tmp_path_factory.mktemp("dat") / "1661740000.dat"
    path.write_bytes(head + b"\n".join(lines))
    out = list(fivech.parse(path, ParseContext()))
    assert all(isinstance(r, dict | Notice | Quarantine) for r in out)
    assert len(out) <= len(path.read_bytes().split(b"\n"))


def test_a_line_with_an_impossible_date_is_quarantined_and_the_thread_kept(ingest, store, tmp_path):
    """0001/01/01 in Tokyo is year 0 in UTC (it used to raise OverflowError and reject the whole thread)."""
    path = tmp_path / "1661760002.dat"
    path.write_bytes("\n".join([
        "名無しさん<><>2022/09/01(木) 10:00:00.00 ID:a<> 一つ目 <>スレ",
        "名無しさん<><>0001/01/01(月) 00:00:00.00 ID:b<> 年がおかしい <>",
        "名無しさん<><>9999/12/31(金) 23:59:59.00 ID:c<> 未来 <>",
        "名無しさん<><>2022/09/01(木) 10:01:00.00 ID:d<> 三つ目 <>",
    ]).encode("utf-8") + b"\n")
    report = ingest(store, path, fmt="5ch")
    assert report.status == "ok", report.message
    assert (report.new, report.quarantined) == (2, 2)
    rows = store.scan_quarantine().sort("source_line").collect()
    assert rows["source_line"].to_list() == [2, 3]
    assert "unreadable date field" in rows["reason"][0]
    assert "outside the plausible range" in rows["reason"][1]
