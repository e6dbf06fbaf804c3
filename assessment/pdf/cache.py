"""Rendered PDFs kept on disk, so a report is rendered once per submitted result.

A file per key under MEDIA_ROOT/reports/ (`<assessment>-<result version>-<digest>.pdf`):

- written atomically (a temporary file in the same folder, then `os.replace`), so a reader sees
  the whole PDF or nothing;
- rendered under an exclusive `flock` on a lock file beside it, and looked for again once the lock
  is held, so two requests arriving together (threads or worker processes) render it once;
- the same assessment's older PDFs are deleted when a newer one is written.

Several worker processes share it as long as they share MEDIA_ROOT on one machine (flock is not
reliable across machines on network file systems).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

CACHE_FOLDER = "reports"
CACHE_UNUSABLE = "PDF cache %s is not usable (%s): serving the PDF without caching it"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfKey:
    """What a rendered PDF depends on. `variant` holds anything besides the result itself that
    changes the PDF: the layout version, the previous assessment it is compared with."""

    assessment_id: int
    result_version: int
    variant: str = ""
    # Readers who see a different PDF of the same result (a share link leaves a draft commentary
    # out): each audience keeps its own copy, so the two never evict each other.
    audience: str = ""

    @property
    def filename(self) -> str:
        digest = hashlib.sha256(self.variant.encode("utf-8")).hexdigest()[:12]
        audience = f"-{self.audience}" if self.audience else ""
        return f"{self.assessment_id}-{self.result_version}-{digest}{audience}.pdf"


class PdfCache:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, key: PdfKey) -> Path:
        return self.folder / key.filename

    def get(self, key: PdfKey) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            logger.warning(CACHE_UNUSABLE, self.folder, error)
            return None

    def get_or_render(self, key: PdfKey, render: Callable[[], bytes]) -> bytes:
        """The cached PDF for `key`, rendering it with `render()` only if nobody has yet. A cache
        that cannot be written (a full disk, a read-only folder) costs a render, never the PDF:
        the failure is logged and the PDF served all the same."""
        cached = self.get(key)
        if cached is not None:
            return cached
        target = self.path(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = open(target.with_suffix(".lock"), "a+b")  # noqa: SIM115  (closed below)
        except OSError as error:
            logger.warning(CACHE_UNUSABLE, self.folder, error)
            return render()
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                # Whoever held the lock before us may have rendered it meanwhile.
                cached = self.get(key)
                if cached is not None:
                    return cached
                content = render()
                try:
                    self._write(target, content)
                    self._remove_older(key)
                except OSError as error:
                    logger.warning(CACHE_UNUSABLE, self.folder, error)
                return content
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, target: Path, content: bytes) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def _remove_older(self, key: PdfKey) -> None:
        """Delete this assessment's other PDFs up to this version (an earlier result, or the same
        result compared with an earlier state of the previous assessment): no key names them."""
        current = key.filename
        for path in self.folder.glob(f"{key.assessment_id}-*.pdf"):
            _, version, rest = path.stem.split("-", 2)
            audience = rest.split("-", 1)[1] if "-" in rest else ""
            if audience != key.audience:
                continue
            if path.name != current and version.isdigit() and int(version) <= key.result_version:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    path.with_suffix(".lock").unlink(missing_ok=True)


def report_pdf_cache() -> PdfCache:
    return PdfCache(Path(settings.MEDIA_ROOT) / CACHE_FOLDER)
