"""BOM and size limits, the same for every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from dtrack.collectors.readers.files import read_head, read_whole, strip_bom
from dtrack.collectors.records import SourceError


def test_bom_is_removed_once(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b"\xef\xbb\xbf[1]")
    assert read_whole(path, 100) == b"[1]" and strip_bom(b"\xef\xbb\xbf\xef\xbb\xbfx") == b"\xef\xbb\xbfx"


def test_size_limit_names_the_limit_and_the_hint(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b"x" * 101)
    with pytest.raises(SourceError, match=r"a single JSON document of 101 bytes is over the limit of 100 .*split it"):
        read_whole(path, 100, "a single JSON document", "split it")


def test_head_of_a_folder_or_missing_file_is_empty(tmp_path: Path) -> None:
    assert read_head(tmp_path) == b"" and read_head(tmp_path / "missing") == b""
