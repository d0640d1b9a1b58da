"""The ingest loop's door: times outside the plausible range are quarantined with the reason, on the
fast (DataFrame) path and the slow (dict) path alike, and the range can be widened."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.collectors.records import ParseContext
from dtrack.data.store import Store
from dtrack.data.times import TIME_RANGE_ENV, parse_time_range

LINES = [
    {"id": "1", "created_at": "0001-01-01T00:00:00", "text": "year 0 in UTC"},
    {"id": "2", "created_at": "2023-01-01T00:00:00", "text": "fine"},
    {"id": "3", "created_at": "9999-12-31T23:00:00", "text": "year 10000 in New York? no: earlier"},
    {"id": "4", "created_at": "1998-12-31T23:59:59Z", "text": "before 1999"},
    {"id": "5", "created_at": "2400-01-01T00:00:00Z", "text": "the future"},
    {"id": "6", "created_at": -62135596800, "text": "epoch of year 1"},
]


def _write(path: Path, broken: bool) -> Path:
    lines = [json.dumps(x) for x in LINES]
    if broken:  # one line polars cannot read sends the block down the slow path, record by record
        lines.append("{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ingest(store: Store, path: Path, **ctx: object) -> dict[int, str]:
    with store.writer() as w:
        report = ingest_source(w, path, fmt="ndjson", ctx=ParseContext(**ctx))  # type: ignore[arg-type]
    assert report.status == "ok", report.message
    rows = store.scan_quarantine().filter(pl.col("source_file") == str(path)).collect()
    return dict(zip(rows["source_line"], rows["reason"], strict=True))


@pytest.mark.parametrize("broken", [False, True], ids=["fast path", "slow path"])
def test_times_outside_the_range_are_quarantined_with_the_reason(store: Store, tmp_path: Path, broken: bool) -> None:
    reasons = _ingest(store, _write(tmp_path / "t.ndjson", broken), tz=ZoneInfo("Asia/Tokyo"))
    assert sorted(store.scan_posts().collect()["post_id"]) == ["2"]
    assert {n: r for n, r in reasons.items() if n <= 6}.keys() == {1, 3, 4, 5, 6}
    assert reasons[4] == ("created_at 1998-12-31T23:59:59+00:00 outside the plausible range 1999-01-01..now+1d "
                          f"(widen it with --time-range or {TIME_RANGE_ENV})")
    assert "2400-01-01T00:00:00+00:00 outside" in reasons[5]
    # year 0 cannot be a Python datetime: the slow path calls it unreadable, the fast path shows it
    assert "outside the plausible range" in reasons[1] or "unreadable" in reasons[1]


def test_a_wider_range_from_the_environment_lets_old_posts_in(store: Store, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIME_RANGE_ENV, "1990-01-01..2500-01-01")
    reasons = _ingest(store, _write(tmp_path / "t.ndjson", False))
    assert sorted(store.scan_posts().collect()["post_id"]) == ["2", "4", "5"]
    assert set(reasons) == {1, 3, 6}
    assert "1990-01-01..2500-01-01" in reasons[3]


@pytest.mark.parametrize(("text", "message"), [
    ("2000", "expected EARLIEST..LATEST"),
    ("yesterday..", "use ISO dates"),
    ("2020-01-01..2010-01-01", "before the earliest"),
])
def test_a_bad_range_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_time_range(text)


def test_range_bounds_are_utc_and_open_ends_take_the_defaults() -> None:
    import datetime as dt

    r = parse_time_range("1990-01-01..")
    assert r.earliest == dt.datetime(1990, 1, 1, tzinfo=dt.UTC) and r.latest is None
    assert str(r) == "1990-01-01..now+1d"
    assert str(parse_time_range("..2030-06-30T12:00:00+09:00")) == "1999-01-01..2030-06-30T03:00:00Z"
