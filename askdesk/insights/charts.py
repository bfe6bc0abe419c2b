"""Charts of the analytics pages: matplotlib draws SVG on the server (docs/architecture.md says why).

Each chart is a figure of its own (no pyplot state, so requests never share a figure), drawn with
the Agg backend and DejaVu Sans (shipped with matplotlib), and saved as SVG with its text kept as
text. The section heading above a chart names it, so the drawing has no title of its own; the SVG
gets ``role="img"`` and a ``<title>`` saying what it shows; the page puts it in an
``<img>`` (so the page's CSP needs no change) next to a table of the same figures.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

INK = "#1d1f23"
MUTED = "#5b616b"
BAR = "#1a56a6"
LINES = ["#1a56a6", "#b3261e", "#1e7a3c", "#9a5b00", "#6b3fa0"]
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 13,
    "svg.fonttype": "none",
    "svg.hashsalt": "askdesk",
    # Readers' words are drawn as typed: "$5 or $10?" is text, never mathtext to parse.
    "text.parse_math": False,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# Drawn small, in inches, so that text stays readable when a phone scales the chart to its width.
WIDTH = 4.8
LABEL_CHARS = 26


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def _styled() -> AbstractContextManager[None]:
    # The stubs know rc keys as literals; STYLE holds only real keys (matplotlib checks them).
    return rc_context(STYLE)  # type: ignore[arg-type]


def short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _to_svg(figure: Figure, title: str) -> Chart:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Title": title})
    svg = buffer.getvalue()
    # Scale with its container (the viewBox keeps the proportions) and say what it shows.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', svg, count=1)
    svg = re.sub(
        r"(<svg[^>]*?)>",
        lambda match: (
            f'{match.group(1)} role="img" aria-labelledby="chart-title"><title id="chart-title">'
            f"{_escape(title)}</title>"
        ),
        svg,
        count=1,
    )
    return Chart(title=title, svg=svg)


def _figure(rows: int) -> Figure:
    height = max(2.4, 0.45 * rows + 1.0)
    return Figure(figsize=(WIDTH, height), layout="constrained")


def columns(title: str, labels: Sequence[str], values: Sequence[float], *, ylabel: str) -> Chart:
    """Vertical bars over time (questions per hour or per day)."""
    with _styled():
        figure = Figure(figsize=(WIDTH, 2.8), layout="constrained")
        axes = figure.add_subplot()
        positions = range(len(values))
        axes.bar(positions, values, color=BAR, width=0.8)
        step = max(1, len(labels) // 8)
        axes.set_xticks(list(positions)[::step], list(labels)[::step], rotation=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel(ylabel)
        return _to_svg(figure, title)


def bars(title: str, labels: Sequence[str], values: Sequence[float], *, value_format: str = "{:g}") -> Chart:
    """Horizontal bars, largest first at the top, each with its value written at its end."""
    with _styled():
        figure = _figure(len(values))
        axes = figure.add_subplot()
        positions = list(range(len(values)))
        axes.barh(positions, values, color=BAR, height=0.7)
        axes.set_yticks(positions, [short(label) for label in labels])
        axes.invert_yaxis()
        top = max(values, default=0) or 1
        axes.set_xlim(0, top * 1.18)
        for position, value in zip(positions, values, strict=True):
            axes.text(value + top * 0.01, position, value_format.format(value), va="center", fontsize=12)
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
        return _to_svg(figure, title)


def lines(title: str, moments: Sequence[datetime], series: Sequence[tuple[str, Sequence[int]]], *, fmt: str) -> Chart:
    """Cumulative sizes over time, one line per group, labelled in a legend below."""
    with _styled():
        figure = Figure(figsize=(WIDTH, 2.8 + 0.3 * len(series)), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(moments)))
        for index, (label, values) in enumerate(series):
            axes.plot(positions, values, color=LINES[index % len(LINES)], marker="o", markersize=3, label=short(label))
        step = max(1, len(moments) // 6)
        axes.set_xticks(positions[::step], [moment.strftime(fmt) for moment in moments][::step])
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel("Questions in the group")
        figure.legend(loc="outside lower left", frameon=False, fontsize=12)
        return _to_svg(figure, title)


def comparison(title: str, labels: Sequence[str], panels: Sequence[tuple[str, Sequence[float], str]]) -> Chart:
    """Call-outs side by side: one panel of horizontal bars per measure, call-outs on the shared axis."""
    with _styled():
        figure = Figure(figsize=(WIDTH, max(2.6, 0.5 * len(labels) + 1.4)), layout="constrained")
        grid = figure.subplots(1, len(panels), sharey=True)
        positions = list(range(len(labels)))
        for index, (axes, (name, values, value_format)) in enumerate(zip(grid, panels, strict=True)):
            axes.barh(positions, values, color=LINES[index % len(LINES)], height=0.7)
            top = max(values, default=0) or 1
            axes.set_xlim(0, top * 1.45)
            for position, value in zip(positions, values, strict=True):
                axes.text(value + top * 0.02, position, value_format.format(value), va="center", fontsize=11)
            axes.set_title(name, fontsize=12, loc="left")
            axes.xaxis.set_visible(False)
            axes.spines["bottom"].set_visible(False)
        grid[0].set_yticks(positions, [short(label) for label in labels])
        grid[0].invert_yaxis()
        return _to_svg(figure, title)
