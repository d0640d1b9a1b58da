"""Ingest, then tag: the one copy, used by ``dtrack ingest``, the dashboard's Collectors page and watch jobs.

Failure policy (the same for all three callers; docs/scheduler.md):

* A source that cannot be read (unknown format, damaged, unsafe archive) is
  an ``error`` report; nothing from it is stored and the other sources go on.
  Records that cannot be read are quarantined; they never stop a source.
* A store that cannot be written (locked by another writer, disk full) stops
  the run: the exception propagates, and every source committed before it
  stays committed (one source is one transaction).
* Tagging runs once, after the sources, under the same write lock, when
  posts are new or tagging is owed from before. If it fails, the posts stay
  stored, the failure is returned in ``tag_error`` (never raised), and
  tagging is owed: ``dtrack tag`` or the next watch run does it. The CLI
  exits 1, the dashboard shows the error, a watch run records it in the ledger.
* Asked to stop (``should_stop``, e.g. SIGTERM in the scheduler), it finishes
  the source being read, reads no further source and does not tag. (So a
  run given ``should_stop`` commits source by source; without it, many small
  sources share one transaction: see ``pipeline.ingest``.)

The tagging step is a ``module:function`` reference resolved when it runs,
so the collectors never import the tagger (``dtrack.nlp``) themselves. A
hook may carry a ``prepare_ingest(writer)`` attribute, called before the
sources are read (local ingests only): the tagger uses it to tag the new
posts while they are stored instead of reading them back afterwards
(``nlp.tagger.IngestTap``). What it sets up (``writer.on_posts``) is cleared
after tagging, and closed if it has a ``close()``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dtrack.collectors.pipeline.ingest import IngestReport, ingest_paths
from dtrack.collectors.records import ParseContext
from dtrack.data.store import StoreWriter

#: The tagging step every caller uses unless told otherwise.
DEFAULT_HOOK = "dtrack.nlp.tagger:tag_store"
#: dtrack 0.1 installed these as top-level packages; its job stores and settings
#: name e.g. ``nlp.tagger:tag_store``: they keep working as ``dtrack.nlp.tagger``.
LEGACY_PACKAGES = ("analysis", "cli", "collectors", "dashboard", "data", "nlp")
#: Modules that moved since a reference to them may have been stored (jobs.sqlite).
MOVED_MODULES = {
    "dtrack.collectors.schedule": "dtrack.collectors.pipeline.schedule",
    "dtrack.collectors.watch": "dtrack.collectors.pipeline.watch",
    "dtrack.collectors.ingest": "dtrack.collectors.pipeline.ingest",
}


def legacy_module_name(module_name: str) -> str:
    """The current name of a module a stored reference names: ``nlp.tagger`` (0.1) ->
    ``dtrack.nlp.tagger``, ``dtrack.collectors.schedule`` -> ``dtrack.collectors.pipeline.schedule``."""
    if module_name.partition(".")[0] in LEGACY_PACKAGES:
        module_name = f"dtrack.{module_name}"
    return MOVED_MODULES.get(module_name, module_name)


def resolve_hook(spec: str) -> Callable[..., Any]:
    """``"package.module:function"`` -> the function (imported now, not at startup)."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"tagging hook {spec!r} must look like package.module:function")
    module_name = legacy_module_name(module_name)
    module = importlib.import_module(module_name)
    try:
        hook = getattr(module, attr)
    except AttributeError:
        raise ValueError(f"tagging hook {spec!r}: {module_name} has no {attr!r}") from None
    if not callable(hook):
        raise ValueError(f"tagging hook {spec!r} is not callable")
    return hook


@dataclass
class Collected:
    """What :func:`collect` did: one report per source, then the tagging outcome."""

    reports: list[IngestReport] = field(default_factory=list)
    #: what the tagging hook returned (``nlp.tagger.TagReport``), None if it did not run
    tagged: Any = None
    #: why tagging failed ("TypeError: ..."), None if it did not fail
    tag_error: str | None = None
    #: True when ``should_stop`` ended the run early
    stopped: bool = False

    @property
    def errors(self) -> list[IngestReport]:
        return [r for r in self.reports if r.status == "error"]


