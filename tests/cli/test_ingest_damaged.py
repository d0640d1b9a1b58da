"""`dtrack ingest` on damaged files: a cut or corrupt compressed stream and a text file with a NUL byte
are named with what is wrong with them, not "not a format dtrack knows" (messages and exit statuses)."""

from __future__ import annotations

import bz2
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard

FIVECH = Path(__file__).resolve().parents[1] / "collectors" / "fixtures" / "fivech" / "1661750000.dat"


def _reddit_lines(n: int) -> bytes:
    return b"".join(json.dumps({"id": f"c{i}", "created_utc": 1680000000 + i, "subreddit": "japan",
                                "body": f"無断学習 {i}", "author": "u"}).encode() + b"\n" for i in range(n))


def _ingest(*args: object, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "dtrack", "ingest", *map(str, args), "--store",
                           str(tmp_path / "store"), "--no-tag"], env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stdout + done.stderr and "please report" not in done.stdout + done.stderr
    return done


@pytest.mark.parametrize(("name", "compress", "cut"), [
    ("comments.zst", lambda b: zstandard.ZstdCompressor().compress(b), 40),
    ("comments.ndjson.gz", gzip.compress, 40),
    ("comments.ndjson.bz2", bz2.compress, 60),
])
def test_a_cut_compressed_file_is_named_truncated(tmp_path: Path, subprocess_env: dict[str, str],
                                                  name: str, compress, cut: int) -> None:
    path = tmp_path / name
    path.write_bytes(compress(_reddit_lines(2000))[:cut])
    done = _ingest(path, tmp_path=tmp_path, env=subprocess_env)
    assert done.returncode == 1
    kind = {"zst": "zstd", "gz": "gzip", "bz2": "bzip2"}[name.rsplit(".", 1)[1]]
    assert (f"{path}: ERROR: compressed stream is truncated or corrupt ({kind}: the stream stops at byte {cut}, "
            "before its end: a partial download?)") in done.stdout
    assert "not a format dtrack knows" not in done.stdout


def test_a_corrupt_zst_is_named_with_zstds_message(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    data = zstandard.ZstdCompressor().compress(_reddit_lines(2000))
    path = tmp_path / "RC_2023-01.zst"
    path.write_bytes(data[:20] + bytes(300) + data[320:])
    done = _ingest(path, tmp_path=tmp_path, env=subprocess_env)
    assert done.returncode == 1
    assert f"{path}: ERROR: compressed stream is truncated or corrupt (zstd: " in done.stdout
    assert "not a format dtrack knows" not in done.stdout


def test_a_5ch_dat_with_a_nul_byte_says_where(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    src = FIVECH.read_bytes()
    second = src.index(b"\n") + 1  # the NUL goes 10 bytes into line 2
    path = tmp_path / "1661750000.dat"
    path.write_bytes(src[:second + 10] + b"\x00" + src[second + 10:])
    done = _ingest(path, tmp_path=tmp_path, env=subprocess_env)
    assert done.returncode == 1
    assert (f"{path}: ERROR: the file holds NUL bytes at byte {second + 10} (binary or damaged), "
            "the first on line 2; use --format to force one") in done.stdout
    forced = _ingest(path, "--format", "5ch", tmp_path=tmp_path, env=subprocess_env)
    assert forced.returncode == 0, forced.stdout + forced.stderr  # forced, the thread is read


def test_in_a_folder_a_cut_zst_fails_a_binary_file_is_skipped_the_rest_is_read(
        tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.zst").write_bytes(zstandard.ZstdCompressor().compress(_reddit_lines(50))[:30])
    (folder / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "c.txt").write_text("notes, not an export\n", encoding="utf-8")
    (folder / "d.ndjson").write_text('{"id": "1", "created_at": "2023-01-01T00:00:00Z", "text": "x"}\n',
                                     encoding="utf-8")
    done = _ingest(folder, tmp_path=tmp_path, env=subprocess_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{folder / 'a.zst'}: ERROR: compressed stream is truncated or corrupt (zstd: " in done.stdout
    assert f"{folder / 'b.png'}: skipped (the file holds NUL bytes at byte 8 (binary or damaged)" in done.stdout
    assert f"{folder / 'c.txt'}: skipped (not a format dtrack knows" in done.stdout
    assert "d.ndjson: ndjson: read 1, new 1" in done.stdout
