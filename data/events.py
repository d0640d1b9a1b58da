"""Events files: the dated happenings a discourse is studied against.

An events file is a CSV with a header. ``date`` and ``label`` are required;
``kind``, ``source``, ``url`` and ``note`` are optional (other columns are
ignored). Researchers extend the shipped ``data/events.csv`` or write their
own, so a bad row is an error that names the file and the line rather than an
event silently missing from a study.

Dates are ``YYYY-MM-DD`` or, when only the month is known, ``YYYY-MM``: the
month is kept as the precision (``precision`` is ``"month"``) instead of
inventing a day; the ``date`` column then holds the month's first day.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from importlib import resources
from pathlib import Path

import polars as pl

# The shipped events, a resource of the installed package.
DEFAULT_EVENTS = Path(str(resources.files("dtrack.data") / "events.csv"))
REQUIRED = ("date", "label")
OPTIONAL = ("kind", "source", "url", "note")
EVENT_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "label": pl.String(),
    "kind": pl.String(),
    "source": pl.String(),
    "url": pl.String(),
    "note": pl.String(),
    "precision": pl.String(),
}
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class EventsFileError(ValueError):
    """An events file cannot be used; the message names the file and line."""


def parse_event_date(text: str) -> tuple[date, str]:
    """``"2022-08-29"`` -> (date, "day"); ``"2021-08"`` -> (2021-08-01, "month").

    Examples
    --------
    >>> parse_event_date("2021-08")
    (datetime.date(2021, 8, 1), 'month')
    """
    text = text.strip()
    if m := _DAY.match(text):
        return date(int(m[1]), int(m[2]), int(m[3])), "day"
    if m := _MONTH.match(text):
        return date(int(m[1]), int(m[2]), 1), "month"
    raise ValueError(f"date {text!r} is not YYYY-MM-DD or YYYY-MM")


def load_events(path: Path | str | None = None) -> pl.DataFrame:
    """Read and check an events file (default: the shipped ``data/events.csv``).

    Returns
    -------
    pl.DataFrame
        ``date`` (Date), ``label``, ``kind``, ``source``, ``url``, ``note``
        (null when empty or absent) and ``precision`` (``"day"`` or
        ``"month"``), in file order.

    Raises
    ------
    EventsFileError
        The file is missing, not UTF-8, lacks a required column, or a row has
        a bad date, an empty label or the wrong number of fields.

    Examples
    --------
    >>> events = load_events()
    >>> events.filter(pl.col("label").str.contains("mimic")).select("date", "precision").row(0)
    (datetime.date(2022, 8, 29), 'day')
    """
    path = Path(path) if path is not None else DEFAULT_EVENTS
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise EventsFileError(f"{path}: no such events file") from None
    except OSError as exc:
        raise EventsFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise EventsFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise EventsFileError(f"{path}: empty file (expected a header with {', '.join(REQUIRED)})")
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise EventsFileError(
            f"{path}, line 1: missing column {', '.join(missing)} (header: {', '.join(header)}); "
            f"required: {', '.join(REQUIRED)}; optional: {', '.join(OPTIONAL)}"
        )
    where = {c: names.index(c) for c in (*REQUIRED, *OPTIONAL) if c in names}
    rows: list[dict[str, object]] = []
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue  # blank line
        if len(fields) != len(header):
            raise EventsFileError(f"{path}, line {line}: {len(fields)} fields, the header has {len(header)}")
        try:
            day, precision = parse_event_date(fields[where["date"]])
        except ValueError as exc:
            raise EventsFileError(f"{path}, line {line}: {exc}") from None
        label = fields[where["label"]].strip()
        if not label:
            raise EventsFileError(f"{path}, line {line}: empty label")
        row: dict[str, object] = {"date": day, "label": label, "precision": precision}
        for col in OPTIONAL:
            value = fields[where[col]].strip() if col in where else ""
            row[col] = value or None
        rows.append(row)
    return pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row") if rows else pl.DataFrame(schema=EVENT_SCHEMA)
