"""The consultant's part of a report, as the report shows it: the frozen copy once published,
otherwise the organisation's current branding and the draft commentary (marked "Draft")."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from assessment.models import Assessment, ReportCommentary
from assessment.reports.sections.commentary import (
    NO_BRANDING,
    NO_COMMENTARY,
    Branding,
    Commentary,
)
from core.logos import logo_data_uri
from core.models import ReportBranding


@dataclass(frozen=True)
class Signature:
    branding: Branding
    commentary: Commentary
    record: ReportCommentary | None  # None: nobody has written any commentary

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything the PDF shows of the branding or commentary changes."""
        content = json.dumps(
            [
                [self.branding.prepared_by, self.branding.firm, self.branding.confidentiality],
                hashlib.sha256(self.branding.logo_data_uri.encode()).hexdigest(),
                [self.commentary.executive, list(self.commentary.notes), self.commentary.draft],
            ]
        )
        return hashlib.sha256(content.encode()).hexdigest()[:16]


def report_signature(assessment: Assessment, *, published_only: bool = False) -> Signature:
    """`published_only`: for readers outside the organisation (shared links), who see the
    consultant's words once published and never a draft."""
    return report_signatures([assessment], published_only=published_only)[assessment.pk]


def report_signatures(
    assessments: Sequence[Assessment], *, published_only: bool = False
) -> dict[int, Signature]:
    """`report_signature` of each assessment, by id: two queries, however many."""
    records = {
        r.assessment_id: r
        for r in ReportCommentary.objects.filter(assessment_id__in=[a.pk for a in assessments])
    }
    organizations = {a.team.organization_id for a in assessments}
    # Built once per organisation: a logo is encoded once, not once per report.
    live = {
        b.organization_id: _branding(b)
        for b in ReportBranding.objects.filter(organization_id__in=organizations)
    }
    return {
        a.pk: _signature(
            records.get(a.pk),
            live.get(a.team.organization_id, NO_BRANDING),
            published_only=published_only,
        )
        for a in assessments
    }


def _signature(
    record: ReportCommentary | None, live: Branding, *, published_only: bool
) -> Signature:
    """The frozen copy once published; else `live`, the organisation's branding today."""
    if record is not None and record.frozen is not None:
        frozen_branding, words = record.frozen["branding"], record.frozen["commentary"]
        logo = base64.b64decode(frozen_branding.get("logo", ""))
        branding = Branding(
            prepared_by=frozen_branding["prepared_by"],
            firm=frozen_branding["firm"],
            confidentiality=frozen_branding["confidentiality"],
            logo_data_uri=logo_data_uri(logo),
        )
        return Signature(branding, _commentary(words["executive"], words["notes"], False), record)
    if record is None or published_only:
        return Signature(live, NO_COMMENTARY, record)
    written = bool(record.executive or any(record.notes.values()))
    return Signature(live, _commentary(record.executive, record.notes, written), record)


def _branding(live: ReportBranding) -> Branding:
    return Branding(
        prepared_by=live.prepared_by,
        firm=live.firm,
        confidentiality=live.confidentiality,
        logo_data_uri=logo_data_uri(bytes(live.logo)),
    )


def _commentary(executive: str, notes: dict[str, str], draft: bool) -> Commentary:
    return Commentary(executive=executive, notes=tuple(notes.items()), draft=draft)
