"""Generic CSV/TSV with a header row, columns guessed or mapped with ``--map``.

CSV is read with the csv module, which knows the line of every record and
rejects rows with the wrong number of fields. Files that are not UTF-8 are
read as CP932 (Excel's Japanese encoding) when that decodes. Known tools'
layouts (twarc-csv, snscrape) are recognised by ``formats.csv_profiles``;
the column mapping is ``formats.tabular``'s.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path

import polars as pl

from dtrack.collectors.formats import csv_profiles
from dtrack.collectors.formats.tabular import choose_columns, map_frame, require_columns, split_rejects
from dtrack.collectors.records import BATCH_ROWS, ParseContext, Quarantine, Record, SourceError

NAME = "csv"
VERSION = "1"
DESCRIPTION = "generic CSV/TSV with a header row (columns guessed or --map)"


def _decode_head(head: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig" and exc.start > len(head) - 4:  # cut mid-character
                return head[: exc.start].decode("utf-8-sig")
    return None


def _encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        data = fh.read(1 << 20)
    try:
        data.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start > len(data) - 4:
            return "utf-8-sig"
    try:
        data.decode("cp932")
        return "cp932"
    except UnicodeDecodeError:
        return "utf-8-sig"


def sniff(path: Path, head: bytes) -> bool:
    if not head or b"\0" in head:
        return False
    text = _decode_head(head)
    if text is None:
        return False
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max(",\t;", key=first.count)
    if first.count(delimiter) < 1:
        return False
    names = next(csv.reader([first], delimiter=delimiter))
    chosen = choose_columns(names, {})
    return "post_id" in chosen and ("text" in chosen or "created_at" in chosen)


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    encoding = _encoding(path)
    with open(path, newline="", encoding=encoding, errors="strict") as fh:
        first = fh.readline()
        delimiter = max(",\t;", key=first.count)
        fh.seek(0)
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        chosen = choose_columns(header, ctx.mapping)
        require_columns(chosen, path)
        profile = csv_profiles.match(header)
        width = len(header)
        buffer: list[list[str]] = []
        numbers: list[int] = []
        raws: list[str] = []
        line = reader.line_num
        try:
            for record in reader:
                start, line = line + 1, reader.line_num
                if not record or record == [""]:
                    continue
                if len(record) != width:
                    yield Quarantine(start, delimiter.join(record),
                                     f"{len(record)} fields where the header has {width}")
                    continue
                buffer.append(record)
                numbers.append(start)
                raws.append(delimiter.join(record))
                if len(buffer) >= BATCH_ROWS:
                    yield from _emit(header, buffer, numbers, raws, chosen, ctx, profile)
                    buffer, numbers, raws = [], [], []
        except csv.Error as exc:
            yield Quarantine(reader.line_num, "", f"CSV syntax: {exc}; the rest of the file was not read")
        except UnicodeDecodeError as exc:
            raise SourceError(f"not {encoding} text after line {reader.line_num}: {exc.reason}") from exc
        yield from _emit(header, buffer, numbers, raws, chosen, ctx, profile)


def _emit(header: list[str], rows: list[list[str]], numbers: list[int], raws: list[str],
          chosen: Mapping[str, str], ctx: ParseContext,
          profile: csv_profiles.Profile | None = None) -> Iterator[Record]:
    if not rows:
        return
    names = _dedupe(header)
    frame = pl.DataFrame(rows, schema={n: pl.String for n in names}, orient="row")
    frame = frame.with_columns(pl.col(n).replace("", None) for n in names)
    chosen = {f: names[header.index(c)] for f, c in chosen.items()}
    if profile is not None:  # a known tool's export (twarc-csv, snscrape): derive the fields
        frame, derived = csv_profiles.apply_profile(profile, frame, ctx.mapping)
        chosen.update(derived)
        if "platform" not in chosen:
            frame = frame.with_columns(pl.lit(ctx.platform or profile.platform).alias("__dtrack_platform"))
            chosen["platform"] = "__dtrack_platform"
    mapped = map_frame(frame, chosen, ctx).with_columns(source_line=pl.Series(numbers, dtype=pl.Int64))
    yield from split_rejects(mapped, raws)


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out
