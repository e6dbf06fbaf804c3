"""The portfolio report of an organisation: one PDF comparing all its teams."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from assessment.pdf.portfolio import portfolio_pdf_bytes
from assessment.selectors.portfolio import organization_portfolio, portfolio_filename
from core.http import AuthenticatedHttpRequest
from core.selectors import organization_for_user


@require_GET
def organization_portfolio_pdf(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Any member may download it, viewers too: it only reads. Another organisation: 404."""
    organization, _ = organization_for_user(request.user, slug)
    content = portfolio_pdf_bytes(organization.pk, organization_portfolio(organization))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{portfolio_filename(organization)}"'
    return response
