"""collectors/mastodon.py on a Mastodon archive written in its own shapes.

fixtures/mastodon/archive/ is an unpacked account archive (outbox.json, actor.json, likes.json,
media); the tests pack it as Mastodon does (tar.gz with media first, or zip).
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import polars as pl
import pytest

from dtrack.collectors import detect
from dtrack.collectors.formats.mastodon import handle_from_uri, html_to_text, visibility
from dtrack.collectors.pipeline.ingest import IngestReport
from dtrack.data.store import Store

FIX = Path(__file__).parents[1] / "fixtures" / "mastodon"
FOLDER = FIX / "archive"
ME = "https://mstdn.example/users/mimic_watch"
PUB = "https://www.w3.org/ns/activitystreams#Public"


def rows(store: Store) -> dict[str, dict]:
    return {r["post_id"]: r for r in store.scan_posts().collect().iter_rows(named=True)}


def status(n: str) -> str:
    return f"{ME}/statuses/{n}"


def targz(dest: Path) -> Path:
    """Packed like Mastodon 3.x's BackupService: media first, then outbox, likes, actor."""
    order = sorted((FOLDER / "media_attachments").rglob("*.png")) + [
        FOLDER / n for n in ("outbox.json", "likes.json", "actor.json")]
    with tarfile.open(dest, "w:gz") as tf:
        for f in order:
            tf.add(f, f.relative_to(FOLDER).as_posix())
    return dest


def zipped(dest: Path) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(FOLDER.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(FOLDER).as_posix())
    return dest


# -- HTML ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a &amp; b &lt;3 &#x7981;&#27490; &quot;q&quot;</p>", 'a & b <3 禁止 "q"'),
        ("<p>one<br>two<br />three</p><p>next</p>", "one\ntwo\nthree\n\nnext"),
        ('<p><a href="https://x/tags/ai" class="mention hashtag" rel="tag">#<span>AI</span></a></p>', "#AI"),
        ('<p><span class="h-card"><a href="https://x/@a" class="u-url mention">@<span>a</span></a></span> hi</p>',
         "@a hi"),
        ('<a href="https://example.com/a/very/long"><span class="invisible">https://</span>'
         '<span class="ellipsis">example.com/a/ve</span><span class="invisible">ry/long</span></a>',
         "https://example.com/a/very/long"),
        ("plain &amp; simple", "plain & simple"),
        ("<p>emoji 🎨</p><script>x()</script>", "emoji 🎨"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("to", "cc", "expected"),
    [
        ([PUB], [f"{ME}/followers"], "public"),
        ([f"{ME}/followers"], [PUB], "unlisted"),
        (["as:Public"], [], "public"),
        ([f"{ME}/followers"], ["https://a.example/users/x"], "private"),
        (["https://a.example/users/x"], [], "direct"),
        (None, None, "direct"),
    ],
)
def test_visibility_from_addressing(to: object, cc: object, expected: str) -> None:
    assert visibility(to, cc) == expected


def test_handle_from_actor_uri() -> None:
    assert handle_from_uri(ME) == "mimic_watch@mstdn.example"
    assert handle_from_uri("https://example.com/something/else") is None


# -- detection -------------------------------------------------------------------------
def test_detects_outbox_folder_and_archives(tmp_path: Path) -> None:
    assert detect(FOLDER) == "mastodon"
    assert detect(FOLDER / "outbox.json") == "mastodon"
    assert detect(targz(tmp_path / "archive-20220901120000-0123456789abcdef.tar.gz")) == "mastodon"
    assert detect(zipped(tmp_path / "archive-20220901120000-0123456789abcdef.zip")) == "mastodon"
    renamed = tmp_path / "backup.dat"
    shutil.copy(FOLDER / "outbox.json", renamed)
    assert detect(renamed) == "mastodon"


def test_does_not_steal_generic_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    path.write_text('{"id": "1", "type": "Note", "content": "orderedItems", "published": "2022-08-29T00:00:00Z"}\n')
    assert detect(path) == "ndjson"


