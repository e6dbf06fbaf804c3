"""import_organization: restore an organisation from its ZIP export (docs/deploy.md, "Moving an
organisation to another instance").

    python manage.py import_organization acme-20270115-093000-12.zip --owner dana [--slug acme-eu]

All or nothing: on any problem nothing is written, each problem is printed on a line of its own
and the command exits with status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.formats.organization_file import (
    MAX_ARCHIVE_BYTES,
    OrganizationFileError,
    read_organization_zip,
    shown_problems,
)
from assessment.selectors.organization_file import user_by_username
from assessment.services.organization_import import organization_import

UNKNOWN_OWNER = "owner: no user {username} on this instance; create the account first"
CANNOT_READ = "{path}: cannot read the file ({reason})"
TOO_LARGE = "{path}: {size} bytes; an organisation export read here is at most {limit} bytes"
FAILED = "{count} problem{s} found; nothing was imported"


class Command(BaseCommand):
    help = (
        "Import an organisation's ZIP export (every team, assessment, answer, result and action) "
        "as a new organisation owned by --owner. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the ZIP the organisation's export made")
        parser.add_argument(
            "--owner",
            required=True,
            metavar="USERNAME",
            help="an existing user of this instance: the new organisation's owner",
        )
        parser.add_argument(
            "--slug",
            default=None,
            metavar="SLUG",
            help="the new organisation's address (/orgs/SLUG/); it must be free. Default: the "
            "exported one, numbered if taken (acme-2)",
        )

    def handle(self, *args: Any, path: Path, owner: str, slug: str | None, **options: Any) -> None:
        user = user_by_username(owner)
        problems = [] if user is not None else [UNKNOWN_OWNER.format(username=owner)]
        try:
            archive = read_organization_zip(_read(path))
            if user is None:  # the file is fine, but there is nobody to own it
                raise OrganizationFileError([])
            organization = organization_import(archive=archive, by=user, slug=slug)
        except OrganizationFileError as error:
            problems += error.problems
            for problem in shown_problems(problems):
                self.stderr.write(problem)
            count = len(problems)
            raise CommandError(FAILED.format(count=count, s="s" if count != 1 else "")) from None
        manifest = archive.manifest
        actions = sum(len(team.actions) for team in manifest.teams)
        submitted = sum(1 for a in archive.assessments if a.file.status == "submitted")
        self.stdout.write(
            f"Imported {organization.name} as /orgs/{organization.slug}/, owned by {owner}: "
            f"{len(manifest.teams)} team(s), {len(archive.assessments)} assessment(s) "
            f"({submitted} submitted), {actions} action(s)."
        )


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_ARCHIVE_BYTES:
            raise OrganizationFileError(
                [TOO_LARGE.format(path=path, size=size, limit=MAX_ARCHIVE_BYTES)]
            )
        return path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise OrganizationFileError([CANNOT_READ.format(path=path, reason=reason)]) from None
