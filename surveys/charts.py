"""Charts drawn on the server as SVG: the same markup on the page and in the PDF (WeasyPrint draws SVG).

Right-to-left aware: in Arabic the value axis stands on the right, categories run from right to left
(the first month on the right, as Arabic is read) and horizontal bars grow from the right. Labels are
text, not paths, so they are translated like any other string; colours are presentation attributes
(no style attribute: the portal's CSP forbids inline styles). Each chart has a <title> and <desc> for
screen readers, and the page shows the same figures in a table under it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

PALETTE = ("#5b3a1e", "#c0843d", "#2f5d3a", "#8a6d57")
TEXT = "#2b1d12"
MUTED = "#6b5a4a"
GRID = "#e4d8ca"
FONT = 'font-family="Plex Arabic, Plex Latin, sans-serif"'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: nothing to draw (no data, or hidden for anonymity)


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _svg(chart_id: str, width: int, height: int, title: str, description: str, body: list[str]) -> SafeString:
    rtl = get_language_bidi()
    return mark_safe(  # noqa: S308 (every text inside was escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'direction="{"rtl" if rtl else "ltr"}" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, content: str, *, anchor: str, size: int = 11, fill: str = TEXT, bold: bool = False):
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{weight}>'
        f"{escape(content)}</text>"
    )


def _legend(series: Sequence[Series], width: int, y: float, rtl: bool) -> list[str]:
    parts, x = [], width - 10 if rtl else 10
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        box_x = x - 12 if rtl else x
        parts.append(f'<rect x="{box_x:.1f}" y="{y - 9:.1f}" width="12" height="12" fill="{colour}"/>')
        text_x = box_x - 5 if rtl else box_x + 17
        parts.append(_text(text_x, y + 1, item.name, anchor="end" if rtl else "start"))
        step = 30 + 7 * len(item.name)
        x = x - step if rtl else x + step
    return parts


def horizontal_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    maximum: float,
    decimals: int = 1,
    missing_label: str = "",
    width: int = 640,
) -> SafeString:
    """A ranked list as bars: label at the start side, bar growing toward the end side, value after it."""
    rtl = get_language_bidi()
    row, top = 26, 8
    height = top + row * max(len(labels), 1) + 8
    label_width, value_width = 200, 60
    bar_space = width - label_width - value_width - 20
    body = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        label_x = width - 6 if rtl else 6
        body.append(_text(label_x, y + 16, label[:32], anchor="end" if rtl else "start"))
        if value is None:
            start_x = width - label_width - 10 if rtl else label_width + 10
            body.append(_text(start_x, y + 16, missing_label, anchor="end" if rtl else "start", fill=MUTED, size=10))
            continue
        length = max(bar_space * (value / maximum if maximum else 0), 1)
        if rtl:
            x = width - label_width - 10 - length
            value_x = x - 6
        else:
            x = label_width + 10
            value_x = x + length + 6
        body.append(f'<rect x="{x:.1f}" y="{y + 5:.1f}" width="{length:.1f}" height="15" fill="{PALETTE[0]}"/>')
        body.append(_text(value_x, y + 16, _number(value, decimals), anchor="end" if rtl else "start", bold=True))
    return _svg(chart_id, width, height, title, description, body)


def _plot_area(width: int, height: int, rtl: bool) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of the plotting area; the value axis is on the start side."""
    axis, margin = 44, 12
    left, right = (margin, width - axis) if rtl else (axis, width - margin)
    return left, right, 30, height - 34


def _axes(
    width: int,
    height: int,
    categories: Sequence[str],
    minimum: float,
    maximum: float,
    ticks: int,
    decimals: int,
    rtl: bool,
):
    left, right, top, bottom = _plot_area(width, height, rtl)
    parts = []
    for step in range(ticks + 1):
        value = minimum + (maximum - minimum) * step / ticks
        y = bottom - (bottom - top) * step / ticks
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        label_x = right + 6 if rtl else left - 6
        parts.append(_text(label_x, y + 4, _number(value, decimals), anchor="start" if rtl else "end", size=10))
    slot = (right - left) / max(len(categories), 1)
    centres = []
    for index, category in enumerate(categories):
        centre = right - slot * (index + 0.5) if rtl else left + slot * (index + 0.5)
        centres.append(centre)
        if len(categories) <= 12 or index % 2 == 0:
            parts.append(_text(centre, bottom + 16, category, anchor="middle", size=9, fill=MUTED))
    return parts, centres, slot, (left, right, top, bottom)


def columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    decimals: int = 0,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Grouped vertical bars per category (months): one colour per series, with a legend."""
    rtl = get_language_bidi()
    values = [value for item in series for value in item.values if value is not None]
    maximum = _nice_ceiling(max(values, default=0))
    parts, centres, slot, (_left, _right, top, bottom) = _axes(width, height, categories, 0, maximum, 4, decimals, rtl)
    bar = max(min(slot * 0.8 / max(len(series), 1), 24), 2)
    for series_index, item in enumerate(series):
        colour = PALETTE[series_index % len(PALETTE)]
        for index, value in enumerate(item.values):
            if value is None or not maximum:
                continue
            offset = (series_index - (len(series) - 1) / 2) * bar
            x = centres[index] - (offset if rtl else -offset) - bar / 2
            bar_height = (bottom - top) * value / maximum
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom - bar_height:.1f}" width="{bar - 1:.1f}" '
                f'height="{bar_height:.1f}" fill="{colour}"/>'
            )
    parts += _legend(series, width, 14, rtl)
    return _svg(chart_id, width, height, title, description, parts)


def lines(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    minimum: float,
    maximum: float,
    decimals: int = 1,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Lines over categories (months) on a fixed scale; a gap where a value is missing or hidden."""
    rtl = get_language_bidi()
    parts, centres, _slot, (_left, _right, top, bottom) = _axes(
        width, height, categories, minimum, maximum, 4, decimals, rtl
    )
    span = (maximum - minimum) or 1
    for series_index, item in enumerate(series):
        colour = PALETTE[series_index % len(PALETTE)]
        segment: list[str] = []
        segments = []
        for index, value in enumerate(item.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            y = bottom - (bottom - top) * (min(max(value, minimum), maximum) - minimum) / span
            segment.append(f"{centres[index]:.1f},{y:.1f}")
            parts.append(f'<circle cx="{centres[index]:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
                )
    parts += _legend(series, width, 14, rtl)
    return _svg(chart_id, width, height, title, description, parts)


def _nice_ceiling(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * power:
            return factor * power
    return 10 * power
