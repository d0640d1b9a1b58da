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
import html

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
#: At most this many point markers drawn per line (thousands of SVG markers are slow to draw); every
#: point still hovers and clicks, since a line keeps its markers (plotly selects only traces with markers).
MARKERS_UP_TO = 400
#: Event labels longer than this are cut (the whole label is in its hover).
EVENT_LABEL_CHARS = 28
#: Rows of event labels, and the fraction of the x range two labels in one row keep apart.
EVENT_LABEL_LEVELS = 3
EVENT_LABEL_GAP = 0.012


def escape(text: object) -> str:
    """Text from the data, made inert for plotly's HTML-like hover and annotation markup."""
    return html.escape("" if text is None else str(text), quote=False)


def escape_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`escape` as a polars expression (for whole columns of hover text)."""
    return (expr.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True))


def _style(fig: go.Figure, *, height: int = 420) -> go.Figure:
    fig.update_layout(
        template=TEMPLATE,
        font={"family": FONT_FAMILY, "size": 13},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=height,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return fig


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
    return _style(fig, height=360)


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
) -> go.Figure:
    """One line per term over periods (a ``analysis.timeline`` frame).

    ``measure`` is a timeline column (posts, share_per_10k, authors, cumulative_...).
    ``events`` (date, label, kind) become labelled vertical markers coloured by
    kind; ``hover`` (term, period, first_posts) adds the first posts of each
    period to its hover. Each point carries ``customdata`` = [term, period ISO
    date, posts, first posts], which the page reads back when a point is clicked.
    """
    fig = go.Figure()
    if hover is not None and hover.height:
        frame = frame.join(hover, on=["term", "period"], how="left")
    else:
        frame = frame.with_columns(first_posts=pl.lit(None, dtype=pl.List(pl.String)))
    value_label = tr(f"measure_{measure}", lang) if f"measure_{measure}" in _MEASURES else measure
    for i, term in enumerate(frame.get_column("term").unique(maintain_order=True).to_list()):
        part = frame.filter(pl.col("term") == term).sort("period")
        # numpy arrays, not lists: plotly validates and copies nested lists element by element
        custom = part.select(
            pl.lit(term).alias("term"),
            pl.col("period").dt.strftime("%Y-%m-%d"),
            pl.col("posts"),
            pl.col("first_posts").list.eval(escape_expr(pl.element())).list.join("<br>").fill_null(""),
        ).to_numpy()
        fig.add_trace(go.Scatter(
            x=part.get_column("period").to_numpy(), y=part.get_column(measure).to_numpy(), name=escape(term),
            mode="lines+markers", line={"color": _colour(i), "width": 2}, customdata=custom,
            marker={"size": 5, "maxdisplayed": MARKERS_UP_TO} if part.height > MARKERS_UP_TO else {"size": 5},
            hovertemplate=(
                "<b>%{customdata[0]}</b> %{x|%Y-%m-%d}<br>"
                f"{escape(tr('measure_posts', lang))}: %{{customdata[2]:,}}"
                + (f" · {escape(value_label)}: %{{y:,.2f}}" if measure != "posts" else "")
                + "<br>%{customdata[3]}<extra></extra>"
            ),
        ))
    if events is not None:
        add_event_markers(fig, events)
    fig.update_layout(yaxis_type="log" if scale == "log" else "linear", yaxis_title=escape(value_label),
                      xaxis_title=None, hovermode="closest", clickmode="event+select")
    return _style(fig, height=460)


_MEASURES = {"measure_posts", "measure_share_per_10k", "measure_authors"}


def add_event_markers(fig: go.Figure, events: pl.DataFrame, *, labels: bool = True) -> go.Figure:
    """Events (date, label, kind) as dotted vertical lines, coloured by kind, with a label at the top.

    Labels are cut to :data:`EVENT_LABEL_CHARS` (the page lists the events in
    full) and stepped down when events crowd together, so a burst of events
    (August 2022) stays readable. Shapes and labels are set in one layout
    update: ``add_shape`` per event costs milliseconds each.
    """
    shapes, notes = event_markers(events, labels=labels)
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])
    return fig


def event_markers(events: pl.DataFrame, *, labels: bool = True, xref: str = "x",
                  yref: str = "paper") -> tuple[list[dict], list[dict]]:
    """Layout shapes and annotations that mark events (see :func:`add_event_markers`)."""
    rows = sorted(events.select("date", "label", "kind").iter_rows(), key=lambda r: r[0])
    shapes: list[dict] = []
    notes: list[dict] = []
    if not rows:
        return shapes, notes
    span = max((rows[-1][0] - rows[0][0]).days, 1)
    last_x: list[dt.date | None] = [None] * EVENT_LABEL_LEVELS
    for date, label, kind in rows:
        colour = EVENT_COLOURS.get(kind or "", "#666666")
        x = _day_edge(date)
        shapes.append({"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "xref": xref, "yref": yref,
                       "line": {"color": colour, "width": 1, "dash": "dot"}})
        if not labels:
            continue
        level = next((i for i, prev in enumerate(last_x)
                      if prev is None or (date - prev).days / span > EVENT_LABEL_GAP), None)
        if level is None:  # every row is crowded here: reuse the row whose last label is furthest back
            level = min(range(EVENT_LABEL_LEVELS), key=lambda i: last_x[i] or dt.date.min)
        last_x[level] = date
        text = label if len(label) <= EVENT_LABEL_CHARS else label[: EVENT_LABEL_CHARS - 1] + "…"
        # no hovertext: an annotation with one catches the mouse and would hide the data points below it
        notes.append({"x": x, "y": 1 - level * 0.34, "xref": xref, "yref": yref, "text": escape(text),
                      "showarrow": False, "textangle": -90, "xanchor": "right", "yanchor": "top",
                      "font": {"size": 10, "color": colour}, "captureevents": False})
    return shapes, notes


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
    return _style(fig, height=max(260, 230 * rows))


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
    return _style(fig, height=380)


def xcorr_chart(frame: pl.DataFrame, term_a: str, term_b: str, *, lang: str = "en") -> go.Figure:
    """Correlation of two terms' daily uses at each lag (an ``analysis.cross_correlation`` frame)."""
    lags = frame.get_column("lag").to_list()
    values = frame.get_column("correlation").to_list()
    best = max(range(len(values)), key=lambda i: abs(values[i]) if values[i] is not None else -1) if values else None
    colours = [PALETTE[3] if i == best else PALETTE[0] for i in range(len(values))]
    fig = go.Figure(go.Bar(x=lags, y=values, marker_color=colours,
                           hovertemplate="lag %{x}: r = %{y:.3f}<extra></extra>"))
    fig.update_layout(xaxis_title=escape(f"lag (days): {term_b} vs {term_a}"), yaxis_title="r",
                      yaxis_range=[-1, 1])
    return _style(fig, height=320)


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
    if events is not None and events.height:
        for yref, xref, labels in (("y domain", "x", True), ("y2 domain", "x2", False)):
            shapes, notes = event_markers(events, labels=labels, xref=xref, yref=yref)
            fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])
    fig.update_yaxes(tickformat=".0%", range=[0, 1], row=2, col=1)
    return _style(fig, height=560)
