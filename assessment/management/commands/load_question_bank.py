from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.banks.loader import bank_files, read_bank_file
from assessment.banks.parse import BankInvalid
from assessment.services.banks import BankLoadOutcome, question_banks_load


class Command(BaseCommand):
    help = (
        "Validate question-bank YAML files (or every .yaml below a folder) and load them. "
        "All or nothing: one invalid file loads none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="bank files or folders")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        problems: list[str] = []
        files = []
        for path in paths:
            try:
                for file_path in bank_files(path):
                    try:
                        files.append(read_bank_file(file_path))
                    except BankInvalid as error:
                        problems.extend(error.problems)
            except BankInvalid as error:
                problems.extend(error.problems)
        outcomes: list[BankLoadOutcome] = []
        if not problems:
            try:
                outcomes = question_banks_load(files=files)
            except BankInvalid as error:
                problems.extend(error.problems)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            count = len(problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; no question bank was loaded"
            )
        for outcome in outcomes:
            bank = outcome.bank
            state = "loaded" if outcome.created else "unchanged"
            self.stdout.write(f"{bank.key}: {state} ({bank.question_count} questions)")
