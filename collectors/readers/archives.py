"""Read zip and tar archives, and export folders, in place and safely.

Researchers hand dtrack whole exports: an X archive ``.zip``, a Mastodon
``archive-*.tar.gz``, or the folder they unpacked. Collectors read the members
they need straight out of the archive; nothing is ever extracted to disk, and
nothing in the user's export is written, moved or deleted (files are opened
read-only).

Because an export can come from anywhere, an archive is treated as hostile:

* a member whose name escapes the archive root (``../x``, ``/etc/x``,
  ``C:\\x``) or a link (zip or tar symlink, hard link, or a symlink inside an
  export folder) pointing outside it makes the whole archive refused;
* a member larger than ``max_member_bytes`` (declared or actually read) is
  refused, and so is decompression that grows past ``max_ratio`` times the
  compressed size, per member and for the archive as a whole (zip bombs,
  including overlapping-entry ones, and tar.gz bombs). Sizes up to
  ``ratio_floor`` are always allowed, so small, very repetitive files read.

Refusals raise :class:`ArchiveRefused` (a :class:`SourceError`) whose message
names the archive and the member, so the ingest loop stores nothing from it and
says why.

Tar archives are read as a stream (tarfile's ``r|`` mode over a counted
decompressor) so a ``.tar.gz`` is decompressed once per pass and every
decompressed byte is metered; use :meth:`Archive.read_many` to pull several
members in one pass. Links inside a tar are not followed (they are listed
nowhere); zip and folder links that stay inside the root resolve to their
target.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from dtrack.collectors.readers.files import SNIFF_BYTES
from dtrack.collectors.records import SourceError

#: Decompressed size may be at most this many times the compressed size...
DEFAULT_MAX_RATIO = 200.0
#: ...except that this many bytes may always be read (small repetitive files).
DEFAULT_RATIO_FLOOR = 64 * 1024**2
#: Read this much at a time from a member.
CHUNK = 1024 * 1024
#: Zip symlink targets longer than this are not paths.
_MAX_LINK_TARGET = 4096
_MAX_LINK_HOPS = 8

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip, or an empty zip
_GZIP_MAGIC = b"\x1f\x8b"
_BZ2_MAGIC = b"BZh"
_XZ_MAGIC = b"\xfd7zXZ\x00"
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
#: Folders some zip tools add that are never part of an export.
_JUNK_PARTS = frozenset({"__MACOSX"})


class ArchiveRefused(SourceError):
    """An archive (or one of its members) is unsafe or too big to read."""


@dataclass(frozen=True, slots=True)
class Member:
    """One regular file of an archive."""

    name: str  #: posix path relative to the archive root, normalised
    size: int | None  #: declared uncompressed size, when the archive says
    compressed: int | None  #: compressed size (zip only)


# -- names -----------------------------------------------------------------
def safe_member_name(raw: str, archive: str) -> str:
    """The normalised posix name of a member, or :class:`ArchiveRefused` when it
    would escape the archive root. ``""`` means the root itself."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or _DRIVE_RE.match(name) or "\0" in name:
        raise ArchiveRefused(f"{archive}: member {raw!r} has an absolute path; refusing the archive")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ArchiveRefused(f"{archive}: member {raw!r} points outside the archive ('..'); refusing the archive")
    return "/".join(parts)


def _link_target(member: str, target: str, archive: str, *, relative_to_root: bool = False) -> str:
    """Where a link inside the archive points, normalised; refused when outside."""
    target = target.replace("\\", "/")
    if target.startswith("/") or _DRIVE_RE.match(target):
        raise ArchiveRefused(f"{archive}: member {member!r} is a link to {target!r} outside the archive; "
                             "refusing the archive")
    base = [] if relative_to_root else list(PurePosixPath(member).parent.parts)
    for part in target.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not base:
                raise ArchiveRefused(f"{archive}: member {member!r} is a link to {target!r} outside the archive; "
                                     "refusing the archive")
            base.pop()
        else:
            base.append(part)
    return "/".join(base)


def _is_junk(name: str) -> bool:
    return any(part in _JUNK_PARTS for part in name.split("/"))


