"""Collectors: ingest from the server's disk, the schedules and their runs, quarantined records.

Ingesting here is the same as `dtrack ingest PATH`: ``collectors.pipeline.collect``
(the shared ingest loop, one transaction per source, then tagging under the
same write lock, with its failure policy). The other pages pick the new posts up on their
next run because the store version changed.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import streamlit as st

from dtrack.collectors import REGISTRY
from dtrack.collectors.pipeline.collect import collect
from dtrack.collectors.pipeline.ingest import IngestReport
from dtrack.collectors.pipeline.schedule import list_schedules, read_ledger, scheduler_status
from dtrack.collectors.records import ParseContext
from dtrack.dashboard import loaders
from dtrack.dashboard.common import Settings, data_table, download_buttons, settings
from dtrack.dashboard.downloads import table_download
from dtrack.data.store import StoreLocked

AUTO = "auto"


def render() -> None:
    s = settings()
    st.title(s.t("page_collectors"))
    _ingest_form(s)
    version = s.version
    _schedules(s)
    st.subheader(s.t("quarantine_records_title"))
    records = loaders.quarantine_records(s.store_path, version)
    if records.height == 0:
        st.write(s.t("no_quarantine"))
    else:
        data_table(records, "col_quarantine", hide_index=True)
        download_buttons(table_download(records, s.store_path, s.tz, "quarantine.csv", {}), "col_quarantine", s)


def _ingest_form(s: Settings) -> None:
    st.subheader(s.t("ingest_title"))
    with st.form("col_form", border=True):
        path = st.text_input(s.t("ingest_path"), key="col_path", placeholder="/data/exports/twarc2-2022-08.jsonl")
        fmt = st.selectbox(s.t("ingest_format"), [AUTO, *REGISTRY],
                           format_func=lambda v: s.t("auto_detect") if v == AUTO else v, key="col_format")
        submitted = st.form_submit_button(s.t("ingest_button"), key="col_ingest", type="primary")
    if not submitted or not path.strip():
        return
    target = Path(path.strip()).expanduser()
    if not target.exists():
        st.error(s.t("ingest_missing", path=str(target)))
        return
    reports = run_ingest(s, target, None if fmt == AUTO else fmt)
    if reports is None:
        return
    table = pl.DataFrame([r.as_dict() for r in reports]).select(
        "path", "format", "status", "read", "new", "duplicate", "quarantined", "notices", "message", "seconds"
    )
    data_table(table, "col_reports", hide_index=True)
    download_buttons(table_download(table, s.store_path, s.tz, "ingest-reports.csv", {"path": str(target)}),
                     "col_reports", s)


def run_ingest(s: Settings, target: Path, fmt: str | None) -> list[IngestReport] | None:
    """Ingest ``target`` with a progress bar, then tag the new posts; None if the store was busy."""
    bar = st.progress(0.0, text=str(target))
    current: dict[str, object] = {"size": 0, "name": str(target)}

    def on_start(report: IngestReport) -> None:
        current.update(size=report.size, name=report.path)
        bar.progress(0.0, text=report.path)

    def progress(done: int) -> None:
        size = int(current["size"] or 0)
        if size:
            bar.progress(min(done / size, 1.0), text=str(current["name"]))

    ctx = ParseContext(tz=ZoneInfo(s.tz), progress=progress)
    try:
        with s.store.writer(purpose="dashboard ingest") as writer:
            done = collect(writer, [target], fmt=fmt, ctx=ctx, on_start=on_start,
                           on_report=lambda r: bar.progress(1.0, text=f"{r.path}: {r.status}"))
    except StoreLocked as exc:
        bar.empty()
        st.error(s.t("ingest_locked", message=str(exc)))
        return None
    bar.empty()
    reports = done.reports
    failed = len(done.errors)
    summary = s.t("ingest_done", sources=len(reports), new=sum(r.new for r in reports),
                  duplicate=sum(r.duplicate for r in reports), quarantined=sum(r.quarantined for r in reports),
                  failed=failed)
    (st.warning if failed else st.success)(summary)
    if done.tag_error is not None:
        st.error(f"tagging failed ({done.tag_error}); the posts are stored, run `dtrack tag`")
    elif done.tagged is not None:
        st.caption(s.t("tagged", posts=done.tagged.posts_tagged, hits=done.tagged.hits))
    return reports


def _schedules(s: Settings) -> None:
    st.subheader(s.t("schedule_title"))
    running = scheduler_status(s.store)
    if running:
        who = f"pid {running.get('pid')} on {running.get('host')} since {running.get('since')}"
        st.caption(s.t("scheduler_running", who=who))
    else:
        st.caption(s.t("scheduler_stopped"))
    schedules = list_schedules(s.store)
    if schedules:
        frame = pl.DataFrame(schedules)
        data_table(frame, "col_schedules", hide_index=True)
        download_buttons(table_download(frame, s.store_path, s.tz, "schedules.csv", {}), "col_schedules", s)
    else:
        st.write(s.t("no_schedules"))
    st.subheader(s.t("ledger_title"))
    ledger = read_ledger(s.store)
    if ledger.height:
        ledger = ledger.sort("started_at", descending=True)
        data_table(ledger, "col_ledger", hide_index=True)
        download_buttons(table_download(ledger, s.store_path, s.tz, "schedule-runs.csv", {}), "col_ledger", s)
    else:
        st.write(s.t("no_runs"))


if __name__ == "__main__":
    render()
