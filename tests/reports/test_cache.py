"""The rendered-PDF cache: a key names one file in the storage; a miss renders and saves it, a
hit reads it; a reader never gets part of a PDF, even when requests or workers race for it.
(The same over an S3 bucket, and two hosts at once: tests/hosts/.)"""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from assessment.pdf.cache import PdfCache, PdfKey

KEY = PdfKey(assessment_id=7, result_version=2, variant="layout=1;previous=none")


class CountingRenderer:
    """A render function that counts its calls and takes a while, like WeasyPrint does."""

    def __init__(self, content: bytes = b"%PDF-1.7 rendered", seconds: float = 0.0) -> None:
        self.content = content
        self.seconds = seconds
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> bytes:
        with self._lock:
            self.calls += 1
        time.sleep(self.seconds)
        return self.content


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_it_renders_once_and_then_serves_the_stored_bytes(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    render = CountingRenderer()

    first = cache.get_or_render(KEY, render)
    second = cache.get_or_render(KEY, render)

    assert first == second == b"%PDF-1.7 rendered"
    assert render.calls == 1
    # One file, named by the key alone, in the assessment's own folder; no lock file beside it.
    assert files(tmp_path) == [cache.name(KEY)]
    assert cache.name(KEY) == f"7/2-{KEY.filename.split('-')[1]}"
    assert (tmp_path / cache.name(KEY)).read_bytes() == first


def test_it_keeps_its_files_under_its_prefix_in_the_default_storage(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    cache = PdfCache("reports")

    cache.get_or_render(KEY, CountingRenderer())

    assert files(tmp_path) == [f"reports/7/{KEY.filename}"]


def test_keys_that_differ_in_anything_render_separately(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    render = CountingRenderer()

    cache.get_or_render(KEY, render)
    cache.get_or_render(PdfKey(7, 2, "layout=1;previous=3.1"), render)
    cache.get_or_render(PdfKey(8, 2, "layout=1;previous=none"), render)

    assert render.calls == 3


def test_two_threads_asking_at_once_render_once(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    render = CountingRenderer(seconds=0.3)
    results: list[bytes] = []

    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_render(KEY, render)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert render.calls == 1
    assert results == [b"%PDF-1.7 rendered"] * 2


def _render_in_a_worker(folder: str, log: str) -> None:
    """A worker process: its render appends a line to `log`, so the parent can count renders."""

    def render() -> bytes:
        with open(log, "a") as file:
            file.write("rendered\n")
        time.sleep(0.3)
        return b"%PDF-1.7 from a worker"

    assert PdfCache(Path(folder)).get_or_render(KEY, render) == b"%PDF-1.7 from a worker"


def test_two_worker_processes_asking_at_once_both_get_the_whole_pdf(tmp_path: Path) -> None:
    """Processes (or hosts) share no lock: both may render, and both serve the whole PDF; the
    file is whole whichever save came last, and no temporary file is left behind."""
    log = tmp_path / "renders.log"
    folder = tmp_path / "cache"
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_render_in_a_worker, args=(str(folder), str(log))) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert [worker.exitcode for worker in workers] == [0, 0]
    assert 1 <= len(log.read_text().splitlines()) <= 2
    assert files(folder) == [PdfCache(folder).name(KEY)]
    assert (folder / PdfCache(folder).name(KEY)).read_bytes() == b"%PDF-1.7 from a worker"


def test_a_failed_render_leaves_no_file_and_the_next_request_renders(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)

    def failing() -> bytes:
        raise RuntimeError("the renderer crashed")

    with pytest.raises(RuntimeError):
        cache.get_or_render(KEY, failing)

    assert files(tmp_path) == []
    assert cache.get_or_render(KEY, CountingRenderer()) == b"%PDF-1.7 rendered"


def test_a_newer_result_removes_the_older_pdfs_of_the_same_assessment(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    older = PdfKey(7, 1, "layout=1;previous=none")
    shared = PdfKey(7, 1, "layout=1;previous=none", audience="shared")
    other_assessment = PdfKey(70, 1, "layout=1;previous=none")
    for key in (older, shared, other_assessment):
        cache.get_or_render(key, CountingRenderer())

    cache.get_or_render(KEY, CountingRenderer())

    assert files(tmp_path) == sorted(
        [cache.name(KEY), cache.name(shared), cache.name(other_assessment)]
    )


def test_a_cache_folder_that_cannot_be_made_still_serves_the_pdf(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A file where the folder should be: creating it fails, even for root (tests may run as root,
    # which file permissions do not stop).
    blocked = tmp_path / "reports"
    blocked.write_bytes(b"not a folder")
    render = CountingRenderer()

    content = PdfCache(blocked).get_or_render(KEY, render)

    assert content == b"%PDF-1.7 rendered"
    assert render.calls == 1
    assert "PDF cache" in caplog.text
    assert "serving the PDF without caching it" in caplog.text


def test_a_cache_that_cannot_be_written_still_serves_the_pdf(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = PdfCache(tmp_path)
    # The PDF's own name taken by a folder: the final rename fails after the render.
    (tmp_path / cache.name(KEY)).mkdir(parents=True)
    render = CountingRenderer()

    assert cache.get_or_render(KEY, render) == b"%PDF-1.7 rendered"
    assert render.calls == 1
    assert "serving the PDF without caching it" in caplog.text
    assert files(tmp_path) == []  # no temporary file left behind
