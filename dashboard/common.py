"""What every page shares: the settings in the sidebar, labels, downloads, post tables.

The router (``app.py``) calls :func:`sidebar` once per run; pages read the
result with :func:`settings`. Keeping these here, not in ``app.py``, leaves
the entrypoint a router and gives pages one way to do the common things:
a CSV download that is byte-for-byte the CLI's output, and post text that is
always shown as text (posts are untrusted input: they are only ever put in
``st.dataframe`` cells or ``st.text``, never in markdown or HTML).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl
import streamlit as st

from dtrack.dashboard import downloads
from dtrack.dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, tr
from dtrack.data.defaults import DEFAULT_TZ
from dtrack.data.store import Store, resolve_store_path

_SETTINGS_KEY = "_dtrack_settings"
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~>]")


@dataclass(frozen=True)
class Settings:
    """The sidebar's choices for this run (plain values: they go into cache keys)."""

    store_path: str
    lang: str
    tz: str
    excel: bool
    #: the researcher's events file (``dtrack dashboard --events FILE``, or the sidebar); None: the shipped one
    events: str | None = None

    @property
    def store(self) -> Store:
        return Store(self.store_path)

    @property
    def version(self) -> str:
        """Read on every run: a new ingest changes it, which invalidates the cached loaders."""
        return self.store.version

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.lang, **values)


def store_path_from_args(argv: list[str] | None = None) -> str:
    """The store folder: ``--store DIR`` after ``streamlit run app.py --``, else $DTRACK_STORE, else the default."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store", default=None)
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return str(resolve_store_path(known.store).resolve())


def _valid_tz(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _url_language() -> str:
    """The language of the URL (``?lang=ja``), else $DTRACK_LANG, else English."""
    asked = st.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    env = os.environ.get("DTRACK_LANG")
    return env if env in LANGUAGES else DEFAULT_LANGUAGE


def sidebar() -> Settings:
    """Draw the shared settings (language, timezone, Excel CSV, events file) and remember them for the pages.

    The language is kept in the URL (``?lang=ja``) on every run, so a reload
    or a shared link opens in the same language, and page links carry it.
    """
    url_lang = _url_language()
    lang = st.sidebar.segmented_control(
        tr("language", st.session_state.get("lang", url_lang)),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        default=url_lang,
        required=True,
        key="lang",
        persist_state="session",
    )
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    default_tz = os.environ.get("DTRACK_TZ") or DEFAULT_TZ
    if not _valid_tz(default_tz):
        default_tz = DEFAULT_TZ
    tz = st.sidebar.text_input(
        tr("timezone", lang), value=default_tz, key="tz", help=tr("timezone_help", lang), persist_state="session"
    ).strip()
    if not _valid_tz(tz):
        st.sidebar.warning(tr("bad_timezone", lang, tz=tz, default=default_tz))
        tz = default_tz
    excel = st.sidebar.toggle(tr("excel", lang), key="excel", help=tr("excel_help", lang), persist_state="session")
    events = _events_file(lang)
    current = Settings(store_path=store_path_from_args(), lang=lang, tz=tz, excel=bool(excel), events=events)
    st.sidebar.caption(f"{tr('store', lang)}: `{current.store_path}`  \n"
                       f"{tr('store_version', lang)}: `{current.version}`")
    st.session_state[_SETTINGS_KEY] = current
    return current


def _events_file(lang: str) -> str | None:
    """The events file every page uses: an uploaded CSV, else the path in the sidebar (default
    ``$DTRACK_EVENTS``, set by ``dtrack dashboard --events FILE``), else None (the shipped file).

    An upload is kept as a file named by its hash, so the queries (and the
    command lines of the downloads) can name it as ``--events FILE``. A file
    that cannot be read is reported and the shipped events are used.
    """
    from dtrack.data.events import EventsFileError, load_events

    default = os.environ.get("DTRACK_EVENTS") or ""
    with st.sidebar.expander(tr("events_legend", lang), expanded=bool(default)):
        path = st.text_input(tr("events_file", lang), value=default, key="events_path",
                             help=tr("events_file_help", lang), persist_state="session").strip()
        upload = st.file_uploader(tr("events_upload", lang), type=["csv"], key="events_upload")
    if upload is not None:
        data = upload.getvalue()
        folder = Path(tempfile.gettempdir()) / "dtrack-events"
        folder.mkdir(parents=True, exist_ok=True)
        saved = folder / f"{hashlib.sha256(data).hexdigest()[:16]}-{Path(upload.name).name}"
        if not saved.exists():
            saved.write_bytes(data)
        path = str(saved)
    if not path:
        return None
    path = str(Path(path).expanduser().resolve())
    try:
        load_events(path)
    except EventsFileError as exc:
        st.sidebar.warning(tr("events_bad", lang, error=str(exc)))
        return None
    return path


def settings() -> Settings:
    """The settings the router drew for this run."""
    current = st.session_state.get(_SETTINGS_KEY)
    if current is None:  # a page run on its own (not through app.py)
        current = sidebar()
    return current


def download_buttons(spec: downloads.Download, key: str, s: Settings) -> None:
    """A CSV download, an Excel workbook and the metadata sidecar, with the CLI command that writes the
    same bytes (``--out FILE.xlsx`` for the workbook).

    ``on_click="ignore"``: downloading does not rerun the page. The bytes are
    made only when clicked (a callable), so a big table costs nothing until then.
    """
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        s.t("download_csv"),
        data=lambda: spec.csv(excel=s.excel),
        file_name=spec.file_name,
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    row.download_button(
        s.t("download_xlsx"),
        data=spec.xlsx,
        file_name=spec.file_name.rsplit(".", 1)[0] + ".xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/table_view:",
    )
    row.download_button(
        s.t("download_meta"),
        data=lambda: spec.meta_json(excel=s.excel),
        file_name=spec.file_name + ".meta.json",
        mime="application/json",
        key=f"{key}_meta",
        on_click="ignore",
    )
    st.caption(s.t("cli_equivalent", command=spec.shell_command(excel=s.excel)))


def headers(s: Settings, columns: list[str], config: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ``column_config`` naming every column in the chosen language (``colname_<column>`` or the
    column's own label key); ``config`` entries (formats, links) keep their settings."""
    from dtrack.dashboard.i18n import LABELS

    out: dict[str, Any] = dict(config or {})
    for column in columns:
        key = f"colname_{column}" if f"colname_{column}" in LABELS else column if column in LABELS else None
        if key is None:
            continue
        label = s.t(key)
        given = out.get(column, ...)
        if given is ...:
            out[column] = st.column_config.Column(label)
        elif isinstance(given, dict) and not given.get("label"):
            given["label"] = label
    return out


