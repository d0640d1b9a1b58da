"""collectors/x_archive.py on fixtures written in the archive's own shapes.

fixtures/x_archive/archive/  a whole export folder (manifest, account, tweets in two parts,
                             community, deleted, note tweets, a like file, media)
fixtures/x_archive/edge/     one file per edge case, with no manifest next to them
fixtures/x_archive/grailbird/ the pre-2019 archive layout
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import orjson
import polars as pl
import pytest

from dtrack.collectors import detect
from dtrack.data.store import Store

FIX = Path(__file__).parents[1] / "fixtures" / "x_archive"
ARCHIVE = FIX / "archive"
EDGE = FIX / "edge"
GRAIL = FIX / "grailbird"


def posts(store: Store) -> pl.DataFrame:
    return store.scan_posts().collect().sort("post_id")


def by_id(store: Store) -> dict[str, dict]:
    return {r["post_id"]: r for r in posts(store).iter_rows(named=True)}


def extra(row: dict) -> dict:
    return json.loads(row["extra"]) if row["extra"] else {}


def zip_folder(folder: Path, dest: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, prefix + f.relative_to(folder).as_posix())
    return dest


# -- detection ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [ARCHIVE, ARCHIVE / "data", ARCHIVE / "data" / "tweets.js", ARCHIVE / "data" / "tweets-part1.js",
     ARCHIVE / "data" / "deleted-tweets.js", ARCHIVE / "data" / "community-tweet.js", GRAIL,
     GRAIL / "data" / "js" / "tweets" / "2013_01.js", *sorted(EDGE.glob("*.js"))],
    ids=lambda p: p.relative_to(FIX).as_posix(),
)
def test_detects_archive_files_and_folders(path: Path) -> None:
    assert detect(path) == "x_archive"


def test_detection_is_by_content_not_by_name(tmp_path: Path) -> None:
    renamed = tmp_path / "export.txt"
    shutil.copy(ARCHIVE / "data" / "tweets.js", renamed)
    assert detect(renamed) == "x_archive"
    impostor = tmp_path / "tweets.js"  # named like an archive file, but JSON lines
    impostor.write_text('{"id": "1", "text": "RT @a: hi", "created_at": "2022-08-29T00:00:00Z"}\n')
    assert detect(impostor) == "ndjson"
    csv_file = tmp_path / "tweet.js"
    csv_file.write_text("id,text,created_at\n1,RT @a: hi,2022-08-29\n")
    assert detect(csv_file) == "csv"
    other_ytd = tmp_path / "like.js"
    shutil.copy(ARCHIVE / "data" / "like.js", other_ytd)
    assert detect(other_ytd) is None  # an archive file without posts is not ingested on its own


def test_detects_zip_by_its_members_content(tmp_path: Path) -> None:
    assert detect(zip_folder(ARCHIVE, tmp_path / "twitter-2022-09-05.zip", prefix="twitter-2022-09-05/")) == \
        "x_archive"
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("data/tweets.js", '{"not": "an archive"}')
    assert detect(other) is None


def test_plain_folder_is_not_an_archive(tmp_path: Path) -> None:
    (tmp_path / "notes.js").write_text("console.log('hi')")
    assert detect(tmp_path) is None


# -- the whole archive ----------------------------------------------------------------
# The folder holds 6 + 2 tweets (two parts), 1 community post and 1 deleted post: 10 posts,
# 2 of them retweets; note 1564000000000000999 belongs to tweet ...004, note ...998 to nothing.
ARCHIVE_POSTS, ARCHIVE_REPOSTS = 10, 2


def check_archive_posts(store: Store) -> None:
    rows = by_id(store)
    assert len(rows) == ARCHIVE_POSTS
    assert sum(r["is_repost"] for r in rows.values()) == ARCHIVE_REPOSTS
    assert {r["platform"] for r in rows.values()} == {"twitter"}
    assert {r["author_id"] for r in rows.values()} == {"1234567890123456789"}
    assert {r["author_name"] for r in rows.values()} == {"mimic_watch"}
    first = rows["1563789012345678901"]
    assert first["url"] == "https://twitter.com/mimic_watch/status/1563789012345678901"
    assert first["text"] == "mimicのβ版、無断学習の対策はどうなってるの <規約> & FAQを確認中"
    assert first["created_at"].isoformat() == "2022-08-29T03:15:00+00:00"
    assert first["lang"] == "ja"
    cut = rows["1563790000000000002"]
    assert cut["is_repost"] and cut["repost_of"] is None
    assert extra(cut) == {"repost_author": "artist_a", "text_truncated": True}
    with_media = rows["1563111111111111113"]
    assert with_media["is_repost"] and with_media["repost_of"] == "1562999999999999999"
    long = rows["1564000000000000004"]
    assert long["text"].startswith("@artist_a 画像生成AIと無断学習について長文で整理します。")
    assert long["text"].endswith("オプトアウトの仕組みはまだ整っていません。")
    assert extra(long) == {"note_tweet_id": "1564000000000000999"}
    assert long["reply_to"] == "1563790000000000099"
    assert rows["1564900000000000008"]["text"] == "今日は晴れ"  # same second as note ...998, other text
    deleted = rows["1563600000000000009"]
    assert extra(deleted) == {"deleted_at": "2022-08-29T10:00:00Z"}
    assert extra(rows["1563700000000000010"]) == {"community_id": "1500000000000000001"}
    assert rows["1382000000000000007"]["created_at"].isoformat() == "2021-04-15T08:00:00+00:00"
    assert rows["1563400000000000006"]["text"] == "🎨 新しい絵を描きました 🖌️ #絵描きさんと繋がりたい"


def test_archive_folder(ingest, store: Store) -> None:
    report = ingest(store, ARCHIVE)
    assert (report.status, report.format, report.new, report.quarantined) == ("ok", "x_archive", 10, 0)
    assert report.notice_messages == [
        "note tweet 1564900000000000998 (2022-08-31T09:00:00.500Z) matched no post in this archive; "
        "its long text was not stored"
    ]
    check_archive_posts(store)
    sources = {r["post_id"]: (r["source_file"], r["source_line"]) for r in posts(store).iter_rows(named=True)}
    assert sources["1563111111111111113"] == (f"{ARCHIVE}/data/tweets.js", 79)
    assert sources["1564900000000000008"] == (f"{ARCHIVE}/data/tweets-part1.js", 35)


def test_archive_zip_reads_the_same(ingest, store: Store, tmp_path: Path) -> None:
    path = zip_folder(ARCHIVE, tmp_path / "twitter-2022-09-05.zip", prefix="twitter-2022-09-05/")
    report = ingest(store, path)
    assert (report.status, report.new, report.quarantined, report.notices) == ("ok", 10, 0, 1)
    check_archive_posts(store)
    row = by_id(store)["1563111111111111113"]
    assert row["source_file"] == f"{path}!/twitter-2022-09-05/data/tweets.js"


def test_reingest_changes_nothing(ingest, store: Store) -> None:
    ingest(store, ARCHIVE)
    before = posts(store)
    again = ingest(store, ARCHIVE)
    assert again.status == "skipped"
    forced = ingest(store, ARCHIVE, force=True)
    assert (forced.new, forced.duplicate) == (0, 10)
    assert posts(store).equals(before)


def test_single_file_uses_manifest_and_notes_next_to_it(ingest, store: Store) -> None:
    report = ingest(store, ARCHIVE / "data" / "tweets.js")
    assert (report.status, report.new) == ("ok", 6)
    rows = by_id(store)
    assert rows["1564000000000000004"]["text"].endswith("まだ整っていません。")
    assert {r["author_name"] for r in rows.values()} == {"mimic_watch"}


def test_single_file_alone_has_no_author(ingest, store: Store, tmp_path: Path) -> None:
    shutil.copy(ARCHIVE / "data" / "tweets.js", tmp_path / "tweets.js")
    ingest(store, tmp_path / "tweets.js")
    row = by_id(store)["1563789012345678901"]
    assert row["author_id"] is None and row["author_name"] is None
    assert row["url"] == "https://twitter.com/i/web/status/1563789012345678901"
    long = by_id(store)["1564000000000000004"]
    assert long["text"].endswith("… https://t.co/LongPost01")  # no note-tweet.js: the cut text stays


def test_account_js_gives_the_author_without_a_manifest(ingest, store: Store, tmp_path: Path) -> None:
    shutil.copytree(ARCHIVE, tmp_path / "a")
    (tmp_path / "a" / "data" / "manifest.js").unlink()
    ingest(store, tmp_path / "a")
    assert {r["author_name"] for r in by_id(store).values()} == {"mimic_watch"}


@pytest.mark.parametrize("name", ["manifest.js", "note-tweet.js"])
def test_files_without_posts_give_a_notice(ingest, store: Store, name: str) -> None:
    report = ingest(store, ARCHIVE / "data" / name)
    assert (report.status, report.new, report.notices) == ("ok", 0, 1)
    assert "ingest the archive folder" in report.notice_messages[0]


def test_archive_without_tweets_is_refused(ingest, store: Store, tmp_path: Path) -> None:
    (tmp_path / "a" / "data").mkdir(parents=True)
    shutil.copy(ARCHIVE / "data" / "manifest.js", tmp_path / "a" / "data")
    report = ingest(store, tmp_path / "a")
    assert report.status == "error" and "no tweets.js" in report.message


# -- edge cases ---------------------------------------------------------------------
def test_unsorted_one_line_file(ingest, store: Store) -> None:
    report = ingest(store, EDGE / "unsorted-minified.js")
    assert report.new == 3
    got = posts(store).sort("created_at")["post_id"].to_list()
    assert got == ["1563000000000000101", "1563000000000000102", "1563000000000000103"]


def test_retweet_cut_with_ellipsis(ingest, store: Store) -> None:
    ingest(store, EDGE / "rt-truncated.js")
    rows = by_id(store)
    rt = rows["1563790000000000201"]
    assert rt["is_repost"] and rt["repost_of"] is None and rt["text"].endswith("よろしくお願…")
    assert extra(rt) == {"repost_author": "artist_a", "text_truncated": True}
    assert not rows["1563790000000000202"]["is_repost"]  # "RT @" inside the text is not a retweet


def test_html_entities_only_twitters_own(ingest, store: Store) -> None:
    ingest(store, EDGE / "entities.js")
    rows = by_id(store)
    assert rows["1563000000000000301"]["text"] == "Q&A: AI <3 >_< 無断学習"
    assert rows["1563000000000000302"]["text"] == "書いたまま: &amp; と &quot; と &#39;"


def test_emoji_escapes_and_an_unpaired_surrogate(ingest, store: Store) -> None:
    report = ingest(store, EDGE / "surrogates.js")
    assert (report.status, report.new, report.quarantined) == ("ok", 2, 0)
    rows = by_id(store)
    assert rows["1563000000000000401"]["text"] == "絵文字 🎨 と 👩\u200d🎨 (ZWJ)"
    assert rows["1563000000000000402"]["text"] == "\ufffd の後"


def test_ids_beyond_2_53_stay_exact(ingest, store: Store) -> None:
    report = ingest(store, EDGE / "big-ids.js")
    assert (report.new, report.quarantined) == (2, 1)
    rows = by_id(store)
    assert rows["1563789012345678901"]["reply_to"] == "1563789012345678899"
    assert "9007199254740993" in rows  # only "id" given (as a string), 2^53 + 1 exactly
    reason = store.scan_quarantine().collect()["reason"].to_list()[0]
    assert "float id has lost digits" in reason and "line 76" in reason


def test_half_written_file_keeps_complete_items(ingest, store: Store) -> None:
    report = ingest(store, EDGE / "truncated.js")
    assert (report.status, report.new, report.quarantined) == ("ok", 2, 1)
    q = store.scan_quarantine().collect().row(0, named=True)
    assert q["source_line"] == 72
    assert "the file ends inside the item starting on line 72" in q["reason"]
    assert q["raw"].rstrip().endswith('"full_text" : "3件目の投')


def test_bad_items_are_quarantined_one_by_one(ingest, store: Store) -> None:
    report = ingest(store, EDGE / "bad-items.js")
    assert (report.new, report.quarantined) == (2, 3)
    assert sorted(by_id(store)) == ["1563000000000000601", "1563000000000000605"]
    reasons = dict(store.scan_quarantine().select("source_line", "reason").collect().iter_rows())
    assert "not valid JSON" in reasons[37] and "line 68" in reasons[37]
    assert "not a tweet object" in reasons[72]
    assert "no readable created_at ('sometime in August')" in reasons[78]
    raw = store.scan_quarantine().filter(pl.col("source_line") == 72).collect()["raw"][0]
    assert orjson.loads(raw) == {"like": {"tweetId": "1", "fullText": "not a tweet"}}


def test_oldest_ytd_items_without_wrapper(ingest, store: Store) -> None:
    ingest(store, EDGE / "tweet-2018.js")
    assert sorted(by_id(store)) == ["1000000000000000701", "1000000000000000702"]


# -- Grailbird ----------------------------------------------------------------------
def test_grailbird_archive(ingest, store: Store) -> None:
    report = ingest(store, GRAIL)
    assert (report.status, report.new, report.quarantined) == ("ok", 4, 0)
    rows = by_id(store)
    assert {r["author_name"] for r in rows.values()} == {"mimic_watch"}
    assert {r["author_id"] for r in rows.values()} == {"98765"}
    rt = rows["291653468937129986"]
    assert rt["is_repost"] and rt["repost_of"] == "291652417404162048"
    assert rt["text"] == "RT @artist_c: 絵の無断転載はやめてください & 自作発言も。見つけたら通報します。"
    assert rows["9007199254740993"]["created_at"].isoformat() == "2013-01-02T00:00:00+00:00"
    assert rows["284000000000000001"]["reply_to"] == "283999999999999999"


def test_grailbird_monthly_file_alone(ingest, store: Store) -> None:
    report = ingest(store, GRAIL / "data" / "js" / "tweets" / "2013_01.js")
    assert (report.new, report.quarantined) == (3, 0)
    assert posts(store).filter(pl.col("is_repost")).height == 1


def test_bytes_that_are_not_utf8_do_not_lose_the_post(ingest, store: Store) -> None:
    report = ingest(store, EDGE / "not-utf8.js")
    assert (report.new, report.quarantined) == (2, 0)
    assert by_id(store)["1563000000000000801"]["text"] == "壊れた\ufffd文字"


def test_archive_as_tar_gz(ingest, store: Store, tmp_path: Path) -> None:
    import tarfile

    path = tmp_path / "twitter.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        tf.add(ARCHIVE, "twitter-2022-09-05")
    assert detect(path) == "x_archive"
    report = ingest(store, path)
    assert (report.status, report.new, report.quarantined) == ("ok", 10, 0)
    check_archive_posts(store)


def test_note_matching_time_keys_do_not_depend_on_the_locale() -> None:
    import datetime as dt

    from dtrack.collectors.readers.times import twitter_time

    start = dt.datetime(2006, 3, 21, tzinfo=dt.UTC)
    for days in range(0, 7000, 37):
        when = start + dt.timedelta(days=days, seconds=days * 97)
        parsed = dt.datetime.strptime(twitter_time(when), "%a %b %d %H:%M:%S %z %Y")  # C locale in tests
        assert parsed == when