# -- posts -----------------------------------------------------------------------------
# outbox.json has 8 activities: 5 Create Note/Question posts, 1 Announce (boost), 1 Create whose
# object is only a link (quarantined) and 1 Like (not a post: a notice).
def check(store: Store, report: IngestReport) -> None:
    assert (report.status, report.new, report.quarantined) == ("ok", 6, 1)
    assert report.notice_messages == ["outbox.json: 1 Like activity is not a post; skipped"]
    got = rows(store)
    assert {r["platform"] for r in got.values()} == {"mastodon"}
    assert {r["author_id"] for r in got.values()} == {ME}
    assert {r["author_name"] for r in got.values()} == {"mimic_watch@mstdn.example"}
    first = got[status("109000000000000003")]
    assert first["text"] == ("mimicのβ版が公開 & 即炎上。#無断学習 反対です <3\n\n"
                             "記事: https://example.com/articles/2022/08/29/mimic-beta-launch")
    assert first["lang"] == "ja" and first["url"] == "https://mstdn.example/@mimic_watch/109000000000000003"
    assert json.loads(first["extra"]) == {"visibility": "public"}
    cw = got[status("108900000000000001")]
    assert cw["text"] == "プロフィールに「無断学習禁止」と書きました。\nAI学習への利用はお断りします。\n転載も禁止。"
    assert json.loads(cw["extra"]) == {"visibility": "unlisted", "cw": "AIの話題", "sensitive": True}
    reply = got[status("109000000000000007")]
    assert reply["reply_to"] == "https://art.example/users/artist_a/statuses/109000000000000099"
    assert reply["text"] == '@artist_a わかります、"無断学習"は困りますね 🎨'
    assert json.loads(reply["extra"])["visibility"] == "private"
    assert json.loads(got[status("109000000000000008")]["extra"])["visibility"] == "direct"
    boost = got[status("109000000000000010/activity")]
    assert boost["is_repost"] and boost["repost_of"] == "https://art.example/users/artist_a/statuses/109000000000000100"
    assert boost["text"] is None
    poll = got[status("109000000000000011")]
    assert json.loads(poll["extra"])["poll_options"] == ["使う", "使わない"]
    assert sum(r["is_repost"] for r in got.values()) == 1
    q = store.scan_quarantine().collect().row(0, named=True)
    assert q["source_line"] == 7 and "has no object" in q["reason"]


def test_outbox_json_with_actor_next_to_it(ingest, store: Store) -> None:
    check(store, ingest(store, FOLDER / "outbox.json"))


def test_unpacked_folder(ingest, store: Store) -> None:
    check(store, ingest(store, FOLDER))


def test_tar_gz_archive_with_media_first(ingest, store: Store, tmp_path: Path) -> None:
    check(store, ingest(store, targz(tmp_path / "archive-20220901120000-0123456789abcdef.tar.gz")))


def test_zip_archive(ingest, store: Store, tmp_path: Path) -> None:
    check(store, ingest(store, zipped(tmp_path / "archive-20220901120000-0123456789abcdef.zip")))


def test_without_actor_json_the_actor_uri_is_the_author(ingest, store: Store, tmp_path: Path) -> None:
    shutil.copy(FOLDER / "outbox.json", tmp_path / "outbox.json")
    ingest(store, tmp_path / "outbox.json")
    got = rows(store)
    assert {r["author_id"] for r in got.values()} == {ME}
    assert {r["author_name"] for r in got.values()} == {"mimic_watch@mstdn.example"}


def test_escaped_emoji_and_unpaired_surrogate(ingest, store: Store) -> None:
    report = ingest(store, FIX / "surrogates-outbox.json")
    assert (report.new, report.quarantined) == (2, 0)
    got = rows(store)
    assert got[status("109000000000000007")]["text"].endswith("困りますね 🎨")
    assert got[status("109000000000000013")]["text"] == "\ufffd の後"


def test_cut_outbox_keeps_the_activities_before_the_cut(ingest, store: Store) -> None:
    report = ingest(store, FIX / "truncated-outbox.json")
    assert (report.status, report.new, report.quarantined) == ("ok", 3, 1)
    q = store.scan_quarantine().collect().row(0, named=True)
    assert q["source_line"] == 4 and "the file ends inside item 4" in q["reason"]


def test_not_an_outbox(ingest, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    path.write_text(json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection",
                                "first": "https://mstdn.example/users/a/outbox?page=true", "orderedItems": None}))
    report = ingest(store, path)
    assert report.status == "error" and "paged outbox" in report.message


def test_archive_without_outbox(ingest, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "archive-x.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        data = b"{}"
        info = tarfile.TarInfo("actor.json")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    report = ingest(store, path, )
    assert report.status == "error" and "no outbox.json" in report.message
    assert store.scan_posts().collect().height == 0


def test_unsorted_activities_all_stored_with_their_times(ingest, store: Store) -> None:
    ingest(store, FOLDER)
    times = store.scan_posts().sort("created_at").select(pl.col("created_at").dt.strftime("%m-%d %H")).collect()
    assert times.to_series().to_list() == ["08-23 01", "08-29 05", "08-29 06", "08-29 07", "08-29 08", "08-30 00"]