def rule_caption(s: Settings, q: Any) -> str:
    """The counting rule of query ``q`` in the chosen language (English: the sidecar's words exactly)."""
    if s.lang == "en":
        return s.t("rule", rule=q.analysis.rule(q))
    values = q.values
    platforms = values.get("platforms") or ()
    parts = [s.t("rule_use"),
             s.t("rule_reposts_in" if values.get("include_reposts") else "rule_reposts_out"),
             s.t("rule_platforms", names=", ".join(platforms)) if platforms else s.t("rule_all_platforms")]
    if q.analysis.rule_context:
        parts.append(s.t("rule_ai" if values.get("context") == "ai" else "rule_any"))
    parts.append(s.t("rule_days", tz=values.get("tz") or s.tz))
    return s.t("rule", rule="、".join(parts))


def story_link(term: str, lang: str) -> str:
    """A link to the story page of ``term`` that keeps the language."""
    from urllib.parse import urlencode

    return "story?" + urlencode({"term": term, "lang": lang})


def md_escape(text: object) -> str:
    """Text from the data made literal inside ``st.markdown`` (markdown and HTML characters escaped)."""
    out = html.escape("" if text is None else str(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\g<0>", out)


def require_posts(s: Settings, summary: dict) -> bool:
    """Say so (and return False) when the store is empty, instead of drawing empty charts."""
    if summary["posts"] == 0:
        st.info(s.t("empty_store", path=s.store_path))
        return False
    return True


def term_page(title_key: str) -> tuple[Settings, list[str]] | None:
    """The opening every term page shares: settings, title, and the terms that have
    hits; None (after saying why) when the store is empty or nothing is tagged."""
    from dtrack.dashboard import loaders  # loaders caches with st.*, imported when a page runs

    s = settings()
    st.title(s.t(title_key))
    if not require_posts(s, loaders.summary(s.store_path, s.version)):
        return None
    terms = loaders.hit_terms(s.store_path, s.version)
    if not terms:
        st.info(s.t("no_hits"))
        return None
    return s, terms


def data_table(frame: Any, key: str, **kwargs: Any) -> Any:
    """``st.dataframe`` inside a container keyed ``box_<key>`` (the browser test finds tables by it)."""
    with st.container(key=f"box_{key}"):
        return st.dataframe(frame, key=key, **kwargs)


def post_table(df: pl.DataFrame, s: Settings, key: str, *, height: int | None = None,
               on_select: Callable[[], None] | None = None) -> None:
    """Posts as a KWIC table: left context | term | right context, as plain text cells.

    ``df`` is a :func:`dashboard.loaders.kwic_rows` frame. Cells of ``st.dataframe`` are
    drawn as text, so ``<script>`` or ``**bold**`` in a post shows literally.
    """
    config = {
        "time": st.column_config.TextColumn(s.t("col_time"), width=130),
        "platform": st.column_config.TextColumn(s.t("col_platform"), width="small"),
        "left": st.column_config.TextColumn(s.t("col_left"), alignment="right"),
        "match": st.column_config.TextColumn(s.t("col_match"), width="small"),
        "right": st.column_config.TextColumn(s.t("col_right")),
        "evidence": st.column_config.TextColumn(s.t("col_evidence"), width="small"),
        "author": st.column_config.TextColumn(s.t("col_author"), width="small"),
        "url": st.column_config.LinkColumn(s.t("col_url"), display_text="↗", width="small"),
    }
    # only the shown columns go through the Styler: it styles every cell it is given (~0.2 ms each)
    shown = df.select(list(config)).to_pandas()
    styled = shown.style.set_properties(subset=["match"], **{"background-color": "#ffe08a", "font-weight": "bold"})
    data_table(styled, key, column_config=config, hide_index=True, height=height or "auto")
