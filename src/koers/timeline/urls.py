from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("spreekuur/", views.walkin_list, name="walkin_list"),
    path("spreekuur/nieuw/", views.walkin_create, name="walkin_create"),
    path("spreekuur/<int:pk>/", views.walkin_detail, name="walkin_detail"),
    path("spreekuur/<int:pk>/bezoek/", views.walkin_visit, name="walkin_visit"),
    path("<int:client_pk>/", views.household, name="household"),
    path("<int:client_pk>/contact/nieuw/", views.contact_create, name="contact_create"),
    path("<int:client_pk>/contact/<int:pk>/wijzigen/", views.contact_edit, name="contact_edit"),
    path("<int:client_pk>/contact/<int:pk>/status/", views.contact_status, name="contact_status"),
    path("<int:client_pk>/notitie/nieuw/", views.note_create, name="note_create"),
]
