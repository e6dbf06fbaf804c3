from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from core.views import account, health
from core.views import home as views

# The admin signs in through our sign-in page, with its two-factor and single sign-on rules,
# never through a form of its own that would skip them.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
    # Sign-in and sign-out at their short addresses; everything else about accounts (sign-up,
    # e-mail confirmation, password reset, two-factor, single sign-on) under accounts/.
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("allauth.urls")),
    path("account/", account.account_settings, name="account_settings"),
    path(
        "account/tokens/<int:token_id>/revoke/",
        account.access_token_revoke,
        name="access_token_revoke",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("assessment.api.urls")),
    path("", include("assessment.urls")),
]

handler404 = "core.views.errors.not_found"
handler500 = "core.views.errors.server_error"
