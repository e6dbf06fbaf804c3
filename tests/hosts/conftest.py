"""An S3-compatible server for the tests of several hosts sharing one bucket: moto in server mode,
started by the test run (one per test process, on a free port), and a fresh bucket per test.
Every test here is skipped when moto[server] or django-storages[s3] is not installed."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_django import Settings

REGION = "us-east-1"
# boto3 reads these itself, as it does in production; any other way it finds credentials (a
# profile, ~/.aws) is shut out, so the tests never reach a real account.
AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
AWS_UNSET = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL")


@dataclass(frozen=True)
class Bucket:
    """A bucket on the test's S3 server, and a boto3 client to look into it."""

    name: str
    endpoint_url: str
    client: Any  # a boto3 S3 client (boto3 ships no types)

    def keys(self, prefix: str = "") -> list[str]:
        found = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(entry["Key"] for entry in found.get("Contents", ()))

    def versions(self, prefix: str = "") -> list[dict[str, Any]]:
        """Every version ever saved under `prefix` (the bucket keeps them all): a key saved
        twice has two, even with the same bytes."""
        found = self.client.list_object_versions(Bucket=self.name, Prefix=prefix)
        versions: list[dict[str, Any]] = found.get("Versions", [])
        return versions

    def read(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.name, Key=key)["Body"].read()
        return body

    def storage_options(self, prefix: str = "") -> dict[str, object]:
        """STORAGES["default"] for this bucket, as core/settings.py builds it from STORAGE_*."""
        return {
            "BACKEND": "core.bucket_storage.BucketStorage",
            "OPTIONS": {
                "bucket_name": self.name,
                "endpoint_url": self.endpoint_url,
                "region_name": REGION,
                "location": prefix,
                "addressing_style": "path",
                "file_overwrite": True,
                "default_acl": None,
                "max_memory_size": 8 * 1024 * 1024,
            },
        }


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """The address of an S3 server of our own (moto), for the whole test run."""
    pytest.importorskip("moto.server", reason="moto[server] is not installed")
    pytest.importorskip("storages.backends.s3", reason="django-storages[s3] is not installed")
    from moto.server import ThreadedMotoServer

    saved = {name: os.environ.get(name) for name in [*AWS_ENVIRONMENT, *AWS_UNSET]}
    os.environ.update(AWS_ENVIRONMENT)
    for name in AWS_UNSET:
        os.environ.pop(name, None)
    # Its request log (werkzeug's, a line per request) would drown any failure's output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def bucket(s3_endpoint: str) -> Bucket:
    """A new, empty bucket that keeps every version of every object (so a test can tell that an
    object was saved once, whatever its bytes and timestamps)."""
    import boto3  # type: ignore[import-untyped]  # boto3 ships no types (boto3-stubs does)

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    name = f"maturity-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name)
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return Bucket(name=name, endpoint_url=s3_endpoint, client=client)


@pytest.fixture
def s3_storage(bucket: Bucket, settings: Settings) -> Bucket:
    """The default storage is the bucket, as with STORAGE_BUCKET set (the suite's default is the
    local disk: tests/conftest.py)."""
    settings.STORAGES = settings.STORAGES | {"default": bucket.storage_options()}
    return bucket
