"""The pieces every chart is built from, and the rules they all follow. Charts are SVG strings
built from plain data on the server.

The same markup goes into the web page and the PDF, so the two cannot disagree. The rules that
keep it usable everywhere:

- no `<style>` and no script: colours, strokes and fonts are presentation attributes, which the
  page's Content-Security-Policy allows and WeasyPrint draws natively;
- `role="img"` with a `<title>` and a `<desc>` that say in words what the picture shows, for screen
  readers and for the tagged PDF;
- readable without colour: reached, target and open are told apart by fill, dash and label, and
  every bar carries its figure as text;
- every piece of text is escaped here, so callers may insert the result as it is.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

FONT = "'Source Sans 3', 'Helvetica Neue', Arial, sans-serif"
INK = "#1b2a3a"
ACCENT = "#1f4e79"  # reached / met
ACCENT_LIGHT = "#c9d9ea"  # open but scored
MUTED = "#6b7785"
RULE = "#b8c2cc"
WIDTH = 680
NBSP = "\u00a0"  # keeps "80 %" on one line


def svg_root(chart_id: str, title: str, desc: str, height: float, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {coord(height)}" width="{WIDTH}" height="{coord(height)}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family={quoteattr(FONT)}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def svg_text(
    x: float,
    y: float,
    content: str,
    *,
    size: int,
    fill: str,
    anchor: str = "start",
    weight: str = "400",
) -> str:
    return (
        f'<text x="{coord(x)}" y="{coord(y)}" font-size="{size}" font-weight="{weight}" '
        f'fill="{fill}" text-anchor="{anchor}">{escape(content)}</text>'
    )


def svg_rect(
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    fill: str,
    stroke: str,
    dash: str = "",
    width: float = 1.0,
) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<rect x="{coord(x)}" y="{coord(y)}" width="{coord(w)}" height="{coord(h)}" rx="2" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{coord(width)}"{dashed}/>'
    )


def svg_line(
    x1: float, y1: float, x2: float, y2: float, *, stroke: str, width: float, dash: str = ""
) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{coord(x1)}" y1="{coord(y1)}" x2="{coord(x2)}" y2="{coord(y2)}" '
        f'stroke="{stroke}" stroke-width="{coord(width)}"{dashed}/>'
    )


def coord(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ".0"."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
