"""The report as a PDF: the print template rendered by WeasyPrint with our own print stylesheet.

What makes it fast and safe:

- one `FontConfiguration` and one parsed print stylesheet per process, so the shipped fonts are
  decoded and registered once, not at every render;
- a URL fetcher that serves files from our static folders only: no network, no other file, and no
  URL taken from the user (their texts are escaped by the template and never become resources);
- renders are serialised inside a process: WeasyPrint's font map (Pango/fontconfig) is shared and
  not thread-safe, and a threaded server may ask for two PDFs at once.

The PDF is tagged (PDF/UA-1) and carries the title, author, description and language of the print
template's <head>.
"""

from __future__ import annotations

import base64
import mimetypes
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from assessment.reports.report import ReportContext
from core.logos import LOGO_URI_PREFIX

PRINT_TEMPLATE = "reports/print.html"
PRINT_STYLESHEET = Path("css") / "print.css"
USER_AGENT_STYLESHEET = Path("css") / "print-ua.css"
PDF_VARIANT = "pdf/ua-1"  # tagged, with the document title shown and the language set

REFUSED_SCHEME = "{url}: refused; only files from the static folders are served, not {scheme} URLs"
REFUSED_PATH = "{url}: refused; the file is not in a static folder"
NOT_A_FILE = "{url}: no such file in the static folders"

_BETWEEN_TAGS = re.compile(r">\s+<")


class RefusedURL(ValueError):
    """A resource the print renderer may not load. WeasyPrint logs it and leaves it out."""


class StaticFilesFetcher(URLFetcher):
    """Serves `file:` URLs under the given folders and refuses everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def path_for(self, url: str) -> Path:
        """The file a URL names, or RefusedURL. Symbolic links are resolved before checking."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise RefusedURL(REFUSED_SCHEME.format(url=url, scheme=parts.scheme or "relative"))
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(REFUSED_PATH.format(url=url))
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL(REFUSED_PATH.format(url=url))
        if not path.is_file():
            raise RefusedURL(NOT_A_FILE.format(url=url))
        return path

    # WeasyPrint passes request headers; files from disk need none.
    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:  # noqa: ARG002
        if url.startswith(LOGO_URI_PREFIX):
            # The organisation's logo, re-encoded as PNG when uploaded (core/logos.py): the one
            # resource that does not come from a static folder. Nothing else may be inline.
            return URLFetcherResponse(
                url,
                base64.b64decode(url.removeprefix(LOGO_URI_PREFIX), validate=True),
                headers={"Content-Type": "image/png"},
            )
        path = self.path_for(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_roots() -> list[Path]:
    """Our static folders (STATICFILES_DIRS), the only places the renderer reads from."""
    roots = []
    # An entry is a path, or (prefix, path): Django allows both, whatever ours are today.
    entries: list[str | Path | tuple[str, str | Path]] = list(settings.STATICFILES_DIRS)
    for entry in entries:
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    return roots


@cache
def fetcher() -> StaticFilesFetcher:
    return StaticFilesFetcher(static_roots())


@cache
def font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def print_stylesheet() -> CSS:
    """The print stylesheet, parsed once; its @font-face fonts are registered with it."""
    return _stylesheet(PRINT_STYLESHEET)


@cache
def user_agent_stylesheet() -> CSS:
    return _stylesheet(USER_AGENT_STYLESHEET)


def _stylesheet(relative: Path) -> CSS:
    for root in static_roots():
        path = root / relative
        if path.is_file():
            return CSS(filename=str(path), url_fetcher=fetcher(), font_config=font_config())
    raise FileNotFoundError(f"{relative} is in none of {static_roots()}")


class PrintHTML(HTML):
    """A document styled by our cut-down user-agent stylesheet instead of WeasyPrint's full one
    (`_ua_stylesheets` is the hook WeasyPrint's own subclasses use; pinned below version 71)."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:  # noqa: ARG002
        return [user_agent_stylesheet()]


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


_lock = threading.Lock()
_renders = 0


def render_count() -> int:
    """How many PDFs this process has rendered: the cache's tests and the bench read it."""
    return _renders


def render_pdf(html: str) -> RenderedPdf:
    """Render print HTML (from PRINT_TEMPLATE, or any page made for print.css) to a PDF."""
    global _renders
    roots = static_roots()
    base_url = path2url(str(roots[0])) if roots else None
    # Template indentation is whitespace the parser and the layout would otherwise walk through;
    # one space keeps the rendering identical (the print template has no preformatted text).
    compact = _BETWEEN_TAGS.sub("> <", html)
    document = PrintHTML(string=compact, base_url=base_url, url_fetcher=fetcher())
    with _lock:
        rendered = document.render(
            font_config=font_config(),
            stylesheets=[print_stylesheet()],
            pdf_variant=PDF_VARIANT,
        )
        content = rendered.write_pdf(pdf_variant=PDF_VARIANT)
        _renders += 1
    return RenderedPdf(content=content, pages=len(rendered.pages))


def print_html(report: ReportContext) -> str:
    return render_to_string(PRINT_TEMPLATE, {"report": report, "view": report.view})


def report_pdf(report: ReportContext) -> RenderedPdf:
    """The report as a PDF. Rendering takes a while: go through the cache for downloads."""
    return render_pdf(print_html(report))
