from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("inloggen/code/", views.otp_verify, name="otp_verify"),
    path("inloggen/tweestaps-instellen/", views.otp_enrol, name="otp_enrol"),
    path("rol-kiezen/", views.choose_membership, name="choose_membership"),
    # The functional administrator's users and memberships (beheer).
    path("beheer/gebruikers/", views.user_list, name="user_list"),
    path("beheer/gebruikers/nieuw/", views.user_create, name="user_create"),
    path("beheer/gebruikers/<int:pk>/", views.user_detail, name="user_detail"),
    path("beheer/gebruikers/<int:pk>/deactiveren/", views.user_deactivate, name="user_deactivate"),
    path("beheer/gebruikers/<int:pk>/activeren/", views.user_reactivate, name="user_reactivate"),
    path(
        "beheer/gebruikers/<int:pk>/tweestaps-herstellen/",
        views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    path(
        "beheer/gebruikers/<int:pk>/lidmaatschappen/nieuw/",
        views.membership_create,
        name="membership_create",
    ),
    path(
        "beheer/gebruikers/<int:pk>/lidmaatschappen/<int:membership_pk>/beeindigen/",
        views.membership_end,
        name="membership_end",
    ),
]
