"""docs/api.md runs: its code blocks against a store of the bundled samples, in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dtrack import main

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "api.md"


def test_the_api_page_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(main, ["ingest", str(ROOT / "data" / "samples"), "--store",
                                       str(tmp_path / "data" / "store")])
    assert result.exit_code in (0, 3), result.output
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DTRACK_TZ", raising=False)
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 6
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)
