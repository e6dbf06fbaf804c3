"""render_report: the maturity report as a PDF, for consultants and for CI pipelines.

    python manage.py render_report --assessment 42 -o report.pdf
    python manage.py render_report --answers team.yaml -o report.pdf --team "Fraud detection"

The PDF is written only once it is complete (a temporary file, then a rename), so a failed run
never leaves a file behind, not even an empty one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from assessment.formats.answers_file import AnswersFileError
from assessment.pdf.render import report_pdf
from assessment.reports.report import ReportContext, build_report
from assessment.reports.sections.cover import Cover
from assessment.selectors.answers_file import score_answers_file
from assessment.selectors.assessments import assessment_by_id
from assessment.selectors.report import report_context, report_sources

NO_SUCH_ASSESSMENT = "There is no assessment {id}."
NOT_SCORED = "Assessment {id} has not been submitted yet: there is no result to report on."
ANSWERS_PROBLEMS = "{path}: {count} problem{s}; no report was written"
COVER_OPTIONS_ONLY_WITH_ANSWERS = (
    "--team, --organisation, --label and --bank describe an answers file; an assessment has its own"
)
CANNOT_WRITE = "Cannot write {path}: {reason}"


class Command(BaseCommand):
    help = (
        "Render the maturity report as a PDF: of a submitted assessment (--assessment ID) or of "
        "an answers file (--answers FILE, the format of score_answers)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--assessment", type=int, metavar="ID", help="a submitted assessment")
        source.add_argument("--answers", type=Path, metavar="FILE", help="a YAML or JSON file")
        parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
        parser.add_argument("--team", default="", help="team name on the cover (--answers)")
        parser.add_argument("--organisation", default="", help="organisation on the cover")
        parser.add_argument("--label", default="", help="e.g. 2026 Q4; default: the file name")
        parser.add_argument(
            "--bank",
            default="",
            metavar="SLUG@VERSION",
            help="with --answers: score against this version of the file's bank (see "
            "score_answers --bank)",
        )

    def handle(
        self,
        *args: Any,
        assessment: int | None,
        answers: Path | None,
        output: Path,
        team: str,
        organisation: str,
        label: str,
        bank: str,
        **options: Any,
    ) -> None:
        if assessment is not None:
            if team or organisation or label or bank:
                raise CommandError(COVER_OPTIONS_ONLY_WITH_ANSWERS)
            report = _assessment_report(assessment)
        else:
            assert answers is not None  # argparse requires --assessment or --answers
            report = self._answers_report(
                answers, team=team, organisation=organisation, label=label, bank=bank
            )
        rendered = report_pdf(report)
        _write_atomically(output, rendered.content)
        self.stdout.write(
            f"Wrote {output}: {rendered.pages} pages, {len(rendered.content) // 1024} KB."
        )

    def _answers_report(
        self, path: Path, *, team: str, organisation: str, label: str, bank: str
    ) -> ReportContext:
        try:
            scored = score_answers_file(path, bank)
        except AnswersFileError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(
                ANSWERS_PROBLEMS.format(path=path, count=count, s="s" if count != 1 else "")
            ) from None
        for line in scored.carry_summary():
            self.stderr.write(line)
        cover = Cover(
            organisation=organisation,
            team=team,
            label=label or path.stem,
            date=timezone.localdate(),
            source=f"Answers file {path.name}",
        )
        return build_report(scored.bank, scored.result, cover)


def _assessment_report(assessment_id: int) -> ReportContext:
    assessment = assessment_by_id(assessment_id)
    if assessment is None:
        raise CommandError(NO_SUCH_ASSESSMENT.format(id=assessment_id))
    if assessment.result is None:
        raise CommandError(NOT_SCORED.format(id=assessment_id))
    return report_context(report_sources(assessment))


def _write_atomically(path: Path, content: bytes) -> None:
    folder = path.parent if str(path.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise CommandError(CANNOT_WRITE.format(path=path, reason=error.strerror)) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        # mkstemp makes the file private; give it the permissions any new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise CommandError(CANNOT_WRITE.format(path=path, reason=error.strerror)) from None
