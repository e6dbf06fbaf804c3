from django.urls import path

from assessment import views

urlpatterns = [
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
]
