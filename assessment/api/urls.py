"""The API's addresses, under /api/ (core/urls.py). Version 1 lives under /api/v1/; the schema
and its reference page beside it."""

from __future__ import annotations

from django.urls import include, path

from assessment.api.views import actions, answers, assessments, banks, organizations, schema

v1 = [
    path("organizations/", organizations.OrganizationList.as_view(), name="api_organizations"),
    path(
        "organizations/<slug:slug>/",
        organizations.OrganizationDetail.as_view(),
        name="api_organization",
    ),
    path("organizations/<slug:slug>/teams/", organizations.TeamList.as_view(), name="api_teams"),
    path(
        "organizations/<slug:slug>/members/",
        organizations.MemberList.as_view(),
        name="api_members",
    ),
    path("teams/<int:team_id>/", organizations.TeamDetail.as_view(), name="api_team"),
    path(
        "teams/<int:team_id>/comparison/",
        assessments.TeamComparison.as_view(),
        name="api_team_comparison",
    ),
    path("teams/<int:team_id>/actions/", actions.TeamActions.as_view(), name="api_team_actions"),
    path("actions/<int:action_id>/", actions.ActionDetail.as_view(), name="api_action"),
    path("banks/", banks.BankList.as_view(), name="api_banks"),
    path("banks/<slug:slug>/<str:version>/", banks.BankDetail.as_view(), name="api_bank"),
    path("assessments/", assessments.AssessmentList.as_view(), name="api_assessments"),
    path(
        "assessments/<int:assessment_id>/",
        assessments.AssessmentDetail.as_view(),
        name="api_assessment",
    ),
    path(
        "assessments/<int:assessment_id>/answers/",
        answers.Answers.as_view(),
        name="api_answers",
    ),
    path(
        "assessments/<int:assessment_id>/answers/<str:code>/",
        answers.OneAnswer.as_view(),
        name="api_answer",
    ),
    path(
        "assessments/<int:assessment_id>/answers-file/",
        answers.AnswersFile.as_view(),
        name="api_answers_file",
    ),
    path(
        "assessments/<int:assessment_id>/submit/",
        assessments.AssessmentSubmit.as_view(),
        name="api_assessment_submit",
    ),
    path(
        "assessments/<int:assessment_id>/reopen/",
        assessments.AssessmentReopen.as_view(),
        name="api_assessment_reopen",
    ),
    path(
        "assessments/<int:assessment_id>/result/",
        assessments.AssessmentResult.as_view(),
        name="api_assessment_result",
    ),
    path(
        "assessments/<int:assessment_id>/report.pdf",
        assessments.AssessmentReport.as_view(),
        name="api_assessment_report",
    ),
    path(
        "assessments/<int:assessment_id>/plan/",
        actions.AcceptRecommendations.as_view(),
        name="api_assessment_plan",
    ),
]

# The same addresses without their final slash: a script that leaves it out gets the answer, not
# a redirect its POST would not survive (or, with DEBUG, Django's APPEND_SLASH error). Unnamed,
# and left out of the schema (schema_hooks.only_canonical_paths).
without_slash = [
    path(str(p.pattern).removesuffix("/"), p.callback) for p in v1 if str(p.pattern).endswith("/")
]

urlpatterns = [
    path("schema/", schema.Schema.as_view(), name="api_schema"),
    path("docs/", schema.Reference.as_view(url_name="api_schema"), name="api_docs"),
    path("v1/", include(v1 + without_slash)),
]
