"""Charts drawn on the server as SVG, so a page and a printed PDF show the same picture.

The geometry is worked out here, in plain Python; `templates/components/stacked_bars.svg` only draws
it. Every chart sits beside a table of the same figures, which is what screen readers are pointed to.
"""
from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 720
ROW_HEIGHT = 56
BAR_HEIGHT = 24
LABEL_GAP = 6
LEGEND_ROW = 26
SWATCH = 16
CHAR_WIDTH = 7.2  # roughly, for 14px Arial: used to lay out the legend and to decide where numbers fit
INK = "#0b0c0c"

# Fills from low to high, each with the text colour that reads on it (4.5:1 or better).
LEVEL_FILLS = (("#f47738", INK), ("#ffdd00", INK), ("#85994b", INK), ("#00703c", "#ffffff"),
               ("#1d70b8", "#ffffff"), ("#4c2c92", "#ffffff"))
NOT_EVALUATED_FILL = ("#b1b4b6", INK)
HIDDEN_FILL = ("#ffffff", INK)


@dataclass
class Series:
    """One kind of count in the bars (a level of the scale, say), drawn in one colour."""

    key: int
    label: str
    fill: str
    text_fill: str


@dataclass
class Segment:
    label: str
    count: int
    x: float
    width: float
    fill: str
    text_fill: str

    @property
    def shows_number(self) -> bool:
        return self.width >= CHAR_WIDTH * len(str(self.count)) + 8


@dataclass
class Bar:
    label: str
    y: float
    total: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def bar_y(self) -> float:
        return self.y + 14 + LABEL_GAP


@dataclass
class LegendItem:
    label: str
    fill: str
    x: float
    y: float


@dataclass
class StackedBarChart:
    """Horizontal bars, one per row, each split into its series as shares of the row's total."""

    id: str
    title: str
    description: str
    bars: list[Bar]
    legend: list[LegendItem]
    legend_height: float
    width: int = WIDTH

    @property
    def height(self) -> float:
        return self.legend_height + len(self.bars) * ROW_HEIGHT

    @property
    def is_empty(self) -> bool:
        return not any(bar.total for bar in self.bars)


def level_series(levels: list[tuple[int, str]], not_evaluated_key: int | None = None) -> list[Series]:
    """Series for a rating scale, low to high, with "Not yet evaluated" last when asked for."""
    series = [Series(value, f"{value} {label}", *LEVEL_FILLS[index % len(LEVEL_FILLS)])
              for index, (value, label) in enumerate(levels)]
    if not_evaluated_key is not None:
        series.append(Series(not_evaluated_key, "Not yet evaluated", *NOT_EVALUATED_FILL))
    return series


HIDDEN_LABEL = "Hidden: fewer than 3"


def _legend(series: list[Series], with_hidden: bool) -> tuple[list[LegendItem], float]:
    entries = [(s.label, s.fill) for s in series] + ([(HIDDEN_LABEL, HIDDEN_FILL[0])] if with_hidden else [])
    items, x, y = [], 0.0, 0.0
    for label, fill in entries:
        width = SWATCH + 6 + len(label) * CHAR_WIDTH + 18
        if x and x + width > WIDTH:
            x, y = 0.0, y + LEGEND_ROW
        items.append(LegendItem(label, fill, x, y))
        x += width
    return items, y + LEGEND_ROW + 10


def stacked_bars(chart_id: str, title: str, description: str, series: list[Series],
                 rows: list[tuple[str, dict[int, int | None]]]) -> StackedBarChart:
    """A chart of rows of counts by series key. A count of None is one held back (too few to show);
    the held-back counts of a row are drawn together as one "hidden" part, so none can be read off."""
    hidden_anywhere = any(count is None for _, counts in rows for count in counts.values())
    legend, legend_height = _legend(series, hidden_anywhere)
    bars = []
    for index, (label, counts) in enumerate(rows):
        shown = [(s, counts.get(s.key) or 0) for s in series if counts.get(s.key)]
        hidden = sum(1 for s in series if s.key in counts and counts[s.key] is None)
        # A hidden part takes a fixed share so its size gives nothing away.
        parts = [(s.label, n, s.fill, s.text_fill) for s, n in shown]
        total = sum(n for _, n in shown)
        bar = Bar(label, legend_height + index * ROW_HEIGHT, total)
        scale_total = total / 0.8 if hidden and total else (total or 1)
        x = 0.0
        for part_label, count, fill, text_fill in parts:
            width = WIDTH * count / scale_total
            bar.segments.append(Segment(part_label, count, x, width, fill, text_fill))
            x += width
        if hidden:
            bar.segments.append(Segment(HIDDEN_LABEL, 0, x, WIDTH - x, *HIDDEN_FILL))
        bars.append(bar)
    return StackedBarChart(chart_id, title, description, bars, legend, legend_height)


# --- Paired bars: two ratings side by side per row (a school's own and the moderated one) -------------

PAIR_LABEL_WIDTH = 96  # room for "Moderated" before the bars
PAIR_BAR_HEIGHT = 14
PAIR_BAR_GAP = 3
PAIR_ROW_GAP = 12
PAIR_VALUE_ROOM = 130  # room after the longest bar for its value, such as "4 Embedded"
PAIR_FILLS = ("#1d70b8", "#f47738")


@dataclass
class PairedBar:
    label: str  # which of the pair: "Self", "Moderated"
    text: str  # the value as read: "3 Established", or why there is none
    y: float
    width: float  # 0 when there is no value
    fill: str


@dataclass
class Pair:
    label: str
    y: float
    bars: list[PairedBar]


@dataclass
class PairedBarChart:
    """Rows of two bars each, measured against the same scale (1 to `maximum`)."""

    id: str
    title: str
    description: str
    pairs: list[Pair]
    legend: list[LegendItem]
    legend_height: float
    width: int = WIDTH
    bar_x: float = PAIR_LABEL_WIDTH
    bar_height: float = PAIR_BAR_HEIGHT

    @property
    def height(self) -> float:
        return self.legend_height + len(self.pairs) * _pair_row_height()


def _pair_row_height() -> float:
    return 14 + LABEL_GAP + 2 * PAIR_BAR_HEIGHT + PAIR_BAR_GAP + PAIR_ROW_GAP


def paired_bars(chart_id: str, title: str, description: str, names: tuple[str, str], maximum: int,
                rows: list[tuple[str, tuple[int | None, str], tuple[int | None, str]]]) -> PairedBarChart:
    """A chart of rows, each with two values on a scale of 1 to `maximum`: `names` are the two kinds
    ("Self", "Moderated"), and each value comes with its text ("3 Established"; "Not moderated")."""
    legend, legend_height = _legend([Series(0, name, fill, INK)
                                     for name, fill in zip(names, PAIR_FILLS, strict=False)], False)
    span = WIDTH - PAIR_LABEL_WIDTH - PAIR_VALUE_ROOM
    pairs = []
    for index, (label, *values) in enumerate(rows):
        y = legend_height + index * _pair_row_height()
        bars = []
        for number, ((level, text), name, fill) in enumerate(zip(values, names, PAIR_FILLS, strict=False)):
            bar_y = y + 14 + LABEL_GAP + number * (PAIR_BAR_HEIGHT + PAIR_BAR_GAP)
            width = span * min(level, maximum) / maximum if level and maximum else 0.0
            bars.append(PairedBar(name, text, bar_y, width, fill))
        pairs.append(Pair(label, y, bars))
    return PairedBarChart(chart_id, title, description, pairs, legend, legend_height)