# -- metering ----------------------------------------------------------------
class _Meter:
    """Counts decompressed bytes over a whole archive and refuses a bomb."""

    def __init__(self, archive: str, compressed_size: int, max_ratio: float, ratio_floor: int) -> None:
        self.archive = archive
        self.limit = max(ratio_floor, int(max_ratio * max(compressed_size, 1)))
        self.max_ratio = max_ratio
        self.total = 0

    def add(self, n: int, member: str) -> None:
        self.total += n
        if self.total > self.limit:
            raise ArchiveRefused(
                f"{self.archive}: reading member {member!r} decompresses the archive to more than "
                f"{self.limit:,} bytes ({self.max_ratio:g} times its size): a zip bomb? refusing the archive"
            )


class _BoundedReader(io.RawIOBase):
    """A read-only stream over one member that refuses to grow past its limits."""

    def __init__(self, raw: BinaryIO, *, archive: str, member: str, max_bytes: int, ratio_bytes: int | None,
                 meter: _Meter | None, limit_name: str = "max_member_bytes") -> None:
        super().__init__()
        self._raw = raw
        self._archive = archive
        self._member = member
        self._max = max_bytes
        self._ratio_bytes = ratio_bytes
        self._meter = meter
        self._limit_name = limit_name
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._raw.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, lzma.LZMAError) as exc:
            raise SourceError(f"{self._archive}: member {self._member!r} cannot be read: {exc}") from exc
        n = len(data)
        buffer[:n] = data
        self.count += n
        if self.count > self._max:
            raise ArchiveRefused(
                f"{self._archive}: member {self._member!r} is larger than the limit of {self._max:,} bytes "
                f"({self._limit_name}); refusing the archive"
            )
        if self._ratio_bytes is not None and self.count > self._ratio_bytes:
            raise ArchiveRefused(
                f"{self._archive}: member {self._member!r} decompresses to more than {self._ratio_bytes:,} bytes, "
                "far more than its compressed size (a zip bomb?); refusing the archive"
            )
        if self._meter is not None:
            self._meter.add(n, self._member)
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def _read_all(stream: io.RawIOBase) -> bytes:
    chunks = []
    while chunk := stream.read(CHUNK):
        chunks.append(chunk)
    return b"".join(chunks)


