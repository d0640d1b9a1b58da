"""Charts: pure functions from polars frames to plotly Figures (no ``st.*`` calls).

Pure so they are tested directly (tests/dashboard/test_charts.py) and so a
notebook can draw the same figures. Two rules hold for every chart:

* Japanese renders in a CJK font: the layout font is ``Noto Sans CJK JP``
  (Debian's fonts-noto-cjk), with the browser's sans-serif as fallback.
* Post text in hovers is escaped. Plotly renders a subset of HTML in hover
  and annotation text (``<b>``, ``<a href>``, ``<br>``...), and posts are
  untrusted input, so every string taken from the data goes through
  :func:`escape` before it reaches a figure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import orjson
import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dtrack.dashboard.i18n import tr

FONT_FAMILY = "Noto Sans CJK JP, sans-serif"
TEMPLATE = "plotly_white"
#: A qualitative palette readable on white (Okabe-Ito, colour-blind safe).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
EVENT_COLOURS = {
    "model": "#D55E00", "service": "#CC79A7", "dataset": "#0072B2", "lawsuit": "#000000",
    "controversy": "#E69F00", "technique": "#009E73", "tool": "#56B4E9", "statement": "#999999",
}
GAP_COLOUR = "rgba(120,120,120,0.18)"
#: A line shows a marker on each point only when it has at most this many points in the range it opens on
#: (four years by month, two by week): closer together, 5 px markers merge into a band that says nothing
#: the line does not, and each is an SVG element the browser draws (a third of plotly's time on four years
#: by week). Every point still hovers and clicks: a line keeps invisible markers (plotly selects points
#: only on traces with markers), of which it draws one. A point with no drawn neighbour (a lone day between
#: hidden shares, or between zeros on a log scale) would vanish from a line, so it keeps its marker.
MARKERS_UP_TO = 110
#: The markers of a line with too many points to mark: not drawn (one, transparent), but there to hover
#: and click.
UNMARKED = {"size": 5, "opacity": 0, "maxdisplayed": 1}
#: A range slider under a timeline only when each line has at most this many points (four years by month,
#: two by week): the slider draws every line a second time, which on four years by week or day costs more
#: than the chart itself in the browser. Longer charts opened on a window get a "whole span" button instead.
SLIDER_UP_TO = 110
#: Pixels left of and below a timeline's plot for its axes (:func:`fixed_margins`).
AXIS_ROOM_LEFT = 72
AXIS_ROOM_BOTTOM = 40
#: Event labels longer than this are cut (the whole label is in its hover).
EVENT_LABEL_CHARS = 24
#: Rows of the label track above a plot, each ROW_HEIGHT px; labels keep LABEL_GAP px apart.
EVENT_TRACK_ROWS = 8
ROW_HEIGHT = 17
LABEL_FONT_SIZE = 11
LABEL_PAD = 2
LABEL_GAP = 6
#: Pixels between the plot's top and the first row, and above the track for the legend.
TRACK_PAD = 4
#: Room above the track for the chart's tool bar, and below the plot for the legend.
TOOLBAR_ROOM = 30
LEGEND_ROOM = 70
#: The plot width (px) labels are laid out for: about the plot of a wide-layout page in a 1280 px window.
LAYOUT_WIDTH = 700


def escape(text: object) -> str:
    """Text from the data, made inert for plotly's HTML-like hover and annotation markup."""
    return html.escape("" if text is None else str(text), quote=False)


