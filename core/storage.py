"""Where the application keeps its files (rendered PDFs, exports): Django's storage API
(`django.core.files.storage.default_storage`), configured by STORAGES in core/settings.py.

By default that is the local disk under MEDIA_ROOT, through `AtomicFileSystemStorage` below; with
STORAGE_BUCKET set it is an S3 bucket (django-storages), shared by every host (docs/deploy.md).
The code that writes files relies on what both give: a file appears whole under its name or not
at all, and saving a name that exists replaces it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from typing import Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.utils import validate_file_name


class AtomicFileSystemStorage(FileSystemStorage):
    """The local disk, where a file appears whole or not at all, as an object does in a bucket.

    Django's FileSystemStorage writes straight into the file's own name, so a reader on another
    thread or process may read half of it; and, told to overwrite, it truncates the file first.
    Here a save writes a temporary file in the same folder (a name starting with "." and ending
    with ".tmp"), then renames it over the name with `os.replace`, which is atomic within one file
    system: a reader opens the old file or the new one, never a part.

    A name that exists is replaced (`allow_overwrite`, on by default), as S3 does, rather than
    the new file being saved as `name_abc123.pdf`: the callers name their files themselves and
    never ask for a free name. With `allow_overwrite=False` a taken name gets Django's alternative
    name, still atomically (the temporary file is linked to the name only if it is free).
    """

    def __init__(
        self,
        location: str | os.PathLike[str] | None = None,
        base_url: str | None = None,
        file_permissions_mode: int | None = None,
        directory_permissions_mode: int | None = None,
        allow_overwrite: bool = True,
    ) -> None:
        super().__init__(
            location=location,
            base_url=base_url,
            file_permissions_mode=file_permissions_mode,
            directory_permissions_mode=directory_permissions_mode,
            allow_overwrite=allow_overwrite,
        )
        self.overwrites = allow_overwrite

    def _save(self, name: str, content: File[Any]) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        self._make_folder(directory)
        temporary = self._write_temporary(directory, os.path.basename(full_path), content)
        try:
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            if self.overwrites:
                os.replace(temporary, full_path)
            else:
                full_path = self._link_to_free_name(temporary, name)
        finally:
            # Renamed: gone already. Linked, or failed: the temporary name goes.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        # The name relative to the storage's root, with forward slashes, as Django returns it.
        saved = os.path.relpath(full_path, self.location).replace("\\", "/")
        validate_file_name(saved, allow_relative_path=True)
        return saved

    def _make_folder(self, directory: str) -> None:
        """Create the folder and any missing parents, each with `directory_permissions_mode`
        when set (os.makedirs would give it to the last one only)."""
        mode = self.directory_permissions_mode
        if mode is None:
            missing = [directory]
        else:
            missing, folder = [], directory
            while not os.path.exists(folder):
                missing.append(folder)
                folder = os.path.dirname(folder)
        for folder in reversed(missing):
            try:
                os.makedirs(folder, exist_ok=True)
            except FileExistsError:
                raise FileExistsError(f"{folder} exists and is not a directory.") from None
            if mode is not None:
                os.chmod(folder, mode)

    @staticmethod
    def _write_temporary(directory: str, basename: str, content: File[Any]) -> str:
        """Write `content` to a new hidden file beside its final name; return its path. Created
        with mode 0o666 less the umask, as Django creates files (mkstemp would give 0o600)."""
        while True:
            temporary = os.path.join(directory, f".{basename}.{secrets.token_hex(6)}.tmp")
            try:
                handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:  # pragma: no cover - 48 random bits taken
                continue
            break
        try:
            with os.fdopen(handle, "wb") as file:
                for chunk in content.chunks():
                    file.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
                file.flush()
                os.fsync(file.fileno())
        except BaseException:
            os.unlink(temporary)
            raise
        return temporary

    def _link_to_free_name(self, temporary: str, name: str) -> str:
        """Give the temporary file `name`, or Django's alternative name if it is taken: a hard
        link fails rather than replace a file that exists."""
        while True:
            full_path = self.path(name)
            try:
                os.link(temporary, full_path)
            except FileExistsError:
                name = self.get_available_name(name)
            else:
                return full_path
