"""Exports researchers can cite: CSV/JSON bytes and a provenance sidecar.

Why one module. The CLI and the dashboard's download buttons must produce
the same bytes for the same table, so both call these functions. A number in a
paper needs its recipe: every file written gets ``FILE.meta.json`` with the
command, its parameters, the counting rule, the timezone, the store version
and dictionary hash it was computed from, and the software versions.

Safety. Post text, author names, quarantined raw lines and even file names
are untrusted: a cell beginning with ``=``, ``+``, ``-`` or ``@`` would run as
a formula when the CSV is opened in a spreadsheet, and spreadsheets also
evaluate one after leading spaces, a line break, or written with the
full-width signs ``＝＋－＠`` (IME input). Such string cells, and any that start
with a tab, carriage return or line feed, get a leading apostrophe (the OWASP
"CSV injection" advice). Only string cells are touched: a negative number in a
numeric column stays a number. :func:`csv_bytes` is the one CSV writer of
dtrack: every command that writes CSV goes through it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import platform as _platform
import sys
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.data.store import Store

#: A string cell matching this is escaped. What a spreadsheet may evaluate: a control character first, or a sign after
#: any run of spaces (ASCII or the ideographic U+3000).
FORMULA_RE = r"^(?:[\t\r\n]|[ \u3000]*[=+\-@＝＋－＠])"
BOM = b"\xef\xbb\xbf"
LIST_SEPARATOR = "|"


def _escape(expr: pl.Expr) -> pl.Expr:
    risky = expr.str.contains(FORMULA_RE)
    return pl.when(risky).then(pl.lit("'") + expr).otherwise(expr)


def _cells(df: pl.DataFrame) -> pl.DataFrame:
    """Every column as what a CSV cell shows: ISO dates and times, joined lists, escaped strings."""
    exprs = []
    for name, dtype in df.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.Datetime):
            fmt = "%Y-%m-%dT%H:%M:%S%:z" if dtype.time_zone else "%Y-%m-%dT%H:%M:%S"
            exprs.append(col.dt.strftime(fmt).alias(name))
        elif isinstance(dtype, pl.List):
            exprs.append(_escape(col.cast(pl.List(pl.String)).list.join(LIST_SEPARATOR)).alias(name))
        elif dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum):
            exprs.append(_escape(col.cast(pl.String)).alias(name))
        else:
            exprs.append(col)
    return df.select(exprs)


def csv_bytes(df: pl.DataFrame, *, excel: bool = False) -> bytes:
    """The CSV for a table: UTF-8, header, ``\\n`` line ends, formula cells escaped.

    ``excel=True`` prepends a UTF-8 byte order mark so Excel shows Japanese.
    Dates are ISO (``2022-08-29``), times ISO with offset, lists joined by ``|``,
    nulls empty.

    Examples
    --------
    >>> df = pl.DataFrame({"text": ["=1+1", "ok", "-x"], "share": [-1.5, 2.0, None]})
    >>> print(csv_bytes(df).decode(), end="")
    text,share
    '=1+1,-1.5
    ok,2.0
    '-x,
    >>> csv_bytes(df, excel=True)[:3] == BOM
    True
    """
    data = _cells(df).write_csv(line_terminator="\n").encode("utf-8")
    return BOM + data if excel else data


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def json_records(df: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: ISO dates, null for NaN/inf and missing values."""
    return [_jsonable(row) for row in df.iter_rows(named=True)]


def json_bytes(df: pl.DataFrame) -> bytes:
    """A JSON list of objects (one per row), UTF-8, indented, newline-terminated.

    Examples
    --------
    >>> import datetime as dt
    >>> json_bytes(pl.DataFrame({"day": [dt.date(2022, 8, 29)], "x": [float("inf")]}))
    b'[\\n  {\\n    "day": "2022-08-29",\\n    "x": null\\n  }\\n]\\n'
    """
    return (json.dumps(json_records(df), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


#: Integers beyond this are not exact in a spreadsheet (a double has 53 bits): written as text.
EXACT_INTEGER = 2**53
XLSX_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
                "in_memory": True}


def _excel_cells(df: pl.DataFrame) -> pl.DataFrame:
    """Columns as a spreadsheet keeps them: times as local wall-clock times (Excel has no offsets; the
    offset is the sidecar's timezone), lists joined, integers too long for a double as text."""
    exprs = []
    for name, dtype in df.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.Datetime) and dtype.time_zone:
            exprs.append(col.dt.replace_time_zone(None))
        elif isinstance(dtype, pl.List):
            exprs.append(col.cast(pl.List(pl.String)).list.join(LIST_SEPARATOR))
        elif _as_text(df, name, dtype):
            exprs.append(col.cast(pl.String))
        else:
            exprs.append(col)
    return df.select(exprs)


def _as_text(df: pl.DataFrame, name: str, dtype: pl.DataType) -> bool:
    """Categoricals, and integer columns with a value a double cannot hold exactly."""
    if dtype == pl.Categorical or isinstance(dtype, pl.Enum):
        return True
    return dtype.is_integer() and df.height > 0 and (df.get_column(name).abs().max() or 0) >= EXACT_INTEGER


