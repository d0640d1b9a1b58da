"""`dtrack sources` and `dtrack quarantine` as CSV: untrusted cells come out escaped (formula injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from dtrack import main

GOOD = '{"id":"%s","created_at":"2023-01-01T00:00:00Z","text":"ok"}\n'


def test_quarantined_lines_and_file_names_cannot_run_as_formulas(tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(tmp_path / "s")
    with runner.isolated_filesystem(temp_dir=tmp_path):
        # a relative path: the file name is the first thing in the cell
        Path("=1+1.ndjson").write_text(
            '=HYPERLINK("http://evil.example","x")\n @SUM(A1)\n＝1+1\n' + GOOD % 1, encoding="utf-8")
        res = runner.invoke(main, ["ingest", "=1+1.ndjson", "--format", "ndjson", "--store", store, "--no-tag"])
        assert res.exit_code == 3, res.output
        quarantined = runner.invoke(main, ["quarantine", "--format", "csv", "--store", store]).output
        sources = runner.invoke(main, ["sources", "--format", "csv", "--store", store]).output
    rows = list(csv.DictReader(io.StringIO(quarantined)))
    assert sorted(r["raw"] for r in rows) == sorted(["'=HYPERLINK(\"http://evil.example\",\"x\")", "' @SUM(A1)",
                                                     "'＝1+1"])
    assert {r["source_file"] for r in rows} == {"'=1+1.ndjson"}
    assert [r["path"] for r in csv.DictReader(io.StringIO(sources))] == ["'=1+1.ndjson"]


def test_ingest_force_lists_each_quarantined_line_once(tmp_path: Path) -> None:
    import json

    src = tmp_path / "mixed.ndjson"
    src.write_text("{broken\n" + GOOD % 1 + "also broken\n", encoding="utf-8")
    store = str(tmp_path / "s")
    runner = CliRunner()
    for args in (["ingest", str(src)], ["ingest", str(src), "--force"], ["ingest", str(src), "--force"]):
        assert runner.invoke(main, [*args, "--format", "ndjson", "--store", store, "--no-tag"]).exit_code == 3
    records = json.loads(runner.invoke(main, ["quarantine", "--format", "json", "--store", store]).output)
    assert sorted(r["source_line"] for r in records) == [1, 3]