# -- the archive kinds ---------------------------------------------------------
class Archive:
    """A folder, zip or tar archive opened for reading members by name.

    Use as a context manager. ``names()`` lists regular files (normalised posix
    paths, ``__MACOSX`` junk left out); ``read``/``open``/``read_head``/
    ``read_many`` read them within the limits given to :func:`open_archive`.
    """

    kind = ""

    def __init__(self, path: Path, display: str, max_member_bytes: int, max_ratio: float, ratio_floor: int) -> None:
        self.path = path
        self.display = display
        self.max_member_bytes = max_member_bytes
        self.max_ratio = max_ratio
        self.ratio_floor = ratio_floor

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the open file, if any."""

    def names(self) -> list[str]:
        """Every regular file in the archive, in archive order."""
        return list(self.members())

    def members(self) -> dict[str, Member]:
        raise NotImplementedError

    def open(self, name: str) -> io.RawIOBase:
        """A bounded stream over one member."""
        raise NotImplementedError

    def read(self, name: str) -> bytes:
        """The whole member (within the limits)."""
        with self.open(name) as stream:
            return _read_all(stream)

    def read_head(self, name: str, size: int = 4096) -> bytes:
        """The first ``size`` bytes of a member (for sniffing); b"" if unreadable.
        A member over the limits is still refused (:class:`ArchiveRefused`)."""
        try:
            with self.open(name) as stream:
                return stream.read(size) or b""
        except ArchiveRefused:
            raise
        except (SourceError, OSError, KeyError):
            return b""

    def read_many(self, names: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """The wanted members that exist, with their bytes (one pass for tar;
        consume it all before trusting what it yielded)."""
        present = self.members()
        for name in names:
            if name in present:
                yield name, self.read(name)

    def _check_declared(self, name: str, size: int | None, compressed: int | None) -> int | None:
        """Refuse a member whose declared size is already too big; the ratio cap in bytes."""
        if size is not None and size > self.max_member_bytes:
            raise ArchiveRefused(
                f"{self.display}: member {name!r} is {size:,} bytes uncompressed, over the limit of "
                f"{self.max_member_bytes:,} bytes (max_member_bytes); refusing the archive"
            )
        if compressed is None:
            return None
        cap = max(self.ratio_floor, int(self.max_ratio * max(compressed, 1)))
        if size is not None and size > cap:
            raise ArchiveRefused(
                f"{self.display}: member {name!r} would decompress from {compressed:,} to {size:,} bytes "
                f"(more than {self.max_ratio:g} times; a zip bomb?); refusing the archive"
            )
        return cap


class FolderArchive(Archive):
    """An unpacked export folder. Symlinks pointing outside it are refused; links
    to folders are not followed."""

    kind = "dir"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._root = Path(os.path.realpath(self.path))
        self._members: dict[str, Member] | None = None
        self._targets: dict[str, Path] = {}

    def members(self) -> dict[str, Member]:
        if self._members is None:
            found: dict[str, Member] = {}
            for dirpath, dirnames, filenames in os.walk(self._root, followlinks=False):
                dirnames.sort()
                for d in list(dirnames):
                    full = Path(dirpath, d)
                    if full.is_symlink():
                        self._inside(full)  # refuse links out; links in are simply not followed
                        dirnames.remove(d)
                for f in sorted(filenames):
                    full = Path(dirpath, f)
                    name = full.relative_to(self._root).as_posix()
                    if _is_junk(name):
                        continue
                    real = self._inside(full) if full.is_symlink() else full
                    try:
                        st = real.stat()
                    except OSError:
                        continue  # a dangling link inside the folder: nothing to read
                    if not stat.S_ISREG(st.st_mode):
                        continue
                    self._targets[name] = real
                    found[name] = Member(name, st.st_size, None)
            self._members = found
        return self._members

    def _inside(self, link: Path) -> Path:
        real = Path(os.path.realpath(link))
        if real != self._root and self._root not in real.parents:
            rel = link.relative_to(self._root).as_posix()
            raise ArchiveRefused(f"{self.display}: member {rel!r} is a symlink to {str(real)!r} outside the folder; "
                                 "refusing the folder")
        return real

    def read(self, name: str) -> bytes:
        member = self.members().get(name)
        if member is None:
            raise KeyError(name)
        self._check_declared(name, member.size, None)
        with open(self._targets[name], "rb") as fh:  # one read: a file on disk cannot be a bomb
            data = fh.read(self.max_member_bytes + 1)
        if len(data) > self.max_member_bytes:
            self._check_declared(name, len(data), None)
        return data

    def open(self, name: str) -> io.RawIOBase:
        member = self.members().get(name)
        if member is None:
            raise KeyError(name)
        self._check_declared(name, member.size, None)
        raw = open(self._targets[name], "rb")  # noqa: SIM115 - closed by the bounded reader
        return _BoundedReader(raw, archive=self.display, member=name, max_bytes=self.max_member_bytes,
                              ratio_bytes=None, meter=None)


class ZipArchive(Archive):
    """A zip file (X archives, newer Mastodon archives)."""

    kind = "zip"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        try:
            self._zip = zipfile.ZipFile(self.path, "r")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise SourceError(f"{self.display}: not a readable zip file ({exc}); an incomplete download?") from exc
        self._meter = _Meter(self.display, self.path.stat().st_size, self.max_ratio, self.ratio_floor)
        self._members: dict[str, Member] = {}
        self._infos: dict[str, zipfile.ZipInfo] = {}
        links: dict[str, zipfile.ZipInfo] = {}
        declared_total = 0
        for info in self._zip.infolist():
            name = safe_member_name(info.filename, self.display)
            if not name or info.is_dir() or _is_junk(name):
                continue
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                links[name] = info
                continue
            if info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG):
                continue  # a device or fifo recorded by a unix zip tool
            if name not in self._infos:
                self._infos[name] = info
                self._members[name] = Member(name, info.file_size, info.compress_size)
                declared_total += info.file_size
        if declared_total > self._meter.limit:
            raise ArchiveRefused(
                f"{self.display}: its members declare {declared_total:,} bytes in all, more than "
                f"{self.max_ratio:g} times the archive's size (a zip bomb?); refusing the archive"
            )
        for name, info in links.items():
            target = self._resolve_link(name, info, links)
            if target is not None and name not in self._infos:
                self._infos[name] = self._infos[target]
                self._members[name] = Member(name, self._infos[target].file_size, self._infos[target].compress_size)

    def _resolve_link(self, name: str, info: zipfile.ZipInfo, links: dict[str, zipfile.ZipInfo]) -> str | None:
        current, current_info = name, info
        for _ in range(_MAX_LINK_HOPS):
            if current_info.file_size > _MAX_LINK_TARGET:
                return None
            try:
                raw = self._zip.read(current_info)
            except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, RuntimeError) as exc:
                raise SourceError(f"{self.display}: member {name!r} cannot be read: {exc}") from exc
            target = _link_target(current, raw.decode("utf-8", "replace"), self.display)
            if target in self._infos:
                return target
            if target not in links:
                return None
            current, current_info = target, links[target]
        return None

    def close(self) -> None:
        self._zip.close()

    def members(self) -> dict[str, Member]:
        return self._members

    def open(self, name: str) -> io.RawIOBase:
        info = self._infos.get(name)
        if info is None:
            raise KeyError(name)
        if info.flag_bits & 0x1:
            raise SourceError(f"{self.display}: member {name!r} is encrypted; dtrack cannot read it")
        cap = self._check_declared(name, info.file_size, info.compress_size)
        try:
            raw = self._zip.open(info, "r")
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, zlib.error) as exc:
            raise SourceError(f"{self.display}: member {name!r} cannot be read: {exc}") from exc
        return _BoundedReader(raw, archive=self.display, member=name, max_bytes=self.max_member_bytes,
                              ratio_bytes=cap, meter=self._meter)


class _CountingStream(io.RawIOBase):
    """The decompressed tar stream; every byte tarfile reads is metered."""

    def __init__(self, raw: BinaryIO, meter: _Meter, current: list[str]) -> None:
        super().__init__()
        self._raw = raw
        self._meter = meter
        self._current = current

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._raw.read(len(buffer))
        except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
            raise SourceError(f"{self._meter.archive}: cannot decompress after member "
                              f"{self._current[0]!r}: {exc}; a truncated download?") from exc
        n = len(data)
        buffer[:n] = data
        self._meter.add(n, self._current[0])
        return n


class TarArchive(Archive):
    """A tar file, plain or gzip/bzip2/xz compressed (older Mastodon archives)."""

    kind = "tar"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._members: dict[str, Member] | None = None

    def _decompressed(self, raw: BinaryIO) -> BinaryIO:
        magic = raw.read(6)
        raw.seek(0)
        if magic.startswith(_GZIP_MAGIC):
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        if magic.startswith(_BZ2_MAGIC):
            return bz2.BZ2File(raw, "rb")  # type: ignore[return-value]
        if magic.startswith(_XZ_MAGIC):
            return lzma.LZMAFile(raw, "rb")  # type: ignore[return-value]
        return raw

    def _pass(self) -> Iterator[tuple[tarfile.TarInfo, str, tarfile.TarFile]]:
        """One sequential pass: (info, safe name, tarfile) for each member, links and
        unsafe names checked; members must be read before advancing."""
        meter = _Meter(self.display, self.path.stat().st_size, self.max_ratio, self.ratio_floor)
        current = ["(tar header)"]
        with open(self.path, "rb") as raw:
            # tarfile reads its stream in 10 KiB records, so the meter knows (within a
            # record) which member was being read when a limit is crossed.
            stream = _CountingStream(self._decompressed(raw), meter, current)
            try:
                tf = tarfile.open(fileobj=stream, mode="r|")  # noqa: SIM115 - closed below
            except tarfile.TarError as exc:
                raise SourceError(f"{self.display}: not a readable tar archive ({exc})") from exc
            with tf:
                while True:
                    try:
                        info = tf.next()
                    except tarfile.TarError as exc:
                        raise SourceError(f"{self.display}: the tar archive is damaged after member "
                                          f"{current[0]!r} ({exc}); a truncated download?") from exc
                    if info is None:
                        return
                    name = safe_member_name(info.name, self.display)
                    current[0] = name or info.name
                    if info.issym():
                        _link_target(name, info.linkname, self.display)
                        continue
                    if info.islnk():
                        _link_target(name, info.linkname, self.display, relative_to_root=True)
                        continue
                    if not info.isreg() or not name or _is_junk(name):
                        continue
                    yield info, name, tf

    def members(self) -> dict[str, Member]:
        if self._members is None:
            found: dict[str, Member] = {}
            for info, name, _ in self._pass():
                found.setdefault(name, Member(name, info.size, None))
            self._members = found
        return self._members

    def read_many(self, names: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        wanted = set(names)
        seen: set[str] = set()
        # The pass always runs to the end, so an unsafe member anywhere refuses
        # the archive whatever order its members come in.
        for info, name, tf in self._pass():
            if name in wanted and name not in seen:
                seen.add(name)
                yield name, self._read_member(info, name, tf)

    def _read_member(self, info: tarfile.TarInfo, name: str, tf: tarfile.TarFile) -> bytes:
        self._check_declared(name, info.size, None)
        raw = tf.extractfile(info)
        if raw is None:
            return b""
        with _BoundedReader(raw, archive=self.display, member=name, max_bytes=self.max_member_bytes,
                            ratio_bytes=None, meter=None) as stream:
            return _read_all(stream)

    def read(self, name: str) -> bytes:
        for found, data in self.read_many([name]):
            if found == name:
                return data
        raise KeyError(name)

    def open(self, name: str) -> io.RawIOBase:
        return io.BytesIO(self.read(name))  # type: ignore[return-value]

    def read_head(self, name: str, size: int = 4096) -> bytes:
        try:
            for info, found, tf in self._pass():
                if found == name:
                    raw = tf.extractfile(info)
                    return raw.read(size) if raw is not None else b""
        except ArchiveRefused:
            raise
        except (SourceError, OSError):
            return b""
        return b""


# -- opening -------------------------------------------------------------------
def archive_kind(path: Path, head: bytes) -> str | None:
    """``"dir"``, ``"zip"`` or ``"tar"`` when ``path`` is one (judged from content), else None."""
    if path.is_dir():
        return "dir"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    if head.startswith((_GZIP_MAGIC, _BZ2_MAGIC, _XZ_MAGIC)):
        inner = decompress_head(head)
        if len(inner) > 262 and inner[257:262] == b"ustar":
            return "tar"
    return None


def decompress_head(head: bytes, limit: int = 1024 * 1024) -> bytes:
    """As much of a compressed file's start as ``head`` decompresses to (at most ``limit``)."""
    try:
        if head.startswith(_GZIP_MAGIC):
            return zlib.decompressobj(wbits=31).decompress(head, limit)
        if head.startswith(_BZ2_MAGIC):
            return bz2.BZ2Decompressor().decompress(head, limit)
        if head.startswith(_XZ_MAGIC):
            return lzma.LZMADecompressor().decompress(head, limit)
    except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError):
        return b""
    return head


