# SPDX-License-Identifier: EUPL-1.2
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from omzien.accounts import oidc, views
from omzien.accounts.forms import QueuedPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("tweestaps/", views.two_factor, name="two_factor"),
    path("tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("uitloggen/", views.logout_view, name="logout"),
    # Residents: DigiD through the municipality's OpenID Connect broker (accounts.oidc).
    path("digid/", oidc.ResidentLoginView.as_view(), name="oidc_login"),
    path("digid/terug/", oidc.ResidentCallbackView.as_view(), name="oidc_callback"),
    path("sessie/verlengen/", views.session_extend, name="session_extend"),
    path("start/", views.start, name="start"),
    path("rol/", views.role_switch, name="role_switch"),
    path("demo/", views.demo_login, name="demo_login"),
    path(
        "wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(
            form_class=QueuedPasswordResetForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "herstel/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "herstel/klaar/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
