from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.index, name="index"),
    path("gemeenten/", views.municipality_list, name="municipality_list"),
    path("gemeenten/nieuw/", views.municipality_create, name="municipality_create"),
    path("gemeenten/<int:pk>/", views.municipality_edit, name="municipality_edit"),
    path("regios/", views.region_list, name="region_list"),
    path("regios/nieuw/", views.region_create, name="region_create"),
    path("regios/<int:pk>/", views.region_edit, name="region_edit"),
    path("gebiedsteams/", views.area_team_list, name="area_team_list"),
    path("gebiedsteams/nieuw/", views.area_team_create, name="area_team_create"),
    path("gebiedsteams/<int:pk>/", views.area_team_edit, name="area_team_edit"),
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/nieuw/", views.organisation_create, name="organisation_create"),
    path("organisaties/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("grondslagen/", views.legal_basis_list, name="legal_basis_list"),
    path("grondslagen/nieuw/", views.legal_basis_create, name="legal_basis_create"),
    path("grondslagen/<int:pk>/", views.legal_basis_detail, name="legal_basis_detail"),
    path("grondslagen/<int:pk>/wijzigen/", views.legal_basis_edit, name="legal_basis_edit"),
    path("grondslagen/<int:pk>/beeindigen/", views.legal_basis_end, name="legal_basis_end"),
    path("grondslagen/<int:pk>/verwijderen/", views.legal_basis_delete, name="legal_basis_delete"),
]
