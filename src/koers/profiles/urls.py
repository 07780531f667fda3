from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("richtingen/", views.direction_list, name="directions"),
    path("richtingen/<int:pk>/", views.direction_edit, name="direction_edit"),
    path("<int:client_pk>/", views.client_profile_page, name="client"),
    path("<int:client_pk>/taalniveau/", views.language_level_add, name="language_level_add"),
    path("<int:client_pk>/beschikbaarheid/", views.availability_edit, name="availability"),
    path(
        "<int:client_pk>/voorkeur/<int:entry_pk>/verwijderen/",
        views.preference_remove,
        name="preference_remove",
    ),
    path("<int:client_pk>/<slug:kind>/nieuw/", views.entry_edit, name="entry_add"),
    path("<int:client_pk>/<slug:kind>/<int:entry_pk>/", views.entry_edit, name="entry_edit"),
    path(
        "<int:client_pk>/<slug:kind>/<int:entry_pk>/verwijderen/",
        views.entry_delete,
        name="entry_delete",
    ),
]