def escape_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`escape` as a polars expression (for whole columns of hover text)."""
    return (expr.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True))


def _style(fig: go.Figure, *, height: int = 420, lang: str = "en", template: bool = True) -> go.Figure:
    """The house style; keeps a label track's top margin and legend (:func:`add_label_track`).
    ``template=False`` leaves the template out (a chart :func:`drawn_once` adds what it sets itself)."""
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 40
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else 10
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
    if fig.layout.legend.yref == "container":
        legend = {"orientation": "h", "x": 0}
    fig.update_layout(
        **({"template": TEMPLATE} if template else {}),
        font={"family": FONT_FAMILY, "size": 13},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        height=height + max(0, top - 40) + max(0, bottom - 10),
        legend=legend,
    )
    if fig.layout.xaxis.type in (None, "date", "-") and lang in DATE_TICKS:
        fig.update_xaxes(tickformatstops=DATE_TICKS[lang])
    return fig


#: Axis dates in each language (2022年8月 in Japanese), by zoom level.
DATE_TICKS = {
    "ja": [
        {"dtickrange": [None, 86_400_000 * 27], "value": "%-m月%-d日\n%Y年"},
        {"dtickrange": [86_400_000 * 27, 86_400_000 * 360], "value": "%Y年%-m月"},
        {"dtickrange": [86_400_000 * 360, None], "value": "%Y年"},
    ],
}


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def coverage_chart(counts: pl.DataFrame, gaps: pl.DataFrame | None = None, *, lang: str = "en") -> go.Figure:
    """Posts per platform per period, stacked; gaps (columns start, end) shaded grey.

    ``counts`` has columns period, platform, posts, with zero rows for empty
    periods (so a gap shows as a gap rather than being bridged).
    """
    fig = go.Figure()
    for i, name in enumerate(sorted(counts.get_column("platform").unique().to_list())):
        part = counts.filter(pl.col("platform") == name).sort("period")
        fig.add_trace(go.Bar(
            x=part.get_column("period").to_list(), y=part.get_column("posts").to_list(), name=escape(name),
            marker_color=_colour(i), marker_line_width=0,
            hovertemplate=f"{escape(name)}<br>%{{x|%Y-%m-%d}}: %{{y:,}}<extra></extra>",
        ))
    fig.update_layout(shapes=[
        {"type": "rect", "x0": _day_edge(start), "x1": _day_edge(end + dt.timedelta(days=1)), "y0": 0, "y1": 1,
         "xref": "x", "yref": "paper", "fillcolor": GAP_COLOUR, "line": {"width": 0}, "layer": "below"}
        for start, end in (gaps.select("start", "end").iter_rows() if gaps is not None else [])
    ])
    fig.update_layout(barmode="stack", bargap=0, xaxis_title=None, yaxis_title=tr("posts", lang))
    return _style(fig, height=360, lang=lang)


def _day_edge(day: dt.date) -> str:
    """A date as the midnight at its start (bars are centred on noon of their day)."""
    return dt.datetime.combine(day, dt.time()).isoformat()


def timeline_chart(
    frame: pl.DataFrame,
    *,
    measure: str = "posts",
    scale: str = "linear",
    events: pl.DataFrame | None = None,
    hover: pl.DataFrame | None = None,
    lang: str = "en",
    highlight: frozenset[tuple[dt.date, str]] | set[tuple[dt.date, str]] = frozenset(),
    window: tuple[dt.date, dt.date] | None = None,
    once: bool = True,
) -> go.Figure:
    """One line per term over periods (a ``analysis.timeline`` frame).

    ``measure`` is a timeline column (posts, share_per_10k, authors, cumulative_...).
    ``events`` (date, label, kind) become labelled vertical markers coloured by
    kind; ``hover`` (term, period, first_posts) adds the first posts of each
    period to its hover. Lines of more than :data:`SLIDER_UP_TO` points get no
    range slider (a "whole span" button when ``window`` zooms in). Each line's
    ``legendgroup`` is its term, which the page reads back with the clicked
    point's date; points carry ``customdata`` = [posts, first posts] only when
    the hover needs them (another measure than posts, or hover posts), so a long
    chart sends its dates and values and nothing twice. ``once=False`` leaves
    the figure as built, with its template (:func:`drawn_once`).
    """
    fig = _untemplated() if once else go.Figure()
    hovered = hover is not None and hover.height > 0
    if hovered:
        frame = frame.join(hover, on=["term", "period"], how="left")
    value_label = tr(f"measure_{measure}", lang) if f"measure_{measure}" in _MEASURES else measure
    hovertemplate = (
        "<b>%{fullData.name}</b> %{x|%Y-%m-%d}<br>"
        + f"{escape(tr('measure_posts', lang))}: " + ("%{y:,}" if measure == "posts" else "%{customdata[0]:,}")
        + (f" · {escape(value_label)}: %{{y:,.2f}}" if measure != "posts" else "")
        + ("<br>%{customdata[1]}" if hovered else "") + "<extra></extra>"
    )
    for i, term in enumerate(frame.get_column("term").unique(maintain_order=True).to_list()):
        part = frame.filter(pl.col("term") == term).sort("period")
        # plain lists, not numpy arrays: those reach plotly.js as typed arrays (see drawn_once)
        custom = part.select(
            pl.col("posts"),
            pl.col("first_posts").list.eval(escape_expr(pl.element())).list.join("<br>").fill_null("")
            if hovered else pl.lit(""),
        ).rows() if hovered or measure != "posts" else None
        marked = _shown(part, window) <= MARKERS_UP_TO
        fig.add_trace(_scatter(
            x=_days(part), y=part.get_column(measure).to_list(), name=escape(term), legendgroup=term,
            mode="lines+markers", line={"color": _colour(i), "width": 2}, customdata=custom,
            marker=UNMARKED if not marked else  # zoomed out of a window: no more markers than it had
            {"size": 5, "maxdisplayed": MARKERS_UP_TO} if part.height > MARKERS_UP_TO else {"size": 5},
            hovertemplate=hovertemplate,
        ))
        if not marked:
            lone = part.filter(_lone(measure, log=scale == "log"))
            if lone.height:
                fig.add_trace(_scatter(
                    x=_days(lone), y=lone.get_column(measure).to_list(),
                    name=escape(term), legendgroup=term, mode="markers", marker={"size": 5, "color": _colour(i)},
                    showlegend=False, hoverinfo="skip",  # hover and click go to the line's own point
                ))
    if events is not None and events.height:
        add_event_markers(fig, events, highlight=highlight, lang=lang, window=window)
    fig.update_layout(yaxis_type="log" if scale == "log" else "linear", yaxis_title=escape(value_label),
                      xaxis_title=None, hovermode="closest", clickmode="event+select")
    longest = frame.group_by("term").len().get_column("len").max() or 0
    if longest <= SLIDER_UP_TO:
        fig.update_xaxes(rangeslider={"visible": True, "thickness": 0.07})
    elif window is not None:
        fig.update_xaxes(rangeselector={"buttons": [{"step": "all", "label": escape(tr("whole_span", lang))}],
                                        "x": 0, "y": 1, "yanchor": "top", "xanchor": "left"})
    if window is not None:
        fig.update_xaxes(range=[_day_edge(window[0]), _day_edge(window[1])])
    fig = fixed_margins(_style(fig, height=460, lang=lang, template=not once))
    return drawn_once(fig, template=_registered(TEMPLATE)) if once else fig


def _scatter(**props: Any) -> dict[str, Any]:
    """A scatter trace as a dict: ``add_trace`` validates a dict once, a ``go.Scatter`` twice (built, then
    copied into the figure), each point of each array walked both times (a third of a daily chart's build)."""
    return {"type": "scatter", **props}


def _untemplated() -> go.Figure:
    """A new figure without plotly's default template.

    Why: every ``update_layout`` of a figure compares its whole layout with a
    deep copy, template included (a few thousand values), so building the
    timeline under a template cost about half of its 100-130 ms on the server,
    on every filter change. :func:`drawn_once` writes what the template sets
    at the end; the JSON is the same (tests/dashboard/test_charts.py).
    """
    fig = go.Figure()
    fig.layout.template = None
    return fig


def _registered(name: str) -> go.layout.Template:
    """The registered plotly template ``name`` (plotly keeps one object per name; not copied)."""
    import plotly.io as pio

    return pio.templates[name]


#: What of a figure's template a cartesian chart uses; :func:`drawn_once` writes it into the layout. The
#: template's ``xaxis`` and ``yaxis`` apply to every x and y axis of the figure, its trace defaults to
#: every trace of their type.
TEMPLATE_KEYS = ("autotypenumbers", "colorway", "font", "hovermode", "hoverlabel", "paper_bgcolor",
                 "plot_bgcolor", "shapedefaults", "annotationdefaults", "title")
_AXIS = re.compile(r"([xy])axis\d*")


def drawn_once(fig: go.Figure, template: go.layout.Template | None = None) -> go.Figure:
    """The figure with nothing that makes Streamlit's chart draw it twice; it looks the same.

    Streamlit mounts a new chart hidden, with no width: plotly draws it, then
    Streamlit passes the measured width and the chart's own copy of the figure
    to ``Plotly.react``, which draws the whole chart again if anything differs
    from what it drew. The copy is equal, but plotly's comparison sees three
    differences that are none (measured, docs/dashboard.md):

    * ``layout.template`` is compared by identity, and the copy is a new
      object: the template is replaced by what it sets on a cartesian chart
      (:data:`TEMPLATE_KEYS`, its axes' style on every axis, its trace
      defaults on every trace), under the figure's own values;
    * numpy arrays reach plotly.js as typed arrays, which its comparison always
      takes for changed: the chart's data must be plain lists;
    * without ``layout.datarevision`` every data array of the copy counts as new
      data: the revision is a hash of the traces, so new data still redraw.

    ``dragmode`` is set to the pan Streamlit gives a chart that selects points
    (it would set it after the first draw). tests/e2e/test_chart_drawing.py
    checks that plotly.js draws the same pixels, and each chart once. Made for
    the timeline's lines: on an axis plotly does not grid by default (bars on
    a date axis) the template's grid colour, set on the axis itself, would
    turn its grid on. ``template``: the template to write in, when the figure
    was built without one (:func:`timeline_chart`); else the figure's own.
    """
    if template is None:
        template = fig.layout.template
    fig.layout.template = None  # gone from the JSON, and before the update below (it would copy it whole)
    layout = fig.layout.to_plotly_json()
    own_template = _template_layout(template)
    base: dict[str, Any] = {key: own_template[key] for key in TEMPLATE_KEYS if key in own_template}
    for name in ("xaxis", "yaxis", *layout):
        axis = _AXIS.fullmatch(name)
        if axis and f"{axis.group(1)}axis" in own_template:
            # a line colour set on the axis itself would turn its line on (plotly's default for showline)
            base[name] = {k: v for k, v in own_template[f"{axis.group(1)}axis"].items() if k != "linecolor"}
    # in place, adding only what the figure does not set: a new Figure would validate every point again
    traces, seen = [], {}
    for trace in fig.data:
        own = trace.to_plotly_json()
        defaults = getattr(template.data, trace.type, None) if template is not None else None
        if defaults:  # a template's trace defaults go round the traces of their type
            nth = seen[trace.type] = seen.get(trace.type, -1) + 1
            extra = _missing(defaults[nth % len(defaults)].to_plotly_json(), own)
            for key, value in extra.items():  # item by item: trace.update() costs milliseconds a trace
                trace[key] = _under(value, own[key]) if key in own else value
            own = _under(extra, own)
        traces.append(own)
    data = orjson.dumps(traces, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS, default=str)
    fig.update_layout(_missing(base, layout), dragmode="pan",
                      datarevision=hashlib.blake2b(data, digest_size=8).hexdigest())
    return fig


_TEMPLATE_LAYOUTS: dict[int, tuple[go.layout.Template, dict[str, Any]]] = {}


def _template_layout(template: go.layout.Template | None) -> dict[str, Any]:
    """The layout part of ``template`` as JSON, kept per template object (the registered ones live as long as
    the process; to_plotly_json deep-copies a few thousand values). Read only: update_layout copies."""
    if template is None:
        return {}
    key = id(template)
    if key not in _TEMPLATE_LAYOUTS or _TEMPLATE_LAYOUTS[key][0] is not template:
        _TEMPLATE_LAYOUTS[key] = (template, template.layout.to_plotly_json())
    return _TEMPLATE_LAYOUTS[key][1]


def _missing(base: dict, own: dict) -> dict:
    """What ``base`` sets that ``own`` does not, nested dicts key by key."""
    out = {}
    for key, value in base.items():
        if key not in own:
            out[key] = value
        elif isinstance(value, dict) and isinstance(own[key], dict) and (deeper := _missing(value, own[key])):
            out[key] = deeper
    return out


def _under(base: dict, own: dict) -> dict:
    """``own`` over ``base``, nested dicts merged key by key (``own`` wins)."""
    merged = dict(base)
    for key, value in own.items():
        merged[key] = _under(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) \
            else value
    return merged


def _days(part: pl.DataFrame) -> list[str]:
    """The periods as ISO dates: what plotly sends anyway, and a list of str is copied at once where a list
    of dates is copied date by date (plotly deep-copies a figure's data more than once on its way out)."""
    return part.get_column("period").dt.strftime("%Y-%m-%d").to_list()


def _shown(part: pl.DataFrame, window: tuple[dt.date, dt.date] | None) -> int:
    """Points of one line in the range the chart opens on (all of them without a window)."""
    if window is None:
        return part.height
    return part.filter(pl.col("period").is_between(*window)).height


def _lone(measure: str, *, log: bool) -> pl.Expr:
    """Points a line cannot show: drawn, but with neither neighbour drawn (null, or not above 0 on a log
    scale), so no segment reaches them."""
    value = pl.col(measure).cast(pl.Float64).fill_nan(None)  # NaN is sent as null: a gap
    drawn = value.is_not_null() & (value > 0 if log else pl.lit(True))
    return drawn & ~drawn.shift(1).fill_null(False) & ~drawn.shift(-1).fill_null(False)


def fixed_margins(fig: go.Figure, *, left: int = AXIS_ROOM_LEFT, bottom: int = AXIS_ROOM_BOTTOM) -> go.Figure:
    """Margins that hold the axes' labels, instead of plotly's automargin.

    With automargin the browser draws the whole chart, measures the tick labels
    and titles, and draws it all again with the grown margins: on every filter
    change (a new figure is a new plot) that second pass was a quarter of
    plotly's time (125 -> 95 ms for a weekly chart of two terms, docs/dashboard.md).
    ``left`` holds the y title and tick labels of up to six
    characters (plotly writes 12k, 1.5M, 0.001); ``bottom`` is added to the
    margin below the plot for the date ticks (two lines in Japanese).
    """
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    bottom_now = fig.layout.margin.b if fig.layout.margin.b is not None else 10
    height = fig.layout.height + bottom if fig.layout.height is not None else None
    fig.update_layout(margin={"l": left, "b": bottom_now + bottom}, height=height)
    return fig


_MEASURES = {"measure_posts", "measure_share_per_10k", "measure_authors"}


def add_event_markers(fig: go.Figure, events: pl.DataFrame, *, labels: bool = True,
                      highlight: frozenset[tuple[dt.date, str]] | set[tuple[dt.date, str]] = frozenset(),
                      lang: str = "en", width: float = LAYOUT_WIDTH,
                      milestones: list[TrackLabel] | tuple = (),
                      window: tuple[dt.date, dt.date] | None = None) -> go.Figure:
    """Events (date, label, kind) as dotted vertical lines coloured by kind, labelled in a track above the plot.

    Labels are laid out by :func:`place_labels` so that no two overlap (one
    that finds no room in :data:`EVENT_TRACK_ROWS` rows is left out of the
    track; its line and hover marker stay). A hover marker per event at the
    top of the plot, one legend entry per kind. ``highlight`` holds the
    (date, label) of events that matter for the story told: drawn solid and
    bold, the others faded. ``milestones`` are labels placed before the
    events (the story chart's dates). Shapes and labels are set in one layout update
    (``add_shape`` per event costs milliseconds each).
    """
    rows = sorted(events.select("date", "label", "kind").iter_rows(), key=lambda r: r[0])
    if not rows:
        return fig
    shapes = []
    for date, label, kind in rows:
        strong = (date, label) in highlight
        faded = bool(highlight) and not strong
        shapes.append({"type": "line", "x0": _day_edge(date), "x1": _day_edge(date), "y0": 0, "y1": 1, "xref": "x",
                       "yref": "paper", "opacity": 0.35 if faded else 1.0,
                       "line": {"color": event_colour(kind), "width": 2 if strong else 1,
                                "dash": "solid" if strong else "dot"}})
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes])
    _event_hover(fig, rows, highlight, lang)
    if labels:
        add_label_track(fig, [*milestones, *event_labels(events, highlight)], width=width, window=window)
    return fig


