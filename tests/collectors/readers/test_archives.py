"""collectors/archive.py: reading zip, tar and folders in place, and refusing hostile archives.

The hostile archives are committed fixtures (see fixtures/archive/make_fixtures.py);
the well-formed ones are built from the X archive and Mastodon fixture folders.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.collectors.readers.archives import (
    ArchiveRefused,
    archive_kind,
    open_archive,
    safe_member_name,
    tar_head_names,
)
from dtrack.collectors.records import ParseContext, SourceError

FIX = Path(__file__).parents[1] / "fixtures"
HOSTILE = FIX / "archive"
X_FOLDER = FIX / "x_archive" / "archive"
BIG = 10**9


def zip_folder(folder: Path, dest: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, prefix + f.relative_to(folder).as_posix())
    return dest


def tar_folder(folder: Path, dest: Path, mode: str = "w:gz") -> Path:
    with tarfile.open(dest, mode) as tf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                tf.add(f, f.relative_to(folder).as_posix())
    return dest


def tree_state(root: Path) -> dict[str, tuple[str, int]]:
    """Every file's hash and mtime: proof that reading changed nothing."""
    out = {}
    for f in sorted(root.rglob("*")):
        if f.is_file() or f.is_symlink():
            st = f.lstat()
            data = f.read_bytes() if f.is_file() and not f.is_symlink() else os.readlink(f).encode()
            out[f.relative_to(root).as_posix()] = (hashlib.sha256(data).hexdigest(), st.st_mtime_ns)
    return out


# -- names -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("data/tweets.js", "data/tweets.js"),
        ("./data//tweets.js", "data/tweets.js"),
        ("data\\tweets.js", "data/tweets.js"),
        ("data/./x/../tweets.js", None),
        ("../evil.js", None),
        ("/etc/passwd", None),
        ("C:\\evil.js", None),
        ("..\\..\\evil.js", None),
    ],
)
def test_member_names_are_normalised_or_refused(raw: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ArchiveRefused, match="refusing"):
            safe_member_name(raw, "a.zip")
    else:
        assert safe_member_name(raw, "a.zip") == expected


# -- reading ---------------------------------------------------------------------
def test_zip_members_read_in_place(tmp_path: Path) -> None:
    path = zip_folder(X_FOLDER, tmp_path / "twitter.zip", prefix="twitter-2022-09-05/")
    with open_archive(path, max_member_bytes=BIG) as arc:
        assert arc.kind == "zip"
        assert "twitter-2022-09-05/data/tweets.js" in arc.names()
        assert arc.read("twitter-2022-09-05/data/tweets.js") == (X_FOLDER / "data" / "tweets.js").read_bytes()
        assert arc.read_head("twitter-2022-09-05/data/manifest.js", 21) == b"window.__THAR_CONFIG "
    assert not any(p.name == "tweets.js" for p in tmp_path.rglob("*")), "nothing may be extracted to disk"


@pytest.mark.parametrize("mode", ["w:gz", "w:bz2", "w:xz", "w"])
def test_tar_members_read_in_one_pass(tmp_path: Path, mode: str) -> None:
    path = tar_folder(X_FOLDER, tmp_path / "archive.tar", mode)
    head = path.read_bytes()[:65536]
    assert archive_kind(path, head) == "tar"
    with open_archive(path, max_member_bytes=BIG) as arc:
        got = dict(arc.read_many(["data/manifest.js", "data/tweets.js", "data/missing.js"]))
    assert set(got) == {"data/manifest.js", "data/tweets.js"}
    assert got["data/tweets.js"] == (X_FOLDER / "data" / "tweets.js").read_bytes()


def test_tar_head_names_sniff_the_first_members_cheaply(tmp_path: Path) -> None:
    path = tar_folder(X_FOLDER, tmp_path / "a.tar.gz")
    names = tar_head_names(path.read_bytes()[:65536])
    assert "Your archive.html" in names and "data/account.js" in names


def test_folder_lists_files_and_skips_macos_junk(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tweets.js").write_text("x")
    (tmp_path / "__MACOSX" / "data").mkdir(parents=True)
    (tmp_path / "__MACOSX" / "data" / "._tweets.js").write_text("junk")
    (tmp_path / "data" / "inside.js").symlink_to(tmp_path / "data" / "tweets.js")
    with open_archive(tmp_path, max_member_bytes=BIG) as arc:
        assert arc.names() == ["data/inside.js", "data/tweets.js"]
        assert arc.read("data/inside.js") == b"x"


def test_not_an_archive_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("[]")
    with pytest.raises(SourceError, match="not a folder, zip or tar"):
        open_archive(path, max_member_bytes=BIG)


def test_a_truncated_zip_download_is_named(tmp_path: Path) -> None:
    whole = zip_folder(X_FOLDER, tmp_path / "whole.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceError, match=r"cut\.zip: not a readable zip file"):
        open_archive(cut, max_member_bytes=BIG)


def test_a_truncated_tar_gz_is_named(tmp_path: Path) -> None:
    whole = tar_folder(X_FOLDER, tmp_path / "whole.tar.gz").read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceError, match=r"cut\.tar\.gz"), open_archive(cut, max_member_bytes=BIG) as arc:
        dict(arc.read_many(["data/tweets.js"]))


# -- hostile archives ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fixture", "member"),
    [
        ("zip-slip.zip", "../../evil.js"),
        ("zip-absolute.zip", "/tmp/evil.js"),
        ("zip-symlink-out.zip", "data/evil.js"),
    ],
)
def test_zip_members_escaping_the_root_refuse_the_archive(fixture: str, member: str) -> None:
    with pytest.raises(ArchiveRefused) as err:
        open_archive(HOSTILE / fixture, max_member_bytes=BIG)
    assert fixture in str(err.value) and repr(member) in str(err.value)


