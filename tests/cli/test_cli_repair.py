"""A store holding posts with impossible times (written before the door check): every reading command
still answers, `dtrack status` warns, `dtrack repair` moves them to quarantine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dtrack import main
from tests.conftest import build_poisoned_store


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(build_poisoned_store(tmp_path_factory.mktemp("poisoned") / "store").path)


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("args", [
    ["status"], ["status", "--format", "json"], ["emergence"], ["kwic", "無断学習"], ["timeline", "無断学習"],
    ["timeline", "無断学習", "--tz", "America/New_York"], ["events"], ["posts", "無断学習"],
    ["xcorr", "無断学習", "無断学習"], ["sources"], ["quarantine", "--format", "csv"], ["repair", "--dry-run"],
], ids=lambda a: " ".join(a))
def test_every_reader_survives_a_bad_row_already_stored(poisoned: str, args: list[str]) -> None:
    res = _run(*args, "--store", poisoned)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 0, res.output
    assert "year 0 is out of range" not in res.output and "Traceback" not in res.output


def test_status_warns_and_repair_moves_the_rows(tmp_path: Path) -> None:
    store = str(build_poisoned_store(tmp_path / "store").path)
    status = _run("status", "--store", store)
    assert "warning: 2 stored posts are dated outside the plausible range 1999-01-01..now+1d" in status.output
    assert "`dtrack repair` moves them to quarantine" in status.output
    dry = _run("repair", "--dry-run", "--store", store)
    assert dry.output.startswith("would move 2 posts dated outside 1999-01-01..now+1d to quarantine (2 hits")
    done = _run("repair", "--store", store)
    assert done.exit_code == 0 and done.output.startswith("moved 2 posts dated outside")
    assert "nothing to repair" in _run("repair", "--store", store).output
    records = json.loads(_run("quarantine", "--format", "json", "--store", store).output)
    assert [r["source_line"] for r in sorted(records, key=lambda r: r["source_line"])] == [4, 5]
    assert all("moved from the posts by dtrack repair" in r["reason"] for r in records)
    assert json.loads(_run("status", "--format", "json", "--store", store).output)["posts_outside_time_range"] == 0


def test_a_bad_time_range_is_a_usage_error(tmp_path: Path) -> None:
    res = _run("repair", "--time-range", "last week", "--store", str(tmp_path / "s"))
    assert res.exit_code == 2 and "expected EARLIEST..LATEST" in res.output
    res = _run("ingest", "x.ndjson", "--time-range", "2020..2010", "--store", str(tmp_path / "s"))
    assert res.exit_code == 2 and "Invalid value for '--time-range'" in res.output