def event_labels(events: pl.DataFrame, highlight: frozenset | set = frozenset()) -> list[TrackLabel]:
    """Track labels of events (cut to :data:`EVENT_LABEL_CHARS`; highlighted ones bold and placed first)."""
    return [TrackLabel(date, _cut(label), event_colour(kind), bold=(date, label) in highlight,
                       priority=1 if (date, label) in highlight else 2)
            for date, label, kind in sorted(events.select("date", "label", "kind").iter_rows(), key=lambda r: r[0])]


def event_colour(kind: str | None) -> str:
    return EVENT_COLOURS.get(kind or "", "#666666")


def _cut(label: str) -> str:
    return label if len(label) <= EVENT_LABEL_CHARS else label[: EVENT_LABEL_CHARS - 1] + "…"


def _event_hover(fig: go.Figure, rows: list[tuple], highlight: frozenset | set, lang: str) -> None:
    """One marker per event at the top of the plot (on a hidden 0..1 axis), a legend entry per kind."""
    by_kind: dict[str, list[tuple]] = {}
    for row in rows:
        by_kind.setdefault(row[2] or "", []).append(row)
    for kind, part in sorted(by_kind.items()):
        fig.add_trace(_scatter(
            x=[_day_edge(d) for d, _, _ in part], y=[1.0] * len(part), yaxis="y9", mode="markers",
            name=escape(tr(f"kind_{kind}", lang) if f"kind_{kind}" in KIND_LABELS else (kind or "—")),
            marker={"symbol": "triangle-down", "size": [12 if (d, lb) in highlight else 8 for d, lb, _ in part],
                    "color": event_colour(kind)},
            hovertext=[f"{d.isoformat()} · {escape(lb)}" for d, lb, _ in part], hoverinfo="text",
            cliponaxis=False,
        ))
    fig.update_layout(yaxis9={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True})


