from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.formats.answers_file import AnswersFileError
from assessment.reports.plain_text import result_as_text
from assessment.reports.result_view import result_view
from assessment.selectors.answers_file import score_answers_file


class Command(BaseCommand):
    help = (
        "Score an answers file (YAML or JSON, format in docs/scoring.md) and print the result "
        "as JSON, or as a readable summary with --format text."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument(
            "--bank",
            default="",
            metavar="SLUG@VERSION",
            help="score against this version of the file's bank, carrying answers through "
            "`replaces:` (e.g. mlops-maturity@2.0 for a 1.0 file)",
        )

    def handle(self, *args: Any, file: Path, format: str, bank: str, **options: Any) -> None:
        try:
            scored = score_answers_file(file, bank)
        except AnswersFileError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(
                f"{file}: {count} problem{'s' if count != 1 else ''}; nothing was scored"
            ) from None
        for line in scored.carry_summary():
            self.stderr.write(line)
        if format == "json":
            data = scored.result.to_dict()
            if scored.carried_from is not None:
                data["carried_from"] = scored.carried_dict()
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(result_as_text(result_view(scored.bank, scored.result)))
