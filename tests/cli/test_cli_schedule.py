"""`dtrack schedule add/list/remove/run-now` and `dtrack scheduler` through click's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dtrack import main
from dtrack.collectors.pipeline.ledger import read_ledger
from dtrack.collectors.pipeline.watch import STOP
from dtrack.data.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "collectors" / "fixtures" / "schedule"


@pytest.fixture(autouse=True)
def _clear_stop():
    STOP.clear()
    yield
    STOP.clear()


def run(*args: str, store: Store):
    return CliRunner().invoke(main, [*args, "--store", str(store.path)], catch_exceptions=False)


@pytest.mark.parametrize(
    "command",
    [["schedule"], ["schedule", "add"], ["schedule", "list"], ["schedule", "remove"], ["schedule", "run-now"],
     ["scheduler"]],
)
def test_every_help_ends_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    description = result.output.split("\nOptions:")[0]  # the docstring; click lists options after it
    assert "Example:" in description
    example = description.rsplit("Example:", 1)[1].strip()
    assert example.startswith("dtrack ") and all(line.strip().startswith("dtrack ") for line in example.splitlines())


def test_add_list_run_now_remove(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    watch.mkdir()
    shutil.copyfile(FIXTURES / "posts_a.ndjson", watch / "a.ndjson")
    shutil.copyfile(FIXTURES / "partly_bad.ndjson", watch / "b.ndjson")
    added = run("schedule", "add", "drop", "--watch", str(watch), "--every", "15m", "--settle", "0", "--no-tag",
                store=store)
    assert added.exit_code == 0, added.output
    assert "added drop" in added.output and "every 15m" in added.output

    listed = json.loads(run("schedule", "list", "--format", "json", store=store).output)
    assert listed["scheduler"] is None
    (job,) = listed["jobs"]
    assert {k: job[k] for k in ("name", "watch", "trigger", "format", "recursive", "last_run")} == {
        "name": "drop", "watch": str(watch.resolve()), "trigger": "every 15m", "format": None,
        "recursive": False, "last_run": None}
    assert job["next_run"] is not None and job["hook"] is None

    first = run("schedule", "run-now", "drop", store=store)
    assert first.exit_code == 3, first.output  # stored, with a quarantined line
    assert "a.ndjson: ndjson: read 3, new 3" in first.output
    second = run("schedule", "run-now", "drop", "--json", store=store)
    assert second.exit_code == 0
    record = json.loads(second.output)
    assert (record["status"], record["files_seen"], record["files_ingested"], record["trigger"]) == (
        "ok", 2, 0, "run-now")

    text = run("schedule", "list", store=store).output
    assert "scheduler: not running" in text and "drop:" in text and "last run" in text and " ok (0 new" in text

    assert run("schedule", "remove", "drop", store=store).exit_code == 0
    assert json.loads(run("schedule", "list", "--format", "json", store=store).output)["jobs"] == []
    assert read_ledger(store).height == 2  # the history stays
    gone = run("schedule", "remove", "drop", store=store)
    assert gone.exit_code == 1 and "no watch job named 'drop'" in gone.output


def test_run_now_of_a_missing_folder_fails_with_the_reason(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    watch.mkdir()
    assert run("schedule", "add", "x", "--watch", str(watch), "--no-tag", store=store).exit_code == 0
    watch.rmdir()
    result = run("schedule", "run-now", "x", store=store)
    assert result.exit_code == 1 and "does not exist" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--every", "1h", "--cron", "0 3 * * *"], "not both"),
        (["--every", "soon"], "--every"),
        (["--cron", "0 3 * *"], "5 fields"),
        (["--tag-hook", "nlp.tagger.tag_store"], "package.module:function"),
    ],
)
def test_add_rejects_bad_options_with_usage_errors(store: Store, tmp_path: Path, args: list[str],
                                                   message: str) -> None:
    result = run("schedule", "add", "x", "--watch", str(tmp_path), *args, store=store)
    assert result.exit_code == 2 and message in result.output


def test_add_rejects_a_missing_folder_and_a_bad_name(store: Store, tmp_path: Path) -> None:
    assert run("schedule", "add", "x", "--watch", str(tmp_path / "nope"), store=store).exit_code == 2
    bad = run("schedule", "add", "no/slash", "--watch", str(tmp_path), store=store)
    assert bad.exit_code == 2 and "schedule name" in bad.output


def test_run_now_of_an_unknown_job(store: Store) -> None:
    result = run("schedule", "run-now", "nope", store=store)
    assert result.exit_code == 1 and "no watch job named 'nope'" in result.output


def test_docs_cover_every_option_and_ledger_column() -> None:
    """docs/scheduler.md cannot drift from the commands (datasette's test_docs idea)."""
    from dtrack.cli.schedule import schedule, scheduler
    from dtrack.collectors.pipeline.ledger import LEDGER_SCHEMA

    docs = (Path(__file__).resolve().parents[2] / "docs" / "scheduler.md").read_text()
    commands = [*schedule.commands.values(), scheduler]
    for command in commands:
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--store", "--help"):
                    assert f"`{opt}" in docs, f"{command.name} {opt} is not documented"
    for column in LEDGER_SCHEMA:
        assert column in docs, f"ledger column {column} is not documented"
    assert "[Service]" in docs and "ExecStart=" in docs


def test_add_compact_runs_compaction_after_each_run(store: Store, tmp_path: Path) -> None:
    watch = tmp_path / "in"
    watch.mkdir()
    added = run("schedule", "add", "merging", "--watch", str(watch), "--settle", "0", "--compact", store=store)
    assert added.exit_code == 0, added.output
    (job,) = json.loads(run("schedule", "list", "--format", "json", store=store).output)["jobs"]
    assert job["compact"] is True
    for name in ("posts_a.ndjson", "posts_b.ndjson"):  # two runs, each adding a file to the same month
        shutil.copyfile(FIXTURES / name, watch / name)
        assert run("schedule", "run-now", "merging", store=store).exit_code == 0
    status = json.loads(run("status", "--format", "json", store=store).output)
    assert status["files"]["posts"] == 1 and status["compactable_files"]["posts"] == 0
    assert status["posts"] == 5 and status["hits"] > 0
