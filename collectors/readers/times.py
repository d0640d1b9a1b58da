"""The one time parser: every timestamp an export writes, read as an aware UTC datetime.

Formats hand ``created_at`` over as they find it (a datetime, epoch seconds or
milliseconds, ISO 8601, Twitter's ``Wed Aug 29 03:00:00 +0000 2022``, the
``2022/08/29(月) 12:34:56.78`` of Japanese boards); the pipeline reads it
here. A time without a zone is read in the research timezone (``ctx.tz``,
default Asia/Tokyo), never silently as UTC. :func:`parse_time` reads one
value; :func:`parse_time_series` and :func:`parse_times` read a polars column
at a time (polars is imported only by them) and fall back to
:func:`parse_time` for what their formats do not read, so the column and the
single-value paths agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dtrack.data.defaults import DEFAULT_TZ

if TYPE_CHECKING:
    import polars as pl

#: Twitter's ``created_at`` (API v1.1, X archives): ``Wed Aug 29 03:00:00 +0000 2022``.
TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"
#: ``2022/08/29(月) 12:34:56.78`` and ``99/05/30(日) 01:02``: the date, an optional weekday,
#: the time, then whatever follows (5ch writes ``ID:...`` there).
_SLASH_RE = re.compile(
    r"^\s*(\d{2,4})/(\d{1,2})/(\d{1,2})(?:\s*\([^)]*\))?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(.*)$",
    re.DOTALL,
)
_EPOCH_RE = re.compile(r"^-?\d+(\.\d+)?$")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def from_epoch(value: float) -> dt.datetime:
    """Epoch seconds, milliseconds or microseconds (told apart by size) as UTC."""
    if abs(value) > 1e14:  # microseconds
        value /= 1e6
    elif abs(value) > 1e11:  # milliseconds
        value /= 1e3
    return dt.datetime.fromtimestamp(value, dt.UTC)


def parse_slash_time(text: str, tz: dt.tzinfo, *, two_digit_years: bool = False) -> tuple[dt.datetime | None, str]:
    """``YYYY/MM/DD(曜) hh:mm[:ss[.frac]]`` read in ``tz``, as UTC, and the text after it.

    With ``two_digit_years`` a year ``99`` is 1999 and ``05`` 2005 (early 2ch).
    Returns ``(None, text)`` when ``text`` does not start with such a time.
    """
    m = _SLASH_RE.match(text)
    if not m:
        return None, text
    y, mo, d, h, mi, s, frac, rest = m.groups()
    year = int(y)
    if len(y) == 2 and two_digit_years:
        year += 1900 if year >= 90 else 2000
    elif len(y) != 4:
        return None, text
    try:
        local = dt.datetime(year, int(mo), int(d), int(h), int(mi), int(s or 0),
                            int((frac or "0")[:6].ljust(6, "0")), tzinfo=tz)
        return local.astimezone(dt.UTC), rest  # 0001/01/01 in Tokyo is year 0 in UTC: unreadable, not a crash
    except (ValueError, OverflowError):
        return None, text


def parse_time(value: Any, tz: dt.tzinfo | None = None) -> dt.datetime | None:
    """Read a timestamp as an aware UTC datetime; None when it cannot be read.

    Accepts datetimes, epoch seconds (or milliseconds) as numbers or digit
    strings, ISO 8601 (with ``Z``, an offset, or none), Twitter's
    ``Wed Aug 29 03:00:00 +0000 2022`` and ``2022/08/29(月) 12:34:56.78``.
    Times without a zone are read in ``tz`` (default Asia/Tokyo).
    """
    tz = tz or ZoneInfo(DEFAULT_TZ)
    try:
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, dt.datetime):
            parsed = value
        elif isinstance(value, int | float):
            return from_epoch(float(value))
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if _EPOCH_RE.match(text):
                return from_epoch(float(text))
            try:
                parsed = dt.datetime.fromisoformat(text)
            except ValueError:
                try:
                    parsed = dt.datetime.strptime(text, TWITTER_TIME)
                except ValueError:
                    return parse_slash_time(text, tz)[0]
        else:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz)
        return parsed.astimezone(dt.UTC)  # 0001-01-01 in Tokyo is year 0 in UTC: unreadable, not a crash
    except (ValueError, OverflowError, OSError):
        return None


def time_text(value: Any, fast: re.Pattern[str]) -> str | None:
    """``value`` as a string a column parser reads: kept as it is when it matches ``fast``
    (the format the export writes), else read by :func:`parse_time` (naive as UTC) and
    written as ISO 8601; None when it cannot be read at all."""
    if isinstance(value, str) and fast.match(value):
        return value
    parsed = parse_time(value, dt.UTC)
    return parsed.isoformat() if parsed is not None else None


def twitter_time(when: dt.datetime) -> str:
    """``when`` (UTC) written as Twitter writes ``created_at``, in English whatever the
    process locale (strftime's %a and %b follow the locale)."""
    when = when.astimezone(dt.UTC)
    return (f"{_DAYS[when.weekday()]} {_MONTHS[when.month - 1]} {when.day:02d} "
            f"{when:%H:%M:%S} +0000 {when.year}")


def parse_times(values: pl.Series, formats: str | Sequence[str], tz: dt.tzinfo | None = None) -> pl.Series:
    """A string column in one of ``formats`` (tried in order; UTC unless a format has
    ``%z``) as ``Datetime(us, UTC)``; anything they do not read goes through
    :func:`parse_time` one by one (naive times in ``tz``)."""
    import polars as pl

    target = pl.Datetime("us", "UTC")
    formats = [formats] if isinstance(formats, str) else list(formats)
    out = values.str.to_datetime(formats[0], strict=False, time_unit="us", time_zone="UTC")
    for fmt in formats[1:]:
        if not out.null_count():
            break
        out = out.fill_null(values.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC"))
    todo = out.is_null() & values.is_not_null()
    if todo.any():
        fixed = [parse_time(v, tz or dt.UTC) for v in values.filter(todo).to_list()]
        out = out.scatter(todo.arg_true(), pl.Series(fixed, dtype=target))
    return out.cast(target)


#: Lengths of the ISO 8601 UTC times :func:`iso_z_series` reads: seconds, milliseconds, microseconds.
_ISO_Z_LENGTHS = {20: 1, 24: 1_000, 27: 1}
_ISO_Z_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)


def iso_z_series(values: pl.Series) -> pl.Series | None:
    """``Datetime(us, UTC)`` for a column whose every value is ``YYYY-MM-DDTHH:MM:SSZ``, with
    3 or 6 fraction digits or none, else None.

    The commonest time in exports, read by arithmetic on the bytes (about 2.5 times faster
    than polars' general format parser, which cost a fifth of a generic NDJSON ingest).
    Anything else, a null or a field out of range (month 13, 31 June, second 60, year 0)
    included, returns None and the general parser reads the column: the two agree on every
    value this one accepts (tests/collectors/readers/test_times.py checks them against each other)."""
    import numpy as np
    import polars as pl

    n = values.len()
    if n == 0 or values.null_count():
        return None
    lengths = values.str.len_bytes()
    widths = lengths.unique().to_list()
    if not set(widths) <= _ISO_Z_LENGTHS.keys():
        return None
    if len(widths) == 1:
        micros = _iso_z_micros(values, widths[0])
    else:  # e.g. Python's isoformat() leaves out a zero fraction
        micros = np.empty(n, dtype=np.int64)
        for width in widths:
            rows = (lengths == width).arg_true()
            part = _iso_z_micros(values.gather(rows), width)
            if part is None:
                return None
            micros[rows.to_numpy()] = part
    if micros is None:
        return None
    # through a buffer, not the numpy array: converting one makes polars import numpy.ma (30 ms a process),
    # for 0.02 s more per 1,000,000 values (the native pass hands its times over as Arrow arrays instead)
    return pl.Series(values.name, memoryview(micros), dtype=pl.Int64).cast(pl.Datetime("us", "UTC"))


def _iso_z_micros(values: pl.Series, width: int) -> Any:
    """Microseconds since 1970 of ISO 8601 UTC times all ``width`` bytes long (a numpy array),
    or None when one of them is not such a time."""
    import numpy as np

    n = values.len()
    raw = np.frombuffer(values.str.join("").item().encode(), dtype=np.uint8)
    if raw.size != n * width:
        return None
    rows = raw.reshape(n, width)
    seps = {4: b"-", 7: b"-", 10: b"T", 13: b":", 16: b":", width - 1: b"Z"} | ({19: b"."} if width > 20 else {})
    for at, char in seps.items():
        if not (rows[:, at] == char[0]).all():
            return None
    positions = list(_ISO_Z_DIGITS) + list(range(20, width - 1))
    digits = rows[:, positions] - np.uint8(48)  # a byte below "0" wraps round to over 9
    if (digits > 9).any():
        return None

    def number(first: int, count: int) -> np.ndarray:
        out = digits[:, first].astype(np.int64)
        for k in range(first + 1, first + count):
            out = out * 10 + digits[:, k]
        return out

    year, month, day = number(0, 4), number(4, 2), number(6, 2)
    hour, minute, second = number(8, 2), number(10, 2), number(12, 2)
    fraction = number(14, width - 21) * _ISO_Z_LENGTHS[width] if width > 20 else 0
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)] \
        + ((month == 2) & leap)
    if not ((year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
            & (hour <= 23) & (minute <= 59) & (second <= 59)).all():
        return None
    # days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    days = era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468
    return ((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000 + fraction


def parse_time_series(values: pl.Series, tz: Any) -> pl.Series:
    """Vectorised :func:`parse_time` (to ``Datetime(us, UTC)``): numbers are epoch seconds, strings ISO 8601
    with or without a zone (naive read in ``tz``) or Twitter's format; anything else goes through
    :func:`parse_time` one by one."""
    import polars as pl

    target = pl.Datetime("us", "UTC")
    if values.dtype.is_numeric():
        secs = values.cast(pl.Float64)
        secs = pl.select(
            pl.when(secs.abs() > 1e14).then(secs / 1e6)
            .when(secs.abs() > 1e11).then(secs / 1e3).otherwise(secs)
        ).to_series()
        # outside what a Python datetime holds (years 1-9999) is unreadable, as in parse_time
        secs = secs.set(~secs.is_between(-62_135_596_800, 253_402_300_799), None)
        return (secs * 1e6).cast(pl.Int64).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    if isinstance(values.dtype, pl.Datetime):
        if values.dtype.time_zone is None:  # type: ignore[union-attr]
            values = values.dt.replace_time_zone(str(tz), ambiguous="earliest", non_existent="null")
        return values.dt.convert_time_zone("UTC").cast(target)
    if values.dtype == pl.String:
        fast = iso_z_series(values)
        if fast is not None:
            return fast
    text = values.cast(pl.String).str.strip_chars()
    zone = str(tz)

    def iso_aware(v: pl.Series) -> pl.Series:
        return v.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%#z", strict=False, time_unit="us", time_zone="UTC")

    def iso_naive(v: pl.Series) -> pl.Series:
        return (v.str.replace("T", " ", literal=True)
                .str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us")
                .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
                .dt.convert_time_zone("UTC"))

    def twitter(v: pl.Series) -> pl.Series:
        return v.str.to_datetime(TWITTER_TIME, strict=False, time_unit="us", time_zone="UTC")

    parsers = [iso_aware, iso_naive, twitter]
    # Pick the parser that reads most of a sample, run it on everything, and give
    # only what it left to the others: one full pass in the common case. ISO 8601
    # with a zone is by far the commonest: when it reads the whole sample, the
    # others are not tried on it (a small file costs one parse, not three).
    sample = text.drop_nulls().head(1000)
    if iso_aware(sample).null_count():
        parsers.sort(key=lambda f: -f(sample).is_not_null().sum())
    out = parsers[0](text)
    for parser in parsers[1:]:
        todo = out.is_null() & text.is_not_null()
        if not todo.any():
            break
        idx = todo.arg_true()
        out = out.scatter(idx, parser(text.gather(idx)))
    todo = out.is_null() & text.is_not_null()
    if todo.any():
        fixed = [parse_time(v, tz) for v in text.filter(todo).to_list()]
        out = out.scatter(todo.arg_true(), pl.Series(fixed, dtype=target))
    return out.cast(target)