KIND_LABELS = {f"kind_{k}" for k in EVENT_COLOURS}


@dataclass(frozen=True)
class TrackLabel:
    """A label in the track above a plot, pointing at a day."""

    date: dt.date
    text: str
    colour: str = "#333333"
    bold: bool = False
    #: lower is placed first (milestones before events)
    priority: int = 1


def text_width(text: str, size: float = LABEL_FONT_SIZE) -> float:
    """An upper estimate of the drawn width of ``text`` in pixels (wide CJK characters 1 em, others 0.62 em)."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.62 * size for c in text) + 2 * LABEL_PAD


def place_labels(xs: list[float], widths: list[float], *, plot_width: float, rows: int = EVENT_TRACK_ROWS,
                 gap: float = LABEL_GAP, order: list[int] | None = None) -> list[tuple[int, float, float] | None]:
    """Where each label goes: (row, left, right) in pixels, or None where it finds no room.

    A label starts at its x (its marker line) and runs right, or ends at its x
    when it would run past the plot's right edge. It takes the lowest row in
    which its box keeps ``gap`` pixels from every box already placed there;
    labels are placed in ``order`` (default: left to right), so the important
    ones get the low rows. No two returned boxes in one row overlap, by
    construction (tests/dashboard/test_charts.py checks it on random input).
    """
    taken: list[list[tuple[float, float]]] = [[] for _ in range(rows)]
    out: list[tuple[int, float, float] | None] = [None] * len(xs)
    for i in (order if order is not None else sorted(range(len(xs)), key=xs.__getitem__)):
        x, w = xs[i], widths[i]
        left, right = (x, x + w) if x + w <= plot_width else (x - w, x)
        for row in range(rows):
            if all(right + gap <= a or left >= b + gap for a, b in taken[row]):
                taken[row].append((left, right))
                out[i] = (row, left, right)
                break
    return out


def add_label_track(fig: go.Figure, labels: list[TrackLabel], *, width: float = LAYOUT_WIDTH,
                    window: tuple[dt.date, dt.date] | None = None) -> list[TrackLabel]:
    """Put ``labels`` in a track above the plot without overlaps; returns the ones left out for lack of room.

    Pixel positions are computed for a plot ``width`` pixels wide over the
    figure's x range (set here to the data's range plus a margin): on a wider
    screen, or zoomed in, labels only move further apart. The top margin grows
    by one row per row used, and the legend moves below the plot. With a
    ``window`` (the range the chart opens zoomed to) the labels are laid out
    for it, and only the ones inside it are placed. Call it once per figure,
    with every label.
    """
    placed = list(labels)
    if window is not None:
        placed = [lb for lb in placed if window[0] <= lb.date <= window[1]]
        lo, hi = dt.datetime.combine(window[0], dt.time()), dt.datetime.combine(window[1], dt.time())
    else:
        lo, hi = _x_range(fig, [lb.date for lb in placed])
    span = max((hi - lo).total_seconds(), 1.0)
    xs = [(dt.datetime.combine(lb.date, dt.time()) - lo).total_seconds() / span * width for lb in placed]
    widths = [text_width(lb.text) for lb in placed]
    order = sorted(range(len(placed)), key=lambda i: (placed[i].priority, xs[i]))
    where = place_labels(xs, widths, plot_width=width, order=order)
    notes = [a for a in fig.layout.annotations if not (a.name or "").startswith("track")]
    used = 0
    for lb, spot, x in zip(placed, where, xs, strict=True):
        if spot is None:
            continue
        row, left, _right = spot
        used = max(used, row + 1)
        notes.append({"x": _day_edge(lb.date), "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom",
                      "xanchor": "left" if left >= x - 0.5 else "right", "yshift": TRACK_PAD + row * ROW_HEIGHT,
                      "text": f"<b>{escape(lb.text)}</b>" if lb.bold else escape(lb.text), "showarrow": False,
                      "font": {"size": LABEL_FONT_SIZE, "color": lb.colour}, "captureevents": False,
                      "name": f"track{row}", "borderpad": 0})
    top = TRACK_PAD + used * ROW_HEIGHT + TOOLBAR_ROOM
    fig.update_layout(annotations=notes, margin={"t": top, "b": LEGEND_ROOM},
                      xaxis_range=[lo.isoformat(), hi.isoformat()],
                      legend={"y": 0, "yref": "container", "yanchor": "bottom"})
    return [lb for lb, spot in zip(placed, where, strict=True) if spot is None]


def _x_range(fig: go.Figure, extra: list[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    """The x range to draw: every trace's x and ``extra`` days, plus 2% each side."""
    days: list[dt.datetime] = []
    for trace in fig.data:
        if trace.x is None or len(trace.x) == 0:
            continue
        for value in (min(trace.x), max(trace.x)):
            days.append(_as_datetime(value))
    days += [dt.datetime.combine(d, dt.time()) for d in extra]
    lo, hi = min(days), max(days)
    pad = max(hi - lo, dt.timedelta(days=1)) * 0.02
    return lo - pad, hi + pad


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = str(value)
    return dt.datetime.fromisoformat(text[:19] if "T" in text else text[:10])


