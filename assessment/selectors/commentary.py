"""The consultant's part of a report, as the report shows it: the frozen copy once published,
otherwise the organisation's current branding and the draft commentary (marked "Draft")."""

from __future__ import annotations

import base64
import hashlib
import json
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
    record = ReportCommentary.objects.filter(assessment=assessment).first()
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
    live = ReportBranding.objects.filter(organization_id=assessment.team.organization_id).first()
    branding = (
        Branding(
            prepared_by=live.prepared_by,
            firm=live.firm,
            confidentiality=live.confidentiality,
            logo_data_uri=logo_data_uri(bytes(live.logo)),
        )
        if live is not None
        else NO_BRANDING
    )
    if record is None or published_only:
        return Signature(branding, NO_COMMENTARY, record)
    written = bool(record.executive or any(record.notes.values()))
    return Signature(branding, _commentary(record.executive, record.notes, written), record)


def _commentary(executive: str, notes: dict[str, str], draft: bool) -> Commentary:
    return Commentary(executive=executive, notes=tuple(notes.items()), draft=draft)
