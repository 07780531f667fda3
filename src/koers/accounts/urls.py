from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("inloggen/code/", views.otp_verify, name="otp_verify"),
    path("inloggen/tweestaps-instellen/", views.otp_enrol, name="otp_enrol"),
    path("rol-kiezen/", views.choose_membership, name="choose_membership"),
]