def adoption_chart(frame: pl.DataFrame, takeoffs: pl.DataFrame | None = None, *, lang: str = "en",
                   columns: int = 3) -> go.Figure:
    """Small multiples: cumulative unique authors per term (the adoption curve), takeoff dashed.

    ``frame`` is a daily ``analysis.timeline`` frame; ``takeoffs`` has term, takeoff.
    """
    terms = frame.get_column("term").unique(maintain_order=True).to_list()
    rows = max(1, -(-len(terms) // columns))
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[escape(t) for t in terms],
                        shared_xaxes=True, vertical_spacing=0.12 / max(rows, 1) + 0.04, horizontal_spacing=0.05)
    takeoff_of = dict(takeoffs.select("term", "takeoff").iter_rows()) if takeoffs is not None else {}
    shapes: list[dict] = []
    for i, term in enumerate(terms):
        r, c = i // columns + 1, i % columns + 1
        part = frame.filter(pl.col("term") == term).sort("period")
        fig.add_trace(go.Scatter(
            x=part.get_column("period").to_list(), y=part.get_column("cumulative_authors").to_list(),
            mode="lines", line={"color": _colour(0), "width": 2}, name=escape(term), showlegend=False,
            hovertemplate=f"{escape(term)} %{{x|%Y-%m-%d}}: %{{y:,}}<extra></extra>",
        ), row=r, col=c)
        takeoff = takeoff_of.get(term)
        if takeoff is not None:
            x, axis = _day_edge(takeoff), "" if i == 0 else str(i + 1)
            shapes.append({"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "xref": f"x{axis}",
                           "yref": f"y{axis} domain", "line": {"color": PALETTE[3], "width": 1.5, "dash": "dash"}})
    fig.update_layout(shapes=shapes)
    fig.update_yaxes(rangemode="tozero")
    return _style(fig, height=max(260, 230 * rows), lang=lang)


#: Milestones of a story, in the order told, with their colours.
MILESTONES = {"first_seen": "#555555", "first_ai_seen": "#0072B2", "dormancy": "#7F7F7F", "takeoff": "#D55E00",
              "peak": "#CC79A7"}
#: A log axis when the peak is at least this many times the smallest non-zero period.
LOG_RATIO = 10


def story_chart(frame: pl.DataFrame, story: dict, *, events: pl.DataFrame | None = None,
                highlight: frozenset | set = frozenset(), lang: str = "en", width: float = LAYOUT_WIDTH,
                scale: str = "auto") -> go.Figure:
    """One term's uses per period with its milestones marked and dated: the picture of its story.

    ``frame`` has period, posts and ai_posts (two ``timeline`` queries, any and AI
    context); ``story`` is the term's ``emergence`` row. All uses are grey bars,
    AI-context uses blue bars over them; first use, first AI use, takeoff and
    peak are solid lines labelled with their dates in the track above, the
    longest dormancy is shaded. ``scale="auto"`` draws a log axis when the peak
    dwarfs the early uses (:data:`LOG_RATIO`), so single early posts stay visible.
    """
    frame = frame.sort("period")
    x = frame.get_column("period").to_list()
    fig = go.Figure()
    for column, key, colour in (("posts", "story_all_uses", "#B8C2CC"), ("ai_posts", "story_ai_uses", PALETTE[0])):
        name = escape(tr(key, lang))
        fig.add_trace(go.Bar(x=x, y=frame.get_column(column).to_list(), name=name, marker_color=colour,
                             marker_line_width=0, hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:,}} {name}<extra></extra>"))
    nonzero = [v for v in frame.get_column("posts").to_list() if v]
    log = scale == "log" or (scale == "auto" and nonzero and max(nonzero) >= LOG_RATIO * min(nonzero))
    shapes: list[dict] = []
    labels: list[TrackLabel] = []
    for key, day, text in story_milestones(story, lang):
        colour = MILESTONES[key]
        if key == "dormancy":
            start, end = day
            shapes.append({"type": "rect", "x0": _day_edge(start), "x1": _day_edge(end), "y0": 0, "y1": 1,
                           "xref": "x", "yref": "paper", "fillcolor": "rgba(127,127,127,0.16)",
                           "line": {"width": 0}, "layer": "below"})
            labels.append(TrackLabel(start, text, colour, bold=True, priority=0))
            continue
        shapes.append({"type": "line", "x0": _day_edge(day), "x1": _day_edge(day), "y0": 0, "y1": 1,
                       "xref": "x", "yref": "paper", "line": {"color": colour, "width": 2}})
        labels.append(TrackLabel(day, text, colour, bold=True, priority=0))
    fig.update_layout(shapes=shapes, barmode="overlay", bargap=0.1)
    if events is not None and events.height:
        add_event_markers(fig, events, highlight=highlight, lang=lang, width=width, milestones=labels)
    else:
        add_label_track(fig, labels, width=width)
    fig.update_layout(yaxis_type="log" if log else "linear", yaxis_title=escape(tr("measure_posts", lang)),
                      xaxis_title=None, hovermode="closest")
    if log:
        fig.update_yaxes(dtick=1)
    fig.update_xaxes(rangeslider={"visible": True, "thickness": 0.07})
    return _style(fig, height=480, lang=lang)


def story_milestones(story: dict, lang: str = "en") -> list[tuple[str, Any, str]]:
    """(key, day, label with its date) of each milestone the story has; the dormancy's day is (start, end)."""
    out: list[tuple[str, Any, str]] = []
    for key in ("first_seen", "first_ai_seen"):
        if story.get(key) is not None:
            out.append((key, story[key], f"{tr(key, lang)} {story[key].isoformat()}"))
    after, until = story.get("dormant_after"), story.get("dormant_until")
    if after is not None and until is not None and story.get("dormancy_days"):
        out.append(("dormancy", (after + dt.timedelta(days=1), until),
                    tr("story_dormancy_label", lang, days=story["dormancy_days"])))
    if story.get("takeoff") is not None:
        out.append(("takeoff", story["takeoff"], f"{tr('takeoff', lang)} {story['takeoff'].isoformat()}"))
    if story.get("peak") is not None:
        out.append(("peak", story["peak"], f"{tr('peak', lang)} {story['peak'].isoformat()} "
                                           f"({tr('story_posts_n', lang, n=story.get('peak_posts') or 0)})"))
    return out


def around_event_chart(frame: pl.DataFrame, event_date: dt.date, event_label: str, *, lang: str = "en") -> go.Figure:
    """Daily uses of each term around one event (a daily timeline frame), the event dashed."""
    fig = go.Figure()
    for i, term in enumerate(frame.get_column("term").unique(maintain_order=True).to_list()):
        part = frame.filter(pl.col("term") == term).sort("period")
        fig.add_trace(go.Bar(
            x=part.get_column("period").to_list(), y=part.get_column("posts").to_list(), name=escape(term),
            marker_color=_colour(i), hovertemplate=f"{escape(term)} %{{x|%Y-%m-%d}}: %{{y:,}}<extra></extra>",
        ))
    add_event_markers(fig, pl.DataFrame({"date": [event_date], "label": [event_label], "kind": ["event"]}))
    fig.update_layout(barmode="group", yaxis_title=escape(tr("measure_posts", lang)), xaxis_title=None)
    return _style(fig, height=380, lang=lang)


def xcorr_chart(frame: pl.DataFrame, term_a: str, term_b: str, *, lang: str = "en") -> go.Figure:
    """Correlation of two terms' daily uses at each lag (an ``analysis.cross_correlation`` frame)."""
    lags = frame.get_column("lag").to_list()
    values = frame.get_column("correlation").to_list()
    best = max(range(len(values)), key=lambda i: abs(values[i]) if values[i] is not None else -1) if values else None
    colours = [PALETTE[3] if i == best else PALETTE[0] for i in range(len(values))]
    fig = go.Figure(go.Bar(x=lags, y=values, marker_color=colours,
                           hovertemplate="lag %{x}: r = %{y:.3f}<extra></extra>"))
    fig.update_layout(xaxis_title=escape(tr("xcorr_axis", lang, a=term_a, b=term_b)), yaxis_title="r",
                      yaxis_range=[-1, 1])
    return _style(fig, height=320, lang=lang)


def network_chart(net: dict, *, lang: str = "en", seed: int = 7) -> go.Figure:
    """The co-occurrence network (``analysis.cooccurrence.network`` JSON): words as circles sized by their
    posts and coloured by community, edges as lines as thick as their Jaccard weight.

    Positions come from networkx's spring layout with a fixed seed, so the same
    network is drawn the same way every time. Each node carries ``customdata`` =
    [word], read back when it is clicked.
    """
    import networkx as nx

    nodes, edges = net.get("nodes", []), net.get("edges", [])
    fig = go.Figure()
    if not nodes:
        return _style(fig, height=520)
    graph = nx.Graph()
    graph.add_nodes_from(n["id"] for n in nodes)
    graph.add_weighted_edges_from((e["source"], e["target"], e["weight"]) for e in edges)
    pos = nx.spring_layout(graph, seed=seed, weight="weight")
    for e in edges:
        (x0, y0), (x1, y1) = pos[e["source"]], pos[e["target"]]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"width": 0.5 + 6 * e["weight"], "color": "rgba(120,120,120,0.45)"}))
    biggest = max(n["posts"] for n in nodes) or 1
    fig.add_trace(go.Scatter(
        x=[pos[n["id"]][0] for n in nodes], y=[pos[n["id"]][1] for n in nodes], mode="markers+text",
        text=[escape(n["word"]) for n in nodes], textposition="top center", showlegend=False,
        customdata=[[n["word"]] for n in nodes],
        marker={"size": [12 + 30 * (n["posts"] / biggest) ** 0.5 for n in nodes],
                "color": [_colour(n["community"] - 1) for n in nodes], "line": {"width": 1, "color": "white"}},
        hovertext=[f"{escape(n['word'])}<br>{escape(tr('col_posts', lang))}: {n['posts']:,}"
                   f"<br>{escape(tr('community', lang))} {n['community']}" for n in nodes],
        hoverinfo="text",
    ))
    fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, clickmode="event+select")
    return _style(fig, height=560)


