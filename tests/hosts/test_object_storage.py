"""Rendered PDFs and organisation exports in an S3 bucket (moto's server, tests/hosts/conftest.py),
through Django's storage API, within one process: what several hosts sharing the bucket rely on.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from assessment.models import ExportJob
from assessment.pdf import render as pdf
from assessment.pdf.cache import PdfCache, PdfKey, report_pdf_cache
from assessment.selectors.report import report_sources
from assessment.services.exports import export_organization, organization_export_start
from core.storage import AtomicFileSystemStorage
from tests.core.test_settings import run_python
from tests.hosts.conftest import Bucket
from tests.reports.helpers import realistic_input, submitted_assessment

KEY = PdfKey(assessment_id=7, result_version=2, variant="layout=1;previous=none")


class CountingRenderer:
    """A render function that counts its calls, like WeasyPrint but instant."""

    def __init__(self, content: bytes = b"%PDF-1.7 rendered") -> None:
        self.content = content
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> bytes:
        with self._lock:
            self.calls += 1
        return self.content


def test_a_miss_renders_and_saves_an_object_and_a_hit_reads_it(s3_storage: Bucket) -> None:
    cache = PdfCache("reports")
    render = CountingRenderer()

    first = cache.get_or_render(KEY, render)
    second = PdfCache("reports").get_or_render(KEY, render)  # another host's cache, same bucket

    assert first == second == b"%PDF-1.7 rendered"
    assert render.calls == 1
    assert s3_storage.keys() == [cache.name(KEY)]
    assert cache.name(KEY) == f"reports/7/2-{KEY.filename.split('-')[1]}"
    assert s3_storage.read(cache.name(KEY)) == first
    assert len(s3_storage.versions()) == 1  # saved once, read once


@contextlib.contextmanager
def bucket_requests() -> Iterator[list[str]]:
    """The S3 operations the default storage sends meanwhile, by name ("GetObject")."""
    sent: list[str] = []

    def record(model: Any, **_: Any) -> None:
        sent.append(model.name)

    events = default_storage.connection.meta.client.meta.events  # type: ignore[attr-defined]
    events.register("before-call.s3", record)
    try:
        yield sent
    finally:
        events.unregister("before-call.s3", record)


def test_a_cached_pdf_is_one_request_to_the_bucket(s3_storage: Bucket) -> None:
    """django-storages' own reads cost a HEAD, another HEAD and the GET; a hit is one GET, and
    so is a miss."""
    PdfCache("reports").get_or_render(KEY, CountingRenderer())
    with bucket_requests() as sent:
        assert PdfCache("reports").get(KEY) == b"%PDF-1.7 rendered"
    assert sent == ["GetObject"]
    with bucket_requests() as sent:
        assert PdfCache("reports").get(PdfKey(assessment_id=8, result_version=1)) is None
    assert sent == ["GetObject"]


def test_names_go_under_the_storage_prefix(bucket: Bucket, settings: Any) -> None:
    settings.STORAGES = settings.STORAGES | {"default": bucket.storage_options("site-a")}

    PdfCache("reports").get_or_render(KEY, CountingRenderer())

    assert bucket.keys() == [f"site-a/reports/7/{KEY.filename}"]


def test_two_hosts_rendering_one_key_at_once_both_succeed_and_readers_never_see_a_part(
    s3_storage: Bucket,
) -> None:
    """Two hosts miss together and both render (no lock is shared between hosts); each saves the
    whole PDF. A third keeps reading meanwhile: it finds nothing or the whole PDF, never a part,
    even of a PDF large enough to go up in several parts."""
    content = b"%PDF-1.7 " + bytes(range(256)) * (40 * 1024)  # 10 MiB: a multipart upload
    both_rendering = threading.Barrier(2, timeout=30)
    hosts = [PdfCache("reports"), PdfCache("reports")]
    renders: list[int] = []
    served: list[bytes] = []
    seen: set[int | None] = set()
    done = threading.Event()

    def render() -> bytes:
        both_rendering.wait()  # both have missed and are rendering at the same time
        renders.append(1)
        return content

    def ask(cache: PdfCache) -> None:
        served.append(cache.get_or_render(KEY, render))

    def read() -> None:
        reader = PdfCache("reports")
        while not done.is_set():
            found = reader.get(KEY)
            seen.add(None if found is None else len(found))
            assert found is None or found == content

    reader = threading.Thread(target=read)
    askers = [threading.Thread(target=ask, args=(cache,)) for cache in hosts]
    reader.start()
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(timeout=60)
    done.set()
    reader.join(timeout=60)

    assert len(renders) == 2
    assert served == [content, content]
    assert seen <= {None, len(content)}
    assert s3_storage.read(hosts[0].name(KEY)) == content
    assert len(s3_storage.versions()) == 2  # each host saved it whole, once


def test_threads_of_one_host_render_once(s3_storage: Bucket) -> None:
    cache = PdfCache("reports")
    started = threading.Event()
    release = threading.Event()
    calls: list[int] = []

    def slow() -> bytes:
        calls.append(1)
        started.set()
        release.wait(timeout=30)
        return b"%PDF-1.7 once"

    results: list[bytes] = []
    first = threading.Thread(target=lambda: results.append(cache.get_or_render(KEY, slow)))
    first.start()
    started.wait(timeout=30)
    second = threading.Thread(target=lambda: results.append(cache.get_or_render(KEY, slow)))
    second.start()
    time.sleep(0.2)  # the second has missed and waits for the first's render
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert results == [b"%PDF-1.7 once"] * 2
    assert calls == [1]


def count_listings(prefixes: list[str]) -> Callable[..., None]:
    def listed(params: dict[str, Any], **_: Any) -> None:
        prefixes.append(params.get("Prefix", ""))

    return listed


def test_old_variants_are_pruned_by_listing_only_that_assessments_prefix(
    s3_storage: Bucket,
) -> None:
    cache = PdfCache("reports")
    older_result = PdfKey(7, 1, "layout=1;previous=none")
    older_variant = PdfKey(7, 2, "layout=1;previous=3.1")
    shared = PdfKey(7, 1, "layout=1;previous=none", audience="shared")
    other_assessment = PdfKey(70, 1, "layout=1;previous=none")
    for key in (older_result, shared, other_assessment, older_variant):
        cache.get_or_render(key, CountingRenderer())
    prefixes: list[str] = []
    client = cache.storage.connection.meta.client  # type: ignore[attr-defined]
    client.meta.events.register("before-parameter-build.s3.ListObjects", count_listings(prefixes))

    cache.get_or_render(KEY, CountingRenderer())

    assert s3_storage.keys("reports/7/") == sorted([cache.name(KEY), cache.name(shared)])
    assert s3_storage.keys("reports/70/") == [cache.name(other_assessment)]
    assert prefixes == ["reports/7/"]  # one listing, of that assessment alone


def test_a_bucket_out_of_reach_still_serves_the_pdf(
    bucket: Bucket, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    missing = Bucket(name="no-such-bucket", endpoint_url=bucket.endpoint_url, client=None)
    settings.STORAGES = settings.STORAGES | {"default": missing.storage_options()}
    render = CountingRenderer()

    assert PdfCache("reports").get_or_render(KEY, render) == b"%PDF-1.7 rendered"
    assert render.calls == 1
    assert "serving the PDF without caching it" in caplog.text


# --- through the application: the report's PDF and the organisation's export ---------------------


@pytest.fixture
def q4(acme_team, alice, mlops_bank):
    return submitted_assessment(
        team=acme_team,
        bank=mlops_bank,
        by=alice,
        label="2026 Q4",
        given=realistic_input(mlops_bank.bank(), seed=11),
    )


@pytest.mark.django_db
def test_the_report_pdf_is_rendered_once_into_the_bucket(
    alice_client, q4, s3_storage: Bucket
) -> None:
    before = pdf.render_count()

    first = alice_client.get(f"/assessments/{q4.pk}/report.pdf")
    second = alice_client.get(f"/assessments/{q4.pk}/report.pdf")

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.content.startswith(b"%PDF-")
    assert pdf.render_count() == before + 1
    name = report_pdf_cache().name(report_sources(q4).pdf_key)
    assert s3_storage.keys() == [name]
    assert name.startswith(f"reports/{q4.pk}/1-")


@pytest.mark.django_db(transaction=True)  # the task runs as the worker does, in its own commits
def test_an_export_is_saved_to_the_bucket_and_downloaded_from_it(
    alice_client, alice, q4, s3_storage: Bucket, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path  # nothing may land on the local disk
    job = organization_export_start(organization=q4.team.organization, by=alice)
    export_organization.call(job.pk)
    job.refresh_from_db()

    assert job.status == "done"
    assert s3_storage.keys("exports/") == [f"exports/{job.file_name}"]
    with bucket_requests() as sent:
        download = alice_client.get(f"/orgs/acme/exports/{job.pk}/download/")
        content = b"".join(download.streaming_content)
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{job.file_name}"'
    # Streamed from one GET, as it arrives (nothing copied to this host's disk first), its
    # length announced all the same.
    assert sent == ["GetObject"]
    assert download["Content-Length"] == str(len(content))
    assert content == s3_storage.read(f"exports/{job.file_name}")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == [
        "fraud-detection-2026-q4/fraud-detection-2026-q4.csv",
        "fraud-detection-2026-q4/fraud-detection-2026-q4.json",
        "fraud-detection-2026-q4/mlops-maturity-fraud-detection-2026-q4.pdf",
        "organization.json",
    ]
    assert list(tmp_path.rglob("*")) == []


@pytest.mark.django_db
def test_giving_up_a_stale_export_deletes_the_object_its_worker_saved(
    alice_client, alice, q4, s3_storage: Bucket, settings: Any
) -> None:
    """Its worker saved the ZIP and died before marking the job done: the object goes with the
    job, and the next export starts afresh."""
    settings.EXPORT_STALE_AFTER = 300
    dead = ExportJob.objects.create(
        organization=q4.team.organization,
        requested_by=alice,
        status=ExportJob.Status.RUNNING,
        file_name="acme-dead.zip",
    )
    ExportJob.objects.filter(pk=dead.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    default_storage.save("exports/acme-dead.zip", ContentFile(b"PK a zip"))
    assert s3_storage.keys("exports/") == ["exports/acme-dead.zip"]

    alice_client.post("/orgs/acme/exports/")

    dead.refresh_from_db()
    assert dead.status == "failed"
    assert s3_storage.keys("exports/") == []
    assert alice_client.get(f"/orgs/acme/exports/{dead.pk}/download/").status_code == 404


# --- the local disk, the default: the same promises (core/storage.py) ---------------------------


def local_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_the_local_storage_replaces_a_file_rather_than_renaming_the_new_one(
    tmp_path: Path,
) -> None:
    storage = AtomicFileSystemStorage(location=tmp_path)

    assert storage.save("a/b.pdf", ContentFile(b"first")) == "a/b.pdf"
    assert storage.save("a/b.pdf", ContentFile(b"second")) == "a/b.pdf"

    assert local_files(tmp_path) == ["a/b.pdf"]
    assert (tmp_path / "a" / "b.pdf").read_bytes() == b"second"


def test_a_reader_of_the_local_storage_never_sees_part_of_a_file(tmp_path: Path) -> None:
    storage = AtomicFileSystemStorage(location=tmp_path)
    versions = [bytes([n]) * (4 * 1024 * 1024) for n in range(1, 6)]  # 4 MiB each
    storage.save("a.pdf", ContentFile(versions[0]))
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            assert (tmp_path / "a.pdf").read_bytes() in versions

    reader = threading.Thread(target=read)
    reader.start()
    for version in versions[1:]:
        storage.save("a.pdf", ContentFile(version))
    done.set()
    reader.join(timeout=30)

    assert (tmp_path / "a.pdf").read_bytes() == versions[-1]
    assert local_files(tmp_path) == ["a.pdf"]  # no temporary file left


def test_the_local_storage_can_still_keep_existing_files(tmp_path: Path) -> None:
    storage = AtomicFileSystemStorage(location=tmp_path, allow_overwrite=False)
    storage.save("a.pdf", ContentFile(b"first"))

    second = storage.save("a.pdf", ContentFile(b"second"))

    assert second != "a.pdf"
    assert (tmp_path / "a.pdf").read_bytes() == b"first"
    assert (tmp_path / second).read_bytes() == b"second"
    assert len(local_files(tmp_path)) == 2


def test_the_local_storage_gives_files_and_folders_the_modes_asked_for(tmp_path: Path) -> None:
    storage = AtomicFileSystemStorage(
        location=tmp_path, file_permissions_mode=0o640, directory_permissions_mode=0o750
    )

    storage.save("a/b/c.pdf", ContentFile(b"%PDF"))

    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "a" / "b").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "a" / "b" / "c.pdf").stat().st_mode & 0o777 == 0o640


def test_a_local_cache_keeps_no_lock_files_and_lists_only_its_assessments_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = AtomicFileSystemStorage(location=tmp_path)
    cache = PdfCache("reports", storage=storage)
    cache.get_or_render(PdfKey(7, 1, "a"), CountingRenderer())
    cache.get_or_render(PdfKey(8, 1, "a"), CountingRenderer())
    listed: list[str] = []
    listdir = storage.listdir

    def listing(path: str) -> tuple[list[str], list[str]]:
        listed.append(path)
        return listdir(path)

    monkeypatch.setattr(storage, "listdir", listing)

    cache.get_or_render(KEY, CountingRenderer())

    assert listed == ["reports/7"]
    assert local_files(tmp_path) == [
        f"reports/7/{KEY.filename}",
        f"reports/8/{PdfKey(8, 1, 'a').filename}",
    ]


# --- configuration -----------------------------------------------------------------------------

SHOW_DEFAULT_STORAGE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(repr(settings.STORAGES['default']))"
)


def test_the_local_disk_is_the_default_and_storage_bucket_selects_s3() -> None:
    local = run_python(SHOW_DEFAULT_STORAGE, DEBUG="1")
    assert local.returncode == 0, local.stderr
    assert "core.storage.AtomicFileSystemStorage" in local.stdout

    s3 = run_python(
        SHOW_DEFAULT_STORAGE,
        DEBUG="1",
        STORAGE_BUCKET="maturity-files",
        STORAGE_ENDPOINT_URL="http://minio.internal:9000",
        STORAGE_REGION="eu-west-1",
        STORAGE_PREFIX="/prod/",
    )
    assert s3.returncode == 0, s3.stderr
    options = s3.stdout
    assert "core.bucket_storage.BucketStorage" in options
    for expected in (
        "'bucket_name': 'maturity-files'",
        "'endpoint_url': 'http://minio.internal:9000'",
        "'region_name': 'eu-west-1'",
        "'location': 'prod'",
        "'addressing_style': 'path'",
        "'file_overwrite': True",
    ):
        assert expected in options


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"STORAGE_PREFIX": "prod"}, "STORAGE_PREFIX set without STORAGE_BUCKET"),
        ({"STORAGE_BUCKET": "b", "STORAGE_ENDPOINT_URL": "minio:9000"}, "http:// or https://"),
    ],
)
def test_a_storage_half_configured_is_refused(environment: dict[str, str], message: str) -> None:
    result = run_python(SHOW_DEFAULT_STORAGE, DEBUG="1", **environment)
    assert result.returncode != 0
    assert message in result.stderr
