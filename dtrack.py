"""The `dtrack` command line: thin commands over collectors, data, nlp and analysis.

Each command lives in one module under ``cli/``; this file only assembles
them, so adding a command is adding one module and one line here.
"""

from __future__ import annotations

import click

from cli.analysis import emergence_cmd, events_cmd, posts_cmd, timeline_cmd, xcorr_cmd
from cli.common import StoreErrors
from cli.dashboard import dashboard
from cli.ingest import ingest
from cli.records import quarantine, sources
from cli.schedule import schedule, scheduler
from cli.status import status
from cli.tag import kwic, tag, terms_command

__version__ = "0.1.0"


@click.group(cls=StoreErrors, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


main.add_command(dashboard)
main.add_command(ingest)
main.add_command(status)
main.add_command(sources)
main.add_command(quarantine)
main.add_command(schedule)
main.add_command(scheduler)
main.add_command(timeline_cmd)
main.add_command(emergence_cmd)
main.add_command(events_cmd)
main.add_command(posts_cmd)
main.add_command(xcorr_cmd)
main.add_command(tag)
main.add_command(terms_command)
main.add_command(kwic)


if __name__ == "__main__":
    main()
