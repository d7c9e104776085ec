"""The KPI chart as inline SVG, drawn on the server.

No script and no inline style (the CSP forbids both): SVG presentation
attributes only, so the chart renders with JavaScript off.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from bella.v1 import calls_pb2
from markupsafe import Markup

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 52, 16, 40
COLOURS = {"calls": "#8fb3d9", "bookings": "#2e7d32", "transfers": "#e08a00", "latency": "#6a1b9a"}


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return float(step * 4)
    return float(value)


def kpi_chart(days: Sequence[calls_pb2.DayStats], latency: Mapping[str, float]) -> Markup:
    """Bars: calls, bookings and transfers per day; line: average turn latency (right axis)."""
    n = max(1, len(days))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    y_max = _nice_max(max((d.calls for d in days), default=0))
    lat_max = _nice_max(max(latency.values(), default=0.0))
    slot = plot_w / n
    bar = max(1.0, slot / 4)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="kpi-chart-title" class="chart">',
        '<title id="kpi-chart-title">Calls, bookings and transfers per day, '
        "with average turn latency</title>",
    ]
    for i in range(5):
        value = y_max * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#555">{value:.0f}</text>'
        )
        if latency:
            parts.append(
                f'<text x="{WIDTH - RIGHT + 6}" y="{y + 4:.1f}" font-size="11" '
                f'fill="{COLOURS["latency"]}">{lat_max * i / 4:.0f}</text>'
            )
    points = []
    label_every = max(1, n // 10)
    for i, day in enumerate(days):
        x0 = LEFT + i * slot + slot / 8
        for j, (name, value) in enumerate(
            (("calls", day.calls), ("bookings", day.bookings), ("transfers", day.transfers))
        ):
            h = plot_h * value / y_max
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[name]}"><title>{escape(day.date)} '
                f"{name}: {value}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{LEFT + i * slot + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle" font-size="10" fill="#555">{escape(day.date[5:])}</text>'
            )
        if day.date in latency:
            y = TOP + plot_h - plot_h * latency[day.date] / lat_max
            points.append(f"{LEFT + i * slot + slot / 2:.1f},{y:.1f}")
    if len(points) > 1:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" '
            f'stroke="{COLOURS["latency"]}" stroke-width="2"/>'
        )
    legend = [("calls", "Calls"), ("bookings", "Bookings"), ("transfers", "Transfers")]
    if latency:
        legend.append(("latency", "Avg turn latency (ms, right axis)"))
    x = LEFT
    for key, label in legend:
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{COLOURS[key]}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 5}" font-size="11" fill="#333">{label}</text>'
        )
        x += 30 + 7 * len(label)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - built from numbers and escaped dates only
