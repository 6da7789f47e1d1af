# SPDX-License-Identifier: EUPL-1.2
"""Server-side SVG geometry for the maps and charts (the templates draw it; a table always says the same).

Maps project WGS84 with an equirectangular projection scaled by cos(latitude) — at a city's size the
difference with a proper projection is far below a pixel. Classes are equal steps of five percentage
points, so a class means the same in every edition; an area whose 95 % interval is wider than the
threshold is hatched (its class is uncertain), an area without a figure is grey and dotted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

MAP_WIDTH = 600
CLASS_STEP = 0.05


@dataclass
class MapArea:
    code: str
    name: str
    path: str
    css_class: str
    hatched: bool
    label: str


@dataclass
class Legend:
    css_class: str
    label: str


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def projection(boundaries: list[dict[str, Any]]) -> tuple[Any, int]:
    """Return a function (lon, lat) → (x, y) fitting every boundary into MAP_WIDTH, and the map's height."""
    points = [point for b in boundaries for ring in _rings(b) for point in ring]
    if not points:
        return (lambda lon, lat: (0.0, 0.0)), 1
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    scale_x = math.cos(math.radians((min(lats) + max(lats)) / 2))
    width = max((max(lons) - min(lons)) * scale_x, 1e-9)
    factor = MAP_WIDTH / width
    height = max(1, round((max(lats) - min(lats)) * factor))
    west, north = min(lons), max(lats)
    return (lambda lon, lat: ((lon - west) * scale_x * factor, (north - lat) * factor)), height


def svg_path(geometry: dict[str, Any], project: Any) -> str:
    parts = []
    for ring in _rings(geometry):
        coordinates = [project(lon, lat) for lon, lat, *_rest in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coordinates) + "Z")
    return "".join(parts)


def value_class(estimate: float | None) -> str:
    if estimate is None:
        return "omzien-map__area--none"
    return f"omzien-map__area--c{min(int(estimate / CLASS_STEP), 11)}"


def legend(estimates: list[float]) -> list[Legend]:
    """The classes that occur, lowest first, as '30–35 %'."""
    used = sorted({min(int(e / CLASS_STEP), 11) for e in estimates})
    return [Legend(f"omzien-map__area--c{c}", f"{c * 5}–{c * 5 + 5} %" if c < 11 else "55 % +") for c in used]


@dataclass
class Bar:
    label: str
    y: float
    x: float
    width: float
    low: float
    high: float
    value: str
    model: bool


def bars(items: list[tuple[str, float, float | None, float | None, bool]], *, width: int = 600,
         row: int = 22, label_width: int = 170) -> tuple[list[Bar], int, list[tuple[float, str]]]:  # fmt: skip
    """Horizontal bars with error bars: (label, estimate, ci_low, ci_high, model?) → bars, height, axis ticks."""
    top = max([item[3] or item[1] for item in items] + [0.1])
    scale_max = math.ceil(top / 0.1) * 0.1
    plot = width - label_width - 50

    def x(value: float) -> float:
        return label_width + plot * value / scale_max

    drawn = [
        Bar(label=label, y=index * row, x=label_width, width=x(estimate) - label_width,
            low=x(low if low is not None else estimate), high=x(high if high is not None else estimate),
            value=f"{estimate * 100:.1f}", model=model)
        for index, (label, estimate, low, high, model) in enumerate(items)
    ]  # fmt: skip
    ticks = [(x(t / 10), f"{t * 10} %") for t in range(0, round(scale_max * 10) + 1)]
    return drawn, len(items) * row, ticks


@dataclass
class TrendMark:
    x: float
    y: float
    low: float
    high: float
    label: str
    value: str


def trend_chart(points: list[tuple[str, float, float, float]], *, width: int = 600,
                height: int = 220) -> tuple[list[TrendMark], str, list[tuple[float, str]]]:  # fmt: skip
    """Points (label, estimate, ci_low, ci_high) → marks, the line's points, and y-axis ticks (every 10 %)."""
    if not points:
        return [], "", []
    top = math.ceil(max(p[3] for p in points) / 0.1) * 0.1
    left, right, bottom = 50, 20, 30

    def y(value: float) -> float:
        return (height - bottom) * (1 - value / top)

    step = (width - left - right) / max(len(points) - 1, 1)
    marks = [
        TrendMark(x=left + (index * step if len(points) > 1 else (width - left - right) / 2), y=y(estimate),
                  low=y(low), high=y(high), label=label, value=f"{estimate * 100:.1f}")
        for index, (label, estimate, low, high) in enumerate(points)
    ]  # fmt: skip
    line = " ".join(f"{m.x:.1f},{m.y:.1f}" for m in marks)
    ticks = [(y(t / 10), f"{t * 10} %") for t in range(0, round(top * 10) + 1)]
    return marks, line, ticks


