"""Rendered PDFs kept in the file storage, so a report is rendered once per submitted result.

One file per key in Django's default storage (the local disk under MEDIA_ROOT, or an S3 bucket
shared by every host: core/storage.py), named `<prefix>/<assessment>/<result version>-<digest of
the variant>[-<audience>].pdf`:

- a hit is one read; a miss renders and saves. No lock files and no folder scans: the key alone
  names the file.
- A file appears whole or not at all (an object in a bucket; on the local disk a temporary file
  renamed over the name), so a reader never gets part of a PDF. Two hosts asked for the same PDF
  at once may both render it: each saves the same document, the last save wins. Within one
  process, threads asking at once wait for the first one's render.
- When a PDF is saved, the same assessment's older PDFs (an earlier result, or the same result
  compared with an earlier state) are deleted: only that assessment's folder is listed.

A storage that cannot be read or written (a full disk, a bucket out of reach) costs a render,
never the PDF: the failure is logged and the PDF served all the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

from core import metrics
from core.storage import AtomicFileSystemStorage

CACHE_FOLDER = "reports"
CACHE_UNUSABLE = "PDF cache %s is not usable (%s): serving the PDF without caching it"

# A cached PDF's name within its assessment's folder; anything else there (a temporary file of
# the local disk's atomic writes) is not ours to delete.
_CACHED_NAME = re.compile(
    r"(?P<version>\d+)-(?P<digest>[0-9a-f]+)(?:-(?P<audience>[a-z0-9_]+))?\.pdf"
)

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
    def folder(self) -> str:
        """The assessment's own folder: listed, alone, to remove its older PDFs."""
        return str(self.assessment_id)

    @property
    def filename(self) -> str:
        digest = hashlib.sha256(self.variant.encode("utf-8")).hexdigest()[:32]
        audience = f"-{self.audience}" if self.audience else ""
        return f"{self.result_version}-{digest}{audience}.pdf"


class PdfCache:
    """PDFs under `prefix` in a storage: `storage`, or else the default storage (looked up at
    each use, so it follows the settings). A folder given as a path instead of a prefix (tests,
    scripts) is a cache of its own on the local disk, its names directly under that folder."""

    def __init__(self, prefix: str | os.PathLike[str], storage: Storage | None = None) -> None:
        if isinstance(prefix, os.PathLike):
            storage, prefix = AtomicFileSystemStorage(location=prefix), ""
        self.prefix = prefix.strip("/")
        self._storage = storage
        # One render at a time per name within this process (a threaded server): the others
        # wait for it and read what it saved.
        self._renders: dict[str, tuple[threading.Lock, int]] = {}
        self._renders_guard = threading.Lock()

    @property
    def storage(self) -> Storage:
        return self._storage if self._storage is not None else default_storage

    def name(self, key: PdfKey) -> str:
        """The key's name in the storage."""
        return f"{self._folder(key)}/{key.filename}"

    def _folder(self, key: PdfKey) -> str:
        return f"{self.prefix}/{key.folder}" if self.prefix else key.folder

    def get(self, key: PdfKey) -> bytes | None:
        name = self.name(key)
        try:
            with self.storage.open(name, "rb") as file:
                content: bytes = file.read()
        except FileNotFoundError:
            return None
        except Exception as error:  # an OSError on disk, a botocore error from a bucket
            logger.warning(CACHE_UNUSABLE, name, error)
            return None
        return content

    def get_or_render(self, key: PdfKey, render: Callable[[], bytes]) -> bytes:
        """The cached PDF for `key`, rendering and saving it with `render()` when it is not
        there yet."""
        cached = self.get(key)
        if cached is not None:
            metrics.pdf_cache_hit()
            return cached
        metrics.pdf_cache_miss()
        name = self.name(key)
        with self._rendering(name) as waited:
            # Another thread of this process rendered it while this one waited: read that.
            cached = self.get(key) if waited else None
            if cached is not None:
                return cached
            content = render()
            metrics.pdf_rendered()
            try:
                self._save(name, content)
                self._remove_older(key)
            except Exception as error:  # as in get(): never the reader's problem
                logger.warning(CACHE_UNUSABLE, name, error)
            return content

    @contextlib.contextmanager
    def _rendering(self, name: str) -> Iterator[bool]:
        """Hold this process's lock on `name`; yields whether another thread held it first."""
        with self._renders_guard:
            lock, users = self._renders.get(name, (threading.Lock(), 0))
            self._renders[name] = (lock, users + 1)
        waited = not lock.acquire(blocking=False)
        if waited:
            lock.acquire()
        try:
            yield waited
        finally:
            lock.release()
            with self._renders_guard:
                # The last one out forgets the lock: the table holds only renders under way.
                lock, users = self._renders[name]
                if users == 1:
                    del self._renders[name]
                else:
                    self._renders[name] = (lock, users - 1)

    def _save(self, name: str, content: bytes) -> None:
        saved = self.storage.save(name, ContentFile(content))
        if saved != name:
            # A storage that keeps existing files saved it under another name (`..._abc123.pdf`),
            # which no key names: it would only take space.
            self.storage.delete(saved)

    def _remove_older(self, key: PdfKey) -> None:
        """Delete this assessment's other PDFs for the same audience up to this version (an
        earlier result, or the same result compared with an earlier state of the previous
        assessment): no key names them any more. Lists that assessment's folder only."""
        folder = self._folder(key)
        _, names = self.storage.listdir(folder)
        for found in names:
            match = _CACHED_NAME.fullmatch(found)
            if (
                match is None
                or found == key.filename
                or (match["audience"] or "") != key.audience
                or int(match["version"]) > key.result_version
            ):
                continue
            self.storage.delete(f"{folder}/{found}")


_REPORTS = PdfCache(CACHE_FOLDER)


def report_pdf_cache() -> PdfCache:
    return _REPORTS
