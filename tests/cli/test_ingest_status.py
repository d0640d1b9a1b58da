"""The `dtrack` CLI contract: exit statuses, status JSON keys, stdin, help examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dtrack import main
from dtrack.cli.main import command_table, load_command

FIX = Path(__file__).parent.parent / "collectors" / "fixtures" / "generic"


def _run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_ingest_exit_statuses(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    ok = _run("ingest", str(FIX / "naive_jst.ndjson"), "--store", store)
    assert ok.exit_code == 0, ok.output
    assert "read 4, new 4, duplicate 0, quarantined 0" in ok.output
    quarantined = _run("ingest", str(FIX / "broken.ndjson"), "--store", store)
    assert quarantined.exit_code == 3
    missing = _run("ingest", str(tmp_path / "nope.ndjson"), "--store", store)
    assert missing.exit_code == 1 and "no such file" in missing.output
    unknown = tmp_path / "prose.txt"
    unknown.write_text("ただの文章\n")
    res = _run("ingest", str(unknown), "--store", store)
    assert res.exit_code == 1 and "tried: " in res.output and "--format" in res.output
    assert _run("ingest", "--store", store).exit_code == 2  # no PATH: usage error
    assert _run("ingest", str(unknown), "--format", "nope", "--store", store).exit_code == 2


def test_status_json_is_unchanged_by_a_second_ingest(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    paths = [str(FIX / "naive_jst.ndjson"), str(FIX / "broken.ndjson")]
    _run("ingest", *paths, "--store", store)
    first = json.loads(_run("status", "--format", "json", "--store", store).output)
    for key in ("posts", "platforms", "hits", "quarantined", "sources", "first_post", "last_post"):
        assert key in first
    assert first["posts"] == 6 and first["platforms"] == {"generic": 6}
    assert first["quarantined"] == 5 and first["sources"] == 2
    assert first["first_post"] == "2021-04-10T10:00:00Z"
    _run("ingest", *paths, "--store", store)
    folder = tmp_path / "copies" / "nested"
    folder.mkdir(parents=True)
    for p in paths:  # renamed copies in a folder: same content, same sha256
        (folder / ("copy-" + Path(p).name)).write_bytes(Path(p).read_bytes())
    _run("ingest", str(tmp_path / "copies"), "--store", store)
    assert json.loads(_run("status", "--format", "json", "--store", store).output) == first


def test_ingest_from_stdin_with_mapping(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    data = '{"key": "a1", "when": "2022-08-29 10:00", "body": "標準入力から"}\n'.encode()
    res = _run("ingest", "-", "--map", "post_id=key,created_at=when,text=body", "--platform", "survey",
               "--store", store, input=data)
    assert res.exit_code == 0, res.output
    assert "<stdin>" in res.output
    status = json.loads(_run("status", "--format", "json", "--store", store).output)
    assert status["platforms"] == {"survey": 1}
    bad = _run("ingest", "-", "--map", "bogus", "--store", store, input=data)
    assert bad.exit_code == 2


def test_store_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTRACK_STORE", str(tmp_path / "env-store"))
    assert _run("ingest", str(FIX / "naive_jst.ndjson")).exit_code == 0
    assert (tmp_path / "env-store" / "manifest.json").exists()


def test_every_command_has_an_example() -> None:
    for name in command_table():
        command = load_command(name)
        groups = getattr(command, "commands", None)
        for sub in [command, *(groups or {}).values()]:
            assert "Example" in (sub.help or ""), f"dtrack {name} {sub.name} --help lacks an example"


def test_module_entry_point_runs(tmp_path: Path, subprocess_env: dict) -> None:
    res = subprocess.run([sys.executable, "-m", "dtrack", "--help"], env=subprocess_env,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and "ingest" in res.stdout


def test_sources_and_quarantine_listings(tmp_path: Path) -> None:
    import csv
    import io

    store = str(tmp_path / "s")
    _run("ingest", str(FIX / "naive_jst.ndjson"), str(FIX / "broken.ndjson"), "--store", store)
    listed = json.loads(_run("sources", "--format", "json", "--store", store).output)
    assert [(Path(r["path"]).name, r["new"], r["quarantined"]) for r in listed] == [
        ("naive_jst.ndjson", 4, 0), ("broken.ndjson", 2, 5)]
    table = list(csv.DictReader(io.StringIO(_run("sources", "--format", "csv", "--store", store).output)))
    assert [row["format"] for row in table] == ["ndjson", "ndjson"]
    text = _run("quarantine", "--limit", "2", "--store", store).output
    assert f"{FIX / 'broken.ndjson'}:2: not valid JSON" in text and "and 3 more" in text
    records = json.loads(_run("quarantine", "--format", "json", "--store", store).output)
    assert sorted(r["source_line"] for r in records) == [2, 3, 4, 5, 7]
    only = _run("quarantine", "--source", "elsewhere.ndjson", "--store", store).output
    assert "nothing quarantined" in only


def test_status_where_no_store_exists_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "no-store"
    for fmt in ("text", "json"):
        res = _run("status", "--store", str(missing), "--format", fmt)
        assert res.exit_code == 1 and f"no store at {missing}" in res.output, res.output
    assert not missing.exists()  # looking creates nothing


def test_map_error_names_the_option_once(tmp_path: Path) -> None:
    res = _run("ingest", "-", "--map", "bogus", "--store", str(tmp_path / "s"), input=b"")
    assert res.exit_code == 2
    assert "Invalid value for --map: expects field=column, got 'bogus'" in res.output
    assert res.output.count("--map") == 1


@pytest.mark.parametrize(("content", "says"), [(b"", "empty file (0 bytes)"),
                                                (b"\n  \n\t\n", "empty file (only blank lines or spaces)")])
def test_an_empty_input_is_reported_as_empty(tmp_path: Path, content: bytes, says: str) -> None:
    empty = tmp_path / "posts.ndjson"
    empty.write_bytes(content)
    res = _run("ingest", str(empty), "--store", str(tmp_path / "s"))
    assert res.exit_code == 1 and says in res.output and "not a format" not in res.output, res.output
    piped = _run("ingest", "-", "--store", str(tmp_path / "s"), input=content)
    assert piped.exit_code == 1 and says in piped.output, piped.output