def tar_head_names(head: bytes) -> list[str]:
    """Names of the tar members visible in the first bytes of a (compressed) tar,
    for cheap sniffing; unsafe names are left out."""
    data = decompress_head(head)
    names = []
    offset = 0
    while offset + 512 <= len(data):
        block = data[offset:offset + 512]
        if block[257:262] != b"ustar":
            break
        raw_name = block[:100].split(b"\0", 1)[0]
        prefix = block[345:500].split(b"\0", 1)[0]
        try:
            size = int(block[124:136].split(b"\0", 1)[0].strip() or b"0", 8)
        except ValueError:
            break
        full = (prefix + b"/" + raw_name) if prefix else raw_name
        try:
            names.append(safe_member_name(full.decode("utf-8", "replace"), ""))
        except ArchiveRefused:
            pass
        offset += 512 + (size + 511) // 512 * 512
    return names


def zip_names(path: Path) -> list[str]:
    """The member names of a zip file (cheap: the central directory only); [] if unreadable."""
    try:
        with zipfile.ZipFile(path, "r") as zf:
            return [info.filename.replace("\\", "/") for info in zf.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []


def zip_member_head(path: Path, name: str, size: int = 4096) -> bytes:
    """The first ``size`` bytes of one member of a zip file, for sniffing; b"" if unreadable."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(name) as fh:
            return fh.read(size)
    except (zipfile.BadZipFile, OSError, KeyError, NotImplementedError, RuntimeError, ValueError, zlib.error):
        return b""


def open_archive(path: Path, *, max_member_bytes: int, display: str | None = None,
                 max_ratio: float = DEFAULT_MAX_RATIO, ratio_floor: int = DEFAULT_RATIO_FLOOR,
                 head: bytes | None = None) -> Archive:
    """Open a folder, zip or tar(.gz/.bz2/.xz) for reading; :class:`SourceError` if it is none."""
    display = display or str(path)
    if head is None:
        head = b""
        if not path.is_dir():
            with open(path, "rb") as fh:
                head = fh.read(SNIFF_BYTES)
    kind = archive_kind(path, head)
    cls = {"dir": FolderArchive, "zip": ZipArchive, "tar": TarArchive}.get(kind or "")
    if cls is None:
        raise SourceError(f"{display}: not a folder, zip or tar archive")
    return cls(path, display, max_member_bytes, max_ratio, ratio_floor)
