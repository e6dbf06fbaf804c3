from django.urls import path

from assessment import views

urlpatterns = [
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path("teams/<int:team_id>/assessments/new/", views.assessment_start, name="assessment_start"),
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
]
