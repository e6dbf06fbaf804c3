"""The rendered-PDF cache: one render per key, even when requests or workers race for it."""

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


def test_it_renders_once_and_then_serves_the_stored_bytes(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    render = CountingRenderer()

    first = cache.get_or_render(KEY, render)
    second = cache.get_or_render(KEY, render)

    assert first == second == b"%PDF-1.7 rendered"
    assert render.calls == 1
    assert cache.path(KEY).read_bytes() == first
    assert cache.path(KEY).name == f"7-2-{cache.path(KEY).stem.split('-')[2]}.pdf"


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


def test_two_worker_processes_asking_at_once_render_once(tmp_path: Path) -> None:
    log = tmp_path / "renders.log"
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_render_in_a_worker, args=(str(tmp_path / "cache"), str(log)))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert [worker.exitcode for worker in workers] == [0, 0]
    assert log.read_text().splitlines() == ["rendered"]


def test_a_failed_render_leaves_no_file_and_the_next_request_renders(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)

    def failing() -> bytes:
        raise RuntimeError("the renderer crashed")

    with pytest.raises(RuntimeError):
        cache.get_or_render(KEY, failing)

    assert not cache.path(KEY).exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".lock"] == []
    assert cache.get_or_render(KEY, CountingRenderer()) == b"%PDF-1.7 rendered"


def test_a_newer_result_removes_the_older_pdfs_of_the_same_assessment(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    older = PdfKey(7, 1, "layout=1;previous=none")
    other_assessment = PdfKey(70, 1, "layout=1;previous=none")
    cache.get_or_render(older, CountingRenderer())
    cache.get_or_render(other_assessment, CountingRenderer())

    cache.get_or_render(KEY, CountingRenderer())

    assert not cache.path(older).exists()
    assert cache.path(other_assessment).exists()
    assert cache.path(KEY).exists()


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
    cache.path(KEY).mkdir()
    render = CountingRenderer()

    assert cache.get_or_render(KEY, render) == b"%PDF-1.7 rendered"
    assert render.calls == 1
    assert "serving the PDF without caching it" in caplog.text
    assert not list(tmp_path.glob(".*.part"))  # no temporary file left behind
