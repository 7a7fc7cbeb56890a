"""The dashboard's pictures as geometry: a confusion-matrix heatmap, a reliability diagram and
line charts, computed here and drawn as inline SVG by templates (no chart library, nothing
fetched by the browser). Plain Python, no Django."""

import math
from dataclasses import dataclass, field

# Sequential blues from white (0) to dark (1), for heatmap cells.
_LOW, _HIGH = (247, 251, 255), (8, 48, 107)


def shade(fraction: float) -> str:
    """A CSS colour between white and dark blue for a fraction in [0, 1]."""
    fraction = min(1.0, max(0.0, fraction))
    red, green, blue = (round(low + (high - low) * fraction)
                        for low, high in zip(_LOW, _HIGH, strict=True))
    return f"rgb({red},{green},{blue})"


@dataclass
class Heatmap:
    labels: list[str]
    cells: list[dict] = field(default_factory=list)
    row_labels: list[dict] = field(default_factory=list)  # {text, x, y}: right-aligned
    column_labels: list[dict] = field(default_factory=list)  # {text, x, y}: rotated
    size: int = 0
    cell: int = 0
    margin: int = 0


def confusion_heatmap(labels: list[str], matrix: list[list[int]], *, cell: int = 28,
                      margin: int = 120) -> Heatmap:
    """Rows are the true labels, columns the predicted ones; each cell is shaded by its share
    of the row (so a rare label's mistakes show as clearly as a common one's)."""
    heatmap = Heatmap(labels=list(labels), cell=cell, margin=margin,
                      size=margin + cell * len(labels))
    for index, label in enumerate(labels):
        centre = margin + index * cell + cell // 2
        heatmap.row_labels.append({"text": label, "x": margin - 6, "y": centre})
        heatmap.column_labels.append({"text": label, "x": centre, "y": margin - 6})
    for row, (true, counts) in enumerate(zip(labels, matrix, strict=True)):
        total = sum(counts) or 1
        for column, (predicted, count) in enumerate(zip(labels, counts, strict=True)):
            share = count / total
            heatmap.cells.append({
                "x": margin + column * cell, "y": margin + row * cell, "count": count,
                "cx": margin + column * cell + cell // 2, "cy": margin + row * cell + cell // 2,
                "fill": shade(share), "dark": share > 0.5, "diagonal": row == column,
                "title": f"true {true}, predicted {predicted}: {count} ({share:.0%} of {true})",
            })
    return heatmap


@dataclass
class LineChart:
    width: int
    height: int
    series: list[dict]
    x_ticks: list[dict]
    y_ticks: list[dict]
    x_label: str
    y_label: str
    diagonal: str | None = None  # an SVG path from (0,0) to (1,1), for reliability plots
    bars: list[dict] = field(default_factory=list)


_PAD = {"left": 48, "right": 12, "top": 12, "bottom": 36}


def line_chart(series: dict[str, list[tuple[float, float]]], *, x_label: str, y_label: str,
               width: int = 480, height: int = 240, y_range: tuple[float, float] | None = None,
               x_range: tuple[float, float] | None = None) -> LineChart:
    """Polylines of (x, y) points, one per named series, on shared axes."""
    points = [point for values in series.values() for point in values]
    xs, ys = [x for x, _ in points] or [0, 1], [y for _, y in points] or [0, 1]
    x_low, x_high = x_range or (min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1)
    y_low, y_high = y_range or (min(0.0, min(ys)), max(ys) if max(ys) > 0 else 1.0)
    plot_w = width - _PAD["left"] - _PAD["right"]
    plot_h = height - _PAD["top"] - _PAD["bottom"]

    def at(x: float, y: float) -> tuple[float, float]:
        return (_PAD["left"] + (x - x_low) / ((x_high - x_low) or 1) * plot_w,
                _PAD["top"] + plot_h - (y - y_low) / ((y_high - y_low) or 1) * plot_h)

    drawn = []
    for index, (name, values) in enumerate(series.items()):
        coordinates = [at(x, y) for x, y in values]
        drawn.append({"name": name, "index": index,
                      "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates),
                      "dots": [{"x": round(x, 1), "y": round(y, 1), "value": value}
                               for (x, y), value in zip(coordinates, values, strict=True)]})
    whole = all(float(x).is_integer() for x in xs)
    x_ticks = [{"x": round(at(value, y_low)[0], 1), "label": _tick(value)}
               for value in (_whole_ticks(x_low, x_high) if whole else _ticks(x_low, x_high))]
    y_ticks = [{"y": round(at(x_low, value)[1], 1), "label": _tick(value)}
               for value in _ticks(y_low, y_high)]
    return LineChart(width=width, height=height, series=drawn, x_ticks=x_ticks,
                     y_ticks=y_ticks, x_label=x_label, y_label=y_label)


