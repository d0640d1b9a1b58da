"""The `dtrack` command line: a group that imports each command only when it runs.

Each command lives in one module under ``cli/``. The group knows them by name
and one-line help (the table below) and imports a command's module only when
that command is invoked, so ``dtrack --help`` costs no polars, scipy, tagger or
Streamlit (tests/cli/test_main.py checks the table against each command's own
help). Adding a command is one module and one row here.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from dtrack import __version__
from dtrack.data.errors import StoreError

#: name -> (module, attribute, the one-line help shown by ``dtrack --help``); the analysis commands
#: (timeline, emergence, ...) are generated from analysis/queries.py and listed from there
COMMANDS: dict[str, tuple[str, str, str]] = {
    "compact": ("dtrack.cli.compact", "compact", "Merge each month's small files (posts, hits, quarantine) into one."),
    "dashboard": ("dtrack.cli.dashboard", "dashboard", "Start the web dashboard on the store (Ctrl-C stops it)."),
    "ingest": ("dtrack.cli.ingest", "ingest", "Read export files or folders (or - for stdin) into the store."),
    "quarantine": ("dtrack.cli.records", "quarantine",
                   "List quarantined records: source file, line, reason and the raw text."),
    "repair": ("dtrack.cli.repair", "repair", "Move posts dated outside the plausible time range to quarantine."),
    "schedule": ("dtrack.cli.schedule", "schedule",
                 "Watch folders on a schedule: new exports are ingested and tagged on their own."),
    "scheduler": ("dtrack.cli.schedule", "scheduler",
                  "Run the scheduler in the foreground (for systemd or a terminal)."),
    "sources": ("dtrack.cli.records", "sources",
                "List every ingested source with its format and counts, oldest first."),
    "status": ("dtrack.cli.status", "status",
               "Show what the store holds: posts per platform, hits, quarantine, sources."),
    "tag": ("dtrack.cli.tag", "tag", "Find dictionary terms in stored posts that are not tagged yet."),
    "terms": ("dtrack.cli.tag", "terms_command",
              "List the term dictionary: spellings, readings, exclusions, AI cue words."),
}


def _analyses() -> dict[str, Any]:
    """The declared analyses (imported when asked for: `dtrack ingest` does not need their declarations)."""
    from dtrack.analysis.queries import ANALYSES

    return ANALYSES


def command_table() -> dict[str, tuple[str, str, str]]:
    """Every command: the rows above plus one per declared analysis (analysis/queries.py)."""
    table = dict(COMMANDS)
    for name, analysis in _analyses().items():
        table[name] = ("dtrack.cli.analysis", name, analysis.help)
    return table


def load_command(name: str) -> click.Command:
    """Import and return command ``name`` (KeyError if there is none)."""
    if name not in COMMANDS:  # an analysis (no command shares a name with one: tests/cli/test_main.py)
        from dtrack.cli.analysis import COMMANDS as ANALYSIS_COMMANDS

        return ANALYSIS_COMMANDS[name]
    module, attribute, _ = COMMANDS[name]
    return getattr(importlib.import_module(module), attribute)


class LazyGroup(click.Group):
    """Commands imported on use; a StoreError becomes a clear message and exit status 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(command_table()) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS and cmd_name not in _analyses():
            return None
        return load_command(cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                          list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise click.UsageError(f"No such command {name!r}.{hint} (dtrack --help lists them)", ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        table = command_table()
        rows = [(name, table[name][2] if name in table else self.commands[name].get_short_help_str())
                for name in self.list_commands(ctx)]
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, _shorten(text, limit)) for name, text in rows])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            click.echo(f"dtrack: error: {exc}", err=True)
            sys.exit(1)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 3, 10)].rsplit(" ", 1)[0] + "..."


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dtrack")
def main() -> None:
    """dtrack: when was a word born, when did it take off, what set it off.

    Ingest social-media exports, tag dictionary terms with MeCab, and study
    their timelines, emergence and events. Every command takes --store DIR
    (or $DTRACK_STORE; default ./data/store).

    \b
    Example:
      dtrack ingest data/samples/ && dtrack status
    """
