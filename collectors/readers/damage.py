"""What is wrong with a file no format recognises: a cut or corrupt compressed stream, NUL bytes.

Why. "not a format dtrack knows" sends the researcher hunting for the right
``--format`` when the real trouble is the file itself: a ``.zst`` whose
download stopped halfway, or a 5ch ``.dat`` with a NUL byte from a bad disk
or a binary file. Detection only asks this when every format said no, so the
cost (decompressing at most :data:`_MAX_OUT` bytes) is paid on failure only.
"""

from __future__ import annotations

import bz2
import lzma
import zlib
from pathlib import Path

#: Compressed formats told apart by their first bytes: magic -> name.
_MAGIC = {b"\x28\xb5\x2f\xfd": "zstd", b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz"}
#: Binary containers whose NUL bytes are expected (zip; a tar's header is padded with NULs).
_CONTAINERS = (b"PK\x03\x04", b"PK\x05\x06")
#: Stop decompressing after this many bytes out: the start of the stream is sound.
_MAX_OUT = 64 * 1024 * 1024
#: Compressed bytes fed at a time (small: one zstd chunk of RLE blocks can expand 1000 times).
_FEED = 1024
#: The start of the message for a text file with NUL bytes (inside a folder it is skipped like any
#: file that is not an export: binary files stray into export folders).
NUL_BYTES = "the file holds NUL bytes"
#: Largest zstd window accepted (Reddit dumps are made with --long=31).
_ZSTD_WINDOW = 2**31


class _Cut(Exception):
    """The stream stops before its end."""


def what_is_wrong(path: Path, head: bytes) -> str | None:
    """Why ``path`` (whose first bytes are ``head``) cannot be read, when the file itself is
    damaged; None when it looks sound (then it is simply not a format dtrack knows)."""
    for magic, name in _MAGIC.items():
        if head.startswith(magic):
            problem = _compressed_problem(path, name)
            return None if problem is None else f"compressed stream is truncated or corrupt ({name}: {problem})"
    if head.startswith(_CONTAINERS) or (len(head) > 262 and head[257:262] == b"ustar"):
        return None
    nul = head.find(b"\x00")
    if nul >= 0:
        line = head.count(b"\n", 0, nul) + 1
        return f"{NUL_BYTES} at byte {nul:,} (binary or damaged), the first on line {line:,}"
    return None


def _compressed_problem(path: Path, name: str) -> str | None:
    """What the decompressor says about the start of ``path`` (up to :data:`_MAX_OUT` out)."""
    out = 0
    decompressor = _decompressor(name)
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_FEED):
                while chunk:
                    if getattr(decompressor, "eof", False):  # a stream ended; another may follow
                        decompressor = _decompressor(name)
                    out += len(decompressor.decompress(chunk))
                    chunk = decompressor.unused_data if getattr(decompressor, "eof", False) else b""
                    if out > _MAX_OUT:
                        return None
            if not getattr(decompressor, "eof", True):
                raise _Cut(f"the stream stops at byte {fh.tell():,}, before its end: a partial download?")
    except _Cut as exc:
        return str(exc)
    except OSError as exc:
        if type(exc) is not OSError or exc.errno is None:  # gzip/zlib errors are not file errors
            return str(exc)
        return None
    except (zlib.error, lzma.LZMAError, EOFError, ValueError) as exc:
        return str(exc)
    except Exception as exc:  # zstandard.ZstdError, without importing zstandard when dtrack starts
        if type(exc).__name__ == "ZstdError":
            return str(exc)
        raise
    return None


def _decompressor(name: str):
    if name == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor(max_window_size=_ZSTD_WINDOW).decompressobj()
    if name == "gzip":
        return zlib.decompressobj(wbits=31)
    if name == "bzip2":
        return bz2.BZ2Decompressor()
    return lzma.LZMADecompressor()
