"""An organisation's logo for its reports: checked and re-encoded, never stored as uploaded.

Only PNG and JPEG are taken (no SVG: it can carry scripts and external references). The upload is
refused past `MAX_UPLOAD_BYTES` before Pillow sees it, and past `MAX_SIDE_SENT` before its pixels
are decoded, so a decompression bomb costs nothing. A truncated file is refused too, although
WeasyPrint tells Pillow to accept them (`LOAD_TRUNCATED_IMAGES`) for everyone in the process.
What is kept is a fresh PNG at most `MAX_SIDE` pixels on its longer side: no metadata, no
trailing bytes, one format for the PDF.
"""

from __future__ import annotations

import base64
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 1024 * 1024  # 1 MB as sent
MAX_SIDE_SENT = 4000  # pixels on either side, checked from the header before decoding
MAX_SIDE = 600  # the PDF prints it at most 40 mm wide: 600 px is 380 dpi
MIN_SIDE = 16
ACCEPTED = {"PNG", "JPEG", "MPO"}  # MPO: the JPEG that phones write
LOGO_URI_PREFIX = "data:image/png;base64,"  # the only inline image the PDF renderer loads

TOO_LARGE = "The logo is {size} KB; at most 1024 KB. Export it smaller and upload it again."
NOT_AN_IMAGE = "This file is not a PNG or JPEG image. Upload the logo as PNG or JPEG."
TOO_MANY_PIXELS = "The logo is {width} × {height} pixels; at most 4000 × 4000."
FAR_TOO_MANY_PIXELS = "The logo has far too many pixels; at most 4000 × 4000."
TOO_SMALL = "The logo is {width} × {height} pixels; at least 16 on each side."


class LogoRefused(ValueError):
    """An upload that cannot be a logo; the message says why, in words for the person."""


def clean_logo(data: bytes) -> bytes:
    """The upload re-encoded as a PNG, or LogoRefused."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise LogoRefused(TOO_LARGE.format(size=len(data) // 1024))
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, past its own pixel limits: both are refusals here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))  # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise LogoRefused(FAR_TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError) as error:
        raise LogoRefused(NOT_AN_IMAGE) from error
    with probe:
        if probe.format not in ACCEPTED:
            raise LogoRefused(NOT_AN_IMAGE)
        width, height = probe.size
        if max(width, height) > MAX_SIDE_SENT:
            raise LogoRefused(TOO_MANY_PIXELS.format(width=width, height=height))
        if min(width, height) < MIN_SIDE:
            raise LogoRefused(TOO_SMALL.format(width=width, height=height))
        if not _complete(data, probe.format):
            raise LogoRefused(NOT_AN_IMAGE)
        try:
            # Decodes: a corrupt file fails here. Turned upright first, as phones record it.
            image = ImageOps.exif_transpose(probe).convert("RGBA")
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            raise LogoRefused(NOT_AN_IMAGE) from error
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def logo_data_uri(png: bytes) -> str:
    """A stored logo as a data: URI for the PDF and the settings page; "" for none."""
    return LOGO_URI_PREFIX + base64.b64encode(png).decode("ascii") if png else ""


def _complete(data: bytes, image_format: str | None) -> bool:
    """Whether the file is whole: every PNG chunk with its checksum up to the end chunk, or a
    JPEG ending with its end-of-image marker."""
    if image_format in ("JPEG", "MPO"):
        return data.rstrip(b"\x00").endswith(b"\xff\xd9")
    try:
        with Image.open(io.BytesIO(data)) as again:
            again.verify()
    except (OSError, SyntaxError, ValueError):
        return False
    return True