def sentiment_chart(uses: pl.DataFrame, sentiment: pl.DataFrame, *, events: pl.DataFrame | None = None,
                    lang: str = "en") -> go.Figure:
    """The term's posts per period (top) over the shares of positive and negative posts (bottom).

    ``uses`` is an ``analysis.timeline`` frame of one term, ``sentiment`` an
    ``analysis.sentiment`` frame with the same periods. Events mark both panels.
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.45, 0.55], vertical_spacing=0.06)
    if uses.height:
        fig.add_trace(go.Bar(x=uses.get_column("period").to_numpy(), y=uses.get_column("posts").to_numpy(),
                             name=escape(tr("measure_posts", lang)), marker_color=PALETTE[0]), row=1, col=1)
    for column, colour in (("positive_share", PALETTE[2]), ("negative_share", PALETTE[3])):
        if sentiment.height:
            fig.add_trace(go.Scatter(
                x=sentiment.get_column("period").to_numpy(), y=sentiment.get_column(column).to_numpy(),
                name=escape(tr(column, lang)), mode="lines+markers", line={"color": colour, "width": 2},
                marker={"size": 4}, connectgaps=False,
                customdata=sentiment.select("posts").to_numpy(),
                hovertemplate="%{x|%Y-%m-%d}: %{y:.0%} (%{customdata[0]:,})<extra></extra>",
            ), row=2, col=1)
    if events is not None and events.height:  # lines through both panels, labels in the track above
        add_event_markers(fig, events, lang=lang)
    fig.update_yaxes(tickformat=".0%", range=[0, 1], row=2, col=1)
    return _style(fig, height=560, lang=lang)