def _flat(meta: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for k, v in meta.items():
        name = f"{prefix}{k}"
        if isinstance(v, Mapping):
            rows += _flat(v, name + ".")
        elif isinstance(v, list | tuple):
            rows.append((name, ", ".join("" if x is None else str(_jsonable(x)) for x in v)))
        else:
            rows.append((name, "" if v is None else str(_jsonable(v))))
    return rows


def xlsx_bytes(df: pl.DataFrame, meta: Mapping[str, Any] | None = None) -> bytes:
    """An Excel workbook of a table: sheet ``data``, and the provenance (the sidecar's keys) on ``provenance``.

    Why not the CSV: a spreadsheet turns a 19-digit post id into
    1.30000000000702E+18, and the id is the citation key. Here every string
    stays text (ids, and text starting with ``=`` never becomes a formula),
    dates and times are real dates, numbers keep full precision.

    Examples
    --------
    >>> import io, openpyxl
    >>> book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pl.DataFrame({"post_id": ["1300000000000702000"]}),
    ...                                                     {"command": "posts"})))
    >>> book["data"]["A2"].value, book["provenance"]["B1"].value
    ('1300000000000702000', 'posts')
    """
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, XLSX_OPTIONS)
    _excel_cells(df).write_excel(workbook=book, worksheet="data", autofit=True,
                                 dtype_formats={pl.Date: "yyyy-mm-dd", pl.Datetime: "yyyy-mm-dd hh:mm:ss"},
                                 float_precision=6)
    sheet = book.add_worksheet("provenance")
    for i, (name, value) in enumerate(_flat(meta or {})):
        sheet.write_string(i, 0, name)
        sheet.write_string(i, 1, value)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 80)
    book.close()
    return buffer.getvalue()


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def software_versions() -> dict[str, str | None]:
    """Versions of dtrack and the libraries that shape its numbers."""
    cli = sys.modules.get("dtrack")
    return {
        "dtrack": getattr(cli, "__version__", None) or _version("dtrack"),
        "fugashi": _version("fugashi"),
        "unidic_lite": _version("unidic-lite"),
        "polars": pl.__version__,
        "python": _platform.python_version(),
    }


def dictionary_hash(store: Store) -> str | None:
    """The hash of the term dictionary the store's hits were tagged with.

    Read from the store's meta (``dictionary_hash``, top level or inside a
    tagging record) and, failing that, from the hits themselves; several
    hashes (a partly re-tagged store) are joined with ``,``.
    """
    meta = store.manifest().get("meta", {})
    if isinstance(meta.get("dictionary_hash"), str):
        return meta["dictionary_hash"]
    tagging = meta.get("tagging")  # what nlp.tagger records after each run
    if isinstance(tagging, Mapping) and isinstance(tagging.get("dictionary_hash"), str):
        return str(tagging["dictionary_hash"])
    for value in meta.values():
        if isinstance(value, Mapping) and isinstance(value.get("dictionary_hash"), str):
            return str(value["dictionary_hash"])
    found = (
        store.scan_hits().select(pl.col("dictionary_hash").drop_nulls().unique().sort()).collect().to_series().to_list()
    )
    return ",".join(found) if found else None


def sidecar(command: str, params: dict[str, Any], store: Store, *, rule: str, tz: str) -> dict[str, Any]:
    """The provenance record written next to an export as ``FILE.meta.json``.

    Keys: ``command``, ``parameters``, ``counting_rule``, ``timezone``,
    ``store``, ``store_version``, ``dictionary_hash``, ``versions`` (dtrack,
    fugashi, unidic_lite, polars, python) and ``created_at`` (UTC). Callers may
    add ``notes``; :func:`write_csv` adds ``file``, ``format``, ``rows`` and ``sha256``.
    """
    return {
        "command": command,
        "parameters": _jsonable(dict(params)),
        "counting_rule": rule,
        "timezone": tz,
        "store": str(store.path),
        "store_version": store.version,
        "dictionary_hash": dictionary_hash(store),
        "versions": software_versions(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }


def meta_path(path: str | os.PathLike[str]) -> Path:
    """``FILE`` -> ``FILE.meta.json``."""
    path = Path(path)
    return path.with_name(path.name + ".meta.json")


def describe_file(meta: Mapping[str, Any], data: bytes, *, name: str, fmt: str, rows: int) -> dict[str, Any]:
    """The sidecar of one written file: ``meta`` plus the file's name, format, rows and sha256."""
    return {**meta, "file": name, "format": fmt, "rows": rows, "sha256": hashlib.sha256(data).hexdigest()}


def meta_bytes(meta: Mapping[str, Any]) -> bytes:
    """A sidecar as UTF-8 JSON bytes (the dashboard offers the same bytes)."""
    return (json.dumps(_jsonable(meta), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename; the file gets the permissions of the user's umask
    (``mkstemp`` makes it 0600, which colleagues on a shared server could not read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_export(data: bytes, path: str | os.PathLike[str], *, meta: Mapping[str, Any], fmt: str, rows: int) -> Path:
    """Write ``data`` to ``path`` and its sidecar to ``path.meta.json``; return the sidecar path."""
    path = Path(path)
    _atomic_write(path, data)
    side = meta_path(path)
    _atomic_write(side, meta_bytes(describe_file(meta, data, name=path.name, fmt=fmt, rows=rows)))
    return side


def write_csv(df: pl.DataFrame, path: str | os.PathLike[str], *, excel: bool = False, meta: Mapping[str, Any]) -> Path:
    """Write ``df`` as CSV (see :func:`csv_bytes`) with its ``FILE.meta.json``; return the sidecar path."""
    return write_export(csv_bytes(df, excel=excel), path, meta=meta, fmt="csv", rows=df.height)


def write_json(df: pl.DataFrame, path: str | os.PathLike[str], *, meta: Mapping[str, Any]) -> Path:
    """Write ``df`` as JSON (see :func:`json_bytes`) with its ``FILE.meta.json``; return the sidecar path."""
    return write_export(json_bytes(df), path, meta=meta, fmt="json", rows=df.height)
