from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("nieuw/", views.client_register, name="register"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/traject/", views.client_trajectory, name="trajectory"),
    path("<int:pk>/identiteit/", views.client_identity, name="identity"),
    path("<int:pk>/status/", views.client_status, name="status"),
    path("<int:pk>/adres/", views.household_edit, name="household_edit"),
    path("<int:pk>/bewerken/<slug:slug>/", views.client_edit, name="edit"),
    path("<int:pk>/talen/", views.client_languages_edit, name="languages"),
    path(
        "<int:pk>/talen/<int:language_pk>/verwijderen/",
        views.client_language_delete,
        name="language_remove",
    ),
    path("<int:pk>/gezin/nieuw/", views.household_member_create, name="member_add"),
    path("<int:pk>/gezin/<int:member_pk>/", views.household_member_edit, name="member_edit"),
    path("noodtoegang/", views.break_glass, name="break_glass"),
]
