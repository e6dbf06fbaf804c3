"""The report's URLs; included from assessment/urls.py."""

from django.urls import path

from assessment import report_views

urlpatterns = [
    path(
        "assessments/<int:assessment_id>/report/",
        report_views.assessment_report,
        name="assessment_report",
    ),
    path(
        "assessments/<int:assessment_id>/report.pdf",
        report_views.assessment_report_pdf,
        name="assessment_report_pdf",
    ),
]
