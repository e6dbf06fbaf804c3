from django.urls import include, path

from assessment import exchange_views, org_views, team_answering, team_views, views

urlpatterns = [
    path("orgs/", org_views.organization_switch, name="organization_switch"),
    path("orgs/<slug:slug>/", org_views.organization_dashboard, name="organization_detail"),
    path("orgs/<slug:slug>/members/", org_views.organization_members, name="organization_members"),
    path(
        "orgs/<slug:slug>/exports/",
        org_views.organization_export_start,
        name="organization_export_start",
    ),
    path(
        "orgs/<slug:slug>/exports/<int:job_id>/",
        org_views.organization_export,
        name="organization_export",
    ),
    path(
        "orgs/<slug:slug>/exports/<int:job_id>/download/",
        org_views.organization_export_download,
        name="organization_export_download",
    ),
    path(
        "orgs/<slug:slug>/members/<int:membership_id>/",
        org_views.organization_member_update,
        name="organization_member_update",
    ),
    path("teams/<int:team_id>/", team_views.team_detail, name="team_detail"),
    path("teams/<int:team_id>/compare/", team_views.team_compare, name="team_compare"),
    path("teams/<int:team_id>/assessments/new/", views.assessment_start, name="assessment_start"),
    path(
        "teams/<int:team_id>/assessments/import/",
        exchange_views.assessment_import,
        name="assessment_import",
    ),
    path(
        "assessments/<int:assessment_id>/export.csv",
        exchange_views.assessment_export_csv,
        name="assessment_export_csv",
    ),
    path(
        "assessments/<int:assessment_id>/export.json",
        exchange_views.assessment_export_json,
        name="assessment_export_json",
    ),
    path(
        "assessments/<int:assessment_id>/team/",
        views.assessment_composition,
        name="assessment_composition",
    ),
    path(
        "assessments/<int:assessment_id>/phases/<slug:phase>/",
        views.assessment_phase,
        name="assessment_phase",
    ),
    path(
        "assessments/<int:assessment_id>/review/", views.assessment_review, name="assessment_review"
    ),
    path(
        "assessments/<int:assessment_id>/submit/", views.assessment_submit, name="assessment_submit"
    ),
    path(
        "assessments/<int:assessment_id>/reopen/", views.assessment_reopen, name="assessment_reopen"
    ),
    path(
        "assessments/<int:assessment_id>/result/", views.assessment_result, name="assessment_result"
    ),
    path(
        "assessments/<int:assessment_id>/respondents/",
        team_answering.assessment_respondents,
        name="assessment_respondents",
    ),
    path(
        "assessments/<int:assessment_id>/respondents/<int:respondent_id>/remove/",
        team_answering.assessment_respondent_remove,
        name="assessment_respondent_remove",
    ),
    path(
        "assessments/<int:assessment_id>/consensus/",
        team_answering.assessment_consensus,
        name="assessment_consensus",
    ),
    path("", include("assessment.report_urls")),
]