@pytest.mark.parametrize(
    ("fixture", "member"),
    [
        ("tar-slip.tar.gz", "../evil.json"),
        ("tar-symlink-out.tar.gz", "actor.json"),
        ("tar-hardlink-out.tar", "actor.json"),
    ],
)
def test_tar_members_escaping_the_root_refuse_the_archive(fixture: str, member: str) -> None:
    with open_archive(HOSTILE / fixture, max_member_bytes=BIG) as arc, pytest.raises(ArchiveRefused) as err:
        dict(arc.read_many(["outbox.json"]))  # the wanted member comes first: the pass still reaches the bad one
    assert fixture in str(err.value) and repr(member) in str(err.value)


def test_folder_symlink_out_refuses_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    export = tmp_path / "export"
    (export / "data").mkdir(parents=True)
    (export / "data" / "tweets.js").write_text("x")
    (export / "data" / "evil.js").symlink_to(outside)
    with pytest.raises(ArchiveRefused, match=r"'data/evil\.js' is a symlink .* outside the folder"):
        open_archive(export, max_member_bytes=BIG).names()


def test_member_over_max_member_bytes_is_refused_by_its_declared_size() -> None:
    with open_archive(HOSTILE / "bomb-member.zip", max_member_bytes=100_000) as arc:
        assert len(arc.read("data/tweets.js")) < 1000
        with pytest.raises(ArchiveRefused, match=r"bomb-member\.zip: member 'data/tweets-part1\.js' is 2,097,180 "
                                                 r"bytes uncompressed, over the limit of 100,000 bytes"):
            arc.read("data/tweets-part1.js")


def test_archive_whose_members_declare_a_bomb_is_refused_on_open() -> None:
    with pytest.raises(ArchiveRefused, match=r"bomb-member\.zip: its members declare 2,097,\d+ bytes in all, "
                                             r"more than 100 times"):
        open_archive(HOSTILE / "bomb-member.zip", max_member_bytes=BIG, max_ratio=100, ratio_floor=10_000)


def test_member_whose_ratio_is_a_bomb_is_refused(tmp_path: Path) -> None:
    """A big incompressible member keeps the archive's overall ratio low; the packed
    member is still refused on its own ratio."""
    path = tmp_path / "padded.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("data/media.bin"), os.urandom(300_000))  # stored, ratio 1
        zf.writestr("data/tweets.js", b"window.YTD.tweets.part0 = [" + b" " * 2_000_000 + b"]",
                    compress_type=zipfile.ZIP_DEFLATED)
    with open_archive(path, max_member_bytes=BIG, max_ratio=100, ratio_floor=10_000) as arc:
        assert len(arc.read("data/media.bin")) == 300_000
        with pytest.raises(ArchiveRefused, match=r"'data/tweets\.js' would decompress from .* \(more than 100"):
            arc.read("data/tweets.js")


def test_a_member_lying_about_its_size_is_stopped_while_reading(tmp_path: Path) -> None:
    """The declared size is only a first check: bytes actually read are counted too."""
    path = tmp_path / "liar.tar.gz"
    payload = b"\0" * 300_000
    with tarfile.open(path, "w:gz") as tf:
        info = tarfile.TarInfo("outbox.json")
        info.size = len(payload)
        tf.addfile(info, io.BytesIO(payload))
    refused = pytest.raises(ArchiveRefused, match=r"liar\.tar\.gz: reading member 'outbox\.json' decompresses")
    with open_archive(path, max_member_bytes=BIG, max_ratio=10, ratio_floor=50_000) as arc, refused:
        dict(arc.read_many(["outbox.json"]))


def test_bomb_refused_through_the_ingest_loop_stores_nothing(store, tmp_path: Path) -> None:
    with store.writer(purpose="test") as w:
        report = ingest_source(w, HOSTILE / "bomb-member.zip", ctx=ParseContext(max_member_bytes=100_000))
    assert report.status == "error"
    assert "data/tweets-part1.js" in report.message and "max_member_bytes" in report.message
    assert store.scan_posts().collect().height == 0 and store.sources() == []


def test_zip_slip_refused_through_the_ingest_loop_stores_nothing(store) -> None:
    with store.writer(purpose="test") as w:
        report = ingest_source(w, HOSTILE / "zip-slip.zip")
    assert report.format == "x_archive" and report.status == "error"
    assert "'../../evil.js'" in report.message
    assert store.scan_posts().collect().height == 0


def test_reading_never_modifies_the_export(tmp_path: Path) -> None:
    zipped = zip_folder(X_FOLDER, tmp_path / "x.zip")
    tarred = tar_folder(X_FOLDER, tmp_path / "x.tar.gz")
    before = tree_state(X_FOLDER), tree_state(tmp_path)
    for path in (X_FOLDER, zipped, tarred):
        with open_archive(path, max_member_bytes=BIG) as arc:
            for name in arc.names():
                arc.read(name)
    assert (tree_state(X_FOLDER), tree_state(tmp_path)) == before


def test_folder_member_over_the_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tweets.js").write_bytes(b" " * 5000)
    with open_archive(tmp_path, max_member_bytes=4096) as arc:
        with pytest.raises(ArchiveRefused, match=r"'data/tweets\.js' is 5,000 bytes uncompressed, over the limit"):
            arc.read("data/tweets.js")
        with pytest.raises(ArchiveRefused, match="max_member_bytes"):
            arc.read_head("data/tweets.js")
