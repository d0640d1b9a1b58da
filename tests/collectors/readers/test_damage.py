"""readers.damage: what is wrong with a file no format recognised (generated files, four compressors)."""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import Path

import pytest
import zstandard

from dtrack.collectors.readers.damage import what_is_wrong

DATA = b'{"id": "1", "text": "x"}\n' * 5000
COMPRESS = {"zstd": lambda b: zstandard.ZstdCompressor().compress(b), "gzip": gzip.compress,
            "bzip2": bz2.compress, "xz": lzma.compress}


def _check(tmp_path: Path, blob: bytes) -> str | None:
    path = tmp_path / "f"
    path.write_bytes(blob)
    return what_is_wrong(path, blob[:65536])


@pytest.mark.parametrize("kind", COMPRESS)
def test_whole_and_concatenated_streams_are_sound(tmp_path: Path, kind: str) -> None:
    packed = COMPRESS[kind](DATA)
    assert _check(tmp_path, packed) is None
    assert _check(tmp_path, packed + packed) is None  # zstd frames and gzip members may follow each other


@pytest.mark.parametrize("kind", COMPRESS)
def test_a_cut_stream_says_where_it_stops(tmp_path: Path, kind: str) -> None:
    packed = COMPRESS[kind](DATA)
    cut = len(packed) // 2
    assert _check(tmp_path, packed[:cut]) == (f"compressed stream is truncated or corrupt ({kind}: the stream stops "
                                              f"at byte {cut:,}, before its end: a partial download?)")


@pytest.mark.parametrize("kind", COMPRESS)
def test_a_corrupt_stream_gives_the_decompressors_message(tmp_path: Path, kind: str) -> None:
    packed = COMPRESS[kind](DATA)
    message = _check(tmp_path, packed[:12] + bytes(64) + packed[76:])
    assert message is not None and message.startswith(f"compressed stream is truncated or corrupt ({kind}: ")
    assert "the stream stops" not in message


def test_nul_bytes_in_text_are_placed_zip_and_plain_text_are_not_blamed(tmp_path: Path) -> None:
    assert _check(tmp_path, b"a<>b\nc<>d\x00e\n") == \
        "the file holds NUL bytes at byte 9 (binary or damaged), the first on line 2"
    assert _check(tmp_path, b"PK\x03\x04\x00\x00rest") is None
    assert _check(tmp_path, b"just text\n") is None
