from __future__ import annotations

from datetime import timedelta

import pytest

from assessment.models import Assessment
from assessment.report_views import assessment_pdf_key
from tests.web.helpers import answer_everything

pytestmark = pytest.mark.django_db


def test_a_reused_id_and_version_never_share_a_cached_pdf(alice_client, draft):
    """A recreated database numbers its assessments from 1 again, beside the same MEDIA_ROOT."""
    answer_everything(alice_client, draft, "1")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    draft.refresh_from_db()
    first = assessment_pdf_key(draft)
    Assessment.objects.filter(pk=draft.pk).update(
        submitted_at=draft.submitted_at + timedelta(seconds=1)
    )
    draft.refresh_from_db()
    second = assessment_pdf_key(draft)
    assert (first.assessment_id, first.result_version) == (
        second.assessment_id,
        second.result_version,
    )
    assert first != second