# --- Self-contained SVG for the council's page and report (inline styles: they are shown as images) -----------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def forest_svg(items: list[tuple[str, float, float, float]], *, axis_label: str, width: int = 640,
               row: int = 26, label_width: int = 210) -> str:  # fmt: skip
    """A forest plot: per row a point estimate with its interval, around a zero line (changes in points)."""
    if not items:
        return ""
    low = min(min(i[2] for i in items), 0.0)
    high = max(max(i[3] for i in items), 0.0)
    span = max(high - low, 1.0)
    low, high = math.floor(low - span * 0.05), math.ceil(high + span * 0.05)
    plot = width - label_width - 20
    height = len(items) * row + 40

    def x(value: float) -> float:
        return label_width + plot * (value - low) / (high - low)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             'font-family="DejaVu Sans, sans-serif" font-size="12">']  # fmt: skip
    parts.extend(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="0" y2="{len(items) * row}" '
                 f'stroke="{"#1a1a1a" if tick == 0 else "#ccc"}" stroke-width="1"/>'
                 f'<text x="{x(tick):.1f}" y="{len(items) * row + 14}" text-anchor="middle">{tick}</text>'
                 for tick in range(int(low), int(high) + 1))  # fmt: skip
    for index, (label, estimate, lo, hi) in enumerate(items):
        y = index * row + row / 2
        parts.append(f'<text x="0" y="{y + 4:.1f}">{_escape(label)}</text>'
                     f'<line x1="{x(lo):.1f}" x2="{x(hi):.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#1a1a1a" stroke-width="2"/>'
                     f'<circle cx="{x(estimate):.1f}" cy="{y:.1f}" r="5" fill="#a63603"/>')  # fmt: skip
    parts.append(f'<text x="{label_width + plot / 2:.1f}" y="{height - 4}" text-anchor="middle">{_escape(axis_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def share_bars_svg(items: list[tuple[str, float, float | None, float | None]], *, width: int = 640) -> str:
    """Horizontal bars of shares with error bars (the same geometry as the monitor page's bars)."""
    if not items:
        return ""
    drawn, height, ticks = bars([(label, e, lo, hi, False) for label, e, lo, hi in items], width=width,
                                label_width=210)  # fmt: skip
    total = height + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total}" viewBox="0 0 {width} {total}" '
             'font-family="DejaVu Sans, sans-serif" font-size="12">']  # fmt: skip
    parts.extend(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="0" y2="{height}" stroke="#ccc"/>'
                 f'<text x="{tx:.1f}" y="{height + 14}" text-anchor="middle">{text}</text>' for tx, text in ticks)  # fmt: skip
    parts.extend(f'<text x="0" y="{bar.y + 15:.1f}">{_escape(bar.label)}</text>'
                 f'<rect x="{bar.x:.1f}" y="{bar.y + 4:.1f}" width="{max(bar.width, 0):.1f}" height="14" fill="#fd8d3c"/>'
                 f'<line x1="{bar.low:.1f}" x2="{bar.high:.1f}" y1="{bar.y + 11:.1f}" y2="{bar.y + 11:.1f}" '
                 'stroke="#1a1a1a" stroke-width="2"/>' for bar in drawn)  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


_FILLS = ["#fff5eb", "#fff5eb", "#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801",
          "#a63603", "#7f2704", "#7f2704"]  # fmt: skip


def choropleth_svg(shapes: list[tuple[str, dict[str, Any], float | None]]) -> str:
    """A map of (name, boundary, share) in the monitor's classes of five points; grey where there is no figure."""
    if not shapes:
        return ""
    project, height = projection([geometry for _name, geometry, _value in shapes])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{MAP_WIDTH}" height="{height}" '
             f'viewBox="0 0 {MAP_WIDTH} {height}">']  # fmt: skip
    for _name, geometry, value in shapes:
        fill = "#d9d9d9" if value is None else _FILLS[min(int(value / CLASS_STEP), 11)]
        parts.append(f'<path d="{svg_path(geometry, project)}" fill="{fill}" stroke="#fff" stroke-width="0.8"/>')
    parts.append("</svg>")
    return "".join(parts)
