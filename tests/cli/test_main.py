"""The command group: lazy commands, help that matches each command, cheap start-up."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from dtrack.cli.main import command_table, load_command, main


def test_every_listed_command_loads_and_its_help_matches_the_table() -> None:
    for name, (_module, _attribute, short_help) in command_table().items():
        command = load_command(name)
        assert isinstance(command, click.Command)
        assert command.name == name
        assert command.get_short_help_str(limit=200) == short_help


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(command_table())


def test_a_typo_is_a_usage_error_with_a_suggestion() -> None:
    result = CliRunner().invoke(main, ["timelin"])
    assert result.exit_code == 2
    assert "timeline" in result.output


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_import_dtrack_and_help_import_nothing_heavy() -> None:
    heavy = {"polars", "numpy", "scipy", "fugashi", "streamlit", "plotly", "zstandard", "libipld", "apscheduler"}
    assert not heavy & _modules_after("import dtrack")
    loaded = _modules_after("from dtrack.cli.main import main\n"
                            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert not heavy & loaded
    assert not {m for m in loaded if m.startswith("dtrack.collectors")}


def test_no_command_shares_a_name_with_an_analysis() -> None:
    """``load_command`` looks a name up in COMMANDS before it loads the analyses' declarations."""
    from dtrack.analysis.queries import ANALYSES
    from dtrack.cli.main import COMMANDS

    assert not set(COMMANDS) & set(ANALYSES)


def test_a_command_that_is_no_analysis_starts_without_their_declarations() -> None:
    """`dtrack ingest` (a process a user starts per export) does not import analysis/queries.py."""
    loaded = _modules_after("from dtrack.cli.main import load_command\nload_command('ingest')")
    assert "dtrack.analysis.queries" not in loaded
    assert "dtrack.analysis.queries" in _modules_after("from dtrack.cli.main import load_command\n"
                                                       "load_command('timeline')")
