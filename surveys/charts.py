"""Charts drawn on the server: the same markup on the page and in the PDF (no chart exists only in a browser).

A chart is a <figure>: its caption, a legend, and an SVG with the shapes and the value axis, the category
names in HTML under it. Words stay in HTML because WeasyPrint draws SVG text without Arabic shaping and
ordering (letters come out reversed), while its HTML text is right: so every word is HTML, the SVG holds
shapes and digits only, and both the browser and the PDF lay the labels out right to left.

Right-to-left aware: in Arabic the value axis stands on the right, categories run from right to left (the
first month on the right) and horizontal bars grow from the right. Colours are SVG presentation attributes
and CSS classes (the CSP forbids style attributes). The SVG is decorative for screen readers
(aria-hidden): the page and the PDF show the same figures in a table under each chart.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

PALETTE = ("#5b3a1e", "#c0843d", "#2f5d3a", "#8a6d57")
TEXT = "#2b1d12"
GRID = "#e4d8ca"
WIDTH, HEIGHT = 640, 200
AXIS, MARGIN, TOP, BOTTOM = 44, 12, 10, 190


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: nothing to draw (no data, or hidden for anonymity)


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _legend(series: Sequence[Series]) -> str:
    items = "".join(
        f'<li><span class="chart-swatch chart-swatch-{index % len(PALETTE)}" aria-hidden="true"></span>'
        f"{escape(item.name)}</li>"
        for index, item in enumerate(series)
    )
    return f'<ul class="chart-legend">{items}</ul>'


def _figure(chart_id: str, title: str, description: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 (every text inside was escaped)
        f'<figure class="chart" id="{chart_id}"><figcaption class="chart-title">{escape(title)}'
        f'<span class="chart-note">{escape(description)}</span></figcaption>{body}</figure>'
    )


def _plot_x(rtl: bool) -> tuple[float, float]:
    """Left and right of the plotting area in the viewBox: the value axis is on the start side."""
    return (MARGIN, WIDTH - AXIS) if rtl else (AXIS, WIDTH - MARGIN)


def _axes(minimum: float, maximum: float, decimals: int, rtl: bool) -> list[str]:
    left, right = _plot_x(rtl)
    parts = []
    for step in range(5):
        value = minimum + (maximum - minimum) * step / 4
        y = BOTTOM - (BOTTOM - TOP) * step / 4
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        label_x, anchor = (right + 6, "start") if rtl else (left - 6, "end")
        # Digits only: safe for WeasyPrint's SVG text.
        parts.append(
            f'<text x="{label_x:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" font-size="11" fill="{TEXT}" '
            f'font-family="Plex Latin, sans-serif">{_number(value, decimals)}</text>'
        )
    return parts


def _centres(count: int, rtl: bool) -> tuple[list[float], float]:
    left, right = _plot_x(rtl)
    slot = (right - left) / max(count, 1)
    return [right - slot * (index + 0.5) if rtl else left + slot * (index + 0.5) for index in range(count)], slot


def _category_row(categories: Sequence[str]) -> str:
    """The category names in HTML: a one-row table laid out in the page's direction (tables follow it in
    browsers and in WeasyPrint alike), its first cell the value-axis column, then one cell per slot."""
    cells = "".join(f'<td class="chart-cat">{escape(name)}</td>' for name in categories)
    return f'<table class="chart-cats" aria-hidden="true"><tr><td></td>{cells}<td></td></tr></table>'


def _svg(parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-plot" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        + "".join(parts)
        + "</svg>"
    )


def columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    decimals: int = 0,
) -> SafeString:
    """Grouped vertical bars per category (months): one colour per series, with a legend."""
    rtl = get_language_bidi()
    values = [value for item in series for value in item.values if value is not None]
    # Counts get whole-number ticks: an axis up to 1 in quarters would read "0 0 0 1 1".
    maximum = _integer_ceiling(max(values, default=0)) if decimals == 0 else _nice_ceiling(max(values, default=0))
    parts = _axes(0, maximum, decimals, rtl)
    centres, slot = _centres(len(categories), rtl)
    bar = max(min(slot * 0.8 / max(len(series), 1), 24), 2)
    for series_index, item in enumerate(series):
        colour = PALETTE[series_index % len(PALETTE)]
        for index, value in enumerate(item.values):
            if value is None or not maximum:
                continue
            offset = (series_index - (len(series) - 1) / 2) * bar
            x = centres[index] + (-offset if rtl else offset) - bar / 2
            height = (BOTTOM - TOP) * value / maximum
            parts.append(
                f'<rect x="{x:.1f}" y="{BOTTOM - height:.1f}" width="{bar - 1:.1f}" '
                f'height="{height:.1f}" fill="{colour}"/>'
            )
    body = _legend(series) + _svg(parts) + _category_row(categories)
    return _figure(chart_id, title, description, body)


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
) -> SafeString:
    """Lines over categories (months) on a fixed scale; a gap where a value is missing or hidden."""
    rtl = get_language_bidi()
    parts = _axes(minimum, maximum, decimals, rtl)
    centres, _slot = _centres(len(categories), rtl)
    span = (maximum - minimum) or 1
    for series_index, item in enumerate(series):
        colour = PALETTE[series_index % len(PALETTE)]
        segments: list[list[str]] = [[]]
        for index, value in enumerate(item.values):
            if value is None:
                segments.append([])
                continue
            y = BOTTOM - (BOTTOM - TOP) * (min(max(value, minimum), maximum) - minimum) / span
            segments[-1].append(f"{centres[index]:.1f},{y:.1f}")
            parts.append(f'<circle cx="{centres[index]:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
                )
    body = _legend(series) + _svg(parts) + _category_row(categories)
    return _figure(chart_id, title, description, body)


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
) -> SafeString:
    """A ranked list: the name at the start side, a bar growing toward the end side, the value after it."""
    rtl = get_language_bidi()
    rows = []
    for label, value in zip(labels, values, strict=True):
        if value is None:
            bar = f'<span class="chart-missing">{escape(missing_label)}</span>'
            shown = ""
        else:
            share = max(min(100 * value / maximum if maximum else 0, 100), 0.5)
            x = 100 - share if rtl else 0
            bar = (
                '<svg xmlns="http://www.w3.org/2000/svg" class="chart-hbar" viewBox="0 0 100 10" width="100%" '
                'height="12" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
                f'<rect x="{x:.2f}" y="0" width="{share:.2f}" height="10" fill="{PALETTE[0]}"/></svg>'
            )
            shown = _number(value, decimals)
        rows.append(
            f'<tr><td class="chart-label">{escape(label)}</td>'
            f'<td class="chart-bar">{bar}</td><td class="chart-value">{shown}</td></tr>'
        )
    body = f'<table class="chart-rows" aria-hidden="true">{"".join(rows)}</table>'
    return _figure(chart_id, title, description, body)


def _integer_ceiling(value: float) -> int:
    """An axis maximum for counts: four equal whole-number steps (1, 2, 5 times a power of ten each)."""
    needed = max(value, 1) / 4
    power = 1
    while True:
        for factor in (1, 2, 5):
            if factor * power >= needed:
                return 4 * factor * power
        power *= 10


def _nice_ceiling(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * power:
            return factor * power
    return 10 * power
