"""Every page of the product but the home page, health and sign-in (core/urls.py). URL names
are stable: templates and tests use them."""

from django.urls import path

from assessment.views import (
    actions,
    commentary,
    consensus,
    exchange,
    plan_exports,
    portfolio,
    questionnaire,
    report,
    share,
    team,
    webhooks,
)
from core.views import invitations, members, organizations, teams

urlpatterns = [
    # Organisations (core/views): the dashboard, members, activity; exports (assessment/views)
    path("orgs/", organizations.organization_switch, name="organization_switch"),
    path("orgs/new/", teams.organization_create_view, name="organization_create"),
    path("orgs/<slug:slug>/teams/new/", teams.team_create_view, name="team_create"),
    path("teams/<int:team_id>/settings/", teams.team_settings, name="team_settings"),
    path("teams/<int:team_id>/archive/", teams.team_archive, name="team_archive"),
    path("orgs/<slug:slug>/", organizations.organization_dashboard, name="organization_detail"),
    path(
        "orgs/<slug:slug>/activity/",
        organizations.organization_activity_log,
        name="organization_activity",
    ),
    path(
        "orgs/<slug:slug>/portfolio.pdf",
        portfolio.organization_portfolio_pdf,
        name="organization_portfolio_pdf",
    ),
    path("orgs/<slug:slug>/members/", members.organization_members, name="organization_members"),
    path(
        "orgs/<slug:slug>/invitations/<int:invitation_id>/resend/",
        invitations.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "orgs/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "invitations/<int:invitation_id>/<str:token>/",
        invitations.invitation_view,
        name="invitation",
    ),
    path(
        "orgs/<slug:slug>/members/<int:membership_id>/",
        members.organization_member_update,
        name="organization_member_update",
    ),
    path(
        "orgs/<slug:slug>/exports/",
        exchange.organization_export_request,
        name="organization_export_start",
    ),
    path(
        "orgs/<slug:slug>/exports/<int:job_id>/",
        exchange.organization_export,
        name="organization_export",
    ),
    path(
        "orgs/<slug:slug>/exports/<int:job_id>/download/",
        exchange.organization_export_download,
        name="organization_export_download",
    ),
    path(
        "orgs/<slug:slug>/exports/<int:job_id>/cancel/",
        exchange.organization_export_cancel_request,
        name="organization_export_cancel",
    ),
    # A team over time
    path("teams/<int:team_id>/", team.team_detail, name="team_detail"),
    path("teams/<int:team_id>/compare/", team.team_compare, name="team_compare"),
    # Action plans: accepted recommendations, their owners, dates and status
    path(
        "assessments/<int:assessment_id>/plan/",
        actions.assessment_plan_accept,
        name="assessment_plan_accept",
    ),
    path("teams/<int:team_id>/plan/", actions.team_plan_page, name="team_plan"),
    path("teams/<int:team_id>/plan.csv", plan_exports.team_plan_csv, name="team_plan_csv"),
    path("teams/<int:team_id>/plan.json", plan_exports.team_plan_json, name="team_plan_json"),
    path("actions/<int:action_id>/", actions.action_edit, name="action_edit"),
    path(
        "orgs/<slug:slug>/actions/",
        actions.organization_actions,
        name="organization_actions",
    ),
    # The questionnaire
    path(
        "teams/<int:team_id>/assessments/new/",
        questionnaire.assessment_start,
        name="assessment_start",
    ),
    path(
        "assessments/<int:assessment_id>/team/",
        questionnaire.assessment_composition,
        name="assessment_composition",
    ),
    path(
        "assessments/<int:assessment_id>/phases/<slug:phase>/",
        questionnaire.assessment_phase,
        name="assessment_phase",
    ),
    path(
        "assessments/<int:assessment_id>/review/",
        questionnaire.assessment_review,
        name="assessment_review",
    ),
    path(
        "assessments/<int:assessment_id>/submit/",
        questionnaire.assessment_submit,
        name="assessment_submit",
    ),
    path(
        "assessments/<int:assessment_id>/reopen/",
        questionnaire.assessment_reopen,
        name="assessment_reopen",
    ),
    path(
        "assessments/<int:assessment_id>/result/",
        questionnaire.assessment_result,
        name="assessment_result",
    ),
    # Answering as a team
    path(
        "assessments/<int:assessment_id>/respondents/",
        consensus.assessment_respondents,
        name="assessment_respondents",
    ),
    path(
        "assessments/<int:assessment_id>/respondents/<int:respondent_id>/remove/",
        consensus.assessment_respondent_remove,
        name="assessment_respondent_remove",
    ),
    path(
        "assessments/<int:assessment_id>/consensus/",
        consensus.assessment_consensus,
        name="assessment_consensus",
    ),
    # The consultant's words on a report, and its branding per organisation
    path(
        "assessments/<int:assessment_id>/commentary/",
        commentary.report_commentary,
        name="report_commentary",
    ),
    path(
        "assessments/<int:assessment_id>/commentary/withdraw/",
        commentary.report_commentary_withdraw,
        name="report_commentary_withdraw",
    ),
    path(
        "orgs/<slug:slug>/settings/",
        organizations.organization_settings,
        name="organization_settings",
    ),
    path(
        "orgs/<slug:slug>/branding/",
        organizations.organization_branding,
        name="organization_branding",
    ),
    # Read-only links to a report, for people without an account
    path(
        "assessments/<int:assessment_id>/shares/",
        share.report_shares,
        name="report_shares",
    ),
    path(
        "assessments/<int:assessment_id>/shares/<int:share_id>/revoke/",
        share.report_share_revoke,
        name="report_share_revoke",
    ),
    path(
        "share/<int:assessment_id>/<str:token>/",
        share.shared_report,
        name="shared_report",
    ),
    path(
        "share/<int:assessment_id>/<str:token>/report.pdf",
        share.shared_report_pdf,
        name="shared_report_pdf",
    ),
    # The report
    path(
        "assessments/<int:assessment_id>/report/",
        report.assessment_report,
        name="assessment_report",
    ),
    path(
        "assessments/<int:assessment_id>/report.pdf",
        report.assessment_report_pdf,
        name="assessment_report_pdf",
    ),
    path(
        "assessments/<int:assessment_id>/report.docx",
        report.assessment_report_docx,
        name="assessment_report_docx",
    ),
    # Moving assessments in and out
    path(
        "teams/<int:team_id>/assessments/import/",
        exchange.assessment_import_page,
        name="assessment_import",
    ),
    path(
        "assessments/<int:assessment_id>/export.csv",
        exchange.assessment_export_csv,
        name="assessment_export_csv",
    ),
    path(
        "assessments/<int:assessment_id>/export.json",
        exchange.assessment_export_json,
        name="assessment_export_json",
    ),
    # Webhooks
    path(
        "orgs/<slug:slug>/webhooks/",
        webhooks.organization_webhooks_page,
        name="organization_webhooks",
    ),
    path(
        "orgs/<slug:slug>/webhooks/<int:webhook_id>/",
        webhooks.webhook_page,
        name="webhook_detail",
    ),
    path(
        "orgs/<slug:slug>/webhooks/<int:webhook_id>/test/",
        webhooks.webhook_test,
        name="webhook_test",
    ),
    path(
        "orgs/<slug:slug>/webhooks/<int:webhook_id>/rotate/",
        webhooks.webhook_rotate,
        name="webhook_rotate_secret",
    ),
    path(
        "orgs/<slug:slug>/webhooks/<int:webhook_id>/delete/",
        webhooks.webhook_delete_view,
        name="webhook_delete",
    ),
]
