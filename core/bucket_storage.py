"""The S3 bucket every host shares (STORAGE_BUCKET; docs/deploy.md): django-storages' S3
storage, reading each file in one request.

django-storages opens a file for reading by asking for the object's metadata (HEAD), then on
the first read downloads it whole into a temporary file (another HEAD, then the GET): three
round trips for a cached PDF, and an export's whole ZIP copied to the host's disk before the
first byte of its download leaves. Here opening a file is one GET, whose body is read as it
arrives; the size comes with it, so a download still announces its length. Writing, listing and
deleting are django-storages' own.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]
from django.core.files import File
from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]
from storages.utils import clean_name  # type: ignore[import-untyped]

# What S3 (and MinIO, Ceph, moto) answer for a key that does not exist. A key that cannot be
# read for want of rights answers AccessDenied instead, which is an error, not a miss.
_MISSING = {"NoSuchKey", "404", "NotFound"}


class BucketStorage(S3Storage):
    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if mode != "rb":  # writing (and text reading) as django-storages does it
            return super()._open(name, mode)  # type: ignore[no-any-return]
        key = self._normalize_name(clean_name(name))
        try:
            response = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                raise FileNotFoundError(f"File does not exist: {name}") from error
            raise
        file = File(response["Body"], name=name)
        file.size = response["ContentLength"]
        return file