def collect(
    writer: StoreWriter,
    sources: Iterable[str | Path],
    *,
    fmt: str | None = None,
    ctx: ParseContext | None = None,
    force: bool = False,
    tag: str | None = DEFAULT_HOOK,
    tag_owed: bool = True,
    on_start: Callable[[IngestReport], None] | None = None,
    on_report: Callable[[IngestReport], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    cluster: Any = None,
    progress: Callable[[str], Any] | None = None,
) -> Collected:
    """Ingest ``sources`` (files, folders, ``-`` for stdin) through ``writer``, then tag.

    ``sources`` is read lazily, one source at a time, so a caller may decide
    between sources (a watch job checks each file is still unchanged).
    ``tag`` is the tagging hook (None: do not tag); it runs when posts are new
    or ``tag_owed``. See the module docstring for the failure policy.

    ``cluster``: a ``distributed.Client``; the sources are then read by its
    workers (``pipeline.cluster``, all sources handed out at once, so
    ``should_stop`` is asked before they are) and the hook is called with
    ``cluster=`` and ``progress=`` too. ``progress(label)`` makes the
    ``data.cluster.Progress`` of a stage ("ingest", "tag").
    """
    stop = should_stop or (lambda: False)
    result = Collected()

    def wanted() -> Iterable[str | Path]:
        for source in sources:
            if stop():
                result.stopped = True
                return
            yield source

    if tag is not None and cluster is None:
        _prepare(writer, tag)
    try:
        return _ingest_then_tag(writer, wanted(), result, fmt=fmt, ctx=ctx, force=force, tag=tag,
                                tag_owed=tag_owed, on_start=on_start, on_report=on_report, stop=stop,
                                grouped=should_stop is None, cluster=cluster, progress=progress)
    finally:
        tap, writer.on_posts = writer.on_posts, None
        close = getattr(tap, "close", None)
        if callable(close):
            close()


def _prepare(writer: StoreWriter, tag: str) -> None:
    """The hook's ``prepare_ingest`` (see the module docstring); a hook that cannot be resolved fails
    later, where its error is reported."""
    try:
        prepare = getattr(resolve_hook(tag), "prepare_ingest", None)
        if callable(prepare):
            prepare(writer)
    except Exception:  # tagging then reads the posts back, or reports why it cannot run
        writer.on_posts = None


def _ingest_then_tag(writer: StoreWriter, wanted: Iterable[str | Path], result: Collected, *, fmt: str | None,
                     ctx: ParseContext | None, force: bool, tag: str | None, tag_owed: bool,
                     on_start: Callable[[IngestReport], None] | None,
                     on_report: Callable[[IngestReport], None] | None, stop: Callable[[], bool], grouped: bool,
                     cluster: Any, progress: Callable[[str], Any] | None) -> Collected:
    on_cluster: dict[str, Any] = {}
    if cluster is None:
        # asked to stop, a run ends after the source being read: then sources are committed one by one
        result.reports = ingest_paths(writer, wanted, fmt=fmt, ctx=ctx, force=force,
                                      on_start=on_start, on_report=on_report, group_sources=grouped)
    else:
        from dtrack.collectors.pipeline.cluster import ingest_on_cluster

        result.reports = ingest_on_cluster(cluster, writer, wanted, fmt=fmt, ctx=ctx, force=force,
                                           on_report=on_report, progress=progress("ingest") if progress else None,
                                           group_sources=grouped)
        on_cluster = {"cluster": cluster, "progress": progress("tag") if progress else None}
    if tag is None or not (tag_owed or any(r.new for r in result.reports)):
        return result
    if stop():
        result.stopped = True
        return result
    try:
        result.tagged = resolve_hook(tag)(writer.store, writer=writer, **on_cluster)
    except Exception as exc:  # the posts are stored; tagging is owed, not lost
        result.tag_error = f"{type(exc).__name__}: {exc}"
    return result
