from django.urls import path

from . import signin_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", signin_views.sign_in, name="sign-in"),
    path("sign-out/", signin_views.sign_out, name="sign-out"),
    path("two-factor/", signin_views.two_factor, name="two-factor"),
    path("two-factor/setup/", signin_views.two_factor_setup, name="two-factor-setup"),
    path("password-reset/", signin_views.password_reset, name="password-reset"),
    path("password-reset/<str:uidb64>/<str:token>/", signin_views.password_reset_confirm, name="password-reset-confirm"),
    path("invitations/<str:token>/", signin_views.accept_invitation, name="invitation"),
    path("tokens/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("organizations/", views.organizations, name="organizations"),
    path("organizations/<str:key>/", views.organization_detail, name="organization"),
    path("organizations/<str:key>/members/", views.members, name="members"),
    path("organizations/<str:key>/providers/", views.provider_links, name="provider-links"),
    path("organizations/<str:key>/invitations/<int:pk>/withdraw/", views.invitation_revoke, name="invitation-revoke"),
    path("clearances/", views.clearances, name="clearances"),
    path("clearances/<int:pk>/revoke/", views.clearance_revoke, name="clearance-revoke"),
]