def reliability_chart(bins: list[dict], *, width: int = 480, height: int = 300) -> LineChart:
    """Accuracy against confidence per bin (bins of ml.calibration: low, high, count,
    accuracy, confidence), with the diagonal a calibrated model would follow; the bars under
    it show how many predictions each bin holds."""
    filled = [b for b in bins if b.get("count")]
    chart = line_chart({"model": [(b["confidence"], b["accuracy"]) for b in filled]},
                       x_label="confidence", y_label="accuracy", width=width, height=height,
                       x_range=(0.0, 1.0), y_range=(0.0, 1.0))
    left, top = _PAD["left"], _PAD["top"]
    plot_w, plot_h = width - left - _PAD["right"], height - top - _PAD["bottom"]
    chart.diagonal = f"M{left},{top + plot_h} L{left + plot_w},{top}"
    most = max((b["count"] for b in filled), default=1)
    for b in filled:
        bar_h = b["count"] / most * plot_h * 0.25
        chart.bars.append({"x": round(left + b["low"] * plot_w, 1),
                           "width": round((b["high"] - b["low"]) * plot_w - 1, 1),
                           "y": round(top + plot_h - bar_h, 1), "height": round(bar_h, 1),
                           "title": f"{b['count']} predictions at {b['low']:.1f}-"
                                    f"{b['high']:.1f}"})
    return chart


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = (high - low) / (count - 1) if high > low else 1
    return [low + step * index for index in range(count)]


def _whole_ticks(low: float, high: float, most: int = 8) -> list[float]:
    """Whole-number ticks (epochs, steps): every one, or every n-th when there are many."""
    step = max(1, -(-int(high - low) // (most - 1)))
    return [float(value) for value in range(int(low), int(high) + 1, step)]


def _tick(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.2f}"


@dataclass
class ScatterChart:
    width: int
    height: int
    points: list[dict]
    x_ticks: list[dict]
    y_ticks: list[dict]
    x_label: str
    y_label: str


def scatter_chart(points: list[dict], *, x_label: str, y_label: str, width: int = 560,
                  height: int = 300, largest_radius: float = 14.0) -> ScatterChart:
    """Points {x, y, size, label, title, highlight}: x and y on the axes, the area of each dot
    proportional to `size` (the compression frontier: accuracy against latency, dot area by
    size on disk). Axes span the data with a little room, so close versions stay apart."""
    xs = [p["x"] for p in points] or [0.0, 1.0]
    ys = [p["y"] for p in points] or [0.0, 1.0]
    x_low, x_high = 0.0, max(xs) * 1.1 or 1.0
    spread = (max(ys) - min(ys)) or 0.02
    y_low, y_high = min(ys) - spread * 0.25, max(ys) + spread * 0.25
    plot_w = width - _PAD["left"] - _PAD["right"]
    plot_h = height - _PAD["top"] - _PAD["bottom"]
    biggest = max((p["size"] for p in points), default=1) or 1
    drawn = []
    for point in points:
        x = _PAD["left"] + (point["x"] - x_low) / (x_high - x_low) * plot_w
        y = _PAD["top"] + plot_h - (point["y"] - y_low) / (y_high - y_low) * plot_h
        radius = max(3.0, largest_radius * (point["size"] / biggest) ** 0.5)
        drawn.append({**point, "cx": round(x, 1), "cy": round(y, 1), "r": round(radius, 1),
                      "label_x": round(x + radius + 3, 1)})
    x_ticks = [{"x": round(_PAD["left"] + (v - x_low) / (x_high - x_low) * plot_w, 1),
                "label": _fixed(v, x_high - x_low)} for v in _ticks(x_low, x_high)]
    y_ticks = [{"y": round(_PAD["top"] + plot_h - (v - y_low) / (y_high - y_low) * plot_h, 1),
                "label": _fixed(v, y_high - y_low)} for v in _ticks(y_low, y_high)]
    return ScatterChart(width=width, height=height, points=drawn, x_ticks=x_ticks,
                        y_ticks=y_ticks, x_label=x_label, y_label=y_label)


def _fixed(value: float, span: float) -> str:
    """A tick label with as many decimals as the axis span needs to tell ticks apart."""
    decimals = max(0, min(4, 1 - math.floor(math.log10(span / 4)))) if span > 0 else 0
    return f"{value:.{decimals}f}"
